// The history charts as a user meets them in browser mode and Debian's Chromium: they fill from
// lab.db (so a reload shows the history at once, not an empty chart), the range buttons ask the
// host for another range at another resolution, and the export button downloads the archive.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium, startBrowserMode, waitUntil, type BrowserModeLab } from '../support/browser.js';
import { redisCli, ROOT } from '../support/servers.js';

function chart(page: Page, title: string): Locator {
  return page.getByRole('figure', { name: title });
}

/** The points a chart was given (its plot's data-points attribute: the sum over its lines). */
async function points(page: Page, title: string): Promise<number> {
  return Number(await chart(page, title).locator('.plot').getAttribute('data-points'));
}

describe('the history charts in browser mode', () => {
  let lab: BrowserModeLab | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    lab = await startBrowserMode();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  after(async () => {
    await browser?.close();
    const code = await lab?.stop();
    assert.equal(code, 0, `browser mode should exit cleanly:\n${lab?.stderr()}`);
  });

  it('draws ops/s and memory per node on canvas, from the nodes INFO', async () => {
    await page.goto(lab!.url);
    const ports = (await page.getByRole('button', { name: /^Stop node / }).evaluateAll((b) => b.map((x) => x.getAttribute('aria-label'))))
      .map((name) => Number(/\(port (\d+)\)/.exec(name ?? '')?.[1]))
      .filter((port) => port > 0);
    await waitUntil('three nodes', async () => (await page.getByRole('button', { name: /^Stop node / }).count()) === 3);
    for (let i = 0; i < 20; i++) redisCli(ports[0] ?? 6379, ['SET', `k${i}`, 'v']);
    await waitUntil('the ops chart has 3 lines of 8 points', async () => (await points(page, 'Operations per second')) >= 24, 30_000);
    const ops = chart(page, 'Operations per second');
    assert.equal(await ops.locator('canvas').count(), 1, 'uPlot draws on one canvas');
    // The legend names every node, as the node table does.
    const legend = await ops.locator('.u-legend').innerText();
    for (const name of ['node-1', 'node-2', 'node-3']) assert.ok(legend.includes(name), legend);
  });

  it('shows the recorded history right after a reload', async () => {
    const before = await points(page, 'Memory used');
    await page.reload();
    await waitUntil('the memory chart has points again', async () => (await points(page, 'Memory used')) > 0);
    // A page that kept history in its own memory would start again from one point a line.
    assert.ok(
      (await points(page, 'Memory used')) >= before,
      `${await points(page, 'Memory used')} points after the reload, ${before} before`,
    );
  });

  it('switches ranges: each asks the host again, at the resolution of the range', async () => {
    const header = page.getByRole('region', { name: 'History' }).or(page.locator('section.history'));
    const range = (label: string): Locator =>
      page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: label, exact: true });
    await range('24 h').click();
    await waitUntil('24 h is pressed', async () => (await range('24 h').getAttribute('aria-pressed')) === 'true');
    // 24 h in about 1000 points: one per 87 s.
    await waitUntil('the resolution follows the range', async () => (await header.first().innerText()).includes('one point per 87 s'));
    await range('1 min').click();
    await waitUntil('back to one point a second', async () => (await header.first().innerText()).includes('one point a second'));
    assert.equal(await range('24 h').getAttribute('aria-pressed'), 'false');
    await waitUntil('the 1 min range has points', async () => (await points(page, 'Operations per second')) > 0);
    const shot = join(ROOT, 'test-results', 'history-ui.png');
    mkdirSync(dirname(shot), { recursive: true });
    await page.locator('section.history').screenshot({ path: shot });
    assert.deepEqual(pageErrors, []);
  });
});
