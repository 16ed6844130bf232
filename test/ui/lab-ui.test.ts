// The lab as a user meets it: browser mode started from the command line, its UI in Debian's
// Chromium, controls found by their accessible names, and the effects checked from outside with
// Debian's redis-cli and a plain TCP connect. Run after `npm run build`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { waitUntil, type BrowserModeLab } from '../support/browser.js';
import { openLab, runningNodes, type ShownNode } from '../support/lab-page.js';
import { redisCli, ROOT } from '../support/servers.js';

/** The name every per-node control ends with, e.g. "Stop node node-1 (port 6379)". */
function nodesTable(page: Page): Locator {
  return page.getByRole('table', { name: /^Nodes of the lab/ });
}

/** The table row of one node, found through the Details button that names it. */
function nodeRow(page: Page, label: string): Locator {
  return nodesTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name: `Details and log of ${label}` }) });
}

/** The text in a node's row under the given column header. */
async function cellUnder(page: Page, label: string, header: string): Promise<string> {
  const headers = (await nodesTable(page).getByRole('columnheader').allInnerTexts()).map((h) => h.trim());
  const column = headers.indexOf(header);
  assert.notEqual(column, -1, `no "${header}" column in ${JSON.stringify(headers)}`);
  return (await nodeRow(page, label).locator('th, td').nth(column).innerText()).trim();
}

/** Resolves with the error code of a TCP connect to 127.0.0.1:port, or 'connected'. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('the lab UI in browser mode', () => {
  let lab: BrowserModeLab | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  let added: ShownNode;

  before(async () => {
    ({ lab, browser, page } = await openLab({ viewport: { width: 1280, height: 800 }, pageErrors, load: false }));
  });

  after(async () => {
    await browser?.close();
    const code = await lab?.stop();
    assert.equal(code, 0, `browser mode should exit cleanly on SIGTERM:\n${lab?.stderr()}`);
  });

  it('shows the three first nodes running, each answering on its port', async () => {
    await page.goto(lab!.url);
    await waitUntil('three nodes show Stop buttons', async () => (await runningNodes(page)).length === 3);
    for (const node of await runningNodes(page)) {
      await waitUntil(`${node.label} shows Running`, async () => (await cellUnder(page, node.label, 'Status')) === 'Running');
      assert.equal(redisCli(node.port, ['PING']), 'PONG');
      assert.match(await cellUnder(page, node.label, 'Connect'), new RegExp(`^redis-cli -p ${node.port}\\b`));
    }
  });

  it('shows a guide whose redis-cli lines work on the real master and replica, and stays dismissed', async () => {
    const guide = page.getByRole('region', { name: 'Try this' });
    await guide.waitFor({ timeout: 30000 });
    // The guide names the master and a replica by the ports the nodes really listen on.
    const commands = await guide.locator('code').allInnerTexts();
    const write = commands.find((c) => c.endsWith(' SET greeting hello'));
    const read = commands.find((c) => c.endsWith(' GET greeting'));
    assert.ok(write && read, JSON.stringify(commands));
    const port = (command: string): number => Number(/^redis-cli -p (\d+) /.exec(command)![1]);
    assert.match(redisCli(port(write), ['INFO', 'replication']), /^role:master\r?$/m);
    // The replica reaches the master through the lab's relay on its link: master_link_status up, and
    // the master lists it.
    await waitUntil('the replica reports its link up', () =>
      /^master_link_status:up\r?$/m.test(redisCli(port(read), ['INFO', 'replication'])),
    );
    assert.match(redisCli(port(write), ['INFO', 'replication']), new RegExp(`^slave\\d+:ip=127\\.0\\.0\\.1,port=${port(read)},`, 'm'));
    assert.equal(redisCli(port(write), ['SET', 'greeting', 'hello']), 'OK');
    await waitUntil('the replica serves the write', () => redisCli(port(read), ['GET', 'greeting']) === 'hello');
    for (const step of ['Cut a link', 'Crash the master', 'Fail over']) assert.ok((await guide.innerText()).includes(step), step);

    await guide.getByRole('button', { name: 'Dismiss the guide' }).click();
    await guide.waitFor({ state: 'detached' });
    await page.reload();
    await waitUntil('the nodes are back after the reload', async () => (await runningNodes(page)).length === 3);
    assert.equal(await page.getByRole('region', { name: 'Try this' }).count(), 0, 'a dismissed guide stays away');
  });

  it('adds a node with the "Add node" button, and redis-cli can use it', async () => {
    const before = new Set((await runningNodes(page)).map((node) => node.port));
    await page.getByRole('button', { name: 'Add node', exact: true }).click();
    await waitUntil('a fourth node appears', async () => (await runningNodes(page)).length === 4);
    added = (await runningNodes(page)).find((node) => !before.has(node.port))!;
    await waitUntil(`${added.label} shows Running`, async () => (await cellUnder(page, added.label, 'Status')) === 'Running');

    assert.equal(redisCli(added.port, ['SET', 'k', 'v']), 'OK');
    assert.equal(redisCli(added.port, ['GET', 'k']), 'v');
    // The live INFO in the table comes from the node itself, so the key shows up there too.
    await waitUntil(`${added.label} shows 1 key`, async () => (await cellUnder(page, added.label, 'Keys')) === '1');
  });

  it("shows a node's log under Details", async () => {
    await page.getByRole('button', { name: `Details and log of ${added.label}` }).click();
    const details = page.getByRole('region', { name: added.label });
    await waitUntil('the log shows the node became ready', async () => (await details.innerText()).includes('Ready to accept connections'));
    // A picture to look at after a run; the README's picture comes from lab-replication.test.ts.
    const shot = join(ROOT, 'test-results', 'lab-ui.png');
    mkdirSync(dirname(shot), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
  });

  it('stops the node with its Stop button, and its port refuses connections', async () => {
    await page.getByRole('button', { name: `Stop node ${added.label}`, exact: true }).click();
    await page.getByRole('button', { name: `Start node ${added.label}`, exact: true }).waitFor({ timeout: 30000 });
    await waitUntil(`${added.label} shows Stopped`, async () => (await cellUnder(page, added.label, 'Status')) === 'Stopped');
    assert.equal(await tryConnect(added.port), 'ECONNREFUSED');
    assert.deepEqual(pageErrors, [], 'the page threw no uncaught errors');
  });
});
