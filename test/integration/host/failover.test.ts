// FAILOVER from the lab, through LabHost with real nodes: the master is sent FAILOVER TO the chosen
// replica, goes through master_failover_state, and ends as that replica's replica; the lab records
// the states and stores the new links. FAILOVER ABORT while the master waits for a lagging replica
// leaves it a master. Roles, states and data are checked on the nodes with Debian's redis-cli.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LabEvent, NodeSummary } from '../../../src-main/api/index.js';
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

describe('failover through the lab', () => {
  const dataDir = tempDir('replicalab-failover-');
  let lab: LabHost;
  let n1: NodeSummary;
  let n2: NodeSummary;
  let n3: NodeSummary;
  const failoverEvents = async (id: string): Promise<string[]> =>
    (await lab.listEvents(1000))
      .filter((e: LabEvent) => e.nodeId === id && e.kind === 'failover')
      .map((e) => e.message)
      .reverse();
  const node = async (id: string): Promise<NodeSummary> => (await lab.listNodes()).find((n) => n.id === id)!;

  before(async () => {
    lab = await LabHost.open({ dataDir, workerScript: WORKER });
    [n1, n2, n3] = (await lab.listNodes()) as [NodeSummary, NodeSummary, NodeSummary];
    for (const replica of [n2, n3]) {
      await waitUntil(`${replica.name} links up`, () => replicationInfo(replica.port).get('master_link_status') === 'up');
    }
  });

  after(async () => {
    await lab?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('FAILOVER TO node-2: node-2 becomes the master, node-1 its replica, no write lost; the lab records it and stores the links', async () => {
    assert.equal(redisCli(n1.port, ['SET', 'before:failover', '1']), 'OK');
    await lab.failover(n1.id, n2.id);
    await waitUntil('node-1 replicates from node-2 with its link up', () => {
      const info = replicationInfo(n1.port);
      return info.get('role') === 'slave' && info.get('master_port') === String(n2.port) && info.get('master_link_status') === 'up';
    });
    assert.equal(replicationInfo(n2.port).get('role'), 'master');
    assert.equal(replicationInfo(n2.port).get('master_failover_state'), 'no-failover');
    assert.equal(replicationInfo(n1.port).get('master_failover_state'), 'no-failover');
    assert.equal(redisCli(n2.port, ['GET', 'before:failover']), '1', 'the new master has the write made before');
    assert.equal(redisCli(n2.port, ['SET', 'after:failover', '1']), 'OK');
    await waitUntil('the old master gets writes from the new one', () => redisCli(n1.port, ['GET', 'after:failover']) === '1');
    // node-3 still follows node-1, which passes node-2's stream on: a chain.
    await waitUntil('node-3 gets them through node-1', () => redisCli(n3.port, ['GET', 'after:failover']) === '1');

    await waitUntil('the lab records the end of the failover', async () =>
      (await failoverEvents(n1.id)).some((m) => m.startsWith('done:')),
    );
    const messages = await failoverEvents(n1.id);
    assert.match(messages[0]!, new RegExp(`^to ${n2.name}: FAILOVER TO 127\\.0\\.0\\.1 ${n2.port} -> OK$`));
    assert.equal((await node(n1.id)).replicaOf, n2.id);
    assert.equal((await node(n2.id)).replicaOf, null);
    assert.equal((await node(n1.id)).master?.nodeId, n2.id);
  });

  test('the stored links keep the new roles when the lab restarts node-1', async () => {
    const restarted = await lab.restartNode(n1.id);
    // Started by the lab, its link now runs through the lab's relay to node-2.
    assert.equal(restarted.master?.nodeId, n2.id);
    assert.equal(restarted.master!.relay!.masterPort, n2.port);
    assert.equal(replicationInfo(n1.port).get('master_port'), String(restarted.master!.relay!.port));
    await waitUntil('node-1 links up to node-2 again', () => replicationInfo(n1.port).get('master_link_status') === 'up');
  });

  test('FAILOVER ABORT while the master waits for a lagging replica leaves it a master', async () => {
    // node-1 is blocked for a few seconds, so it cannot acknowledge node-2's latest write and
    // node-2 stays in waiting-for-sync. Not redisCli(): its spawnSync would block this thread.
    const sleeping = new Promise((resolve) =>
      execFile('redis-cli', ['-p', String(n1.port), 'DEBUG', 'SLEEP', '4'], { timeout: 20_000 }, resolve),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(redisCli(n2.port, ['SET', 'unacknowledged', '1']), 'OK');
    await lab.failover(n2.id, n1.id);
    assert.equal(replicationInfo(n2.port).get('master_failover_state'), 'waiting-for-sync');
    await lab.abortFailover(n2.id);
    const info = replicationInfo(n2.port);
    assert.equal(info.get('master_failover_state'), 'no-failover');
    assert.equal(info.get('role'), 'master');
    assert.equal(redisCli(n2.port, ['SET', 'writable', 'again']), 'OK', 'writes resume');
    await sleeping;
    await waitUntil('the lab records the abort and the end', async () => {
      const messages = await failoverEvents(n2.id);
      return (
        messages.some((m) => m.startsWith('aborted: FAILOVER ABORT -> OK')) && messages.some((m) => m.startsWith('ended without a switch'))
      );
    });
    assert.ok((await failoverEvents(n2.id)).includes('master_failover_state:waiting-for-sync'));
    assert.equal((await node(n2.id)).replicaOf, null);
    await assert.rejects(lab.abortFailover(n2.id), /No failover in progress/);
  });
});
