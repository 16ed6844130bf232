// The byte-level half of RDB reading (rdb.c rdbLoadLenByRef, rdbGenericLoadStringObject,
// rdbLoadLzfStringObject, rdbLoadMillisecondTime, rdbLoadDoubleValue) over one contiguous
// buffer that may hold only part of the file.
//
// When a read runs past the buffered bytes, a non-final input throws NeedMoreData and the
// streaming reader retries the whole item once more bytes arrived; a final input reports the
// short read the way Redis does. Every error names the absolute file offset.
import { CorruptDataError } from '../corrupt-data.js';
import { lzfDecompress } from './lzf.js';
import { parseDoubleText } from '../../util/number-text.js';
import { RDB_32BITLEN, RDB_64BITLEN, RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_INT8, RDB_ENC_LZF } from './rdb-format.js';
import '../../protocol/buffer-latin1.js';

/** Not an error: the item being parsed continues past the bytes received so far. */
export class NeedMoreData {
  /** `required` is the absolute offset the parse needs to reach. */
  constructor(readonly required: number) {}
}

/** LZF never expands 3 input bytes to more than 264 output bytes (lzf_d.c back references). */
const LZF_MAX_EXPANSION = 90;

/** Where binaryString() decompresses LZF strings up to LZF_SCRATCH_MAX bytes; reused. */
let lzfScratch = Buffer.allocUnsafe(4 * 1024);
const LZF_SCRATCH_MAX = 64 * 1024;

export class RdbInput {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  end = 0;
  /** Absolute offset of buf[0] in the file or payload. */
  base = 0;
  /** True when no more bytes will follow `end`. */
  final = true;
  /**
   * Compact encodings (listpacks, ziplists, intsets, zipmaps, stream nodes) checked in full so
   * far: what Redis counts as dump_payload_sanitizations when its deep sanitization is on (ours is
   * always on, see rdb-value-decoder.ts).
   */
  blobsChecked = 0;
  /** What the source is called in short-read errors ("RDB file", "DUMP payload"). */
  constructor(private readonly sourceName = 'RDB file') {}

  reset(buf: Buffer, base: number, final: boolean, end = buf.length): void {
    this.buf = buf;
    this.pos = 0;
    this.end = end;
    this.base = base;
    this.final = final;
  }

  get offset(): number {
    return this.base + this.pos;
  }

  /** rdbReportCorruptRDB: "Internal error in RDB reading offset N -> reason". */
  corrupt(reason: string, at = this.pos, redisLine = 0, terminatingLine = true): never {
    const offset = this.base + at;
    throw new CorruptDataError(`Internal error in RDB reading offset ${offset} -> ${reason}`, offset, {
      reason,
      redisLine,
      terminatingLine,
    });
  }

  need(n: number): void {
    if (this.pos + n > this.end) this.outOfData(this.pos + n);
  }

  private outOfData(requiredPos: number): never {
    if (!this.final) throw new NeedMoreData(this.base + requiredPos);
    const offset = this.base + this.end;
    throw new CorruptDataError(
      `Short read or OOM loading DB. Unrecoverable error, aborting now. ` +
        `(Unexpected EOF reading ${this.sourceName} at offset ${offset}, ${requiredPos - this.end} more bytes expected)`,
      offset,
      // rdbLoadRioWithLoadingCtx's eoferr label.
      {
        preface: 'Short read or OOM loading DB. Unrecoverable error, aborting now.',
        reason: 'Unexpected EOF reading RDB file',
        redisLine: 3249,
        terminatingLine: false,
      },
    );
  }

  u8(): number {
    if (this.pos >= this.end) this.outOfData(this.pos + 1);
    return this.buf[this.pos++]!;
  }

  /** A copy of the next n bytes. */
  raw(n: number): Buffer {
    this.need(n);
    const out = Buffer.allocUnsafe(n);
    this.buf.copy(out, 0, this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  int32LE(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** rdbLoadMillisecondTime: int64 little-endian (host order before v9; every loader we meet is LE). */
  millis(): number {
    this.need(8);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return Number(v);
  }

  /** rdbLoadBinaryDoubleValue. */
  binaryDouble(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** rdbLoadDoubleValue (zset type 3): <len> <text>, or 253 nan / 254 +inf / 255 -inf. */
  textDouble(): number {
    const len = this.u8();
    if (len === 255) return -Infinity;
    if (len === 254) return Infinity;
    if (len === 253) return NaN;
    this.need(len);
    const text = this.buf.toString('latin1', this.pos, this.pos + len);
    this.pos += len;
    const v = parseDoubleText(text);
    if (Number.isNaN(v) && !/^[-+]?nan$/i.test(text.trim())) this.corrupt(`Invalid double value '${text}'`);
    return v;
  }

  /**
   * rdbLoadLen(rdb, NULL) for counts and sizes. A special (11xxxxxx) encoding byte reads as its
   * low 6 bits, as rdbLoadLenByRef does when the caller does not ask whether it was encoded.
   */
  length(): number {
    const first = this.u8();
    const kind = first >> 6;
    if (kind === 0 || kind === 3) return first & 0x3f;
    if (kind === 1) return ((first & 0x3f) << 8) | this.u8();
    if (first === RDB_32BITLEN) {
      this.need(4);
      const v = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return v;
    }
    if (first === RDB_64BITLEN) {
      this.need(8);
      const v = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.corrupt(`Length ${v} too large`, this.pos - 9);
      return Number(v);
    }
    return this.corrupt(`Unknown length encoding ${kind} in rdbLoadLen()`, this.pos - 1);
  }

  /** rdbLoadLen for values that use the full unsigned 64-bit range (stream IDs, counters). */
  lengthBig(): bigint {
    if (this.pos >= this.end) this.outOfData(this.pos + 1);
    if (this.buf[this.pos] === RDB_64BITLEN) {
      this.pos++;
      this.need(8);
      const v = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      return v;
    }
    return BigInt(this.length());
  }

  /** rdbGenericLoadStringObject: a fresh Buffer (integer encodings come back as decimal text). */
  string(): Buffer {
    if (this.pos >= this.end) this.outOfData(this.pos + 1);
    const first = this.buf[this.pos]!;
    if (first >> 6 !== 3) {
      const len = this.length();
      this.need(len);
      const out = Buffer.allocUnsafe(len);
      this.buf.copy(out, 0, this.pos, this.pos + len);
      this.pos += len;
      return out;
    }
    this.pos++;
    const enc = first & 0x3f;
    switch (enc) {
      case RDB_ENC_INT8: {
        this.need(1);
        return Buffer.from(String(this.buf.readInt8(this.pos++)));
      }
      case RDB_ENC_INT16: {
        this.need(2);
        const v = this.buf.readInt16LE(this.pos);
        this.pos += 2;
        return Buffer.from(String(v));
      }
      case RDB_ENC_INT32: {
        this.need(4);
        const v = this.buf.readInt32LE(this.pos);
        this.pos += 4;
        return Buffer.from(String(v));
      }
      case RDB_ENC_LZF:
        return this.lzfString();
      default:
        return this.corrupt(`Unknown RDB string encoding type ${enc}`, this.pos - 1, 529); // rdbGenericLoadStringObject
    }
  }

  /**
   * string(), as a binary string (one char per byte, the keyspace's form) read straight from the
   * input: loading millions of keys, a Buffer per key and per value was most of the garbage.
   */
  binaryString(): string {
    if (this.pos >= this.end) this.outOfData(this.pos + 1);
    const first = this.buf[this.pos]!;
    if (first >> 6 !== 3) {
      const len = this.length();
      this.need(len);
      const out = this.buf.latin1Slice(this.pos, this.pos + len);
      this.pos += len;
      return out;
    }
    if ((first & 0x3f) !== RDB_ENC_LZF) return this.string().toString('latin1');
    this.pos++;
    const start = this.pos - 1;
    const compressedLen = this.length();
    const len = this.length();
    if (len > compressedLen * LZF_MAX_EXPANSION + 64) this.corrupt('Invalid LZF compressed string', start);
    this.need(compressedLen);
    if (len === 0) {
      this.pos += compressedLen;
      return '';
    }
    if (len > LZF_SCRATCH_MAX) {
      this.pos = start;
      return this.string().toString('latin1');
    }
    if (lzfScratch.length < len) lzfScratch = Buffer.allocUnsafe(Math.max(len, lzfScratch.length * 2));
    if (lzfDecompress(this.buf, this.pos, this.pos + compressedLen, lzfScratch) !== len) {
      this.corrupt('Invalid LZF compressed string', start);
    }
    this.pos += compressedLen;
    return lzfScratch.latin1Slice(0, len);
  }

  private lzfString(): Buffer {
    const start = this.pos - 1;
    const compressedLen = this.length();
    const len = this.length();
    if (len > compressedLen * LZF_MAX_EXPANSION + 64) this.corrupt('Invalid LZF compressed string', start);
    this.need(compressedLen);
    if (len === 0) {
      // lzf_decompress returns 0 when the output does not fit, which rdbLoadLzfStringObject
      // compares with the declared length: a declared length of 0 is an empty string, whatever follows.
      this.pos += compressedLen;
      return Buffer.alloc(0);
    }
    const out = Buffer.allocUnsafe(len);
    if (lzfDecompress(this.buf, this.pos, this.pos + compressedLen, out) !== len) {
      this.corrupt('Invalid LZF compressed string', start);
    }
    this.pos += compressedLen;
    return out;
  }
}
