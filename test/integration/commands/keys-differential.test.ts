// Generic key commands against Debian's redis-server 7.0, reply for reply: TYPE, EXISTS, DEL,
// UNLINK, TOUCH, RENAME(NX), the EXPIRE family with NX/XX/GT/LT, TTL/PTTL/(P)EXPIRETIME, PERSIST,
// KEYS, SCAN (MATCH COUNT TYPE), RANDOMKEY, MOVE, COPY, SWAPDB and OBJECT; what expiry commands
// propagate; and a seeded random stream of key commands with TTLs. Remaining times are compared
// with a small tolerance (each server reads its own clock); everything else exactly.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { pairForFile, startPair } from '../../support/differential.js';
import { RespClient, show, type Reply } from '../../support/resp-client.js';
import { InProcessNode, seededRandom, serves } from '../../support/command-families.js';

const pair = pairForFile();

type Arg = string | Buffer | number;

/** Commands whose reply is a time that may differ by the moment each server ran them. */
const TIME_TOLERANCE: Record<string, number> = { ttl: 1, expiretime: 1, pttl: 100, pexpiretime: 100 };

/** Sends argv to both; replies must match exactly, or within TIME_TOLERANCE for time replies. */
async function sameOrClose(argv: Arg[]): Promise<Reply> {
  const tolerance = TIME_TOLERANCE[String(argv[0]).toLowerCase()];
  if (tolerance === undefined) return pair.same(argv);
  const [ours, redis] = await Promise.all([pair.ours.call(...argv), pair.redis.call(...argv)]);
  const message = `reply to ${argv.join(' ')}: ours ${JSON.stringify(show(ours))}, redis-server ${JSON.stringify(show(redis))}`;
  // Errors, -1 and -2 (no TTL, no key) must match exactly; only real times get the tolerance.
  if (typeof ours !== 'number' || typeof redis !== 'number' || ours < 0 || redis < 0) {
    assert.deepEqual(show(ours), show(redis), message);
  } else assert.ok(Math.abs((ours as number) - (redis as number)) <= tolerance, message);
  return ours;
}

describe('keys', () => {
  test('TYPE, EXISTS, DEL, UNLINK and TOUCH over every type served', async () => {
    const setup: Arg[][] = [['FLUSHALL'], ['SET', 's', 'v'], ['SET', 'n', '12']];
    if (await serves(pair.ours, 'rpush')) setup.push(['RPUSH', 'l', 'a']);
    if (await serves(pair.ours, 'hset')) setup.push(['HSET', 'h', 'f', 'v']);
    if (await serves(pair.ours, 'sadd')) setup.push(['SADD', 'st', 'm']);
    if (await serves(pair.ours, 'zadd')) setup.push(['ZADD', 'z', '1', 'm']);
    await pair.sameAll(setup);
    for (const key of ['s', 'n', 'l', 'h', 'st', 'z', 'missing']) await pair.same(['TYPE', key]);
    await pair.sameAll([
      ['EXISTS', 's', 'n', 's', 'missing'],
      ['TOUCH', 's', 'n', 'missing', 's'],
      ['DEL', 's', 'missing', 's'],
      ['UNLINK', 'n', 'missing'],
      ['EXISTS', 's', 'n'],
      ['DEL', 'missing'],
      ['TYPE'],
      ['TYPE', 'a', 'b'],
      ['EXISTS'],
      ['DEL'],
      ['UNLINK'],
      ['TOUCH'],
    ]);
  });

  test('RENAME and RENAMENX move the value and its TTL, and report missing keys', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['SET', 'a', '1'],
      ['SET', 'b', '2'],
      ['RENAME', 'missing', 'x'],
      ['RENAMENX', 'missing', 'x'],
      ['RENAME', 'a', 'a'],
      ['RENAMENX', 'a', 'a'],
      ['RENAMENX', 'a', 'b'],
      ['RENAMENX', 'a', 'c'],
      ['GET', 'c'],
      ['EXISTS', 'a'],
      ['EXPIRE', 'c', '1000'],
      ['RENAME', 'c', 'b'],
      ['GET', 'b'],
      ['EXISTS', 'c'],
      ['PERSIST', 'b'],
      ['SET', 'big', 'x'.repeat(100)],
      ['APPEND', 'raw', 'x'],
      ['APPEND', 'raw', 'y'],
      ['RENAME', 'raw', 'moved'],
      ['OBJECT', 'ENCODING', 'moved'],
      ['RENAME', 'a'],
      ['RENAMENX', 'a', 'b', 'c'],
    ]);
    await sameOrClose(['TTL', 'b']);
    await pair.sameAll([
      ['EXPIRE', 'b', '100'],
      ['RENAME', 'b', 'big'],
    ]);
    await sameOrClose(['TTL', 'big']);
  });

  test('EXPIRE family: units, NX XX GT LT, overflow and option errors', async () => {
    await pair.sameAll([['FLUSHALL'], ['SET', 'k', 'v']]);
    const steps: Arg[][] = [
      ['EXPIRE', 'k', '100'],
      ['TTL', 'k'],
      ['PTTL', 'k'],
      ['EXPIRE', 'k', '200', 'NX'],
      ['EXPIRE', 'k', '200', 'XX'],
      ['TTL', 'k'],
      ['EXPIRE', 'k', '50', 'GT'],
      ['EXPIRE', 'k', '500', 'gt'],
      ['TTL', 'k'],
      ['EXPIRE', 'k', '600', 'LT'],
      ['EXPIRE', 'k', '60', 'lt'],
      ['TTL', 'k'],
      ['PERSIST', 'k'],
      ['PERSIST', 'k'],
      ['TTL', 'k'],
      ['EXPIRE', 'k', '100', 'XX'],
      ['EXPIRE', 'k', '100', 'GT'],
      ['EXPIRE', 'k', '100', 'LT'],
      ['PEXPIRE', 'k', '123456', 'NX'],
      ['PTTL', 'k'],
      ['EXPIREAT', 'k', '99999999999'],
      ['EXPIRETIME', 'k'],
      ['PEXPIRETIME', 'k'],
      ['PEXPIREAT', 'k', '99999999999999'],
      ['PEXPIRETIME', 'k'],
      ['EXPIRETIME', 'k'],
      ['TTL', 'missing'],
      ['PTTL', 'missing'],
      ['EXPIRETIME', 'missing'],
      ['PEXPIRETIME', 'missing'],
      ['EXPIRE', 'missing', '100'],
      ['PERSIST', 'missing'],
      ['EXPIRE', 'k', '10', 'NX', 'XX'],
      ['EXPIRE', 'k', '10', 'NX', 'GT'],
      ['EXPIRE', 'k', '10', 'GT', 'LT'],
      ['EXPIRE', 'k', '10', 'XX', 'XX'],
      ['EXPIRE', 'k', '10', 'FOO'],
      ['EXPIRE', 'k', 'abc', 'FOO'],
      ['EXPIRE', 'k', 'abc'],
      ['EXPIRE', 'k', '1.5'],
      ['EXPIRE', 'k', '9223372036854775807'],
      ['EXPIRE', 'k', '-9223372036854775808'],
      ['PEXPIRE', 'k', '9223372036854775807'],
      ['EXPIREAT', 'k', '9223372036854775807'],
      ['EXPIRE', 'missing', '9223372036854775807'],
      ['EXPIRE', 'k'],
      ['TTL'],
      ['PERSIST', 'k', 'x'],
    ];
    for (const argv of steps) await sameOrClose(argv);
  });

  test('an expiry in the past deletes the key at once, with or without conditions', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['MSET', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5'],
      ['EXPIRE', 'a', '-1'],
      ['PEXPIRE', 'b', '0'],
      ['EXPIREAT', 'c', '1'],
      ['PEXPIREAT', 'd', '-100', 'NX'],
      ['EXPIRE', 'e', '100'],
      ['EXPIRE', 'e', '-5', 'GT'],
      ['EXPIRE', 'e', '-5', 'LT'],
      ['EXISTS', 'a', 'b', 'c', 'd', 'e'],
      ['DBSIZE'],
    ]);
  });

  test('expiry commands propagate absolute times, and DEL for a time in the past', () => {
    const node = new InProcessNode();
    node.run('SET', 'k', 'v');
    node.takeEffects();
    const before = Date.now();
    node.run('EXPIRE', 'k', '100', 'NX');
    const [expire] = node.takeEffects();
    assert.equal(expire![0], 'PEXPIREAT');
    assert.equal(expire![1], 'k');
    assert.ok(Number(expire![2]) >= before + 100_000 && Number(expire![2]) <= Date.now() + 100_000);
    assert.equal(expire![3], 'NX');
    node.run('EXPIREAT', 'k', '99999999999');
    assert.deepEqual(node.takeEffects(), [['PEXPIREAT', 'k', '99999999999000']]);
    node.run('PEXPIREAT', 'k', '99999999999999');
    assert.deepEqual(node.takeEffects(), [['PEXPIREAT', 'k', '99999999999999']]);
    node.run('EXPIRE', 'k', '100', 'GT');
    assert.deepEqual(node.takeEffects(), [], 'a condition that fails changes nothing');
    node.run('PERSIST', 'k');
    assert.deepEqual(node.takeEffects(), [['PERSIST', 'k']]);
    node.run('EXPIRE', 'k', '-1');
    assert.deepEqual(node.takeEffects(), [['DEL', 'k']]);
    const lazy = new InProcessNode(['--lazyfree-lazy-expire', 'yes']);
    lazy.run('SET', 'k', 'v');
    lazy.takeEffects();
    lazy.run('PEXPIREAT', 'k', '1');
    assert.deepEqual(lazy.takeEffects(), [['UNLINK', 'k']]);
  });

  test('KEYS with glob patterns skips expired keys', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['MSET', 'foo', '1', 'foo2', '2', 'fab', '3', 'bar', '4', 'a*b', '5', '', '6', 'h\\llo', '7', 'hallo', '8'],
      ['SET', 'gone', 'x', 'PX', '1'],
    ]);
    await sleep(5);
    for (const pattern of [
      '*',
      'f*',
      'f?o',
      'f[ao]*',
      'f[^a]*',
      '[a-c]*',
      'a\\*b',
      '*o',
      '',
      'h\\\\llo',
      'h[a-]llo',
      'nomatch*',
      'g*',
      'foo',
      'foo2',
      'f**',
      '**',
    ]) {
      await pair.same(['KEYS', pattern], { unordered: true });
    }
    await pair.sameAll([['KEYS'], ['KEYS', 'a', 'b']]);
  });

  test('SCAN visits every key once over a full iteration, with MATCH, COUNT and TYPE', async () => {
    const setup: Arg[][] = [['FLUSHALL']];
    for (let i = 0; i < 300; i++) setup.push(['SET', `key:${i}`, String(i)]);
    const haveHashes = await serves(pair.ours, 'hset');
    if (haveHashes) for (let i = 0; i < 20; i++) setup.push(['HSET', `hash:${i}`, 'f', 'v']);
    await pair.sameAll(setup);
    const fullScan = async (client: typeof pair.ours, options: Arg[]) => {
      const seen: string[] = [];
      let cursor = '0';
      do {
        const reply = show(await client.call('SCAN', cursor, ...options)) as [string, string[]];
        cursor = reply[0];
        seen.push(...reply[1]);
      } while (cursor !== '0');
      return seen.sort();
    };
    for (const options of [
      [],
      ['COUNT', '7'],
      ['MATCH', 'key:1*'],
      ['MATCH', '*:5', 'COUNT', '1000'],
      ['TYPE', 'hash'],
      ['TYPE', 'STRING', 'MATCH', 'key:2?'],
      ['TYPE', 'nosuchtype'],
    ]) {
      const ours = await fullScan(pair.ours, options);
      assert.equal(new Set(ours).size, ours.length, `SCAN ${options.join(' ')} returned a key twice`);
      assert.deepEqual(ours, await fullScan(pair.redis, options), `SCAN ${options.join(' ')}`);
    }
    await pair.sameAll([
      ['SCAN', '0', 'COUNT', '0'],
      ['SCAN', '0', 'COUNT', '-1'],
      ['SCAN', '0', 'COUNT', 'abc'],
      ['SCAN', '0', 'MATCH'],
      ['SCAN', '0', 'TYPE'],
      ['SCAN', '0', 'FOO', 'bar'],
      ['SCAN', 'abc'],
      ['SCAN', '1.5'],
      ['SCAN', '18446744073709551616'],
      ['SCAN'],
    ]);
    // Past the end: both servers finish the iteration at once.
    await pair.same(['SCAN', '18446744073709551615', 'COUNT', '1', 'MATCH', 'nothing']);
  });

  test('RANDOMKEY: null on an empty database, the only key otherwise', async () => {
    await pair.sameAll([['FLUSHALL'], ['RANDOMKEY'], ['SET', 'only', 'v'], ['RANDOMKEY'], ['SET', 'gone', 'v', 'PX', '1']]);
    await sleep(5);
    await pair.sameAll([['DEL', 'only'], ['RANDOMKEY'], ['RANDOMKEY', 'x']]);
  });

  test('MOVE and COPY between databases, with TTLs, REPLACE and their errors', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['SET', 'k', 'v'],
      ['EXPIRE', 'k', '1000'],
      ['MOVE', 'k', '0'],
      ['MOVE', 'k', '16'],
      ['MOVE', 'k', '-1'],
      ['MOVE', 'k', 'abc'],
      ['MOVE', 'k', '4294967296'],
      ['MOVE', 'missing', '1'],
      ['MOVE', 'k', '1'],
      ['EXISTS', 'k'],
      ['SELECT', '1'],
      ['GET', 'k'],
      ['SET', 'other', 'x'],
      ['SELECT', '0'],
      ['SET', 'k', 'second'],
      ['MOVE', 'k', '1'],
      ['COPY', 'k', 'k2'],
      ['COPY', 'k', 'k2'],
      ['SET', 'k2', 'old'],
      ['COPY', 'k', 'k2', 'REPLACE'],
      ['GET', 'k2'],
      ['COPY', 'k', 'k'],
      ['COPY', 'k', 'k', 'DB', '0'],
      ['COPY', 'k', 'k', 'DB', '1'],
      ['COPY', 'k', 'k', 'DB', '1', 'REPLACE'],
      ['COPY', 'missing', 'x'],
      ['COPY', 'k', 'x', 'DB', '99'],
      ['COPY', 'k', 'x', 'DB', 'abc'],
      ['COPY', 'k', 'x', 'DB'],
      ['COPY', 'k', 'x', 'FOO'],
      ['COPY', 'k'],
      ['SELECT', '1'],
      ['GET', 'k'],
      ['SELECT', '0'],
      ['SET', 'n', '42'],
      ['COPY', 'n', 'n2'],
      ['OBJECT', 'ENCODING', 'n2'],
      ['APPEND', 'r', 'abc'],
      ['APPEND', 'r', 'def'],
      ['COPY', 'r', 'r2'],
      ['OBJECT', 'ENCODING', 'r2'],
    ]);
    await sameOrClose(['TTL', 'k']);
    await pair.sameAll([['SELECT', '1']]);
    await sameOrClose(['TTL', 'k']);
    await pair.sameAll([['SELECT', '0']]);
    if (await serves(pair.ours, 'sadd')) {
      // A copy of an aggregate is independent of its source.
      await pair.sameAll([
        ['SADD', 'set', 'a', 'b'],
        ['COPY', 'set', 'set2'],
        ['SREM', 'set', 'a'],
        ['SCARD', 'set2'],
        ['TYPE', 'set2'],
      ]);
    }
  });

  test('SWAPDB exchanges databases, TTLs included', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['SET', 'in0', 'a'],
      ['SELECT', '3'],
      ['SET', 'in3', 'b', 'EX', '1000'],
      ['SWAPDB', '0', '3'],
      ['KEYS', '*'],
      ['SELECT', '0'],
      ['KEYS', '*'],
      ['SWAPDB', '2', '2'],
      ['SWAPDB', '0', '16'],
      ['SWAPDB', '-1', '0'],
      ['SWAPDB', 'a', '0'],
      ['SWAPDB', '0', 'b'],
      ['SWAPDB', '0'],
    ]);
    await sameOrClose(['TTL', 'in3']);
  });

  test('OBJECT ENCODING, REFCOUNT, FREQ, HELP and subcommand errors', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['SET', 'small-int', '123'],
      ['SET', 'shared', '9999'],
      ['SET', 'unshared', '10000'],
      ['SET', 'negative', '-1'],
      ['SET', 'padded', '0123'],
      ['SET', 'long-int', '9223372036854775807'],
      ['SET', 'too-long', '9223372036854775808'],
      ['SET', 'embstr', 'x'.repeat(44)],
      ['SET', 'raw', 'x'.repeat(45)],
    ]);
    for (const key of ['small-int', 'shared', 'unshared', 'negative', 'padded', 'long-int', 'too-long', 'embstr', 'raw', 'missing']) {
      await pair.same(['OBJECT', 'ENCODING', key]);
      await pair.same(['OBJECT', 'REFCOUNT', key]);
    }
    await pair.sameAll([
      ['OBJECT', 'FREQ', 'raw'],
      ['OBJECT', 'FREQ', 'missing'],
      ['OBJECT', 'IDLETIME', 'missing'],
      ['OBJECT', 'HELP'],
      ['OBJECT', 'help'],
      ['OBJECT', 'NOPE', 'raw'],
      ['OBJECT', 'ENCODING'],
      ['OBJECT', 'ENCODING', 'a', 'b'],
      ['OBJECT', 'HELP', 'x'],
      ['OBJECT'],
    ]);
  });

  test('OBJECT IDLETIME counts from the last access; TYPE, TTL, EXISTS and OBJECT do not touch', async () => {
    await pair.sameAll([['FLUSHALL'], ['SET', 'idle', 'v'], ['SET', 'used', 'v'], ['OBJECT', 'IDLETIME', 'idle']]);
    await sleep(2100);
    await pair.sameAll([
      ['TYPE', 'idle'],
      ['TTL', 'idle'],
      ['EXISTS', 'idle'],
      ['OBJECT', 'ENCODING', 'idle'],
      ['GET', 'used'],
    ]);
    for (const client of [pair.ours, pair.redis]) {
      const idle = (await client.call('OBJECT', 'IDLETIME', 'idle')) as number;
      assert.ok(idle >= 2 && idle <= 3, `idle key: ${idle}`);
      assert.equal(await client.call('OBJECT', 'IDLETIME', 'used'), 0);
    }
    await pair.sameAll([
      ['TOUCH', 'idle'],
      ['OBJECT', 'IDLETIME', 'idle'],
    ]);
  });

  test('keyspace notifications of key and string commands, event for event', async () => {
    const events = await startPair(['--notify-keyspace-events', 'KEA']);
    try {
      const subscribers = await Promise.all(events.servers.map((s) => RespClient.open(s.port)));
      for (const subscriber of subscribers) await subscriber.call('PSUBSCRIBE', '__key*__:*');
      for (const argv of [
        ['SET', 'a', '1'],
        ['INCR', 'a'],
        ['INCRBYFLOAT', 'a', '1.5'],
        ['APPEND', 'a', 'x'],
        ['SETRANGE', 'a', '0', 'y'],
        ['SETBIT', 'bits', '3', '1'],
        ['BITFIELD', 'bits', 'SET', 'u8', '0', '9'],
        ['BITOP', 'NOT', 'not', 'bits'],
        ['MSET', 'm1', 'x', 'm2', 'y'],
        ['GETSET', 'm1', 'z'],
        ['SETEX', 'ex', '100', 'v'],
        ['SET', 'px', 'v', 'PX', '100000'],
        ['GETEX', 'px', 'PERSIST'],
        ['GETEX', 'px', 'EX', '100'],
        ['GETEX', 'px', 'PXAT', '1'],
        ['GETDEL', 'm2'],
        ['EXPIRE', 'a', '100'],
        ['PERSIST', 'a'],
        ['PEXPIRE', 'a', '-1'],
        ['RENAME', 'm1', 'r'],
        ['RENAMENX', 'r', 'r2'],
        ['MOVE', 'r2', '1'],
        ['COPY', 'bits', 'copy'],
        ['COPY', 'bits', 'copy', 'DB', '2'],
        ['DEL', 'copy', 'missing'],
        ['UNLINK', 'not'],
        ['BITOP', 'AND', 'bits', 'missing'],
        ['SWAPDB', '0', '1'],
      ]) {
        await events.same(argv);
      }
      // A PING after the writes: its reply arrives after every message published before it.
      await Promise.all(subscribers.map((s) => s.call('PING')));
      const [ours, redis] = subscribers.map((s) => s.unsolicited.map(show));
      assert.ok(redis!.length > 40, `redis-server published ${redis!.length} messages`);
      assert.deepEqual(ours, redis);
      for (const subscriber of subscribers) subscriber.close();
    } finally {
      await events.close();
    }
  });

  test('seeded random stream of key commands with TTLs', async () => {
    const random = seededRandom(20240607);
    const keys = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'];
    const key = () => random.pick(keys);
    const haveSets = await serves(pair.ours, 'sadd');
    const haveHashes = await serves(pair.ours, 'hset');
    // Expiry times are either far enough away not to pass during the run or already past, so
    // both servers agree on which keys exist.
    const ttl = () => random.pick(['-1', '0', '100', '1000', '86400']);
    const generators: (() => Arg[])[] = [
      () => ['SET', key(), `v${random.int(100)}`],
      () => ['SET', key(), String(random.int(20000) - 100), 'EX', random.pick(['100', '1000'])],
      () => ['MSET', key(), 'a', key(), String(random.int(50))],
      () => ['APPEND', key(), 'xy'],
      () => ['DEL', key(), key()],
      () => ['UNLINK', key()],
      () => ['EXISTS', key(), key()],
      () => ['TYPE', key()],
      () => ['TOUCH', key(), key()],
      () => ['EXPIRE', key(), ttl(), ...(random.int(3) === 0 ? [random.pick(['NX', 'XX', 'GT', 'LT'])] : [])],
      () => ['PEXPIRE', key(), ttl() + '000'],
      () => ['EXPIREAT', key(), random.pick(['1', '99999999999'])],
      () => ['PERSIST', key()],
      () => ['TTL', key()],
      () => ['PTTL', key()],
      () => ['EXPIRETIME', key()],
      () => ['PEXPIRETIME', key()],
      () => ['RENAME', key(), key()],
      () => ['RENAMENX', key(), key()],
      () => ['COPY', key(), key(), ...(random.int(2) ? ['REPLACE'] : [])],
      () => ['MOVE', key(), '1'],
      () => ['OBJECT', 'ENCODING', key()],
      () => ['OBJECT', 'REFCOUNT', key()],
      () => ['GETEX', key(), ...random.pick([['PERSIST'], ['EX', '100'], ['PXAT', '1'], []])],
      () => ['SELECT', random.pick(['0', '0', '1'])],
      () => ['DBSIZE'],
    ];
    if (haveSets) generators.push(() => ['SADD', key(), 'm1', String(random.int(5))]);
    if (haveHashes) generators.push(() => ['HSET', key(), 'f', 'v']);
    await pair.sameAll([['FLUSHALL']]);
    for (let i = 0; i < 3000; i++) {
      const argv = random.pick(generators)();
      await sameOrClose(argv);
      if (i % 500 === 499) {
        await pair.same(['KEYS', '*'], { unordered: true });
      }
    }
    await pair.same(['SELECT', '0']);
  });
});
