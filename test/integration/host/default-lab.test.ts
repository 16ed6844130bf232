// A brand-new lab, as the host opens it: a master and two replicas, linked and in sync, each with
// Redis's default save points. Everything is checked on the real nodes with Debian's redis-cli.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeSummary } from '../../../src-main/api/index.js';
import { LabHost } from '../../../src-main/host/lab-host.js';
import { waitUntil } from '../../support/browser.js';
import { redisCli, ROOT, tempDir } from '../../support/servers.js';

const WORKER = join(ROOT, 'out', 'main', 'node-worker.js');

/** `INFO replication` as redis-cli prints it, as field -> value. */
function replicationInfo(port: number): Map<string, string> {
  return new Map(
    redisCli(port, ['INFO', 'replication'])
      .split(/\r?\n/)
      .filter((line) => line.includes(':'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)] as [string, string]),
  );
}

describe('a new lab', () => {
  const dataDir = tempDir('replicalab-default-');
  let lab: LabHost;
  let master: NodeSummary;
  let replicas: NodeSummary[];

  before(async () => {
    lab = await LabHost.open({ dataDir, workerScript: WORKER });
    [master, ...replicas] = await lab.listNodes();
  });

  after(async () => {
    await lab?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('is a master and two replicas of it, stored as lab links', async () => {
    assert.equal(replicas.length, 2);
    assert.equal(master!.replicaOf, null);
    for (const replica of replicas) assert.equal(replica.replicaOf, master!.id);
    assert.equal(replicationInfo(master!.port).get('role'), 'master');
    for (const replica of replicas) {
      const info = replicationInfo(replica.port);
      assert.equal(info.get('role'), 'slave');
      // Through the lab's relay for that link, which leads to the master's port.
      const relay = (await lab.listNodes()).find((node) => node.id === replica.id)!.master!.relay!;
      assert.equal(relay.masterPort, master!.port);
      assert.equal(info.get('master_port'), String(relay.port));
    }
  });

  test('both replicas link up, and after a write hold the same offset and data as the master', async () => {
    await waitUntil('both replicas report master_link_status:up', () =>
      replicas.every((replica) => replicationInfo(replica.port).get('master_link_status') === 'up'),
    );
    assert.equal(redisCli(master!.port, ['SET', 'first:minute', 'hello']), 'OK');
    const masterOffset = (): string => replicationInfo(master!.port).get('master_repl_offset')!;
    await waitUntil('both replicas reach the master offset', () =>
      replicas.every((replica) => replicationInfo(replica.port).get('master_repl_offset') === masterOffset()),
    );
    assert.ok(Number(masterOffset()) > 0);
    for (const replica of replicas) assert.equal(redisCli(replica.port, ['GET', 'first:minute']), 'hello');
    assert.equal(replicationInfo(master!.port).get('connected_slaves'), '2');
  });

  test("every node has Redis's default save points, in its own redis.conf", async () => {
    for (const node of [master!, ...replicas]) {
      assert.equal(redisCli(node.port, ['CONFIG', 'GET', 'save']), 'save\n3600 1 300 100 60 10000');
      assert.match(readFileSync(join(node.dir, 'redis.conf'), 'utf8'), /^save 3600 1 300 100 60 10000$/m);
    }
  });
});
