// Reads the RESP commands of an .aof / .incr.aof file exactly as aof.c loadSingleAppendOnlyFile
// does, telling apart the two failures Redis treats differently:
//   - truncation (the file ends inside a command, or inside MULTI without EXEC): loadable with
//     `aof-load-truncated yes` by cutting the file at `validUpTo`;
//   - corruption (bytes that are not the AOF grammar): fatal, reported with its offset.
// Chunks are pushed as they are read, so large files are not held in memory.
import { CorruptDataError } from '../corrupt-data.js';

export type AofReadResult =
  | { status: 'complete'; commands: number }
  /**
   * The file ends mid-command (or mid-transaction). `validUpTo` is where Redis would truncate:
   * the end of the last complete command, or before the unfinished MULTI.
   */
  | { status: 'truncated'; commands: number; validUpTo: number; revertedMulti: boolean };

const CR = 0x0d;
const LF = 0x0a;
/** aof.c reads each header line with fgets into a 128-byte buffer. */
const MAX_HEADER_LINE = 128;

/** True when the file begins with an RDB preamble ("REDIS"), as loadSingleAppendOnlyFile checks. */
export function startsWithRdbPreamble(head: Uint8Array): boolean {
  return head.length >= 5 && Buffer.from(head.buffer, head.byteOffset, 5).toString('latin1') === 'REDIS';
}

export class AofCommandReader {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  /** Absolute offset of the first buffered byte. */
  private consumed: number;
  private commands = 0;
  private inMulti = false;
  private validBeforeMulti = 0;

  /**
   * `onCommand` gets each complete command with the offset just past it. `startOffset` is
   * where these bytes sit in the file (after an RDB preamble, for instance).
   */
  constructor(
    private readonly onCommand: (argv: Buffer[], endOffset: number) => void,
    startOffset = 0,
  ) {
    this.consumed = startOffset;
    this.validBeforeMulti = startOffset;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    this.parseBuffered();
  }

  end(): AofReadResult {
    this.parseBuffered();
    if (this.bufferedBytes > 0) {
      // fgets hands back a final line without newline: an annotation is skipped, anything
      // but the start of a command is a format error; a started command is a truncation.
      const first = this.buffered[0]![0]!;
      if (first === 0x23 && !this.buffered[0]!.includes(LF)) this.bufferedBytes = 0;
      else if (first !== 0x2a) this.formatError(0, `expected '*', got ${describeByte(first)}`);
      else return this.truncated(this.inMulti);
    }
    // A MULTI never closed by EXEC is reverted like a truncated command ("Revert incomplete MULTI/EXEC").
    if (this.inMulti) return this.truncated(true);
    return { status: 'complete', commands: this.commands };
  }

  private truncated(revertMulti: boolean): AofReadResult {
    return {
      status: 'truncated',
      commands: this.commands,
      validUpTo: revertMulti ? this.validBeforeMulti : this.consumed,
      revertedMulti: revertMulti,
    };
  }

  private parseBuffered(): void {
    if (this.bufferedBytes === 0) return;
    const buf = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered, this.bufferedBytes);
    let pos = 0;
    for (;;) {
      const commandStart = pos;
      const result = this.parseCommand(buf, pos);
      if (result === null) break;
      const { argv, end } = result;
      pos = end;
      if (argv === null) continue; // an annotation line
      const endOffset = this.consumed + pos;
      this.commands++;
      const name = argv[0]!.toString('latin1').toLowerCase();
      if (name === 'multi') {
        this.inMulti = true;
        this.validBeforeMulti = this.consumed + commandStart;
      } else if (name === 'exec') {
        this.inMulti = false;
      }
      this.onCommand(argv, endOffset);
    }
    const rest = buf.subarray(pos);
    this.buffered = rest.length ? [rest] : [];
    this.bufferedBytes = rest.length;
    this.consumed += pos;
  }

  /** One command (or annotation, argv null) starting at `start`, or null when the bytes run out. */
  private parseCommand(buf: Buffer, start: number): { argv: Buffer[] | null; end: number } | null {
    const header = readLine(buf, start);
    if (header === null) return null;
    if (buf[start] === 0x23) return { argv: null, end: header.next }; // '#' annotation
    if (buf[start] !== 0x2a) this.formatError(start, `expected '*', got ${describeByte(buf[start]!)}`);
    const argc = atoi(buf, start + 1, header.lineEnd);
    if (argc < 1) this.formatError(start, `invalid argument count`);
    let pos = header.next;
    // Grown as arguments arrive, never sized by argc: a damaged count (up to 2^31 - 1) must not
    // allocate before the bytes to back it are there (each argument takes at least 6).
    const argv: Buffer[] = [];
    for (let j = 0; j < argc; j++) {
      const line = readLine(buf, pos);
      if (line === null) return null;
      if (buf[pos] !== 0x24) this.formatError(pos, `expected '$', got ${describeByte(buf[pos]!)}`);
      const len = strtol(buf, pos + 1, line.lineEnd);
      if (len < 0) this.formatError(pos, 'invalid bulk length');
      const dataStart = line.next;
      // The argument and the CRLF after it (Redis reads those two bytes without checking them).
      if (dataStart + len + 2 > buf.length) return null;
      argv.push(Buffer.from(buf.subarray(dataStart, dataStart + len)));
      pos = dataStart + len + 2;
    }
    return { argv, end: pos };
  }

  private formatError(at: number, detail: string): never {
    const offset = this.consumed + at;
    throw new CorruptDataError(`Bad file format reading the append only file at offset ${offset}: ${detail}`, offset);
  }
}

/** fgets: the line starting at `start` through its '\n' (at most 127 bytes), or null if not all here. */
function readLine(buf: Buffer, start: number): { lineEnd: number; next: number } | null {
  const limit = Math.min(buf.length, start + MAX_HEADER_LINE - 1);
  for (let i = start; i < limit; i++) {
    if (buf[i] === LF) return { lineEnd: i > start && buf[i - 1] === CR ? i - 1 : i, next: i + 1 };
  }
  if (limit === start + MAX_HEADER_LINE - 1) return { lineEnd: limit, next: limit };
  return null;
}

const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);

/** strtol(s, NULL, 10): optional sign and leading digits, anything after ignored, clamped to a long. */
function strtolBig(buf: Buffer, start: number, end: number): bigint {
  let i = start;
  let negative = false;
  if (buf[i] === 0x2d || buf[i] === 0x2b) negative = buf[i++] === 0x2d;
  let v = 0n;
  for (; i < end && buf[i]! >= 0x30 && buf[i]! <= 0x39 && v <= LONG_MAX; i++) v = v * 10n + BigInt(buf[i]! - 0x30);
  v = negative ? -v : v;
  return v > LONG_MAX ? LONG_MAX : v < LONG_MIN ? LONG_MIN : v;
}

function strtol(buf: Buffer, start: number, end: number): number {
  return Number(strtolBig(buf, start, end));
}

/** glibc's atoi: (int) strtol, so "*4294967297" is 1 argument and "*99999999999999999999" is -1. */
function atoi(buf: Buffer, start: number, end: number): number {
  return Number(BigInt.asIntN(32, strtolBig(buf, start, end)));
}

function describeByte(b: number): string {
  return b >= 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `0x${b.toString(16).padStart(2, '0')}`;
}

/** Serialises a command as the AOF stores it (catAppendOnlyGenericCommand). */
export function formatAofCommand(argv: Array<Buffer | string>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`)];
  for (const a of argv) {
    const b = typeof a === 'string' ? Buffer.from(a) : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}
