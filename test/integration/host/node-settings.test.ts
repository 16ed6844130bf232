// Per-node settings through LabHost with the real built worker, checked with Debian's redis-cli:
// several settings applied live and kept in the node's redis.conf over a restart; a value the node
// refuses changes nothing and returns the node's own error; a requirepass keeps the lab's controls
// working (its replicas get masterauth, at once and when linked); AOF turned on from the settings brings data back after a
// crash; Add node with settings, and with a refused one (nothing created).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeSummary } from '../../../src-main/api/index.js';
import { LabHost } from '../../../src-main/host/lab-host.js';
import { dispatchLabRequest } from '../../../src-main/host/transport/api-dispatch.js';
import { waitUntil } from '../../support/browser.js';
import { nodesOnFreePorts } from '../../support/lab-nodes.js';
import { freePort, redisCli, ROOT, tempDir } from '../../support/servers.js';

const WORKER = join(ROOT, 'out', 'main', 'node-worker.js');

const configGet = (port: number, name: string, password?: string): string =>
  redisCli(port, [...(password ? ['--no-auth-warning', '-a', password] : []), 'CONFIG', 'GET', name]).split('\n')[1] ?? '';

describe('per-node settings', () => {
  const dataDir = tempDir('replicalab-settings-');
  let lab: LabHost;
  let master: NodeSummary;
  let replica: NodeSummary;

  before(async () => {
    lab = await LabHost.open({ dataDir, workerScript: WORKER });
    [master, replica] = (await nodesOnFreePorts(lab, 2, { linked: true })) as NodeSummary[];
  });

  after(async () => {
    await lab?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('several settings applied live are kept in redis.conf and are still there after a restart', async () => {
    const result = await lab.applyNodeSettings(master.id, {
      maxmemory: '100mb',
      'maxmemory-policy': 'allkeys-lru',
      'repl-backlog-size': '4mb',
      'repl-timeout': '30',
      'min-replicas-max-lag': '20',
      'replica-priority': '50',
      'repl-diskless-sync': 'no',
    });
    assert.equal(result.refused, null);
    assert.equal(result.settings.values.maxmemory, '104857600');
    assert.equal(configGet(master.port, 'maxmemory-policy'), 'allkeys-lru');
    const conf = readFileSync(join(master.dir, 'redis.conf'), 'utf8');
    assert.match(conf, /^maxmemory-policy allkeys-lru$/m);
    assert.match(conf, /^repl-diskless-sync no$/m);
    await lab.restartNode(master.id);
    assert.equal(configGet(master.port, 'maxmemory'), '104857600');
    assert.equal(configGet(master.port, 'maxmemory-policy'), 'allkeys-lru');
    assert.equal(configGet(master.port, 'repl-backlog-size'), String(4 * 1024 * 1024));
    assert.equal(configGet(master.port, 'repl-timeout'), '30');
    assert.equal(configGet(master.port, 'min-replicas-max-lag'), '20');
    assert.equal(configGet(master.port, 'replica-priority'), '50');
    assert.equal(configGet(master.port, 'repl-diskless-sync'), 'no');
    assert.equal((await lab.nodeSettings(master.id)).values['repl-timeout'], '30');
  });

  test('a value the node refuses changes nothing and returns the node’s own error for that setting', async () => {
    const confBefore = readFileSync(join(master.dir, 'redis.conf'), 'utf8');
    const result = await lab.applyNodeSettings(master.id, {
      'repl-timeout': '45',
      maxmemory: '200mb',
      'maxmemory-policy': 'sometimes-lru',
    });
    assert.equal(result.refused?.name, 'maxmemory-policy');
    // The text is redis-server 7.0's own for this CONFIG SET.
    const reference = redisCli(master.port, ['CONFIG', 'SET', 'maxmemory-policy', 'sometimes-lru']);
    assert.equal(result.refused?.error, reference.trim());
    assert.match(result.refused!.error, /^ERR CONFIG SET failed \(possibly related to argument 'maxmemory-policy'\)/);
    assert.equal(configGet(master.port, 'repl-timeout'), '30');
    assert.equal(configGet(master.port, 'maxmemory'), '104857600');
    assert.equal(configGet(master.port, 'maxmemory-policy'), 'allkeys-lru');
    assert.equal(readFileSync(join(master.dir, 'redis.conf'), 'utf8'), confBefore);
    assert.equal(result.settings.values['repl-timeout'], '30');
  });

  test('unknown setting names are refused before anything reaches a node', async () => {
    const reply = await dispatchLabRequest(lab, { id: 1, method: 'applyNodeSettings', params: [master.id, { port: '1' }] });
    assert.match(JSON.stringify(reply), /unknown setting 'port'/);
  });

  test('requirepass: the lab keeps controlling the node, and linking a replica gives it masterauth', async () => {
    const result = await lab.applyNodeSettings(master.id, { requirepass: 's3cret' });
    assert.equal(result.refused, null);
    assert.match(redisCli(master.port, ['PING']), /NOAUTH/);
    assert.equal(redisCli(master.port, ['--no-auth-warning', '-a', 's3cret', 'PING']), 'PONG');
    // The console opens as `redis-cli -a` would: no NOAUTH for the lab's own password.
    assert.deepEqual((await lab.consoleRun(master.id, 'PING')).lines, ['PONG']);
    // The replica the lab linked to it was given the password as masterauth, and links up again.
    assert.equal(configGet(replica.port, 'masterauth'), 's3cret');
    await waitUntil('the replica links up with masterauth', () =>
      redisCli(replica.port, ['INFO', 'replication']).includes('master_link_status:up'),
    );
    // Linking in the lab sets it too: a replica without masterauth gets it when linked again.
    assert.equal((await lab.applyNodeSettings(replica.id, { masterauth: '' })).refused, null);
    assert.equal(configGet(replica.port, 'masterauth'), '');
    await lab.linkNode(replica.id, master.id);
    assert.equal(configGet(replica.port, 'masterauth'), 's3cret');
    assert.match(readFileSync(join(replica.dir, 'redis.conf'), 'utf8'), /^masterauth "?s3cret"?$/m);
    await waitUntil('the replica links up with masterauth', () =>
      redisCli(replica.port, ['INFO', 'replication']).includes('master_link_status:up'),
    );
    assert.equal(redisCli(master.port, ['--no-auth-warning', '-a', 's3cret', 'SET', 'pw', 'ok']), 'OK');
    await waitUntil('the write replicates', () => redisCli(replica.port, ['GET', 'pw']) === 'ok');
    // Later settings and restarts go on working with the password.
    assert.equal((await lab.applyNodeSettings(master.id, { 'repl-timeout': '40' })).refused, null);
    await lab.restartNode(master.id);
    assert.equal(configGet(master.port, 'repl-timeout', 's3cret'), '40');
    assert.equal((await lab.applyNodeSettings(master.id, { requirepass: '' })).refused, null);
    assert.equal(redisCli(master.port, ['PING']), 'PONG');
  });

  test('AOF on from the settings (appendfsync always): data written, the node crashed, started again: the data is back', async () => {
    const result = await lab.applyNodeSettings(master.id, { save: '', appendonly: 'yes', appendfsync: 'always' });
    assert.equal(result.refused, null);
    await waitUntil('the AOF rewrite finished', () => redisCli(master.port, ['INFO', 'persistence']).includes('aof_rewrite_in_progress:0'));
    for (let i = 0; i < 50; i++) assert.equal(redisCli(master.port, ['SET', `aof:${i}`, `v${i}`]), 'OK');
    await lab.crashNode(master.id);
    await lab.startNode(master.id);
    assert.equal(redisCli(master.port, ['DBSIZE']), '51', 'the 50 keys and the one written under requirepass');
    assert.equal(redisCli(master.port, ['GET', 'aof:49']), 'v49');
    assert.equal(configGet(master.port, 'appendonly'), 'yes');
    assert.equal(configGet(master.port, 'appendfsync'), 'always');
    assert.equal(configGet(master.port, 'save'), '');
    assert.ok(existsSync(join(master.dir, 'appendonlydir')), 'the AOF directory');
  });

  test('Add node with settings, and with one the node refuses (nothing is created)', async () => {
    const port = await freePort();
    const added = await lab.addNode({
      name: 'with-settings',
      port,
      settings: { appendonly: 'yes', 'replica-read-only': 'no', maxmemory: '64mb' },
    });
    assert.equal(configGet(port, 'appendonly'), 'yes');
    assert.equal(configGet(port, 'replica-read-only'), 'no');
    assert.equal(configGet(port, 'maxmemory'), String(64 * 1024 * 1024));
    assert.match(readFileSync(join(added.dir, 'redis.conf'), 'utf8'), /^appendonly yes$/m);
    const countBefore = (await lab.listNodes()).length;
    const badPort = await freePort();
    await assert.rejects(
      lab.addNode({ name: 'refused', port: badPort, settings: { 'repl-timeout': '0' } }),
      /the node refused repl-timeout: ERR CONFIG SET failed \(possibly related to argument 'repl-timeout'\) - argument must be between 1 and 2147483647 inclusive \(nothing was created\)/,
    );
    assert.equal((await lab.listNodes()).length, countBefore);
    assert.ok(!(await lab.listNodes()).some((node) => node.port === badPort));
    assert.notEqual(redisCli(badPort, ['PING']), 'PONG', 'nothing listens on the refused node’s port');
  });

  test('the lab opened again: the nodes start from their redis.conf with the settings, and lab.db has them too', async () => {
    await lab.close();
    lab = await LabHost.open({ dataDir, workerScript: WORKER });
    assert.equal(configGet(master.port, 'appendonly'), 'yes');
    assert.equal(configGet(master.port, 'repl-timeout'), '40');
    // The master's requirepass was cleared, and with it the masterauth the lab had given its replica.
    assert.equal(configGet(replica.port, 'masterauth'), '');
    const stored = await lab.nodeSettings(master.id);
    assert.equal(stored.live, true);
    assert.equal(stored.values.appendfsync, 'always');
    await lab.stopNode(master.id);
    const offline = await lab.nodeSettings(master.id);
    assert.equal(offline.live, false);
    assert.equal(offline.values['maxmemory-policy'], 'allkeys-lru');
    await assert.rejects(lab.applyNodeSettings(master.id, { 'repl-timeout': '50' }), /is not running: start it to change its settings/);
  });
});
