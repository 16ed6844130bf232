// The node controls as a user clicks them, in a 1024x700 window: each found by its accessible name,
// each a real process action checked on the nodes with Debian's redis-cli. Restart is a graceful
// stop (the RDB saved as configured) and a start, so data survives it; Crash saves nothing. Run
// after `npm run build`. Fail over sends the master FAILOVER TO the chosen replica, and the old
// master ends as its replica; Abort failover sends FAILOVER ABORT while the master waits.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { waitUntil, type BrowserModeLab } from '../support/browser.js';
import { type ShownNode, infoField, openLab, runningNodes } from '../support/lab-page.js';
import { redisCli } from '../support/servers.js';

function nodesTable(page: Page): Locator {
  return page.getByRole('table', { name: /^Nodes of the lab/ });
}

async function cellUnder(page: Page, node: ShownNode, header: string): Promise<string> {
  const headers = (await nodesTable(page).getByRole('columnheader').allInnerTexts()).map((h) => h.trim());
  const column = headers.indexOf(header);
  assert.notEqual(column, -1, `no "${header}" column in ${JSON.stringify(headers)}`);
  const row = nodesTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name: `Details and log of ${node.label}` }) });
  return (await row.locator('th, td').nth(column).innerText()).trim();
}

describe('node controls in the lab UI', () => {
  let lab: BrowserModeLab | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  let master: ShownNode;
  let replicas: ShownNode[];

  before(async () => {
    let nodes: ShownNode[];
    ({ lab, browser, page, nodes } = await openLab({ viewport: { width: 1024, height: 700 }, pageErrors }));
    [master, ...replicas] = nodes;
    for (const replica of replicas) {
      await waitUntil(`${replica.name} is linked`, async () =>
        (await cellUnder(page, replica, 'Role')).startsWith(`replica of ${master.name} link up`),
      );
    }
  });

  after(async () => {
    await browser?.close();
    const code = await lab?.stop();
    assert.equal(code, 0, `browser mode should exit cleanly on SIGTERM:\n${lab?.stderr()}`);
  });

  it('Restart stops the master gracefully and starts it again with its data; its replicas link up again', async () => {
    assert.equal(redisCli(master.port, ['SET', 'ui:restart', 'kept']), 'OK');
    const before = Number(infoField(master.port, 'uptime_in_seconds'));
    const pid = infoField(master.port, 'run_id');
    await page.getByRole('button', { name: `Restart node ${master.label}`, exact: true }).click();
    await waitUntil(`${master.name} has a new run id`, () => {
      try {
        const runId = infoField(master.port, 'run_id');
        return runId !== undefined && runId !== pid;
      } catch {
        return false;
      }
    });
    await waitUntil(`${master.name} shows Running`, async () => (await cellUnder(page, master, 'Status')) === 'Running');
    assert.equal(redisCli(master.port, ['GET', 'ui:restart']), 'kept', 'the RDB saved at the stop was loaded');
    assert.ok(Number(infoField(master.port, 'uptime_in_seconds')) <= before + 1);
    for (const replica of replicas) {
      // The row may still show the link as it was before the restart: wait for the node first.
      await waitUntil(`${replica.name} links up again`, () => infoField(replica.port, 'master_link_status') === 'up');
      await waitUntil(`${replica.name} shows its link up`, async () =>
        (await cellUnder(page, replica, 'Role')).startsWith(`replica of ${master.name} link up`),
      );
      assert.equal(redisCli(replica.port, ['GET', 'ui:restart']), 'kept');
    }
  });

  it('Crash saves nothing: an unsaved write on a new node is gone after Start; Stop refuses connections', async () => {
    await page.getByRole('button', { name: 'Add node', exact: true }).click();
    await waitUntil('a fourth node runs', async () => (await runningNodes(page)).length === 4);
    const added = (await runningNodes(page)).find((node) => ![master, ...replicas].some((n) => n.port === node.port))!;
    await waitUntil(`${added.name} shows Running`, async () => (await cellUnder(page, added, 'Status')) === 'Running');
    assert.equal(redisCli(added.port, ['SET', 'ui:unsaved', '1']), 'OK');

    await page.getByRole('button', { name: `Crash node ${added.label}`, exact: true }).click();
    await page
      .getByRole('dialog', { name: `Crash ${added.label}?` })
      .getByRole('button', { name: 'Crash node', exact: true })
      .click();
    await waitUntil(`${added.name} shows Crashed`, async () => (await cellUnder(page, added, 'Status')).startsWith('Crashed'));
    await page.getByRole('button', { name: `Start node ${added.label}`, exact: true }).click();
    await waitUntil(`${added.name} shows Running`, async () => (await cellUnder(page, added, 'Status')) === 'Running');
    assert.equal(redisCli(added.port, ['EXISTS', 'ui:unsaved']), '0');

    await page.getByRole('button', { name: `Stop node ${added.label}`, exact: true }).click();
    await waitUntil(`${added.name} shows Stopped`, async () => (await cellUnder(page, added, 'Status')) === 'Stopped');
    assert.notEqual(redisCli(added.port, ['PING']), 'PONG', 'a stopped node does not answer');
    assert.deepEqual(pageErrors, [], 'the page threw no uncaught errors');
  });
  it('"Fail over" on a replica makes it the master and the old master its replica, without losing a write', async () => {
    const [target, other] = replicas as [ShownNode, ShownNode];
    assert.equal(redisCli(master.port, ['SET', 'ui:before-failover', '1']), 'OK');
    await page.getByRole('button', { name: `Fail over ${master.label} to ${target.label}`, exact: true }).click();
    await waitUntil(`${master.name} shows itself a replica of ${target.name}`, async () =>
      (await cellUnder(page, master, 'Role')).startsWith(`replica of ${target.name} link up`),
    );
    await waitUntil(`${target.name} shows role master`, async () => (await cellUnder(page, target, 'Role')).startsWith('master'));
    const oldMaster = redisCli(master.port, ['INFO', 'replication']);
    assert.match(oldMaster, /^role:slave\r?$/m);
    assert.match(oldMaster, new RegExp(`^master_port:${target.port}\\r?$`, 'm'));
    assert.match(redisCli(target.port, ['INFO', 'replication']), /^role:master\r?$/m);
    assert.equal(redisCli(target.port, ['GET', 'ui:before-failover']), '1');
    assert.equal(redisCli(target.port, ['SET', 'ui:after-failover', '1']), 'OK');
    await waitUntil(
      `${other.name} gets the new master's writes through ${master.name}`,
      () => redisCli(other.port, ['GET', 'ui:after-failover']) === '1',
    );
    const events = page.getByRole('region', { name: /^Events/ });
    await waitUntil('the events list shows the failover done', async () =>
      (await events.innerText()).includes(`done: ${target.name} is the master`),
    );
  });

  it('"Abort failover" stops a failover waiting for a lagging replica; the master stays a master', async () => {
    const [newMaster] = replicas as [ShownNode];
    // The old master sleeps, so it cannot acknowledge the next write and the failover to it waits.
    const sleeping = new Promise((resolve) =>
      execFile('redis-cli', ['-p', String(master.port), 'DEBUG', 'SLEEP', '8'], { timeout: 30_000 }, resolve),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(redisCli(newMaster.port, ['SET', 'ui:unacknowledged', '1']), 'OK');
    await page.getByRole('button', { name: `Fail over ${newMaster.label} to ${master.label}`, exact: true }).click();
    const state = nodesTable(page).getByRole('status').filter({ hasText: 'master_failover_state: waiting-for-sync' });
    await state.waitFor({ timeout: 10000 });
    assert.match(redisCli(newMaster.port, ['INFO', 'replication']), /^master_failover_state:waiting-for-sync\r?$/m);
    await page.getByRole('button', { name: `Abort the failover of ${newMaster.label}`, exact: true }).click();
    await state.waitFor({ state: 'detached', timeout: 10000 });
    const info = redisCli(newMaster.port, ['INFO', 'replication']);
    assert.match(info, /^master_failover_state:no-failover\r?$/m);
    assert.match(info, /^role:master\r?$/m);
    assert.equal(redisCli(newMaster.port, ['SET', 'ui:writable', '1']), 'OK');
    await sleeping;
  });

  it('"Promote" turns a replica into a master with REPLICAOF NO ONE', async () => {
    const [, other] = replicas as [ShownNode, ShownNode];
    await page.getByRole('button', { name: `Promote ${other.label} to master`, exact: true }).click();
    await waitUntil(`${other.name} shows role master`, async () => (await cellUnder(page, other, 'Role')) === 'master');
    assert.match(redisCli(other.port, ['INFO', 'replication']), /^role:master\r?$/m);
    assert.equal(redisCli(other.port, ['SET', 'ui:promoted', '1']), 'OK');
    assert.deepEqual(pageErrors, [], 'the page threw no uncaught errors');
  });

  it('Remove asks whether to delete the directory: unticked it stays, ticked it goes', async () => {
    const remove = async (node: ShownNode, deleteDir: boolean): Promise<string> => {
      await page.getByRole('button', { name: `Remove node ${node.label}`, exact: true }).click();
      const dialog = page.getByRole('dialog', { name: `Remove ${node.label}?` });
      const checkbox = dialog.getByRole('checkbox', { name: 'Also delete its directory (otherwise it stays on disk)' });
      assert.equal(await checkbox.isChecked(), false, 'deleting is never the default');
      if (deleteDir) await checkbox.check();
      const dir = (await dialog.locator('code').innerText()).trim();
      await dialog.getByRole('button', { name: 'Remove node', exact: true }).click();
      await waitUntil(
        `${node.name} leaves the table`,
        async () => (await page.getByRole('button', { name: `Remove node ${node.label}` }).count()) === 0,
      );
      return dir;
    };
    const add = async (): Promise<ShownNode> => {
      const before = new Set((await runningNodes(page)).map((n) => n.port));
      await page.getByRole('button', { name: 'Add node', exact: true }).click();
      await waitUntil('a new node runs', async () => (await runningNodes(page)).some((n) => !before.has(n.port)));
      const added = (await runningNodes(page)).find((n) => !before.has(n.port))!;
      await waitUntil(`${added.name} shows Running`, async () => (await cellUnder(page, added, 'Status')) === 'Running');
      return added;
    };

    const keep = await add();
    assert.equal(redisCli(keep.port, ['SET', 'ui:kept', '1']), 'OK');
    const keptDir = await remove(keep, false);
    assert.notEqual(redisCli(keep.port, ['PING']), 'PONG');
    assert.ok(existsSync(keptDir), `${keptDir} stays`);

    const drop = await add();
    const droppedDir = await remove(drop, true);
    assert.ok(!existsSync(droppedDir), `${droppedDir} is deleted`);
    assert.deepEqual(pageErrors, [], 'the page threw no uncaught errors');
  });
});
