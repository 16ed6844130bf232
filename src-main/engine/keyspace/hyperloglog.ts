// HyperLogLog values, byte for byte as hyperloglog.c lays them out. An HLL is an ordinary string
// value (GET, DUMP and RDB files carry these bytes), so this module works on the bytes only:
//
//   +------+-----+-------+---------+-----------------------------+
//   | HYLL | enc | 0 0 0 | card[8] | registers (dense or sparse) |
//   +------+-----+-------+---------+-----------------------------+
//
// enc is 0 (dense: 16384 6-bit registers, LSB first, 12288 bytes) or 1 (sparse: run-length
// opcodes ZERO 00xxxxxx, XZERO 01xxxxxx yyyyyyyy, VAL 1vvvvvxx). card is the cached cardinality,
// little endian; its top bit set means "stale" (HLL_INVALIDATE_CACHE).
import type { BinaryString } from '../protocol/request-parser.js';
import { murmurHash64A } from '../util/murmur-hash64a.js';

export const HLL_P = 14;
export const HLL_Q = 64 - HLL_P;
export const HLL_REGISTERS = 1 << HLL_P;
const HLL_P_MASK = HLL_REGISTERS - 1;
const HLL_BITS = 6;
const HLL_REGISTER_MAX = (1 << HLL_BITS) - 1;
export const HLL_HDR_SIZE = 16;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + ((HLL_REGISTERS * HLL_BITS + 7) >> 3);
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const HLL_MAX_ENCODING = 1;
const ENCODING_OFFSET = 4;
const CARD_OFFSET = 8;
/** hllPatLen's seed for MurmurHash64A. */
const HLL_HASH_SEED = 0xadc83b19;

const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;
// 0.5/ln(2): C's 0.721347520444481703680, as the nearest double.
const HLL_ALPHA_INF = 0.7213475204444817;

export const INVALID_HLL_ERROR = 'INVALIDOBJ Corrupted HLL object detected';
export const NOT_HLL_ERROR = 'WRONGTYPE Key is not a valid HyperLogLog string value.';

// Opcode tests and fields (the HLL_SPARSE_* macros), on one byte `op` (and the next for XZERO).
const isZero = (op: number) => (op & 0xc0) === 0;
const isXZero = (op: number) => (op & 0xc0) === 0x40;
const isVal = (op: number) => (op & 0x80) !== 0;
const zeroLen = (op: number) => (op & 0x3f) + 1;
const xzeroLen = (op: number, next: number) => (((op & 0x3f) << 8) | next) + 1;
const valValue = (op: number) => ((op >> 2) & 0x1f) + 1;
const valLen = (op: number) => (op & 0x3) + 1;
const valOp = (value: number, len: number) => (((value - 1) << 2) | (len - 1) | 0x80) & 0xff;

/**
 * The bytes of an HLL being read or changed: a growable buffer and its length, like the sds
 * holding one in Redis. One spare zero byte always follows `len` (sds's terminator), which the
 * dense register macros read past the last register.
 */
export class HllBytes {
  constructor(
    public buf: Buffer,
    public len: number,
  ) {}

  static fromString(value: BinaryString): HllBytes {
    const buf = Buffer.alloc(value.length + 8);
    buf.latin1Write(value, 0, value.length);
    return new HllBytes(buf, value.length);
  }

  /** createHLLObject: an empty sparse HLL, all registers covered by XZERO opcodes. */
  static empty(): HllBytes {
    const sparseLen = HLL_HDR_SIZE + Math.floor((HLL_REGISTERS + (SPARSE_XZERO_MAX_LEN - 1)) / SPARSE_XZERO_MAX_LEN) * 2;
    const buf = Buffer.alloc(sparseLen + 8);
    buf.latin1Write('HYLL', 0, 4);
    buf[ENCODING_OFFSET] = HLL_SPARSE;
    let p = HLL_HDR_SIZE;
    for (let left = HLL_REGISTERS; left > 0;) {
      const xzero = Math.min(SPARSE_XZERO_MAX_LEN, left);
      writeXZero(buf, p, xzero);
      p += 2;
      left -= xzero;
    }
    return new HllBytes(buf, sparseLen);
  }

  toString(): BinaryString {
    return this.buf.latin1Slice(0, this.len);
  }

  get encoding(): number {
    return this.buf[ENCODING_OFFSET]!;
  }

  /** sdsMakeRoomFor: room for `extra` more bytes (plus the spare one) after `len`. */
  makeRoomFor(extra: number): void {
    if (this.buf.length >= this.len + extra + 1) return;
    const grown = Buffer.alloc(Math.max(this.len * 2, this.len + extra + 1));
    this.buf.copy(grown, 0, 0, this.len);
    this.buf = grown;
  }

  /** HLL_VALID_CACHE. */
  get cacheValid(): boolean {
    return (this.buf[CARD_OFFSET + 7]! & 0x80) === 0;
  }

  /** The cached cardinality (meaningful when cacheValid). */
  get cachedCardinality(): bigint {
    return this.buf.readBigUInt64LE(CARD_OFFSET);
  }

  set cachedCardinality(card: bigint) {
    this.buf.writeBigUInt64LE(card, CARD_OFFSET);
  }

  /** HLL_INVALIDATE_CACHE. */
  invalidateCache(): void {
    this.buf[CARD_OFFSET + 7]! |= 0x80;
  }
}

function writeXZero(buf: Buffer, p: number, len: number): void {
  const l = len - 1;
  buf[p] = (l >> 8) | 0x40;
  buf[p + 1] = l & 0xff;
}

/**
 * isHLLObjectOrReply's checks on a string value: long enough for the header, the HYLL magic, a
 * known encoding, and the exact size when dense. (Sparse opcodes are checked as they are read.)
 */
export function isHllString(value: BinaryString): boolean {
  if (value.length < HLL_HDR_SIZE) return false;
  if (!value.startsWith('HYLL')) return false;
  const encoding = value.charCodeAt(ENCODING_OFFSET);
  if (encoding > HLL_MAX_ENCODING) return false;
  return encoding !== HLL_DENSE || value.length === HLL_DENSE_SIZE;
}

// --- hashing ------------------------------------------------------------------------------------

/**
 * hllPatLen: the register an element hashes to (the hash's low 14 bits) and the length of the
 * 000..1 pattern in the remaining 50 bits, counting the final 1 (1 to 51).
 */
export function patternOf(element: BinaryString): { index: number; count: number } {
  const hash = murmurHash64A(element, HLL_HASH_SEED);
  const index = hash.lo & HLL_P_MASK;
  // hash >>= P; hash |= 1 << Q, so the loop below ends with count <= Q+1.
  const lo = ((hash.lo >>> HLL_P) | (hash.hi << (32 - HLL_P))) >>> 0;
  const hi = (hash.hi >>> HLL_P) | (1 << (HLL_Q - 32));
  const count = lo !== 0 ? trailingZeros(lo) + 1 : 32 + trailingZeros(hi) + 1;
  return { index, count };
}

function trailingZeros(x: number): number {
  return 31 - Math.clz32(x & -x);
}

// --- dense registers ----------------------------------------------------------------------------

/** HLL_DENSE_GET_REGISTER, on registers starting at `base`. */
export function denseRegister(buf: Uint8Array, regnum: number, base = HLL_HDR_SIZE): number {
  const byte = base + ((regnum * HLL_BITS) >> 3);
  const fb = (regnum * HLL_BITS) & 7;
  const fb8 = 8 - fb;
  return ((buf[byte]! >> fb) | (buf[byte + 1]! << fb8)) & HLL_REGISTER_MAX;
}

/** HLL_DENSE_SET_REGISTER. */
export function setDenseRegister(buf: Uint8Array, regnum: number, value: number, base = HLL_HDR_SIZE): void {
  const byte = base + ((regnum * HLL_BITS) >> 3);
  const fb = (regnum * HLL_BITS) & 7;
  const fb8 = 8 - fb;
  buf[byte] = (buf[byte]! & ~(HLL_REGISTER_MAX << fb)) | (value << fb);
  buf[byte + 1] = (buf[byte + 1]! & ~(HLL_REGISTER_MAX >> fb8)) | (value >> fb8);
}

/** hllDenseSet: raises register `index` to `count`; 1 if it changed. */
function denseSet(buf: Uint8Array, index: number, count: number): number {
  if (count <= denseRegister(buf, index)) return 0;
  setDenseRegister(buf, index, count);
  return 1;
}

// --- sparse -------------------------------------------------------------------------------------

/**
 * hllSparseToDense: rewrites a sparse HLL as dense, keeping the header (magic, cached
 * cardinality). False when the opcodes do not cover exactly 16384 registers.
 */
export function sparseToDense(o: HllBytes): boolean {
  if (o.encoding === HLL_DENSE) return true;
  const dense = Buffer.alloc(HLL_DENSE_SIZE + 8);
  o.buf.copy(dense, 0, 0, HLL_HDR_SIZE);
  dense[ENCODING_OFFSET] = HLL_DENSE;
  const b = o.buf;
  let idx = 0;
  for (let p = HLL_HDR_SIZE; p < o.len;) {
    const op = b[p]!;
    if (isZero(op)) {
      idx += zeroLen(op);
      p++;
    } else if (isXZero(op)) {
      idx += xzeroLen(op, b[p + 1]!);
      p += 2;
    } else {
      let runlen = valLen(op);
      const value = valValue(op);
      // Runs past the last register: corrupt, even when the count then adds up (Redis 7.0.15).
      if (runlen + idx > HLL_REGISTERS) return false;
      while (runlen--) setDenseRegister(dense, idx++, value);
      p++;
    }
  }
  if (idx !== HLL_REGISTERS) return false;
  o.buf = dense;
  o.len = HLL_DENSE_SIZE;
  return true;
}

/**
 * hllSparseSet: raises register `index` to `count` in a sparse HLL, splitting the opcode that
 * covers it and merging equal neighbours, as Redis does, so the bytes come out identical. Promotes
 * to dense when `count` needs more than 5 bits or the result would exceed `maxBytes`
 * (hll-sparse-max-bytes). 1 when changed, 0 when not, -1 when the HLL is corrupt.
 */
export function sparseSet(o: HllBytes, index: number, count: number, maxBytes: number): number {
  if (count > SPARSE_VAL_MAX_VALUE) return promote(o, index, count);
  // An XZERO may split into XZERO-VAL-XZERO: up to 3 more bytes.
  o.makeRoomFor(3);
  const b = o.buf;
  const sparse = HLL_HDR_SIZE;
  let end = o.len;
  let p = sparse;
  let first = 0;
  let prev = -1;
  let span = 0;
  // Step 1: find the opcode covering `index`.
  while (p < end) {
    const op = b[p]!;
    let oplen = 1;
    if (isZero(op)) span = zeroLen(op);
    else if (isVal(op)) span = valLen(op);
    else {
      span = xzeroLen(op, b[p + 1]!);
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return -1;
  const op = b[p]!;
  let next = isXZero(op) ? p + 2 : p + 1;
  if (next >= end) next = -1;
  const zero = isZero(op);
  const xzero = isXZero(op);
  const runlen = zero ? zeroLen(op) : xzero ? xzeroLen(op, b[p + 1]!) : valLen(op);

  let updated = false;
  // Step 2, cases A and B: a VAL already high enough, or a VAL of one register.
  if (!zero && !xzero) {
    if (valValue(op) >= count) return 0;
    if (runlen === 1) {
      b[p] = valOp(count, 1);
      updated = true;
    }
  }
  // Case C: a ZERO of one register becomes a VAL.
  if (!updated && zero && runlen === 1) {
    b[p] = valOp(count, 1);
    updated = true;
  }
  if (!updated) {
    // Case D: split the opcode into up to three (at most 5 bytes).
    const seq: number[] = [];
    const last = first + span - 1;
    const pushZeros = (len: number) => {
      if (len > SPARSE_ZERO_MAX_LEN) {
        const l = len - 1;
        seq.push((l >> 8) | 0x40, l & 0xff);
      } else seq.push(len - 1);
    };
    if (zero || xzero) {
      if (index !== first) pushZeros(index - first);
      seq.push(valOp(count, 1));
      if (index !== last) pushZeros(last - index);
    } else {
      const current = valValue(op);
      if (index !== first) seq.push(valOp(current, index - first));
      seq.push(valOp(count, 1));
      if (index !== last) seq.push(valOp(current, last - index));
    }
    // Step 3: put the sequence in place of the old opcode.
    const oldlen = xzero ? 2 : 1;
    const deltalen = seq.length - oldlen;
    if (deltalen > 0 && o.len + deltalen > maxBytes) return promote(o, index, count);
    if (deltalen !== 0 && next !== -1) b.copyWithin(next + deltalen, next, end);
    o.len += deltalen;
    for (let i = 0; i < seq.length; i++) b[p + i] = seq[i]!;
    end += deltalen;
  }
  // Step 4: merge adjacent VALs of the same value, scanning up to 5 opcodes from the previous one.
  p = prev !== -1 ? prev : sparse;
  let scanlen = 5;
  while (p < end && scanlen-- > 0) {
    const cur = b[p]!;
    if (isXZero(cur)) {
      p += 2;
      continue;
    } else if (isZero(cur)) {
      p++;
      continue;
    }
    if (p + 1 < end && isVal(b[p + 1]!)) {
      const v1 = valValue(cur);
      const v2 = valValue(b[p + 1]!);
      if (v1 === v2) {
        const len = valLen(cur) + valLen(b[p + 1]!);
        if (len <= SPARSE_VAL_MAX_LEN) {
          b[p + 1] = valOp(v1, len);
          // memmove(p, p+1, end-p): the byte after the end moves too.
          b.copyWithin(p, p + 1, end + 1);
          o.len--;
          end--;
          continue;
        }
      }
    }
    p++;
  }
  o.invalidateCache();
  return 1;
}

/** hllSparseSet's promote: convert to dense, then set the register there (always a change). */
function promote(o: HllBytes, index: number, count: number): number {
  if (!sparseToDense(o)) return -1;
  return denseSet(o.buf, index, count);
}

/** hllAdd: 1 when a register grew, 0 when not, -1 on a corrupt or unknown representation. */
export function addElement(o: HllBytes, element: BinaryString, maxBytes: number): number {
  const { index, count } = patternOf(element);
  return setRegister(o, index, count, maxBytes);
}

/** Raises one register in either encoding (hllDenseSet / hllSparseSet). */
export function setRegister(o: HllBytes, index: number, count: number, maxBytes: number): number {
  switch (o.encoding) {
    case HLL_DENSE:
      return denseSet(o.buf, index, count);
    case HLL_SPARSE:
      return sparseSet(o, index, count, maxBytes);
    default:
      return -1;
  }
}

// --- counting and merging -----------------------------------------------------------------------

/** hllDenseRegHisto / hllSparseRegHisto. Null for a sparse HLL not covering 16384 registers. */
function histogram(o: HllBytes): number[] | null {
  const reghisto = new Array<number>(64).fill(0);
  const b = o.buf;
  if (o.encoding === HLL_DENSE) {
    for (let j = 0; j < HLL_REGISTERS; j++) reghisto[denseRegister(b, j)]!++;
    return reghisto;
  }
  let idx = 0;
  for (let p = HLL_HDR_SIZE; p < o.len;) {
    const op = b[p]!;
    if (isZero(op)) {
      const run = zeroLen(op);
      idx += run;
      reghisto[0]! += run;
      p++;
    } else if (isXZero(op)) {
      const run = xzeroLen(op, b[p + 1]!);
      idx += run;
      reghisto[0]! += run;
      p += 2;
    } else {
      const run = valLen(op);
      idx += run;
      reghisto[valValue(op)]! += run;
      p++;
    }
  }
  return idx === HLL_REGISTERS ? reghisto : null;
}

/** hllRawRegHisto: the histogram of one byte per register (PFCOUNT's merged registers). */
function rawHistogram(registers: Uint8Array): number[] {
  const reghisto = new Array<number>(64).fill(0);
  for (let j = 0; j < HLL_REGISTERS; j++) reghisto[registers[j]!]!++;
  return reghisto;
}

/** hllSigma (Ertl, "New cardinality estimation algorithms for HyperLogLog sketches"). */
function sigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

/** hllTau (same paper). */
function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    z -= (1 - x) ** 2 * y;
  } while (zPrime !== z);
  return z / 3;
}

/** hllCount's estimate from a register histogram, in the same double operations. */
function estimate(reghisto: number[]): number {
  const m = HLL_REGISTERS;
  let z = m * tau((m - reghisto[HLL_Q + 1]!) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += reghisto[j]!;
    z *= 0.5;
  }
  z += m * sigma(reghisto[0]! / m);
  // llroundl: halves away from zero (the value is never negative).
  return Math.round((HLL_ALPHA_INF * m * m) / z);
}

/** hllCount of one HLL; null when a sparse one is corrupt. */
export function cardinality(o: HllBytes): number | null {
  const reghisto = histogram(o);
  return reghisto === null ? null : estimate(reghisto);
}

/** hllCount over PFCOUNT's merged registers (HLL_RAW). */
export function rawCardinality(registers: Uint8Array): number {
  return estimate(rawHistogram(registers));
}

/** hllMerge: max[i] = MAX(max[i], register i of `o`). False when a sparse `o` is corrupt. */
export function mergeInto(max: Uint8Array, o: HllBytes): boolean {
  const b = o.buf;
  if (o.encoding === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const value = denseRegister(b, i);
      if (value > max[i]!) max[i] = value;
    }
    return true;
  }
  let i = 0;
  for (let p = HLL_HDR_SIZE; p < o.len;) {
    const op = b[p]!;
    if (isZero(op)) {
      i += zeroLen(op);
      p++;
    } else if (isXZero(op)) {
      i += xzeroLen(op, b[p + 1]!);
      p += 2;
    } else {
      let runlen = valLen(op);
      const value = valValue(op);
      // Runs past the last register: corrupt, even when the count then adds up (Redis 7.0.15).
      if (runlen + i > HLL_REGISTERS) return false;
      while (runlen--) {
        if (value > max[i]!) max[i] = value;
        i++;
      }
      p++;
    }
  }
  return i === HLL_REGISTERS;
}

/** PFDEBUG DECODE's text for a sparse HLL: "z:N", "Z:N" and "v:value,len" opcodes. */
export function decodeSparse(o: HllBytes): string {
  const parts: string[] = [];
  const b = o.buf;
  for (let p = HLL_HDR_SIZE; p < o.len;) {
    const op = b[p]!;
    if (isZero(op)) {
      parts.push(`z:${zeroLen(op)}`);
      p++;
    } else if (isXZero(op)) {
      parts.push(`Z:${xzeroLen(op, b[p + 1]!)}`);
      p += 2;
    } else {
      parts.push(`v:${valValue(op)},${valLen(op)}`);
      p++;
    }
  }
  return parts.join(' ');
}
