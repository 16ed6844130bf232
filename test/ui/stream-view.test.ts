// The replication stream view in Chromium at 1024x700, checked against the nodes: a new lab's master
// and two replicas (each link through the lab's relay). A `SET demo 1` typed with Debian's redis-cli
// shows with its RESP size and the master's offset after it; after writes stop and a PING period the
// last offset shown is the master's master_repl_offset from INFO; the filter, the ACK toggle, Pause,
// Resume and Clear work by their accessible names; a link REPLICAOF sent around the relay is shown as
// not watchable, and the offered control routes it through a relay again, after which its resync is
// shown. Run after `npm run build`. With UPDATE_SCREENSHOT=1 it also replaces docs/stream-view.png.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { screenshotDetails, waitUntil, type BrowserModeLab } from '../support/browser.js';
import { type ShownNode, infoField, openLab } from '../support/lab-page.js';
import { redisCli, ROOT } from '../support/servers.js';

const PING_BYTES = Buffer.byteLength('*1\r\n$4\r\nPING\r\n');

describe('the replication stream view', () => {
  let lab: BrowserModeLab | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  let master: ShownNode;
  let replicas: ShownNode[];

  const view = (): Locator => page.getByRole('tabpanel', { name: 'Stream' });
  const log = (): Locator => view().getByRole('log');
  const rows = (): Locator => log().locator('li.entry');
  const row = (text: string): Locator => rows().filter({ hasText: text });
  const offsetOf = async (entry: Locator): Promise<number> => Number(await entry.locator('.offset').innerText());

  async function openStreamOf(node: ShownNode): Promise<void> {
    await page.getByRole('button', { name: `Details and log of ${node.label}` }).click();
    await page.getByRole('tab', { name: 'Stream' }).click();
    await view().waitFor();
  }

  before(async () => {
    let nodes: ShownNode[];
    ({ lab, browser, page, nodes } = await openLab({ viewport: { width: 1024, height: 700 }, pageErrors }));
    [master, ...replicas] = nodes as [ShownNode, ...ShownNode[]];
    for (const replica of replicas) {
      await waitUntil(`${replica.name}'s link is up`, () => infoField(replica.port, 'master_link_status') === 'up', 60000);
    }
    // A PING a second: a quiet link's offset moves, and "a PING period" is short.
    assert.equal(redisCli(master.port, ['CONFIG', 'SET', 'repl-ping-replica-period', '1']), 'OK');
  });

  after(async () => {
    await browser?.close();
    const code = await lab?.stop();
    assert.equal(code, 0, `browser mode should exit cleanly on SIGTERM:\n${lab?.stderr()}`);
    assert.deepEqual(pageErrors, []);
  });

  it('shows SET demo 1 typed with redis-cli with its bytes and the offset after it; the last offset is master_repl_offset', async () => {
    const replica = replicas[0]!;
    await openStreamOf(replica);
    await waitUntil('the view watches the link', async () => (await view().innerText()).includes('relay 127.0.0.1:'));
    await waitUntil('a PING in the view', async () => (await row('"PING"').count()) > 0);

    assert.equal(redisCli(master.port, ['SET', 'demo', '1']), 'OK');
    const offsetAfter = Number(infoField(master.port, 'master_repl_offset', 'replication'));
    const set = row('"SET" "demo" "1"');
    await waitUntil('SET demo 1 in the view', async () => (await set.count()) === 1);
    assert.equal(await set.locator('.bytes').innerText(), `${Buffer.byteLength('*3\r\n$3\r\nSET\r\n$4\r\ndemo\r\n$1\r\n1\r\n')} B`);
    const setOffset = await offsetOf(set);
    // Only a PING can come between the SET and the INFO that read the offset.
    await page.waitForTimeout(1200);
    const pingOffsets = await Promise.all((await row('"PING"').all()).map(offsetOf));
    const pingsBetween = pingOffsets.filter((offset) => offset > setOffset && offset <= offsetAfter).length;
    assert.equal(setOffset, offsetAfter - pingsBetween * PING_BYTES);

    // Writes stop; after a PING period the last offset shown is the master's own.
    await page.waitForTimeout(1500);
    const shownLast = view().getByTestId('stream-last-offset');
    await waitUntil(
      'the last offset shown equals master_repl_offset',
      async () => Number(await shownLast.innerText()) === Number(infoField(master.port, 'master_repl_offset', 'replication')),
      10000,
    );
    assert.equal(await offsetOf(rows().last()), Number(await shownLast.innerText()));
  });

  it('filters by command name, shows the replica’s ACKs on request, and pauses, resumes and clears', async () => {
    // A transaction and writes to another database: SELECT, MULTI, EXEC in the stream.
    redisCli(master.port, [], 'SELECT 2\nMULTI\nSET a 1\nINCR n\nEXEC\n');
    await waitUntil('EXEC in the view', async () => (await row('"EXEC"').count()) > 0);
    const filter = view().getByRole('searchbox', { name: 'Filter by command name' });
    await filter.fill('set');
    await waitUntil('only SET lines', async () => {
      const texts = await rows().locator('.text').allInnerTexts();
      return texts.length >= 2 && texts.every((text) => text.startsWith('"SET"'));
    });
    await filter.fill('');

    assert.equal(await row('"REPLCONF" "ACK"').count(), 0, 'no ACK lines by default');
    await view().getByRole('checkbox', { name: "Replica's ACKs" }).check();
    await waitUntil('ACK lines from the replica', async () => (await row('"REPLCONF" "ACK"').count()) > 0);
    const ackOffset = await offsetOf(row('"REPLCONF" "ACK"').last());
    assert.ok(ackOffset <= Number(infoField(master.port, 'master_repl_offset', 'replication')));

    const pause = view().getByRole('button', { name: 'Pause the stream view' });
    await pause.click();
    const frozen = await rows().count();
    assert.equal(redisCli(master.port, ['SET', 'while', 'paused']), 'OK');
    await page.waitForTimeout(1000);
    assert.equal(await rows().count(), frozen, 'nothing added while paused');
    const resume = view().getByRole('button', { name: 'Resume the stream view' });
    assert.match(await resume.innerText(), /Resume \(\d+ new\)/);
    await resume.click();
    await waitUntil('the write made while paused shows after Resume', async () => (await row('"SET" "while" "paused"').count()) === 1);

    if (process.env.UPDATE_SCREENSHOT === '1') await screenshotDetails(page, join(ROOT, 'docs', 'stream-view.png'));
    else await screenshotDetails(page, join(ROOT, 'test-results', 'stream-view.png'));

    await view().getByRole('button', { name: 'Clear the stream view' }).click();
    await waitUntil('the view is cleared', async () => (await rows().count()) <= 2);
  });

  it('says a direct link cannot be watched, and routes it through a relay on request, showing its resync', async () => {
    const replica = replicas[1]!;
    assert.equal(redisCli(replica.port, ['REPLICAOF', '127.0.0.1', String(master.port)]), 'OK');
    await waitUntil('the replica reaches the master directly', () => infoField(replica.port, 'master_port') === String(master.port));
    await openStreamOf(replica);
    await waitUntil('the view says the link is direct', async () => (await view().innerText()).includes('reaches its master directly'));
    await view()
      .getByRole('button', { name: `Route ${replica.name}'s link through the lab's relay` })
      .click();
    await waitUntil('the link goes through a relay again', () => infoField(replica.port, 'master_port') !== String(master.port), 20000);
    await waitUntil(
      'the resync shows in the view',
      async () => (await row('+FULLRESYNC').count()) + (await row('+CONTINUE').count()) > 0,
      20000,
    );
    await waitUntil('the replica is in sync', () => infoField(replica.port, 'master_link_status') === 'up');
  });
});
