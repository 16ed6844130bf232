// An incremental reader of one direction of a replication link, fed the chunks a relay forwards.
// It never holds more than a few small lines and the first PREVIEW_BYTES of each argument: a bulk
// value, or the RDB payload of a full sync, is counted and skipped as it passes, however large, so
// memory stays bounded whatever the stream carries, and a chunk may end anywhere (the unit test
// splits a stream at every byte).
//
// What a master sends down a link, in order (Redis 7.0, replication.c):
//   replies  to the replica's handshake: +PONG, +OK, -NOAUTH ..., then one of
//            +FULLRESYNC <replid> <offset>  then the RDB as `$<len>\r\n<len bytes>` (disk) or
//                                           `$EOF:<40-byte mark>\r\n<payload><mark>` (diskless),
//                                           preceded by "\n" keepalives while the master prepares it;
//            +CONTINUE [<replid>]           then the stream straight away;
//   stream   RESP multibulk commands: PING, REPLCONF GETACK *, SELECT, MULTI/EXEC and the writes.
// What a replica sends is commands from the start (PING, AUTH, REPLCONF, PSYNC, then REPLCONF ACK).
//
// A reader started in the middle of a stream (a view opened on a live link, or chunks dropped
// because the view lagged) is `unsynced`: it looks for a command boundary at the start of the next
// chunk or after a newline in it, accepting one only where well-formed commands follow.

/** Bytes of each argument kept for display; the rest is counted, not stored. */
export const PREVIEW_BYTES = 200;
/** The longest `*<n>` / `$<len>` / reply line accepted before the bytes are taken for garbage. */
const MAX_LINE = 1024;
/** Redis 7.0's RDB_EOF_MARK_SIZE: the diskless payload's random end mark. */
export const EOF_MARK_SIZE = 40;

export type StreamItem =
  /** A command: its arguments (each cut to PREVIEW_BYTES, as binary strings), argc, and its size in bytes. */
  | { kind: 'command'; args: string[]; sizes: number[]; bytes: number; end: number }
  /** A reply line of the handshake (+FULLRESYNC, +CONTINUE, +OK, -ERR ...), without its CRLF. */
  | { kind: 'reply'; line: string; bytes: number; end: number }
  /** A full sync's RDB payload: `payload` bytes of data, `bytes` with its header (and end mark). */
  | { kind: 'rdb'; payload: number; diskless: boolean; bytes: number; end: number }
  /** Bytes that could not be read as the protocol (a reader that started mid-stream, or garbage). */
  | { kind: 'skipped'; bytes: number; end: number };

type Phase =
  | { kind: 'replies' }
  | { kind: 'rdb-header' }
  | { kind: 'rdb-length'; left: number; payload: number; header: number }
  | { kind: 'rdb-eof'; mark: Buffer; tail: Buffer; payload: number; header: number }
  | { kind: 'commands' }
  | { kind: 'unsynced' };

/** A command being read: how many arguments are still to come, and the current one's state. */
interface Partial {
  argc: number;
  args: string[];
  sizes: number[];
  /** Bytes of the current bulk (and its CRLF) still to come; -1 while its `$<len>` line is read. */
  bulkLeft: number;
  bulkSize: number;
  preview: Buffer[];
  previewLength: number;
  start: number;
}

export class StreamParser {
  private phase: Phase;
  /** Bytes fed before the current chunk: chunk[i] is at stream position `base + i`. */
  private base = 0;
  /** A line being read (`*<n>`, `$<len>`, a reply), held until its CRLF. */
  private line: Buffer[] = [];
  private lineLength = 0;
  private lineStart = 0;
  private partial: Partial | null = null;
  /** Bytes skipped while unsynced, reported as one item when reading resumes. */
  private skipped = 0;

  constructor(start: 'replies' | 'commands' | 'unsynced') {
    this.phase = { kind: start };
  }

  /** Bytes fed so far. */
  get fed(): number {
    return this.base;
  }

  /** Whether the reader is in the command stream (after +FULLRESYNC's RDB or +CONTINUE, or a replica's side). */
  get inStream(): boolean {
    return this.phase.kind === 'commands' || this.phase.kind === 'unsynced';
  }

  /**
   * Forgets what was half read and waits for a command boundary (the caller skipped bytes, or
   * stopped reading for a while and counted them with `skip`).
   */
  desync(): void {
    // The caller accounts for the bytes it skipped; what was half read is forgotten with them.
    this.skipped = 0;
    // Called for every chunk a link carries while nobody watches: nothing to allocate when already unsynced.
    if (this.phase.kind === 'unsynced' && this.partial === null && this.lineLength === 0) return;
    this.partial = null;
    this.resetLine();
    this.phase = { kind: 'unsynced' };
  }

  /** Bytes of the stream that pass unread (counted, so positions stay true). */
  skip(bytes: number): void {
    this.base += bytes;
  }

  /** Reads one chunk; returns the items completed in it. */
  feed(chunk: Buffer): StreamItem[] {
    const items: StreamItem[] = [];
    let at = 0;
    while (at < chunk.length) {
      switch (this.phase.kind) {
        case 'replies':
          at = this.readReply(chunk, at, items);
          break;
        case 'rdb-header':
          at = this.readRdbHeader(chunk, at);
          break;
        case 'rdb-length':
          at = this.readRdbByLength(chunk, at, items);
          break;
        case 'rdb-eof':
          at = this.readRdbToMark(chunk, at, items);
          break;
        case 'commands':
          at = this.readCommands(chunk, at, items);
          break;
        case 'unsynced':
          at = this.resync(chunk, at, items);
          break;
      }
    }
    this.base += chunk.length;
    return items;
  }

  // --- the handshake's replies -----------------------------------------------------------------

  private readReply(chunk: Buffer, at: number, items: StreamItem[]): number {
    if (this.lineLength === 0 && chunk[at] === 0x0a) return at + 1; // a keepalive newline
    const found = this.readLine(chunk, at);
    if (found.line === null) return found.at;
    const line = found.line.toString('latin1');
    const end = this.base + found.at;
    items.push({ kind: 'reply', line, bytes: end - found.start, end });
    if (line.startsWith('+FULLRESYNC')) this.phase = { kind: 'rdb-header' };
    else if (line.startsWith('+CONTINUE')) this.phase = { kind: 'commands' };
    return found.at;
  }

  // --- the RDB payload of a full sync ----------------------------------------------------------

  private readRdbHeader(chunk: Buffer, at: number): number {
    if (this.lineLength === 0 && chunk[at] === 0x0a) return at + 1; // "\n" while the master prepares the RDB
    const found = this.readLine(chunk, at);
    if (found.line === null) return found.at;
    const header = this.base + found.at - found.start;
    const text = found.line.toString('latin1');
    if (text.startsWith('$EOF:') && text.length === 5 + EOF_MARK_SIZE) {
      this.phase = { kind: 'rdb-eof', mark: Buffer.from(text.slice(5), 'latin1'), tail: Buffer.alloc(0), payload: 0, header };
    } else if (/^\$\d+$/.test(text)) {
      const length = Number(text.slice(1));
      this.phase = { kind: 'rdb-length', left: length, payload: length, header };
    } else {
      this.desync();
    }
    return found.at;
  }

  private readRdbByLength(chunk: Buffer, at: number, items: StreamItem[]): number {
    const phase = this.phase as Extract<Phase, { kind: 'rdb-length' }>;
    const take = Math.min(phase.left, chunk.length - at);
    phase.left -= take;
    if (phase.left === 0) {
      items.push({ kind: 'rdb', payload: phase.payload, diskless: false, bytes: phase.header + phase.payload, end: this.base + at + take });
      this.phase = { kind: 'commands' };
    }
    return at + take;
  }

  /** Diskless: the payload runs until the 40-byte mark, which may straddle chunks (the last 39 bytes are kept). */
  private readRdbToMark(chunk: Buffer, at: number, items: StreamItem[]): number {
    const phase = this.phase as Extract<Phase, { kind: 'rdb-eof' }>;
    const rest = chunk.subarray(at);
    // The mark across the previous chunk's tail and this one's head, then within this chunk alone.
    const seam = Buffer.concat([phase.tail, rest.subarray(0, EOF_MARK_SIZE - 1)]);
    let markEnd = -1;
    const inSeam = seam.indexOf(phase.mark);
    if (inSeam >= 0) markEnd = inSeam + EOF_MARK_SIZE - phase.tail.length;
    else {
      const inRest = rest.indexOf(phase.mark);
      if (inRest >= 0) markEnd = inRest + EOF_MARK_SIZE;
    }
    if (markEnd < 0) {
      phase.payload += rest.length;
      const joined = rest.length >= EOF_MARK_SIZE - 1 ? rest : Buffer.concat([phase.tail, rest]);
      phase.tail = Buffer.from(joined.subarray(Math.max(0, joined.length - (EOF_MARK_SIZE - 1))));
      return chunk.length;
    }
    // Bytes counted into `payload` so far include the tail's part of the mark: take them back.
    const payload = phase.payload + markEnd - EOF_MARK_SIZE;
    items.push({
      kind: 'rdb',
      payload,
      diskless: true,
      bytes: phase.header + payload + EOF_MARK_SIZE,
      end: this.base + at + markEnd,
    });
    this.phase = { kind: 'commands' };
    return at + markEnd;
  }

  // --- the command stream ------------------------------------------------------------------------

  private readCommands(chunk: Buffer, at: number, items: StreamItem[]): number {
    while (at < chunk.length) {
      const partial = this.partial;
      if (partial === null) {
        const found = this.readLine(chunk, at);
        if (found.line === null) return found.at;
        const argc = lineNumber(found.line, 0x2a); // '*'
        if (argc === null || argc < 1) {
          this.garbage(found.start, this.base + found.at);
          return found.at;
        }
        this.partial = {
          argc,
          args: [],
          sizes: [],
          bulkLeft: -1,
          bulkSize: 0,
          preview: [],
          previewLength: 0,
          start: found.start,
        };
        at = found.at;
        continue;
      }
      if (partial.bulkLeft < 0) {
        const found = this.readLine(chunk, at);
        if (found.line === null) return found.at;
        const size = lineNumber(found.line, 0x24); // '$'
        if (size === null) {
          this.garbage(partial.start, this.base + found.at);
          return found.at;
        }
        partial.bulkLeft = size + 2;
        partial.bulkSize = size;
        at = found.at;
        continue;
      }
      const take = Math.min(partial.bulkLeft, chunk.length - at);
      const wanted = Math.min(take, PREVIEW_BYTES - partial.previewLength, partial.bulkLeft - 2);
      if (wanted > 0) {
        partial.preview.push(Buffer.from(chunk.subarray(at, at + wanted)));
        partial.previewLength += wanted;
      }
      partial.bulkLeft -= take;
      at += take;
      if (partial.bulkLeft > 0) return at;
      partial.args.push(Buffer.concat(partial.preview).toString('latin1'));
      partial.sizes.push(partial.bulkSize);
      partial.preview = [];
      partial.previewLength = 0;
      partial.bulkLeft = -1;
      if (partial.args.length === partial.argc) {
        const end = this.base + at;
        items.push({ kind: 'command', args: partial.args, sizes: partial.sizes, bytes: end - partial.start, end });
        this.partial = null;
      }
    }
    return at;
  }

  /** A line that is not the protocol: what was read of the command is skipped, and a boundary sought. */
  private garbage(from: number, to: number): void {
    this.skipped += to - from;
    this.partial = null;
    this.phase = { kind: 'unsynced' };
  }

  /**
   * Unsynced: finds where a command starts (at the chunk's start, or right after a newline) such that
   * well-formed commands follow to the end of the chunk (the last one may be cut off by it), and
   * reads on from there; everything before it is reported as skipped.
   */
  private resync(chunk: Buffer, at: number, items: StreamItem[]): number {
    let candidate = chunk[at] === 0x2a ? at : nextCandidate(chunk, at);
    while (candidate >= 0 && !looksLikeCommands(chunk, candidate)) candidate = nextCandidate(chunk, candidate + 1);
    const until = candidate < 0 ? chunk.length : candidate;
    this.skipped += until - at;
    if (candidate >= 0) {
      if (this.skipped > 0) items.push({ kind: 'skipped', bytes: this.skipped, end: this.base + until });
      this.skipped = 0;
      this.phase = { kind: 'commands' };
      this.resetLine();
    }
    return until;
  }

  // --- lines -------------------------------------------------------------------------------------

  /** Reads up to a CRLF (the line may have begun in an earlier chunk); `line` is null until it is whole. */
  private readLine(chunk: Buffer, at: number): { line: Buffer | null; at: number; start: number } {
    if (this.lineLength === 0) this.lineStart = this.base + at;
    const newline = chunk.indexOf(0x0a, at);
    const end = newline < 0 ? chunk.length : newline + 1;
    const piece = chunk.subarray(at, end);
    this.line.push(piece);
    this.lineLength += piece.length;
    if (newline < 0) {
      if (this.lineLength > MAX_LINE) this.overlongLine();
      return { line: null, at: end, start: this.lineStart };
    }
    const whole = Buffer.concat(this.line);
    const start = this.lineStart;
    this.resetLine();
    const text =
      whole.length >= 2 && whole[whole.length - 2] === 0x0d ? whole.subarray(0, whole.length - 2) : whole.subarray(0, whole.length - 1);
    return { line: Buffer.from(text), at: end, start };
  }

  private overlongLine(): void {
    this.resetLine();
    this.partial = null;
    this.phase = { kind: 'unsynced' };
  }

  private resetLine(): void {
    this.line = [];
    this.lineLength = 0;
  }
}

/** `*<n>` or `$<len>` (by its first byte): the number, or null if the line is not that. */
function lineNumber(line: Buffer, first: number): number | null {
  if (line.length < 2 || line.length > 20 || line[0] !== first) return null;
  let value = 0;
  for (let i = 1; i < line.length; i++) {
    const digit = line[i]! - 0x30;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  return value;
}

/** The next `*` right after a newline (its CR may have been in the previous chunk), from `from` on; -1 if none. */
function nextCandidate(chunk: Buffer, from: number): number {
  const found = chunk.indexOf('\n*', from, 'latin1');
  return found < 0 ? -1 : found + 1;
}

/**
 * Whether well-formed commands run from `at` to the chunk's end (the last may be cut off by it):
 * `*<n>` with n >= 1, then n times `$<len>\r\n<len bytes>\r\n`, the first argument a word of letters.
 */
function looksLikeCommands(chunk: Buffer, at: number): boolean {
  let pos = at;
  let commands = 0;
  while (pos < chunk.length) {
    const header = readNumberLine(chunk, pos, 0x2a);
    if (header === 'cut') return commands > 0;
    if (header === null || header.value < 1) return false;
    pos = header.next;
    for (let arg = 0; arg < header.value; arg++) {
      const bulk = readNumberLine(chunk, pos, 0x24);
      if (bulk === 'cut') return true;
      if (bulk === null) return false;
      const bodyEnd = bulk.next + bulk.value;
      if (arg === 0 && !/^[A-Za-z][A-Za-z-|]*$/.test(chunk.toString('latin1', bulk.next, Math.min(bodyEnd, chunk.length)))) return false;
      if (bodyEnd + 2 > chunk.length) return true;
      if (chunk[bodyEnd] !== 0x0d || chunk[bodyEnd + 1] !== 0x0a) return false;
      pos = bodyEnd + 2;
    }
    commands++;
  }
  return true;
}

function readNumberLine(chunk: Buffer, at: number, first: number): { value: number; next: number } | null | 'cut' {
  const newline = chunk.indexOf(0x0a, at);
  if (newline < 0) return chunk.length - at > 21 ? null : 'cut';
  if (newline === at || chunk[newline - 1] !== 0x0d) return null;
  const value = lineNumber(chunk.subarray(at, newline - 1), first);
  return value === null ? null : { value, next: newline + 1 };
}
