// The node controls as real process actions, driven through LabHost with the real built worker:
// Stop and Restart are graceful and save as configured (Redis's default save points), Crash never
// saves. What a node kept is checked with Debian's redis-cli after it comes back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LabEvent, NodeSummary } from '../../../src-main/api/index.js';
import { LabHost } from '../../../src-main/host/lab-host.js';
import { dispatchLabRequest } from '../../../src-main/host/transport/api-dispatch.js';
import { waitUntil } from '../../support/browser.js';
import { redisCli, ROOT, tempDir } from '../../support/servers.js';

const WORKER = join(ROOT, 'out', 'main', 'node-worker.js');

function infoField(port: number, field: string): string | undefined {
  const line = redisCli(port, ['INFO'])
    .split(/\r?\n/)
    .find((l) => l.startsWith(`${field}:`));
  return line?.slice(field.length + 1);
}

describe('node controls', () => {
  const dataDir = tempDir('replicalab-controls-');
  let lab: LabHost;
  let master: NodeSummary;
  let replicas: NodeSummary[];
  const eventsOf = async (id: string): Promise<LabEvent[]> => (await lab.listEvents(1000)).filter((e) => e.nodeId === id);

  before(async () => {
    lab = await LabHost.open({ dataDir, workerScript: WORKER });
    [master, ...replicas] = (await lab.listNodes()) as NodeSummary[];
  });

  after(async () => {
    await lab?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('Restart stops the master gracefully, saving its RDB, and starts it with its data; the replicas link up again', async () => {
    assert.equal(redisCli(master.port, ['SET', 'kept', 'across a restart']), 'OK');
    for (const replica of replicas)
      await waitUntil(`${replica.name} has the key`, () => redisCli(replica.port, ['GET', 'kept']) === 'across a restart');
    const restarted = await lab.restartNode(master.id);
    assert.equal(restarted.status, 'running');
    assert.equal(redisCli(master.port, ['GET', 'kept']), 'across a restart');
    assert.ok(Number(infoField(master.port, 'uptime_in_seconds')) < 5, 'a new process (uptime starts again)');
    assert.ok(existsSync(join(master.dir, 'dump.rdb')));
    const log = await lab.nodeLog(master.id, 500);
    assert.ok(
      log.some((line) => line.includes('DB saved on disk')),
      log.slice(-30).join('\n'),
    );
    assert.ok(
      log.some((line) => line.includes('DB loaded from disk')),
      log.slice(-30).join('\n'),
    );
    const [started, stopped] = await eventsOf(master.id);
    assert.equal(started!.kind, 'started');
    assert.equal(stopped!.kind, 'stopped');
    assert.match(stopped!.message, /to restart/);
    for (const replica of replicas) {
      await waitUntil(`${replica.name} links up again`, () => infoField(replica.port, 'master_link_status') === 'up');
      assert.equal(redisCli(replica.port, ['GET', 'kept']), 'across a restart');
    }
  });

  test('Restart refuses a node that is not running', async () => {
    const extra = await lab.addNode({ name: 'restart-stopped' });
    await lab.stopNode(extra.id);
    await assert.rejects(lab.restartNode(extra.id), /not running; start it instead/);
    await lab.removeNode(extra.id, { deleteDir: true });
  });

  test('Stop saves as configured, Crash does not: a write after the last save survives only the stop', async () => {
    const node = await lab.addNode({ name: 'standalone' });
    assert.equal(redisCli(node.port, ['SET', 'before-stop', '1']), 'OK');
    await lab.stopNode(node.id);
    await lab.startNode(node.id);
    assert.equal(redisCli(node.port, ['GET', 'before-stop']), '1', 'Stop saved the write (save points are set)');

    assert.equal(redisCli(node.port, ['SET', 'before-crash', '1']), 'OK');
    await lab.crashNode(node.id);
    await lab.startNode(node.id);
    assert.equal(redisCli(node.port, ['GET', 'before-stop']), '1');
    assert.equal(redisCli(node.port, ['EXISTS', 'before-crash']), '0', 'Crash lost the unsaved write');
  });

  test('Remove keeps the directory unless asked to delete it, and a request must say which', async () => {
    const kept = await lab.addNode({ name: 'remove-keep' });
    assert.equal(redisCli(kept.port, ['SET', 'k', 'v']), 'OK');
    const refused = await dispatchLabRequest(lab, { id: 1, method: 'removeNode', params: [kept.id] });
    assert.deepEqual(refused, { id: 1, ok: false, error: 'removeNode needs { deleteDir: true | false }' });
    assert.ok(
      (await lab.listNodes()).some((n) => n.id === kept.id),
      'a request without the choice removes nothing',
    );

    await lab.removeNode(kept.id, { deleteDir: false });
    assert.ok(!(await lab.listNodes()).some((n) => n.id === kept.id));
    assert.notEqual(redisCli(kept.port, ['PING']), 'PONG');
    assert.ok(existsSync(join(kept.dir, 'redis.conf')), 'the directory stays');
    assert.ok(existsSync(join(kept.dir, 'dump.rdb')), 'with the data saved at the stop');
    assert.match((await eventsOf(kept.id))[0]!.message, /was kept$/);

    const deleted = await lab.addNode({ name: 'remove-delete' });
    await lab.removeNode(deleted.id, { deleteDir: true });
    assert.ok(!existsSync(deleted.dir), 'the directory is gone');
  });
});
