// PFSELFTEST (hyperloglog.c pfselftestCommand): checks the dense register macros on random values,
// then adds ten million elements to a dense and a sparse HLL side by side, checking at each power
// of ten that the sparse one is still sparse while small, that both count the same, and that the
// error stays within six standard errors.
import type { Client } from '../core/client.js';
import {
  HLL_DENSE_SIZE,
  HLL_HDR_SIZE,
  HLL_REGISTERS,
  HLL_SPARSE,
  HllBytes,
  addElement,
  cardinality,
  denseRegister,
  setDenseRegister,
} from '../keyspace/hyperloglog.js';

const HLL_TEST_CYCLES = 1000;
const ELEMENTS = 10_000_000;

/** A dense HLL with all registers zero. */
function emptyDense(): HllBytes {
  const buf = Buffer.alloc(HLL_DENSE_SIZE + 8);
  buf.latin1Write('HYLL', 0, 4);
  return new HllBytes(buf, HLL_DENSE_SIZE);
}

/** The 8 bytes of a uint64 (little endian, as Redis hashes `&ele`), as a binary string. */
function uint64Element(hi: number, lo: number, scratch: Buffer): string {
  scratch.writeUInt32LE(lo >>> 0, 0);
  scratch.writeUInt32LE(hi >>> 0, 4);
  return scratch.latin1Slice(0, 8);
}

export function pfselftest(client: Client): void {
  const maxBytes = client.server.config.int('hll-sparse-max-bytes');
  // Test 1: every register keeps its value without disturbing its neighbours.
  const dense = emptyDense();
  const bytecounters = new Uint8Array(HLL_REGISTERS);
  for (let j = 0; j < HLL_TEST_CYCLES; j++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const r = Math.floor(Math.random() * 64);
      bytecounters[i] = r;
      setDenseRegister(dense.buf, i, r);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const value = denseRegister(dense.buf, i);
      if (value !== bytecounters[i]) {
        client.reply.error(`TESTFAILED Register ${i} should be ${bytecounters[i]} but is ${value}`);
        return;
      }
    }
  }
  // Test 2: the approximation error, dense and sparse together.
  dense.buf.fill(0, HLL_HDR_SIZE);
  const sparse = HllBytes.empty();
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  const seedHi = Math.floor(Math.random() * 2 ** 32);
  const seedLo = Math.floor(Math.random() * 2 ** 32);
  const scratch = Buffer.alloc(8);
  let checkpoint = 1;
  for (let j = 1; j <= ELEMENTS; j++) {
    const element = uint64Element(seedHi, (j ^ seedLo) >>> 0, scratch);
    addElement(dense, element, maxBytes);
    addElement(sparse, element, maxBytes);
    if (j !== checkpoint) continue;
    if (j < maxBytes / 2 && sparse.encoding !== HLL_SPARSE) {
      client.reply.error('TESTFAILED sparse encoding not used');
      return;
    }
    const denseCount = cardinality(dense)!;
    if (denseCount !== cardinality(sparse)) {
      client.reply.error('TESTFAILED dense/sparse disagree');
      return;
    }
    const abserr = Math.abs(checkpoint - denseCount);
    // Cardinality 10 is allowed one collision.
    const maxerr = j === 10 ? 1 : Math.ceil(relerr * 6 * checkpoint);
    if (abserr > maxerr) {
      client.reply.error(`TESTFAILED Too big error. card:${checkpoint} abserr:${abserr}`);
      return;
    }
    checkpoint *= 10;
  }
  client.reply.ok();
}
