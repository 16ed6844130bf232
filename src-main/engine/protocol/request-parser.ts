// Parses the byte stream a client sends into command argument vectors, as Redis's networking.c
// (processInlineBuffer / processMultibulkBuffer) does: RESP multibulk requests (`*<n>\r\n$<len>\r\n...`)
// and inline requests (`SET k v\n`, what telnet and `redis-cli` piping send), pipelined, and split
// across socket reads at any byte.
//
// Arguments come out as "binary strings": one JS char per byte (latin1). Every byte value round-trips,
// so keys and values stay binary-safe, and a V8 one-byte string is the most compact and fastest form
// for Map keys and stored values (no Buffer object per argument, nothing pins the socket chunk).
import { splitArgs } from './sds-quoting.js';
import './buffer-latin1.js';

/** A request argument or stored string: one char per byte (char codes 0-255). */
export type BinaryString = string;

/** Thrown for malformed input; the client gets `-ERR <message>` and is closed, as Redis does. */
export class ProtocolError extends Error {}

// Limits from Redis 7.0 (server.h PROTO_INLINE_MAX_SIZE; networking.c): a multibulk count up to
// INT_MAX, but a client that still has to authenticate may only send tiny requests, so that an
// unauthenticated peer cannot make the server buffer much.
const INLINE_MAX_SIZE = 64 * 1024;
const INT_MAX = 2 ** 31 - 1;
const UNAUTHENTICATED_MAX_ARGS = 10;
const UNAUTHENTICATED_MAX_BULK = 16384;
// A bulk at least this large is read straight into its own buffer, so that a 100 MB value arriving
// in 64 KB chunks costs about two copies (the buffer doubles as it fills) instead of a growing
// concatenation (Redis: PROTO_MBULK_BIG_ARG).
const BIG_ARG = 32 * 1024;
/** What a big argument's buffer starts with (or what already arrived, if more), before it grows. */
const BIG_ARG_FIRST_ALLOCATION = 1024 * 1024;

// A request with more arguments than this gives its gathering array up instead of keeping it.
const MAX_REUSED_ARGV = 1024;
// Longest command name remembered for reuse (the longest real one is 20 bytes).
const MAX_REMEMBERED_NAME = 32;

const CR = 13;
const LF = 10;

export interface ParserLimits {
  /** `proto-max-bulk-len`. */
  maxBulkLength: number;
  /** False while the client must still AUTH (then Redis's small-request limits apply). */
  authenticated: () => boolean;
}

export class RequestParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  // State of a multibulk request that is not complete yet.
  private pendingArgs = 0;
  /** The arguments read so far are argv[0, argc); see takeArgv. */
  private argv: BinaryString[] = [];
  private argc = 0;
  private bulkLength = -1;
  private bigArg: Buffer | null = null;
  /** The big argument's whole size (its bulk length + CRLF); bigArg grows towards it. */
  private bigArgSize = 0;
  private bigArgFilled = 0;
  /** `buf` is the caller's chunk, whose memory the caller may reuse after feed/next (see release). */
  private borrowed = false;
  /** The last command name, handed out again for the same bytes (see commandName). */
  private lastName = '';

  constructor(private readonly limits: ParserLimits = { maxBulkLength: 512 * 1024 * 1024, authenticated: () => true }) {}

  /** Bytes received but not parsed yet (Redis's `qbuf`). */
  get bufferedBytes(): number {
    return this.buf.length - this.pos + (this.bigArg ? this.bigArgFilled : 0);
  }

  feed(chunk: Buffer): void {
    if (this.bigArg) {
      chunk = this.fillBigArg(chunk);
      if (chunk.length === 0) return;
    }
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
      this.borrowed = true;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
      this.borrowed = false;
    }
    this.pos = 0;
  }

  /**
   * Stops referring to the memory of the last chunk fed: the connection reads every socket into
   * one reused buffer, so input left unparsed (half a request, or what waits behind a blocked
   * command) is copied out before the next read overwrites it.
   */
  releaseChunk(): void {
    if (!this.borrowed) return;
    this.borrowed = false;
    if (this.pos >= this.buf.length) {
      this.buf = EMPTY;
      this.pos = 0;
    } else {
      this.buf = Buffer.from(this.buf.subarray(this.pos));
      this.pos = 0;
    }
  }

  /**
   * The next complete request, `null` when more bytes are needed. An empty array is an empty request
   * (a blank inline line, `*0`), which Redis silently skips; callers skip it too.
   */
  next(): BinaryString[] | null {
    if (this.bigArg) return null;
    if (this.pendingArgs === 0) {
      if (this.pos >= this.buf.length) return this.releaseBuffer();
      if (this.buf[this.pos] !== 42 /* '*' */) return this.parseInline();
      if (!this.parseMultibulkHeader()) return this.keepRest();
      if (this.pendingArgs === 0) return [];
    }
    return this.parseBulks();
  }

  private parseInline(): BinaryString[] | null {
    const newline = this.buf.indexOf(LF, this.pos);
    if (newline === -1) {
      if (this.buf.length - this.pos > INLINE_MAX_SIZE) throw new ProtocolError('Protocol error: too big inline request');
      return this.keepRest();
    }
    let end = newline;
    if (end > this.pos && this.buf[end - 1] === CR) end--;
    const line = this.buf.latin1Slice(this.pos, end);
    this.pos = newline + 1;
    const args = splitArgs(line);
    if (args === null) throw new ProtocolError('Protocol error: unbalanced quotes in request');
    return args;
  }

  /** Reads `*<n>\r\n`; false when the line is not complete yet. */
  private parseMultibulkHeader(): boolean {
    const cr = this.buf.indexOf(CR, this.pos);
    if (cr === -1 || cr + 1 >= this.buf.length) {
      if (this.buf.length - this.pos > INLINE_MAX_SIZE) throw new ProtocolError('Protocol error: too big mbulk count string');
      return false;
    }
    const count = parseLongLong(this.buf, this.pos + 1, cr);
    if (count === null || count > INT_MAX) throw new ProtocolError('Protocol error: invalid multibulk length');
    if (count > UNAUTHENTICATED_MAX_ARGS && !this.limits.authenticated()) {
      throw new ProtocolError('Protocol error: unauthenticated multibulk length');
    }
    this.pos = cr + 2;
    this.pendingArgs = count > 0 ? count : 0;
    this.argc = 0;
    this.bulkLength = -1;
    return true;
  }

  private parseBulks(): BinaryString[] | null {
    const buf = this.buf;
    const end = buf.length;
    while (this.pendingArgs > 0) {
      if (this.bulkLength === -1) {
        // `$<len>\r\n`, parsed in place: this runs for every argument, and a native indexOf
        // plus a separate number parse cost more than the bytes themselves.
        let p = this.pos;
        if (p >= end) return this.keepRest();
        if (buf[p] !== 36 /* '$' */) {
          throw new ProtocolError(`Protocol error: expected '$', got '${String.fromCharCode(buf[p]!)}'`);
        }
        p++;
        let length = 0;
        let valid = p < end && buf[p] !== 48; /* leading zero */
        while (p < end && buf[p] !== CR) {
          const digit = buf[p]! - 48;
          if (digit < 0 || digit > 9) valid = false;
          else length = length * 10 + digit;
          p++;
        }
        if (p + 1 >= end) {
          if (end - this.pos > INLINE_MAX_SIZE) throw new ProtocolError('Protocol error: too big bulk count string');
          return this.keepRest();
        }
        if (p === this.pos + 2 && buf[this.pos + 1] === 48) valid = true; // "$0"
        if (!valid || p === this.pos + 1 || length > this.limits.maxBulkLength) {
          throw new ProtocolError('Protocol error: invalid bulk length');
        }
        if (length > UNAUTHENTICATED_MAX_BULK && !this.limits.authenticated()) {
          throw new ProtocolError('Protocol error: unauthenticated bulk length');
        }
        this.pos = p + 2;
        this.bulkLength = length;
        if (length >= BIG_ARG && end - this.pos < length + 2) return this.startBigArg();
      }
      if (end - this.pos < this.bulkLength + 2) return this.keepRest();
      this.argv[this.argc] =
        this.argc === 0 ? this.commandName(buf, this.pos, this.bulkLength) : buf.latin1Slice(this.pos, this.pos + this.bulkLength);
      this.argc++;
      this.pos += this.bulkLength + 2;
      this.bulkLength = -1;
      this.pendingArgs--;
    }
    return this.takeArgv();
  }

  /**
   * The request's arguments as an array of exactly their number. They are gathered in one reused
   * array: a fresh array grown by push() gets room for 17 elements at its first push, which was
   * the largest single piece of garbage a pipelined SET left behind.
   */
  private takeArgv(): BinaryString[] {
    const gathered = this.argv;
    const argv = gathered.slice(0, this.argc);
    if (this.argc > MAX_REUSED_ARGV) {
      this.argv = [];
    } else {
      for (let i = 0; i < this.argc; i++) gathered[i] = ''; // no reference to a big value kept
    }
    this.argc = 0;
    return argv;
  }

  /**
   * The first argument (the command name): the previous request's string when the bytes are the
   * same. Creating a string is a call into Node's C++ binding, a tenth of a pipelined SET's time;
   * clients mostly send runs of one command, and the command table's lookup cache then matches the
   * very same string.
   */
  private commandName(buf: Buffer, start: number, length: number): BinaryString {
    const last = this.lastName;
    if (length === last.length) {
      let i = 0;
      while (i < length && buf[start + i] === last.charCodeAt(i)) i++;
      if (i === length) return last;
    }
    const name = buf.latin1Slice(start, start + length);
    if (length <= MAX_REMEMBERED_NAME) this.lastName = name;
    return name;
  }

  /**
   * A big bulk that has not fully arrived: give it its own buffer and fill it as chunks come. The
   * buffer grows with what arrives (doubling, up to the declared length) instead of being sized by
   * the length the client declared: a client that announces 512 MB and sends a few bytes, on many
   * connections, costs the bytes it sent, not the bytes it promised.
   */
  private startBigArg(): null {
    const available = this.buf.length - this.pos;
    this.bigArgSize = this.bulkLength + 2;
    this.bigArg = Buffer.allocUnsafe(Math.min(this.bigArgSize, Math.max(BIG_ARG_FIRST_ALLOCATION, available)));
    this.bigArgFilled = 0;
    const rest = this.buf.subarray(this.pos);
    this.buf = EMPTY;
    this.borrowed = false;
    this.pos = 0;
    this.fillBigArg(rest);
    return null;
  }

  /** Copies into the big argument; returns what is left of the chunk after it. */
  private fillBigArg(chunk: Buffer): Buffer {
    const take = Math.min(chunk.length, this.bigArgSize - this.bigArgFilled);
    let big = this.bigArg!;
    if (this.bigArgFilled + take > big.length) {
      const grown = Buffer.allocUnsafe(Math.min(this.bigArgSize, Math.max(big.length * 2, this.bigArgFilled + take)));
      big.copy(grown, 0, 0, this.bigArgFilled);
      big = this.bigArg = grown;
    }
    chunk.copy(big, this.bigArgFilled, 0, take);
    this.bigArgFilled += take;
    if (this.bigArgFilled < this.bigArgSize) return chunk.subarray(chunk.length);
    // Complete: hand it to parseBulks as an ordinary buffer holding exactly this bulk.
    this.bigArg = null;
    const rest = chunk.subarray(take);
    this.buf = rest.length ? Buffer.concat([big, rest]) : big;
    this.borrowed = false;
    this.pos = 0;
    return Buffer.alloc(0);
  }

  /**
   * Keeps the unparsed tail. It is copied so that an idle client with half a request does not pin
   * the whole socket chunk it arrived in.
   */
  private keepRest(): null {
    if (this.pos > 0) {
      this.buf = Buffer.from(this.buf.subarray(this.pos));
      this.borrowed = false;
      this.pos = 0;
    }
    return null;
  }

  private releaseBuffer(): null {
    this.buf = EMPTY;
    this.borrowed = false;
    this.pos = 0;
    return null;
  }
}

const EMPTY = Buffer.alloc(0);

/** Redis's string2ll over buf[start, end): an optional '-' and decimal digits, no spaces, no '+'. */
function parseLongLong(buf: Buffer, start: number, end: number): number | null {
  if (start >= end) return null;
  let i = start;
  let negative = false;
  if (buf[i] === 45 /* '-' */) {
    negative = true;
    i++;
    if (i === end) return null;
  }
  if (end - i > 18) return null; // beyond what a double holds exactly; never a valid length here
  if (buf[i] === 48 /* '0' */ && end - i > 1) return null;
  let value = 0;
  for (; i < end; i++) {
    const digit = buf[i]! - 48;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}
