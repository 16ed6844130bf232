// The history charts as a user meets them in browser mode and Debian's Chromium: they fill from
// lab.db (so a reload shows the history at once, not an empty chart), the range buttons ask the
// host for another range at another resolution, and the export button downloads the archive.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { waitUntil, type BrowserModeLab } from '../support/browser.js';
import { openLab } from '../support/lab-page.js';
import { redisCli, ROOT, tempDir } from '../support/servers.js';

function chart(page: Page, title: string): Locator {
  return page.getByRole('figure', { name: title });
}

/** The points a chart was given (its plot's data-points attribute: the sum over its lines). */
async function points(page: Page, title: string): Promise<number> {
  return Number(await chart(page, title).locator('.plot').getAttribute('data-points'));
}

/**
 * Waits until no node is starting, then starts any that failed: other programs on this shared
 * machine may take a port between the lab choosing it and the node binding it, which makes that
 * node fail to start (as it should); once the port is free again, Start brings it up.
 */
async function settleAllRunning(page: Page): Promise<void> {
  const table = page.getByRole('table', { name: /^Nodes of the lab/ });
  for (let attempt = 0; attempt < 5; attempt++) {
    await waitUntil('no node is starting', async () => (await table.getByText('Starting', { exact: true }).count()) === 0, 60_000);
    const start = page.getByRole('button', { name: /^Start node / });
    if ((await start.count()) === 0) return;
    await start.first().click();
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('the history charts in browser mode', () => {
  let lab: BrowserModeLab | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    ({ lab, browser, page } = await openLab({ viewport: { width: 1280, height: 900 }, pageErrors, acceptDownloads: true, load: false }));
  });

  after(async () => {
    await browser?.close();
    const code = await lab?.stop();
    assert.equal(code, 0, `browser mode should exit cleanly:\n${lab?.stderr()}`);
  });

  it('draws ops/s and memory per node on canvas, from the nodes INFO', async () => {
    await page.goto(lab!.url);
    await waitUntil('three nodes', async () => (await page.getByRole('button', { name: /^Details and log of / }).count()) === 3);
    await settleAllRunning(page);
    const ports = (await page.getByRole('button', { name: /^Stop node / }).evaluateAll((b) => b.map((x) => x.getAttribute('aria-label'))))
      .map((name) => Number(/\(port (\d+)\)/.exec(name ?? '')?.[1]))
      .filter((port) => port > 0);
    assert.equal(ports.length, 3);
    for (let i = 0; i < 20; i++) redisCli(ports[0]!, ['SET', `k${i}`, 'v']);
    await waitUntil('the ops chart has 3 lines of 8 points', async () => (await points(page, 'Operations per second')) >= 24, 30_000);
    const ops = chart(page, 'Operations per second');
    assert.equal(await ops.locator('canvas').count(), 1, 'uPlot draws on one canvas');
    // The legend names every node, as the node table does.
    const legend = await ops.locator('.u-legend').innerText();
    for (const name of ['node-1', 'node-2', 'node-3']) assert.ok(legend.includes(name), legend);
  });

  it("charts a replica's lag in bytes and seconds, and lists its full sync", async () => {
    const ports = (await page.getByRole('button', { name: /^Stop node / }).evaluateAll((b) => b.map((x) => x.getAttribute('aria-label'))))
      .map((name) => Number(/\(port (\d+)\)/.exec(name ?? '')?.[1]))
      .sort((a, b) => a - b);
    // As a user would from redis-cli (a lab whose default topology already made it one answers
    // "OK Already connected ..."): the lab reads the topology from the nodes' INFO.
    assert.match(redisCli(ports[1]!, ['REPLICAOF', '127.0.0.1', String(ports[0])]), /^OK/);
    for (let i = 0; i < 50; i++) redisCli(ports[0]!, ['SET', `lag${i}`, 'x'.repeat(1000)]);
    await waitUntil('the lag chart has points', async () => (await points(page, 'Replication lag (bytes)')) >= 3);
    // Seconds: behind master and Redis's own ACK lag, each its own line, labelled as such.
    const legend = await chart(page, 'Replication lag (seconds)').locator('.u-legend').innerText();
    assert.match(legend, /node-2 ← node-1: behind master/);
    assert.match(legend, /node-2 ← node-1: since last ACK \(Redis lag\)/);
    const syncs = page.getByRole('figure', { name: 'Sync timeline' });
    await waitUntil('the full sync is listed', async () => /node-2\s+full\s+.*\s+ok/.test(await syncs.innerText()));
    const shot = join(ROOT, 'test-results', 'history-lag.png');
    mkdirSync(dirname(shot), { recursive: true });
    await page.locator('section.history').screenshot({ path: shot });
  });

  it('shows the recorded history right after a reload', async () => {
    const first = async (): Promise<number> => Number(await chart(page, 'Memory used').locator('.plot').getAttribute('data-first'));
    const before = await points(page, 'Memory used');
    const firstBefore = await first();
    await page.reload();
    await waitUntil('the memory chart has points again', async () => (await points(page, 'Memory used')) > 0);
    // A page that kept history in its own memory would start again from its first push.
    assert.ok((await first()) <= firstBefore, `the chart starts at ${await first()}, it started at ${firstBefore}`);
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

  it('stays smooth with 10 nodes under load: no long stall of the page while the charts follow', async () => {
    const add = page.getByRole('button', { name: 'Add node', exact: true });
    const runningNodes = (): Promise<number> => page.getByRole('button', { name: /^Stop node / }).count();
    const allNodes = (): Promise<number> => page.getByRole('button', { name: /^Details and log of / }).count();
    // Other programs on this machine may take a port between the lab choosing it and the node
    // binding it; such a node fails to start (as it should), and another is added in its place.
    for (let attempts = 0; (await runningNodes()) < 10 && attempts < 12; attempts++) {
      const before = await allNodes();
      await add.click();
      await waitUntil(
        'the new node settles',
        async () => {
          if ((await allNodes()) <= before) return false;
          const table = page.getByRole('table', { name: /^Nodes of the lab/ });
          return (await table.getByText('Starting', { exact: true }).count()) === 0;
        },
        60_000,
      );
    }
    const ports = (await page.getByRole('button', { name: /^Stop node / }).evaluateAll((b) => b.map((x) => x.getAttribute('aria-label'))))
      .map((name) => Number(/\(port (\d+)\)/.exec(name ?? '')?.[1]))
      .filter((port) => port > 0);
    assert.equal(ports.length, 10);
    // Long tasks (over 50 ms on the page's main thread) are what makes a page stutter.
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: 'longtask' });
    });
    const load = ports.map((port) =>
      spawn('redis-benchmark', ['-p', String(port), '-t', 'set', '-n', '100000000', '-c', '1', '-r', '10000', '-q'], { stdio: 'ignore' }),
    );
    try {
      await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '15 min', exact: true }).click();
      await new Promise((r) => setTimeout(r, 15_000));
    } finally {
      for (const bench of load) bench.kill('SIGINT');
    }
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    const legend = await chart(page, 'Operations per second').locator('.u-legend').innerText();
    assert.ok(legend.includes('node-10'), legend);
    const plots = page.locator('section.history .plot');
    const medians = await plots.evaluateAll((ps) => ps.map((p) => Number(p.getAttribute('data-redraw-median-ms'))));
    const maxima = await plots.evaluateAll((ps) => ps.map((p) => Number(p.getAttribute('data-redraw-max-ms'))));
    console.log(
      `10 nodes under load, 15 s: chart redraw median ${Math.max(...medians).toFixed(1)} ms (worst chart), slowest ${Math.max(...maxima).toFixed(1)} ms; ` +
        `page long tasks (any cause, on a shared 2-core machine): ${longTasks.length}, max ${Math.max(0, ...longTasks).toFixed(0)} ms`,
    );
    // Each chart redraws once a second; its typical redraw must be a small part of a frame. The
    // median, not the maximum: the 10 nodes and their load share two cores with the page, and a
    // starved moment can stretch any single redraw.
    assert.ok(Math.max(...medians) < 50, `a chart's median redraw took ${Math.max(...medians)} ms`);
  });

  it('"Export logs" downloads the archive, and the lab keeps no copy', async () => {
    const download = page.waitForEvent('download', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Export logs', exact: true }).click();
    const file = await download;
    assert.match(file.suggestedFilename(), /^replica-lab-\d{8}-\d{6}\.tar\.gz$/);
    const dir = tempDir('replicalab-download-');
    try {
      const saved = join(dir, file.suggestedFilename());
      await file.saveAs(saved);
      const listing = execFileSync('tar', ['-tzf', saved], { encoding: 'utf8' }).split('\n');
      for (const name of ['README.md', 'manifest.json', 'events.ndjson', 'events.csv', 'node-samples.ndjson', 'node-samples.csv']) {
        assert.ok(listing.includes(name), `${name} in ${listing.join(' ')}`);
      }
      // Every node the lab has: its redis.conf (written when it was created) and its whole log.
      const nodes = await page.getByRole('button', { name: /^Details and log of / }).count();
      assert.equal(listing.filter((name) => /^nodes\/\d+-node-\d+\/redis\.conf$/.test(name)).length, nodes);
      const running = await page.getByRole('button', { name: /^Stop node / }).count();
      assert.ok(listing.filter((name) => /^nodes\/\d+-node-\d+\/node\.log$/.test(name)).length >= running);
      assert.ok(!listing.some((name) => name.endsWith('dump.rdb')), 'no data files unless ticked');
      // In browser mode the exports folder only hands the file over: the download took it.
      const exports = join(lab!.dataDir, 'exports');
      await waitUntil('the handed-over file is gone', () => !existsSync(exports) || readdirSync(exports).length === 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(pageErrors, []);
  });
});
