// Intset, Redis's encoding of small all-integer sets (src/intset.c):
//   <encoding u32 LE: 2, 4 or 8> <length u32 LE> <length sorted, unique, little-endian integers>
import { corrupt } from '../corrupt-data.js';
import { parseStrictInt64 } from '../../util/number-text.js';

const HEADER_SIZE = 8;

/**
 * The members as integers when every member spells one (string2ll, as SADD decides), or null:
 * such a set is stored as an intset when it is small enough.
 */
export function membersAsIntegers(members: Buffer[]): Array<number | bigint> | null {
  const out: Array<number | bigint> = new Array(members.length);
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    const n = m.length <= 20 ? parseStrictInt64(m) : null;
    if (n === null) return null;
    out[i] = n;
  }
  return out;
}

/** Encodes unique integers as an intset blob, sorted, with the narrowest width that fits all. */
export function encodeIntset(values: Array<number | bigint>): Buffer {
  const sorted = values.map((v) => BigInt(v)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let width = 2;
  for (const v of sorted) {
    if (v < -2147483648n || v > 2147483647n) width = 8;
    else if ((v < -32768n || v > 32767n) && width < 4) width = 4;
  }
  const out = Buffer.allocUnsafe(HEADER_SIZE + width * sorted.length);
  out.writeUInt32LE(width, 0);
  out.writeUInt32LE(sorted.length, 4);
  let p = HEADER_SIZE;
  for (const v of sorted) {
    if (width === 2) out.writeInt16LE(Number(v), p);
    else if (width === 4) out.writeInt32LE(Number(v), p);
    else out.writeBigInt64LE(v, p);
    p += width;
  }
  return out;
}

/** The members of an intset blob as decimal text, validated as intsetValidateIntegrity(deep). */
export function intsetToBuffers(blob: Buffer): Buffer[] {
  if (blob.length < HEADER_SIZE) corrupt('intset smaller than its header');
  const width = blob.readUInt32LE(0);
  if (width !== 2 && width !== 4 && width !== 8) corrupt(`intset with invalid encoding ${width}`);
  const count = blob.readUInt32LE(4);
  if (HEADER_SIZE + count * width !== blob.length) corrupt('intset length does not match its size');
  if (count === 0) corrupt('intset is empty');
  const out: Buffer[] = new Array(count);
  let prev: bigint | null = null;
  for (let i = 0, p = HEADER_SIZE; i < count; i++, p += width) {
    const v = width === 8 ? blob.readBigInt64LE(p) : BigInt(width === 4 ? blob.readInt32LE(p) : blob.readInt16LE(p));
    if (prev !== null && v <= prev) corrupt('intset members are not sorted and unique');
    prev = v;
    out[i] = Buffer.from(v.toString());
  }
  return out;
}
