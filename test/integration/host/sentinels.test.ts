// Sentinels run by the lab, through LabHost with real nodes and real Sentinels (the engine's
// Sentinel mode in worker threads): three on the default master with quorum 2, the master crashed
// by the failover demo, a replica promoted, the Sentinels' events recorded, the stored links
// following what the Sentinels did, and the old master back as a replica when restarted.
// Roles are checked on the nodes with Debian's redis-cli. The data dir has a space and a quote in
// its name: sentinel.conf's dir and logfile are quoted as redis.conf's are.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeSummary } from '../../../src-main/api/index.js';
import { LabHost } from '../../../src-main/host/lab-host.js';
import { waitUntil } from '../../support/browser.js';
import { nodesOnFreePorts } from '../../support/lab-nodes.js';
import { redisCli, ROOT, tempDir } from '../../support/servers.js';

const WORKER = join(ROOT, 'out', 'main', 'node-worker.js');

function role(port: number): { role: string; masterPort: string | undefined } {
  const info = redisCli(port, ['INFO', 'replication']);
  return { role: /^role:(\w+)/m.exec(info)![1]!, masterPort: /^master_port:(\d+)/m.exec(info)?.[1] };
}

describe('Sentinels in the lab', () => {
  const dataDir = tempDir("replicalab-sentinels a dir's-");
  let lab: LabHost;
  let master: NodeSummary;
  let replicas: NodeSummary[];

  before(async () => {
    lab = await LabHost.open({ dataDir, workerScript: WORKER });
    [master, ...replicas] = (await nodesOnFreePorts(lab, 3, { linked: true })) as [NodeSummary, ...NodeSummary[]];
  });

  after(async () => {
    await lab?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('three Sentinels on the master find each other and the replicas; each has its own sentinel.conf', async () => {
    await assert.rejects(lab.sentinelFailoverDemo(master.id), /needs at least 2 running Sentinels monitoring it \(it has 0\)/);
    assert.equal((await lab.listNodes()).find((n) => n.id === master.id)!.status, 'running', 'the refused demo crashed nothing');
    for (let i = 0; i < 3; i++) await lab.addSentinel({ masterId: master.id, quorum: 2, downAfterMs: 1000, failoverTimeoutMs: 5000 });
    const sentinels = await lab.listSentinels();
    assert.equal(sentinels.length, 3);
    for (const s of sentinels) {
      assert.equal(s.status, 'running');
      const conf = readFileSync(join(s.dir, 'sentinel.conf'), 'utf8');
      assert.match(conf, new RegExp(`sentinel monitor \\S+ 127\\.0\\.0\\.1 ${master.port} 2`), 'it monitors the real port, not a relay');
      assert.equal(redisCli(s.port, ['PING']), 'PONG');
    }
    await waitUntil('each Sentinel sees the 2 others and the 2 replicas', async () =>
      (await lab.listSentinels()).every(
        (s) => s.view?.numOtherSentinels === 2 && s.view.numSlaves === 2 && s.view.masterNodeId === master.id,
      ),
    );
  });

  test('the failover demo crashes the master; a replica is promoted and writable, the events and stored links follow', async () => {
    const result = await lab.sentinelFailoverDemo(master.id, 60_000);
    assert.ok(replicas.some((r) => r.id === result.newMasterId));
    assert.ok(result.msToWritable > 900, `not before down-after-milliseconds (${result.msToWritable} ms)`);
    const promoted = replicas.find((r) => r.id === result.newMasterId)!;
    const other = replicas.find((r) => r.id !== result.newMasterId)!;
    assert.equal(role(promoted.port).role, 'master');
    assert.equal(redisCli(promoted.port, ['SET', 'after', '1']), 'OK');

    await waitUntil(
      'the other replica is re-pointed to the new master, directly',
      () => role(other.port).masterPort === String(promoted.port),
      30_000,
    );
    await waitUntil(
      'the Sentinels agree on the new master',
      async () => (await lab.listSentinels()).every((s) => s.view?.port === promoted.port),
      30_000,
    );
    const messages = (await lab.listEvents(1000)).filter((e) => e.kind === 'sentinel').map((e) => e.message);
    for (const event of [
      '+sdown master',
      '+odown master',
      '+new-epoch',
      '+vote-for-leader',
      '+elected-leader',
      '+selected-slave',
      '+promoted-slave',
      '+switch-master',
    ]) {
      assert.ok(
        messages.some((m) => m.startsWith(event)),
        `recorded ${event}`,
      );
    }
    assert.ok(messages.some((m) => m.includes('failover demo:') && m.includes('accepted SET')));
    const nodes = await lab.listNodes();
    const byId = (id: string): NodeSummary => nodes.find((n) => n.id === id)!;
    assert.equal(byId(promoted.id).replicaOf, null);
    assert.equal(byId(master.id).replicaOf, promoted.id, 'the crashed master is stored as a replica of the new one');
    await waitUntil(
      'the other replica is stored under the new master',
      async () => (await lab.listNodes()).find((n) => n.id === other.id)!.replicaOf === promoted.id,
      30_000,
    );
    assert.ok((await lab.listSentinels()).every((s) => (s.currentEpoch ?? 0) >= 1));
  });

  test('the old master restarted comes back as a replica of the new master', async () => {
    const promoted = (await lab.listNodes()).find((n) => n.id !== master.id && n.replicaOf === null)!;
    await lab.startNode(master.id);
    await waitUntil(
      'the old master replicates from the new one',
      () => {
        const info = redisCli(master.port, ['INFO', 'replication']);
        return /^role:slave/m.test(info) && /^master_link_status:up/m.test(info);
      },
      30_000,
    );
    assert.equal(redisCli(master.port, ['GET', 'after']), '1');
    assert.equal((await lab.listNodes()).find((n) => n.id === master.id)!.master?.nodeId, promoted.id);
  });

  test("the export holds the Sentinels' events, logs and config files", async () => {
    const archive = await lab.exportLogs();
    const names = execFileSync('tar', ['-tzf', archive.file], { encoding: 'utf8' }).split('\n');
    for (const s of await lab.listSentinels()) {
      assert.ok(names.includes(`sentinels/${s.id}-${s.name}/sentinel.log`), `${s.name}'s log is in the archive`);
      assert.ok(names.includes(`sentinels/${s.id}-${s.name}/sentinel.conf`));
    }
    const events = execFileSync('tar', ['-xzOf', archive.file, 'events.ndjson'], { encoding: 'utf8' });
    assert.match(events, /"kind":"sentinel".*\+switch-master/);
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', archive.file, 'manifest.json'], { encoding: 'utf8' })) as {
      sentinels: unknown[];
    };
    assert.equal(manifest.sentinels.length, 3);
  });

  test('a Sentinel stops, crashes and restarts like a node; removing it deletes its directory', async () => {
    const [s] = await lab.listSentinels();
    assert.equal((await lab.crashSentinel(s!.id)).status, 'crashed');
    assert.equal((await lab.startSentinel(s!.id)).status, 'running');
    assert.equal((await lab.stopSentinel(s!.id)).status, 'stopped');
    assert.equal((await lab.restartSentinel(s!.id)).status, 'running');
    await lab.removeSentinel(s!.id);
    assert.equal(existsSync(s!.dir), false);
    assert.equal((await lab.listSentinels()).length, 2);
  });

  test('the lab reopened starts its Sentinels again, from their own rewritten config files', async () => {
    await lab.close();
    lab = await LabHost.open({ dataDir, workerScript: WORKER });
    const sentinels = await lab.listSentinels();
    assert.equal(sentinels.length, 2);
    const promoted = (await lab.listNodes()).find((n) => n.replicaOf === null)!;
    await waitUntil('each Sentinel runs and holds the promoted master, as its sentinel.conf says', async () =>
      (await lab.listSentinels()).every((s) => s.status === 'running' && s.view?.masterNodeId === promoted.id),
    );
    for (const s of sentinels)
      assert.match(readFileSync(join(s.dir, 'sentinel.conf'), 'utf8'), new RegExp(`127\\.0\\.0\\.1 ${promoted.port} 2`));
  });
});
