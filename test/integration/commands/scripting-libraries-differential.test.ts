// The Lua libraries Redis ships to scripts, against Debian's redis-server 7.0 through EVAL: cjson
// (encoding rules, escapes, sparse arrays, errors with their positions, decoding to tables and
// cjson.null), cmsgpack (every integer width, floats, strings, arrays, round trips, unpack_one /
// unpack_limit, errors) and bit (32-bit operations and normalisation).
import { describe, test } from 'node:test';
import { pairForFile } from '../../support/differential.js';

const pair = pairForFile();
const evals = (scripts: string[]) => pair.sameAll(scripts.map((script) => ['EVAL', script, 0]));

describe('cjson', () => {
  test('encode', () =>
    evals([
      "return cjson.encode({1, 2, 'a/b', true, {x = 1}})",
      'return cjson.encode({})',
      "return cjson.encode('q\"\\\\\\n\\1\\127')",
      'return cjson.encode(0.1)',
      'return cjson.encode(1e20)',
      'return cjson.encode(-0.000001)',
      'return cjson.encode({[1] = 1, [5] = 5})',
      'return cjson.encode({[1] = 1, [20] = 5})',
      'return cjson.encode(function() end)',
      'return cjson.encode({[true] = 1})',
      'return cjson.encode(0/0)',
      'return cjson.encode(cjson.null)',
      'return cjson.encode({cjson.null, false})',
      'return {cjson._NAME, cjson._VERSION}',
    ]));

  test('decode', () =>
    evals([
      'local t = cjson.decode(\'[1,"a",null,true,{"k":[2]}]\') return {t[1], t[2], tostring(t[3] == cjson.null), tostring(t[4]), t[5].k[1]}',
      'return cjson.decode(\'"\\\\u00e9\\\\ud83d\\\\ude00"\')',
      "return cjson.decode('1.5e3')",
      "return cjson.decode('-12')",
      'return cjson.decode(\'{"a":{"b":[1,2,{"c":"d"}]}}\').a.b[3].c',
      "return cjson.decode('')",
      "return cjson.decode('[1,')",
      "return cjson.decode('{1:2}')",
      "return cjson.decode('[1 2]')",
      'return cjson.decode(\'{"a" 1}\')',
      "return cjson.decode('nul')",
      "return cjson.decode('[1] x')",
      "return cjson.decode('\"ab')",
      'return cjson.decode(\'"\\\\q"\')',
    ]));
});

describe('cmsgpack', () => {
  test('pack, unpack and their errors', () =>
    evals([
      "return cmsgpack.pack(1, -1, 200, -200, 70000, -70000, 5000000000, -5000000000, 1.5, 0.1, 'abc', true, false, {1, 2, 3}, {})",
      "return cmsgpack.pack(string.rep('x', 40), string.rep('y', 300), string.rep('z', 70000))",
      'return cmsgpack.pack({a = 1})',
      'local t = {} for i = 1, 20 do t[i] = i end return cmsgpack.pack(t)',
      'local t = {} local c = t for i = 1, 20 do c[1] = {} c = c[1] end return cmsgpack.pack(t)',
      "return {cmsgpack.unpack(cmsgpack.pack(1, 'x', {1, {2}}, -5, 3.25))}",
      "return cmsgpack.unpack(cmsgpack.pack({a = 'b'})).a",
      'return {cmsgpack.unpack_one(cmsgpack.pack(1, 2))}',
      'return {cmsgpack.unpack_one(cmsgpack.pack(1, 2), 1)}',
      'return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2)}',
      "return cmsgpack.unpack('\\\\xcc')",
      'return cmsgpack.unpack(string.char(0xc1))',
      'return cmsgpack.unpack(string.char(0xcd, 1))',
      'return cmsgpack.pack()',
    ]));
});

describe('struct', () => {
  test('pack, unpack, size and their errors', () =>
    evals([
      "return struct.pack('>I2 <I2 b B h H i l L', 258, 258, -1, 255, -2, 65535, -3, -4, 5)",
      "return struct.pack('s c3 x f d', 'ab', 'xyz', 1.5, 2.25)",
      "return {struct.unpack('>I2 <I2 b B h H i', struct.pack('>I2 <I2 b B h H i', 258, 258, -1, 255, -2, 65535, -3))}",
      "return {struct.unpack('s c3', struct.pack('s c3', 'ab', 'xyz'))}",
      "return {struct.unpack('b c0', struct.pack('b', 2) .. 'hi')}",
      "return {struct.unpack('b', 'abc', 2)}",
      "return struct.size('!4 b i d')",
      "return struct.pack('!4 b i', 1, 2)",
      "return struct.size('s')",
      "return struct.pack('q', 1)",
      "return struct.unpack('i', 'ab')",
      "return struct.unpack('s', 'ab')",
      "return struct.pack('c5', 'ab')",
      "return struct.pack('!3 i', 1)",
      "return struct.pack('i40', 1)",
    ]));
});

describe('bit', () => {
  test('operations and normalisation to 32 bits', () =>
    evals([
      'return {bit.band(0xff, 0x0f), bit.bor(1, 2, 4), bit.bxor(5, 3), bit.bnot(0), bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-256, 4)}',
      'return {bit.rol(0x12345678, 8), bit.ror(0x12345678, 8), bit.bswap(0x12345678), bit.tobit(2^32 + 5), bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-1.5)}',
      'return {bit.tohex(255), bit.tohex(-1, -4), bit.tohex(0x1234, 2), bit.tohex(1, 12)}',
    ]));
});
