// Link faults through the lab host itself (LabHost, as browser mode and the Electron window use it):
// a new lab's replicas reach their master through the lab's relays, a cut longer than the master's
// backlog ends in a full sync, faults are refused clearly where there is no relay or the limits make
// no sense, and the links survive the lab closing and opening again (new relays, no fault).
// Everything about the nodes is checked with Debian's redis-cli.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { LAB_PARAM_CHECKS, type NodeSummary } from '../../../src-main/api/index.js';
import { LabHost } from '../../../src-main/host/lab-host.js';
import { waitUntil } from '../../support/browser.js';
import { redisCli, ROOT, tempDir } from '../../support/servers.js';

const WORKER = join(ROOT, 'out', 'main', 'node-worker.js');

function infoField(port: number, field: string): string {
  const line = redisCli(port, ['INFO'])
    .split(/\r?\n/)
    .find((l) => l.startsWith(`${field}:`));
  return line?.slice(field.length + 1) ?? '';
}

describe('link faults through the lab host', () => {
  const dataDir = tempDir('replicalab-links-');
  let lab: LabHost | undefined;
  let master: NodeSummary;
  let replica: NodeSummary;

  const summary = async (id: string): Promise<NodeSummary> => (await lab!.listNodes()).find((node) => node.id === id)!;
  const inSync = (): boolean => infoField(replica.port, 'master_repl_offset') === infoField(master.port, 'master_repl_offset');

  before(async () => {
    lab = await LabHost.open({ dataDir, workerScript: WORKER });
    [master, replica] = (await lab.listNodes()) as [NodeSummary, NodeSummary];
    await waitUntil('the replica is linked', () => infoField(replica.port, 'master_link_status') === 'up');
  });

  after(async () => {
    await lab?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("a cut longer than the master's backlog ends in a full sync, which the events tell", async () => {
    assert.equal(redisCli(master.port, ['CONFIG', 'SET', 'repl-backlog-size', '16kb']), 'OK');
    const fullBefore = Number(infoField(master.port, 'sync_full'));
    const cut = await lab!.cutLink(replica.id);
    assert.deepEqual(cut.master?.relay?.fault, { kind: 'cut' });
    await waitUntil('the link is down', () => infoField(replica.port, 'master_link_status') === 'down');
    const value = 'v'.repeat(200);
    redisCli(master.port, [], Array.from({ length: 500 }, (_, i) => `SET overflow:${i} ${value}`).join('\n') + '\n');
    await lab!.restoreLink(replica.id);
    await waitUntil('the replica caught up', inSync);
    assert.equal(Number(infoField(master.port, 'sync_full')), fullBefore + 1, "the master's sync_full went up by one");
    assert.equal(redisCli(replica.port, ['DEBUG', 'DIGEST']), redisCli(master.port, ['DEBUG', 'DIGEST']));
    await waitUntil('the events say the replica got a full resync', async () =>
      (await lab!.listEvents(50)).some(
        (e) => e.nodeId === replica.id && e.kind === 'link-fault' && e.message.includes('Full resync from master'),
      ),
    );
    const messages = (await lab!.listEvents(50)).filter((e) => e.nodeId === replica.id && e.kind === 'link-fault').map((e) => e.message);
    assert.ok(
      messages.some((m) => /^link cut at the relay \(port \d+\): 1 connection closed/.test(m)),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) => m.startsWith('link restored at the relay')),
      messages.join('\n'),
    );
  });

  test('a fault on a node without a relayed link, or a Slow without limits, is refused and changes nothing', async () => {
    await assert.rejects(lab!.cutLink(master.id), /has no link made in the lab to apply a fault to/);
    assert.throws(
      () => LAB_PARAM_CHECKS.slowLink!([replica.id, { bandwidthKBps: 0, delayMs: 0 }]),
      /needs a bandwidth limit, a delay, or both/,
    );
    assert.throws(() => LAB_PARAM_CHECKS.slowLink!([replica.id, { bandwidthKBps: -1, delayMs: 10 }]), /bandwidth must be a whole number/);
    assert.throws(
      () => LAB_PARAM_CHECKS.slowLink!([replica.id, { bandwidthKBps: 10, delayMs: 600_000 }]),
      /delay must be a whole number of ms from 0 to 60000/,
    );
    assert.deepEqual((await summary(replica.id)).master?.relay?.fault, { kind: 'none' });
  });

  test('promoting the replica closes its relay; linking it again opens a new one', async () => {
    const before = (await summary(replica.id)).master!.relay!.port;
    await lab!.linkNode(replica.id, null);
    assert.equal(infoField(replica.port, 'role'), 'master');
    assert.match(redisCli(before, ['PING']), /Connection refused|^$/, 'nothing listens on the old relay port');
    const linked = await lab!.linkNode(replica.id, master.id);
    assert.notEqual(linked.master?.relay?.port, undefined);
    await waitUntil('the link is up again', () => infoField(replica.port, 'master_link_status') === 'up');
    assert.equal(infoField(replica.port, 'master_port'), String((await summary(replica.id)).master!.relay!.port));
  });

  test('the links survive the lab closing and opening again: new relays, no fault', async () => {
    await lab!.stallLink(replica.id);
    await lab!.close();
    lab = await LabHost.open({ dataDir, workerScript: WORKER });
    await waitUntil('the replica is linked again', () => infoField(replica.port, 'master_link_status') === 'up');
    const relay = (await summary(replica.id)).master!.relay!;
    assert.equal(relay.masterPort, master.port);
    assert.deepEqual(relay.fault, { kind: 'none' }, 'faults are not stored');
    assert.equal(infoField(replica.port, 'master_port'), String(relay.port));
  });
});
