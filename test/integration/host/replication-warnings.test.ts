// The replication warnings through LabHost with real lab nodes, each caused with Debian's redis-cli
// the way a user would, seen in the node list, and gone once fixed: a writable replica, a backlog
// too small for the write rate (the lab's write load), min-replicas-to-write not met, and two nodes
// sharing a directory.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeSummary, NodeWarning } from '../../../src-main/api/index.js';
import { LabHost } from '../../../src-main/host/lab-host.js';
import { waitUntil } from '../../support/browser.js';
import { nodesOnFreePorts } from '../../support/lab-nodes.js';
import { redisCli, ROOT, tempDir } from '../../support/servers.js';

const WORKER = join(ROOT, 'out', 'main', 'node-worker.js');

describe('replication warnings', () => {
  const dataDir = tempDir('replicalab-warnings-');
  let lab: LabHost;
  let master: NodeSummary;
  let replica: NodeSummary;
  const warnings = async (id: string): Promise<NodeWarning[]> => (await lab.listNodes()).find((n) => n.id === id)!.warnings;
  const has = (id: string, kind: NodeWarning['kind']) => async () => (await warnings(id)).some((w) => w.kind === kind);
  const hasNot = (id: string, kind: NodeWarning['kind']) => async () => !(await has(id, kind)());

  before(async () => {
    lab = await LabHost.open({ dataDir, workerScript: WORKER });
    [master, replica] = (await nodesOnFreePorts(lab, 2, { linked: true })) as [NodeSummary, NodeSummary];
  });

  after(async () => {
    await lab?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('none while all is well', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.deepEqual(await warnings(master.id), []);
    assert.deepEqual(await warnings(replica.id), []);
  });

  test('a writable replica', async () => {
    redisCli(replica.port, ['CONFIG', 'SET', 'replica-read-only', 'no']);
    await waitUntil('warned', has(replica.id, 'writable-replica'));
    assert.match((await warnings(replica.id))[0]!.message, /^Writable replica \(replica-read-only no\)/);
    redisCli(replica.port, ['CONFIG', 'SET', 'replica-read-only', 'yes']);
    await waitUntil('gone', hasNot(replica.id, 'writable-replica'));
  });

  test('min-replicas-to-write not met', async () => {
    redisCli(master.port, ['CONFIG', 'SET', 'min-replicas-to-write', '2']);
    await waitUntil('warned', has(master.id, 'min-replicas'));
    assert.match(
      (await warnings(master.id)).find((w) => w.kind === 'min-replicas')!.message,
      /^min-replicas-to-write 2 not met: 1 replica online with lag <= 10 s \(connected_slaves 1\)/,
    );
    assert.match(redisCli(master.port, ['SET', 'k', 'v']), /NOREPLICAS/);
    redisCli(master.port, ['CONFIG', 'SET', 'min-replicas-to-write', '1']);
    await waitUntil('gone', hasNot(master.id, 'min-replicas'));
    redisCli(master.port, ['CONFIG', 'SET', 'min-replicas-to-write', '0']);
  });

  test('two nodes sharing a directory', async () => {
    const own = redisCli(replica.port, ['CONFIG', 'GET', 'dir']).split('\n')[1]!;
    const masterDir = redisCli(master.port, ['CONFIG', 'GET', 'dir']).split('\n')[1]!;
    redisCli(replica.port, ['CONFIG', 'SET', 'dir', masterDir]);
    await waitUntil('both warned', async () => (await has(master.id, 'shared-dir')()) && (await has(replica.id, 'shared-dir')()));
    assert.match((await warnings(master.id)).find((w) => w.kind === 'shared-dir')!.message, new RegExp(`with ${replica.name}:`));
    redisCli(replica.port, ['CONFIG', 'SET', 'dir', own]);
    await waitUntil('gone', hasNot(master.id, 'shared-dir'));
  });

  test('a backlog too small for the write rate, gone when raised', async () => {
    redisCli(master.port, ['CONFIG', 'SET', 'repl-backlog-size', '16384']);
    await lab.startLoad(master.id, { rate: 200, keys: 100, valueSize: 100, mix: ['set'], ttlSeconds: 0 });
    try {
      await waitUntil('warned', has(master.id, 'small-backlog'));
      assert.match(
        (await warnings(master.id)).find((w) => w.kind === 'small-backlog')!.message,
        /^Backlog too small: repl-backlog-size 16384 bytes holds \d+\.\d s of writes at the current \d+ bytes\/s/,
      );
      redisCli(master.port, ['CONFIG', 'SET', 'repl-backlog-size', '100mb']);
      await waitUntil('gone', hasNot(master.id, 'small-backlog'));
    } finally {
      await lab.stopLoad(master.id);
    }
  });
});
