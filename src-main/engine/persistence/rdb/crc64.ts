// CRC-64/Jones as Redis computes it for the RDB trailer and the DUMP payload footer
// (src/crc64.c: reflected, poly 0xad93d23594c935a9, init 0, no final xor; crc64("123456789")
// = 0xe9c6d914c4b8d9ca).
//
// It runs over every byte of every snapshot (100 MB and more), so it avoids BigInt entirely:
// the 64-bit register is kept as two 32-bit halves and the input is consumed eight bytes at a
// time with slicing-by-8 tables (the same technique Redis 7's crcspeed.c uses).
//
// The halves and the tables are signed 32-bit integers, read as unsigned only when printed.
// Held unsigned (Uint32Array tables, `>>> 0` stores), half of all values are above what V8's
// optimised code assumes for an integer, and `update` was deoptimised again and again ("lost
// precision", "wrong map", with --trace-deopt): 38 times in a node's load and SAVE of 1M keys,
// 398 with two BGSAVEs after them. Signed: 3 and 2 times. XOR and the shifts give the same bits
// either way; `>>>` reads its operand as unsigned.

/** The Jones polynomial bit-reversed, because the CRC is reflected (crc64.c `crc64_reflect`). */
const POLY_REFLECTED_HI = 0x95ac9329;
const POLY_REFLECTED_LO = 0xac4bc9b5;

/** TABLE_LO[k * 256 + i] / TABLE_HI[...]: halves of the slicing table k for byte value i (signed). */
const TABLE_LO = new Int32Array(8 * 256);
const TABLE_HI = new Int32Array(8 * 256);

function buildTables(): void {
  for (let i = 0; i < 256; i++) {
    let lo = i;
    let hi = 0;
    for (let bit = 0; bit < 8; bit++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (carry) {
        lo = (lo ^ POLY_REFLECTED_LO) >>> 0;
        hi = (hi ^ POLY_REFLECTED_HI) >>> 0;
      }
    }
    TABLE_LO[i] = lo;
    TABLE_HI[i] = hi;
  }
  // Table k advances a byte that sits k positions further back in an 8-byte word.
  for (let k = 1; k < 8; k++) {
    for (let i = 0; i < 256; i++) {
      const prevLo = TABLE_LO[(k - 1) * 256 + i]!;
      const prevHi = TABLE_HI[(k - 1) * 256 + i]!;
      const idx = prevLo & 0xff;
      TABLE_LO[k * 256 + i] = (((prevLo >>> 8) | ((prevHi & 0xff) << 24)) ^ TABLE_LO[idx]!) >>> 0;
      TABLE_HI[k * 256 + i] = ((prevHi >>> 8) ^ TABLE_HI[idx]!) >>> 0;
    }
  }
}
buildTables();

/** A running CRC-64 (Redis's `rdb->cksum`), fed incrementally as bytes are written or read. */
export class Crc64 {
  private lo = 0;
  private hi = 0;

  update(data: Uint8Array, start = 0, end = data.length): this {
    let lo = this.lo;
    let hi = this.hi;
    let i = start;
    const tl = TABLE_LO;
    const th = TABLE_HI;
    for (const last8 = end - 8; i <= last8; i += 8) {
      const a = (lo ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
      const b = (hi ^ (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24))) >>> 0;
      const i7 = 7 * 256 + (a & 0xff),
        i6 = 6 * 256 + ((a >>> 8) & 0xff);
      const i5 = 5 * 256 + ((a >>> 16) & 0xff),
        i4 = 4 * 256 + (a >>> 24);
      const i3 = 3 * 256 + (b & 0xff),
        i2 = 2 * 256 + ((b >>> 8) & 0xff);
      const i1 = 256 + ((b >>> 16) & 0xff),
        i0 = b >>> 24;
      lo = tl[i7]! ^ tl[i6]! ^ tl[i5]! ^ tl[i4]! ^ tl[i3]! ^ tl[i2]! ^ tl[i1]! ^ tl[i0]!;
      hi = th[i7]! ^ th[i6]! ^ th[i5]! ^ th[i4]! ^ th[i3]! ^ th[i2]! ^ th[i1]! ^ th[i0]!;
    }
    for (; i < end; i++) {
      const idx = (lo ^ data[i]!) & 0xff;
      lo = ((lo >>> 8) | ((hi & 0xff) << 24)) ^ tl[idx]!;
      hi = (hi >>> 8) ^ th[idx]!;
    }
    this.lo = lo | 0;
    this.hi = hi | 0;
    return this;
  }

  /** The 8 bytes Redis appends after 0xFF (little-endian, `memrev64ifbe`). */
  toLittleEndian(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeInt32LE(this.lo, 0);
    out.writeInt32LE(this.hi, 4);
    return out;
  }

  /** Whether the 8 little-endian bytes at `offset` hold this CRC. */
  matchesLittleEndian(bytes: Uint8Array, offset: number): boolean {
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return view.readInt32LE(offset) === this.lo && view.readInt32LE(offset + 4) === this.hi;
  }

  /** `%llx` of the value, as Redis prints it in "Wrong RDB checksum" warnings. */
  toHex(): string {
    return ((BigInt(this.hi >>> 0) << 32n) | BigInt(this.lo >>> 0)).toString(16);
  }
}

/** One-shot CRC-64 of a buffer. */
export function crc64(data: Uint8Array, start = 0, end = data.length): Crc64 {
  return new Crc64().update(data, start, end);
}

/** `%llx` of 8 little-endian bytes (for error messages about a stored checksum). */
export function littleEndianHex(bytes: Uint8Array, offset: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readBigUInt64LE(offset).toString(16);
}
