// List commands against Debian's redis-server 7.0, reply for reply: every command's normal use,
// edge cases (negative and out-of-range indexes, counts of 0, LONG_MIN, empty elements), every
// error (WRONGTYPE, arity, bad numbers, syntax), RESP2 null versus empty array, RESP3 nulls, the
// blocking commands when they need not wait (and inside MULTI, where they never do), keyspace
// events, OBJECT ENCODING, and a seeded random stream of list commands.
// Waiting and waking up is tested in lists-blocking.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pairForFile } from '../../support/differential.js';
import { RespClient, show } from '../../support/resp-client.js';
import { seededRandom, serves } from '../../support/command-families.js';

const pair = pairForFile();

type Arg = string | Buffer | number;

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => String(from + i));
const LONG_MAX = '9223372036854775807';
const LONG_MIN = '-9223372036854775808';

describe('lists', () => {
  test('pushes create, extend and report the length; the X forms need an existing list', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['LPUSH', 'l', 'a', 'b', 'c'],
      ['RPUSH', 'l', 'd', '', 'e'],
      ['LRANGE', 'l', '0', '-1'],
      ['LPUSHX', 'missing', 'a'],
      ['RPUSHX', 'missing', 'a', 'b'],
      ['EXISTS', 'missing'],
      ['LPUSHX', 'l', 'x', 'y'],
      ['RPUSHX', 'l', 'z'],
      ['LRANGE', 'l', '0', '-1'],
      ['LLEN', 'l'],
      ['LLEN', 'missing'],
      ['RPUSH', 'bin', Buffer.from([0, 255, 13, 10, 128])],
      ['LRANGE', 'bin', '0', '-1'],
      ['RPUSH', 'ints', '1', '-1', '01', '9223372036854775808', '-0', ' 1'],
      ['LRANGE', 'ints', '0', '-1'],
    ]);
  });

  test('LPOP/RPOP: a bulk without count, an array with one; null versus empty array', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'],
      ['LPOP', 'l'],
      ['RPOP', 'l'],
      ['LPOP', 'l', '2'],
      ['RPOP', 'l', '0'],
      ['LPOP', 'l', '0'],
      ['RPUSH', 'l', 'x', 'y', 'z'],
      ['RPOP', 'l', '2'],
      ['RPOP', 'l', '10'],
      ['EXISTS', 'l'],
      ['LPOP', 'missing'],
      ['RPOP', 'missing'],
      ['LPOP', 'missing', '0'],
      ['LPOP', 'missing', '3'],
      ['RPOP', 'missing', '1'],
      ['RPUSH', 'one', 'v'],
      ['LPOP', 'one', '1'],
      ['EXISTS', 'one'],
      ['LPOP', 'l', '-1'],
      ['LPOP', 'l', 'x'],
      ['LPOP', 'l', LONG_MAX],
      ['LPOP', 'l', '9223372036854775808'],
      ['LPOP', 'l', '1', '2'],
      ['RPOP', 'l', '1', '2', '3'],
      ['RPUSH', 'l', 'a'],
      ['LPOP', 'l', '1.5'],
      ['LPOP', 'l', ' 1'],
    ]);
  });

  test('LRANGE, LINDEX and LSET with negative and out-of-range indexes', async () => {
    const ranges = [
      ['0', '-1'],
      ['0', '0'],
      ['-1', '-1'],
      ['-3', '-2'],
      ['2', '1'],
      ['-100', '100'],
      ['5', '100'],
      ['100', '200'],
      ['-100', '-50'],
      ['3', '-1'],
      ['0', LONG_MAX],
      [LONG_MIN, LONG_MAX],
      [LONG_MIN, '-1'],
    ];
    await pair.sameAll([
      ['FLUSHALL'],
      ['RPUSH', 'l', ...range(0, 10)],
      ...ranges.map(([start, stop]) => ['LRANGE', 'l', start!, stop!]),
      ['LRANGE', 'missing', '0', '-1'],
      ['LRANGE', 'l', 'a', '1'],
      ['LRANGE', 'l', '0', 'b'],
      ['LRANGE', 'missing', 'a', '1'],
      ...['0', '9', '10', '-1', '-10', '-11', '5', LONG_MAX, LONG_MIN].map((i) => ['LINDEX', 'l', i]),
      ['LINDEX', 'missing', '0'],
      ['LINDEX', 'missing', 'x'],
      ['LINDEX', 'l', 'x'],
      ['LINDEX', 'l', '9223372036854775808'],
      ['LSET', 'l', '0', 'first'],
      ['LSET', 'l', '-1', 'last'],
      ['LSET', 'l', '-5', 'mid'],
      ['LSET', 'l', '10', 'x'],
      ['LSET', 'l', '-11', 'x'],
      ['LSET', 'l', 'x', 'x'],
      ['LSET', 'missing', '0', 'x'],
      ['LSET', 'missing', 'x', 'x'],
      ['LRANGE', 'l', '0', '-1'],
    ]);
  });

  test('LTRIM keeps a range; out of range or inverted empties and deletes the list', async () => {
    const trims = [
      ['1', '-2'],
      ['0', '100'],
      ['-3', '-1'],
      ['1', '0'],
      ['-1', '-1'],
      ['5', '10'],
    ];
    for (const [start, stop] of trims) {
      await pair.sameAll([
        ['DEL', 'l'],
        ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'],
        ['LTRIM', 'l', start!, stop!],
        ['LRANGE', 'l', '0', '-1'],
        ['EXISTS', 'l'],
      ]);
    }
    await pair.sameAll([
      ['LTRIM', 'missing', '0', '1'],
      ['LTRIM', 'missing', 'a', '1'],
      ['RPUSH', 'l', 'a'],
      ['LTRIM', 'l', '0', 'x'],
      ['LTRIM', 'l', LONG_MIN, LONG_MAX],
      ['LRANGE', 'l', '0', '-1'],
    ]);
  });

  test('LINSERT before and after a pivot, missing pivots and keys, bad positions', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['RPUSH', 'l', 'a', 'b', 'c', 'b'],
      ['LINSERT', 'l', 'BEFORE', 'b', 'x'],
      ['LINSERT', 'l', 'after', 'b', 'y'],
      ['LINSERT', 'l', 'After', 'b', 'z'],
      ['LINSERT', 'l', 'before', 'a', 'head'],
      ['LINSERT', 'l', 'after', 'b', 'tail-side'],
      ['LINSERT', 'l', 'after', 'c', ''],
      ['LINSERT', 'l', 'before', 'nope', 'x'],
      ['LINSERT', 'l', 'middle', 'b', 'x'],
      ['LINSERT', 'missing', 'before', 'b', 'x'],
      ['LINSERT', 'missing', 'middle', 'b', 'x'],
      ['LRANGE', 'l', '0', '-1'],
      ['RPUSH', 'big', ...range(0, 300)],
      ['LINSERT', 'big', 'before', '150', 'mid'],
      ['LINSERT', 'big', 'after', '10', 'near-head'],
      ['LINSERT', 'big', 'after', '290', 'near-tail'],
      ['LRANGE', 'big', '0', '-1'],
    ]);
  });

  test('LREM from the head, from the tail, all of them; LONG_MIN removes all', async () => {
    const element = ['a', 'x', 'a', 'b', 'a', 'c', 'a', 'a'];
    for (const count of ['0', '1', '2', '-1', '-3', '100', '-100', LONG_MIN, LONG_MAX]) {
      await pair.sameAll([
        ['DEL', 'l'],
        ['RPUSH', 'l', ...element],
        ['LREM', 'l', count, 'a'],
        ['LRANGE', 'l', '0', '-1'],
      ]);
    }
    await pair.sameAll([
      ['LREM', 'l', '0', 'nope'],
      ['LREM', 'l', '0', 'x'],
      ['LREM', 'l', '0', 'b'],
      ['LREM', 'l', '0', 'c'],
      ['EXISTS', 'l'],
      ['LREM', 'missing', '1', 'a'],
      ['LREM', 'missing', 'x', 'a'],
      ['RPUSH', 'l', 'a'],
      ['LREM', 'l', 'x', 'a'],
      ['LREM', 'l', '9223372036854775808', 'a'],
    ]);
  });

  test('LPOS with RANK, COUNT and MAXLEN, from both ends', async () => {
    const options = [
      [],
      ['RANK', '1'],
      ['RANK', '2'],
      ['RANK', '-1'],
      ['RANK', '-2'],
      ['RANK', '10'],
      ['COUNT', '0'],
      ['COUNT', '2'],
      ['COUNT', '0', 'RANK', '2'],
      ['COUNT', '0', 'RANK', '-2'],
      ['COUNT', '1', 'RANK', '-1'],
      ['MAXLEN', '3'],
      ['MAXLEN', '3', 'COUNT', '0'],
      ['MAXLEN', '2', 'RANK', '-1'],
      ['MAXLEN', '0', 'COUNT', '0'],
      ['rank', '1', 'count', '1', 'maxlen', '100'],
      ['RANK', '1', 'RANK', '2'],
      ['RANK', LONG_MIN],
      ['RANK', LONG_MAX],
    ];
    await pair.sameAll([
      ['FLUSHALL'],
      ['RPUSH', 'l', 'a', 'b', 'c', 'a', 'b', 'c', 'a'],
      ...options.flatMap((o) => [
        ['LPOS', 'l', 'a', ...o],
        ['LPOS', 'l', 'z', ...o],
      ]),
      ['LPOS', 'missing', 'a'],
      ['LPOS', 'missing', 'a', 'COUNT', '0'],
      ['LPOS', 'l', 'a', 'RANK', '0'],
      ['LPOS', 'l', 'a', 'RANK', 'x'],
      ['LPOS', 'l', 'a', 'COUNT', '-1'],
      ['LPOS', 'l', 'a', 'COUNT', 'x'],
      ['LPOS', 'l', 'a', 'MAXLEN', '-1'],
      ['LPOS', 'l', 'a', 'MAXLEN', 'x'],
      ['LPOS', 'l', 'a', 'RANK'],
      ['LPOS', 'l', 'a', 'BOGUS', '1'],
      ['LPOS', 'missing', 'a', 'RANK', '0'],
      ['LPOS', 'missing', 'a', 'COUNT', '-1'],
    ]);
  });

  test('LMOVE and RPOPLPUSH: all four directions, onto itself, into a new list, errors', async () => {
    const sides = [
      ['LEFT', 'LEFT'],
      ['LEFT', 'RIGHT'],
      ['RIGHT', 'LEFT'],
      ['right', 'right'],
    ];
    for (const [from, to] of sides) {
      await pair.sameAll([
        ['FLUSHALL'],
        ['RPUSH', 'src', 'a', 'b', 'c'],
        ['RPUSH', 'dst', 'x', 'y'],
        ['LMOVE', 'src', 'dst', from!, to!],
        ['LMOVE', 'src', 'src', from!, to!],
        ['LMOVE', 'src', 'new', from!, to!],
        ['LRANGE', 'src', '0', '-1'],
        ['LRANGE', 'dst', '0', '-1'],
        ['LRANGE', 'new', '0', '-1'],
      ]);
    }
    await pair.sameAll([
      ['FLUSHALL'],
      ['RPUSH', 'one', 'only'],
      ['LMOVE', 'one', 'one', 'LEFT', 'RIGHT'],
      ['LRANGE', 'one', '0', '-1'],
      ['LMOVE', 'one', 'other', 'LEFT', 'RIGHT'],
      ['EXISTS', 'one'],
      ['LMOVE', 'missing', 'dst', 'LEFT', 'RIGHT'],
      ['LMOVE', 'other', 'dst', 'UP', 'RIGHT'],
      ['LMOVE', 'other', 'dst', 'LEFT', 'DOWN'],
      ['LMOVE', 'missing', 'dst', 'UP', 'RIGHT'],
      ['SET', 'str', 'v'],
      ['LMOVE', 'other', 'str', 'LEFT', 'RIGHT'],
      ['LMOVE', 'str', 'other', 'LEFT', 'RIGHT'],
      ['LMOVE', 'missing', 'str', 'LEFT', 'RIGHT'],
      ['LRANGE', 'other', '0', '-1'],
      ['RPUSH', 'src', '1', '2', '3'],
      ['RPOPLPUSH', 'src', 'dst'],
      ['RPOPLPUSH', 'src', 'src'],
      ['RPOPLPUSH', 'missing', 'dst'],
      ['RPOPLPUSH', 'src', 'str'],
      ['RPOPLPUSH', 'str', 'src'],
      ['LRANGE', 'src', '0', '-1'],
      ['LRANGE', 'dst', '0', '-1'],
    ]);
  });

  test('LMPOP takes from the first non-empty list; its numkeys, direction and COUNT rules', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['RPUSH', 'b', 'b1', 'b2', 'b3'],
      ['RPUSH', 'c', 'c1'],
      ['LMPOP', '3', 'a', 'b', 'c', 'LEFT'],
      ['LMPOP', '3', 'a', 'b', 'c', 'right', 'COUNT', '5'],
      ['LMPOP', '2', 'b', 'c', 'LEFT', 'count', '1'],
      ['LMPOP', '1', 'c', 'LEFT'],
      ['LMPOP', '2', 'a', 'c', 'LEFT'],
      ['RPUSH', 'c', 'x'],
      ['SET', 'str', 'v'],
      ['LMPOP', '2', 'str', 'c', 'LEFT'],
      ['LMPOP', '2', 'missing', 'str', 'LEFT'],
      ['LMPOP', '2', 'c', 'str', 'LEFT'],
      ['LMPOP', '0', 'c', 'LEFT'],
      ['LMPOP', '-1', 'c', 'LEFT'],
      ['LMPOP', 'x', 'c', 'LEFT'],
      ['LMPOP', '2', 'c', 'LEFT'],
      ['LMPOP', '5', 'c', 'LEFT'],
      ['LMPOP', '1', 'c', 'MIDDLE'],
      ['LMPOP', '1', 'c', 'LEFT', 'COUNT'],
      ['LMPOP', '1', 'c', 'LEFT', 'COUNT', '0'],
      ['LMPOP', '1', 'c', 'LEFT', 'COUNT', '-1'],
      ['LMPOP', '1', 'c', 'LEFT', 'COUNT', 'x'],
      ['LMPOP', '1', 'c', 'LEFT', 'COUNT', '1', 'COUNT', '1'],
      ['LMPOP', '1', 'c', 'LEFT', 'BOGUS'],
      ['LMPOP', '1', 'c'],
      ['LMPOP', '1', 'c', 'RIGHT', 'COUNT', LONG_MAX],
    ]);
  });

  test('blocking commands answer at once when there is something to take; their argument errors', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['RPUSH', 'l', ...range(0, 12)],
      ['BLPOP', 'missing', 'l', '0'],
      ['BRPOP', 'l', 'missing', '1'],
      ['BLPOP', 'l', 'l', '0.5'],
      ['BLMOVE', 'l', 'dst', 'LEFT', 'RIGHT', '0'],
      ['BLMOVE', 'l', 'l', 'right', 'left', '0'],
      ['BRPOPLPUSH', 'l', 'dst', '0'],
      ['BLMPOP', '0', '2', 'missing', 'l', 'LEFT', 'COUNT', '2'],
      ['BLMPOP', '1', '1', 'l', 'RIGHT'],
      ['LRANGE', 'l', '0', '-1'],
      ['LRANGE', 'dst', '0', '-1'],
      ['SET', 'str', 'v'],
      ['BLPOP', 'str', 'l', '0'],
      ['BLPOP', 'missing', 'str', '0'],
      ['BLMOVE', 'str', 'dst', 'LEFT', 'RIGHT', '0'],
      ['BLMOVE', 'dst', 'str', 'LEFT', 'RIGHT', '0'],
      ['BRPOPLPUSH', 'dst', 'str', '0'],
      ['BLMPOP', '0', '2', 'str', 'l', 'LEFT'],
      // Timeouts: strtold syntax, seconds times 1000 rounded up; out of range counts as negative.
      ...['-1', '-0.001', 'x', '', ' 1', '1 ', '1e', '0x', 'nan', '-nan', 'inf', '-inf', 'infinity', '1e400', '1e16', '-1e400'].map(
        (timeout) => ['BLPOP', 'l', timeout],
      ),
      ['RPUSH', 'many', ...range(0, 10)],
      ...['0x10', '1e3', '+1', '.5', '0X1P-2', '1E-3', '00.1'].map((timeout) => ['BLPOP', 'many', timeout]),
      ['BLMOVE', 'l', 'dst', 'LEFT', 'RIGHT', '-1'],
      ['BLMOVE', 'l', 'dst', 'UP', 'RIGHT', '-1'],
      ['BLMOVE', 'l', 'dst', 'LEFT', 'UP', 'x'],
      ['BRPOPLPUSH', 'l', 'dst', 'x'],
      ['BLMPOP', 'x', '1', 'l', 'LEFT'],
      ['BLMPOP', '-1', '1', 'l', 'LEFT'],
      ['BLMPOP', 'x', '0', 'l', 'LEFT'],
      ['BLMPOP', 'x', '1', 'l', 'UP'],
      ['BLMPOP', 'x', '1', 'l', 'LEFT', 'COUNT', '0'],
      ['BLMPOP', '0', '1', 'l'],
      ['BLMPOP', '0', '2', 'l', 'LEFT'],
    ]);
  });

  test('WRONGTYPE from every list command on a string', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['SET', 's', 'v'],
      ['LPUSH', 's', 'a'],
      ['RPUSH', 's', 'a'],
      ['LPUSHX', 's', 'a'],
      ['RPUSHX', 's', 'a'],
      ['LPOP', 's'],
      ['RPOP', 's', '2'],
      ['LPOP', 's', '0'],
      ['LLEN', 's'],
      ['LRANGE', 's', '0', '-1'],
      ['LINDEX', 's', '0'],
      ['LINDEX', 's', 'x'],
      ['LSET', 's', '0', 'x'],
      ['LSET', 's', 'x', 'x'],
      ['LINSERT', 's', 'BEFORE', 'a', 'b'],
      ['LREM', 's', '0', 'a'],
      ['LTRIM', 's', '0', '1'],
      ['LPOS', 's', 'a'],
      ['LPOS', 's', 'a', 'COUNT', '0'],
      ['LMOVE', 's', 'd', 'LEFT', 'LEFT'],
      ['RPOPLPUSH', 's', 'd'],
      ['LMPOP', '1', 's', 'LEFT'],
      ['BLPOP', 's', '0'],
      ['BRPOP', 's', '0'],
      ['BLMOVE', 's', 'd', 'LEFT', 'LEFT', '0'],
      ['BRPOPLPUSH', 's', 'd', '0'],
      ['BLMPOP', '0', '1', 's', 'LEFT'],
      ['GET', 's'],
    ]);
  });

  test('wrong number of arguments', async () => {
    await pair.sameAll([
      ['LPUSH', 'l'],
      ['RPUSH'],
      ['LPUSHX', 'l'],
      ['RPUSHX', 'l'],
      ['LPOP'],
      ['RPOP'],
      ['LLEN'],
      ['LLEN', 'a', 'b'],
      ['LRANGE', 'l', '0'],
      ['LRANGE', 'l', '0', '1', '2'],
      ['LINDEX', 'l'],
      ['LSET', 'l', '0'],
      ['LINSERT', 'l', 'BEFORE', 'a'],
      ['LREM', 'l', '0'],
      ['LTRIM', 'l', '0'],
      ['LPOS', 'l'],
      ['LMOVE', 'a', 'b', 'LEFT'],
      ['RPOPLPUSH', 'a'],
      ['LMPOP', '1', 'a'],
      ['BLPOP', 'l'],
      ['BRPOP', 'l'],
      ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT'],
      ['BRPOPLPUSH', 'a', 'b'],
      ['BLMPOP', '0', '1', 'a'],
    ]);
  });

  test('long lists: edits in the middle, trims and pops at both ends', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['RPUSH', 'l', ...range(0, 2000)],
      ['LPUSH', 'l', ...range(5000, 5500)],
      ['LINDEX', 'l', '1234'],
      ['LINDEX', 'l', '-1234'],
      ['LSET', 'l', '1000', 'changed'],
      ['LINSERT', 'l', 'BEFORE', '1500', 'before-1500'],
      ['LINSERT', 'l', 'AFTER', '5250', 'after-5250'],
      ['LREM', 'l', '0', '7'],
      ['LPOS', 'l', 'changed'],
      ['LPOS', 'l', '1999', 'RANK', '-1'],
      ['LPOP', 'l', '300'],
      ['RPOP', 'l', '300'],
      ['LTRIM', 'l', '100', '-100'],
      ['LLEN', 'l'],
      ['LRANGE', 'l', '0', '-1'],
      ['LRANGE', 'l', '-50', '-1'],
    ]);
  });

  test('OBJECT ENCODING: Redis 7.0 lists are always quicklists', async (t) => {
    if (!(await serves(pair.ours, 'object'))) {
      t.skip('our node does not serve OBJECT yet');
      return;
    }
    await pair.sameAll([
      ['FLUSHALL'],
      ['RPUSH', 'small', 'a'],
      ['RPUSH', 'big', ...range(0, 1000)],
      ['RPUSH', 'wide', 'x'.repeat(10000)],
      ['OBJECT', 'ENCODING', 'small'],
      ['OBJECT', 'ENCODING', 'big'],
      ['OBJECT', 'ENCODING', 'wide'],
      ['TYPE', 'small'],
    ]);
  });

  test('RESP3: missing lists and empty pops are nulls', async (t) => {
    if (!(await serves(pair.ours, 'hello'))) {
      t.skip('our node does not serve HELLO yet');
      return;
    }
    // HELLO's own reply carries each server's client id: switch without comparing it.
    const hello = (version: string) => Promise.all([pair.ours.call('HELLO', version), pair.redis.call('HELLO', version)]);
    await hello('3');
    try {
      await pair.sameAll([
        ['FLUSHALL'],
        ['LPOP', 'missing'],
        ['LPOP', 'missing', '2'],
        ['LINDEX', 'missing', '0'],
        ['LPOS', 'missing', 'a'],
        ['LMPOP', '1', 'missing', 'LEFT'],
        ['LMOVE', 'missing', 'd', 'LEFT', 'LEFT'],
        ['BLPOP', 'missing', '0.001'],
        ['RPUSH', 'l', 'a', 'b'],
        ['LPOP', 'l', '0'],
        ['LPOS', 'l', 'z'],
        ['LRANGE', 'l', '0', '-1'],
        ['LMPOP', '1', 'l', 'LEFT', 'COUNT', '2'],
      ]);
    } finally {
      await hello('2');
    }
  });

  test('inside MULTI the blocking commands do not block: they answer as if timed out', async (t) => {
    if (!(await serves(pair.ours, 'multi'))) {
      t.skip('our node does not serve MULTI yet');
      return;
    }
    await pair.sameAll([
      ['FLUSHALL'],
      ['MULTI'],
      ['BLPOP', 'missing', '0'],
      ['BRPOP', 'missing', 'other', '0'],
      ['BLMOVE', 'missing', 'dst', 'LEFT', 'RIGHT', '0'],
      ['BRPOPLPUSH', 'missing', 'dst', '0'],
      ['BLMPOP', '0', '1', 'missing', 'LEFT'],
      ['RPUSH', 'l', 'a', 'b'],
      ['BLPOP', 'l', '0'],
      ['BLMOVE', 'l', 'dst', 'LEFT', 'RIGHT', '0'],
      ['BLPOP', 'l', '0'],
      ['BLPOP', 'missing', 'x'],
      ['EXEC'],
      ['LRANGE', 'dst', '0', '-1'],
    ]);
  });

  test('keyspace events: the same events in the same order', async (t) => {
    if (!(await serves(pair.ours, 'psubscribe'))) {
      t.skip('our node does not serve PSUBSCRIBE yet');
      return;
    }
    await pair.same(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
    const listeners = await Promise.all(pair.servers.map((s) => RespClient.open(s.port)));
    try {
      for (const listener of listeners) await listener.call('PSUBSCRIBE', '__key*__:*');
      await pair.sameAll([
        ['FLUSHALL'],
        ['RPUSH', 'l', 'a', 'b', 'c', 'd'],
        ['LPUSH', 'l', 'z'],
        ['LPUSHX', 'missing', 'z'],
        ['LSET', 'l', '0', 'y'],
        ['LINSERT', 'l', 'AFTER', 'a', 'x'],
        ['LINSERT', 'l', 'AFTER', 'nope', 'x'],
        ['LREM', 'l', '1', 'x'],
        ['LREM', 'l', '1', 'nope'],
        ['LTRIM', 'l', '0', '-1'],
        ['LTRIM', 'l', '1', '-1'],
        ['LPOP', 'l'],
        ['RPOP', 'l', '1'],
        ['LPOP', 'l', '0'],
        ['LMOVE', 'l', 'm', 'LEFT', 'RIGHT'],
        ['RPOPLPUSH', 'l', 'm'],
        ['LMPOP', '1', 'm', 'LEFT', 'COUNT', '5'],
        ['RPUSH', 'l', 'a', 'b'],
        ['BLPOP', 'l', '0'],
        ['BLMOVE', 'l', 'l2', 'LEFT', 'LEFT', '0'],
        ['BLMPOP', '0', '1', 'l2', 'RIGHT'],
        ['RPUSH', 'l', 'a', 'b'],
        ['LTRIM', 'l', '5', '10'],
      ]);
      // A message of our own ends the stream: once it arrived, every event before it has too.
      await pair.same(['PUBLISH', '__key__:end', 'end']);
      const events = await Promise.all(listeners.map((listener) => messagesUntilEnd(listener)));
      assert.ok((events[1] as unknown[]).length > 20, 'redis-server published the events');
      assert.deepEqual(events[0], events[1], 'keyspace events differ (ours, then redis-server)');
    } finally {
      for (const listener of listeners) listener.close();
      await pair.same(['CONFIG', 'SET', 'notify-keyspace-events', '']);
    }
  });

  test('a seeded random stream of list commands gets the same replies', async (t) => {
    const available = new Set<string>();
    for (const name of ['type', 'expire', 'persist', 'object', 'multi']) {
      if (await serves(pair.ours, name)) available.add(name);
      else t.diagnostic(`${name.toUpperCase()} left out of the stream: our node does not serve it yet`);
    }
    for (const seed of [21, 22, 23]) await randomStream(seed, 1500, available);
  });
});

/** The pub/sub messages a listener received, up to and without the final "end" message. */
async function messagesUntilEnd(listener: RespClient): Promise<unknown[]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const messages = listener.unsolicited.map(show) as unknown[][];
    if (messages.at(-1)?.at(-1) === 'end') return messages.slice(0, -1);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the final message never arrived');
}

async function randomStream(seed: number, steps: number, available: Set<string>): Promise<void> {
  const rnd = seededRandom(seed);
  const keys = ['l0', 'l1', 'l2', 'l3', 'str'];
  const key = () => rnd.pick(keys);
  const element = () => {
    switch (rnd.int(8)) {
      case 0:
        return '';
      case 1:
        return String(rnd.int(20) - 10);
      case 2:
        return 'x'.repeat(rnd.int(3) * 40);
      default:
        return rnd.pick(['a', 'b', 'c', 'd', 'e']);
    }
  };
  const elements = () => Array.from({ length: 1 + rnd.int(4) }, element);
  const index = () => String(rnd.int(16) - 8);
  const end = () => rnd.pick(['LEFT', 'RIGHT', 'left', 'Right']);
  const someKeys = () => Array.from({ length: 1 + rnd.int(3) }, key);
  const lposOptions = (): string[] => {
    const options: string[] = [];
    if (rnd.int(2)) options.push('RANK', rnd.pick(['1', '2', '-1', '-2', '3']));
    if (rnd.int(2)) options.push('COUNT', String(rnd.int(3)));
    if (rnd.int(3) === 0) options.push('MAXLEN', String(rnd.int(6)));
    return options;
  };
  const generators: Array<() => Arg[]> = [
    () => ['LPUSH', key(), ...elements()],
    () => ['RPUSH', key(), ...elements()],
    () => ['RPUSH', key(), ...elements()],
    () => ['LPUSHX', key(), ...elements()],
    () => ['RPUSHX', key(), ...elements()],
    () => ['LPOP', key(), ...(rnd.int(2) ? [String(rnd.int(4))] : [])],
    () => ['RPOP', key(), ...(rnd.int(2) ? [String(rnd.int(4))] : [])],
    () => ['LLEN', key()],
    () => ['LRANGE', key(), index(), index()],
    () => ['LRANGE', key(), '0', '-1'],
    () => ['LINDEX', key(), index()],
    () => ['LSET', key(), index(), element()],
    () => ['LINSERT', key(), rnd.pick(['BEFORE', 'AFTER']), element(), element()],
    () => ['LREM', key(), String(rnd.int(5) - 2), element()],
    () => ['LTRIM', key(), index(), index()],
    () => ['LPOS', key(), element(), ...lposOptions()],
    () => ['LMOVE', key(), key(), end(), end()],
    () => ['RPOPLPUSH', key(), key()],
    () => {
      const from = someKeys();
      return ['LMPOP', String(from.length), ...from, end(), ...(rnd.int(2) ? ['COUNT', String(1 + rnd.int(3))] : [])];
    },
    () => ['DEL', key()],
    () => ['EXISTS', key()],
    () => ['SET', 'str', 'x'],
  ];
  if (available.has('type')) generators.push(() => ['TYPE', key()]);
  if (available.has('expire')) generators.push(() => ['EXPIRE', key(), '1000']);
  if (available.has('persist')) generators.push(() => ['PERSIST', key()]);
  if (available.has('object')) generators.push(() => ['OBJECT', 'ENCODING', key()]);
  // Blocking commands that found nothing would wait: inside MULTI they answer at once instead.
  const blocking: Array<() => Arg[]> = [
    () => ['BLPOP', ...someKeys(), '0'],
    () => ['BRPOP', ...someKeys(), '0'],
    () => ['BLMOVE', key(), key(), end(), end(), '0'],
    () => ['BRPOPLPUSH', key(), key(), '0'],
    () => {
      const from = someKeys();
      return ['BLMPOP', '0', String(from.length), ...from, end(), 'COUNT', String(1 + rnd.int(3))];
    },
  ];

  await pair.same(['FLUSHALL']);
  for (let step = 0; step < steps; step++) {
    try {
      if (available.has('multi') && rnd.int(10) === 0) {
        await pair.same(['MULTI']);
        for (let i = rnd.int(3); i >= 0; i--) await pair.same(rnd.pick(generators)());
        await pair.same(rnd.pick(blocking)());
        await pair.same(['EXEC']);
      } else {
        await pair.same(rnd.pick(generators)());
      }
    } catch (err) {
      throw new Error(`random stream seed ${seed}, step ${step}: ${(err as Error).message}`);
    }
  }
}
