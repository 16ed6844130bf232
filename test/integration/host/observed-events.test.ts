// Events from what the nodes do, not only what the lab did, through LabHost with real lab nodes and
// Debian's redis-cli: a REPLICAOF typed into redis-cli shows as a role change not made by the lab,
// the lab's own link as one made by the lab; a CONFIG SET from redis-cli as a config change; a link
// cut at the relay as the replica's link going down and up; and each resync as a sync event with
// its bytes and duration.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LabEvent, NodeSummary } from '../../../src-main/api/index.js';
import { LabHost } from '../../../src-main/host/lab-host.js';
import { waitUntil } from '../../support/browser.js';
import { nodesOnFreePorts } from '../../support/lab-nodes.js';
import { redisCli, ROOT, tempDir } from '../../support/servers.js';

const WORKER = join(ROOT, 'out', 'main', 'node-worker.js');

describe('events observed on the nodes', () => {
  const dataDir = tempDir('replicalab-observed-');
  let lab: LabHost;
  let master: NodeSummary;
  let replica: NodeSummary;
  let since = 0;
  const eventsOf = async (id: string, kind: LabEvent['kind']): Promise<string[]> =>
    (await lab.listEvents(1000))
      .filter((e) => e.nodeId === id && e.kind === kind && e.id > since)
      .map((e) => e.message)
      .reverse();
  const mark = async (): Promise<void> => {
    since = (await lab.listEvents(1))[0]?.id ?? 0;
  };

  before(async () => {
    lab = await LabHost.open({ dataDir, workerScript: WORKER });
    [master, replica] = (await nodesOnFreePorts(lab, 2, { linked: true })) as [NodeSummary, NodeSummary];
  });

  after(async () => {
    await lab?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the first sync is an event with its bytes and duration, read from the logs', async () => {
    await waitUntil('a sync event', async () => (await eventsOf(replica.id, 'sync')).length > 0);
    assert.match(
      (await eventsOf(replica.id, 'sync'))[0]!,
      /^(full|partial) sync from port \d+ done: \d+ bytes in \d+\.\d s \(from the node logs\)$/,
    );
  });

  test('REPLICAOF NO ONE typed into redis-cli: a role change not made by the lab', async () => {
    await mark();
    assert.equal(redisCli(replica.port, ['REPLICAOF', 'NO', 'ONE']), 'OK');
    await waitUntil('a role event', async () => (await eventsOf(replica.id, 'role')).length > 0);
    assert.match(
      (await eventsOf(replica.id, 'role'))[0]!,
      /^role changed from replica of 127\.0\.0\.1:\d+ to master, not by the lab \(redis-cli or another client\)$/,
    );
  });

  test("the lab's own link: a role change made by the lab, naming the master", async () => {
    await mark();
    await lab.linkNode(replica.id, master.id);
    await waitUntil('a role event', async () => (await eventsOf(replica.id, 'role')).length > 0);
    assert.match(
      (await eventsOf(replica.id, 'role'))[0]!,
      new RegExp(`^role changed from master to replica of 127\\.0\\.0\\.1:\\d+ \\(${master.name}\\), by the lab$`),
    );
    await waitUntil('the resync is an event too', async () => (await eventsOf(replica.id, 'sync')).length > 0);
  });

  test('CONFIG SET from redis-cli: a config change, old and new value, not by the lab', async () => {
    await mark();
    assert.equal(redisCli(master.port, ['CONFIG', 'SET', 'repl-backlog-size', '2mb']), 'OK');
    await waitUntil('a config event', async () => (await eventsOf(master.id, 'config')).length > 0, 10_000);
    assert.deepEqual(await eventsOf(master.id, 'config'), [
      'repl-backlog-size changed from 1048576 to 2097152, not by the lab (redis-cli or another client)',
    ]);
  });

  test("a link cut at the relay: the replica's link goes down, then up again", async () => {
    await waitUntil('link up', async () => (await lab.listNodes()).find((n) => n.id === replica.id)?.master?.linkStatus === 'up');
    await mark();
    await lab.cutLink(replica.id);
    await waitUntil('link down event', async () => (await eventsOf(replica.id, 'link')).some((m) => / down /.test(m)));
    await lab.restoreLink(replica.id);
    await waitUntil('link up event', async () => (await eventsOf(replica.id, 'link')).some((m) => / up /.test(m)));
    assert.match((await eventsOf(replica.id, 'link'))[0]!, /^link to its master \(127\.0\.0\.1:\d+\) down \(master_link_status\)$/);
  });

  test('FAILOVER typed into redis-cli: both role changes, not by the lab', async () => {
    await waitUntil('link up', async () => (await lab.listNodes()).find((n) => n.id === replica.id)?.master?.linkStatus === 'up');
    await mark();
    assert.equal(redisCli(master.port, ['FAILOVER']), 'OK');
    await waitUntil(
      'both role events',
      async () => (await eventsOf(master.id, 'role')).length > 0 && (await eventsOf(replica.id, 'role')).length > 0,
    );
    assert.match(
      (await eventsOf(master.id, 'role'))[0]!,
      /^role changed from master to replica of 127\.0\.0\.1:\d+ \(node-2\), not by the lab/,
    );
    assert.match((await eventsOf(replica.id, 'role'))[0]!, /^role changed from replica of 127\.0\.0\.1:\d+ to master, not by the lab/);
  });
});
