// A seeded generator of writes whose propagated effect is not simply their own argv, for the
// exact-stream differential test (what a master sends its replicas and writes to its AOF): streams
// with consumer groups (XREADGROUP becomes XCLAIM / XGROUP SETID), HyperLogLogs, geo STORE forms,
// scripts and functions (their effects, wrapped in MULTI/EXEC), SORT ... STORE, expirations of
// every form (made absolute), RESTORE (made ABSTTL), keys that expire and are then read (deleted
// lazily), and MULTI blocks of all of these. The rest of the data types come from RandomCommands.
//
// Everything here is deterministic on both servers: stream ids are explicit (never `*`), absolute
// expiry times are fixed, and relative ones become absolute times a few milliseconds apart, which
// the comparison tolerates.
import { seededRandom } from './command-families.js';

export type EffectStep =
  | { kind: 'command'; argv: string[] }
  /**
   * `setup` gives a key a life of a millisecond; after `ms` (active expiry is off, so the key is
   * still there, logically expired) `access` runs: what finds it expired deletes it lazily.
   */
  | { kind: 'lazy-expiry'; setup: string[][]; ms: number; access: string[][] }
  /** MULTI, the queued commands, EXEC. */
  | { kind: 'transaction'; queued: string[][] }
  /** A second connection runs `waiter` (blocking), the stream then runs `during`, which may serve it. */
  | { kind: 'blocked'; waiter: string[]; during: string[][] };

/** A Lua library loaded once on both servers (FUNCTION LOAD is propagated as it is). */
export const FUNCTION_LIBRARY = [
  '#!lua name=effects',
  "redis.register_function('bump', function(keys, args) redis.call('INCRBY', keys[1], args[1]); return redis.call('EXPIRE', keys[1], 1000) end)",
  "redis.register_function('move_one', function(keys) return redis.call('LMOVE', keys[1], keys[2], 'LEFT', 'RIGHT') end)",
  "redis.register_function{function_name='peek', callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes'}}",
].join('\n');

/** Stands for a DUMP payload (of a string) that the runner takes from redis-server and gives both. */
export const RESTORE_PAYLOAD = '<dump payload>';

const STREAMS = ['x0', 'x1'];
const GROUPS = ['g1', 'g2'];
const CONSUMERS = ['alice', 'bob'];
const HLLS = ['p0', 'p1', 'p2'];
const GEOS = ['geo0', 'geo1'];
const EXPIRING = ['e0', 'e1', 'e2', 'e3'];
const FAR_SECONDS = '99999999999';
const FAR_MS = '99999999999000';
/** Scripts with writes of several kinds: relative expiries, pops, float increments, reads. */
const SCRIPTS: string[][] = [
  ['EVAL', "redis.call('SET', KEYS[1], ARGV[1], 'EX', 500); return redis.call('INCRBYFLOAT', KEYS[2], '1.5')", '2', 'e0', 'e1', 'v'],
  ['EVAL', "return redis.call('SET', KEYS[1], ARGV[1])", '1', 'e2', 'one'],
  ['EVAL', "return redis.call('GET', KEYS[1])", '1', 'e2'],
  ['EVAL', "redis.call('SADD', KEYS[1], 'a', 'b', 'c'); return redis.call('SPOP', KEYS[1], 5)", '1', 'sp'],
  [
    'EVAL',
    "redis.call('RPUSH', KEYS[1], 'a'); redis.call('EXPIRE', KEYS[1], 100); return redis.call('PEXPIRE', KEYS[1], 200000)",
    '1',
    'el',
  ],
  ['EVAL', "redis.call('SET', KEYS[1], 1); return redis.call('NOSUCHCOMMAND')", '1', 'e3'],
  [
    'EVAL',
    "redis.call('SELECT', 3); redis.call('SET', KEYS[1], 'in3'); redis.call('SELECT', 0); return redis.call('DEL', KEYS[1])",
    '1',
    'e1',
  ],
  ['EVAL', "redis.call('XADD', KEYS[1], '999999-1', 'f', 'v'); return redis.call('HINCRBYFLOAT', 'hf', 'f', '0.5')", '1', 'x9'],
  ['EVAL_RO', "return redis.call('EXISTS', KEYS[1])", '1', 'e0'],
];

export class RandomEffects {
  private readonly rnd;
  /** The next explicit stream id's time part, so ids grow like XADD * would make them. */
  private nextIdMs = 1000;

  constructor(seed: number) {
    this.rnd = seededRandom(seed);
  }

  private pick<T>(items: readonly T[]): T {
    return this.rnd.pick(items);
  }

  private int(n: number): number {
    return this.rnd.int(n);
  }

  private chance(p: number): boolean {
    return this.rnd.next() < p;
  }

  private id(): string {
    this.nextIdMs += 1 + this.int(3);
    return this.pick([`${this.nextIdMs}-0`, `${this.nextIdMs}-1`, `${this.nextIdMs}-*`, `${this.nextIdMs}`]);
  }

  private existingId(): string {
    return `${Math.max(1000, this.nextIdMs - this.int(12))}-${this.int(2)}`;
  }

  private streamCommand(): string[] {
    const key = this.pick(STREAMS);
    const group = this.pick(GROUPS);
    const consumer = this.pick(CONSUMERS);
    const gens: Array<() => string[]> = [
      () => ['XADD', key, this.id(), 'f', String(this.int(100))],
      () => ['XADD', key, this.id(), 'a', '1', 'b', '2'],
      () => ['XADD', key, 'NOMKSTREAM', this.id(), 'f', 'v'],
      () => ['XADD', key, 'MAXLEN', this.pick(['=', '~']), String(1 + this.int(8)), this.id(), 'f', 'v'],
      () => ['XADD', key, 'MINID', this.pick(['=', '~']), this.existingId(), this.id(), 'f', 'v'],
      () => ['XADD', key, '1-1', 'f', 'too small'],
      () => ['XGROUP', 'CREATE', key, group, this.pick(['$', '0', this.existingId()]), ...(this.chance(0.5) ? ['MKSTREAM'] : [])],
      () => ['XGROUP', 'CREATE', key, group, '0', 'MKSTREAM', 'ENTRIESREAD', String(this.int(5))],
      () => ['XGROUP', 'SETID', key, group, this.pick(['$', '0', this.existingId()])],
      () => ['XGROUP', 'CREATECONSUMER', key, group, consumer],
      () => ['XGROUP', 'DELCONSUMER', key, group, consumer],
      () => ['XGROUP', 'DESTROY', key, group],
      () => ['XREADGROUP', 'GROUP', group, consumer, 'COUNT', String(1 + this.int(3)), 'STREAMS', key, '>'],
      () => ['XREADGROUP', 'GROUP', group, consumer, 'COUNT', '2', 'NOACK', 'STREAMS', key, '>'],
      () => ['XREADGROUP', 'GROUP', group, consumer, 'STREAMS', key, '0'],
      () => ['XREADGROUP', 'GROUP', group, consumer, 'COUNT', '5', 'STREAMS', ...STREAMS, '>', '>'],
      () => ['XACK', key, group, this.existingId(), this.existingId()],
      () => [
        'XCLAIM',
        key,
        group,
        consumer,
        '0',
        this.existingId(),
        ...this.pick([[], ['JUSTID'], ['FORCE'], ['RETRYCOUNT', '7'], ['IDLE', '0']]),
      ],
      () => ['XCLAIM', key, group, consumer, '0', this.existingId(), 'TIME', '1700000000000', 'JUSTID'],
      () => ['XAUTOCLAIM', key, group, consumer, '0', '0-0', 'COUNT', String(1 + this.int(4)), ...(this.chance(0.3) ? ['JUSTID'] : [])],
      () => ['XDEL', key, this.existingId(), this.existingId()],
      () => ['XTRIM', key, 'MAXLEN', this.pick(['=', '~']), String(this.int(6))],
      () => ['XTRIM', key, 'MINID', this.existingId()],
      () => {
        // Later ids start above it, so the XADDs that follow (and serve waiters) still succeed.
        this.nextIdMs += 50;
        return ['XSETID', key, `${this.nextIdMs}-0`];
      },
      () => ['XLEN', key],
      () => ['XPENDING', key, group],
    ];
    return this.pick(gens)();
  }

  private hllCommand(): string[] {
    const key = this.pick(HLLS);
    const element = () => this.pick(['a', 'b', 'c', 'd', String(this.int(500))]);
    const gens: Array<() => string[]> = [
      () => ['PFADD', key, element(), element()],
      () => ['PFADD', key, ...Array.from({ length: 40 }, () => element())],
      () => ['PFADD', key],
      () => ['PFCOUNT', key],
      () => ['PFCOUNT', key, this.pick(HLLS)],
      () => ['PFMERGE', key, this.pick(HLLS), this.pick(HLLS)],
    ];
    return this.pick(gens)();
  }

  private geoCommand(): string[] {
    const key = this.pick(GEOS);
    const place = () =>
      this.pick([
        ['13.361389', '38.115556', 'Palermo'],
        ['15.087269', '37.502669', 'Catania'],
        ['12.496366', '41.902782', 'Rome'],
        ['2.352222', '48.856613', 'Paris'],
      ]);
    const gens: Array<() => string[]> = [
      () => ['GEOADD', key, ...place(), ...place()],
      () => ['GEOADD', key, this.pick(['NX', 'XX']), 'CH', ...place()],
      () => [
        'GEOSEARCHSTORE',
        this.pick(GEOS),
        key,
        'FROMLONLAT',
        '15',
        '37',
        'BYRADIUS',
        this.pick(['200', '2000']),
        'km',
        'ASC',
        ...(this.chance(0.5) ? ['STOREDIST'] : []),
      ],
      () => ['GEORADIUS', key, '15', '37', '500', 'km', this.pick(['STORE', 'STOREDIST']), this.pick(GEOS)],
      () => ['GEORADIUSBYMEMBER', key, 'Palermo', '300', 'km', 'COUNT', '2', 'STORE', this.pick(GEOS)],
      () => ['GEODIST', key, 'Palermo', 'Catania'],
    ];
    return this.pick(gens)();
  }

  private expireCommand(): string[] {
    const key = this.pick(EXPIRING);
    const condition = (): string[] => (this.chance(0.3) ? [this.pick(['NX', 'XX', 'GT', 'LT'])] : []);
    const gens: Array<() => string[]> = [
      () => [
        'SET',
        key,
        'v',
        ...this.pick([['EX', '1000'], ['PX', '900000'], ['EXAT', FAR_SECONDS], ['PXAT', FAR_MS], ['KEEPTTL'], []]),
        ...(this.chance(0.3) ? [this.pick(['GET', 'NX', 'XX'])] : []),
      ],
      () => ['SETEX', key, this.pick(['1000', '0']), 'v'],
      () => ['PSETEX', key, '900000', 'v'],
      () => ['GETEX', key, ...this.pick([['EX', '1000'], ['PX', '900000'], ['EXAT', FAR_SECONDS], ['PXAT', FAR_MS], ['PERSIST'], []])],
      () => ['EXPIRE', key, this.pick(['1000', '0', '-1']), ...condition()],
      () => ['PEXPIRE', key, this.pick(['900000', '0']), ...condition()],
      () => ['EXPIREAT', key, this.pick([FAR_SECONDS, '1']), ...condition()],
      () => ['PEXPIREAT', key, this.pick([FAR_MS, '1']), ...condition()],
      () => ['PERSIST', key],
      () => ['INCRBYFLOAT', key, '2.5'],
      () => ['HINCRBYFLOAT', 'hf', key, '0.25'],
      () => ['GETDEL', key],
      () => ['GET', key],
      () => ['EXISTS', ...EXPIRING],
      () => ['RENAME', key, this.pick(EXPIRING)],
      () => ['COPY', key, this.pick(EXPIRING), 'REPLACE'],
      () => [
        'RESTORE',
        key,
        ...this.pick([['0'], ['900000'], [FAR_MS, 'ABSTTL'], ['1', 'ABSTTL']]),
        RESTORE_PAYLOAD,
        ...this.pick([[], ['REPLACE'], ['REPLACE', 'IDLETIME', '100'], ['REPLACE', 'ABSTTL']]),
      ],
    ];
    return this.pick(gens)();
  }

  private sortCommand(): string[] {
    const source = this.pick(['sl', 'ss', 'sz']);
    const options = this.pick([
      [],
      ['DESC'],
      ['ALPHA'],
      ['LIMIT', '0', '2'],
      ['ALPHA', 'DESC', 'LIMIT', '1', '5'],
      // Weights and values from hash fields and strings.
      ['BY', 'hf->*', 'GET', '#', 'GET', 'hf->*'],
      ['GET', 'e*', 'ALPHA'],
    ]);
    return ['SORT', source, ...options, 'STORE', this.pick(['sorted0', 'sorted1'])];
  }

  /** Commands propagated though they change no key, or to one target only, and whole-database ones. */
  private otherCommand(): string[] {
    return this.pick([
      ['PUBLISH', 'news', 'hello'],
      ['SPUBLISH', 'shard', 'hello'],
      ['SCRIPT', 'LOAD', "return redis.call('INCR', KEYS[1])"],
      // The SHA1 of the script above.
      ['EVALSHA', '61636018f4e6b5817b89791bbed242f93fa089e3', '1', 'e0'],
      ['FUNCTION', 'LOAD', 'REPLACE', FUNCTION_LIBRARY],
      ['FLUSHDB', this.pick(['ASYNC', 'SYNC'])],
      ['SETRANGE', this.pick(EXPIRING), String(this.int(10)), 'abc'],
      ['APPEND', this.pick(EXPIRING), 'z'],
      ['SWAPDB', '0', '3'],
      ['MOVE', this.pick(EXPIRING), '3'],
    ]);
  }

  private scriptCommand(): string[] {
    if (this.chance(0.3)) {
      return this.pick([
        ['FCALL', 'bump', '1', this.pick(EXPIRING), String(this.int(9))],
        ['FCALL', 'move_one', '2', 'sl', 'sl2'],
        ['FCALL_RO', 'peek', '1', 'e0'],
      ]);
    }
    return this.pick(SCRIPTS);
  }

  /** One write (or read) of the families above. */
  command(): string[] {
    const r = this.rnd.next();
    if (r < 0.3) return this.streamCommand();
    if (r < 0.4) return this.hllCommand();
    if (r < 0.5) return this.geoCommand();
    if (r < 0.75) return this.expireCommand();
    if (r < 0.83) return this.sortCommand();
    if (r < 0.87) return this.otherCommand();
    return this.scriptCommand();
  }

  /**
   * A blocking command (waiting up to 0.3 s) and, first thing once it blocked, a push that serves
   * it; it times out only when the key already holds another type or the push fails.
   */
  private blocked(): EffectStep {
    const key = this.pick(STREAMS);
    const [waiter, push] = this.pick<string[][]>([
      [
        ['XREADGROUP', 'GROUP', this.pick(GROUPS), 'carol', 'BLOCK', '300', 'STREAMS', key, '>'],
        ['XADD', key, this.id(), 'pushed', '1'],
      ],
      [
        ['BLMOVE', 'sl', 'sl2', 'RIGHT', 'LEFT', '0.3'],
        ['RPUSH', 'sl', String(this.int(50)), 'b'],
      ],
      [
        ['BRPOPLPUSH', 'sl', 'sl2', '0.3'],
        ['LPUSH', 'sl', 'a'],
      ],
      [
        ['BLPOP', 'sl', '0.3'],
        ['RPUSH', 'sl', 'c'],
      ],
      [
        ['BZPOPMIN', 'sz', '0.3'],
        ['ZADD', 'sz', String(this.int(9)), `m${this.int(9)}`],
      ],
    ]);
    return { kind: 'blocked', waiter: waiter!, during: [push!, ...(this.chance(0.5) ? [this.command()] : [])] };
  }

  private lazyExpiry(): EffectStep {
    const key = this.pick(EXPIRING);
    if (this.chance(0.15)) {
      // RANDOMKEY and SCAN meet keys in hash-table order, which two servers need not share: the
      // expired key is the only key of database 5, so what they delete is the same.
      const access = this.pick([['RANDOMKEY'], ['SCAN', '0', 'COUNT', '1000'], ['SCAN', '0', 'MATCH', 'l*']]);
      return {
        kind: 'lazy-expiry',
        setup: [
          ['SELECT', '5'],
          ['SET', 'lone', 'short', 'PX', '1'],
        ],
        ms: 10,
        access: [access, ['SELECT', '0']],
      };
    }
    const access = this.pick<string[][]>([
      [['GET', key]],
      [['EXISTS', key, this.pick(EXPIRING)]],
      [['INCR', key]],
      [['SET', key, 'again', 'EX', '100']],
      [['MULTI'], ['GET', key], ['SET', this.pick(EXPIRING), 'x'], ['EXEC']],
      [['MULTI'], ['TTL', key], ['EXEC']],
      [['EVAL', "redis.call('GET', KEYS[1]); return redis.call('SET', KEYS[2], 'y')", '2', key, this.pick(EXPIRING)]],
      [['EVAL', "return redis.call('EXISTS', KEYS[1])", '1', key]],
      [['RENAME', key, 'renamed']],
      // KEYS skips an expired key without deleting it; EXISTS then does.
      [
        ['KEYS', '*'],
        ['EXISTS', key],
      ],
    ]);
    return { kind: 'lazy-expiry', setup: [['SET', key, 'short', 'PX', '1']], ms: 10, access };
  }

  /** The next step: mostly one command, sometimes a MULTI block, a pause, or a served blocking command. */
  next(): EffectStep {
    const r = this.rnd.next();
    if (r < 0.06) return this.lazyExpiry();
    if (r < 0.1) return this.blocked();
    if (r < 0.16) {
      return { kind: 'transaction', queued: Array.from({ length: 1 + this.int(4) }, () => this.command()) };
    }
    if (r < 0.2) return { kind: 'command', argv: ['SELECT', this.pick(['0', '0', '3'])] };
    if (r < 0.26) {
      const source = this.pick(['sl', 'ss', 'sz']);
      const fill: Record<string, string[]> = {
        sl: ['RPUSH', 'sl', String(this.int(30)), 'x', String(this.int(30))],
        ss: ['SADD', 'ss', String(this.int(30)), String(this.int(30))],
        sz: ['ZADD', 'sz', String(this.int(9)), String(this.int(30))],
      };
      return { kind: 'command', argv: fill[source]! };
    }
    return { kind: 'command', argv: this.command() };
  }
}
