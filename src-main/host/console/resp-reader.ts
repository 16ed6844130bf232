// Reads a node's replies off a console connection, RESP2 and RESP3, as the tree redis-cli's hiredis
// builds (redisReply): one type per reply, strings kept as bytes (binary strings, one char per byte
// 0-255) so that reply-format.ts can escape every byte as redis-cli does. The reader is incremental:
// feed it whatever the socket delivered and take the replies that are complete.

export type ConsoleReply =
  | { type: 'status'; text: string }
  | { type: 'error'; text: string }
  | { type: 'integer'; value: string }
  | { type: 'double'; text: string }
  | { type: 'string'; bytes: string }
  | { type: 'verbatim'; bytes: string }
  | { type: 'nil' }
  | { type: 'bool'; value: boolean }
  | { type: 'bignum'; text: string }
  | { type: 'array' | 'set' | 'push'; items: ConsoleReply[] }
  /** A map's keys and values in order, as hiredis keeps them: key, value, key, value... */
  | { type: 'map'; items: ConsoleReply[] };

/** A reply the console cannot read. redis-cli (hiredis) gives up on the connection then, and so do we. */
export class RespProtocolError extends Error {}

class Incomplete {}
const INCOMPLETE = new Incomplete();

export class RespReader {
  private buffer: Buffer = Buffer.alloc(0);

  feed(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
  }

  /** The complete replies received so far, in order; throws RespProtocolError for bytes that are not RESP. */
  takeReplies(): ConsoleReply[] {
    const replies: ConsoleReply[] = [];
    for (;;) {
      const parsed = this.parse(0);
      if (parsed === INCOMPLETE) break;
      const [reply, next] = parsed as [ConsoleReply, number];
      this.buffer = this.buffer.subarray(next);
      replies.push(reply);
    }
    return replies;
  }

  /** One reply at `pos`: [reply, position after it]. */
  private parse(pos: number): [ConsoleReply, number] | Incomplete {
    const buf = this.buffer;
    if (pos >= buf.length) return INCOMPLETE;
    const eol = buf.indexOf('\r\n', pos);
    if (eol === -1) return INCOMPLETE;
    const prefix = String.fromCharCode(buf[pos]!);
    const line = buf.toString('latin1', pos + 1, eol);
    const next = eol + 2;
    switch (prefix) {
      case '+':
        return [{ type: 'status', text: line }, next];
      case '-':
        return [{ type: 'error', text: line }, next];
      case ':':
        return [{ type: 'integer', value: line }, next];
      case ',':
        return [{ type: 'double', text: line }, next];
      case '_':
        return [{ type: 'nil' }, next];
      case '#':
        return [{ type: 'bool', value: line === 't' }, next];
      case '(':
        return [{ type: 'bignum', text: line }, next];
      case '$':
      case '=': {
        const length = Number(line);
        if (length === -1) return [{ type: 'nil' }, next];
        if (!Number.isInteger(length) || length < 0) throw new RespProtocolError(`Protocol error, bad bulk string length "${line}"`);
        if (buf.length < next + length + 2) return INCOMPLETE;
        const bytes = buf.toString('latin1', next, next + length);
        // A verbatim string starts with its format and a colon ("txt:"), which hiredis strips.
        if (prefix === '=') return [{ type: 'verbatim', bytes: bytes.slice(4) }, next + length + 2];
        return [{ type: 'string', bytes }, next + length + 2];
      }
      case '*':
      case '~':
      case '>':
      case '%': {
        const count = Number(line);
        if (count === -1) return [{ type: 'nil' }, next];
        if (!Number.isInteger(count) || count < 0) throw new RespProtocolError(`Protocol error, bad aggregate length "${line}"`);
        const elements = prefix === '%' ? count * 2 : count;
        const items: ConsoleReply[] = [];
        let at = next;
        while (items.length < elements) {
          const parsed = this.parse(at);
          if (parsed === INCOMPLETE) return INCOMPLETE;
          const [item, after] = parsed as [ConsoleReply, number];
          at = after;
          items.push(item);
        }
        const type = prefix === '*' ? 'array' : prefix === '~' ? 'set' : prefix === '>' ? 'push' : 'map';
        return [{ type, items }, at];
      }
      default:
        // Redis 7.0's redis-cli (its hiredis) does not read attributes ('|') either: it stops with this error.
        throw new RespProtocolError(`Protocol error, got ${JSON.stringify(prefix)} as reply type byte`);
    }
  }
}
