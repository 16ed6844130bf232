// MurmurHash64A (MurmurHash2, 64-bit), as hyperloglog.c has it: Redis's endian-neutral variant,
// reading 8-byte blocks little endian. HyperLogLog registers depend on every bit of it, so the
// 64-bit arithmetic is done exactly, in two 32-bit halves (BigInt would be correct but slow on
// PFADD's path).

/** A 64-bit unsigned value as two unsigned 32-bit halves. */
export interface Hash64 {
  hi: number;
  lo: number;
}

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;

// The low 64 bits of (ah:al) * (bh:bl), written into `out`.
function mul64(ah: number, al: number, bh: number, bl: number, out: Hash64): void {
  // al * bl exactly, from 16-bit limbs (every partial product and sum stays below 2^53).
  const a1 = al >>> 16;
  const a0 = al & 0xffff;
  const b1 = bl >>> 16;
  const b0 = bl & 0xffff;
  const mid = a1 * b0 + a0 * b1;
  const low = a0 * b0 + (mid % 65536) * 65536;
  const carry = Math.floor(low / 4294967296);
  const high = a1 * b1 + Math.floor(mid / 65536) + carry;
  // The cross products only reach the high word; Math.imul keeps their low 32 bits.
  out.hi = (high + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
  out.lo = low >>> 0;
}

const h: Hash64 = { hi: 0, lo: 0 };
const k: Hash64 = { hi: 0, lo: 0 };

/**
 * MurmurHash64A over a binary string (one char per byte) with a 32-bit seed. The returned object
 * is reused by the next call: copy what you keep.
 */
export function murmurHash64A(data: string, seed: number): Hash64 {
  const len = data.length;
  // h = seed ^ (len * m)
  mul64(0, len, M_HI, M_LO, h);
  h.lo = (h.lo ^ seed) >>> 0;
  const blocks = len - (len & 7);
  let i = 0;
  for (; i < blocks; i += 8) {
    k.lo = (data.charCodeAt(i) | (data.charCodeAt(i + 1) << 8) | (data.charCodeAt(i + 2) << 16) | (data.charCodeAt(i + 3) << 24)) >>> 0;
    k.hi = (data.charCodeAt(i + 4) | (data.charCodeAt(i + 5) << 8) | (data.charCodeAt(i + 6) << 16) | (data.charCodeAt(i + 7) << 24)) >>> 0;
    mul64(k.hi, k.lo, M_HI, M_LO, k); // k *= m
    k.lo = (k.lo ^ (k.hi >>> 15)) >>> 0; // k ^= k >> 47
    mul64(k.hi, k.lo, M_HI, M_LO, k); // k *= m
    h.hi = (h.hi ^ k.hi) >>> 0; // h ^= k
    h.lo = (h.lo ^ k.lo) >>> 0;
    mul64(h.hi, h.lo, M_HI, M_LO, h); // h *= m
  }
  const rest = len & 7;
  if (rest > 0) {
    // The switch's fall-through: bytes 6..4 into the high word, 3..0 into the low one.
    if (rest >= 7) h.hi ^= data.charCodeAt(i + 6) << 16;
    if (rest >= 6) h.hi ^= data.charCodeAt(i + 5) << 8;
    if (rest >= 5) h.hi ^= data.charCodeAt(i + 4);
    if (rest >= 4) h.lo ^= data.charCodeAt(i + 3) << 24;
    if (rest >= 3) h.lo ^= data.charCodeAt(i + 2) << 16;
    if (rest >= 2) h.lo ^= data.charCodeAt(i + 1) << 8;
    h.lo ^= data.charCodeAt(i);
    h.hi >>>= 0;
    h.lo >>>= 0;
    mul64(h.hi, h.lo, M_HI, M_LO, h);
  }
  h.lo = (h.lo ^ (h.hi >>> 15)) >>> 0; // h ^= h >> r
  mul64(h.hi, h.lo, M_HI, M_LO, h);
  h.lo = (h.lo ^ (h.hi >>> 15)) >>> 0;
  return h;
}
