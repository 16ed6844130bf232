// Closing the lab (what quitting the app does) stops the nodes in order: the master first, while
// its replicas are still connected so that its SHUTDOWN can wait for them, then the replicas; and
// the host says so as it goes (`closing` pushes, which the window shows).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { LabClosingPush, NodeSummary } from '../../../src-main/api/index.js';
import { LabHost } from '../../../src-main/host/lab-host.js';
import { LabStore } from '../../../src-main/host/store/lab-store.js';
import { nodesOnFreePorts } from '../../support/lab-nodes.js';
import { redisCli, ROOT, tempDir } from '../../support/servers.js';

const WORKER = join(ROOT, 'out', 'main', 'node-worker.js');

describe('closing the lab', () => {
  const dataDir = tempDir('replicalab-quit-');
  let lab: LabHost;
  let master: NodeSummary;
  let replicas: NodeSummary[];
  const closing: LabClosingPush[] = [];
  const logs = new Map<string, string[]>();

  before(async () => {
    lab = await LabHost.open({ dataDir, workerScript: WORKER });
    [master, ...replicas] = (await nodesOnFreePorts(lab, 3, { linked: true })) as NodeSummary[];
    lab.onPush((push) => {
      if (push.type === 'closing') closing.push(push);
      if (push.type === 'log') logs.set(push.nodeId, [...(logs.get(push.nodeId) ?? []), push.line]);
    });
    assert.equal(redisCli(master.port, ['SET', 'last-write', 'before quitting']), 'OK');
    await lab.close();
  });

  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('the master stops first, then its replicas, and each step is pushed', () => {
    assert.deepEqual(
      closing.map((p) => ({ ...p, stopping: [...p.stopping].sort() })),
      [
        { type: 'closing', total: 3, stopped: 0, stopping: [master.name] },
        { type: 'closing', total: 3, stopped: 1, stopping: replicas.map((r) => r.name).sort() },
        { type: 'closing', total: 3, stopped: 3, stopping: [] },
      ],
    );
  });

  test('the stopped events agree: the master’s comes before its replicas’, and the replicas saw it go', () => {
    const db = new Database(LabStore.file(dataDir), { readonly: true });
    const stopped = db
      .prepare("SELECT node_id FROM events WHERE kind = 'stopped' AND message LIKE '%lab is closing%' ORDER BY id")
      .all() as Array<{ node_id: string }>;
    db.close();
    assert.equal(stopped[0]?.node_id, master.id);
    assert.deepEqual(
      stopped
        .slice(1)
        .map((e) => e.node_id)
        .sort(),
      replicas.map((r) => r.id).sort(),
    );
    // A replica still running when its master shut down logs the lost link, as redis-server's replicas do.
    for (const replica of replicas)
      assert.ok(
        logs.get(replica.id)?.some((line) => /Connection with master lost/.test(line)),
        `${replica.name} did not see its master go:\n${(logs.get(replica.id) ?? []).slice(-10).join('\n')}`,
      );
  });
});
