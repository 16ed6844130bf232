// Decoders for the compact encodings that only older dumps contain (read, never written):
// ziplist (Redis 2.6 - 6.2: list/zset/hash types 10, 12, 13 and quicklist type 14) and
// zipmap (Redis < 2.6 hashes, type 9). Each validates as Redis's *ValidateIntegrity(deep) does.
import { corrupt } from '../corrupt-data.js';

const ZIPLIST_HEADER_SIZE = 10;
const ZIPLIST_END = 0xff;
const ZIPLIST_BIG_PREVLEN = 0xfe;

/** Every entry of a ziplist (ziplist.c), integers as their decimal text (ziplistGet + ll2string). */
export function ziplistToBuffers(zl: Buffer): Buffer[] {
  const size = zl.length;
  if (size < ZIPLIST_HEADER_SIZE + 1) corrupt('ziplist smaller than its header');
  if (zl.readUInt32LE(0) !== size) corrupt('ziplist total bytes does not match its size');
  if (zl[size - 1] !== ZIPLIST_END) corrupt('ziplist does not end with 0xFF');
  const declared = zl.readUInt16LE(8);
  const tail = zl.readUInt32LE(4);
  const out: Buffer[] = [];
  let p = ZIPLIST_HEADER_SIZE;
  let prevEntryLen = 0;
  let lastEntryStart = ZIPLIST_HEADER_SIZE;
  const end = size - 1;
  while (p < end) {
    const entryStart = p;
    // prevlen: 1 byte, or 0xFE + 4 bytes LE.
    let prevlen = zl[p]!;
    if (prevlen === ZIPLIST_BIG_PREVLEN) {
      if (p + 5 > end) corrupt('ziplist entry runs past the end');
      prevlen = zl.readUInt32LE(p + 1);
      p += 5;
    } else {
      p += 1;
    }
    if (prevlen !== prevEntryLen) corrupt('ziplist entry prevlen mismatch');
    if (p >= end) corrupt('ziplist entry runs past the end');
    const enc = zl[p]!;
    const kind = enc >> 6;
    let value: Buffer;
    if (kind === 0 || kind === 1 || enc === 0x80) {
      let len: number;
      if (kind === 0) {
        len = enc & 0x3f;
        p += 1;
      } else if (kind === 1) {
        if (p + 2 > end) corrupt('ziplist entry runs past the end');
        len = ((enc & 0x3f) << 8) | zl[p + 1]!;
        p += 2;
      } else {
        if (p + 5 > end) corrupt('ziplist entry runs past the end');
        len = zl.readUInt32BE(p + 1);
        p += 5;
      }
      if (p + len > end) corrupt('ziplist entry runs past the end');
      value = Buffer.from(zl.subarray(p, p + len));
      p += len;
    } else {
      p += 1;
      const width = ziplistIntegerWidth(enc);
      if (p + width > end) corrupt('ziplist entry runs past the end');
      let n: number | bigint;
      if (width === 0)
        n = (enc & 0x0f) - 1; // 1111xxxx: an immediate 0..12
      else if (width === 8) n = zl.readBigInt64LE(p);
      else n = zl.readIntLE(p, width);
      p += width;
      value = Buffer.from(String(n));
    }
    out.push(value);
    prevEntryLen = p - entryStart;
    lastEntryStart = entryStart;
  }
  if (out.length > 0 && tail !== lastEntryStart) corrupt('ziplist tail offset mismatch');
  if (declared !== 0xffff && declared !== out.length) {
    corrupt(`ziplist declares ${declared} entries but holds ${out.length}`);
  }
  return out;
}

/** Payload bytes of a ziplist integer encoding (ZIP_INT_*), 0 for the 4-bit immediates. */
function ziplistIntegerWidth(enc: number): number {
  switch (enc) {
    case 0xc0:
      return 2;
    case 0xd0:
      return 4;
    case 0xe0:
      return 8;
    case 0xf0:
      return 3;
    case 0xfe:
      return 1;
    default:
      if (enc >= 0xf1 && enc <= 0xfd) return 0;
      return corrupt(`ziplist entry with invalid encoding byte 0x${enc.toString(16)}`);
  }
}

const ZIPMAP_BIGLEN = 254;
const ZIPMAP_END = 255;

/** Field/value pairs of a zipmap (zipmap.c): <zmlen> (<len>field<len><free>value<free bytes>)* <0xFF>. */
export function zipmapToPairs(zm: Buffer): Array<[Buffer, Buffer]> {
  const end = zm.length;
  if (end < 2) corrupt('zipmap smaller than its header');
  const pairs: Array<[Buffer, Buffer]> = [];
  let p = 1; // zmlen is only a hint (254 = unknown)
  const readLen = (): number => {
    if (p >= end) corrupt('zipmap entry runs past the end');
    const b = zm[p]!;
    if (b < ZIPMAP_BIGLEN) {
      p += 1;
      return b;
    }
    if (b === ZIPMAP_END || p + 5 > end) corrupt('zipmap invalid length');
    const len = zm.readUInt32LE(p + 1);
    p += 5;
    return len;
  };
  while (p < end && zm[p] !== ZIPMAP_END) {
    const fieldLen = readLen();
    if (p + fieldLen > end) corrupt('zipmap entry runs past the end');
    const field = Buffer.from(zm.subarray(p, p + fieldLen));
    p += fieldLen;
    const valueLen = readLen();
    if (p >= end) corrupt('zipmap entry runs past the end');
    const free = zm[p++]!;
    if (p + valueLen + free > end) corrupt('zipmap entry runs past the end');
    const value = Buffer.from(zm.subarray(p, p + valueLen));
    p += valueLen + free;
    pairs.push([field, value]);
  }
  if (p !== end - 1) corrupt('zipmap does not end with 0xFF');
  return pairs;
}
