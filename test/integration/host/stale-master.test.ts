// The warning before starting a master that would come back with older data than its replicas:
// LabHost with real nodes; what the warning says is checked against what really happens when the
// master is started anyway (the replicas resync and lose the newer writes), and the way out it
// offers (promote the replica, start the old master as its replica) keeps them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeSummary } from '../../../src-main/api/index.js';
import { LabHost } from '../../../src-main/host/lab-host.js';
import { waitUntil } from '../../support/browser.js';
import { redisCli, ROOT, tempDir } from '../../support/servers.js';

const WORKER = join(ROOT, 'out', 'main', 'node-worker.js');

function replicationInfo(port: number): Map<string, string> {
  return new Map(
    redisCli(port, ['INFO', 'replication'])
      .split(/\r?\n/)
      .filter((line) => line.includes(':'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)] as [string, string]),
  );
}

describe('starting a master with older data than its replicas', () => {
  const dataDir = tempDir('replicalab-stale-');
  let lab: LabHost;
  let n1: NodeSummary;
  let n2: NodeSummary;
  let n3: NodeSummary;

  /** Writes on the master and waits until both replicas have it, and the lab has seen their offsets. */
  async function writeEverywhere(master: NodeSummary, replicas: NodeSummary[], key: string): Promise<void> {
    assert.equal(redisCli(master.port, ['SET', key, 'v']), 'OK');
    const offset = replicationInfo(master.port).get('master_repl_offset');
    for (const r of replicas) await waitUntil(`${r.name} has ${key}`, () => replicationInfo(r.port).get('master_repl_offset') === offset);
    await waitUntil('the lab sees the replicas caught up', async () =>
      (await lab.listNodes()).filter((n) => replicas.some((r) => r.id === n.id)).every((n) => String(n.info?.masterReplOffset) === offset),
    );
  }

  before(async () => {
    lab = await LabHost.open({ dataDir, workerScript: WORKER });
    [n1, n2, n3] = (await lab.listNodes()) as [NodeSummary, NodeSummary, NodeSummary];
    for (const r of [n2, n3]) await waitUntil(`${r.name} links up`, () => replicationInfo(r.port).get('master_link_status') === 'up');
  });

  after(async () => {
    await lab?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a crashed master without a dump.rdb: the warning says it would start empty, and starting anyway empties its replicas', async () => {
    await writeEverywhere(n1, [n2, n3], 'lost:if-started');
    await lab.crashNode(n1.id);
    const warning = await lab.startWarning(n1.id, 'start');
    assert.ok(warning, 'a warning');
    assert.equal(warning.loadsOffset, null);
    assert.deepEqual(warning.replicas.map((r) => r.id).sort(), [n2.id, n3.id].sort());
    assert.match(warning.message, /no dump\.rdb, so it would start empty/);
    assert.ok(warning.replicas.every((r) => r.keys === 1 && r.offset > 0));

    // What it said: started anyway, the master is empty and its replicas resync to empty.
    await lab.startNode(n1.id);
    for (const r of [n2, n3])
      await waitUntil(`${r.name} resyncs to the empty master`, () => redisCli(r.port, ['EXISTS', 'lost:if-started']) === '0');
  });

  test('"promote instead" keeps the newer writes: the replica becomes the master and the old one starts as its replica', async () => {
    await writeEverywhere(n1, [n2, n3], 'kept:by-promotion');
    await lab.crashNode(n1.id);
    const warning = (await lab.startWarning(n1.id, 'start'))!;
    assert.ok(warning.promote.id === n2.id || warning.promote.id === n3.id);
    const promoted = warning.promote.id === n2.id ? n2 : n3;
    const started = await lab.promoteInstead(n1.id, promoted.id, 'start');
    assert.equal(started.replicaOf, promoted.id);
    assert.equal(replicationInfo(promoted.port).get('role'), 'master');
    assert.equal(started.master?.nodeId, promoted.id);
    assert.equal(started.master!.relay!.masterPort, promoted.port);
    assert.equal(replicationInfo(n1.port).get('master_port'), String(started.master!.relay!.port));
    await waitUntil(
      'the old master gets the newer data from the promoted replica',
      () => redisCli(n1.port, ['GET', 'kept:by-promotion']) === 'v',
    );
    assert.equal(redisCli(promoted.port, ['GET', 'kept:by-promotion']), 'v');
    assert.equal(await lab.startWarning(n1.id, 'start'), null, 'a node the lab starts as a replica needs no warning');
  });

  test('no warning for a graceful restart with save points; a warning once the master saves nothing', async () => {
    const master = (await lab.listNodes()).find((n) => n.status === 'running' && n.info?.role === 'master' && n.info.connectedSlaves > 0)!;
    assert.equal(await lab.startWarning(master.id, 'restart'), null, 'the graceful stop saves what the replicas have');
    assert.equal(redisCli(master.port, ['SAVE']), 'OK');
    assert.equal(redisCli(master.port, ['CONFIG', 'SET', 'save', '']), 'OK');
    const replicas = (await lab.listNodes()).filter((n) => n.master?.nodeId === master.id);
    await writeEverywhere(master, replicas, 'after:the-save');
    const warning = await lab.startWarning(master.id, 'restart');
    assert.ok(warning, 'a warning');
    assert.ok(warning.loadsOffset !== null && warning.replicas.every((r) => r.offset > warning.loadsOffset!));
    assert.match(warning.message, /dump\.rdb, saved at replication offset \d+ with \d+ keys/);
  });
});
