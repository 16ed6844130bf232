// Set commands against Debian's redis-server 7.0, reply for reply: normal use, edge cases, every
// error, the intset/hashtable encodings (intsets reply in ascending order), the set algebra and
// its STORE variants, SSCAN cursors, the shapes of random picks, what SPOP propagates, and a seeded
// random stream of set commands.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pairForFile, stringArray } from '../../support/differential.js';
import { show, type Reply } from '../../support/resp-client.js';
import { InProcessNode, seededRandom, serves } from '../../support/command-families.js';

const pair = pairForFile();

type Arg = string | Buffer | number;

/**
 * The encoding of `key` must be what redis-server's OBJECT ENCODING says: on the in-process mirror
 * (read off the value), and through OBJECT ENCODING on our server too once it serves OBJECT.
 */
async function sameEncoding(mirror: InProcessNode, key: string): Promise<void> {
  const expected = show(await pair.redis.call('OBJECT', 'ENCODING', key));
  assert.equal(mirror.encoding(key), expected, `encoding of ${key}`);
  if (await serves(pair.ours, 'object')) await pair.same(['OBJECT', 'ENCODING', key]);
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => String(from + i));

describe('sets', () => {
  test('intsets keep members in ascending numeric order, over the whole int64 range', async () => {
    const mirror = new InProcessNode();
    await pair.sameAll(
      [
        ['FLUSHALL'],
        ['SADD', 's', '5', '-3', '100', '0', '-9223372036854775808', '9223372036854775807', '5', '42'],
        ['SMEMBERS', 's'],
        ['SADD', 's', '-10', '7', '-2'],
        ['SREM', 's', '100', '-3', 'x', '100'],
        ['SMEMBERS', 's'],
        ['SCARD', 's'],
        ['SISMEMBER', 's', '7'],
        ['SISMEMBER', 's', '07'],
        ['SISMEMBER', 's', '+7'],
        ['SISMEMBER', 's', 'x'],
        ['SISMEMBER', 'missing', '1'],
        ['SMISMEMBER', 's', '7', '8', '-10', 'x'],
        ['SMISMEMBER', 'missing', 'a', 'b'],
        ['SCARD', 'missing'],
        ['SMEMBERS', 'missing'],
        ['SSCAN', 's', '0'],
        ['SSCAN', 's', '0', 'MATCH', '-*'],
        ['SSCAN', 's', '0', 'COUNT', '1'],
      ],
      mirror,
    );
    await sameEncoding(mirror, 's');
  });

  test('conversion to hashtable: a non-integer member, more than 512 members; never back', async () => {
    const mirror = new InProcessNode();
    await pair.sameAll(
      [
        ['FLUSHALL'],
        ['SADD', 'mixed', '1', '2', 'x'],
        ['SADD', 'padded', '1', '01'],
        ['SADD', 'too-big', '1', '9223372036854775808'],
        ['SADD', 'minus-zero', '-0'],
        ['SADD', 'at-limit', ...range(0, 512)],
        ['SADD', 'many', ...range(0, 513)],
        ['SREM', 'mixed', 'x'],
        ['SREM', 'many', ...range(0, 500)],
      ],
      mirror,
    );
    for (const key of ['mixed', 'padded', 'too-big', 'minus-zero', 'at-limit', 'many']) await sameEncoding(mirror, key);
    await pair.sameAll([
      ['SMEMBERS', 'at-limit'],
      ['SSCAN', 'at-limit', '0'],
    ]);
    await pair.same(['SMEMBERS', 'mixed'], { unordered: true });
    await pair.same(['SMEMBERS', 'many'], { unordered: true });
  });

  test('SREM, SMOVE and the removal of emptied sets', async () => {
    const mirror = new InProcessNode();
    await pair.sameAll(
      [
        ['FLUSHALL'],
        ['SADD', 'a', '1', '2', '3'],
        ['SREM', 'a', '9'],
        ['SREM', 'missing', '1'],
        ['SMOVE', 'a', 'b', '1'],
        ['SMOVE', 'a', 'b', '1'],
        ['SMOVE', 'missing', 'b', '1'],
        ['SMOVE', 'a', 'a', '2'],
        ['SMOVE', 'a', 'a', '9'],
        ['SADD', 'b', '2'],
        ['SMOVE', 'a', 'b', '2'],
        ['SMEMBERS', 'b'],
        ['SMOVE', 'a', 'c', '3'],
        ['EXISTS', 'a'],
        ['SADD', 'words', 'x'],
        ['SMOVE', 'words', 'c', 'x'],
        ['SREM', 'b', '1', '2', '1'],
        ['EXISTS', 'b'],
      ],
      mirror,
    );
    await sameEncoding(mirror, 'c');
    // Now a hashtable: Redis's order is its dict's.
    await pair.same(['SMEMBERS', 'c'], { unordered: true });
  });

  test('wrong types and wrong arity get Redis errors', async () => {
    await pair.sameAll([['FLUSHALL'], ['SET', 'str', 'x'], ['SADD', 'set', '1']]);
    const wrongType: Arg[][] = [
      ['SADD', 'str', '1'],
      ['SREM', 'str', '1'],
      ['SMEMBERS', 'str'],
      ['SISMEMBER', 'str', '1'],
      ['SMISMEMBER', 'str', '1'],
      ['SCARD', 'str'],
      ['SPOP', 'str'],
      ['SPOP', 'str', '2'],
      ['SRANDMEMBER', 'str'],
      ['SRANDMEMBER', 'str', '2'],
      ['SMOVE', 'str', 'set', '1'],
      ['SMOVE', 'set', 'str', '1'],
      ['SMOVE', 'missing', 'str', '1'],
      ['SINTER', 'set', 'str'],
      ['SINTER', 'missing', 'str'],
      ['SINTERCARD', '2', 'set', 'str'],
      ['SINTERSTORE', 'dst', 'set', 'str'],
      ['SUNION', 'set', 'str'],
      ['SUNIONSTORE', 'dst', 'str'],
      ['SDIFF', 'missing', 'str'],
      ['SDIFFSTORE', 'dst', 'set', 'str'],
      ['SSCAN', 'str', '0'],
    ];
    const arity: Arg[][] = [
      ['SADD', 's'],
      ['SREM', 's'],
      ['SMEMBERS'],
      ['SMEMBERS', 'a', 'b'],
      ['SISMEMBER', 's'],
      ['SMISMEMBER', 's'],
      ['SCARD'],
      ['SPOP'],
      ['SPOP', 'set', '1', '2'],
      ['SRANDMEMBER'],
      ['SRANDMEMBER', 'set', '1', '2'],
      ['SMOVE', 'a', 'b'],
      ['SINTER'],
      ['SINTERCARD', '1'],
      ['SINTERSTORE', 'dst'],
      ['SUNION'],
      ['SUNIONSTORE', 'dst'],
      ['SDIFF'],
      ['SDIFFSTORE', 'dst'],
      ['SSCAN', 's'],
    ];
    await pair.sameAll([...wrongType, ...arity, ['EXISTS', 'dst', 's']]);
  });

  test('SINTER, SUNION, SDIFF and their STORE variants, with missing keys and intset results', async () => {
    const mirror = new InProcessNode();
    await pair.sameAll(
      [
        ['FLUSHALL'],
        ['SADD', 'odd', '1', '3', '5', '7', '9'],
        ['SADD', 'small', '9', '3', '1'],
        ['SADD', 'low', '1', '2', '3', '4', '5'],
        ['SADD', 'words', 'a', 'b', '3', '1'],
        ['SADD', 'big', ...range(0, 600)],
        ['SINTER', 'odd', 'low'],
        ['SINTER', 'odd', 'small', 'low'],
        ['SINTER', 'low', 'low'],
        ['SINTER', 'odd', 'missing'],
        ['SINTER', 'missing'],
        ['SUNION', 'odd', 'low'],
        ['SUNION', 'odd', 'missing', 'small'],
        ['SUNION', 'missing'],
        ['SDIFF', 'low', 'odd'],
        ['SDIFF', 'odd', 'small', 'missing'],
        ['SDIFF', 'missing', 'odd'],
        ['SDIFF', 'odd', 'odd'],
        ['SDIFF', 'odd', 'low', 'odd'],
        ['SINTERCARD', '2', 'odd', 'low'],
        ['SINTERCARD', '2', 'odd', 'low', 'LIMIT', '1'],
        ['SINTERCARD', '2', 'odd', 'low', 'LIMIT', '0'],
        ['SINTERCARD', '2', 'odd', 'low', 'limit', '5', 'LIMIT', '2'],
        ['SINTERCARD', '1', 'big'],
        ['SINTERCARD', '2', 'odd', 'missing'],
        ['SINTERCARD', '0', 'odd'],
        ['SINTERCARD', '-1', 'odd'],
        ['SINTERCARD', 'x', 'odd'],
        ['SINTERCARD', '3', 'odd', 'low'],
        ['SINTERCARD', '1', 'odd', 'LIMIT'],
        ['SINTERCARD', '1', 'odd', 'LIMIT', '-1'],
        ['SINTERCARD', '1', 'odd', 'LIMIT', 'x'],
        ['SINTERCARD', '1', 'odd', 'BOGUS', '1'],
        ['SINTERCARD', '1', 'odd', 'low'],
        ['SINTERSTORE', 'dst', 'odd', 'low'],
        ['SMEMBERS', 'dst'],
        ['SUNIONSTORE', 'dst', 'odd', 'low'],
        ['SMEMBERS', 'dst'],
        ['SDIFFSTORE', 'dst', 'low', 'odd'],
        ['SMEMBERS', 'dst'],
        ['SINTERSTORE', 'dst', 'odd', 'missing'],
        ['EXISTS', 'dst'],
        ['SINTERSTORE', 'dst', 'odd', 'missing'],
        ['SET', 'dst', 'a string'],
        ['SUNIONSTORE', 'dst', 'small'],
        ['SMEMBERS', 'dst'],
        ['SDIFFSTORE', 'dst', 'small', 'odd'],
        ['EXISTS', 'dst'],
        ['SUNIONSTORE', 'odd', 'odd', 'low'],
        ['SMEMBERS', 'odd'],
        // Difference algorithms: 600 integers minus most of them, either way round.
        ['SDIFFSTORE', 'left', 'big', 'low'],
        ['SADD', 'most', ...range(10, 600)],
        ['SDIFFSTORE', 'few', 'big', 'most'],
        ['SMEMBERS', 'few'],
        // Algorithm 2 (the others are small): the result passes through a 600-member hashtable.
        ['SADD', 'hundred', ...range(0, 100)],
        ['SDIFFSTORE', 'algo2', 'big', 'hundred', 'low'],
        ['SCARD', 'algo2'],
        ['SUNIONSTORE', 'all', 'big', 'words'],
        ['SCARD', 'all'],
      ],
      mirror,
    );
    for (const key of ['odd', 'left', 'few', 'algo2', 'all']) await sameEncoding(mirror, key);
    // Walking the hashtable 'words' (the smallest set), or building one: Redis's dict order.
    await pair.same(['SINTER', 'words', 'low'], { unordered: true });
    await pair.same(['SUNION', 'words', 'odd'], { unordered: true });
    await pair.same(['SDIFF', 'words', 'odd'], { unordered: true });
    await pair.same(['SDIFF', 'big', 'most', 'low'], { unordered: true });
    await pair.same(['SMEMBERS', 'algo2'], { unordered: true });
  });

  test('SSCAN: intsets whole in one call; hashtables member by member, even while changing', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['SADD', 's', '3', '1', '2'],
      ['SSCAN', 's', '0'],
      ['SSCAN', 's', '0', 'MATCH', '[12]'],
      ['SSCAN', 's', 'x'],
      ['SSCAN', 's', '0', 'COUNT', '0'],
      ['SSCAN', 's', '0', 'MATCH'],
      ['SSCAN', 'missing', '0', 'BOGUS'],
      ['SADD', 'big', ...Array.from({ length: 600 }, (_, i) => `m${i}`)],
    ]);
    const scanAll = async (client: typeof pair.ours, count: string) => {
      const seen: string[] = [];
      let cursor = '0';
      do {
        const [next, items] = show(await client.call('SSCAN', 'big', cursor, 'COUNT', count)) as [string, string[]];
        seen.push(...items);
        cursor = next;
      } while (cursor !== '0');
      return seen;
    };
    const ours = await scanAll(pair.ours, '9');
    assert.equal(new Set(ours).size, ours.length, 'no member twice when nothing changes');
    assert.deepEqual([...ours].sort(), [...new Set(await scanAll(pair.redis, '9'))].sort());

    const survivors = Array.from({ length: 600 }, (_, i) => `m${i}`).filter((_, i) => i % 2 === 1);
    const returned = new Set<string>();
    let cursor = '0';
    let round = 0;
    do {
      const [next, items] = show(await pair.ours.call('SSCAN', 'big', cursor, 'COUNT', '20')) as [string, string[]];
      for (const m of items) returned.add(m);
      await pair.ours.call('SREM', 'big', ...Array.from({ length: 10 }, (_, k) => `m${(round * 10 + k) * 2}`));
      await pair.ours.call('SADD', 'big', `new${round}`);
      cursor = next;
      round++;
    } while (cursor !== '0');
    for (const m of survivors) assert.ok(returned.has(m), `${m} was present all along but not returned`);
  });

  test('SPOP: errors as Redis, popped members really leave, whole-set pops delete the key', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['SADD', 's', '1', '2', '3'],
      ['SPOP', 'missing'],
      ['SPOP', 'missing', '3'],
      ['SPOP', 's', '0'],
      ['SPOP', 's', '-1'],
      ['SPOP', 's', 'x'],
      ['SPOP', 's', '1.5'],
      ['SPOP', 'missing', '-1'],
      // All of an intset: the reply is the set in order, and the key goes.
      ['SPOP', 's', '3'],
      ['EXISTS', 's'],
      ['SADD', 's', 'b', 'a'],
    ]);
    // All of a hashtable: Redis's dict order.
    await pair.same(['SPOP', 's', '100'], { unordered: true });
    await pair.same(['EXISTS', 's']);
    for (const client of [pair.ours, pair.redis]) {
      await client.call('SADD', 'p', ...range(0, 50));
      const one = show(await client.call('SPOP', 'p')) as string;
      const five = stringArray(await client.call('SPOP', 'p', '5'));
      const most = stringArray(await client.call('SPOP', 'p', '40'));
      const popped = [one, ...five, ...most];
      assert.equal(new Set(popped).size, 46, 'each member popped once');
      const left = stringArray(await client.call('SMEMBERS', 'p'));
      assert.deepEqual([...popped, ...left].sort(), range(0, 50).sort());
      await client.call('SPOP', 'p'); // 3 left
      await client.call('SPOP', 'p', '2'); // 1 left
      assert.equal(stringArray(await client.call('SMEMBERS', 'p')).length, 1);
      assert.ok(Buffer.isBuffer(await client.call('SPOP', 'p')), 'the last member');
      assert.equal(show(await client.call('EXISTS', 'p')), 0);
      assert.equal(await client.call('SPOP', 'p'), null);
      // Popping most of a large all-integer hashtable set leaves a new set: an intset again.
      await client.call('SADD', 'q', ...range(0, 600));
      await client.call('SPOP', 'q', '590');
    }
    const mirror = new InProcessNode();
    mirror.run('SADD', 'q', ...range(0, 600));
    mirror.run('SPOP', 'q', '590');
    await sameEncoding(mirror, 'q');
  });

  test('SRANDMEMBER: errors as Redis; distinct picks, repetitions, whole set in its order', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['SADD', 's', ...range(0, 20)],
      ['SRANDMEMBER', 'missing'],
      ['SRANDMEMBER', 'missing', '3'],
      ['SRANDMEMBER', 'missing', '-3'],
      ['SRANDMEMBER', 's', '0'],
      ['SRANDMEMBER', 's', 'x'],
      ['SRANDMEMBER', 's', '-9223372036854775808'],
      ['SRANDMEMBER', 'missing', '-9223372036854775808'],
      ['SRANDMEMBER', 's', '20'],
      ['SRANDMEMBER', 's', '9223372036854775807'],
    ]);
    const all = new Set(range(0, 20));
    for (const client of [pair.ours, pair.redis]) {
      assert.ok(all.has(show(await client.call('SRANDMEMBER', 's')) as string));
      for (const count of [1, 2, 6, 7, 19]) {
        const picked = stringArray(await client.call('SRANDMEMBER', 's', count));
        assert.equal(picked.length, count);
        assert.equal(new Set(picked).size, count, 'a positive count returns distinct members');
        for (const m of picked) assert.ok(all.has(m));
      }
      const repeated = stringArray(await client.call('SRANDMEMBER', 's', '-45'));
      assert.equal(repeated.length, 45);
      for (const m of repeated) assert.ok(all.has(m));
    }
  });

  test('RESP3: set replies are sets, SRANDMEMBER an array', async (t) => {
    if (!(await serves(pair.ours, 'hello'))) {
      t.skip('our node does not serve HELLO yet');
      return;
    }
    // HELLO's own reply carries each server's client id, so it is not compared.
    await Promise.all([pair.ours.call('HELLO', '3'), pair.redis.call('HELLO', '3')]);
    try {
      await pair.sameAll([
        ['FLUSHALL'],
        ['SADD', 's', '2', '1'],
        ['SMEMBERS', 's'],
        ['SMEMBERS', 'missing'],
        ['SINTER', 's', 'missing'],
        ['SUNION', 's'],
        ['SDIFF', 's', 'missing'],
        ['SRANDMEMBER', 's', '5'],
        ['SPOP', 'missing', '2'],
        ['SPOP', 's', '5'],
      ]);
    } finally {
      await Promise.all([pair.ours.call('HELLO', '2'), pair.redis.call('HELLO', '2')]);
    }
  });

  test('effects propagated to replicas and the AOF', () => {
    const node = new InProcessNode();
    node.run('SADD', 's', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10');
    node.run('SADD', 's', '1');
    node.takeEffects();
    // SPOP's choice is random: it propagates the SREM of what it chose.
    const popped = node.run('SPOP', 's');
    const member = /^\$\d+\r\n(.*)\r\n$/.exec(popped)![1]!;
    assert.deepEqual(node.takeEffects(), [['SREM', 's', member]]);
    node.run('SPOP', 's', '2'); // few of many: popped one by one
    node.run('SPOP', 's', '6'); // most of the set: the rest moves to a new set
    const effects = node.takeEffects();
    assert.equal(effects.length, 8);
    for (const effect of effects) assert.deepEqual(effect.slice(0, 2), ['SREM', 's']);
    node.run('SPOP', 's', '10');
    assert.deepEqual(node.takeEffects(), [['DEL', 's']]);
    node.run('SMOVE', 'a', 'b', 'x');
    node.run('SINTERSTORE', 'dst', 'missing');
    assert.deepEqual(node.takeEffects(), []);
  });

  test('a seeded random stream of set commands gets the same replies', async (t) => {
    const available = new Set<string>();
    for (const name of ['type', 'expire', 'persist', 'object']) {
      if (await serves(pair.ours, name)) available.add(name);
      else t.diagnostic(`${name.toUpperCase()} left out of the stream: our node does not serve it yet`);
    }
    for (const seed of [11, 12, 13]) await randomStream(seed, 1500, available);
  });
});

async function randomStream(seed: number, steps: number, available: Set<string>): Promise<void> {
  const rnd = seededRandom(seed);
  const keys = ['s0', 's1', 's2', 's3', 'str'];
  const member = () => {
    switch (rnd.int(5)) {
      case 0:
        return `m${rnd.int(15)}`;
      case 1:
        return rnd.int(50) === 0 ? '01' : String(rnd.int(40) - 20);
      default:
        return String(rnd.int(25));
    }
  };
  const members = () => Array.from({ length: 1 + rnd.int(4) }, member);
  const someKeys = () => Array.from({ length: 1 + rnd.int(3) }, () => rnd.pick(keys));
  const generators: Array<() => Arg[]> = [
    () => ['SADD', rnd.pick(keys), ...members()],
    () => ['SADD', rnd.pick(keys), ...members()],
    () => ['SREM', rnd.pick(keys), ...members()],
    () => ['SMEMBERS', rnd.pick(keys)],
    () => ['SISMEMBER', rnd.pick(keys), member()],
    () => ['SMISMEMBER', rnd.pick(keys), ...members()],
    () => ['SCARD', rnd.pick(keys)],
    () => ['SPOP', rnd.pick(keys), ...(rnd.int(2) ? [String(rnd.int(4))] : [])],
    () => ['SRANDMEMBER', rnd.pick(keys), ...(rnd.int(2) ? [String(rnd.int(12) - 4)] : [])],
    () => ['SMOVE', rnd.pick(keys), rnd.pick(keys), member()],
    () => ['SINTER', ...someKeys()],
    () => ['SINTERCARD', '2', rnd.pick(keys), rnd.pick(keys), 'LIMIT', String(rnd.int(4))],
    () => ['SUNION', ...someKeys()],
    () => ['SDIFF', ...someKeys()],
    () => ['SINTERSTORE', rnd.pick(keys), ...someKeys()],
    () => ['SUNIONSTORE', rnd.pick(keys), ...someKeys()],
    () => ['SDIFFSTORE', rnd.pick(keys), ...someKeys()],
    () => ['SSCAN', rnd.pick(keys), '0', 'COUNT', '100'],
    () => ['DEL', rnd.pick(keys)],
    () => ['EXISTS', rnd.pick(keys)],
    () => ['SET', 'str', 'x'],
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

/** Commands whose reply holds a random choice of members. */
const RANDOM = new Set(['SPOP', 'SRANDMEMBER']);
/** Commands whose reply lists a set in its iteration order (ascending for intsets, Redis's own for hashtables). */
const ITERATION_ORDER = new Set(['SMEMBERS', 'SINTER', 'SUNION', 'SDIFF', 'SSCAN']);

/** One stream command: exact, or by contents where Redis's order or choice is its own. */
async function compareStep(argv: Arg[]): Promise<void> {
  const name = String(argv[0]);
  if (RANDOM.has(name)) {
    await compareRandomPick(argv);
    return;
  }
  const [ours, redis] = await Promise.all([pair.ours.call(...argv), pair.redis.call(...argv)]);
  if (ITERATION_ORDER.has(name) && Array.isArray(redis) && !(await inIntsetOrder(argv, redis))) {
    assert.ok(Array.isArray(ours), `${argv.join(' ')}: ours ${JSON.stringify(show(ours))}`);
    const items = (r: Reply[]) => (name === 'SSCAN' ? [show(r[0]!), stringArray(r[1]!).sort()] : stringArray(r).sort());
    assert.deepEqual(items(ours), items(redis), `reply to ${argv.join(' ')} differs`);
    return;
  }
  assert.deepEqual(show(ours), show(redis), `reply to ${argv.join(' ')} differs (ours, then redis-server)`);
}

/**
 * Whether Redis replied in intset order, which ours must match exactly. SMEMBERS, SSCAN and
 * SINTER list the (smallest) set they walk, in its encoding's order; SUNION and SDIFF build a new
 * set, an intset when every member is an integer.
 */
async function inIntsetOrder(argv: Arg[], reply: Reply[]): Promise<boolean> {
  const name = String(argv[0]);
  if (name === 'SUNION' || name === 'SDIFF') return stringArray(reply).every((m) => /^(0|-?[1-9][0-9]*)$/.test(m));
  const keys = (name === 'SINTER' ? argv.slice(1) : [argv[1]!]).map(String);
  const sizes = await Promise.all(keys.map(async (key) => Number(show(await pair.redis.call('SCARD', key)))));
  // SINTER walks the smallest set (a stable sort on size); a missing key makes the reply empty.
  const smallest = keys[sizes.indexOf(Math.min(...sizes))]!;
  return Math.min(...sizes) === 0 || show(await pair.redis.call('OBJECT', 'ENCODING', smallest)) === 'intset';
}

/**
 * SPOP/SRANDMEMBER: the same shape on both sides. Afterwards the popped set may differ in
 * contents, so the key is deleted on both to keep the stream comparable.
 */
async function compareRandomPick(argv: Arg[]): Promise<void> {
  const [ours, redis] = await Promise.all([pair.ours.call(...argv), pair.redis.call(...argv)]);
  const shape = (r: Reply) =>
    r === null ? 'null' : Buffer.isBuffer(r) ? 'bulk' : Array.isArray(r) ? `array of ${r.length}` : JSON.stringify(show(r));
  assert.equal(shape(ours), shape(redis), `shape of the reply to ${argv.join(' ')}`);
  if (argv[0] === 'SPOP') await pair.same(['DEL', argv[1]!]);
}
