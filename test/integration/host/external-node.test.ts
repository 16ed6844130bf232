// External nodes through LabHost: a Debian redis-server, started here on a free port with a password
// and an ACL user, is attached by address; a lab node replicates from it through the lab's relay
// (with masteruser/masterauth) and is promoted; the external server replicates from a lab node and
// is promoted back. The lab never stops it: start/stop/crash are refused, removing only detaches, and
// its password never reaches a NodeSummary. An address that does not answer changes nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeSummary } from '../../../src-main/api/index.js';
import { LabHost } from '../../../src-main/host/lab-host.js';
import { waitUntil } from '../../support/browser.js';
import { nodesOnFreePorts } from '../../support/lab-nodes.js';
import { freePort, redisCli, ROOT, startServer, tempDir, type RunningServer } from '../../support/servers.js';

const WORKER = join(ROOT, 'out', 'main', 'node-worker.js');
const PASSWORD = 'ext-secret-7';

function replicationField(port: number, field: string, auth: string[] = []): string | undefined {
  const line = redisCli(port, [...auth, 'INFO', 'replication'])
    .split(/\r?\n/)
    .find((l) => l.startsWith(`${field}:`));
  return line?.slice(field.length + 1).trim();
}

describe('an external Debian redis-server attached to the lab', () => {
  const dataDir = tempDir('replicalab-external-');
  const auth = ['--user', 'labuser', '--pass', PASSWORD, '--no-auth-warning'];
  let redis: RunningServer;
  let lab: LabHost;
  let labNode: NodeSummary;
  let external: NodeSummary;
  const summary = async (id: string): Promise<NodeSummary> => (await lab.listNodes()).find((n) => n.id === id)!;

  before(async () => {
    redis = await startServer('redis', [
      '--requirepass',
      'other-default-pw',
      '--user',
      'labuser',
      'on',
      `>${PASSWORD}`,
      '~*',
      '&*',
      '+@all',
    ]);
    lab = await LabHost.open({ dataDir, workerScript: WORKER });
    [labNode] = (await nodesOnFreePorts(lab, 1)) as [NodeSummary];
  });

  after(async () => {
    await lab?.close();
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('an address that does not answer is refused with the reason and nothing is added', async () => {
    const before = await lab.listNodes();
    const closed = await freePort();
    await assert.rejects(
      lab.attachNode({ host: '127.0.0.1', port: closed }),
      new RegExp(`could not attach 127\\.0\\.0\\.1:${closed}: could not reach .*ECONNREFUSED`),
    );
    await assert.rejects(
      lab.attachNode({ host: '127.0.0.1', port: redis.port, user: 'labuser', password: 'wrong' }),
      /could not attach .*WRONGPASS invalid username-password pair/,
    );
    assert.deepEqual(
      (await lab.listNodes()).map((n) => n.id),
      before.map((n) => n.id),
    );
  });

  test('attached with a user and password: shown with its INFO, password never in the summary', async () => {
    external = await lab.attachNode({ host: '127.0.0.1', port: redis.port, user: 'labuser', password: PASSWORD, name: 'debian' });
    assert.equal(external.name, 'debian');
    assert.deepEqual(external.external, { host: '127.0.0.1', user: 'labuser', hasPassword: true });
    assert.equal(external.status, 'running');
    assert.equal(external.info?.role, 'master');
    assert.equal(external.cliCommand, `redis-cli -h 127.0.0.1 -p ${redis.port} --user labuser --askpass`);
    assert.ok(!JSON.stringify(await lab.listNodes()).includes(PASSWORD), 'the password is not in any summary');
    await assert.rejects(lab.attachNode({ host: 'localhost', port: redis.port }), /already in the lab as debian/);
  });

  test('the lab never starts, stops, restarts or crashes it', async () => {
    await assert.rejects(lab.stopNode(external.id), /external node: the lab never stops it/);
    await assert.rejects(lab.crashNode(external.id), /never crashes it/);
    await assert.rejects(lab.restartNode(external.id), /never restarts it/);
    await assert.rejects(lab.startNode(external.id), /never starts it/);
    await assert.rejects(
      lab.startLoad(external.id, { rate: 10, keys: 10, valueSize: 10, mix: ['set'], ttlSeconds: 0 }),
      /external node: the write load generator runs on the lab's own nodes/,
    );
    assert.equal(replicationField(redis.port, 'role', auth), 'master');
  });

  test('a lab node replicates from it (through the relay, with its credentials) and is promoted', async () => {
    assert.equal(redisCli(redis.port, [...auth, 'SET', 'from:external', 'v1']), 'OK');
    await lab.linkNode(labNode.id, external.id);
    await waitUntil('the lab node has the external data', () => redisCli(labNode.port, ['GET', 'from:external']) === 'v1');
    await waitUntil('the lab shows the link up to the external node', async () => {
      const replica = await summary(labNode.id);
      return replica.master?.nodeId === external.id && replica.master.linkStatus === 'up';
    });
    await waitUntil('the external master lists the lab node', async () => (await summary(external.id)).info?.replicas.length === 1);

    await lab.linkNode(labNode.id, null);
    assert.equal(replicationField(labNode.port, 'role'), 'master');
    assert.equal(redisCli(labNode.port, ['SET', 'on:lab', 'v2']), 'OK');
  });

  test('it replicates from a lab node, then is promoted back; the console talks to it as labuser', async () => {
    await lab.linkNode(external.id, labNode.id);
    await waitUntil('the external server has the lab data', () => redisCli(redis.port, [...auth, 'GET', 'on:lab']) === 'v2');
    assert.equal((await summary(external.id)).master?.nodeId, labNode.id);
    const who = await lab.consoleRun(external.id, 'ACL WHOAMI');
    assert.deepEqual(who.lines, ['"labuser"']);
    assert.equal(who.prompt, `127.0.0.1:${redis.port}>`);
    await lab.linkNode(external.id, null);
    assert.equal(replicationField(redis.port, 'role', auth), 'master');
  });

  test('FAILOVER from the external master to a lab replica', async () => {
    await lab.linkNode(labNode.id, external.id);
    await waitUntil('linked', async () => (await summary(labNode.id)).master?.linkStatus === 'up');
    await lab.failover(external.id, labNode.id);
    await waitUntil(
      'the external server now replicates from the lab node',
      () => replicationField(redis.port, 'master_port', auth) === String(labNode.port),
    );
    assert.equal(replicationField(labNode.port, 'role'), 'master');
    await lab.linkNode(external.id, null);
  });

  test('when the server goes away the lab says it is unreachable, refuses actions with the reason, and picks it up again', async () => {
    const port = redis.port;
    await redis.stop();
    await waitUntil('shown unreachable', async () =>
      /^unreachable at 127\.0\.0\.1:\d+: /.test((await summary(external.id)).lastError ?? ''),
    );
    assert.equal((await summary(external.id)).info, null);
    await assert.rejects(
      lab.linkNode(external.id, null),
      new RegExp(`debian answered REPLICAOF NO ONE with: could not reach 127\\.0\\.0\\.1:${port}`),
    );
    assert.ok(
      (await lab.listNodes()).some((n) => n.id === external.id),
      'still attached',
    );
    redis = await startServer(
      'redis',
      ['--requirepass', 'other-default-pw', '--user', 'labuser', 'on', `>${PASSWORD}`, '~*', '&*', '+@all'],
      {
        port,
      },
    );
    await waitUntil(
      'reachable again',
      async () => (await summary(external.id)).lastError === null && (await summary(external.id)).info !== null,
    );
  });

  test('removing it only detaches it: the server keeps running', async () => {
    await assert.rejects(lab.removeNode(external.id, { deleteDir: true }), /only detaches it/);
    await lab.removeNode(external.id, { deleteDir: false });
    assert.ok(!(await lab.listNodes()).some((n) => n.id === external.id));
    assert.equal(redisCli(redis.port, [...auth, 'PING']), 'PONG');
    const events = await lab.listEvents(50);
    assert.ok(events.some((e) => e.kind === 'detached' && e.nodeId === external.id));
    assert.ok(events.some((e) => e.kind === 'attached' && e.nodeId === external.id && !e.message.includes(PASSWORD)));
  });
});
