// The SENTINEL subcommands that change or report state, sent to our Sentinel and to
// redis-sentinel in the same order, against the same kind of master: MONITOR and REMOVE at run
// time, SET (shown by MASTER and kept in the config file), CONFIG GET/SET, RESET, INFO-CACHE,
// IS-MASTER-DOWN-BY-ADDR with a vote, SIMULATE-FAILURE, PENDING-SCRIPTS, HELP; then a manual
// FAILOVER, which needs no agreement, and the events published on the Sentinel's channels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RespClient, type Reply } from '../../support/resp-client.js';
import { nodesForFile, startNode, startReplica, waitFor, type Kind } from '../../support/replication.js';
import { fieldsOf, sentinelsForFile, startSentinel } from '../../support/sentinel.js';
import { freshInfo } from '../../support/sentinel-failover.js';

const { track } = nodesForFile();
const keep = sentinelsForFile();

/** Replies with what differs between runs (ports, ids, times) taken out. */
function normalize(reply: Reply, ports: Map<number, string>): unknown {
  if (Buffer.isBuffer(reply)) {
    let text = reply.toString();
    for (const [port, name] of ports) text = text.replaceAll(String(port), name);
    return text.replace(/[0-9a-f]{40}/g, '<id>');
  }
  if (Array.isArray(reply)) return reply.map((r) => normalize(r, ports));
  return reply;
}

async function session(kind: Kind): Promise<unknown[]> {
  const master = track(await startNode('redis'));
  track(await startReplica('redis', master));
  const other = track(await startNode('redis'));
  const s = keep(await startSentinel(kind, []));
  const ports = new Map([
    [master.port, '<master>'],
    [other.port, '<other>'],
    [s.port, '<sentinel>'],
  ]);
  const out: unknown[] = [];
  const call = async (...argv: string[]) => out.push(normalize(await s.client.call(...argv), ports));
  await call('SENTINEL', 'MONITOR', 'm1', '127.0.0.1', String(master.port), '2');
  await call('SENTINEL', 'MONITOR', 'm2', '127.0.0.1', String(other.port), '1');
  await call('SENTINEL', 'MONITOR', 'm3', 'not-an-ip', '1', '1');
  await call('SENTINEL', 'MONITOR', 'm3', '127.0.0.1', 'x', '1');
  await call('SENTINEL', 'MONITOR', 'm3', '127.0.0.1', '70000', '1');
  const role = (await s.client.call('ROLE')) as Reply[];
  // The masters come in the order of Redis's dict (a hash): compare them sorted.
  out.push([String(role[0]), (role[1] as Buffer[]).map(String).sort()]);
  await call('SENTINEL', 'SET', 'm1', 'down-after-milliseconds', '2000', 'parallel-syncs', '3', 'quorum', '1');
  await call('SENTINEL', 'SET', 'm1', 'failover-timeout', '-5');
  const m1 = fieldsOf(await s.client.call('SENTINEL', 'MASTER', 'm1'));
  out.push([m1.get('down-after-milliseconds'), m1.get('parallel-syncs'), m1.get('quorum')]);
  await call('SENTINEL', 'CONFIG', 'SET', 'announce-port', '1234');
  await call('SENTINEL', 'CONFIG', 'GET', 'announce-*');
  await call('SENTINEL', 'CONFIG', 'SET', 'announce-port', '0');
  await call('SENTINEL', 'CONFIG', 'SET', 'resolve-hostnames', 'maybe');
  await waitFor(
    'replica of m1 discovered',
    async () => fieldsOf(await s.client.call('SENTINEL', 'MASTER', 'm1')).get('num-slaves') === '1',
  );
  await call('SENTINEL', 'IS-MASTER-DOWN-BY-ADDR', '127.0.0.1', String(master.port), '7', 'a'.repeat(40));
  await call('SENTINEL', 'IS-MASTER-DOWN-BY-ADDR', '127.0.0.1', String(master.port), '7', 'b'.repeat(40));
  out.push(fieldsOf(await s.client.call('SENTINEL', 'MASTER', 'm1')).get('config-epoch'));
  await call('SENTINEL', 'SIMULATE-FAILURE', 'nope');
  await call('SENTINEL', 'PENDING-SCRIPTS');
  await call('SENTINEL', 'RESET', 'm*');
  out.push(fieldsOf(await s.client.call('SENTINEL', 'MASTER', 'm1')).get('num-slaves'));
  await waitFor('INFO cached', async () => {
    const cache = (await s.client.call('SENTINEL', 'INFO-CACHE', 'm2')) as Reply[];
    return Array.isArray(cache[1]) && Buffer.isBuffer((cache[1] as Reply[][])[0]![1]);
  });
  const cache = (await s.client.call('SENTINEL', 'INFO-CACHE', 'm2', 'nope')) as Reply[];
  out.push([cache.length, String(cache[0]), String((cache[1] as Reply[][])[0]![1]).includes('# Replication')]);
  for (const argv of [
    ['SENTINEL', 'SET', 'm1'],
    ['SENTINEL', 'SET', 'm1', 'quorum', '1', 'parallel-syncs'],
    ['SENTINEL', 'SET', 'm1', 'auth-pass', ''],
    ['SENTINEL', 'CONFIG', 'GET'],
    ['SENTINEL', 'CONFIG', 'FOO', 'x'],
    ['SENTINEL', 'CONFIG', 'SET', 'foo', 'x'],
    ['SENTINEL', 'CONFIG', 'GET', 'foo'],
    ['SENTINEL', 'DEBUG', 'info-period'],
    ['SENTINEL', 'DEBUG', 'info-period', '0'],
    ['SENTINEL', 'DEBUG', 'info-period', '10000', 'ping-period', '1000'],
    ['SENTINEL', 'INFO-CACHE'],
    ['SENTINEL', 'RESET'],
    ['SENTINEL', 'MYID', 'x'],
    ['SENTINEL', 'IS-MASTER-DOWN-BY-ADDR', '1', '2', '3'],
  ]) {
    await call(...argv);
  }
  await call('SENTINEL', 'REMOVE', 'm2');
  // What MASTERS reports (its times and link state depend on the moment).
  const masters = (await s.client.call('SENTINEL', 'MASTERS')) as Reply[];
  out.push(masters.map((m) => [...fieldsOf(m).keys()]));
  await call('SENTINEL', 'FLUSHCONFIG');
  const config = readFileSync(s.configFile, 'utf8');
  out.push(/^sentinel monitor m1 127\.0\.0\.1 \d+ 1$/m.test(config), /m2/.test(config), /^sentinel parallel-syncs m1 3$/m.test(config));
  return out.map((o) => (Array.isArray(o) && o.length > 20 ? o.length : o));
}

test('SENTINEL MONITOR, SET, CONFIG, IS-MASTER-DOWN-BY-ADDR, RESET, INFO-CACHE, REMOVE answer as redis-sentinel does', async () => {
  const ours = await session('ours');
  const redis = await session('redis');
  assert.deepEqual(ours, redis);
});

test('SENTINEL FAILOVER promotes a replica without asking other Sentinels, and the events are published', async () => {
  const master = track(await startNode('ours'));
  const replica = track(await startReplica('ours', master));
  const s = keep(await startSentinel('ours', ['sentinel monitor mymaster 127.0.0.1 ' + master.port + ' 2']));
  const events = await RespClient.open(s.port);
  await events.call('PSUBSCRIBE', '*');
  await waitFor('replica known', async () => (await s.master('mymaster')).get('num-slaves') === '1');
  await waitFor('replica INFO read', async () => {
    const r = (await s.sentinel('REPLICAS', 'mymaster')) as Reply[];
    return fieldsOf(r[0]!).get('master-link-status') === 'ok';
  });
  assert.equal(String(await s.sentinel('FAILOVER', 'mymaster')), 'OK');
  assert.deepEqual(await s.sentinel('FAILOVER', 'mymaster'), { error: 'INPROG Failover already in progress' });
  await waitFor('switched', async () => (await s.masterAddr('mymaster')) === `127.0.0.1:${replica.port}`, 30000);
  assert.equal((await freshInfo(replica.port)).get('role'), 'master');
  await waitFor('old master follows', async () => (await freshInfo(master.port)).get('master_port') === String(replica.port), 30000);
  const published = events.unsolicited.map((m) => (Array.isArray(m) ? `${String(m[2])} ${String(m[3])}` : ''));
  events.close();
  for (const expected of [
    `+new-epoch 1`,
    `+try-failover master mymaster 127.0.0.1 ${master.port}`,
    `+elected-leader master mymaster 127.0.0.1 ${master.port}`,
    `+selected-slave slave 127.0.0.1:${replica.port} 127.0.0.1 ${replica.port} @ mymaster 127.0.0.1 ${master.port}`,
    `+promoted-slave slave 127.0.0.1:${replica.port} 127.0.0.1 ${replica.port} @ mymaster 127.0.0.1 ${master.port}`,
    `+switch-master mymaster 127.0.0.1 ${master.port} 127.0.0.1 ${replica.port}`,
  ]) {
    assert.ok(published.includes(expected), `published ${expected}\n${published.join('\n')}`);
  }
});
