// The HyperLogLog byte format in-process: MurmurHash64A against a straightforward BigInt version of
// hyperloglog.c's code, the empty sparse HLL's bytes, and sparse opcodes splitting and merging.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { murmurHash64A } from '../../../src-main/engine/util/murmur-hash64a.js';
import { HllBytes, cardinality, decodeSparse, setRegister, sparseToDense } from '../../../src-main/engine/keyspace/hyperloglog.js';
import { seededRandom } from '../../support/command-families.js';

const MASK = (1n << 64n) - 1n;

/** MurmurHash64A exactly as the C reads, in 64-bit BigInt arithmetic. */
function reference(data: string, seed: number): bigint {
  const m = 0xc6a4a7935bd1e995n;
  const len = data.length;
  let h = (BigInt(seed) ^ ((BigInt(len) * m) & MASK)) & MASK;
  const blocks = len - (len & 7);
  for (let i = 0; i < blocks; i += 8) {
    let k = 0n;
    for (let b = 7; b >= 0; b--) k = (k << 8n) | BigInt(data.charCodeAt(i + b));
    k = (k * m) & MASK;
    k ^= k >> 47n;
    k = (k * m) & MASK;
    h ^= k;
    h = (h * m) & MASK;
  }
  const rest = len & 7;
  if (rest > 0) {
    for (let b = rest - 1; b >= 0; b--) h ^= BigInt(data.charCodeAt(blocks + b)) << BigInt(8 * b);
    h = (h * m) & MASK;
  }
  h ^= h >> 47n;
  h = (h * m) & MASK;
  h ^= h >> 47n;
  return h;
}

describe('hyperloglog bytes', () => {
  test('MurmurHash64A matches the 64-bit C arithmetic for every tail length', () => {
    const rnd = seededRandom(7);
    for (let n = 0; n < 2000; n++) {
      const len = n % 40;
      const data = Array.from({ length: len }, () => String.fromCharCode(rnd.int(256))).join('');
      const seed = n % 3 === 0 ? 0xadc83b19 : rnd.int(2 ** 32);
      const h = murmurHash64A(data, seed);
      assert.equal((BigInt(h.hi) << 32n) | BigInt(h.lo), reference(data, seed), `length ${len}`);
    }
  });

  test('an empty HLL is the 16-byte header and one XZERO of 16384 registers', () => {
    const empty = HllBytes.empty();
    assert.equal(Buffer.from(empty.toString(), 'latin1').toString('hex'), '48594c4c' + '01000000' + '0000000000000000' + '7fff');
    assert.equal(decodeSparse(empty), 'Z:16384');
    assert.equal(cardinality(empty), 0);
  });

  test('setting registers splits XZERO / ZERO opcodes and merges equal neighbouring VALs', () => {
    const hll = HllBytes.empty();
    assert.equal(setRegister(hll, 1000, 2, 3000), 1);
    assert.equal(decodeSparse(hll), 'Z:1000 v:2,1 Z:15383');
    assert.equal(setRegister(hll, 1001, 2, 3000), 1);
    assert.equal(decodeSparse(hll), 'Z:1000 v:2,2 Z:15382');
    assert.equal(setRegister(hll, 1001, 1, 3000), 0);
    assert.equal(setRegister(hll, 1020, 3, 3000), 1);
    assert.equal(decodeSparse(hll), 'Z:1000 v:2,2 z:18 v:3,1 Z:15363');
    assert.equal(setRegister(hll, 0, 40, 3000), 1, 'a count above 32 promotes');
    assert.equal(hll.encoding, 0);
    assert.equal(hll.len, 12304);
  });

  test('a sparse HLL whose opcodes do not cover 16384 registers is corrupt', () => {
    const hll = HllBytes.fromString('HYLL\x01' + '\0'.repeat(11) + '\x7f\xfe');
    assert.equal(cardinality(hll), null);
    assert.equal(sparseToDense(hll), false);
  });
});
