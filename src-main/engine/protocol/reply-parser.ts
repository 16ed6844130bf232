// Parses the replies a server sends back (RESP2, and the RESP3 types a RESP2 connection never
// sees are not needed): what an outbound connection of ours reads, as hiredis does for Redis's
// Sentinel. Replies may be split across socket reads at any byte; `next()` returns null until one
// is complete. Strings come out as binary strings (one char per byte), errors as ReplyError values.

/** An error reply (`-ERR ...`), kept as a value: the caller decides what an error means. */
export class ReplyError {
  constructor(readonly message: string) {}
}

export type Reply = string | number | null | ReplyError | Reply[];

class Incomplete extends Error {}
const INCOMPLETE = new Incomplete();

export class ReplyParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;

  feed(chunk: Buffer): void {
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
  }

  /** The next complete reply, or undefined when more bytes are needed. */
  next(): Reply | undefined {
    const start = this.pos;
    try {
      return this.parse();
    } catch (err) {
      if (err !== INCOMPLETE) throw err;
      this.pos = start;
      return undefined;
    }
  }

  private line(): string {
    const eol = this.buf.indexOf('\r\n', this.pos);
    if (eol < 0) throw INCOMPLETE;
    const text = this.buf.toString('latin1', this.pos + 1, eol);
    this.pos = eol + 2;
    return text;
  }

  private parse(): Reply {
    if (this.pos >= this.buf.length) throw INCOMPLETE;
    const type = this.buf[this.pos];
    const line = this.line();
    switch (type) {
      case 0x2b /* + */:
        return line;
      case 0x2d /* - */:
        return new ReplyError(line);
      case 0x3a /* : */:
        return Number(line);
      case 0x24 /* $ */: {
        const length = Number(line);
        if (length < 0) return null;
        if (this.pos + length + 2 > this.buf.length) throw INCOMPLETE;
        const value = this.buf.toString('latin1', this.pos, this.pos + length);
        this.pos += length + 2;
        return value;
      }
      case 0x2a /* * */: {
        const count = Number(line);
        if (count < 0) return null;
        const items: Reply[] = [];
        for (let i = 0; i < count; i++) items.push(this.parse());
        return items;
      }
      default:
        throw new Error(`Protocol error, got ${JSON.stringify(String.fromCharCode(type ?? 0))} as reply type byte`);
    }
  }
}
