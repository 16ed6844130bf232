// The backlog view in Chromium, checked against what the nodes then really do. A master with a
// small backlog (repl-backlog-size 16kb) and two replicas: both are placed in its range at the
// offsets the master's INFO gives. A replica stopped (it saves its position in dump.rdb) while a
// little is written stays "could resume", and when it starts again the master counts a partial
// resync (sync_partial_ok); the other, stopped while far more than the backlog is written, turns
// "could not resume", and when it starts again the master counts a full sync (sync_full). Run after
// `npm run build`. With UPDATE_SCREENSHOT=1 it also replaces docs/backlog.png.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { screenshotDetails, waitUntil, type BrowserModeLab } from '../support/browser.js';
import { type ShownNode, openLab } from '../support/lab-page.js';
import { redisCli, ROOT } from '../support/servers.js';

function info(port: number, section: string): Map<string, string> {
  return new Map(
    redisCli(port, ['INFO', section])
      .split(/\r?\n/)
      .filter((line) => line.includes(':'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)] as [string, string]),
  );
}

describe('the backlog view', () => {
  let lab: BrowserModeLab | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  let master: ShownNode;
  let replicas: ShownNode[];
  let view: Locator;

  function row(replica: ShownNode): Locator {
    return view
      .getByRole('table')
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${replica.name} `) }) });
  }
  async function verdict(replica: ShownNode): Promise<string> {
    return (await row(replica).locator('td').nth(1).innerText()).trim();
  }
  async function shownOffset(replica: ShownNode): Promise<string> {
    return (await row(replica).locator('td .mono').innerText()).replace(/,/g, '');
  }

  before(async () => {
    let nodes: ShownNode[];
    ({ lab, browser, page, nodes } = await openLab({ viewport: { width: 1024, height: 700 }, pageErrors }));
    [master, ...replicas] = nodes;
    // Online, not just attached: a replica stopped in the middle of its first sync has no position to save.
    await waitUntil(
      'both replicas are online',
      () => [...info(master.port, 'replication').values()].filter((value) => value.includes('state=online')).length === 2,
      60000,
    );
    for (const replica of replicas) {
      await waitUntil(`${replica.name}'s link is up`, () => info(replica.port, 'replication').get('master_link_status') === 'up', 60000);
    }
    assert.equal(redisCli(master.port, ['CONFIG', 'SET', 'repl-backlog-size', '16384']), 'OK');
    await page.getByRole('button', { name: `Details and log of ${master.label}` }).click();
    await page.getByRole('tab', { name: 'Backlog' }).click();
    view = page.getByRole('tabpanel', { name: 'Backlog' });
  });

  after(async () => {
    await browser?.close();
    await lab?.stop();
  });

  it("places each replica at the offset the master's INFO gives, inside the range", async () => {
    assert.equal(redisCli(master.port, ['SET', 'k', 'v']), 'OK');
    for (const replica of replicas) {
      await waitUntil(`${replica.name} is shown at its acknowledged offset`, async () => {
        const slave = [...info(master.port, 'replication').entries()].find(
          ([field, value]) => /^slave\d+$/.test(field) && value.includes(`port=${replica.port},`),
        );
        if (!slave || (await row(replica).count()) === 0) return false;
        const acked = /offset=(\d+)/.exec(slave[1])![1];
        return (await shownOffset(replica)) === acked;
      });
      assert.match(await verdict(replica), /^Yes/);
    }
    const fields = info(master.port, 'replication');
    const facts = await view.innerText();
    assert.ok(facts.includes(Number(fields.get('repl_backlog_size')) === 16384 ? '16.00K' : '?'), facts);
    assert.match((await view.getByRole('img').getAttribute('aria-label')) ?? '', new RegExp(`${replicas[0]!.name} at \\d+, could resume`));
  });

  it('a replica stopped briefly could resume, and does: a partial resync', async () => {
    const [replica] = replicas;
    await page.getByRole('button', { name: `Stop node ${replica!.label}`, exact: true }).click();
    await page.getByRole('button', { name: `Start node ${replica!.label}`, exact: true }).waitFor({ timeout: 30000 });
    assert.equal(redisCli(master.port, ['SET', 'small', 'write']), 'OK');
    await waitUntil('the stopped replica is placed from its dump.rdb', async () =>
      (await row(replica!).innerText()).includes('saved in its dump.rdb'),
    );
    assert.match(await verdict(replica!), /^Yes/);

    const before = info(master.port, 'stats');
    await page.getByRole('button', { name: `Start node ${replica!.label}`, exact: true }).click();
    await waitUntil(
      'the master counts a partial resync',
      () => Number(info(master.port, 'stats').get('sync_partial_ok')) === Number(before.get('sync_partial_ok')) + 1,
      30000,
    );
    assert.equal(info(master.port, 'stats').get('sync_full'), before.get('sync_full'));
  });

  it('a replica stopped while more than the backlog is written could not resume, and does a full sync', async () => {
    const [, replica] = replicas;
    await page.getByRole('button', { name: `Stop node ${replica!.label}`, exact: true }).click();
    await page.getByRole('button', { name: `Start node ${replica!.label}`, exact: true }).waitFor({ timeout: 30000 });
    await waitUntil('it shows as able to resume while nothing was written', async () => /^Yes/.test(await verdict(replica!)));
    // 40 kB of writes past a 16 kB backlog.
    for (let i = 0; i < 8; i++) assert.equal(redisCli(master.port, ['SET', `filler:${i}`, 'x'.repeat(5000)]), 'OK');
    await waitUntil('the verdict turns to no', async () => /^No/.test(await verdict(replica!)));
    assert.match(await verdict(replica!), /overwritten/);
    const fields = info(master.port, 'replication');
    assert.ok(
      Number(fields.get('repl_backlog_first_byte_offset')) > Number(await shownOffset(replica!)) + 1,
      'its offset is before the backlog',
    );

    // The other replica, online again after its partial resync, still could.
    await waitUntil('the online replica could resume', async () => /^Yes/.test(await verdict(replicas[0]!)));
    const shot = process.env.UPDATE_SCREENSHOT === '1' ? join(ROOT, 'docs', 'backlog.png') : join(ROOT, 'test-results', 'backlog.png');
    await screenshotDetails(page, shot);

    const before = info(master.port, 'stats');
    await page.getByRole('button', { name: `Start node ${replica!.label}`, exact: true }).click();
    await waitUntil(
      'the master counts a full sync',
      () => Number(info(master.port, 'stats').get('sync_full')) === Number(before.get('sync_full')) + 1,
      30000,
    );
    assert.equal(info(master.port, 'stats').get('sync_partial_ok'), before.get('sync_partial_ok'));
    await waitUntil('once synced, it can resume again', async () => /^Yes/.test(await verdict(replica!)), 30000);
    assert.deepEqual(pageErrors, []);
  });
});
