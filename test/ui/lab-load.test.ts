// The write load as a user runs it: browser mode in Debian's Chromium, a new lab's master, the
// "Write load" controls found by their accessible names. Start moves the master's
// master_repl_offset and its replicas' (read with Debian's redis-cli) and shows the achieved rate;
// Stop stops the writes; bad options give a clear error and start nothing. Run after `npm run build`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';
import { waitUntil, type BrowserModeLab } from '../support/browser.js';
import { type ShownNode, infoField, openLab } from '../support/lab-page.js';

describe('the write load in the lab UI', () => {
  let lab: BrowserModeLab | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  let master: ShownNode;
  let replicas: ShownNode[];

  const item = (): Locator => page.getByRole('listitem', { name: `Write load on ${master.name}` });
  const field = (name: string): Locator => item().getByRole('spinbutton', { name });
  const setCalls = (): number => {
    const stat = infoField(master.port, 'cmdstat_set', 'commandstats');
    return stat ? Number(/calls=(\d+)/.exec(stat)![1]) : 0;
  };

  before(async () => {
    let nodes: ShownNode[];
    ({ lab, browser, page, nodes } = await openLab({ viewport: { width: 1440, height: 1000 }, pageErrors }));
    [master, ...replicas] = nodes;
    await waitUntil('the replicas are linked', () => replicas.every((r) => infoField(r.port, 'master_link_status') === 'up'));
  });

  after(async () => {
    await browser?.close();
    const code = await lab?.stop();
    assert.equal(code, 0, `browser mode should exit cleanly on SIGTERM:\n${lab?.stderr()}`);
  });

  it('Start at 500 writes/s moves the offsets of the master and its replicas and shows the achieved rate', async () => {
    const offsetBefore = Number(infoField(master.port, 'master_repl_offset'));
    await field(`Writes per second on ${master.label}`).fill('500');
    await field(`Key space (keys) on ${master.label}`).fill('2000');
    await field(`Value size in bytes on ${master.label}`).fill('64');
    await page.getByRole('button', { name: `Start the write load on ${master.label}` }).click();
    const achieved = page.getByRole('status', { name: `Achieved rate on ${master.name}` });
    let rate = 0;
    await waitUntil('an achieved rate near 500 is shown', async () => {
      const match = /^(\d+) writes\/s achieved \(target 500\)/.exec((await achieved.innerText().catch(() => '')).trim());
      rate = match ? Number(match[1]) : 0;
      return rate > 350 && rate < 650;
    });
    const offset = Number(infoField(master.port, 'master_repl_offset'));
    assert.ok(offset > offsetBefore + 10_000, `master_repl_offset moved from ${offsetBefore} to ${offset}`);
    for (const replica of replicas) {
      await waitUntil(`${replica.name} follows`, () => Number(infoField(replica.port, 'master_repl_offset')) >= offset);
    }
    await waitUntil('the events say it started', async () =>
      (await page.getByRole('region', { name: /^Events/ }).innerText()).includes('write load started: 500 writes/s over 2000 keys'),
    );
  });

  it('Stop stops the writes', async () => {
    await page.getByRole('button', { name: `Stop the write load on ${master.label}` }).click();
    await page.getByRole('button', { name: `Stop the write load on ${master.label}` }).waitFor({ state: 'detached' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const calls = setCalls();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(setCalls(), calls, 'no SET after Stop');
  });

  it('a rate beyond the bound is refused with a clear message, and nothing starts', async () => {
    await field(`Writes per second on ${master.label}`).fill('50000');
    await page.getByRole('button', { name: `Start the write load on ${master.label}` }).click();
    await waitUntil('an error says why', async () =>
      (await page.locator('body').innerText()).includes('the rate (writes per second) must be a whole number from 1 to 20000'),
    );
    const calls = setCalls();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(setCalls(), calls, 'no writes');
    assert.equal(await page.getByRole('button', { name: `Stop the write load on ${master.label}` }).count(), 0);
    assert.deepEqual(pageErrors, []);
  });
});
