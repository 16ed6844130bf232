// The sorted-set structure against a naive model (a sorted array): random insertions, updates,
// removals, rank and range queries must agree, whatever levels the skiplist drew. Also the C
// strtod emulation the score arguments go through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SortedSet, ZADD_INCR, type ZSetEntry } from '../../../src-main/engine/keyspace/types/zset.js';
import { LEX_MAX, LEX_MIN, LexRange, ScoreRange } from '../../../src-main/engine/keyspace/types/zset-ranges.js';
import { string2d, strtod } from '../../../src-main/engine/commands/c-strtod.js';
import { seededRandom } from '../../support/command-families.js';

const LIMITS = { maxEntries: 16, maxValueLength: 64 };

function byOrder(a: [string, number], b: [string, number]): number {
  return a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

const plain = (entries: readonly ZSetEntry[]) => entries.map((e) => [e.member, e.score]);

test('SortedSet agrees with a sorted-array model under random operations', () => {
  const rnd = seededRandom(7);
  const set = new SortedSet();
  const model = new Map<string, number>();
  for (let step = 0; step < 6000; step++) {
    const member = `m${rnd.int(300)}`;
    const op = rnd.int(10);
    if (op < 5) {
      const score = rnd.int(50) - 25 + (rnd.int(3) === 0 ? 0.5 : 0);
      const incr = rnd.int(4) === 0;
      const result = set.add(member, score, incr ? ZADD_INCR : 0, LIMITS);
      const expected = incr ? (model.get(member) ?? 0) + score : score;
      assert.equal(result.score, expected);
      model.set(member, expected);
    } else if (op < 7) {
      assert.equal(set.remove(member), model.delete(member));
    } else if (op === 7 && model.size > 0) {
      const popped = set.pop(rnd.int(2) === 0)!;
      assert.equal(model.get(popped.member), popped.score);
      model.delete(popped.member);
    } else if (op === 8 && model.size > 10) {
      const sorted = [...model].sort(byOrder);
      const start = rnd.int(model.size);
      const end = Math.min(model.size - 1, start + rnd.int(5));
      assert.equal(set.removeRankRange(start, end), end - start + 1);
      for (const [m] of sorted.slice(start, end + 1)) model.delete(m);
    } else {
      const min = rnd.int(40) - 20;
      const max = min + rnd.int(10);
      const range = new ScoreRange(min, max, rnd.int(2) === 0, rnd.int(2) === 0);
      const expected = [...model]
        .sort(byOrder)
        .filter(([, s]) => (range.minExclusive ? s > min : s >= min) && (range.maxExclusive ? s < max : s <= max));
      assert.deepEqual(plain(set.rangeIn(range, false, 0, -1)), expected);
      assert.deepEqual(plain(set.rangeIn(range, true, 1, 3)), expected.reverse().slice(1, 4));
      assert.equal(set.countIn(range), expected.length);
    }
    assert.equal(set.size, model.size);
  }
  const sorted = [...model].sort(byOrder);
  assert.deepEqual([...set.entries()], sorted);
  for (const [i, [member]] of sorted.entries()) {
    assert.equal(set.rank(member, false), i);
    assert.equal(set.rank(member, true), sorted.length - 1 - i);
  }
  assert.deepEqual(plain(set.rangeByRank(3, 9, true)), sorted.slice().reverse().slice(3, 10));
  assert.equal(set.encoding(), 'skiplist');
  assert.deepEqual([...set.clone().entries()], sorted);
});

test('thousands of members at few scores (as GEOADD of one place): order, ranks and ranges stay exact', () => {
  // Enough members that some nodes have levels past the ones a node keeps in its own fields.
  const rnd = seededRandom(11);
  const set = new SortedSet();
  const model = new Map<string, number>();
  const geoScore = 3479099956230698;
  for (let step = 0; step < 20000; step++) {
    const member = `member:${String(rnd.int(4000)).padStart(12, '0')}`;
    const op = rnd.int(10);
    if (op < 6) {
      const score = rnd.int(8) === 0 ? geoScore + rnd.int(3) : geoScore;
      set.add(member, score, 0, LIMITS);
      model.set(member, score);
    } else if (op < 9) {
      assert.equal(set.remove(member), model.delete(member));
    } else if (model.size > 0) {
      const sorted = [...model].sort(byOrder);
      const i = rnd.int(sorted.length);
      assert.equal(set.rank(sorted[i]![0], false), i);
      assert.deepEqual(plain(set.rangeByRank(i, Math.min(i + 4, sorted.length - 1), false)), sorted.slice(i, i + 5));
    }
  }
  const sorted = [...model].sort(byOrder);
  assert.ok(sorted.length > 1000);
  assert.deepEqual([...set.entries()], sorted);
  for (const [i, [member]] of sorted.entries()) assert.equal(set.rank(member, true), sorted.length - 1 - i);
  const range = new ScoreRange(geoScore, geoScore + 1, true, false);
  const inRange = sorted.filter(([, s]) => s > geoScore && s <= geoScore + 1);
  assert.deepEqual(plain(set.rangeIn(range, false, 7, 20)), inRange.slice(7, 27));
  assert.equal(set.countIn(range), inRange.length);
  assert.equal(
    set.removeIn(new ScoreRange(geoScore, geoScore, false, false)),
    sorted.length - sorted.filter(([, s]) => s !== geoScore).length,
  );
  assert.deepEqual(
    [...set.entries()],
    sorted.filter(([, s]) => s !== geoScore),
  );
  // Moving members between scores relinks their nodes.
  for (const [member] of sorted.slice(0, 50)) set.add(member, geoScore + 1.5, 0, LIMITS);
  const moved = [...set.entries()];
  assert.deepEqual(moved, [...moved].sort(byOrder));
  assert.deepEqual(
    moved.map(([m], i) => set.rank(m, false) === i),
    moved.map(() => true),
  );
});

test('lex ranges, infinite bounds and removal by lex range', () => {
  const set = SortedSet.from(
    ['a', 'b', 'ba', 'c', 'd'].map((m) => [m, 0] as const),
    LIMITS,
  );
  const members = (range: LexRange) => set.rangeIn(range, false, 0, -1).map((e) => e.member);
  assert.deepEqual(members(new LexRange(LEX_MIN, LEX_MAX, true, true)), ['a', 'b', 'ba', 'c', 'd']);
  assert.deepEqual(members(new LexRange('b', 'c', true, false)), ['ba', 'c']);
  assert.deepEqual(members(new LexRange(LEX_MAX, LEX_MIN, true, true)), []);
  assert.equal(set.removeIn(new LexRange('b', 'c', false, true)), 2);
  assert.deepEqual(
    [...set.entries()].map(([m]) => m),
    ['a', 'c', 'd'],
  );
});

test('encodings: built whole, converted on insertion, -0 kept only by a skiplist', () => {
  assert.equal(SortedSet.from([['a', 1]], LIMITS).encoding(), 'listpack');
  assert.equal(SortedSet.from([['x'.repeat(65), 1]], LIMITS).encoding(), 'skiplist');
  const set = new SortedSet();
  set.add('a', -0, 0, LIMITS);
  assert.ok(Object.is(set.score('a'), 0));
  set.add('x'.repeat(65), -0, 0, LIMITS);
  assert.equal(set.encoding(), 'skiplist');
  set.add('b', -0, 0, LIMITS);
  assert.ok(Object.is(set.score('b'), -0));
  set.remove('x'.repeat(65));
  assert.equal(set.encoding(), 'skiplist', 'never back to listpack');
});

test('string2d reads plain decimals exactly as strtod does, short and long, integral or not', () => {
  const rnd = seededRandom(5);
  const digits = (n: number) => Array.from({ length: n }, () => String(rnd.int(10))).join('');
  const texts = [
    '0',
    '-0',
    '-0.0',
    '007',
    '0.1',
    '9007199254740991',
    '9007199254740993',
    '3479099956230698',
    '1.7976931348623157',
    '0.0000000000000000000001',
  ];
  for (let i = 0; i < 5000; i++) {
    const sign = rnd.int(2) === 0 ? '-' : '';
    const integer = digits(1 + rnd.int(18));
    texts.push(rnd.int(3) === 0 ? sign + integer : `${sign}${integer}.${digits(1 + rnd.int(24))}`);
  }
  for (const text of texts) {
    const expected = strtod(text);
    assert.equal(expected.end, text.length);
    assert.ok(Object.is(string2d(text), expected.value), text);
    assert.ok(Object.is(string2d(text), Number(text)), text);
  }
  for (const text of ['1.', '.5', '-', '1.2.3', '1e5', '+1', '12a', '1 '])
    assert.equal(string2d(text), strtod(text).end === text.length ? strtod(text).value : null, text);
});

test('strtod and string2d read numbers as glibc and util.c do', () => {
  assert.deepEqual(strtod('  1.5xyz'), { value: 1.5, end: 5, outOfRange: false });
  assert.equal(strtod('0x').end, 1);
  assert.equal(strtod('0x1p-2').value, 0.25);
  assert.equal(strtod('-0X.8').value, -0.5);
  assert.equal(strtod('0x1.fffffffffffff8p1023').value, Infinity);
  assert.equal(strtod('0x1p-1074').value, 5e-324);
  assert.equal(strtod('infinity').end, 8);
  assert.equal(strtod('infinit').end, 3);
  assert.ok(Number.isNaN(strtod('nan(123)').value));
  assert.equal(strtod('nan(12').end, 3);
  assert.equal(strtod('1e').end, 1);
  assert.equal(strtod('').end, 0);
  assert.equal(strtod('  ').end, 0);
  assert.equal(string2d('1e400'), null);
  assert.equal(string2d('1e-400'), null);
  assert.equal(string2d('1e-320'), 1e-320);
  assert.equal(string2d(' 1'), null);
  assert.equal(string2d('1 '), null);
  assert.equal(string2d('nan'), null);
  assert.equal(string2d(''), null);
  assert.equal(string2d('-inf'), -Infinity);
  assert.equal(string2d('0x10'), 16);
  assert.ok(Object.is(string2d('-0'), -0));
  assert.equal(string2d('0.1'), 0.1);
});
