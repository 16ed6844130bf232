// The compact encodings inside RDB values: listpack (written and read), intset, and the legacy
// ziplist / zipmap only old dumps contain; plus the number formats the encodings depend on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListpackBuilder, ListpackCursor, listpackToBuffers } from '../../../../src-main/engine/persistence/rdb/listpack.js';
import { listpackEntrySize } from '../../../../src-main/engine/keyspace/listpack-size.js';
import { encodeIntset, intsetToBuffers, membersAsIntegers } from '../../../../src-main/engine/persistence/rdb/intset.js';
import { ziplistToBuffers, zipmapToPairs } from '../../../../src-main/engine/persistence/rdb/legacy-encodings.js';
import { formatDouble17g, formatScore, parseStrictInt64 } from '../../../../src-main/engine/util/number-text.js';
import { CorruptDataError } from '../../../../src-main/engine/persistence/corrupt-data.js';

const b = (s: string) => Buffer.from(s);

test('listpack round trip covers every integer width and string length class', () => {
  const values = [
    '0',
    '127',
    '128',
    '-1',
    '-4096',
    '4095',
    '4096',
    '-32768',
    '32767',
    '40000',
    '-8388608',
    '8388607',
    '2147483647',
    '-2147483648',
    '2147483648',
    '9223372036854775807',
    '-9223372036854775808',
    '9223372036854775808',
    '007',
    '-0',
    '+5',
    '',
    'x',
    'y'.repeat(63),
    'y'.repeat(64),
    'z'.repeat(4095),
    'z'.repeat(4096),
    'w'.repeat(70000),
  ];
  const lp = new ListpackBuilder();
  let expectedSize = 7;
  for (const v of values) {
    lp.append(b(v));
    expectedSize += listpackEntrySize(b(v));
  }
  const bytes = Buffer.from(lp.finish());
  assert.equal(bytes.length, expectedSize);
  assert.deepEqual(listpackToBuffers(bytes).map(String), values);
});

test('listpack stores integer-looking strings as integers, like lpAppend', () => {
  const lp = new ListpackBuilder().append(b('5')).append(b('-100')).append(b('abc'));
  const cursor = new ListpackCursor(Buffer.from(lp.finish()));
  const kinds: boolean[] = [];
  while (cursor.next()) kinds.push(cursor.isInteger);
  assert.deepEqual(kinds, [true, true, false]);
});

test('listpack validation rejects a wrong size, a missing terminator and a bad backlen', () => {
  const good = Buffer.from(new ListpackBuilder().append(b('hello')).append(b('1')).finish());
  const wrongSize = Buffer.from(good);
  wrongSize.writeUInt32LE(good.length + 1, 0);
  const noEof = Buffer.from(good);
  noEof[noEof.length - 1] = 0;
  const badBacklen = Buffer.from(good);
  badBacklen[6 + 6] = 9; // backlen of "hello" (1 + 5 bytes) should be 6
  for (const bad of [wrongSize, noEof, badBacklen]) {
    assert.throws(() => listpackToBuffers(bad), CorruptDataError);
  }
});

test('intset: narrowest width, sorted, and only for strict integers', () => {
  const small = encodeIntset([3, -7, 1]);
  assert.equal(small.readUInt32LE(0), 2);
  assert.deepEqual(intsetToBuffers(small).map(String), ['-7', '1', '3']);
  const wide = encodeIntset([1, 5000000000, -2147483649n]);
  assert.equal(wide.readUInt32LE(0), 8);
  assert.deepEqual(intsetToBuffers(wide).map(String), ['-2147483649', '1', '5000000000']);
  assert.equal(encodeIntset([70000]).readUInt32LE(0), 4);
  assert.equal(membersAsIntegers([b('1'), b('01')]), null);
  assert.equal(membersAsIntegers([b('1'), b(' 2')]), null);
  const unsorted = Buffer.from(small);
  unsorted.writeInt16LE(100, 8);
  assert.throws(() => intsetToBuffers(unsorted), /sorted/);
});

/** A ziplist as ziplist.c lays it out: header, entries with prevlen, 0xFF. */
function ziplist(entries: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  let prevlen = 0;
  let offset = 10;
  let tail = 10;
  for (const enc of entries) {
    const entry = Buffer.concat([Buffer.from([prevlen]), enc]);
    tail = offset;
    offset += entry.length;
    prevlen = entry.length;
    parts.push(entry);
  }
  const header = Buffer.alloc(10);
  header.writeUInt32LE(offset + 1, 0);
  header.writeUInt32LE(tail, 4);
  header.writeUInt16LE(entries.length, 8);
  return Buffer.concat([header, ...parts, Buffer.from([0xff])]);
}

const zipStr = (s: string) => Buffer.concat([Buffer.from([s.length]), Buffer.from(s)]);

test('ziplist entries: strings, 4-bit immediates, int8/16/24/32/64', () => {
  const int = (code: number, bytes: number[]) => Buffer.from([code, ...bytes]);
  const zl = ziplist([
    zipStr('abc'),
    Buffer.from([0xf1]), // immediate 0
    Buffer.from([0xfd]), // immediate 12
    int(0xfe, [0xff]), // int8 -1
    int(0xc0, [0x2c, 0x01]), // int16 300
    int(0xf0, [0x00, 0x00, 0x80]), // int24 -8388608
    int(0xd0, [0x00, 0xca, 0x9a, 0x3b]), // int32 1000000000
    int(0xe0, [0, 0, 0, 0, 0, 0, 0, 0x80]), // int64 min
  ]);
  assert.deepEqual(ziplistToBuffers(zl).map(String), ['abc', '0', '12', '-1', '300', '-8388608', '1000000000', '-9223372036854775808']);
  const badTail = Buffer.from(zl);
  badTail.writeUInt32LE(10, 4);
  assert.throws(() => ziplistToBuffers(badTail), /tail/);
});

test('zipmap pairs, including free bytes after a value', () => {
  const zm = Buffer.concat([
    Buffer.from([2]),
    Buffer.from([1]),
    b('a'),
    Buffer.from([2, 0]),
    b('xy'),
    Buffer.from([3]),
    b('key'),
    Buffer.from([1, 2]),
    b('v'),
    Buffer.from([0, 0]),
    Buffer.from([0xff]),
  ]);
  assert.deepEqual(
    zipmapToPairs(zm).map(([f, v]) => [String(f), String(v)]),
    [
      ['a', 'xy'],
      ['key', 'v'],
    ],
  );
  assert.throws(() => zipmapToPairs(zm.subarray(0, zm.length - 1)), CorruptDataError);
});

test('number text: string2ll strictness, %.17g and d2string', () => {
  assert.equal(parseStrictInt64(b('-0')), null);
  assert.equal(parseStrictInt64(b('00')), null);
  assert.equal(parseStrictInt64(b('9223372036854775808')), null);
  assert.equal(parseStrictInt64(b('-9223372036854775808')), -9223372036854775808n);
  assert.equal(parseStrictInt64(b('12')), 12);
  // Values C's printf("%.17g") gives for doubles (checked with Python's % operator).
  assert.equal(formatDouble17g(0.1), '0.10000000000000001');
  assert.equal(formatDouble17g(1.5), '1.5');
  assert.equal(formatDouble17g(1e-300), '1e-300');
  assert.equal(formatDouble17g(1.2345678901234568e17), '1.2345678901234568e+17');
  assert.equal(formatDouble17g(1e16), '10000000000000000');
  assert.equal(formatDouble17g(0.0001), '0.0001');
  assert.equal(formatDouble17g(0.00001), '1.0000000000000001e-05');
  assert.equal(formatDouble17g(1 / 3), '0.33333333333333331');
  assert.equal(formatDouble17g(-Infinity), '-inf');
  assert.equal(formatScore(3), '3');
  assert.equal(formatScore(-0), '-0');
  assert.equal(formatScore(2.5), '2.5');
  assert.equal(formatScore(Infinity), 'inf');
});
