// HyperLogLog commands against Debian's redis-server 7.0: replies, and the value's bytes (GET,
// DUMP, DEBUG DIGEST-VALUE) after every step, through the sparse opcodes, the promotion to dense,
// the cached cardinality, PFMERGE, every error, a seeded random stream, an HLL made by redis-server
// restored into our node, and what PFCOUNT propagates.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pairForFile } from '../../support/differential.js';
import { InProcessNode, seededRandom } from '../../support/command-families.js';
import { show } from '../../support/resp-client.js';

const pair = pairForFile(['--enable-debug-command', 'yes']);

type Arg = string | Buffer | number;

/**
 * The value at `key` is the same, byte for byte, on both: GET, its digest, OBJECT ENCODING, and
 * DUMP. A DUMP payload compresses strings with LZF, and our compressor is not Redis's (any valid
 * stream loads: persistence/rdb/lzf.ts), so for values LZF shortens the payloads are checked by
 * restoring each server's payload into the other instead of comparing them.
 */
async function sameBytes(key: string): Promise<void> {
  await pair.same(['GET', key]);
  await pair.same(['DEBUG', 'DIGEST-VALUE', key]);
  await pair.same(['OBJECT', 'ENCODING', key]);
  const [ours, redis] = await Promise.all([pair.ours.call('DUMP', key), pair.redis.call('DUMP', key)]);
  const length = Number(await pair.redis.call('STRLEN', key));
  if (length < 1000) {
    assert.deepEqual(show(ours), show(redis), `DUMP ${key}`);
    return;
  }
  for (const [from, to] of [
    [ours, pair.redis],
    [redis, pair.ours],
  ] as const) {
    assert.ok(Buffer.isBuffer(from));
    assert.equal(show(await to.call('RESTORE', '__restored', '0', from, 'REPLACE')), 'OK');
    assert.deepEqual(show(await to.call('GET', '__restored')), show(await to.call('GET', key)));
    await to.call('DEL', '__restored');
  }
}

/** Sends each command to both, checking the reply and then the bytes of `key`. */
async function stepByStep(key: string, commands: Arg[][]): Promise<void> {
  for (const argv of commands) {
    await pair.same(argv);
    await sameBytes(key);
  }
}

const elements = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);

describe('hyperloglog', () => {
  test('PFADD builds the same sparse bytes, PFCOUNT caches the same cardinality', async () => {
    await pair.same(['FLUSHALL']);
    await stepByStep('h', [
      ['PFADD', 'h'],
      ['PFCOUNT', 'h'],
      ['PFDEBUG', 'DECODE', 'h'],
      ['PFADD', 'h', 'a'],
      ['PFDEBUG', 'DECODE', 'h'],
      ['PFADD', 'h', 'a'],
      ['PFADD', 'h', 'b', 'c', 'd', ''],
      ['PFDEBUG', 'DECODE', 'h'],
      ['PFDEBUG', 'ENCODING', 'h'],
      ['PFCOUNT', 'h'],
      ['PFCOUNT', 'h'],
      ['PFADD', 'h', 'a', 'b'],
      ['PFCOUNT', 'h'],
      ['PFADD', 'h', ...elements('e', 0, 40)],
      ['PFDEBUG', 'DECODE', 'h'],
      ['PFCOUNT', 'h'],
      ['PFADD', 'h', Buffer.from([0, 1, 2, 255, 254, 128, 7, 8, 9]), 'héllo', 'x'.repeat(1000)],
      ['PFCOUNT', 'h'],
    ]);
    await pair.same(['PFCOUNT', 'missing']);
    await pair.same(['TYPE', 'h']);
    await pair.same(['STRLEN', 'h']);
  });

  test('the promotion to dense at hll-sparse-max-bytes, step by step', async () => {
    await pair.same(['FLUSHALL']);
    await pair.same(['CONFIG', 'SET', 'hll-sparse-max-bytes', '200']);
    try {
      for (let i = 0; i < 300; i += 5) {
        await pair.same(['PFADD', 'p', ...elements('m', i, i + 5)]);
        await pair.same(['PFDEBUG', 'ENCODING', 'p']);
        await sameBytes('p');
      }
      await stepByStep('p', [
        ['PFCOUNT', 'p'],
        ['PFADD', 'p', ...elements('n', 0, 2000)],
        ['PFCOUNT', 'p'],
        ['PFDEBUG', 'ENCODING', 'p'],
      ]);
      // A register beyond what a sparse VAL holds (32) promotes at once: search for such an element.
      await pair.same(['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000']);
      await stepByStep('q', [
        ['PFADD', 'q', ...elements('q', 0, 30)],
        ['PFDEBUG', 'TODENSE', 'q'],
        ['PFDEBUG', 'TODENSE', 'q'],
      ]);
      await stepByStep('r', [
        ['PFADD', 'r', 'x', 'y'],
        ['PFDEBUG', 'GETREG', 'r'],
        ['PFDEBUG', 'ENCODING', 'r'],
      ]);
    } finally {
      await pair.same(['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000']);
    }
  });

  test('dense HLLs: adds, counts, and big cardinalities', async () => {
    await pair.same(['FLUSHALL']);
    await pair.same(['PFADD', 'd', ...elements('x', 0, 5000)]);
    await sameBytes('d');
    for (let batch = 0; batch < 10; batch++) {
      await pair.same(['PFADD', 'd', ...elements(`b${batch}-`, 0, 3000)]);
      await pair.same(['PFCOUNT', 'd']);
      await sameBytes('d');
    }
  });

  test('PFMERGE and PFCOUNT of several keys', async () => {
    await pair.same(['FLUSHALL']);
    await pair.sameAll([
      ['PFADD', 's1', ...elements('a', 0, 20)],
      ['PFADD', 's2', ...elements('a', 10, 50)],
      ['PFADD', 'big', ...elements('z', 0, 4000)],
      ['PFCOUNT', 's1', 's2'],
      ['PFCOUNT', 's1', 'missing', 's2'],
      ['PFCOUNT', 's1', 's2', 'big'],
    ]);
    await stepByStep('m1', [
      ['PFMERGE', 'm1', 's1', 's2'],
      ['PFCOUNT', 'm1'],
    ]);
    await stepByStep('m2', [
      ['PFMERGE', 'm2', 's1', 'big'],
      ['PFCOUNT', 'm2'],
      ['PFDEBUG', 'ENCODING', 'm2'],
    ]);
    await stepByStep('m3', [
      ['PFMERGE', 'm3'],
      ['PFMERGE', 'm3', 'missing'],
    ]);
    await stepByStep('s1', [
      ['PFMERGE', 's1', 's2'],
      ['PFCOUNT', 's1'],
    ]);
    await pair.same(['SET', 'withttl', 'x']);
    await pair.same(['DEL', 'withttl']);
    await pair.same(['PFADD', 'withttl', 'a']);
    await pair.same(['EXPIRE', 'withttl', '1000']);
    await pair.same(['PFMERGE', 'withttl', 's2']);
    await pair.same(['TTL', 'withttl']);
  });

  test('errors, exactly as redis-server words them', async () => {
    await pair.same(['FLUSHALL']);
    const corruptSparse = Buffer.concat([
      Buffer.from('HYLL'),
      Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
      Buffer.from([0x7f, 0xfe]),
    ]);
    const overflowSparse = Buffer.concat([
      Buffer.from('HYLL'),
      Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80]),
      Buffer.from([0x7f, 0xff, 0x83]),
    ]);
    const badEncoding = Buffer.concat([Buffer.from('HYLL'), Buffer.from([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])]);
    const shortDense = Buffer.concat([Buffer.from('HYLL'), Buffer.alloc(100)]);
    await pair.sameAll([
      ['SET', 'str', 'not an hll'],
      ['SET', 'short', 'HYLL'],
      ['SET', 'corrupt', corruptSparse],
      ['SET', 'overflow', overflowSparse],
      ['SET', 'badenc', badEncoding],
      ['SET', 'shortdense', shortDense],
      ['RPUSH', 'list', 'a'],
      ['PFADD', 'h', 'a'],
    ]);
    for (const key of ['str', 'short', 'corrupt', 'overflow', 'badenc', 'shortdense', 'list']) {
      await pair.same(['PFADD', key, 'a', 'b', 'c']);
      await pair.same(['PFCOUNT', key]);
      await pair.same(['PFCOUNT', key, 'h']);
      await pair.same(['PFCOUNT', 'h', key]);
      await pair.same(['PFMERGE', 'dst', key]);
      await pair.same(['PFMERGE', 'h', key]);
      await pair.same(['PFDEBUG', 'GETREG', key]);
      await pair.same(['PFDEBUG', 'DECODE', key]);
      await pair.same(['PFDEBUG', 'TODENSE', key]);
      await pair.same(['GET', key]);
    }
    await pair.sameAll([
      ['EXISTS', 'dst'],
      ['PFADD'],
      ['PFCOUNT'],
      ['PFMERGE'],
      ['PFDEBUG', 'GETREG'],
      ['PFDEBUG', 'GETREG', 'h', 'x'],
      ['PFDEBUG', 'NOPE', 'h'],
      ['PFDEBUG', 'GETREG', 'missing'],
      ['PFDEBUG', 'DECODE', 'missing'],
      ['PFSELFTEST', 'x'],
    ]);
    await pair.same(['PFADD', 'dense', ...elements('d', 0, 5000)]);
    await pair.same(['PFDEBUG', 'DECODE', 'dense']);
  });

  test('a seeded random stream of HLL commands keeps the same bytes', async () => {
    await pair.same(['FLUSHALL']);
    const keys = ['h0', 'h1', 'h2', 'h3'];
    for (const seed of [21, 22]) {
      const rnd = seededRandom(seed);
      await pair.same(['CONFIG', 'SET', 'hll-sparse-max-bytes', String(100 + rnd.int(1500))]);
      for (let step = 0; step < 250; step++) {
        const key = rnd.pick(keys);
        const element = () => (rnd.int(3) === 0 ? String(rnd.int(100000)) : `e${rnd.int(5000)}`);
        switch (rnd.int(6)) {
          case 0:
          case 1:
          case 2:
            await pair.same(['PFADD', key, ...Array.from({ length: 1 + rnd.int(20) }, element)]);
            break;
          case 3:
            await pair.same(['PFCOUNT', key]);
            break;
          case 4:
            await pair.same(['PFCOUNT', key, rnd.pick(keys)]);
            break;
          default:
            await pair.same(['PFMERGE', key, rnd.pick(keys), rnd.pick(keys)]);
        }
        if (step % 10 === 0) for (const k of keys) await pair.same(['GET', k]);
      }
      for (const k of keys) await sameBytes(k);
    }
    await pair.same(['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000']);
  });

  test('an HLL made by redis-server, restored into our node, counts and grows the same', async () => {
    await pair.same(['FLUSHALL']);
    for (const [key, count] of [
      ['sparse', 200],
      ['dense', 6000],
    ] as const) {
      await pair.redis.call('PFADD', key, ...elements('r', 0, count));
      const payload = await pair.redis.call('DUMP', key);
      assert.ok(Buffer.isBuffer(payload));
      assert.equal(show(await pair.ours.call('RESTORE', key, '0', payload)), 'OK');
      await sameBytes(key);
      await stepByStep(key, [
        ['PFCOUNT', key],
        ['PFADD', key, ...elements('s', 0, 100)],
        ['PFCOUNT', key],
        ['PFCOUNT', key, 'sparse'],
      ]);
    }
  });

  test('PFCOUNT propagates itself when it caches the cardinality, nothing else does', () => {
    const node = new InProcessNode();
    node.run('PFADD', 'h', 'a', 'b');
    assert.deepEqual(node.takeEffects(), [['PFADD', 'h', 'a', 'b']]);
    node.run('PFADD', 'h', 'a');
    node.run('PFCOUNT', 'missing');
    assert.deepEqual(node.takeEffects(), []);
    assert.equal(node.run('PFCOUNT', 'h'), ':2\r\n');
    assert.deepEqual(node.takeEffects(), [['PFCOUNT', 'h']]);
    node.run('PFCOUNT', 'h');
    node.run('PFADD', 'g', 'c');
    node.takeEffects();
    node.run('PFCOUNT', 'h', 'g');
    assert.deepEqual(node.takeEffects(), []);
    node.run('PFMERGE', 'h', 'g');
    assert.deepEqual(node.takeEffects(), [['PFMERGE', 'h', 'g']]);
    node.run('PFDEBUG', 'TODENSE', 'h');
    assert.deepEqual(node.takeEffects(), [['PFDEBUG', 'TODENSE', 'h']]);
    node.run('PFDEBUG', 'TODENSE', 'h');
    node.run('PFDEBUG', 'GETREG', 'h');
    assert.deepEqual(node.takeEffects(), []);
  });

  test('the changes counted (rdb_changes_since_last_save) are the same', async () => {
    await pair.same(['FLUSHALL']);
    const changes = async () => {
      const [a, b] = await Promise.all([pair.ours.call('INFO', 'persistence'), pair.redis.call('INFO', 'persistence')]);
      const field = (r: unknown) => /rdb_changes_since_last_save:(\d+)/.exec(String(show(r as never)))![1];
      return [field(a), field(b)];
    };
    const before = await changes();
    await pair.sameAll([
      ['PFADD', 'c', 'a', 'b', 'c', 'd'],
      ['PFADD', 'c', 'a'],
      ['PFCOUNT', 'c'],
      ['PFCOUNT', 'c'],
      ['PFMERGE', 'c2', 'c'],
      ['PFDEBUG', 'GETREG', 'c2'],
    ]);
    const after = await changes();
    assert.equal(Number(after[0]) - Number(before[0]), Number(after[1]) - Number(before[1]));
  });

  test('PFSELFTEST passes', async () => {
    assert.equal(show(await pair.ours.call('PFSELFTEST')), 'OK');
  });
});
