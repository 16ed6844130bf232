// MIGRATE beside redis-server: each of the pair migrates to a target of its own (real redis-server
// instances, one with a password, one with an ACL user), and the replies, what the targets then
// hold and what the sources keep must be the same. Then keys travel from redis-server to our node
// and back, a silent target gives the IOERR texts, and a replica of the source sees the DEL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { onBoth, pairForFile, plain } from '../../support/differential.js';
import { startServer, type RunningServer } from '../../support/servers.js';
import { RespClient } from '../../support/resp-client.js';
import { waitFor } from '../../support/replication.js';

const pair = pairForFile();

let targets: { ours: RunningServer; redis: RunningServer }[] = [];
let silent: Server;
let silentPort = 0;
const silentSockets: Socket[] = [];

before(async () => {
  // Two targets per source: one plain redis-server with a password and an ACL user.
  const start = () => startServer('redis', ['--requirepass', 'secret']);
  const [a, b] = await Promise.all([start(), start()]);
  targets = [{ ours: a, redis: b }];
  for (const t of [a, b]) {
    const c = await RespClient.open(t.port);
    await c.call('AUTH', 'secret');
    await c.call('ACL', 'SETUSER', 'mover', 'on', '>pw', '~*', '+@all');
    c.close();
  }
  // A target that accepts connections and never answers.
  silent = createServer((socket) => silentSockets.push(socket));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentPort = (silent.address() as { port: number }).port;
});

after(async () => {
  for (const s of silentSockets) s.destroy();
  silent.close();
  await Promise.all(targets.flatMap((t) => [t.ours.stop(), t.redis.stop()]));
});

/** The target of the source on `port` (ours or redis-server), and a client to it. */
async function targetOf(port: number): Promise<{ port: number; client: RespClient }> {
  const t = pair.servers[0]!.port === port ? targets[0]!.ours : targets[0]!.redis;
  const client = await RespClient.open(t.port);
  await client.call('AUTH', 'secret');
  return { port: t.port, client };
}

describe('MIGRATE', () => {
  test('argument errors and NOKEY', async () => {
    for (const argv of [
      ['MIGRATE', '127.0.0.1', '1', 'k', '0'],
      ['MIGRATE', '127.0.0.1', '1', 'k', '0', '1000', 'bogus'],
      ['MIGRATE', '127.0.0.1', '1', 'k', '0', '1000', 'AUTH'],
      ['MIGRATE', '127.0.0.1', '1', 'k', '0', '1000', 'AUTH2', 'u'],
      ['MIGRATE', '127.0.0.1', '1', 'k', '0', '1000', 'KEYS', 'a'],
      ['MIGRATE', '127.0.0.1', '1', 'k', 'x', '1000'],
      ['MIGRATE', '127.0.0.1', '1', 'k', '0', 'x'],
      ['MIGRATE', '127.0.0.1', '1', 'k', '0', '1000'],
      ['MIGRATE', '127.0.0.1', '1', '', '0', '1000', 'KEYS', 'a', 'b'],
      ['COMMAND', 'GETKEYS', 'MIGRATE', 'h', '1', '', '0', '5', 'COPY', 'KEYS', 'a', 'b'],
      ['COMMAND', 'GETKEYS', 'MIGRATE', 'h', '1', 'k', '0', '5', 'AUTH', 'keys'],
      ['COMMAND', 'INFO', 'MIGRATE'],
      ['COMMAND', 'DOCS', 'MIGRATE'],
    ]) {
      await pair.same(argv);
    }
  });

  test('RESTORE-ASKING and the cluster commands of a node without cluster support', async () => {
    const dump = (await pair.redis.call('DUMP', 'nokey')) as null;
    assert.equal(dump, null);
    await pair.redis.call('SET', 'src', 'v');
    const payload = (await pair.redis.call('DUMP', 'src')) as Buffer;
    await pair.redis.call('DEL', 'src');
    for (const argv of [
      ['RESTORE-ASKING', 'restored', '0', payload],
      ['RESTORE-ASKING', 'restored', '0', payload],
      ['RESTORE-ASKING', 'restored', '0', payload, 'REPLACE'],
      ['GET', 'restored'],
      ['DEL', 'restored'],
      ['ASKING'],
      ['READONLY'],
      ['READWRITE'],
      ['ASKING', 'x'],
    ]) {
      await pair.same(argv);
    }
    for (const name of ['restore-asking', 'asking', 'readonly', 'readwrite']) {
      await pair.same(['COMMAND', 'INFO', name]);
      await pair.same(['COMMAND', 'DOCS', name]);
    }
  });

  test('moves keys with their TTLs, with AUTH and AUTH2, COPY and REPLACE, as redis-server does', async () => {
    await onBoth(pair, async (port, open) => {
      const c = await open();
      const target = await targetOf(port);
      const log: unknown[] = [];
      const run = async (...argv: Array<string | number>) =>
        log.push([argv.join(' ').replace(String(target.port), 'PORT'), plain(await c.call(...argv))]);
      await c.call('SET', 'str', 'value');
      await c.call('RPUSH', 'list', 'a', 'b', 'c');
      await c.call('HSET', 'hash', 'f', 'v');
      await c.call('ZADD', 'zset', '1', 'x', '2', 'y');
      await c.call('EXPIRE', 'list', '100');
      // Without credentials the target refuses, and the keys stay here.
      await run('MIGRATE', '127.0.0.1', target.port, 'str', 0, 1000);
      await run('EXISTS', 'str');
      await run('MIGRATE', '127.0.0.1', target.port, 'str', 0, 1000, 'AUTH', 'wrong');
      await run('MIGRATE', '127.0.0.1', target.port, 'str', 0, 1000, 'AUTH', 'secret');
      await run('EXISTS', 'str');
      await run('MIGRATE', '127.0.0.1', target.port, '', 2, 1000, 'AUTH2', 'mover', 'pw', 'KEYS', 'list', 'missing', 'hash');
      await run('EXISTS', 'list', 'hash');
      // COPY keeps the key here; a second copy meets the key there, REPLACE overwrites it.
      await run('MIGRATE', '127.0.0.1', target.port, 'zset', 0, 1000, 'COPY', 'AUTH', 'secret');
      await run('MIGRATE', '127.0.0.1', target.port, 'zset', 0, 1000, 'COPY', 'AUTH', 'secret');
      await run('ZADD', 'zset', '3', 'z');
      await run('MIGRATE', '127.0.0.1', target.port, 'zset', 0, 1000, 'COPY', 'REPLACE', 'AUTH', 'secret');
      await run('EXISTS', 'zset');
      const t = target.client;
      log.push(plain(await t.call('GET', 'str')), plain(await t.call('ZRANGE', 'zset', '0', '-1', 'WITHSCORES')));
      await t.call('SELECT', '2');
      log.push(plain(await t.call('LRANGE', 'list', '0', '-1')), plain(await t.call('HGETALL', 'hash')));
      const ttl = (await t.call('TTL', 'list')) as number;
      log.push(ttl > 90 && ttl <= 100);
      await t.call('FLUSHALL');
      t.close();
      return log;
    });
  });

  test('SLOWLOG shows MIGRATE with its AUTH and AUTH2 arguments redacted', async () => {
    await onBoth(pair, async (_port, open) => {
      const c = await open();
      await c.call('SET', 'k', 'v');
      await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
      await c.call('SLOWLOG', 'RESET');
      await c.call('MIGRATE', '127.0.0.1', 1, 'k', 0, 100, 'AUTH', 'pw1');
      await c.call('MIGRATE', '127.0.0.1', 1, 'k', 0, 100, 'AUTH2', 'user', 'pw2', 'KEYS');
      const entries = plain(await c.call('SLOWLOG', 'GET', 3)) as unknown[][];
      await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
      return entries.map((e) => e[3]);
    });
  });

  test('a target that does not answer: IOERR reading; a closed port: IOERR writing (the connect itself does not wait)', async () => {
    await onBoth(pair, async (_port, open) => {
      const c = await open();
      await c.call('SET', 'k', 'v');
      const log: unknown[] = [];
      log.push(plain(await c.call('MIGRATE', '127.0.0.1', silentPort, 'k', 0, 200)));
      log.push(plain(await c.call('EXISTS', 'k')));
      // A port nobody listens on (the silent server's, closed for a moment, is not reliable: use 1).
      log.push(plain(await c.call('MIGRATE', '127.0.0.1', 1, 'k', 0, 200)));
      return log;
    });
  });

  test('keys go from redis-server to our node and back', async () => {
    const [ours, redis] = [pair.ours, pair.redis];
    const [oursPort, redisPort] = [pair.servers[0]!.port, pair.servers[1]!.port];
    await redis.call('SELECT', '5');
    await ours.call('SELECT', '5');
    await redis.call('XADD', 'stream', '1-1', 'f', 'v');
    await redis.call('SADD', 'set', 'a', 'b');
    await redis.call('PEXPIRE', 'set', '60000');
    assert.equal(plain(await redis.call('MIGRATE', '127.0.0.1', oursPort, '', 5, 1000, 'KEYS', 'stream', 'set')), 'OK');
    assert.deepEqual(plain(await ours.call('XRANGE', 'stream', '-', '+')), [['1-1', ['f', 'v']]]);
    assert.deepEqual((plain(await ours.call('SMEMBERS', 'set')) as string[]).sort(), ['a', 'b']);
    assert.ok(((await ours.call('PTTL', 'set')) as number) > 50000);
    assert.equal(plain(await ours.call('MIGRATE', '127.0.0.1', redisPort, '', 5, 1000, 'KEYS', 'stream', 'set')), 'OK');
    assert.equal(await ours.call('EXISTS', 'stream', 'set'), 0);
    assert.deepEqual(plain(await redis.call('XRANGE', 'stream', '-', '+')), [['1-1', ['f', 'v']]]);
    assert.ok(((await redis.call('PTTL', 'set')) as number) > 50000);
    const info = String(plain(await ours.call('INFO', 'stats')));
    assert.match(info, /migrate_cached_sockets:[1-9]/);
    await redis.call('FLUSHDB');
    await ours.call('SELECT', '0');
    await redis.call('SELECT', '0');
  });

  test("a replica of the source deletes the migrated keys (MIGRATE propagates as DEL), not COPY's", async () => {
    const replica = await startServer('redis', ['--replicaof', '127.0.0.1', String(pair.servers[0]!.port)]);
    const r = await RespClient.open(replica.port);
    try {
      await waitFor('replica in sync', async () => String(plain(await r.call('INFO', 'replication'))).includes('master_link_status:up'));
      const target = await targetOf(pair.servers[0]!.port);
      await pair.ours.call('MSET', 'moved', '1', 'copied', '2');
      await waitFor('keys on the replica', async () => (await r.call('EXISTS', 'moved', 'copied')) === 2);
      assert.equal(plain(await pair.ours.call('MIGRATE', '127.0.0.1', target.port, 'moved', 0, 1000, 'AUTH', 'secret')), 'OK');
      assert.equal(plain(await pair.ours.call('MIGRATE', '127.0.0.1', target.port, 'copied', 0, 1000, 'COPY', 'AUTH', 'secret')), 'OK');
      await pair.ours.call('SET', 'marker', 'x');
      await waitFor('marker on the replica', async () => (await r.call('EXISTS', 'marker')) === 1);
      assert.equal(await r.call('EXISTS', 'moved'), 0);
      assert.equal(await r.call('EXISTS', 'copied'), 1);
      await target.client.call('FLUSHALL');
      target.client.close();
    } finally {
      r.close();
      await replica.stop();
    }
  });
});
