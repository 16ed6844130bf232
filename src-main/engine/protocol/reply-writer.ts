// Typed replies, encoded for the client's protocol version (RESP2 by default, RESP3 after HELLO 3),
// appended to a per-client output buffer. The connection flushes that buffer once per read event,
// so a pipeline of 16 commands costs one socket write, not 16.
//
// Command handlers only ever say WHAT they reply (a map, a double, a null...); how that looks on the
// wire in RESP2 versus RESP3 is decided here and nowhere else.
import type { BinaryString } from './request-parser.js';
import { formatDouble } from './format-double.js';
import { copyBytes } from './copy-bytes.js';
import './buffer-latin1.js';

const INITIAL_SIZE = 4 * 1024;
// After a flush, a buffer grown beyond this is dropped so that one big reply does not keep a big
// allocation alive for an idle client.
const KEEP_SIZE = 64 * 1024;

/** Pre-encoded headers for small lengths: most replies are short arrays and bulks. */
const BULK_HEADERS: Buffer[] = [];
const ARRAY_HEADERS: Buffer[] = [];
for (let i = 0; i < 1024; i++) {
  BULK_HEADERS.push(Buffer.from(`$${i}\r\n`, 'latin1'));
  ARRAY_HEADERS.push(Buffer.from(`*${i}\r\n`, 'latin1'));
}

export type ProtocolVersion = 2 | 3;

export class ReplyWriter {
  protocol: ProtocolVersion = 2;
  private buf: Buffer | null = null;
  private len = 0;
  private readonly chunks: Buffer[] = [];
  private chunkBytes = 0;

  /** Bytes waiting to be flushed. */
  get pendingBytes(): number {
    return this.chunkBytes + this.len;
  }

  // --- reply types -------------------------------------------------------------------------

  /** `+OK` style status. Must not contain CR or LF. */
  simple(text: string): void {
    this.ascii(`+${text}\r\n`);
  }

  ok(): void {
    this.encoded(OK);
  }

  /** An error line; `text` starts with its code (`ERR ...`, `WRONGTYPE ...`). */
  error(text: string): void {
    // Redis replaces newlines in error text so that one error is always one protocol line.
    this.ascii(`-${text.replace(/[\r\n]/g, ' ')}\r\n`);
  }

  integer(n: number | bigint): void {
    if (n === 0) this.encoded(ZERO);
    else if (n === 1) this.encoded(ONE);
    else this.ascii(`:${n}\r\n`);
  }

  /** A bulk string from a binary string (one char per byte) or a Buffer. */
  bulk(value: BinaryString | Buffer): void {
    if (typeof value === 'string') {
      const n = value.length;
      this.header(BULK_HEADERS, '$', n);
      this.reserve(n + 2);
      this.len += this.buf!.latin1Write(value, this.len, n);
    } else {
      this.header(BULK_HEADERS, '$', value.length);
      this.reserve(value.length + 2);
      this.len += value.copy(this.buf!, this.len);
    }
    this.buf![this.len++] = 13;
    this.buf![this.len++] = 10;
  }

  /** One bulk string holding `first` then `second` (binary strings), without joining them first. */
  bulkJoined(first: BinaryString, second: BinaryString): void {
    const n = first.length + second.length;
    this.header(BULK_HEADERS, '$', n);
    this.reserve(n + 2);
    this.len += this.buf!.latin1Write(first, this.len, first.length);
    this.len += this.buf!.latin1Write(second, this.len, second.length);
    this.buf![this.len++] = 13;
    this.buf![this.len++] = 10;
  }

  /** A text bulk reply (UTF-8), e.g. INFO or CLIENT LIST output. */
  text(value: string): void {
    this.bulk(Buffer.from(value, 'utf8'));
  }

  /** The absent value: `$-1` in RESP2, `_` in RESP3. */
  null(): void {
    this.encoded(this.protocol === 3 ? NULL3 : NULL_BULK);
  }

  /** A missing aggregate: `*-1` in RESP2 (e.g. BLPOP timeout, EXEC aborted by WATCH), `_` in RESP3. */
  nullArray(): void {
    this.encoded(this.protocol === 3 ? NULL3 : NULL_ARRAY);
  }

  arrayHeader(length: number): void {
    this.header(ARRAY_HEADERS, '*', length);
  }

  /** A map of `pairs` key/value pairs: `%n` in RESP3, a flat array of 2n in RESP2. */
  mapHeader(pairs: number): void {
    if (this.protocol === 3) this.ascii(`%${pairs}\r\n`);
    else this.arrayHeader(pairs * 2);
  }

  /** An unordered collection: `~n` in RESP3, an array in RESP2. */
  setHeader(length: number): void {
    if (this.protocol === 3) this.ascii(`~${length}\r\n`);
    else this.arrayHeader(length);
  }

  /** An out-of-band message (pub/sub): `>n` in RESP3, an array in RESP2. */
  pushHeader(length: number): void {
    if (this.protocol === 3) this.ascii(`>${length}\r\n`);
    else this.arrayHeader(length);
  }

  /** A double as Redis's addReplyDouble prints it (`%.17g`): `,` in RESP3, a bulk in RESP2. */
  double(value: number): void {
    const text = formatDouble(value);
    if (this.protocol === 3) this.ascii(`,${text}\r\n`);
    else this.bulk(text);
  }

  /**
   * A double already printed (addReplyHumanLongDouble, GEOPOS coordinates): `,` in RESP3, a bulk
   * in RESP2.
   */
  doubleText(text: string): void {
    if (this.protocol === 3) this.ascii(`,${text}\r\n`);
    else this.bulk(text);
  }

  /** A big number (addReplyBigNum): `(` in RESP3, a bulk of its digits in RESP2. */
  bigNumber(digits: string): void {
    if (this.protocol === 3) this.ascii(`(${digits}\r\n`);
    else this.bulk(digits);
  }

  /**
   * Attributes of the reply that follows (addReplyAttributeLen): `|n` then n key/value pairs.
   * RESP3 only; a RESP2 client has no way to receive them, so callers skip them there.
   */
  attributeHeader(pairs: number): void {
    this.ascii(`|${pairs}\r\n`);
  }

  /** `#t`/`#f` in RESP3, the integers 1/0 in RESP2. */
  bool(value: boolean): void {
    if (this.protocol === 3) this.ascii(value ? '#t\r\n' : '#f\r\n');
    else this.integer(value ? 1 : 0);
  }

  /** Verbatim text (`=len\r\ntxt:...`) in RESP3, a plain bulk in RESP2. `format` is 3 chars, e.g. "txt". */
  verbatim(value: string, format = 'txt'): void {
    if (this.protocol === 3) {
      const body = Buffer.from(`${format}:${value}`, 'utf8');
      this.ascii(`=${body.length}\r\n`);
      this.encoded(body);
      this.encoded(CRLF);
    } else {
      this.text(value);
    }
  }

  /** An array of bulk strings, the most common aggregate. */
  bulkArray(values: readonly (BinaryString | Buffer)[]): void {
    this.arrayHeader(values.length);
    for (const v of values) this.bulk(v);
  }

  // --- buffer management -------------------------------------------------------------------

  /** Takes everything written so far, as buffers ready for socket.write; empties the writer. */
  take(): Buffer | null {
    if (this.len === 0 && this.chunks.length === 0) return null;
    let out: Buffer;
    if (this.chunks.length === 0) {
      if (this.len > KEEP_SIZE / 4) {
        // Large: hand over the buffer itself instead of copying it.
        out = this.buf!.subarray(0, this.len);
        this.buf = null;
      } else {
        // Small: copy out (Node pools small allocations) and keep the buffer for the next replies.
        out = Buffer.allocUnsafe(this.len);
        this.buf!.copy(out, 0, 0, this.len);
      }
    } else {
      if (this.len > 0) this.chunks.push(this.buf!.subarray(0, this.len));
      out = Buffer.concat(this.chunks, this.chunkBytes + this.len);
      this.chunks.length = 0;
      this.chunkBytes = 0;
      this.buf = null;
    }
    this.len = 0;
    if (this.buf && this.buf.length > KEEP_SIZE) this.dropBigBuffer();
    return out;
  }

  /**
   * Takes everything written so far like take(), but small replies come as a view of the writer's
   * own buffer instead of a copy: valid only until the next reply is written. For a reader that
   * is done with the bytes before that (a script reading its command's reply).
   */
  takeView(): Buffer | null {
    if (this.chunks.length !== 0 || this.len > KEEP_SIZE / 4) return this.take();
    if (this.len === 0) return null;
    const out = this.buf!.subarray(0, this.len);
    this.len = 0;
    return out;
  }

  /** Drops what is pending, without handing it out (replies nobody will read). */
  clear(): void {
    this.len = 0;
    this.chunks.length = 0;
    this.chunkBytes = 0;
    if (this.buf && this.buf.length > KEEP_SIZE) this.dropBigBuffer();
  }

  /** A buffer grown past KEEP_SIZE is let go once emptied (the shrink INFO reply_buffer_shrinks counts). */
  private dropBigBuffer(): void {
    this.buf = null;
    this.resized(false);
  }

  /** Called when the reply buffer grows (true) or a big one is dropped (false); see CountingReplyWriter. */
  protected resized(_expanded: boolean): void {}

  /** Bytes that are already protocol (a constant reply, a replication stream), copied from data[start, end). */
  encoded(data: Buffer, start = 0, end = data.length): void {
    this.reserve(end - start);
    this.len += copyBytes(data, this.buf!, this.len, start, end);
  }

  private ascii(text: string): void {
    this.reserve(text.length);
    this.len += this.buf!.latin1Write(text, this.len, text.length);
  }

  private header(cache: Buffer[], prefix: string, n: number): void {
    if (n < cache.length) this.encoded(cache[n]!);
    else this.ascii(`${prefix}${n}\r\n`);
  }

  /** Makes room for `n` more bytes: grows a small buffer, or starts a new chunk for big output. */
  private reserve(n: number): void {
    if (this.buf === null) {
      this.buf = Buffer.allocUnsafe(Math.max(INITIAL_SIZE, n));
      return;
    }
    if (this.len + n <= this.buf.length) return;
    if (this.buf.length < KEEP_SIZE) {
      const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
      this.buf.copy(grown, 0, 0, this.len);
      this.buf = grown;
      this.resized(true);
      return;
    }
    // Big output (a large LRANGE, KEYS *): keep filled chunks instead of copying them over and over.
    this.chunks.push(this.buf.subarray(0, this.len));
    this.chunkBytes += this.len;
    this.buf = Buffer.allocUnsafe(Math.max(KEEP_SIZE, n));
    this.len = 0;
  }
}

const OK = Buffer.from('+OK\r\n');
const ZERO = Buffer.from(':0\r\n');
const ONE = Buffer.from(':1\r\n');
const CRLF = Buffer.from('\r\n');
const NULL_BULK = Buffer.from('$-1\r\n');
const NULL_ARRAY = Buffer.from('*-1\r\n');
const NULL3 = Buffer.from('_\r\n');
