// Link faults as a user applies them: browser mode in Debian's Chromium, a new lab's master and two
// replicas (each link through the lab's relay), and the Cut, Stall, Slow and Restore buttons of the
// "Link faults" list, found by their accessible names. What each did is checked where a user would
// look: the nodes' own INFO with Debian's redis-cli (master_link_status, sync_partial_ok, offsets),
// DEBUG DIGEST on master and replica, the event list, and the page's text. Run after `npm run build`.
// With UPDATE_SCREENSHOT=1 it also replaces docs/link-faults.png; otherwise the picture goes to
// test-results/ only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { waitUntil, type BrowserModeLab } from '../support/browser.js';
import { type ShownNode, infoField, openLab } from '../support/lab-page.js';
import { redisCli, ROOT } from '../support/servers.js';

describe('link faults in the lab UI', () => {
  let lab: BrowserModeLab | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  let master: ShownNode;
  let replica: ShownNode;

  const faults = (): Locator => page.getByRole('region', { name: 'Link faults' });
  const linkItem = (): Locator => faults().getByRole('listitem', { name: `Link from ${master.name} to ${replica.name}` });
  const linkName = (): string => `the link from ${master.label} to ${replica.label}`;
  const events = (): Locator => page.getByRole('region', { name: /^Events/ });
  const linkStatus = (): string => infoField(replica.port, 'master_link_status');

  before(async () => {
    let nodes: ShownNode[];
    ({ lab, browser, page, nodes } = await openLab({ viewport: { width: 1440, height: 1000 }, pageErrors }));
    [master, replica] = nodes as [ShownNode, ShownNode];
    await waitUntil('the replica is linked', () => linkStatus() === 'up');
  });

  after(async () => {
    await browser?.close();
    const code = await lab?.stop();
    assert.equal(code, 0, `browser mode should exit cleanly on SIGTERM:\n${lab?.stderr()}`);
  });

  it("shows each link through the lab's relay, and that the replica's master_port is the relay's", async () => {
    const relayPort = Number(infoField(replica.port, 'master_port'));
    assert.notEqual(relayPort, master.port);
    await linkItem().waitFor();
    const text = await linkItem().innerText();
    assert.ok(text.includes(`relay 127.0.0.1:${relayPort}`), text);
    assert.ok(
      text.includes(`master_port in ${replica.name}'s INFO is ${relayPort} (the relay), the master listens on ${master.port}`),
      text,
    );
    assert.ok(text.includes('no fault'), text);
    // The master's INFO lists the replica as it is: 127.0.0.1 and its own port.
    assert.match(
      redisCli(master.port, ['INFO', 'replication']),
      new RegExp(`slave\\d+:ip=127\\.0\\.0\\.1,port=${replica.port},state=online`),
    );
  });

  it('Cut drops the link and keeps it down; writes made meanwhile arrive by a partial resync after Restore', async () => {
    assert.equal(redisCli(master.port, ['SET', 'before:cut', '1']), 'OK');
    await waitUntil('the replica has the first write', () => redisCli(replica.port, ['GET', 'before:cut']) === '1');
    const partialBefore = Number(infoField(master.port, 'sync_partial_ok'));
    const fullBefore = Number(infoField(master.port, 'sync_full'));

    await page.getByRole('button', { name: `Cut ${linkName()}` }).click();
    await waitUntil('the link shows cut', async () => (await linkItem().innerText()).includes('cut'));
    await waitUntil("the replica's INFO says its link is down", () => linkStatus() === 'down');
    for (let i = 0; i < 50; i++) assert.equal(redisCli(master.port, ['SET', `during:cut:${i}`, `v${i}`]), 'OK');
    // The replica retries every second; the relay resets each attempt.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal(linkStatus(), 'down', 'the cut link stays down');
    assert.equal(redisCli(replica.port, ['EXISTS', 'during:cut:0']), '0');
    await waitUntil('the role column says the link is cut', async () =>
      (await page.getByRole('table', { name: /^Nodes of the lab/ }).innerText()).includes(`replica of ${master.name} link down`),
    );
    await waitUntil('the events list the cut', async () => (await events().innerText()).includes('link cut at the relay'));

    await page.getByRole('button', { name: `Restore ${linkName()}` }).click();
    await waitUntil("the replica's link is up again", () => linkStatus() === 'up');
    await waitUntil(
      'the replica has caught up',
      () => infoField(replica.port, 'master_repl_offset') === infoField(master.port, 'master_repl_offset'),
    );
    assert.equal(Number(infoField(master.port, 'sync_partial_ok')), partialBefore + 1, "the master's sync_partial_ok went up by one");
    assert.equal(Number(infoField(master.port, 'sync_full')), fullBefore, 'no full sync');
    assert.equal(redisCli(replica.port, ['GET', 'during:cut:49']), 'v49');
    assert.equal(redisCli(replica.port, ['DEBUG', 'DIGEST']), redisCli(master.port, ['DEBUG', 'DIGEST']));
    await waitUntil('the events tell the restore and the partial resync', async () => {
      const text = await events().innerText();
      return text.includes('link restored at the relay') && text.includes('Successful partial resynchronization with master');
    });
    await waitUntil('the link shows no fault', async () => (await linkItem().innerText()).includes('no fault'));
  });

  it('Stall keeps the connection but nothing flows, so the replica times out (repl-timeout 3); it reconnects after Restore', async () => {
    assert.equal(redisCli(replica.port, ['CONFIG', 'SET', 'repl-timeout', '3']), 'OK');
    await page.getByRole('button', { name: `Stall ${linkName()}` }).click();
    await waitUntil('the link shows stalled', async () => (await linkItem().innerText()).includes('stalled'));
    assert.equal(redisCli(master.port, ['SET', 'during:stall', '1']), 'OK');
    await waitUntil(
      'the events show the replica timing out',
      async () => (await events().innerText()).includes('MASTER timeout: no data nor PING received'),
      15000,
    );
    assert.equal(linkStatus(), 'down');
    assert.equal(redisCli(replica.port, ['EXISTS', 'during:stall']), '0', 'nothing flowed');

    await page.getByRole('button', { name: `Restore ${linkName()}` }).click();
    await waitUntil("the replica's link is up again", () => linkStatus() === 'up', 15000);
    await waitUntil('the stalled write arrives', () => redisCli(replica.port, ['GET', 'during:stall']) === '1');
    assert.equal(redisCli(replica.port, ['CONFIG', 'SET', 'repl-timeout', '60']), 'OK');
  });

  it('Slow limits bandwidth and adds delay: the replica lags, then holds the same data', async () => {
    const item = linkItem();
    await item.getByRole('spinbutton', { name: `Bandwidth in KB/s for ${linkName()} (0: no limit)` }).fill('32');
    await item.getByRole('spinbutton', { name: `Added delay in ms for ${linkName()}` }).fill('300');
    await page.getByRole('button', { name: `Slow ${linkName()}` }).click();
    await waitUntil('the link shows slow', async () => (await item.innerText()).includes('slow: 32 KB/s, +300 ms'));
    await waitUntil('the events list the slow link', async () =>
      (await events().innerText()).includes('32 KB/s each way, 300 ms added delay'),
    );
    // About 100 KB of writes: three seconds at 32 KB/s.
    const value = 'x'.repeat(1000);
    redisCli(master.port, [], Array.from({ length: 100 }, (_, i) => `SET slow:${i} ${value}`).join('\n') + '\n');
    const lag = Number(infoField(master.port, 'master_repl_offset')) - Number(infoField(replica.port, 'master_repl_offset'));
    assert.ok(lag > 50_000, `the replica lags behind by ${lag} bytes`);
    await waitUntil(
      'the replica catches up',
      () => infoField(replica.port, 'master_repl_offset') === infoField(master.port, 'master_repl_offset'),
      20000,
    );
    assert.equal(redisCli(replica.port, ['DEBUG', 'DIGEST']), redisCli(master.port, ['DEBUG', 'DIGEST']), 'every byte arrived unchanged');

    const shot =
      process.env.UPDATE_SCREENSHOT === '1' ? join(ROOT, 'docs', 'link-faults.png') : join(ROOT, 'test-results', 'lab-link-faults.png');
    mkdirSync(dirname(shot), { recursive: true });
    await faults().screenshot({ path: shot });

    await page.getByRole('button', { name: `Restore ${linkName()}` }).click();
    await waitUntil('the link shows no fault', async () => (await item.innerText()).includes('no fault'));
  });

  it('a Slow with neither a limit nor a delay is refused with a clear message, and changes nothing', async () => {
    const item = linkItem();
    await item.getByRole('spinbutton', { name: `Bandwidth in KB/s for ${linkName()} (0: no limit)` }).fill('0');
    await item.getByRole('spinbutton', { name: `Added delay in ms for ${linkName()}` }).fill('0');
    await page.getByRole('button', { name: `Slow ${linkName()}` }).click();
    await waitUntil('an error says why', async () =>
      (await page.locator('body').innerText()).includes('a slow link needs a bandwidth limit, a delay, or both'),
    );
    assert.ok((await item.innerText()).includes('no fault'));
    assert.deepEqual(pageErrors, []);
  });
});
