// Hash commands against Debian's redis-server 7.0, reply for reply: normal use, edge cases, every
// error, the listpack/hashtable encodings and their orders, HSCAN cursors, HRANDFIELD's shapes,
// what HINCRBYFLOAT propagates, and a seeded random stream of hash commands.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pairForFile, stringArray } from '../../support/differential.js';
import { show, type Reply } from '../../support/resp-client.js';
import { InProcessNode, seededRandom, serves } from '../../support/command-families.js';

const pair = pairForFile();

type Arg = string | Buffer | number;

/** HGETALL-style flat field/value replies as a sorted list of pairs (hashtable order is Redis's own). */
function pairsOf(reply: Reply): string[] {
  const flat = stringArray(reply);
  const pairs: string[] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push(JSON.stringify([flat[i], flat[i + 1]]));
  return pairs.sort();
}

/**
 * The encoding of `key` must be what redis-server's OBJECT ENCODING says: on the in-process mirror
 * (read off the value), and through OBJECT ENCODING on our server too once it serves OBJECT.
 */
async function sameEncoding(mirror: InProcessNode, key: string): Promise<void> {
  const expected = show(await pair.redis.call('OBJECT', 'ENCODING', key));
  assert.equal(mirror.encoding(key), expected, `encoding of ${key}`);
  if (await serves(pair.ours, 'object')) await pair.same(['OBJECT', 'ENCODING', key]);
}

describe('hashes', () => {
  test('small hashes are listpacks and reply in insertion order, updates in place, deletes closing up', async () => {
    const mirror = new InProcessNode();
    await pair.sameAll(
      [
        ['FLUSHALL'],
        ['HSET', 'h', 'f1', 'v1', 'f2', 'v2', 'f3', 'v3'],
        ['HSET', 'h', 'f2', 'new', 'f4', 'v4'],
        ['HDEL', 'h', 'f1'],
        ['HSET', 'h', 'f1', 'again'],
        ['HGETALL', 'h'],
        ['HKEYS', 'h'],
        ['HVALS', 'h'],
        ['HGET', 'h', 'f2'],
        ['HGET', 'h', 'nope'],
        ['HGET', 'missing', 'f'],
        ['HMGET', 'h', 'f1', 'nope', 'f4', 'f1'],
        ['HMGET', 'missing', 'a', 'b'],
        ['HLEN', 'h'],
        ['HLEN', 'missing'],
        ['HEXISTS', 'h', 'f3'],
        ['HEXISTS', 'h', 'nope'],
        ['HEXISTS', 'missing', 'f3'],
        ['HSTRLEN', 'h', 'f2'],
        ['HSTRLEN', 'h', 'nope'],
        ['HSTRLEN', 'missing', 'f'],
        ['HGETALL', 'missing'],
        ['HKEYS', 'missing'],
        ['HVALS', 'missing'],
        ['HSET', 'h', 'empty', ''],
        ['HGET', 'h', 'empty'],
        ['HSET', 'h', Buffer.from([0, 255, 13, 10]), Buffer.from([1, 2, 0])],
        ['HGETALL', 'h'],
      ],
      mirror,
    );
    await sameEncoding(mirror, 'h');
  });

  test('HSETNX, HMSET, HDEL and the removal of emptied hashes', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['HSETNX', 'h', 'a', '1'],
      ['HSETNX', 'h', 'a', '2'],
      ['HGET', 'h', 'a'],
      ['HMSET', 'h', 'b', '2', 'c', '3'],
      ['HMSET', 'h', 'b', '20'],
      ['HGETALL', 'h'],
      ['HDEL', 'h', 'nope'],
      ['HDEL', 'missing', 'a'],
      ['HDEL', 'h', 'a', 'a', 'b'],
      ['HDEL', 'h', 'c', 'x'],
      ['EXISTS', 'h'],
      ['HSET', 'h', 'a', '1', 'a', '2'],
      ['HGETALL', 'h'],
    ]);
  });

  test('wrong types, wrong arity and odd field/value lists get Redis errors', async () => {
    await pair.sameAll([['FLUSHALL'], ['SET', 'str', 'x']]);
    const wrongType: Arg[][] = [
      ['HSET', 'str', 'a', '1'],
      ['HSETNX', 'str', 'a', '1'],
      ['HMSET', 'str', 'a', '1'],
      ['HGET', 'str', 'a'],
      ['HMGET', 'str', 'a'],
      ['HGETALL', 'str'],
      ['HKEYS', 'str'],
      ['HVALS', 'str'],
      ['HDEL', 'str', 'a'],
      ['HEXISTS', 'str', 'a'],
      ['HLEN', 'str'],
      ['HSTRLEN', 'str', 'a'],
      ['HINCRBY', 'str', 'a', '1'],
      ['HINCRBYFLOAT', 'str', 'a', '1'],
      ['HSCAN', 'str', '0'],
      ['HRANDFIELD', 'str'],
      ['HRANDFIELD', 'str', '0'],
      ['HRANDFIELD', 'str', '-3', 'WITHVALUES'],
    ];
    const arity: Arg[][] = [
      ['HSET', 'h', 'a'],
      ['HSET', 'h', 'a', '1', 'b'],
      ['HMSET', 'h', 'a', '1', 'b'],
      ['hset', 'h'],
      ['HSETNX', 'h', 'a'],
      ['HGET', 'h'],
      ['HMGET', 'h'],
      ['HGETALL'],
      ['HGETALL', 'h', 'x'],
      ['HDEL', 'h'],
      ['HEXISTS', 'h'],
      ['HLEN'],
      ['HSTRLEN', 'h', 'a', 'b'],
      ['HINCRBY', 'h', 'a'],
      ['HINCRBYFLOAT', 'h', 'a', '1', '2'],
      ['HSCAN', 'h'],
      ['HRANDFIELD'],
      ['HKEYS'],
      ['HVALS', 'a', 'b'],
    ];
    await pair.sameAll([...wrongType, ...arity]);
    await pair.same(['EXISTS', 'h']);
  });

  test('HINCRBY: integers only, 64-bit overflow detected', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['HINCRBY', 'h', 'n', '5'],
      ['HINCRBY', 'h', 'n', '-12'],
      ['HINCRBY', 'h', 'n', '0'],
      ['HSET', 'h', 'max', '9223372036854775807', 'min', '-9223372036854775808'],
      ['HINCRBY', 'h', 'max', '1'],
      ['HINCRBY', 'h', 'max', '-1'],
      ['HINCRBY', 'h', 'min', '-1'],
      ['HINCRBY', 'h', 'min', '9223372036854775807'],
      ['HINCRBY', 'h', 'n', '9223372036854775808'],
      ['HINCRBY', 'h', 'n', '1.5'],
      ['HINCRBY', 'h', 'n', ' 1'],
      ['HINCRBY', 'h', 'n', ''],
      ['HINCRBY', 'missing', 'n', 'x'],
      ['EXISTS', 'missing'],
      ['HSET', 'h', 'text', 'abc', 'padded', '007', 'spaced', ' 7', 'float', '1.0'],
      ['HINCRBY', 'h', 'text', '1'],
      ['HINCRBY', 'h', 'padded', '1'],
      ['HINCRBY', 'h', 'spaced', '1'],
      ['HINCRBY', 'h', 'float', '1'],
      ['HGETALL', 'h'],
    ]);
  });

  test('HINCRBYFLOAT computes in long double and prints like Redis', async () => {
    await pair.sameAll([['FLUSHALL']]);
    const steps: [string, string][] = [
      ['a', '0.1'],
      ['a', '0.2'],
      ['a', '-0.3'],
      ['b', '10.5'],
      ['b', '3.0e3'],
      ['b', '-1E-3'],
      ['c', '1e400'],
      ['d', '1e-4940'],
      ['e', '0x10'],
      ['e', '0x1.8p1'],
      ['f', '.5'],
      ['f', '5.'],
      ['f', '+1'],
      ['f', '-0'],
      ['g', '3.14159265358979323846264338327950288'],
      ['g', '2.71828182845904523536028747135266249'],
      ['h', '123456789012345678901234567890'],
      ['h', '-123456789012345678901234567890.5'],
      ['i', '1e4932'],
      ['i', '1e4932'],
      ['j', '1e-5000'],
      ['j', '1e5000'],
      ['j', 'inf'],
      ['j', '-Infinity'],
      ['j', 'nan'],
      ['j', ' 1'],
      ['j', '1 '],
      ['j', ''],
      ['j', '1e'],
      ['j', '0x'],
      ['j', 'abc'],
      ['k', '7'],
    ];
    for (const [field, increment] of steps) await pair.same(['HINCRBYFLOAT', 'h', field, increment]);
    await pair.sameAll([
      ['HINCRBYFLOAT', 'h', 'k', Buffer.from('1\u00002', 'latin1')],
      ['HSET', 'h', 'text', 'abc', 'inf', 'inf', 'int', '9223372036854775807', 'spaced', ' 1'],
      ['HINCRBYFLOAT', 'h', 'text', '1'],
      ['HINCRBYFLOAT', 'h', 'inf', '1'],
      ['HINCRBYFLOAT', 'h', 'int', '1'],
      ['HINCRBYFLOAT', 'h', 'spaced', '1'],
    ]);
    // Field 'c' got a long value, so this is a hashtable: compare contents, not order.
    const [ours, redis] = await Promise.all([pair.ours.call('HGETALL', 'h'), pair.redis.call('HGETALL', 'h')]);
    assert.deepEqual(pairsOf(ours), pairsOf(redis));
  });

  test('conversion to hashtable: more than 512 fields, or a field or value over 64 bytes, never back', async () => {
    const mirror = new InProcessNode();
    const long = 'x'.repeat(65);
    const limit = 'y'.repeat(64);
    const fields = Array.from({ length: 513 }, (_, i) => [`f${i}`, `${i}`]).flat();
    await pair.sameAll(
      [
        ['FLUSHALL'],
        ['HSET', 'at-limit', limit, limit],
        ['HSET', 'long-value', 'a', '1', 'b', long],
        ['HSET', 'long-field', long, '1'],
        ['HSETNX', 'nx-long', 'a', long],
        ['HSET', 'incr-long', 'a', '1'],
        ['HINCRBY', 'incr-long', long, '1'],
        ['HSET', 'float-long', 'a', '1'],
        ['HINCRBYFLOAT', 'float-long', long, '1.5'],
        ['HSET', 'many', ...fields.slice(0, 1024)],
        ['HSET', 'many', ...fields.slice(1024)],
        ['HDEL', 'long-value', 'b'],
      ],
      mirror,
    );
    for (const key of ['at-limit', 'long-value', 'long-field', 'nx-long', 'incr-long', 'float-long', 'many']) {
      await sameEncoding(mirror, key);
    }
    await pair.same(['HGETALL', 'at-limit']);
    // Hashtable order is Redis's dict order: compare the contents.
    for (const key of ['many', 'long-value']) {
      const [ours, redis] = await Promise.all([pair.ours.call('HGETALL', key), pair.redis.call('HGETALL', key)]);
      assert.deepEqual(pairsOf(ours), pairsOf(redis), `HGETALL ${key}`);
      await pair.same(['HKEYS', key], { unordered: true });
      await pair.same(['HVALS', key], { unordered: true });
    }
  });

  test('HSCAN: listpacks whole in one call, options and cursor errors as Redis', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['HSET', 'h', 'apple', '1', 'banana', '2', 'avocado', '3', 'cherry', '4'],
      ['HSCAN', 'h', '0'],
      ['HSCAN', 'h', '0', 'MATCH', 'a*'],
      ['HSCAN', 'h', '0', 'match', '*'],
      ['HSCAN', 'h', '0', 'COUNT', '1'],
      ['HSCAN', 'h', '0', 'COUNT', '1', 'MATCH', '*an*', 'COUNT', '100'],
      ['HSCAN', 'h', '0', 'MATCH', '[ab]*'],
      ['HSCAN', 'h', ''],
      ['HSCAN', 'h', '-1'],
      ['HSCAN', 'h', '+0'],
      ['HSCAN', 'h', '007'],
      ['HSCAN', 'h', 'abc'],
      ['HSCAN', 'h', ' 1'],
      ['HSCAN', 'h', '+'],
      ['HSCAN', 'h', '18446744073709551615'],
      ['HSCAN', 'h', '18446744073709551616'],
      ['HSCAN', 'h', '0', 'COUNT', '0'],
      ['HSCAN', 'h', '0', 'COUNT', '-1'],
      ['HSCAN', 'h', '0', 'COUNT', 'x'],
      ['HSCAN', 'h', '0', 'COUNT'],
      ['HSCAN', 'h', '0', 'MATCH'],
      ['HSCAN', 'h', '0', 'TYPE', 'string'],
      ['HSCAN', 'h', '0', 'BOGUS', 'x'],
      ['HSCAN', 'missing', '0'],
      ['HSCAN', 'missing', '0', 'COUNT', '0'],
      ['HSCAN', 'missing', 'x'],
    ]);
  });

  test('HSCAN over a hashtable returns every field once, and survives changes mid-scan', async () => {
    const fields = Array.from({ length: 700 }, (_, i) => [`field:${i}`, `v${i}`]).flat();
    await pair.sameAll([['FLUSHALL'], ['HSET', 'big', ...fields]]);
    const scanAll = async (client: typeof pair.ours, count: string, match?: string) => {
      const seen = new Map<string, string>();
      let cursor = '0';
      do {
        const args = ['HSCAN', 'big', cursor, 'COUNT', count, ...(match ? ['MATCH', match] : [])];
        const [next, items] = show(await client.call(...args)) as [string, string[]];
        for (let i = 0; i < items.length; i += 2) {
          assert.ok(!seen.has(items[i]!) || client === pair.redis, `field ${items[i]} returned twice`);
          seen.set(items[i]!, items[i + 1]!);
        }
        cursor = next;
      } while (cursor !== '0');
      return [...seen.entries()].sort();
    };
    for (const [count, match] of [
      ['7', undefined],
      ['1', 'field:1*'],
      ['1000', undefined],
    ] as const) {
      assert.deepEqual(await scanAll(pair.ours, count, match), await scanAll(pair.redis, count, match));
    }

    // Redis's guarantee: a field present for the whole scan is returned. Delete and add fields
    // between calls and check that promise on our node.
    const survivors = new Set(Array.from({ length: 700 }, (_, i) => `field:${i}`).filter((_, i) => i % 3 !== 0));
    const returned = new Set<string>();
    let cursor = '0';
    let round = 0;
    do {
      const [next, items] = show(await pair.ours.call('HSCAN', 'big', cursor, 'COUNT', '25')) as [string, string[]];
      for (let i = 0; i < items.length; i += 2) returned.add(items[i]!);
      await pair.ours.call('HDEL', 'big', ...Array.from({ length: 8 }, (_, k) => `field:${(round * 8 + k) * 3}`));
      await pair.ours.call('HSET', 'big', `added:${round}`, 'x');
      cursor = next;
      round++;
    } while (cursor !== '0');
    for (const field of survivors) assert.ok(returned.has(field), `${field} was present all along but not returned`);
  });

  test('HRANDFIELD: errors as Redis; counts, repetitions and WITHVALUES in the right shape', async () => {
    const fields = Array.from({ length: 20 }, (_, i) => [`f${i}`, `v${i}`]).flat();
    await pair.sameAll([
      ['FLUSHALL'],
      ['HSET', 'h', ...fields],
      ['HRANDFIELD', 'missing'],
      ['HRANDFIELD', 'missing', '5'],
      ['HRANDFIELD', 'missing', '-5', 'WITHVALUES'],
      ['HRANDFIELD', 'h', '0'],
      ['HRANDFIELD', 'h', '0', 'WITHVALUES'],
      ['HRANDFIELD', 'h', 'x'],
      ['HRANDFIELD', 'h', '1.5'],
      ['HRANDFIELD', 'h', '-9223372036854775808'],
      ['HRANDFIELD', 'missing', '-9223372036854775808'],
      ['HRANDFIELD', 'h', '4611686018427387904', 'WITHVALUES'],
      ['HRANDFIELD', 'h', '-4611686018427387904', 'WITHVALUES'],
      ['HRANDFIELD', 'h', '1', 'WITHVALUE'],
      ['HRANDFIELD', 'h', '1', 'WITHVALUES', 'x'],
      // Asking for the whole listpack hash returns it in its own order.
      ['HRANDFIELD', 'h', '20'],
      ['HRANDFIELD', 'h', '1000', 'WITHVALUES'],
    ]);
    const all = new Map(Array.from({ length: 20 }, (_, i) => [`f${i}`, `v${i}`]));
    for (const client of [pair.ours, pair.redis]) {
      const single = show(await client.call('HRANDFIELD', 'h')) as string;
      assert.ok(all.has(single));
      for (const count of [1, 3, 15, 19]) {
        const picked = stringArray(await client.call('HRANDFIELD', 'h', count));
        assert.equal(picked.length, count);
        assert.equal(new Set(picked).size, count, 'a positive count returns distinct fields');
        for (const f of picked) assert.ok(all.has(f));
      }
      const repeated = stringArray(await client.call('HRANDFIELD', 'h', '-50'));
      assert.equal(repeated.length, 50);
      for (const f of repeated) assert.ok(all.has(f));
      const withValues = stringArray(await client.call('HRANDFIELD', 'h', '-7', 'WITHVALUES'));
      assert.equal(withValues.length, 14);
      for (let i = 0; i < withValues.length; i += 2) assert.equal(all.get(withValues[i]!), withValues[i + 1]);
    }
  });

  test('RESP3: HGETALL is a map, HRANDFIELD WITHVALUES a list of pairs', async (t) => {
    if (!(await serves(pair.ours, 'hello'))) {
      t.skip('our node does not serve HELLO yet');
      return;
    }
    // HELLO's own reply carries each server's client id, so it is not compared.
    await Promise.all([pair.ours.call('HELLO', '3'), pair.redis.call('HELLO', '3')]);
    try {
      await pair.sameAll([['FLUSHALL'], ['HSET', 'h', 'a', '1', 'b', '2'], ['HGETALL', 'h'], ['HGETALL', 'missing']]);
      // Deterministic picks: the whole hash, or the only field.
      await pair.sameAll([
        ['HRANDFIELD', 'h', '5', 'WITHVALUES'],
        ['HSET', 'one', 'f', 'v'],
        ['HRANDFIELD', 'one', '-2', 'WITHVALUES'],
        ['HRANDFIELD', 'missing', '3'],
      ]);
    } finally {
      await Promise.all([pair.ours.call('HELLO', '2'), pair.redis.call('HELLO', '2')]);
    }
  });

  test('effects propagated to replicas and the AOF', () => {
    const node = new InProcessNode();
    assert.equal(node.run('HINCRBYFLOAT', 'h', 'f', '0.1'), '$3\r\n0.1\r\n');
    assert.equal(node.run('HINCRBYFLOAT', 'h', 'f', '0.2'), '$3\r\n0.3\r\n');
    // Always the resulting value, as HSET, so float formatting can never diverge on a replica.
    assert.deepEqual(node.takeEffects(), [
      ['HSET', 'h', 'f', '0.1'],
      ['HSET', 'h', 'f', '0.3'],
    ]);
    node.run('HSET', 'h', 'a', '1');
    node.run('HSETNX', 'h', 'a', '2');
    node.run('HDEL', 'h', 'nope');
    node.run('HINCRBY', 'h', 'a', '2');
    node.run('HINCRBYFLOAT', 'h', 'a', 'x');
    node.run('HDEL', 'h', 'a', 'f');
    assert.deepEqual(node.takeEffects(), [
      ['HSET', 'h', 'a', '1'],
      ['HINCRBY', 'h', 'a', '2'],
      ['HDEL', 'h', 'a', 'f'],
    ]);
  });

  test('a seeded random stream of hash commands gets the same replies', async (t) => {
    const optional = ['type', 'expire', 'persist', 'object'];
    const available = new Set<string>();
    for (const name of optional) {
      if (await serves(pair.ours, name)) available.add(name);
      else t.diagnostic(`${name.toUpperCase()} left out of the stream: our node does not serve it yet`);
    }
    for (const seed of [1, 2, 3]) await randomStream(seed, 1500, available);
  });
});

async function randomStream(seed: number, steps: number, available: Set<string>): Promise<void> {
  const rnd = seededRandom(seed);
  const keys = ['h0', 'h1', 'h2', 'h3', 'str'];
  const fields = Array.from({ length: 12 }, (_, i) => `f${i}`);
  const field = () => (rnd.int(40) === 0 ? `long-${'f'.repeat(64)}` : rnd.pick(fields));
  const value = () => {
    switch (rnd.int(6)) {
      case 0:
        return String(rnd.int(2000) - 1000);
      case 1:
        return (rnd.next() * 100 - 50).toFixed(rnd.int(5));
      case 2:
        return rnd.int(30) === 0 ? 'v'.repeat(65) : 'text';
      case 3:
        return '';
      default:
        return `v${rnd.int(100)}`;
    }
  };
  const fieldValues = () => Array.from({ length: 1 + rnd.int(3) }, () => [field(), value()]).flat();
  const generators: Array<() => Arg[]> = [
    () => ['HSET', rnd.pick(keys), ...fieldValues()],
    () => ['HSET', rnd.pick(keys), ...fieldValues()],
    () => ['HSETNX', rnd.pick(keys), field(), value()],
    () => ['HMSET', rnd.pick(keys), ...fieldValues()],
    () => ['HGET', rnd.pick(keys), field()],
    () => ['HMGET', rnd.pick(keys), field(), field()],
    () => ['HDEL', rnd.pick(keys), ...Array.from({ length: 1 + rnd.int(3) }, field)],
    () => ['HEXISTS', rnd.pick(keys), field()],
    () => ['HLEN', rnd.pick(keys)],
    () => ['HSTRLEN', rnd.pick(keys), field()],
    () => ['HINCRBY', rnd.pick(keys), field(), String(rnd.int(200) - 100)],
    () => ['HINCRBYFLOAT', rnd.pick(keys), field(), (rnd.next() * 10 - 5).toFixed(rnd.int(4))],
    () => ['HGETALL', rnd.pick(keys)],
    () => ['HKEYS', rnd.pick(keys)],
    () => ['HVALS', rnd.pick(keys)],
    () => ['HSCAN', rnd.pick(keys), '0', 'COUNT', '100'],
    () => ['HRANDFIELD', rnd.pick(keys), String(rnd.int(30) - 10), ...(rnd.int(2) ? ['WITHVALUES'] : [])],
    () => ['DEL', rnd.pick(keys)],
    () => ['EXISTS', rnd.pick(keys)],
    () => ['SET', 'str', value()],
  ];
  if (available.has('type')) generators.push(() => ['TYPE', rnd.pick(keys)]);
  if (available.has('expire')) generators.push(() => ['EXPIRE', rnd.pick(keys), '1000']);
  if (available.has('persist')) generators.push(() => ['PERSIST', rnd.pick(keys)]);
  if (available.has('object')) generators.push(() => ['OBJECT', 'ENCODING', rnd.pick(keys)]);

  await pair.same(['FLUSHALL']);
  for (let step = 0; step < steps; step++) {
    const argv = rnd.pick(generators)();
    try {
      await compareStep(argv);
    } catch (err) {
      throw new Error(`random stream seed ${seed}, step ${step}: ${(err as Error).message}`);
    }
  }
}

/** One stream command: exact, or by contents where Redis's order or choice is its own. */
async function compareStep(argv: Arg[]): Promise<void> {
  const name = String(argv[0]);
  const key = String(argv[1]);
  if (name === 'HRANDFIELD') {
    const [ours, redis] = await Promise.all([pair.ours.call(...argv), pair.redis.call(...argv)]);
    if (!Array.isArray(ours) || !Array.isArray(redis)) assert.deepEqual(show(ours), show(redis));
    else assert.equal(ours.length, redis.length, `length of ${argv.join(' ')}`);
    return;
  }
  const ordered = ['HGETALL', 'HKEYS', 'HVALS', 'HSCAN'].includes(name);
  const hashtable = ordered && show(await pair.redis.call('OBJECT', 'ENCODING', key)) === 'hashtable';
  if (!hashtable) {
    await pair.same(argv);
    return;
  }
  const [ours, redis] = await Promise.all([pair.ours.call(...argv), pair.redis.call(...argv)]);
  if (name === 'HSCAN') {
    // COUNT 100 covers these small hashes in one call on both sides.
    const [oursCursor, oursItems] = ours as [Reply, Reply];
    const [redisCursor, redisItems] = redis as [Reply, Reply];
    assert.deepEqual(show(oursCursor), show(redisCursor));
    assert.deepEqual(pairsOf(oursItems), pairsOf(redisItems));
  } else if (name === 'HGETALL') {
    assert.deepEqual(pairsOf(ours), pairsOf(redis));
  } else {
    assert.deepEqual(stringArray(ours).sort(), stringArray(redis).sort());
  }
}
