// A minimal RESP2/RESP3 client for tests: sends raw command vectors and returns replies as plain
// data, with errors kept as values (not thrown), so replies from our node and from Debian's
// redis-server can be compared exactly. Deliberately independent of the engine's own code: a test
// must not share the parser it is checking.
import { connect, type Socket } from 'node:net';

export type Reply =
  | string // simple string, as "+OK" would be "OK"
  | { error: string }
  | number
  | bigint
  | Buffer // bulk string
  | null
  | Reply[]
  | { map: Array<[Reply, Reply]> }
  | { set: Reply[] }
  | { push: Reply[] }
  | { double: string }
  | { attributes: Array<[Reply, Reply]>; reply: Reply }
  | boolean;

class Incomplete extends Error {}

/** Parses one reply from buf at pos; throws Incomplete when more bytes are needed. */
function parseReply(buf: Buffer, pos: number): [Reply, number] {
  if (pos >= buf.length) throw new Incomplete();
  const type = String.fromCharCode(buf[pos]!);
  const eol = buf.indexOf('\r\n', pos);
  if (eol < 0) throw new Incomplete();
  const line = buf.toString('latin1', pos + 1, eol);
  const next = eol + 2;
  const aggregate = (n: number, start: number): [Reply[], number] => {
    const items: Reply[] = [];
    let p = start;
    for (let i = 0; i < n; i++) {
      const [r, np] = parseReply(buf, p);
      items.push(r);
      p = np;
    }
    return [items, p];
  };
  switch (type) {
    case '+':
      return [line, next];
    case '-':
      return [{ error: line }, next];
    case ':':
      return [Number(line), next];
    case '(':
      return [BigInt(line), next];
    case ',':
      return [{ double: line }, next];
    case '#':
      return [line === 't', next];
    case '_':
      return [null, next];
    case '$':
    case '=':
    case '!': {
      const len = Number(line);
      if (len < 0) return [null, next];
      if (buf.length < next + len + 2) throw new Incomplete();
      const data = Buffer.from(buf.subarray(next, next + len));
      return [type === '!' ? { error: data.toString('latin1') } : data, next + len + 2];
    }
    case '*':
    case '~':
    case '>': {
      const n = Number(line);
      if (n < 0) return [null, next];
      const [items, p] = aggregate(n, next);
      return [type === '*' ? items : type === '~' ? { set: items } : { push: items }, p];
    }
    case '%': {
      const n = Number(line);
      const [items, p] = aggregate(n * 2, next);
      const map: Array<[Reply, Reply]> = [];
      for (let i = 0; i < items.length; i += 2) map.push([items[i]!, items[i + 1]!]);
      return [{ map }, p];
    }
    case '|': {
      // Attributes describe the reply that follows them; they come back together.
      const [items, p] = aggregate(Number(line) * 2, next);
      const attributes: Array<[Reply, Reply]> = [];
      for (let i = 0; i < items.length; i += 2) attributes.push([items[i]!, items[i + 1]!]);
      const [reply, end] = parseReply(buf, p);
      return [{ attributes, reply }, end];
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)} in ${JSON.stringify(buf.toString('latin1', pos, pos + 40))}`);
  }
}

export function encodeCommand(argv: Array<string | Buffer | number>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`)];
  for (const a of argv) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a));
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export class RespClient {
  private buf = Buffer.alloc(0);
  private waiting: Array<(r: Reply) => void> = [];
  /** Replies nobody asked for (pub/sub messages, pushes), oldest first. */
  readonly unsolicited: Reply[] = [];
  private closedError: Error | null = null;
  private closeListeners: Array<() => void> = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      this.drain();
    });
    socket.on('close', () => {
      this.closedError = new Error('connection closed');
      for (const l of this.closeListeners) l();
    });
    socket.on('error', () => {});
  }

  static open(port: number, host = '127.0.0.1'): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host }, () => resolve(new RespClient(s)));
      s.once('error', reject);
    });
  }

  private drain() {
    let pos = 0;
    for (;;) {
      let parsed: [Reply, number];
      try {
        parsed = parseReply(this.buf, pos);
      } catch (e) {
        if (e instanceof Incomplete) break;
        throw e;
      }
      pos = parsed[1];
      const w = this.waiting.shift();
      if (w) w(parsed[0]);
      else this.unsolicited.push(parsed[0]);
    }
    this.buf = this.buf.subarray(pos);
  }

  /** Sends one command and waits for its reply. */
  call(...argv: Array<string | Buffer | number>): Promise<Reply> {
    return this.send(encodeCommand(argv));
  }

  /** Sends raw bytes (inline commands, malformed input) and waits for one reply. */
  send(raw: Buffer | string): Promise<Reply> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      const onClose = () => reject(new Error('connection closed before the reply'));
      this.closeListeners.push(onClose);
      this.waiting.push((r) => {
        this.closeListeners = this.closeListeners.filter((l) => l !== onClose);
        resolve(r);
      });
      this.socket.write(raw);
    });
  }

  /** Sends several commands in one write (a pipeline) and returns their replies in order. */
  pipeline(commands: Array<Array<string | Buffer | number>>): Promise<Reply[]> {
    const replies = commands.map(() => new Promise<Reply>((r) => this.waiting.push(r)));
    this.socket.write(Buffer.concat(commands.map(encodeCommand)));
    return Promise.all(replies);
  }

  /** Resolves when the server closes the connection (e.g. after a protocol error). */
  closed(): Promise<void> {
    if (this.closedError) return Promise.resolve();
    return new Promise((r) => this.closeListeners.push(r));
  }

  close() {
    this.socket.destroy();
  }
}

/** Replies as readable text for assertion messages (buffers shown as strings). */
export function show(r: Reply): unknown {
  if (Buffer.isBuffer(r)) return r.toString('latin1');
  if (Array.isArray(r)) return r.map(show);
  if (typeof r === 'bigint') return `${r}n`;
  if (r && typeof r === 'object') {
    if ('map' in r) return { map: r.map.map(([k, v]) => [show(k), show(v)]) };
    if ('set' in r) return { set: r.set.map(show) };
    if ('push' in r) return { push: r.push.map(show) };
    if ('attributes' in r) return { attributes: r.attributes.map(([k, v]) => [show(k), show(v)]), reply: show(r.reply) };
  }
  return r;
}
