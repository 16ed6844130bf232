// The writes the load generator sends, encoded as RESP requests. Each command kind writes keys of
// its own (`load:<kind>:<n>`, n below the key space), so kinds never collide on a key's type, and
// every collection is bounded: hashes, sets and sorted sets get at most MEMBERS members, lists are
// trimmed to MEMBERS elements. With a TTL, SET carries EX and the others are followed by EXPIRE.
import type { LoadCommandKind, LoadOptions } from '../../api/index.js';

/** Members (fields, elements) per collection key. */
const MEMBERS = 16;

/** One RESP multibulk request; arguments are ASCII here, so string lengths are byte lengths. */
function request(args: readonly string[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${arg.length}\r\n${arg}\r\n`;
  return out;
}

export class WriteMix {
  private readonly value: string;
  private next = 0;

  constructor(private readonly options: LoadOptions) {
    // Printable and varied, so a value is not one repeated byte (DEBUG DIGEST and compression see real data).
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let value = '';
    for (let i = 0; i < options.valueSize; i++) value += alphabet[(i * 7) % alphabet.length];
    this.value = value;
  }

  /** The next write, as RESP, and how many replies it gets back. */
  nextWrite(): { resp: string; replies: number } {
    const kind = this.options.mix[this.next++ % this.options.mix.length]!;
    const n = Math.floor(Math.random() * this.options.keys);
    const member = Math.floor(Math.random() * MEMBERS);
    const key = `load:${kind}:${n}`;
    const ttl = this.options.ttlSeconds;
    const commands = this.commands(kind, key, member, ttl);
    if (ttl > 0 && kind !== 'set') commands.push(['EXPIRE', key, String(ttl)]);
    return { resp: commands.map(request).join(''), replies: commands.length };
  }

  private commands(kind: LoadCommandKind, key: string, member: number, ttl: number): string[][] {
    const v = this.value;
    switch (kind) {
      case 'set':
        return [ttl > 0 ? ['SET', key, v, 'EX', String(ttl)] : ['SET', key, v]];
      case 'incr':
        return [['INCR', key]];
      case 'hset':
        return [['HSET', key, `f${member}`, v]];
      case 'lpush':
        return [
          ['LPUSH', key, v],
          ['LTRIM', key, '0', String(MEMBERS - 1)],
        ];
      case 'sadd':
        return [['SADD', key, `${member}:${v}`]];
      case 'zadd':
        return [['ZADD', key, String(Math.floor(Math.random() * 1000)), `${member}:${v}`]];
    }
  }
}
