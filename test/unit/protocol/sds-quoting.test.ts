// sds.c's quoting (sdscatrepr, sdsneedsrepr) and splitting (sdssplitargs), as the shared module
// reproduces them. The expected values were taken from Debian's redis-server 7.0: the repr of
// every byte is the argument of a MONITOR line for `ECHO <bytes 0..255>`; the splits are the
// MONITOR lines (or the protocol error) for inline requests `EXISTS <case>`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catRepr, needsRepr, splitArgs } from '../../../src-main/engine/protocol/sds-quoting.js';

const ALL_BYTES = Array.from({ length: 256 }, (_, b) => String.fromCharCode(b)).join('');

// redis-server 7.0's MONITOR argument for the 256 bytes 0x00..0xff, verbatim.
const ALL_BYTES_REPR =
  '"\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\a\\b\\t\\n\\x0b\\x0c\\r\\x0e\\x0f\\x10\\x11\\x12\\x13\\x14\\x15\\x16\\x17' +
  '\\x18\\x19\\x1a\\x1b\\x1c\\x1d\\x1e\\x1f !\\"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`' +
  'abcdefghijklmnopqrstuvwxyz{|}~\\x7f' +
  Array.from({ length: 128 }, (_, i) => '\\x' + (0x80 + i).toString(16)).join('') +
  '"';

test('catRepr: the 256 bytes come out exactly as redis-server prints them', () => {
  assert.equal(catRepr(ALL_BYTES), ALL_BYTES_REPR);
  // The high half spelled out, so a wrong case or width shows here and not only in the loop above.
  assert.ok(
    ALL_BYTES_REPR.endsWith(
      '\\x7f\\x80\\x81\\x82\\x83\\x84\\x85\\x86\\x87\\x88\\x89\\x8a\\x8b\\x8c\\x8d\\x8e\\x8f\\x90\\x91\\x92\\x93\\x94\\x95\\x96\\x97\\x98\\x99\\x9a\\x9b\\x9c\\x9d\\x9e\\x9f\\xa0\\xa1\\xa2\\xa3\\xa4\\xa5\\xa6\\xa7\\xa8\\xa9\\xaa\\xab\\xac\\xad\\xae\\xaf\\xb0\\xb1\\xb2\\xb3\\xb4\\xb5\\xb6\\xb7\\xb8\\xb9\\xba\\xbb\\xbc\\xbd\\xbe\\xbf\\xc0\\xc1\\xc2\\xc3\\xc4\\xc5\\xc6\\xc7\\xc8\\xc9\\xca\\xcb\\xcc\\xcd\\xce\\xcf\\xd0\\xd1\\xd2\\xd3\\xd4\\xd5\\xd6\\xd7\\xd8\\xd9\\xda\\xdb\\xdc\\xdd\\xde\\xdf\\xe0\\xe1\\xe2\\xe3\\xe4\\xe5\\xe6\\xe7\\xe8\\xe9\\xea\\xeb\\xec\\xed\\xee\\xef\\xf0\\xf1\\xf2\\xf3\\xf4\\xf5\\xf6\\xf7\\xf8\\xf9\\xfa\\xfb\\xfc\\xfd\\xfe\\xff"',
    ),
  );
  assert.equal(catRepr(''), '""');
  assert.equal(catRepr('set'), '"set"');
  assert.equal(catRepr('a b"\n\x01'), '"a b\\"\\n\\x01"');
});

test('catRepr: each byte alone, and read back by splitArgs as itself', () => {
  for (let b = 0; b < 256; b++) {
    const s = String.fromCharCode(b);
    const repr = catRepr(s);
    const expected =
      ({ 0x5c: '\\\\', 0x22: '\\"', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x07: '\\a', 0x08: '\\b' } as Record<number, string>)[b] ??
      (b >= 0x20 && b <= 0x7e ? s : '\\x' + b.toString(16).padStart(2, '0'));
    assert.equal(repr, `"${expected}"`, `byte ${b}`);
    // NUL ends sdssplitargs's C string, so it cannot come back from a line (nor does it in Redis).
    if (b !== 0) assert.deepEqual(splitArgs(repr), [s], `byte ${b}`);
  }
  const noNul = ALL_BYTES.slice(1);
  assert.deepEqual(splitArgs(`${catRepr(noNul)} ${catRepr('')} x`), [noNul, '', 'x']);
});

test('needsRepr: true exactly for \\ " the spaces and the non-printable bytes (sdsneedsrepr)', () => {
  const needing = new Set<number>();
  for (let b = 0; b <= 0x20; b++) needing.add(b); // controls and space (isspace: \t \n \v \f \r ' ')
  for (let b = 0x7f; b <= 0xff; b++) needing.add(b); // DEL and the high half (not isprint in the C locale)
  needing.add(0x22).add(0x5c);
  for (let b = 0; b < 256; b++) assert.equal(needsRepr(String.fromCharCode(b)), needing.has(b), `byte ${b}`);
  assert.equal(needsRepr(''), false);
  assert.equal(needsRepr('appendonly.aof.1.incr.aof'), false);
  assert.equal(needsRepr('my aof'), true);
  // sdsneedsrepr does not look for single quotes, although sdssplitargs treats them specially.
  assert.equal(needsRepr("it's"), false);
});

// [inline argument text, redis-server's arguments (or null: "unbalanced quotes in request")]
const SPLITS: Array<[string, string[] | null]> = [
  ['a b   c', ['a', 'b', 'c']],
  ['"a b" c', ['a b', 'c']],
  ['"\\x41\\x7a\\xfF"', ['Az\xff']],
  ['"\\x4"', ['x4']],
  ['"\\xzz"', ['xzz']],
  ['"\\n\\r\\t\\b\\a\\q\\\\\\""', ['\n\r\t\b\x07q\\"']],
  ['""', ['']],
  ["'' x", ['', 'x']],
  ["'it\\'s'", ["it's"]],
  ["'a\\nb'", ['a\\nb']],
  ["'a\\\"b'", ['a\\"b']],
  ['"unbalanced', null],
  ["'unbalanced", null],
  ['"a"b', null],
  ["'a'b", null],
  ['"a"\tb', ['a', 'b']],
  ['"a"\x0bb', ['a', 'b']],
  ['ab"cd"', ['abcd']],
  ["ab'cd' e", ['abcd', 'e']],
  ['a\x0bb', ['a\x0bb']],
  ['a\x0cb c', ['a\x0cb', 'c']],
  ['"a\\', null],
  ['"\\x41', null],
  ['x "\xe9"', ['x', '\xe9']],
];

test("splitArgs: redis-server's splits of inline requests, errors included", () => {
  for (const [line, expected] of SPLITS) assert.deepEqual(splitArgs(line), expected, JSON.stringify(line));
  assert.deepEqual(splitArgs(''), []);
  assert.deepEqual(splitArgs(' \t\r\n\x0b\x0c '), []);
  // A NUL byte ends the line, as it ends sdssplitargs's C string.
  assert.deepEqual(splitArgs('a b\0c d'), ['a', 'b']);
  assert.equal(splitArgs('"a\0b" c'), null);
});

test('text mode keeps chars from 0x80 up as themselves, with the same ASCII escapes', () => {
  assert.equal(catRepr('/home/jos\xe9/\u20ac "x"\x01', { text: true }), '"/home/jos\xe9/\u20ac \\"x\\"\\x01"');
  assert.equal(needsRepr('/home/jos\xe9/\u20ac', { text: true }), false);
  assert.equal(needsRepr('/home/jos\xe9/\u20ac'), true);
  // Byte mode: a char above 0xff is not a byte; it is kept so that a UTF-8 reader gets it back.
  assert.equal(catRepr('\xe9\u20ac'), '"\\xe9\u20ac"');
  assert.deepEqual(splitArgs(catRepr('\xe9\u20ac')), ['\xe9\u20ac']);
});
