// Starting a crashed master that would come back with older data than its replicas, as a user meets
// it in Chromium: Start asks first, saying what would happen; "Promote … instead" keeps the newer
// writes, Cancel does nothing, "Start anyway" does what the warning said. Everything checked on the
// nodes with Debian's redis-cli. Run after `npm run build`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';
import { waitUntil, type BrowserModeLab } from '../support/browser.js';
import { type ShownNode, openLab } from '../support/lab-page.js';
import { redisCli } from '../support/servers.js';

function nodesTable(page: Page): Locator {
  return page.getByRole('table', { name: /^Nodes of the lab/ });
}

async function cellUnder(page: Page, node: ShownNode, header: string): Promise<string> {
  const headers = (await nodesTable(page).getByRole('columnheader').allInnerTexts()).map((h) => h.trim());
  const column = headers.indexOf(header);
  const row = nodesTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name: `Details and log of ${node.label}` }) });
  return (await row.locator('th, td').nth(column).innerText()).trim();
}

function offset(port: number): string {
  return /^master_repl_offset:(\d+)/m.exec(redisCli(port, ['INFO', 'replication']))![1]!;
}

describe('starting a master with older data than its replicas, in the lab UI', () => {
  let lab: BrowserModeLab | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  let n1: ShownNode;
  let n2: ShownNode;
  let n3: ShownNode;

  /** Writes on the master, waits for the replicas, then crashes the master through its Crash button. */
  async function writeThenCrash(master: ShownNode, replicas: ShownNode[], key: string): Promise<void> {
    assert.equal(redisCli(master.port, ['SET', key, 'v']), 'OK');
    const at = offset(master.port);
    for (const r of replicas) await waitUntil(`${r.name} reaches ${at}`, () => offset(r.port) === at);
    // The lab reads INFO twice a second: let it see the replicas' new offsets before the crash.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await page.getByRole('button', { name: `Crash node ${master.label}`, exact: true }).click();
    await page
      .getByRole('dialog', { name: `Crash ${master.label}?` })
      .getByRole('button', { name: 'Crash node', exact: true })
      .click();
    await waitUntil(`${master.name} shows Crashed`, async () => (await cellUnder(page, master, 'Status')).startsWith('Crashed'));
  }

  before(async () => {
    let nodes: ShownNode[];
    ({ lab, browser, page, nodes } = await openLab({ viewport: { width: 1024, height: 700 }, pageErrors }));
    [n1, n2, n3] = nodes as [ShownNode, ShownNode, ShownNode];
    for (const r of [n2, n3]) {
      await waitUntil(`${r.name} is linked`, async () => (await cellUnder(page, r, 'Role')).startsWith(`replica of ${n1.name} link up`));
    }
  });

  after(async () => {
    await browser?.close();
    const code = await lab?.stop();
    assert.equal(code, 0, `browser mode should exit cleanly on SIGTERM:\n${lab?.stderr()}`);
  });

  it('Start of the crashed master warns, and "Promote … instead" keeps the newer writes', async () => {
    await writeThenCrash(n1, [n2, n3], 'ui:newer');
    await page.getByRole('button', { name: `Start node ${n1.label}`, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Start ${n1.label} with older data?` });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), new RegExp(`${n1.name} would load no dump\\.rdb, so it would start empty`));
    const promoted = (await dialog.innerText()).includes(`Promote ${n2.name} instead`) ? n2 : n3;
    await dialog.getByRole('button', { name: `Promote ${promoted.name} instead` }).click();

    await waitUntil(`${n1.name} shows itself a replica of ${promoted.name}`, async () =>
      (await cellUnder(page, n1, 'Role')).startsWith(`replica of ${promoted.name} link up`),
    );
    assert.match(redisCli(promoted.port, ['INFO', 'replication']), /^role:master\r?$/m);
    assert.equal(redisCli(n1.port, ['GET', 'ui:newer']), 'v', 'the old master took the newer data');
    assert.equal(redisCli(promoted.port, ['GET', 'ui:newer']), 'v');
    [n2, n3] = promoted === n2 ? [n2, n3] : [n3, n2];
  });

  it('Cancel leaves the master down; "Start anyway" starts it, and its replica loses the newer write', async () => {
    // n2 is the master now, n1 its replica; n2's dump.rdb (if any) is older than this write.
    await writeThenCrash(n2, [n1], 'ui:lost');
    await page.getByRole('button', { name: `Start node ${n2.label}`, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Start ${n2.label} with older data?` });
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.ok((await cellUnder(page, n2, 'Status')).startsWith('Crashed'), 'Cancel starts nothing');
    assert.notEqual(redisCli(n2.port, ['PING']), 'PONG');

    await page.getByRole('button', { name: `Start node ${n2.label}`, exact: true }).click();
    await dialog.getByRole('button', { name: 'Start anyway', exact: true }).click();
    await waitUntil(`${n2.name} shows Running`, async () => (await cellUnder(page, n2, 'Status')) === 'Running');
    await waitUntil(`${n1.name} resyncs from the older master and loses the write`, () => redisCli(n1.port, ['EXISTS', 'ui:lost']) === '0');
    assert.deepEqual(pageErrors, [], 'the page threw no uncaught errors');
  });
});
