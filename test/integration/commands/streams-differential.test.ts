// Stream commands without consumer groups against Debian's redis-server 7.0, reply for reply:
// XADD (explicit, partial "<ms>-*" and generated IDs, NOMKSTREAM, MAXLEN / MINID with = and ~ and
// LIMIT, every error), XLEN, XRANGE / XREVRANGE (COUNT, exclusive bounds), XDEL, XTRIM, XSETID
// (ENTRIESADDED, MAXDELETEDID), XREAD (COUNT, $, errors, RESP3), TYPE, OBJECT ENCODING, DEBUG
// DIGEST-VALUE, and DUMP payloads that are byte-for-byte redis-server's and restore both ways.
// Generated IDs depend on the clock, so comparisons use explicit IDs and generated ones are
// checked for their shape. Waiting XREADs are in streams-blocking.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pairForFile } from '../../support/differential.js';
import { show } from '../../support/resp-client.js';
import { InProcessNode, seededRandom } from '../../support/command-families.js';

const pair = pairForFile();

type Arg = string | Buffer | number;

const U64_MAX = '18446744073709551615';

describe('streams', () => {
  test('XADD with explicit IDs, XLEN, XRANGE, TYPE, OBJECT ENCODING, WRONGTYPE', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['XADD', 's', '1-1', 'a', '1', 'b', '2'],
      ['XADD', 's', '1-2', 'a', '3', 'b', '4'],
      ['XADD', 's', '2', 'c', '5'],
      ['XADD', 's', '2-5', 'a', '', 'b', Buffer.from([0, 255, 13, 10])],
      ['XLEN', 's'],
      ['XLEN', 'missing'],
      ['XRANGE', 's', '-', '+'],
      ['XREVRANGE', 's', '+', '-'],
      ['TYPE', 's'],
      ['OBJECT', 'ENCODING', 's'],
      ['SET', 'str', 'x'],
      ['XADD', 'str', '1-1', 'a', '1'],
      ['XLEN', 'str'],
      ['XRANGE', 'str', '-', '+'],
      ['XDEL', 'str', '1-1'],
      ['XTRIM', 'str', 'MAXLEN', '0'],
      ['XSETID', 'str', '1-1'],
      ['XREAD', 'STREAMS', 'str', '0'],
      ['XADD', 'same', '5-0', 'f', 'v', 'f', 'w'],
      ['XRANGE', 'same', '-', '+'],
    ]);
  });

  test('XADD ID errors: equal or smaller, 0-0, exhausted IDs, invalid IDs, arity', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['XADD', 's', '5-5', 'a', '1'],
      ['XADD', 's', '5-5', 'a', '1'],
      ['XADD', 's', '5-4', 'a', '1'],
      ['XADD', 's', '4', 'a', '1'],
      ['XADD', 'new', '0-0', 'a', '1'],
      ['XADD', 'new', '0', 'a', '1'],
      ['EXISTS', 'new'],
      ['XADD', 'new', '0-*', 'a', '1'],
      ['XADD', 'new', '0-*', 'a', '1'],
      ['XADD', 'new', '7-*', 'a', '1'],
      ['XADD', 'new', '7-*', 'a', '1'],
      ['XADD', 'new', '6-*', 'a', '1'],
      ['XRANGE', 'new', '-', '+'],
      ['XADD', 'max', `${U64_MAX}-${U64_MAX}`, 'a', '1'],
      ['XADD', 'max', '*', 'a', '1'],
      ['XADD', 'max', `${U64_MAX}-*`, 'a', '1'],
      ['XADD', 'seqmax', `5-${U64_MAX}`, 'a', '1'],
      ['XADD', 'seqmax', '5-*', 'a', '1'],
      ['XRANGE', 'seqmax', '-', '+'],
      ['XADD', 's', '-', 'a', '1'],
      ['XADD', 's', '+', 'a', '1'],
      ['XADD', 's', 'abc', 'a', '1'],
      ['XADD', 's', '1-2-3', 'a', '1'],
      ['XADD', 's', '10-', 'a', '1'],
      ['XADD', 's', '-10', 'a', '1'],
      ['XADD', 's', '*-1', 'a', '1'],
      ['XADD', 's', '10-**', 'a', '1'],
      ['XADD', 's', '18446744073709551616', 'a', '1'],
      ['XADD', 's', '10', 'a'],
      ['XADD', 's', '10', 'a', '1', 'b'],
      ['XADD', 's', '10'],
      ['XADD', 's', 'MAXLEN', '5', 'a'],
      ['XADD', 's', 'NOMKSTREAM'],
      ['XADD', 's', '*'],
    ]);
  });

  test('ID syntax as string2ull reads it: leading zeros, spaces, signs, the largest values', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['XADD', 's', '007-0009', 'a', '1'],
      ['XADD', 's', ' 8-+1', 'a', '1'],
      ['XADD', 's', '9- 2', 'a', '1'],
      ['XADD', 's', '+10', 'a', '1'],
      ['XADD', 's', '11-\t3', 'a', '1'],
      ['XADD', 's', '12 ', 'a', '1'],
      ['XADD', 's', `${U64_MAX}0`, 'a', '1'],
      ['XADD', 's', `18446744073709551614`, 'a', '1'],
      ['XRANGE', 's', '-', '+'],
      ['XRANGE', 's', '0007', '+', 'COUNT', '2'],
      ['XRANGE', 's', '(', '+'],
      ['XRANGE', 's', '((7', '+'],
      ['XRANGE', 's', '(-', '+'],
      ['XRANGE', 's', '-', '(+'],
      ['XRANGE', 's', 'x' + '1'.repeat(130), '+'],
      ['XRANGE', 's', '1'.repeat(128), '+'],
    ]);
  });

  test('NOMKSTREAM, and generated IDs: "<ms>-<seq>", increasing, never behind the last ID', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['XADD', 'none', 'NOMKSTREAM', '*', 'a', '1'],
      ['XADD', 'none', 'NOMKSTREAM', '1-1', 'a', '1'],
      ['EXISTS', 'none'],
      ['XADD', 'some', '1-1', 'a', '1'],
      ['XADD', 'some', 'NOMKSTREAM', '1-2', 'a', '1'],
      ['XADD', 'future', '99999999999999-5', 'a', '1'],
    ]);
    for (const client of [pair.ours, pair.redis]) {
      const before = Date.now();
      const first = String(show(await client.call('XADD', 'auto', '*', 'a', '1')));
      const second = String(show(await client.call('XADD', 'auto', '*', 'a', '2')));
      assert.match(first, /^\d+-\d+$/);
      const [ms1, seq1] = first.split('-').map(BigInt) as [bigint, bigint];
      const [ms2, seq2] = second.split('-').map(BigInt) as [bigint, bigint];
      assert.ok(ms1 >= BigInt(before) && ms1 <= BigInt(Date.now()), first);
      assert.ok(ms2 > ms1 || (ms2 === ms1 && seq2 === seq1 + 1n), `${first} then ${second}`);
      // Behind the clock: the last ID's ms with the next sequence.
      assert.equal(show(await client.call('XADD', 'future', '*', 'a', '2')), '99999999999999-6');
      const partial = String(show(await client.call('XADD', 'auto', `${ms2 + 1000n}-*`, 'a', '3')));
      assert.equal(partial, `${ms2 + 1000n}-0`);
    }
  });

  test('XRANGE / XREVRANGE: COUNT, exclusive bounds, incomplete IDs, interval errors', async () => {
    const setup: Arg[][] = [['FLUSHALL']];
    for (let ms = 1; ms <= 5; ms++) for (let seq = 0; seq < 3; seq++) setup.push(['XADD', 's', `${ms}-${seq}`, 'f', `${ms}.${seq}`]);
    await pair.sameAll([
      ...setup,
      ['XRANGE', 's', '2', '3'],
      ['XRANGE', 's', '(2-1', '(3-1'],
      ['XREVRANGE', 's', '(4', '(2'],
      ['XREVRANGE', 's', '4', '2', 'COUNT', '2'],
      ['XRANGE', 's', '-', '+', 'COUNT', '0'],
      ['XRANGE', 's', '-', '+', 'COUNT', '-5'],
      ['XRANGE', 's', '-', '+', 'COUNT', '4', 'COUNT', '1'],
      ['XRANGE', 's', '-', '+', 'COUNT'],
      ['XRANGE', 's', '-', '+', 'LIMIT', '1'],
      ['XRANGE', 's', '-', '+', 'COUNT', 'x'],
      ['XRANGE', 'missing', '-', '+', 'COUNT', '0'],
      ['XRANGE', 's', '5', '1'],
      ['XRANGE', 's', `(${U64_MAX}-${U64_MAX}`, '+'],
      ['XRANGE', 's', '-', '(0-0'],
      ['XRANGE', 's', '(0', '(1'],
      ['XRANGE', 's', '3-1', '3-1'],
      ['XRANGE', 's', 'bad', '+'],
      ['XRANGE', 's', '-', 'bad'],
      ['XRANGE', 's', '0-1-1', '+'],
    ]);
  });

  test('XDEL: tombstones, the first and max deleted IDs, whole nodes going, errors', async () => {
    const setup: Arg[][] = [['FLUSHALL'], ['CONFIG', 'SET', 'stream-node-max-entries', '3']];
    for (let i = 1; i <= 10; i++) setup.push(['XADD', 's', `${i}-0`, 'f', String(i)]);
    await pair.sameAll([
      ...setup,
      ['XDEL', 's', '1-0', '2-0', '2-0', '99-0'],
      ['XDEL', 's', '3-0', 'bad'],
      ['XDEL', 's', '3-0', '-'],
      ['XDEL', 'missing', 'bad'],
      ['XDEL', 's', '3'],
      ['XRANGE', 's', '-', '+'],
      ['XREVRANGE', 's', '+', '-', 'COUNT', '3'],
      ['XDEL', 's', '7-0', '5-0'],
      ['XLEN', 's'],
      ['XDEL', 's', '4-0', '6-0', '8-0', '9-0', '10-0'],
      ['XLEN', 's'],
      ['EXISTS', 's'],
      ['XADD', 's', '10-0', 'f', 'v'],
      ['XADD', 's', '10-1', 'f', 'v'],
      ['XRANGE', 's', '-', '+'],
      ['CONFIG', 'SET', 'stream-node-max-entries', '100'],
    ]);
  });

  test('XTRIM and XADD trimming: MAXLEN / MINID, exact and "~" (whole nodes), LIMIT, errors', async () => {
    const fill = (key: string, n: number): Arg[][] =>
      Array.from({ length: n }, (_, i) => ['XADD', key, `${i + 1}-0`, 'f', String(i + 1), 'g', 'x'.repeat(i % 7)]);
    await pair.sameAll([
      ['FLUSHALL'],
      ['CONFIG', 'SET', 'stream-node-max-entries', '10'],
      ...fill('s', 95),
      ['XTRIM', 's', 'MAXLEN', '~', '83'],
      ['XLEN', 's'],
      ['XTRIM', 's', 'MAXLEN', '~', '81'],
      ['XLEN', 's'],
      ['XTRIM', 's', 'MAXLEN', '=', '77'],
      ['XRANGE', 's', '-', '+', 'COUNT', '2'],
      ['XTRIM', 's', 'MAXLEN', '~', '60', 'LIMIT', '10'],
      ['XLEN', 's'],
      ['XTRIM', 's', 'MAXLEN', '~', '0', 'LIMIT', '0'],
      ['XLEN', 's'],
      ...fill('m', 95),
      ['XTRIM', 'm', 'MINID', '~', '35'],
      ['XRANGE', 'm', '-', '+', 'COUNT', '1'],
      ['XTRIM', 'm', 'MINID', '43-0'],
      ['XRANGE', 'm', '-', '+', 'COUNT', '1'],
      ['XTRIM', 'm', 'MINID', '=', '44'],
      ['XTRIM', 'm', 'MINID', '~', '99999'],
      ['XLEN', 'm'],
      ['EXISTS', 'm'],
      ...fill('a', 30),
      ['XADD', 'a', 'MAXLEN', '~', '15', '31-0', 'f', 'v'],
      ['XLEN', 'a'],
      ['XADD', 'a', 'MAXLEN', '5', '32-0', 'f', 'v'],
      ['XRANGE', 'a', '-', '+'],
      ['XADD', 'a', 'MINID', '32', '33-0', 'f', 'v'],
      ['XADD', 'a', 'MAXLEN', '0', '34-0', 'f', 'v'],
      ['XLEN', 'a'],
      ['XRANGE', 'a', '-', '+'],
      ['XTRIM', 'missing', 'MAXLEN', '0'],
      ['XTRIM', 's'],
      ['XTRIM', 's', 'MAXLEN'],
      ['XTRIM', 's', 'MAXLEN', '-1'],
      ['XTRIM', 's', 'MAXLEN', 'x'],
      ['XTRIM', 's', 'MAXLEN', '1', 'MINID', '1'],
      ['XTRIM', 's', 'MAXLEN', '1', 'LIMIT', '1'],
      ['XTRIM', 's', 'MAXLEN', '~', '1', 'LIMIT', '-1'],
      ['XTRIM', 's', 'MAXLEN', '~', '1', 'LIMIT', 'x'],
      ['XTRIM', 's', 'LIMIT', '5'],
      ['XTRIM', 's', 'MINID', 'bad'],
      ['XTRIM', 's', 'MINID', '-'],
      ['XTRIM', 's', 'MAXLEN', '1', 'NOMKSTREAM'],
      ['XTRIM', 's', 'FOO'],
      ['XADD', 's', 'MAXLEN', '1', 'MAXLEN', '2', '*', 'f', 'v'],
      ['XADD', 's', 'LIMIT', '5', '*', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '1', 'LIMIT', '5', '*', 'f', 'v'],
      ['XADD', 's', 'MAXLEN', '~', 'x', '*', 'f', 'v'],
      ['CONFIG', 'SET', 'stream-node-max-entries', '100'],
    ]);
  });

  test('nodes split by stream-node-max-bytes as redis-server splits them (DUMP payloads equal)', async () => {
    // Uncompressed: our LZF output, though valid, is not byte for byte the one of Redis's lzf.
    const commands: Arg[][] = [['FLUSHALL'], ['CONFIG', 'SET', 'stream-node-max-bytes', '300'], ['CONFIG', 'SET', 'rdbcompression', 'no']];
    const random = seededRandom(7).next;
    for (let i = 1; i <= 60; i++) {
      const fields = random() < 0.5 ? ['f', 'g'] : ['f', 'h', 'k'];
      const argv: Arg[] = ['XADD', 's', `${i * 3}-${i % 4}`];
      for (const f of fields)
        argv.push(f, random() < 0.3 ? String(Math.floor(random() * 100000) - 500) : 'v'.repeat(Math.floor(random() * 40)));
      commands.push(argv);
    }
    commands.push(
      ['XDEL', 's', '30-2', '33-3', '60-0', '63-1'],
      ['XTRIM', 's', 'MINID', '=', '10-0'],
      ['CONFIG', 'SET', 'stream-node-max-bytes', '4096'],
    );
    await pair.sameAll(commands);
    await pair.same(['DUMP', 's']);
    await pair.same(['DEBUG', 'DIGEST-VALUE', 's']);
    await pair.same(['XRANGE', 's', '-', '+']);
    await pair.same(['CONFIG', 'SET', 'rdbcompression', 'yes']);
  });

  test('XSETID with ENTRIESADDED and MAXDELETEDID, every error; DUMP carries them', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['XSETID', 'missing', '1-1'],
      ['XADD', 's', '5-0', 'f', 'v'],
      ['XADD', 's', '6-0', 'f', 'v'],
      ['XDEL', 's', '6-0'],
      ['XSETID', 's', '4-0'],
      ['XSETID', 's', '5-5'],
      ['XSETID', 's', '5-6', 'MAXDELETEDID', '5-7'],
      ['XSETID', 's', '5-6', 'MAXDELETEDID', '5-2'],
      ['XSETID', 's', '5-3'],
      ['XSETID', 's', '5-0'],
      ['XSETID', 's', '7'],
      ['XSETID', 's', '8', 'ENTRIESADDED', '1'],
      ['XSETID', 's', '8', 'ENTRIESADDED', '-1'],
      ['XSETID', 's', '8', 'ENTRIESADDED', 'x'],
      ['XSETID', 's', '8', 'ENTRIESADDED', '10'],
      ['XSETID', 's', '8', 'MAXDELETEDID', '9-0'],
      ['XSETID', 's', '8', 'MAXDELETEDID', 'bad'],
      ['XSETID', 's', '9', 'MAXDELETEDID', '8-0', 'ENTRIESADDED', '12'],
      ['XSETID', 's', '8-5'],
      ['XSETID', 's', '9', 'FOO', '1'],
      ['XSETID', 's', '9', 'ENTRIESADDED'],
      ['XSETID', 's', '-'],
      ['XSETID', 'missing', 'bad'],
      ['XSETID', 'missing', '1', 'ENTRIESADDED', '-2'],
      ['XADD', 's', '9-0', 'f', 'v'],
      ['XADD', 's', '12-*', 'f', 'v'],
      ['XDEL', 's', '5-0'],
      ['XSETID', 'e', '1'],
      ['XADD', 'e', 'MAXLEN', '0', '3-0', 'f', 'v'],
      ['XSETID', 'e', '2'],
      ['XSETID', 'e', '3', 'ENTRIESADDED', '0'],
      ['XADD', 'e', '3-*', 'f', 'v'],
    ]);
    // The whole 7.0 metadata (last, first and max deleted IDs, entries added) is in the payload.
    await pair.same(['CONFIG', 'SET', 'rdbcompression', 'no']);
    await pair.same(['DUMP', 'e']);
    await pair.same(['DUMP', 's']);
    await pair.same(['CONFIG', 'SET', 'rdbcompression', 'yes']);
  });

  test('XREAD without waiting: COUNT, $, several keys, missing keys, errors; RESP3 map', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['XADD', 'a', '1-0', 'f', '1'],
      ['XADD', 'a', '2-0', 'f', '2'],
      ['XADD', 'b', '3-0', 'f', '3'],
      ['XREAD', 'STREAMS', 'a', 'b', '0', '0'],
      ['XREAD', 'COUNT', '1', 'STREAMS', 'a', 'b', '1', '0-0'],
      ['XREAD', 'STREAMS', 'a', 'b', '$', '$'],
      ['XREAD', 'STREAMS', 'a', 'missing', '2', '0'],
      ['XREAD', 'STREAMS', 'a', 'missing', '1', '$'],
      ['XREAD', 'COUNT', '-1', 'STREAMS', 'a', '0'],
      ['XREAD', 'COUNT', '0', 'STREAMS', 'a', '0'],
      ['XREAD', 'STREAMS', 'a', '+'],
      ['XREAD', 'STREAMS', 'a', '-'],
      ['XREAD', 'STREAMS', 'a', '>'],
      ['XREAD', 'STREAMS', 'a', 'b', '0'],
      ['XREAD', 'STREAMS', 'a'],
      ['XREAD', 'COUNT', '1', 'a', '0'],
      ['XREAD', 'COUNT', 'x', 'STREAMS', 'a', '0'],
      ['XREAD', 'BLOCK', '-1', 'STREAMS', 'a', '0'],
      ['XREAD', 'BLOCK', 'x', 'STREAMS', 'a', '0'],
      ['XREAD', 'BLOCK', '9223372036854775807', 'STREAMS', 'a', '0'],
      ['XREAD', 'GROUP', 'g', 'c', 'STREAMS', 'a', '0'],
      ['XREAD', 'NOACK', 'STREAMS', 'a', '0'],
      ['XREAD', 'BLOCK', '10', 'STREAMS', 'a', '5'],
      ['XREAD', 'BLOCK', '0', 'STREAMS', 'a', '0'],
      ['SET', 'str', 'x'],
      ['XREAD', 'STREAMS', 'a', 'str', '0', '0'],
      ['XREAD', 'STREAMS', 'a', 'str', 'bad', '0'],
      ['MULTI'],
      ['XREAD', 'BLOCK', '0', 'STREAMS', 'a', '$'],
      ['EXEC'],
      ['COMMAND', 'GETKEYS', 'XREAD', 'COUNT', '1', 'STREAMS', 'a', 'b', '0', '0'],
    ]);
    // RESP3: a map of key to entries, and nulls.
    await Promise.all([pair.ours.call('HELLO', '3'), pair.redis.call('HELLO', '3')]);
    try {
      await pair.sameAll([
        ['XREAD', 'STREAMS', 'a', 'b', '0', '0'],
        ['XREAD', 'STREAMS', 'a', '9'],
        ['XRANGE', 'a', '-', '+', 'COUNT', '0'],
        ['XADD', 'missing', 'NOMKSTREAM', '1-1', 'f', 'v'],
      ]);
    } finally {
      await Promise.all([pair.ours.call('HELLO', '2'), pair.redis.call('HELLO', '2')]);
    }
  });

  test('DEBUG DIGEST-VALUE and DUMP / RESTORE both ways, with tombstones', async () => {
    const build: Arg[][] = [['FLUSHALL']];
    for (let i = 1; i <= 250; i++) build.push(['XADD', 'big', `${1000 + i}-${i}`, 'f1', `v${i}`, i % 3 ? 'f2' : 'g2', String(i)]);
    build.push(['XDEL', 'big', '1010-10', '1100-100', '1101-101'], ['XTRIM', 'big', 'MAXLEN', '200']);
    await pair.sameAll(build);
    await pair.same(['DEBUG', 'DIGEST-VALUE', 'big', 'missing']);
    await pair.same(['CONFIG', 'SET', 'rdbcompression', 'no']);
    const ours = (await pair.ours.call('DUMP', 'big')) as Buffer;
    const theirs = (await pair.redis.call('DUMP', 'big')) as Buffer;
    assert.deepEqual(ours, theirs, 'DUMP payloads differ');
    // Restored across: each server reads the other's payload and shows the same stream.
    assert.equal(show(await pair.redis.call('RESTORE', 'fromours', '0', ours)), 'OK');
    assert.equal(show(await pair.ours.call('RESTORE', 'fromredis', '0', theirs)), 'OK');
    const digest = show(await pair.redis.call('DEBUG', 'DIGEST-VALUE', 'big'));
    assert.deepEqual(show(await pair.redis.call('DEBUG', 'DIGEST-VALUE', 'fromours')), digest);
    assert.deepEqual(show(await pair.ours.call('DEBUG', 'DIGEST-VALUE', 'fromredis')), digest);
    assert.deepEqual(show(await pair.redis.call('XINFO', 'STREAM', 'fromours')), show(await pair.redis.call('XINFO', 'STREAM', 'big')));
    await pair.sameAll([
      ['XADD', 'fromredis', '2000-0', 'f', 'v'],
      ['XADD', 'fromours', '2000-0', 'f', 'v'],
    ]);
    assert.deepEqual(show(await pair.ours.call('DUMP', 'fromredis')), show(await pair.redis.call('DUMP', 'fromours')));
    await pair.same(['DEBUG', 'DIGEST']);
    await pair.same(['CONFIG', 'SET', 'rdbcompression', 'yes']);
  });
});

describe('stream commands in COMMAND INFO', () => {
  test("flags, key positions, tips and key specs (XREAD's keyword search) as redis-server gives them", async () => {
    // Subcommands come in the order of Redis's dict: compared as a set.
    const normal = (reply: unknown): unknown => {
      const rows = show(reply as never) as unknown[][];
      for (const row of rows) (row[9] as unknown[][]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      return rows;
    };
    const names = ['xadd', 'xtrim', 'xdel', 'xlen', 'xsetid', 'xrange', 'xrevrange', 'xread', 'xreadgroup'];
    names.push('xgroup', 'xack', 'xpending', 'xclaim', 'xautoclaim', 'xinfo');
    const [ours, theirs] = await Promise.all([pair.ours.call('COMMAND', 'INFO', ...names), pair.redis.call('COMMAND', 'INFO', ...names)]);
    assert.deepEqual(normal(ours), normal(theirs));
    await pair.same(['COMMAND', 'GETKEYS', 'XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 'a', 'b', '>', '>']);
  });
});

describe('stream propagation', () => {
  test('XADD goes out with the ID it generated, "~" trimming as "=" with what is left', () => {
    const node = new InProcessNode(['--stream-node-max-entries', '4']);
    node.run('XADD', 's', '5-*', 'f', 'v');
    node.run('XADD', 's', '5-*', 'f', 'v');
    const auto = /\$\d+\r\n(\d+-\d+)/.exec(node.run('XADD', 's', '*', 'f', 'v'))![1]!;
    assert.deepEqual(node.takeEffects(), [
      ['XADD', 's', '5-0', 'f', 'v'],
      ['XADD', 's', '5-1', 'f', 'v'],
      ['XADD', 's', auto, 'f', 'v'],
    ]);
    // Nodes of 4 entries: [10..13] [14..17] [18 19]; MAXLEN ~ 6 can only drop the first node.
    for (let i = 0; i < 10; i++) node.run('XADD', 't', `${10 + i}-0`, 'f', 'v');
    node.takeEffects();
    node.run('XADD', 't', 'MAXLEN', '~', '6', 'LIMIT', '100', '30-0', 'f', 'v');
    node.run('XADD', 't', 'MINID', '~', '0', '31-0', 'f', 'v');
    node.run('XADD', 't', 'NOMKSTREAM', 'MAXLEN', '=', '100', '32-*', 'f', 'v');
    assert.deepEqual(node.takeEffects(), [
      ['XADD', 't', 'MAXLEN', '=', '7', 'LIMIT', '100', '30-0', 'f', 'v'],
      ['XADD', 't', 'MINID', '=', '14-0', '31-0', 'f', 'v'],
      ['XADD', 't', 'NOMKSTREAM', 'MAXLEN', '=', '100', '32-0', 'f', 'v'],
    ]);
    // [14..17] [18 19 30 31] [32]: "~ 2" drops the first node only, then nothing.
    assert.equal(node.run('XTRIM', 't', 'MAXLEN', '~', '2'), ':4\r\n');
    assert.equal(node.run('XTRIM', 't', 'MAXLEN', '~', '2'), ':0\r\n');
    assert.equal(node.run('XTRIM', 't', 'MAXLEN', '1'), ':4\r\n');
    assert.equal(node.run('XTRIM', 't', 'MAXLEN', '1'), ':0\r\n');
    assert.deepEqual(node.takeEffects(), [
      ['XTRIM', 't', 'MAXLEN', '=', '5'],
      ['XTRIM', 't', 'MAXLEN', '1'],
    ]);
    // Nothing deleted, a read, then a change of the last ID.
    node.run('XDEL', 't', '1-1');
    node.run('XREAD', 'STREAMS', 't', '0');
    node.run('XSETID', 't', '99-0');
    node.run('XDEL', 't', '32-0');
    assert.deepEqual(node.takeEffects(), [
      ['XSETID', 't', '99-0'],
      ['XDEL', 't', '32-0'],
    ]);
  });
});
