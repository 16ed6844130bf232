// Sentinels as a user adds them and runs the failover demonstration: browser mode in Debian's
// Chromium, a new lab's master and two replicas. "Add sentinel" adds one on the master; "Add 3
// sentinels (quorum 2)" adds the rest; the Sentinels list shows what each reports; "Sentinel
// failover demo" crashes the master and the page shows the Sentinels' events as a timeline and
// the time from the crash to a writable new master, which is then checked with Debian's redis-cli.
// Run after `npm run build`. With UPDATE_SCREENSHOT=1 it also replaces docs/sentinels.png;
// otherwise the picture goes to test-results/ only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { waitUntil, type BrowserModeLab } from '../support/browser.js';
import { openLab } from '../support/lab-page.js';
import { redisCli, ROOT } from '../support/servers.js';

describe('Sentinels in the lab UI', () => {
  let lab: BrowserModeLab | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  const panel = (): Locator => page.getByRole('region', { name: 'Sentinels' });
  const rows = (): Locator => panel().getByRole('table', { name: 'Sentinels' }).locator('tbody tr');

  before(async () => {
    ({ lab, browser, page } = await openLab({ viewport: { width: 1440, height: 1200 }, pageErrors }));
  });

  after(async () => {
    await browser?.close();
    const code = await lab?.stop();
    assert.equal(code, 0, `browser mode should exit cleanly on SIGTERM:\n${lab?.stderr()}`);
  });

  it('Add sentinel starts a Sentinel on the master; it answers PING and monitors the master', async () => {
    await panel().getByRole('button', { name: 'Add sentinel', exact: true }).click();
    await waitUntil(
      'one Sentinel is listed as running',
      async () => (await rows().count()) === 1 && (await rows().first().innerText()).includes('running'),
    );
    const port = Number(/:(\d+)/.exec(await rows().first().innerText())![1]);
    assert.equal(redisCli(port, ['PING']), 'PONG');
    assert.match(redisCli(port, ['SENTINEL', 'MASTERS']), /127\.0\.0\.1/);
  });

  it('the demo crashes the master and shows the timeline and the time to a writable new master', async () => {
    await panel().getByRole('button', { name: 'Add 3 sentinels (quorum 2)' }).click();
    await waitUntil(
      'four Sentinels see each other',
      async () => {
        const texts = await rows().allInnerTexts();
        return texts.length === 4 && texts.every((t) => /running/.test(t) && /\t3\t/.test(t));
      },
      30_000,
    );
    const watchers = page.getByRole('list', { name: 'Sentinels watching masters' });
    await waitUntil('the topology says who watches the master', async () =>
      /^node-\d+: watched by sentinel-1, sentinel-2, sentinel-3, sentinel-4 \(quorum 2\), ok for all$/.test(await watchers.innerText()),
    );
    await panel().getByRole('button', { name: 'Sentinel failover demo' }).click();
    const result = panel().getByTestId('time-to-writable');
    await result.waitFor({ timeout: 60_000 });
    const text = await result.innerText();
    const match = /^(\S+) accepted a write ([\d.]+) s after (\S+) crashed/.exec(text);
    assert.ok(match, text);
    assert.ok(Number(match[2]) >= 1, `not before down-after-milliseconds: ${text}`);
    const timeline = panel().getByLabel('Sentinel failover timeline');
    await waitUntil(
      'the timeline shows the vote, the promotion and the switch',
      async () => {
        const t = await timeline.innerText();
        return ['+sdown master', '+odown master', '+elected-leader', '+promoted-slave', '+switch-master'].every((e) => t.includes(e));
      },
      30_000,
    );
    // The new master takes writes for anyone, not only the demo: checked with redis-cli.
    const newMasterPort = Number(
      /port (\d+)/.exec(
        (await page.getByRole('button', { name: new RegExp(`^Stop node ${match[1]} `) }).getAttribute('aria-label')) ?? '',
      )![1],
    );
    assert.equal(redisCli(newMasterPort, ['SET', 'ui:after-demo', '1']), 'OK');
    assert.match(redisCli(newMasterPort, ['INFO', 'replication']), /^role:master/m);

    await waitUntil(
      'every Sentinel shows the new master',
      async () => (await rows().allInnerTexts()).every((t) => t.includes(`${match[1]} (127.0.0.1:${newMasterPort})`)),
      30_000,
    );
    const shot =
      process.env.UPDATE_SCREENSHOT === '1' ? join(ROOT, 'docs', 'sentinels.png') : join(ROOT, 'test-results', 'lab-sentinels.png');
    mkdirSync(dirname(shot), { recursive: true });
    await panel().screenshot({ path: shot });
    assert.deepEqual(pageErrors, []);
  });
});
