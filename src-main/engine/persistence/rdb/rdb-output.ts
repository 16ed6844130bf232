// The byte-level half of RDB writing (rdb.c rdbSaveLen, rdbSaveRawString, rdbSaveLzfBlob,
// rdbSaveMillisecondTime, rdbSaveBinaryDoubleValue) into large chunks handed to a sink.
//
// Bytes are written into one big buffer and passed on when it fills, so serialising a million
// keys makes a few dozen sink calls, not millions. Each chunk handed to the sink is the sink's
// to keep (e.g. queued on a socket): nothing writes to its bytes again. A flush before the buffer
// is full (BGSAVE flushes at the end of every slice) hands over the filled part and goes on
// filling the rest of the same buffer, so that a slice costs no fresh megabyte (external memory
// that makes V8 collect garbage while clients wait). The CRC is updated per chunk.
import { Crc64 } from './crc64.js';
import '../../protocol/buffer-latin1.js';
import { lzfCompress } from './lzf.js';
import { parseStrictInt64 } from '../../util/number-text.js';
import {
  RDB_14BITLEN,
  RDB_32BITLEN,
  RDB_64BITLEN,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_INT8,
  RDB_ENC_LZF,
  RDB_ENCVAL,
} from './rdb-format.js';

export type ChunkSink = (chunk: Buffer) => void;

const DEFAULT_CHUNK_SIZE = 1 << 20;
/** After a flush, the rest of the buffer is used for the next chunk if at least this much is left. */
const MIN_ROOM_TO_KEEP = 64 * 1024;

/** Scratch space for LZF output, grown on demand and reused across strings. */
let lzfScratch = Buffer.allocUnsafe(64 * 1024);
/** Scratch space for writeBinaryString; longer strings get a Buffer of their own instead. */
let binaryScratch = Buffer.allocUnsafe(4 * 1024);
const BINARY_SCRATCH_MAX = 64 * 1024;

export class RdbOutput {
  private buf: Buffer;
  private pos = 0;
  private flushed = 0;
  /** Start of the bytes of `buf` not yet handed to the sink. */
  private start = 0;
  private readonly crc: Crc64 | null;
  private readonly chunkSize: number;
  private readonly compression: boolean;
  /** Full buffers whose chunks were handed over and may still be in use by the sink. */
  private retired: Buffer[] = [];
  /** Retired buffers the owner said are no longer in use (reuseRetired): taken before allocating. */
  private spares: Buffer[] = [];

  constructor(
    private readonly sink: ChunkSink,
    options: { checksum: boolean; compression: boolean; chunkSize?: number },
  ) {
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    this.compression = options.compression;
    this.crc = options.checksum ? new Crc64() : null;
    this.buf = Buffer.allocUnsafe(this.chunkSize);
  }

  /** Bytes produced so far, flushed or not. */
  get bytesWritten(): number {
    return this.flushed + this.pos - this.start;
  }

  /** The 8-byte trailer: CRC-64 of everything so far, or zeros when rdbchecksum is no. */
  checksumTrailer(): Buffer {
    this.flush();
    return this.crc ? this.crc.toLittleEndian() : Buffer.alloc(8);
  }

  flush(): void {
    if (this.pos === this.start) return;
    const chunk = this.buf.subarray(this.start, this.pos);
    this.crc?.update(chunk);
    this.flushed += this.pos - this.start;
    if (this.buf.length - this.pos < MIN_ROOM_TO_KEEP) {
      this.retired.push(this.buf);
      this.buf = this.spares.pop() ?? Buffer.allocUnsafe(this.chunkSize);
      this.pos = 0;
    }
    this.start = this.pos;
    this.sink(chunk);
  }

  /**
   * The owner knows that no chunk handed to the sink so far is still in use (every write of them
   * finished): their buffers are filled again instead of allocating new ones. A BGSAVE of a large
   * dataset otherwise allocates a megabyte per flush, and that external memory makes V8 run
   * collections, even a full mark-compact, in the middle of the save while clients wait.
   */
  reuseRetired(): void {
    this.spares.push(...this.retired);
    this.retired = [];
  }

  writeByte(b: number): void {
    if (this.pos === this.buf.length) this.flush();
    this.buf[this.pos++] = b;
  }

  /** Copies src[start, end) in; ranges instead of subarray() keep this allocation-free per key. */
  writeBytes(src: Uint8Array, start = 0, end = src.length): void {
    let offset = start;
    while (offset < end) {
      if (this.pos === this.buf.length) this.flush();
      const n = Math.min(end - offset, this.buf.length - this.pos);
      const b = this.buf;
      if (n < 64) {
        for (let i = 0; i < n; i++) b[this.pos + i] = src[offset + i]!;
      } else {
        b.set(n === src.length ? src : src.subarray(offset, offset + n), this.pos);
      }
      this.pos += n;
      offset += n;
    }
  }

  /** Room for `n` contiguous bytes at `this.pos` (n is always small here). */
  private reserve(n: number): void {
    if (this.pos + n > this.buf.length) this.flush();
  }

  /** rdbSaveLen: 6-bit, 14-bit, 32-bit BE or 64-bit BE length. */
  writeLength(len: number | bigint): void {
    this.reserve(9);
    const b = this.buf;
    if (typeof len === 'bigint') {
      if (len <= 0xffffffffn) return this.writeLength(Number(len));
      b[this.pos++] = RDB_64BITLEN;
      b.writeBigUInt64BE(len, this.pos);
      this.pos += 8;
    } else if (len < 1 << 6) {
      b[this.pos++] = len;
    } else if (len < 1 << 14) {
      b[this.pos++] = (RDB_14BITLEN << 6) | (len >> 8);
      b[this.pos++] = len & 0xff;
    } else if (len <= 0xffffffff) {
      b[this.pos++] = RDB_32BITLEN;
      b.writeUInt32BE(len, this.pos);
      this.pos += 4;
    } else {
      b[this.pos++] = RDB_64BITLEN;
      b.writeBigUInt64BE(BigInt(len), this.pos);
      this.pos += 8;
    }
  }

  /**
   * rdbSaveRawString: short integer strings as C0/C1/C2, strings over 20 bytes LZF-compressed
   * when that saves at least 4 bytes (rdbcompression yes), everything else verbatim.
   */
  writeString(s: Uint8Array): void {
    this.writeStringRange(s, 0, s.length);
  }

  /**
   * writeString for a binary string (one char per byte, as the keyspace stores them), through a
   * reused scratch buffer: a snapshot writes millions of keys and values, and a Buffer per string
   * made the garbage collector pause the clients served between BGSAVE slices.
   */
  writeBinaryString(s: string): void {
    const len = s.length;
    if (len > BINARY_SCRATCH_MAX) return this.writeString(Buffer.from(s, 'latin1'));
    if (binaryScratch.length < len) binaryScratch = Buffer.allocUnsafe(Math.max(len, binaryScratch.length * 2));
    binaryScratch.latin1Write(s, 0, len);
    this.writeStringRange(binaryScratch, 0, len);
  }

  /** writeString for `s[start..end)`. */
  writeStringRange(s: Uint8Array, start: number, end: number): void {
    const len = end - start;
    if (len <= 11 && len > 0 && this.tryWriteIntegerString(s, start, end)) return;
    if (this.compression && len > 20 && this.tryWriteLzf(s, start, end)) return;
    this.writeLength(len);
    this.writeBytes(s, start, end);
  }

  /** rdbSaveMillisecondTime: int64 little-endian. */
  writeMillis(ms: number): void {
    this.reserve(8);
    this.buf.writeBigInt64LE(BigInt(ms), this.pos);
    this.pos += 8;
  }

  /** rdbSaveBinaryDoubleValue: IEEE 754 binary64 little-endian. */
  writeBinaryDouble(value: number): void {
    this.reserve(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  private tryWriteIntegerString(s: Uint8Array, start: number, end: number): boolean {
    const n = parseStrictInt64(s, start, end);
    return typeof n === 'number' && this.tryWriteInteger(n);
  }

  /** rdbEncodeInteger: only values that fit in 32 bits get the special encodings. */
  private tryWriteInteger(n: number): boolean {
    this.reserve(5);
    const b = this.buf;
    if (n >= -128 && n <= 127) {
      b[this.pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT8;
      b.writeInt8(n, this.pos);
      this.pos += 1;
    } else if (n >= -32768 && n <= 32767) {
      b[this.pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT16;
      b.writeInt16LE(n, this.pos);
      this.pos += 2;
    } else if (n >= -2147483648 && n <= 2147483647) {
      b[this.pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT32;
      b.writeInt32LE(n, this.pos);
      this.pos += 4;
    } else {
      return false;
    }
    return true;
  }

  /** rdbSaveLzfStringObject + rdbSaveLzfBlob: 0xC3 <compressed len> <original len> <data>. */
  private tryWriteLzf(s: Uint8Array, start: number, end: number): boolean {
    const limit = end - start - 4;
    if (lzfScratch.length < limit) lzfScratch = Buffer.allocUnsafe(Math.max(limit, lzfScratch.length * 2));
    const compressedLen = lzfCompress(s, start, end, lzfScratch, 0, limit);
    if (compressedLen === 0) return false;
    this.writeByte((RDB_ENCVAL << 6) | RDB_ENC_LZF);
    this.writeLength(compressedLen);
    this.writeLength(end - start);
    this.writeBytes(lzfScratch, 0, compressedLen);
    return true;
  }
}
