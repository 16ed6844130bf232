// Replication as a user does it in the lab: browser mode in Debian's Chromium, a new lab's master
// and two replicas, a link moved by choosing a master in a node's "Replicate from…" list, the
// topology and roles read off the page, data written on the master with Debian's redis-cli and read back on the replicas, a REPLICAOF loop
// warned about and broken, a promotion, and a crash. Run after `npm run build`.
// With UPDATE_SCREENSHOT=1 it also replaces the README's docs/screenshot.png (a master, two replicas
// and their lag chart); otherwise the picture goes to test-results/ only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { waitUntil, type BrowserModeLab } from '../support/browser.js';
import { type ShownNode, openLab, runningNodes } from '../support/lab-page.js';
import { redisCli, ROOT } from '../support/servers.js';

function nodesTable(page: Page): Locator {
  return page.getByRole('table', { name: /^Nodes of the lab/ });
}

function nodeRow(page: Page, node: ShownNode): Locator {
  return nodesTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name: `Details and log of ${node.label}` }) });
}

async function cellUnder(page: Page, node: ShownNode, header: string): Promise<string> {
  const headers = (await nodesTable(page).getByRole('columnheader').allInnerTexts()).map((h) => h.trim());
  const column = headers.indexOf(header);
  assert.notEqual(column, -1, `no "${header}" column in ${JSON.stringify(headers)}`);
  return (await nodeRow(page, node).locator('th, td').nth(column).innerText()).trim();
}

/** What the topology diagram says it shows (its SVG description). */
async function topologyText(page: Page): Promise<string> {
  const diagram = page.getByRole('img', { name: 'Replication topology' });
  return (await diagram.locator('desc').textContent()) ?? '';
}

/**
 * `replica` replicates from `master`, as both nodes say: the master's INFO lists it online, and
 * the replica's master_port is the lab's relay on that link, which its Role cell names.
 */
async function assertListedBy(page: Page, master: ShownNode, replica: ShownNode): Promise<void> {
  await waitUntil(`${master.name}'s INFO lists ${replica.name} online`, () =>
    new RegExp(`^slave\\d+:ip=127\\.0\\.0\\.1,port=${replica.port},state=online`, 'm').test(redisCli(master.port, ['INFO', 'replication'])),
  );
  const masterPort = /^master_port:(\d+)\r?$/m.exec(redisCli(replica.port, ['INFO', 'replication']))![1];
  assert.notEqual(Number(masterPort), master.port, 'a link made in the lab goes through its relay');
  await waitUntil(`${replica.name}'s role names the relay on port ${masterPort}`, async () =>
    (await cellUnder(page, replica, 'Role')).includes(`via relay :${masterPort}`),
  );
}

async function replicateFrom(page: Page, replica: ShownNode, master: ShownNode): Promise<void> {
  await page.getByRole('combobox', { name: `Replicate ${replica.label} from` }).selectOption({ label: master.label });
}

/** Real writes for a few seconds (redis-benchmark), so the lag chart has something to draw. */
function writeLoad(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const bench = spawn(
      'redis-benchmark',
      ['-h', '127.0.0.1', '-p', String(port), '-t', 'set', '-n', '120000', '-d', '200', '-r', '100000', '-q'],
      {
        stdio: 'ignore',
      },
    );
    bench.once('error', reject);
    bench.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`redis-benchmark exited with ${code}`))));
  });
}

describe('replication in the lab UI', () => {
  let lab: BrowserModeLab | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  let master: ShownNode;
  let replicaA: ShownNode;
  let replicaB: ShownNode;

  before(async () => {
    ({ lab, browser, page } = await openLab({ viewport: { width: 1440, height: 900 }, pageErrors, load: false }));
  });

  after(async () => {
    await browser?.close();
    const code = await lab?.stop();
    assert.equal(code, 0, `browser mode should exit cleanly on SIGTERM:\n${lab?.stderr()}`);
  });

  it('starts with a master and two replicas of it, both links up', async () => {
    await page.goto(lab!.url);
    await waitUntil('three nodes are running', async () => (await runningNodes(page)).length === 3);
    [master, replicaA, replicaB] = (await runningNodes(page)) as [ShownNode, ShownNode, ShownNode];
    for (const replica of [replicaA, replicaB]) {
      await waitUntil(`${replica.name} shows itself a replica with its link up`, async () =>
        (await cellUnder(page, replica, 'Role')).startsWith(`replica of ${master.name} link up`),
      );
      await assertListedBy(page, master, replica);
    }
    await waitUntil('the topology shows both links up', async () => {
      const text = await topologyText(page);
      return [replicaA, replicaB].every((replica) =>
        new RegExp(`${replica.name} replicates from ${master.name}( through the lab's relay on port \\d+)?, link up\\.`).test(text),
      );
    });
    await waitUntil(`${master.name} counts its replicas`, async () => (await cellUnder(page, master, 'Role')) === 'master · 2 replicas');
  });

  it('moves a replica to another master by choosing it in "Replicate from…", and back', async () => {
    await replicateFrom(page, replicaB, replicaA);
    await waitUntil(`${replicaB.name} shows itself a replica of ${replicaA.name}`, async () =>
      (await cellUnder(page, replicaB, 'Role')).startsWith(`replica of ${replicaA.name} link up`),
    );
    await assertListedBy(page, replicaA, replicaB);
    await replicateFrom(page, replicaB, master);
    await waitUntil(`${replicaB.name} shows itself a replica of ${master.name} again`, async () =>
      (await cellUnder(page, replicaB, 'Role')).startsWith(`replica of ${master.name} link up`),
    );
    await assertListedBy(page, master, replicaB);
  });

  it('makes a replica of another node by dragging it onto that node in the topology, and back', async () => {
    const box = (node: ShownNode): Locator =>
      page.getByRole('img', { name: 'Replication topology' }).locator('g.vertex', { hasText: node.name });
    await box(replicaB).dragTo(box(replicaA));
    await waitUntil(`${replicaB.name} shows itself a replica of ${replicaA.name}`, async () =>
      (await cellUnder(page, replicaB, 'Role')).startsWith(`replica of ${replicaA.name} link up`),
    );
    await assertListedBy(page, replicaA, replicaB);
    await waitUntil('the topology draws the chain', async () =>
      new RegExp(`${replicaB.name} replicates from ${replicaA.name}( through the lab's relay on port \\d+)?, link up\\.`).test(
        await topologyText(page),
      ),
    );
    await box(replicaB).dragTo(box(master));
    await waitUntil(`${replicaB.name} shows itself a replica of ${master.name} again`, async () =>
      (await cellUnder(page, replicaB, 'Role')).startsWith(`replica of ${master.name} link up`),
    );
    await assertListedBy(page, master, replicaB);
  });

  it('replicates a write made with redis-cli, and charts the lag of both replicas', async () => {
    assert.equal(redisCli(master.port, ['SET', 'ui:key', 'from the master']), 'OK');
    for (const replica of [replicaA, replicaB]) {
      await waitUntil(`${replica.name} has the key`, () => redisCli(replica.port, ['GET', 'ui:key']) === 'from the master');
    }
    await writeLoad(master.port);
    const chart = page.getByRole('img', { name: new RegExp(`^Bytes each replica of ${master.label.replace(/[()]/g, '\\$&')}`) });
    await waitUntil('the lag chart names both replicas', async () => {
      const name = (await chart.getAttribute('aria-label')) ?? '';
      return name.includes(`${replicaA.name} `) && name.includes(`${replicaB.name} `);
    });
    assert.equal(await chart.locator('polyline').count(), 2);

    // The picture shows a replica's own log of the sync next to the chart.
    await page.getByRole('button', { name: `Details and log of ${replicaA.label}` }).click();
    await waitUntil(`${replicaA.name}'s log shows the finished sync`, async () =>
      (await page.getByRole('region', { name: replicaA.label }).innerText()).includes('MASTER <-> REPLICA sync: Finished with success'),
    );
    const shot =
      process.env.UPDATE_SCREENSHOT === '1' ? join(ROOT, 'docs', 'screenshot.png') : join(ROOT, 'test-results', 'lab-replication.png');
    mkdirSync(dirname(shot), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
  });

  it('warns about a REPLICAOF loop and breaks it with the promote button it offers', async () => {
    await replicateFrom(page, master, replicaA);
    const warning = page.getByRole('alert').filter({ hasText: 'REPLICAOF loop' });
    await warning.waitFor({ timeout: 30000 });
    assert.match(await warning.innerText(), new RegExp(`${master.name} → ${replicaA.name} → ${master.name}`));

    await warning.getByRole('button', { name: `Promote ${master.label} to master to break the loop` }).click();
    await warning.waitFor({ state: 'detached', timeout: 30000 });
    await waitUntil(`${master.name} is a master again`, async () => (await cellUnder(page, master, 'Role')).startsWith('master'));
    await waitUntil(`${replicaA.name} links up to it again`, async () =>
      (await cellUnder(page, replicaA, 'Role')).startsWith(`replica of ${master.name} link up`),
    );
  });

  it('promotes a replica to master with its Promote button', async () => {
    await page.getByRole('button', { name: `Promote ${replicaB.label} to master`, exact: true }).click();
    await waitUntil(`${replicaB.name} shows role master`, async () => (await cellUnder(page, replicaB, 'Role')) === 'master');
    assert.match(redisCli(replicaB.port, ['INFO', 'replication']), /^role:master\r?$/m);
    assert.equal(redisCli(replicaB.port, ['SET', 'ui:own', 'writable']), 'OK', 'a promoted node accepts writes');
    await waitUntil('the topology no longer links it', async () => !(await topologyText(page)).includes(`${replicaB.name} replicates`));
  });

  it('crashes the master after a confirmation; its replica keeps serving and shows the link down', async () => {
    await page.getByRole('button', { name: `Crash node ${master.label}`, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Crash ${master.label}?` });
    await dialog.getByRole('button', { name: 'Crash node', exact: true }).click();
    // The status cell also says why: "crashed on request: its thread was terminated without saving".
    await waitUntil(`${master.name} shows Crashed`, async () => (await cellUnder(page, master, 'Status')).startsWith('Crashed\n'));
    assert.equal(redisCli(replicaA.port, ['GET', 'ui:key']), 'from the master');
    await waitUntil(`${replicaA.name} shows its link down`, async () =>
      (await cellUnder(page, replicaA, 'Role')).startsWith(`replica of ${master.name} link down`),
    );
    assert.match(
      await topologyText(page),
      new RegExp(`${replicaA.name} replicates from ${master.name}( through the lab's relay on port \\d+)?, link down`),
    );
    assert.deepEqual(pageErrors, [], 'the page threw no uncaught errors');
  });
});
