// Listpack, the compact encoding Redis 7 stores small hashes, sorted sets, quicklist nodes and
// stream nodes in (src/listpack.c). Layout:
//   <total-bytes u32 LE> <num-elements u16 LE, 65535 = unknown> <entry>... <0xFF>
//   entry = <encoding+data> <backlen: length of encoding+data, 1..5 bytes of 7 bits>
import { corrupt } from '../corrupt-data.js';
import { parseStrictInt64 } from '../../util/number-text.js';
import { backlenSize } from '../../keyspace/listpack-size.js';

const HEADER_SIZE = 6;
const EOF = 0xff;
const NUMELE_UNKNOWN = 65535;

const ENC_16BIT_INT = 0xf1;
const ENC_24BIT_INT = 0xf2;
const ENC_32BIT_INT = 0xf3;
const ENC_64BIT_INT = 0xf4;
const ENC_32BIT_STR = 0xf0;

/**
 * Builds one listpack in a reusable scratch buffer. Strings that spell an integer are stored
 * with the integer encodings, as lpAppend does (lpEncodeGetType), so our listpacks look like
 * Redis's own.
 */
export class ListpackBuilder {
  private buf = Buffer.allocUnsafe(8192);
  private pos = HEADER_SIZE;
  private count = 0;

  reset(): this {
    this.pos = HEADER_SIZE;
    this.count = 0;
    return this;
  }

  /** Size the listpack would have if finished now (header, entries and the 0xFF terminator). */
  get byteLength(): number {
    return this.pos + 1;
  }

  append(value: Uint8Array): this {
    const asInt = value.length <= 20 ? parseStrictInt64(value) : null;
    if (asInt !== null) return this.appendInteger(asInt);
    const len = value.length;
    const headerLen = len < 64 ? 1 : len < 4096 ? 2 : 5;
    const entryLen = headerLen + len;
    this.ensure(entryLen + 5);
    const b = this.buf;
    let p = this.pos;
    if (len < 64) {
      b[p++] = 0x80 | len;
    } else if (len < 4096) {
      b[p++] = 0xe0 | (len >> 8);
      b[p++] = len & 0xff;
    } else {
      b[p++] = ENC_32BIT_STR;
      b.writeUInt32LE(len, p);
      p += 4;
    }
    b.set(value, p);
    this.pos = this.writeBacklen(p + len, entryLen);
    this.count++;
    return this;
  }

  appendInteger(value: number | bigint): this {
    this.ensure(9 + 5);
    const b = this.buf;
    let p = this.pos;
    const start = p;
    // Small bigints (stream ID deltas) get the compact encodings too.
    const v = typeof value === 'bigint' && value >= -2147483648n && value <= 2147483647n ? Number(value) : value;
    if (typeof v === 'number' && v >= 0 && v <= 127) {
      b[p++] = v;
    } else if (typeof v === 'number' && v >= -4096 && v <= 4095) {
      const u = v < 0 ? (1 << 13) + v : v;
      b[p++] = 0xc0 | (u >> 8);
      b[p++] = u & 0xff;
    } else if (typeof v === 'number' && v >= -32768 && v <= 32767) {
      b[p++] = ENC_16BIT_INT;
      b.writeInt16LE(v, p);
      p += 2;
    } else if (typeof v === 'number' && v >= -8388608 && v <= 8388607) {
      b[p++] = ENC_24BIT_INT;
      b.writeIntLE(v, p, 3);
      p += 3;
    } else if (typeof v === 'number' && v >= -2147483648 && v <= 2147483647) {
      b[p++] = ENC_32BIT_INT;
      b.writeInt32LE(v, p);
      p += 4;
    } else {
      b[p++] = ENC_64BIT_INT;
      b.writeBigInt64LE(BigInt(v), p);
      p += 8;
    }
    this.pos = this.writeBacklen(p, p - start);
    this.count++;
    return this;
  }

  /** The finished listpack; a view of the scratch buffer, valid until the next reset. */
  finish(): Buffer {
    this.ensure(1);
    this.buf[this.pos] = EOF;
    const total = this.pos + 1;
    this.buf.writeUInt32LE(total, 0);
    this.buf.writeUInt16LE(this.count < NUMELE_UNKNOWN ? this.count : NUMELE_UNKNOWN, 4);
    return this.buf.subarray(0, total);
  }

  private writeBacklen(p: number, len: number): number {
    const b = this.buf;
    switch (backlenSize(len)) {
      case 1:
        b[p++] = len;
        break;
      case 2:
        b[p++] = len >> 7;
        b[p++] = (len & 127) | 128;
        break;
      case 3:
        b[p++] = len >> 14;
        b[p++] = ((len >> 7) & 127) | 128;
        b[p++] = (len & 127) | 128;
        break;
      case 4:
        b[p++] = len >> 21;
        b[p++] = ((len >> 14) & 127) | 128;
        b[p++] = ((len >> 7) & 127) | 128;
        b[p++] = (len & 127) | 128;
        break;
      default:
        b[p++] = Math.floor(len / 2 ** 28);
        b[p++] = ((len >> 21) & 127) | 128;
        b[p++] = ((len >> 14) & 127) | 128;
        b[p++] = ((len >> 7) & 127) | 128;
        b[p++] = (len & 127) | 128;
    }
    return p;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + extra));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
}

/**
 * Walks the entries of a listpack, validating every entry as lpValidateIntegrity(deep) does:
 * header size, entry bounds, backlen, and the terminator. After `next()` returns true, the
 * current element is either an integer (`isInteger`, `integer`) or bytes
 * (`bytes[strStart, strEnd)`).
 */
export class ListpackCursor {
  isInteger = false;
  integer: number | bigint = 0;
  strStart = 0;
  strEnd = 0;
  private pos: number;
  private readonly end: number;
  private seen = 0;
  private readonly declaredCount: number;

  /**
   * `checkDeclaredCount` false: the header's element count is not compared with the entries, as
   * streamValidateListpackIntegrity does not (it validates a stream node's header with deep = 0).
   */
  constructor(
    readonly bytes: Buffer,
    start = 0,
    end = bytes.length,
    private readonly checkDeclaredCount = true,
  ) {
    if (end - start < HEADER_SIZE + 1) corrupt('listpack smaller than its header');
    if (bytes.readUInt32LE(start) !== end - start) corrupt('listpack total bytes does not match its size');
    if (bytes[end - 1] !== EOF) corrupt('listpack does not end with 0xFF');
    this.declaredCount = bytes.readUInt16LE(start + 4);
    this.pos = start + HEADER_SIZE;
    this.end = end - 1;
  }

  next(): boolean {
    const b = this.bytes;
    const p = this.pos;
    if (p === this.end) {
      if (this.checkDeclaredCount && this.declaredCount !== NUMELE_UNKNOWN && this.declaredCount !== this.seen) {
        corrupt(`listpack declares ${this.declaredCount} elements but holds ${this.seen}`);
      }
      return false;
    }
    const enc = b[p]!;
    let entryLen: number;
    this.isInteger = true;
    if (enc < 0x80) {
      this.integer = enc;
      entryLen = 1;
    } else if (enc < 0xc0) {
      entryLen = 1 + (enc & 0x3f);
      this.setString(p + 1, p + entryLen);
    } else if (enc < 0xe0) {
      this.need(p, 2);
      const u = ((enc & 0x1f) << 8) | b[p + 1]!;
      this.integer = u >= 1 << 12 ? u - (1 << 13) : u;
      entryLen = 2;
    } else if (enc < 0xf0) {
      this.need(p, 2);
      entryLen = 2 + (((enc & 0x0f) << 8) | b[p + 1]!);
      this.setString(p + 2, p + entryLen);
    } else if (enc === ENC_32BIT_STR) {
      this.need(p, 5);
      entryLen = 5 + b.readUInt32LE(p + 1);
      this.setString(p + 5, p + entryLen);
    } else if (enc === ENC_16BIT_INT) {
      this.need(p, 3);
      this.integer = b.readInt16LE(p + 1);
      entryLen = 3;
    } else if (enc === ENC_24BIT_INT) {
      this.need(p, 4);
      this.integer = b.readIntLE(p + 1, 3);
      entryLen = 4;
    } else if (enc === ENC_32BIT_INT) {
      this.need(p, 5);
      this.integer = b.readInt32LE(p + 1);
      entryLen = 5;
    } else if (enc === ENC_64BIT_INT) {
      this.need(p, 9);
      const big = b.readBigInt64LE(p + 1);
      this.integer = Number.isSafeInteger(Number(big)) ? Number(big) : big;
      entryLen = 9;
    } else {
      corrupt(`listpack entry with invalid encoding byte 0x${enc.toString(16)}`);
    }
    const backlenLen = backlenSize(entryLen);
    this.need(p, entryLen + backlenLen);
    if (decodeBacklen(b, p + entryLen + backlenLen - 1) !== entryLen) corrupt('listpack entry backlen mismatch');
    this.pos = p + entryLen + backlenLen;
    this.seen++;
    return true;
  }

  /** The current element as a fresh Buffer; integers as their decimal text (lpGet + ll2string). */
  currentBuffer(): Buffer {
    if (this.isInteger) return Buffer.from(String(this.integer));
    return Buffer.from(this.bytes.subarray(this.strStart, this.strEnd));
  }

  /** The current element as an integer (stream fields are integers; lpGetIntegerIfValid). */
  currentInteger(): number | bigint {
    if (this.isInteger) return this.integer;
    const parsed = parseStrictInt64(this.bytes, this.strStart, this.strEnd);
    if (parsed === null) corrupt('listpack element is not an integer');
    return parsed;
  }

  nextBuffer(): Buffer {
    if (!this.next()) corrupt('listpack ended early');
    return this.currentBuffer();
  }

  nextInteger(): number | bigint {
    if (!this.next()) corrupt('listpack ended early');
    return this.currentInteger();
  }

  private setString(start: number, end: number): void {
    this.isInteger = false;
    this.strStart = start;
    this.strEnd = end;
  }

  private need(p: number, len: number): void {
    if (p + len > this.end) corrupt('listpack entry runs past the end');
  }
}

/** listpack.c lpDecodeBacklen, reading backwards from the last backlen byte. */
function decodeBacklen(b: Buffer, last: number): number {
  let value = 0;
  let shift = 0;
  let p = last;
  for (;;) {
    value += (b[p]! & 127) * 2 ** shift;
    if (!(b[p]! & 128)) break;
    shift += 7;
    p--;
    if (shift > 28) return -1;
  }
  return value;
}

/** Every element of a listpack as Buffers (integers as decimal text). */
export function listpackToBuffers(bytes: Buffer): Buffer[] {
  const cursor = new ListpackCursor(bytes);
  const out: Buffer[] = [];
  while (cursor.next()) out.push(cursor.currentBuffer());
  return out;
}
