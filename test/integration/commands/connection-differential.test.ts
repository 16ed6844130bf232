// Connection and server commands against Debian's redis-server 7.0: HELLO, AUTH, RESET, CLIENT,
// CONFIG SET/RESETSTAT, SLOWLOG, LATENCY, MONITOR's line format, requirepass; replies compared
// exactly except where they hold per-connection data (ids, addresses).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { pairForFile, startPair } from '../../support/differential.js';
import { RespClient, encodeCommand, show } from '../../support/resp-client.js';

const pair = pairForFile(['--enable-debug-command', 'yes']);

describe('HELLO / AUTH / RESET', () => {
  test('errors and syntax', async () => {
    for (const argv of [
      ['HELLO', '4'],
      ['HELLO', '1'],
      ['HELLO', 'abc'],
      ['HELLO', '3', 'foo'],
      ['HELLO', '3', 'AUTH', 'a'],
      ['HELLO', '2', 'SETNAME', 'a b'],
      ['HELLO', '2', 'AUTH', 'nouser', 'x'],
      ['AUTH', 'a'],
      ['AUTH', 'a', 'b'],
      ['AUTH', 'a', 'b', 'c'],
      ['AUTH'],
    ]) {
      await pair.same(argv);
    }
  });

  test('HELLO 3 switches to RESP3 and returns the server map', async () => {
    const [a, b] = await Promise.all([pair.ours.call('HELLO', '3', 'SETNAME', 'me'), pair.redis.call('HELLO', '3', 'SETNAME', 'me')]);
    const mask = (r: unknown) => JSON.stringify(r).replace(/"id",\d+/, '"id",0');
    assert.equal(mask(show(a)), mask(show(b)));
    await pair.same(['CLIENT', 'GETNAME']);
    await pair.same(['HGETALL', 'nohash']);
    await pair.same(['RESET']);
    await pair.same(['CLIENT', 'GETNAME']);
    await pair.same(['GET', 'nokey']); // back to RESP2: $-1
  });
});

describe('CLIENT', () => {
  test('errors and simple subcommands', async () => {
    for (const argv of [
      ['CLIENT', 'KILL', 'ID', 'abc'],
      ['CLIENT', 'KILL', 'ID', '0'],
      ['CLIENT', 'KILL', 'TYPE', 'foo'],
      ['CLIENT', 'KILL', 'USER', 'nobody'],
      ['CLIENT', 'KILL', '1.2.3.4:5'],
      ['CLIENT', 'KILL', 'foo', 'bar'],
      ['CLIENT', 'KILL', 'ADDR', '1.2.3.4:5'],
      ['CLIENT', 'KILL', 'SKIPME', 'maybe'],
      ['CLIENT', 'REPLY', 'foo'],
      ['CLIENT', 'NO-EVICT', 'maybe'],
      ['CLIENT', 'NO-EVICT', 'on'],
      ['CLIENT', 'SETNAME', 'a b'],
      ['CLIENT', 'SETNAME', 'name1'],
      ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME', ''],
      ['CLIENT', 'GETNAME'],
      ['CLIENT', 'LIST', 'TYPE', 'foo'],
      ['CLIENT', 'LIST', 'ID', 'x'],
      ['CLIENT', 'LIST', 'bar'],
      ['CLIENT', 'PAUSE', 'abc'],
      ['CLIENT', 'PAUSE', '-1'],
      ['CLIENT', 'PAUSE', '10', 'foo'],
      ['CLIENT', 'PAUSE', '10', 'WRITE', 'x'],
      ['CLIENT', 'UNPAUSE'],
      ['CLIENT', 'HELP'],
      ['CLIENT', 'NOSUCH'],
    ]) {
      await pair.same(argv);
    }
  });

  test('CLIENT LIST / INFO lines have Redis 7.0 fields in order', async () => {
    const fields = (line: string) =>
      line
        .trim()
        .split(' ')
        .map((kv) => kv.split('=')[0]);
    const [a, b] = await Promise.all([pair.ours.call('CLIENT', 'INFO'), pair.redis.call('CLIENT', 'INFO')]);
    assert.deepEqual(fields(String(a)), fields(String(b)));
    assert.match(String(a), / cmd=client\|info user=default redir=-1 resp=2\n$/);
  });

  test('CLIENT REPLY OFF / SKIP / ON', async () => {
    const seen = await Promise.all(
      [pair.ours, pair.redis].map(async (c) => {
        const script = [
          ['CLIENT', 'REPLY', 'OFF'],
          ['SET', 'silent', '1'],
          ['CLIENT', 'REPLY', 'ON'],
          ['CLIENT', 'REPLY', 'SKIP'],
          ['INCR', 'silent'],
          ['GET', 'silent'],
        ];
        const first = await c.send(Buffer.concat(script.map(encodeCommand)));
        await sleep(50);
        return [first, ...c.unsolicited.splice(0)].map(show);
      }),
    );
    assert.deepEqual(seen[0], seen[1]);
    assert.deepEqual(seen[0], ['OK', '2']);
  });

  test('CLIENT KILL by id closes that connection', async () => {
    for (const client of [pair.ours, pair.redis]) {
      const victim = await RespClient.open((client === pair.ours ? pair.servers[0] : pair.servers[1])!.port);
      const id = await victim.call('CLIENT', 'ID');
      assert.equal(await client.call('CLIENT', 'KILL', 'ID', String(id)), 1);
      await victim.closed();
    }
  });

  test('CLIENT PAUSE WRITE holds writes, not reads, until UNPAUSE', async () => {
    const other = await RespClient.open(pair.servers[0]!.port);
    await pair.ours.call('CLIENT', 'PAUSE', '5000', 'WRITE');
    const write = other.call('SET', 'paused', '1');
    assert.equal(await pair.ours.call('GET', 'paused'), null);
    assert.equal(await Promise.race([write.then(() => 'done'), sleep(200).then(() => 'held')]), 'held');
    await pair.ours.call('CLIENT', 'UNPAUSE');
    assert.equal(await write, 'OK');
    other.close();
  });
});

describe('CONFIG SET / RESETSTAT / REWRITE', () => {
  test('errors, several pairs, immutable and duplicate parameters', async () => {
    for (const argv of [
      ['CONFIG', 'SET', 'foo', 'bar'],
      ['CONFIG', 'SET', 'daemonize', 'yes'],
      ['CONFIG', 'SET', 'maxmemory', '10', 'maxmemory', '20'],
      ['CONFIG', 'SET', 'maxmemory', 'abc'],
      ['CONFIG', 'SET', 'maxmemory*', '1'],
      ['CONFIG', 'SET', 'maxmemory'],
      ['CONFIG', 'SET', 'maxmemory', '1mb', 'timeout'],
      ['CONFIG', 'SET', 'maxmemory', '1mb', 'hz', 'abc'], // atomic: maxmemory is not changed
      ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'SET', 'maxmemory', '2mb', 'slowlog-max-len', '5'],
      ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'GET', 'slowlog-max-len'],
      ['CONFIG', 'SET', 'maxmemory', '0'],
      // No active defragmentation: refused as by a redis-server without Redis's own jemalloc.
      ['CONFIG', 'SET', 'activedefrag', 'yes'],
      ['CONFIG', 'SET', 'activedefrag', 'no'],
      ['CONFIG', 'GET', 'activedefrag'],
      ['CONFIG', 'RESETSTAT'],
      ['CONFIG', 'REWRITE'],
      ['CONFIG', 'HELP'],
    ]) {
      await pair.same(argv);
    }
  });
});

describe('SLOWLOG / LATENCY', () => {
  test('slow commands are logged with their arguments', async () => {
    await pair.same(['CONFIG', 'SET', 'slowlog-log-slower-than', '0']);
    await pair.same(['SLOWLOG', 'RESET']);
    await pair.same(['SET', 'slow', 'x'.repeat(200)]);
    const [a, b] = await Promise.all([pair.ours.call('SLOWLOG', 'GET'), pair.redis.call('SLOWLOG', 'GET')]);
    // Ids, times and durations differ; the logged arguments must not.
    const args = (r: unknown) => (show(r as never) as unknown[][]).map((e) => e[3]);
    assert.deepEqual(args(a), args(b));
    for (const argv of [
      ['SLOWLOG', 'GET', 'abc'],
      ['SLOWLOG', 'GET', '-2'],
      ['SLOWLOG', 'GET', '1', '2'],
      ['SLOWLOG', 'HELP'],
    ]) {
      await pair.same(argv);
    }
    await pair.same(['CONFIG', 'SET', 'slowlog-log-slower-than', '10000']);
    await pair.same(['SLOWLOG', 'RESET']);
    await pair.same(['SLOWLOG', 'LEN']);
  });

  test('LATENCY with the monitor disabled', async () => {
    for (const argv of [
      ['LATENCY', 'LATEST'],
      ['LATENCY', 'HISTORY', 'command'],
      ['LATENCY', 'RESET'],
      ['LATENCY', 'DOCTOR'],
      ['LATENCY', 'HELP'],
    ]) {
      await pair.same(argv);
    }
  });
});

describe('MONITOR', () => {
  test("lines look exactly like Redis's", async () => {
    const lines: string[][] = [];
    for (const server of pair.servers) {
      const monitor = await RespClient.open(server.port);
      assert.equal(await monitor.call('MONITOR'), 'OK');
      const c = await RespClient.open(server.port);
      await c.call('SET', 'k', 'a b"\n\x01');
      await c.call('CONFIG', 'GET', 'port'); // admin: not shown
      await c.call('SELECT', '2');
      await c.call('GET', 'k');
      await sleep(50);
      lines.push(monitor.unsolicited.map((r) => String(r).replace(/^\d+\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\]/, '[$1 addr]')));
      monitor.close();
      c.close();
    }
    assert.deepEqual(lines[0], lines[1]);
    assert.equal(lines[0]!.length, 3);
  });
});

describe('requirepass', () => {
  test('NOAUTH until AUTH, WRONGPASS, HELLO AUTH', async () => {
    const secured = await startPair(['--requirepass', 'sekret']);
    try {
      for (const argv of [
        ['GET', 'k'],
        ['PING'],
        ['HELLO', '3'],
        ['AUTH', 'wrong'],
        ['AUTH', 'default', 'wrong'],
        ['AUTH', 'sekret'],
        ['GET', 'k'],
        ['RESET'],
        ['GET', 'k'],
        ['HELLO', '2', 'AUTH', 'default', 'wrong'],
        ['AUTH', 'nobody', 'sekret'],
      ]) {
        await secured.same(argv);
      }
    } finally {
      await secured.close();
    }
  });
});
