// String and bitmap commands against Debian's redis-server 7.0, reply for reply: the SET family,
// GETSET/GETDEL/GETEX, MGET/MSET(NX), the integer and float counters (INCRBYFLOAT's long double
// formatting), APPEND/STRLEN/GETRANGE/SETRANGE on binary data, OBJECT ENCODING after each kind of
// write, SETBIT/GETBIT/BITCOUNT/BITPOS/BITOP/BITFIELD, what the rewriting commands propagate, and a
// seeded random stream of string commands.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pairForFile } from '../../support/differential.js';
import { InProcessNode, seededRandom } from '../../support/command-families.js';

const pair = pairForFile();

type Arg = string | Buffer | number;

/** TTLs read from each server's own clock: equal within a second. */
async function sameTtl(key: string): Promise<void> {
  const [ours, redis] = (await Promise.all([pair.ours.call('TTL', key), pair.redis.call('TTL', key)])) as number[];
  assert.ok(Math.abs(ours! - redis!) <= 1 && ours! < 0 === redis! < 0, `TTL ${key}: ours ${ours}, redis ${redis}`);
}

const bytes = (...values: number[]) => Buffer.from(values);

describe('strings', () => {
  test('SET options, SETNX, SETEX, PSETEX and their errors', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['SET', 'k', 'v', 'NX'],
      ['SET', 'k', 'w', 'NX'],
      ['SET', 'k', 'w', 'XX', 'GET'],
      ['SET', 'missing', 'w', 'XX'],
      ['SET', 'k', 'x', 'EX', '100', 'GET'],
      ['SET', 'k', 'y', 'KEEPTTL'],
      ['SET', 'k', 'y', 'NX', 'XX'],
      ['SET', 'k', 'y', 'EX', '10', 'PX', '100'],
      ['SET', 'k', 'y', 'EX', '10', 'KEEPTTL'],
      ['SET', 'k', 'y', 'EX'],
      ['SET', 'k', 'y', 'EX', '0'],
      ['SET', 'k', 'y', 'EX', 'abc'],
      ['SET', 'k', 'y', 'PXAT', '-1'],
      ['SET', 'k', 'y', 'EX', '9223372036854775807'],
      ['SET', 'k', 'y', 'FOO'],
      ['SETNX', 'k', 'z'],
      ['SETNX', 'fresh', 'z'],
      ['SETEX', 'ex', '100', 'v'],
      ['SETEX', 'ex', '0', 'v'],
      ['SETEX', 'ex', '-5', 'v'],
      ['SETEX', 'ex', 'abc', 'v'],
      ['SETEX', 'ex', '9223372036854775807', 'v'],
      ['PSETEX', 'pex', '100000', 'v'],
      ['PSETEX', 'pex', '0', 'v'],
      ['SETNX', 'k'],
      ['SETEX', 'k', '10'],
      ['PSETEX', 'k', '10', 'v', 'x'],
    ]);
    await sameTtl('k');
    await sameTtl('ex');
    await sameTtl('pex');
  });

  test('GETSET, GETDEL and GETEX with every option', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['SET', 'k', 'v', 'EX', '100'],
      ['GETSET', 'k', 'w'],
      ['TTL', 'k'],
      ['GETSET', 'missing', 'x'],
      ['GETDEL', 'missing2'],
      ['GETDEL', 'missing'],
      ['EXISTS', 'missing'],
      ['SADD', 'set', 'm'],
      ['GETSET', 'set', 'x'],
      ['GETDEL', 'set'],
      ['GETEX', 'set'],
      ['GETEX', 'k'],
      ['GETEX', 'k', 'EX', '100'],
      ['GETEX', 'k', 'PERSIST'],
      ['TTL', 'k'],
      ['GETEX', 'k', 'PX', '100000'],
      ['GETEX', 'k', 'EXAT', '99999999999'],
      ['EXPIRETIME', 'k'],
      ['GETEX', 'k', 'PXAT', '99999999999999'],
      ['PEXPIRETIME', 'k'],
      ['GETEX', 'k', 'EX', '0'],
      ['GETEX', 'k', 'EX', 'abc'],
      ['GETEX', 'k', 'EX', '10', 'PX', '10'],
      ['GETEX', 'k', 'EX', '10', 'PERSIST'],
      ['GETEX', 'k', 'PERSIST', 'EX', '10'],
      ['GETEX', 'k', 'KEEPTTL'],
      ['GETEX', 'k', 'NX'],
      ['GETEX', 'k', 'EX'],
      ['GETEX', 'missing', 'EX', 'abc'],
      ['GETEX', 'missing', 'FOO'],
      ['GETEX', 'k', 'EXAT', '1'],
      ['EXISTS', 'k'],
      ['GETDEL'],
      ['GETSET', 'k'],
      ['GETEX'],
    ]);
  });

  test('MGET, MSET and MSETNX', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['MSET', 'a', '1', 'b', '2', 'a', '3'],
      ['MGET', 'a', 'b', 'missing', 'a'],
      ['SADD', 'set', 'm'],
      ['MGET', 'set', 'a'],
      ['MSETNX', 'c', '1', 'a', '2'],
      ['EXISTS', 'c'],
      ['MSETNX', 'c', '1', 'd', '2'],
      ['MSETNX', 'set', '1'],
      ['MGET', 'c', 'd'],
      ['MSET', 'a'],
      ['MSET', 'a', '1', 'b'],
      ['MSETNX', 'a', '1', 'b'],
      ['MSET'],
      ['MGET'],
      ['SET', 'e', 'x', 'EX', '100'],
      ['MSET', 'e', 'y'],
      ['TTL', 'e'],
    ]);
  });

  test('INCR, DECR, INCRBY, DECRBY: formats, the 64-bit limits, TTLs kept', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['INCR', 'n'],
      ['INCRBY', 'n', '41'],
      ['DECR', 'n'],
      ['DECRBY', 'n', '-10'],
      ['INCRBY', 'n', '-100'],
      ['SET', 'max', '9223372036854775806'],
      ['INCR', 'max'],
      ['INCR', 'max'],
      ['GET', 'max'],
      ['SET', 'min', '-9223372036854775807'],
      ['DECR', 'min'],
      ['DECR', 'min'],
      ['DECRBY', 'n', '-9223372036854775808'],
      ['INCRBY', 'n', '9223372036854775807'],
      ['INCRBY', 'n', '9223372036854775808'],
      ['SET', 'big', '123456789012345678'],
      ['INCRBY', 'big', '1000000000000000000'],
      ['DECRBY', 'big', '-1'],
      ['SET', 'safe-edge', '9007199254740991'],
      ['INCRBY', 'safe-edge', '9007199254740991'],
      ['INCR', 'safe-edge'],
    ]);
    for (const bad of ['', ' 1', '1 ', '+1', '01', '-0', '1.0', '1e3', 'abc', '99999999999999999999', '0x10']) {
      await pair.sameAll([
        ['SET', 'bad', bad],
        ['INCR', 'bad'],
        ['INCRBY', 'n', bad],
        ['DECRBY', 'n', bad],
      ]);
    }
    await pair.sameAll([
      ['SET', 'ttl', '5', 'EX', '100'],
      ['INCR', 'ttl'],
      ['SADD', 'set', 'm'],
      ['INCR', 'set'],
      ['INCRBY', 'set', 'x'],
      ['INCR'],
      ['INCRBY', 'n'],
      ['DECR', 'n', 'x'],
    ]);
    await sameTtl('ttl');
  });

  test('INCRBYFLOAT formats its long double result exactly as Redis', async () => {
    await pair.sameAll([['FLUSHALL']]);
    const cases: [string, string][] = [
      ['10.50', '0.1'],
      ['0.1', '0.2'],
      ['5.0e3', '2.0e2'],
      ['1', '-1'],
      ['-0', '0'],
      ['3', '1.5e-5'],
      ['1e300', '1e300'],
      ['1.7976931348623157e308', '1'],
      ['123456789012345678901234567890', '1'],
      ['0.000000000000000001', '0'],
      ['1', '0x10'],
      ['1', '.5'],
      ['1', '5.'],
      ['9223372036854775807', '1'],
      ['1', '1e4932'],
    ];
    for (const [start, increment] of cases) {
      await pair.sameAll([
        ['SET', 'f', start],
        ['INCRBYFLOAT', 'f', increment],
        ['GET', 'f'],
      ]);
    }
    for (const bad of ['', 'abc', '1x', ' 1', 'nan', 'inf', '-inf', '1e5000']) {
      await pair.sameAll([
        ['SET', 'f', '1'],
        ['INCRBYFLOAT', 'f', bad],
        ['SET', 'g', bad],
        ['INCRBYFLOAT', 'g', '1'],
      ]);
    }
    await pair.sameAll([
      ['DEL', 'f'],
      ['INCRBYFLOAT', 'f', '2.5'],
      ['SET', 't', '1', 'EX', '100'],
      ['INCRBYFLOAT', 't', '1'],
      ['SADD', 'set', 'm'],
      ['INCRBYFLOAT', 'set', '1'],
      ['INCRBYFLOAT', 'f'],
    ]);
    await sameTtl('t');
  });

  test('APPEND, STRLEN, GETRANGE, SUBSTR and SETRANGE on binary values', async () => {
    const binary = bytes(0, 1, 255, 13, 10, 0x80, 0x7f);
    await pair.sameAll([
      ['FLUSHALL'],
      ['APPEND', 'a', binary],
      ['APPEND', 'a', 'xyz'],
      ['GET', 'a'],
      ['STRLEN', 'a'],
      ['STRLEN', 'missing'],
      ['APPEND', 'a', ''],
      ['APPEND', 'empty', ''],
      ['EXISTS', 'empty'],
      ['SET', 'n', '42'],
      ['APPEND', 'n', '0'],
      ['GET', 'n'],
      ['STRLEN', 'n'],
      ['SET', 'ttl', 'x', 'EX', '100'],
      ['APPEND', 'ttl', 'y'],
      ['SADD', 'set', 'm'],
      ['APPEND', 'set', 'x'],
      ['STRLEN', 'set'],
      ['GETRANGE', 'set', '0', '1'],
      ['SETRANGE', 'set', '0', 'x'],
    ]);
    await sameTtl('ttl');
    await pair.sameAll([
      ['SET', 's', 'Hello, World'],
      ['SET', 'e', ''],
    ]);
    for (const [start, end] of [
      ['0', '4'],
      ['-5', '-1'],
      ['-1', '-5'],
      ['5', '3'],
      ['0', '100'],
      ['-100', '2'],
      ['-100', '-100'],
      ['3', '-100'],
      ['0', '-1'],
      ['11', '11'],
      ['12', '12'],
      ['9223372036854775807', '1'],
      ['-9223372036854775808', '9223372036854775807'],
    ]) {
      await pair.sameAll([
        ['GETRANGE', 's', start!, end!],
        ['SUBSTR', 's', start!, end!],
        ['GETRANGE', 'e', start!, end!],
        ['GETRANGE', 'missing', start!, end!],
      ]);
    }
    await pair.sameAll([
      ['GETRANGE', 's', 'a', '1'],
      ['GETRANGE', 's', '0', '1.5'],
      ['GETRANGE', 's', '0'],
      ['GETRANGE', 'a', '2', '5'],
      ['SETRANGE', 'r', '5', bytes(0xff, 0)],
      ['GET', 'r'],
      ['SETRANGE', 'r', '0', 'ab'],
      ['SETRANGE', 'r', '6', 'tail-beyond'],
      ['GET', 'r'],
      ['SETRANGE', 'r', '3', ''],
      ['SETRANGE', 'nothing', '3', ''],
      ['EXISTS', 'nothing'],
      ['SETRANGE', 'r', '-1', 'x'],
      ['SETRANGE', 'r', 'a', 'x'],
      ['SETRANGE', 'r', '536870912', 'x'],
      ['SETRANGE', 'missing', '536870912', ''],
      ['SETRANGE', 'n', '1', '9'],
      ['GET', 'n'],
      ['SETRANGE', 'r', '0'],
      ['APPEND', 'a'],
      ['STRLEN'],
    ]);
  });

  test('OBJECT ENCODING after each kind of write: int, embstr and raw as Redis builds them', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['SET', 'int', '-9223372036854775808'],
      ['SET', 'not-int', '-9223372036854775809'],
      ['SET', 'embstr', 'x'.repeat(44)],
      ['SET', 'raw', 'x'.repeat(45)],
      ['INCR', 'counter'],
      ['INCRBYFLOAT', 'float-int', '3'],
      ['INCRBYFLOAT', 'float-long', '0.1234567890123456789'],
      ['SET', 'appended', '1'],
      ['APPEND', 'appended', '2'],
      ['APPEND', 'new-appended', '12'],
      ['SETRANGE', 'ranged', '0', 'ab'],
      ['SET', 'ranged2', 'abc'],
      ['SETRANGE', 'ranged2', '1', 'x'],
      ['SETBIT', 'bits', '1', '1'],
      ['SET', 'bits2', '1'],
      ['SETBIT', 'bits2', '1', '1'],
      ['BITOP', 'OR', 'bitop', 'bits'],
      ['BITFIELD', 'field', 'SET', 'u8', '0', '49'],
      ['MSET', 'm1', '7', 'm2', 'seven'],
      ['GETSET', 'gs', '8'],
      ['SETEX', 'se', '100', '9'],
      ['SET', 'reset', '1'],
      ['APPEND', 'reset', '1'],
      ['SET', 'reset', '11'],
      ['SET', 'incr-raw', '1'],
      ['APPEND', 'incr-raw', '0'],
      ['INCR', 'incr-raw'],
    ]);
    for (const key of [
      'int',
      'not-int',
      'embstr',
      'raw',
      'counter',
      'float-int',
      'float-long',
      'appended',
      'new-appended',
      'ranged',
      'ranged2',
      'bits',
      'bits2',
      'bitop',
      'field',
      'm1',
      'm2',
      'gs',
      'se',
      'reset',
      'incr-raw',
    ]) {
      await pair.same(['OBJECT', 'ENCODING', key]);
      await pair.same(['OBJECT', 'REFCOUNT', key]);
    }
  });

  test('SETBIT and GETBIT', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['SETBIT', 'b', '7', '1'],
      ['SETBIT', 'b', '7', '1'],
      ['SETBIT', 'b', '7', '0'],
      ['SETBIT', 'b', '100', '1'],
      ['GET', 'b'],
      ['GETBIT', 'b', '100'],
      ['GETBIT', 'b', '99'],
      ['GETBIT', 'b', '100000'],
      ['GETBIT', 'missing', '3'],
      ['SET', 'n', '12'],
      ['GETBIT', 'n', '2'],
      ['SETBIT', 'n', '6', '1'],
      ['GET', 'n'],
    ]);
    for (const offset of ['-1', 'abc', '1.5', '4294967296', '9223372036854775807']) {
      await pair.sameAll([
        ['SETBIT', 'b', offset, '1'],
        ['GETBIT', 'b', offset],
      ]);
    }
    for (const bit of ['2', '-1', 'abc', '']) await pair.same(['SETBIT', 'b', '1', bit]);
    await pair.sameAll([
      ['SADD', 'set', 'm'],
      ['SETBIT', 'set', '1', '1'],
      ['GETBIT', 'set', '1'],
      ['SETBIT', 'b', '1'],
      ['GETBIT', 'b'],
    ]);
  });

  test('BITCOUNT and BITPOS in BYTE and BIT units', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['SET', 's', 'foobar'],
      ['SET', 'p', bytes(0xff, 0xf0, 0x00, 0x0f)],
      ['SET', 'ones', bytes(0xff, 0xff)],
      ['SET', 'zeros', bytes(0, 0)],
      ['SET', 'e', ''],
      ['SADD', 'set', 'm'],
    ]);
    const ranges = [
      [],
      ['0', '0'],
      ['1', '1'],
      ['1', '2', 'BYTE'],
      ['5', '30', 'BIT'],
      ['0', '-1', 'bit'],
      ['-5', '-1', 'BIT'],
      ['-1', '-5'],
      ['-100', '-50'],
      ['100', '200'],
      ['3', '2'],
      ['-3', '100', 'BIT'],
      ['7', '8', 'BIT'],
      ['12', '15', 'BIT'],
    ];
    for (const key of ['s', 'p', 'ones', 'zeros', 'e', 'missing']) {
      for (const range of ranges) await pair.same(['BITCOUNT', key, ...range]);
      for (const bit of ['0', '1']) {
        await pair.same(['BITPOS', key, bit]);
        for (const range of [['1'], ['-1'], ['2'], ['100'], ...ranges.filter((r) => r.length > 0)])
          await pair.same(['BITPOS', key, bit, ...range]);
      }
    }
    await pair.sameAll([
      ['BITCOUNT', 's', '0'],
      ['BITCOUNT', 's', 'a', 'b'],
      ['BITCOUNT', 's', '0', 'b'],
      ['BITCOUNT', 's', '0', '1', 'FOO'],
      ['BITCOUNT', 's', '-1', '-5', 'FOO'],
      ['BITCOUNT', 's', '0', '1', 'BIT', 'x'],
      ['BITCOUNT', 'missing', 'a', 'b', 'c', 'd'],
      ['BITCOUNT', 'set'],
      ['BITPOS', 's', '2'],
      ['BITPOS', 's', 'a'],
      ['BITPOS', 's', '0', 'a'],
      ['BITPOS', 's', '0', '0', 'a'],
      ['BITPOS', 's', '0', '0', '1', 'FOO'],
      ['BITPOS', 's', '0', '0', '1', 'BIT', 'x'],
      ['BITPOS', 'missing', '1', 'a'],
      ['BITPOS', 'missing', '2'],
      ['BITPOS', 'set', '1'],
      ['BITPOS', 's'],
      ['BITCOUNT'],
    ]);
  });

  test('BITOP AND, OR, XOR, NOT over binary values of different lengths', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['SET', 'a', bytes(0xff, 0x0f, 0xa5)],
      ['SET', 'b', bytes(0x0f, 0xff)],
      ['SET', 'c', 'foobar'],
      ['SET', 'e', ''],
    ]);
    for (const op of ['AND', 'OR', 'XOR', 'and']) {
      await pair.sameAll([
        ['BITOP', op, 'dest', 'a', 'b'],
        ['GET', 'dest'],
        ['BITOP', op, 'dest', 'a', 'b', 'c', 'missing'],
        ['GET', 'dest'],
        ['BITOP', op, 'dest', 'a'],
        ['GET', 'dest'],
      ]);
    }
    await pair.sameAll([
      ['BITOP', 'NOT', 'dest', 'a'],
      ['GET', 'dest'],
      ['BITOP', 'NOT', 'dest', 'missing'],
      ['EXISTS', 'dest'],
      ['SET', 'dest', 'x', 'EX', '100'],
      ['BITOP', 'OR', 'dest', 'e', 'missing'],
      ['EXISTS', 'dest'],
      ['SET', 'dest', 'x', 'EX', '100'],
      ['BITOP', 'OR', 'dest', 'a'],
      ['TTL', 'dest'],
      ['BITOP', 'NOT', 'dest', 'a', 'b'],
      ['BITOP', 'NAND', 'dest', 'a'],
      ['SADD', 'set', 'm'],
      ['BITOP', 'AND', 'dest', 'a', 'set'],
      ['BITOP', 'AND', 'set', 'a'],
      ['TYPE', 'set'],
      ['BITOP', 'AND', 'dest'],
    ]);
  });

  test('BITFIELD and BITFIELD_RO: types, # offsets, overflow modes', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['BITFIELD', 'bf', 'SET', 'u8', '0', '255', 'GET', 'u8', '0', 'INCRBY', 'u8', '0', '10', 'GET', 'u4', '0'],
      ['BITFIELD', 'bf', 'OVERFLOW', 'SAT', 'INCRBY', 'u8', '0', '300', 'INCRBY', 'i8', '8', '200', 'INCRBY', 'i8', '8', '-500'],
      ['BITFIELD', 'bf', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '1', 'GET', 'u8', '0'],
      ['BITFIELD', 'bf', 'SET', 'i64', '0', '-1', 'GET', 'i64', '0', 'GET', 'u63', '0', 'GET', 'i64', '1'],
      ['BITFIELD', 'bf', 'SET', 'u8', '#1', '7', 'GET', 'u8', '#1', 'GET', 'u8', '8'],
      ['BITFIELD', 'wrap', 'SET', 'u8', '0', '-1', 'SET', 'i8', '8', '-129', 'SET', 'i8', '8', '128', 'GET', 'i8', '8'],
      [
        'BITFIELD',
        'sat',
        'OVERFLOW',
        'SAT',
        'SET',
        'u8',
        '0',
        '-1',
        'SET',
        'i8',
        '8',
        '-129',
        'SET',
        'i8',
        '8',
        '128',
        'SET',
        'u4',
        '16',
        '20',
        'GET',
        'u4',
        '16',
      ],
      [
        'BITFIELD',
        'i64',
        'INCRBY',
        'i64',
        '0',
        '9223372036854775807',
        'INCRBY',
        'i64',
        '0',
        '10',
        'OVERFLOW',
        'SAT',
        'INCRBY',
        'i64',
        '0',
        '-9223372036854775808',
        'INCRBY',
        'i64',
        '0',
        '-9223372036854775808',
      ],
      [
        'BITFIELD',
        'u63',
        'INCRBY',
        'u63',
        '0',
        '-1',
        'INCRBY',
        'u63',
        '0',
        '5',
        'OVERFLOW',
        'SAT',
        'INCRBY',
        'u63',
        '0',
        '-10',
        'INCRBY',
        'u3',
        '100',
        '9',
      ],
      [
        'BITFIELD',
        'fail',
        'OVERFLOW',
        'FAIL',
        'SET',
        'u2',
        '0',
        '4',
        'GET',
        'u2',
        '0',
        'INCRBY',
        'i4',
        '4',
        '-9',
        'SET',
        'i4',
        '4',
        '7',
        'INCRBY',
        'i4',
        '4',
        '1',
      ],
      ['GET', 'bf'],
      ['GET', 'i64'],
      ['BITFIELD', 'missing', 'GET', 'u8', '0', 'GET', 'i32', '100'],
      ['EXISTS', 'missing'],
      ['BITFIELD', 'bf'],
      ['BITFIELD_RO', 'bf', 'GET', 'u8', '0', 'GET', 'i5', '3'],
      ['BITFIELD_RO', 'bf', 'SET', 'u8', '0', '1'],
      ['BITFIELD_RO', 'missing', 'GET', 'i8', '0'],
    ]);
    for (const bad of [
      ['GET', 'u64', '0'],
      ['GET', 'i65', '0'],
      ['GET', 'U8', '0'],
      ['GET', 'u0', '0'],
      ['GET', 'x8', '0'],
      ['GET', 'u8', '-1'],
      ['GET', 'u8', 'a'],
      ['GET', 'u8', '#a'],
      ['SET', 'u8', '0', 'a'],
      ['SET', 'u8', '0'],
      ['OVERFLOW', 'FOO'],
      ['OVERFLOW'],
      ['FOO'],
      ['GET', 'u8'],
    ]) {
      await pair.same(['BITFIELD', 'bf', ...bad]);
    }
    await pair.sameAll([
      ['SADD', 'set', 'm'],
      ['BITFIELD', 'set', 'GET', 'u8', '0'],
      ['BITFIELD', 'set', 'SET', 'u8', '0', '1'],
      ['BITFIELD'],
      ['BITFIELD_RO'],
    ]);
  });

  test('LCS: the subsequence, LEN, and IDX ranges with MINMATCHLEN and WITHMATCHLEN', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['MSET', 'k1', 'ohmytext', 'k2', 'mynewtext', 'a', 'abcdefghijklmnopqrstuvwxyz', 'b', 'xxabcxxdefghxxxyzxx'],
      ['SET', 'bin1', bytes(0, 1, 2, 255, 3)],
      ['SET', 'bin2', bytes(1, 255, 0, 3)],
      ['SADD', 'set', 'm'],
    ]);
    for (const [x, y] of [
      ['k1', 'k2'],
      ['a', 'b'],
      ['b', 'a'],
      ['bin1', 'bin2'],
      ['k1', 'missing'],
      ['missing', 'missing2'],
    ]) {
      for (const options of [
        [],
        ['LEN'],
        ['IDX'],
        ['IDX', 'WITHMATCHLEN'],
        ['IDX', 'MINMATCHLEN', '3', 'WITHMATCHLEN'],
        ['idx', 'minmatchlen', '-5'],
      ]) {
        await pair.same(['LCS', x!, y!, ...options]);
      }
    }
    await pair.sameAll([
      ['LCS', 'k1', 'k2', 'IDX', 'LEN'],
      ['LCS', 'k1', 'k2', 'FOO'],
      ['LCS', 'k1', 'k2', 'MINMATCHLEN'],
      ['LCS', 'k1', 'k2', 'MINMATCHLEN', 'x'],
      ['LCS', 'k1', 'set'],
      ['LCS', 'set', 'k1', 'FOO'],
      ['LCS', 'k1'],
    ]);
    // IDX replies a map: a real one in RESP3. (HELLO's reply names each connection's own id.)
    const protocol = (version: string) => Promise.all([pair.ours.call('HELLO', version), pair.redis.call('HELLO', version)]);
    await protocol('3');
    try {
      await pair.same(['LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN']);
    } finally {
      await protocol('2');
    }
  });

  test('rewriting commands propagate their effect', () => {
    const node = new InProcessNode();
    const effectOf = (...argv: string[]) => {
      node.run(...argv);
      return node.takeEffects();
    };
    const [setex] = effectOf('SETEX', 'k', '100', 'v');
    assert.deepEqual(setex!.slice(0, 4), ['SET', 'k', 'v', 'PXAT']);
    assert.ok(Math.abs(Number(setex![4]) - (Date.now() + 100_000)) < 1000);
    assert.deepEqual(effectOf('SET', 'k', 'v', 'PXAT', '99999999999999'), [['SET', 'k', 'v', 'PXAT', '99999999999999']]);
    assert.deepEqual(effectOf('SET', 'k', 'w', 'GET'), [['SET', 'k', 'w']]);
    assert.deepEqual(effectOf('GETSET', 'k', 'x'), [['SET', 'k', 'x']]);
    assert.deepEqual(effectOf('GETEX', 'k', 'EXAT', '99999999999'), [['PEXPIREAT', 'k', '99999999999000']]);
    assert.deepEqual(effectOf('GETEX', 'k', 'PERSIST'), [['PERSIST', 'k']]);
    assert.deepEqual(effectOf('GETEX', 'k', 'PERSIST'), [], 'no TTL to remove: nothing changed');
    assert.deepEqual(effectOf('GETEX', 'k'), []);
    assert.deepEqual(effectOf('GETEX', 'k', 'PXAT', '1'), [['DEL', 'k']]);
    assert.deepEqual(effectOf('SET', 'f', '1.1'), [['SET', 'f', '1.1']]);
    assert.deepEqual(effectOf('INCRBYFLOAT', 'f', '2.2'), [['SET', 'f', '3.3', 'KEEPTTL']]);
    assert.deepEqual(effectOf('GETDEL', 'f'), [['DEL', 'f']]);
    assert.deepEqual(effectOf('GETDEL', 'f'), []);
    assert.deepEqual(effectOf('SETNX', 'n', '1'), [['SETNX', 'n', '1']]);
    assert.deepEqual(effectOf('SETNX', 'n', '1'), []);
    assert.deepEqual(effectOf('MSETNX', 'n', '1'), []);
    assert.deepEqual(effectOf('BITFIELD', 'b', 'GET', 'u8', '0'), []);
    const lazy = new InProcessNode(['--lazyfree-lazy-user-del', 'yes']);
    lazy.run('SET', 'k', 'v');
    lazy.takeEffects();
    lazy.run('GETDEL', 'k');
    assert.deepEqual(lazy.takeEffects(), [['UNLINK', 'k']]);
  });

  test('wrong number of arguments for every string and bitmap command', async () => {
    for (const argv of [
      ['GET'],
      ['SET', 'k'],
      ['SETNX', 'k'],
      ['SETEX', 'k', '1'],
      ['PSETEX', 'k', '1'],
      ['GETSET', 'k'],
      ['GETDEL'],
      ['GETEX'],
      ['MGET'],
      ['MSET', 'k'],
      ['MSETNX', 'k'],
      ['INCR'],
      ['DECR'],
      ['INCRBY', 'k'],
      ['DECRBY', 'k'],
      ['INCRBYFLOAT', 'k'],
      ['APPEND', 'k'],
      ['STRLEN'],
      ['GETRANGE', 'k', '0'],
      ['SUBSTR', 'k', '0'],
      ['SETRANGE', 'k', '0'],
      ['SETBIT', 'k', '0'],
      ['GETBIT', 'k'],
      ['BITCOUNT'],
      ['BITPOS', 'k'],
      ['BITOP', 'AND', 'd'],
      ['BITFIELD'],
      ['BITFIELD_RO'],
    ]) {
      await pair.same(argv);
    }
  });

  test('keys and values of every size, around the size classes of our byte store and past its 128 KB limit, through a reload', async () => {
    // Our keyspace keeps keys and string values up to 128 KB as bytes in pages of its own, in
    // size classes, and longer ones as JS strings (keyspace/slot-strings.ts): every boundary
    // here moves a key or value from one class, or one kind of storage, to another.
    const random = seededRandom(4096);
    const lengths = [0, 1, 7, 8, 9, 48, 49, 255, 256, 257, 4095, 4096, 4097, 9000, 131_072, 131_073, 200_000];
    const blob = (length: number) => Buffer.from(Array.from({ length }, () => random.int(256)));
    const keys = Array.from({ length: 24 }, (_, i) =>
      Buffer.concat([Buffer.from(`k${i}:`), blob(random.pick([0, 5, 300, 4100, 140_000]))]),
    );
    const key = () => random.pick(keys);
    const generators: (() => Arg[])[] = [
      () => ['SET', key(), blob(random.pick(lengths))],
      () => ['APPEND', key(), blob(random.pick(lengths))],
      () => ['SETRANGE', key(), String(random.int(5000)), blob(random.pick([1, 9, 300]))],
      () => ['GET', key()],
      () => ['STRLEN', key()],
      () => ['GETRANGE', key(), String(random.int(5000)), String(random.int(5000))],
      () => ['RENAME', key(), key()],
      () => ['DEL', key()],
      () => ['EXISTS', key(), key()],
    ];
    await pair.sameAll([['FLUSHALL']]);
    for (let i = 0; i < 1500; i++) await pair.same(random.pick(generators)());
    await pair.same(['DBSIZE']);
    await pair.same(['KEYS', '*'], { unordered: true });
    await pair.same(['DEBUG', 'DIGEST']);
    await pair.sameAll([['DEBUG', 'RELOAD']]);
    await pair.same(['DEBUG', 'DIGEST']);
    for (const k of keys) await pair.same(['GET', k]);
  });

  test('seeded random stream of string commands on binary values', async () => {
    const random = seededRandom(7031);
    const keys = ['s0', 's1', 's2', 's3', 's4', 's5'];
    const key = () => random.pick(keys);
    const value = (): Arg =>
      random.pick<() => Arg>([
        () => String(random.int(2000) - 1000),
        () => 'x'.repeat(random.int(60)),
        () => Buffer.from(Array.from({ length: random.int(12) }, () => random.int(256))),
        () => `${random.int(100)}.${random.int(100)}`,
      ])();
    const index = () => String(random.int(40) - 20);
    const generators: (() => Arg[])[] = [
      () => ['SET', key(), value()],
      () => ['SET', key(), value(), random.pick(['NX', 'XX', 'GET', 'KEEPTTL'])],
      () => ['SETNX', key(), value()],
      () => ['SETEX', key(), random.pick(['100', '0', '1000']), value()],
      () => ['GETSET', key(), value()],
      () => ['GETDEL', key()],
      () => ['GETEX', key(), ...random.pick([['PERSIST'], ['EX', '500'], ['PXAT', '1'], []])],
      () => ['GET', key()],
      () => ['MGET', key(), key(), key()],
      () => ['MSET', key(), value(), key(), value()],
      () => ['MSETNX', key(), value(), key(), value()],
      () => ['INCR', key()],
      () => ['DECRBY', key(), String(random.int(1000) - 500)],
      () => ['INCRBYFLOAT', key(), random.pick(['0.1', '-2.5', '1e3', '3', 'x'])],
      () => ['APPEND', key(), value()],
      () => ['STRLEN', key()],
      () => ['GETRANGE', key(), index(), index()],
      () => ['SETRANGE', key(), String(random.int(20)), value()],
      () => ['SETBIT', key(), String(random.int(120)), String(random.int(2))],
      () => ['GETBIT', key(), String(random.int(120))],
      () => ['BITCOUNT', key(), ...random.pick([[], [index(), index()], [index(), index(), 'BIT']])],
      () => ['BITPOS', key(), String(random.int(2)), ...random.pick([[], [index()], [index(), index()], [index(), index(), 'BIT']])],
      () => ['BITOP', random.pick(['AND', 'OR', 'XOR']), key(), key(), key()],
      () => ['BITOP', 'NOT', key(), key()],
      () => ['BITFIELD', key(), 'INCRBY', random.pick(['u8', 'i5', 'i16']), String(random.int(40)), String(random.int(300) - 150)],
      () => ['OBJECT', 'ENCODING', key()],
      () => ['DEL', key()],
      () => ['EXISTS', key()],
    ];
    await pair.sameAll([['FLUSHALL']]);
    for (let i = 0; i < 3000; i++) await pair.same(random.pick(generators)());
  });
});
