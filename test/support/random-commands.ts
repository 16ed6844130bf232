// A seeded generator of random commands across every data type, for the engine-wide differential
// test: strings, keys with TTLs, lists, hashes, sets, sorted sets, commands that must fail (wrong
// type, arity, numbers, syntax), SELECT, and the pieces of MULTI/WATCH blocks. Each command comes
// with how its reply is compared, because some replies legitimately differ between two correct
// servers: the order of hash-table iteration, random picks, and remaining times.
import { seededRandom } from './command-families.js';

/**
 * How two replies to the same command are compared:
 *  - exact: identical;
 *  - unordered: the same elements in any order (SMEMBERS, KEYS, SUNION...);
 *  - pairs: a flat field/value (or member/score) array, the same pairs in any order (HGETALL);
 *  - ttl: remaining or absolute expiry times, equal within a tolerance (the two servers set a
 *    relative TTL a moment apart), and exactly equal when negative (-1 no TTL, -2 no key);
 *  - shape: random picks (SRANDMEMBER, RANDOMKEY...): the same kind of reply and length.
 */
export type Comparison = 'exact' | 'unordered' | 'pairs' | 'ttl' | 'shape';

export type Arg = string;

export interface RandomCommand {
  argv: Arg[];
  compare: Comparison;
}

/** What the stream does next: one command, a full SCAN-family iteration, or a transaction. */
export type RandomStep =
  | { kind: 'command'; command: RandomCommand }
  /** Iterate with `argv` (cursor at `cursorAt`) until the cursor is 0; compare the union. */
  | { kind: 'scan'; argv: Arg[]; cursorAt: number; compare: 'unordered' | 'pairs' }
  /** WATCH (optional), commands before MULTI, queued commands, then EXEC or DISCARD. */
  | { kind: 'transaction'; watch: Arg[]; before: RandomCommand[]; queued: RandomCommand[]; end: 'EXEC' | 'DISCARD' }
  /** DUMP `key` on both servers, then each RESTOREs (REPLACE) into `target` what the other dumped. */
  | { kind: 'dump'; key: Arg; target: Arg }
  /**
   * A second connection runs `waiter` (a blocking pop that waits up to WAIT_SECONDS); once it is
   * blocked, the stream runs `during`, which may serve it; then the waiter's reply is compared.
   */
  | { kind: 'blocked'; waiter: Arg[]; during: RandomCommand[] };

/** How long a waiter of a 'blocked' step waits when nothing serves it. */
export const WAIT_SECONDS = '0.3';

const exact = (...argv: Arg[]): RandomCommand => ({ argv, compare: 'exact' });
const unordered = (...argv: Arg[]): RandomCommand => ({ argv, compare: 'unordered' });
const pairs = (...argv: Arg[]): RandomCommand => ({ argv, compare: 'pairs' });
const ttl = (...argv: Arg[]): RandomCommand => ({ argv, compare: 'ttl' });
const shape = (...argv: Arg[]): RandomCommand => ({ argv, compare: 'shape' });

/**
 * Keys by the type they usually hold; 15% of picks take any key, so commands meet values of
 * other types (WRONGTYPE) and RENAME/COPY/MOVE mix the pools.
 */
const KEYS = {
  string: ['s0', 's1', 's2', 's3'],
  list: ['l0', 'l1', 'l2'],
  hash: ['h0', 'h1', 'h2'],
  set: ['t0', 't1', 't2'],
  zset: ['z0', 'z1', 'z2'],
} as const;
const ALL_KEYS: readonly string[] = Object.values(KEYS).flat();
/**
 * Sorted sets for the lexicographic commands, written only with score 0 and kept out of ALL_KEYS:
 * lex ranges over members of different scores are unspecified, and Redis's answer then depends on
 * its skiplist's random levels.
 */
const LEX_KEYS = ['lex0', 'lex1'];

/** Expiry times either far in the future or already past, so no key expires during a run. */
const TTL_SECONDS = ['-1', '0', '5000', '100000', '86400'];
const FAR_UNIX_TIME = '99999999999';

export class RandomCommands {
  private readonly rnd;

  constructor(seed: number) {
    this.rnd = seededRandom(seed);
  }

  private int(n: number): number {
    return this.rnd.int(n);
  }

  private pick<T>(items: readonly T[]): T {
    return this.rnd.pick(items);
  }

  private chance(p: number): boolean {
    return this.rnd.next() < p;
  }

  private key(type: keyof typeof KEYS): string {
    return this.chance(0.15) ? this.pick(ALL_KEYS) : this.pick(KEYS[type]);
  }

  private keys(type: keyof typeof KEYS, max = 3): string[] {
    return Array.from({ length: 1 + this.int(max) }, () => this.key(type));
  }

  /** Short values, integers (intset, "int" strings), floats, binary bytes and long values (encodings). */
  private value(): string {
    switch (this.int(10)) {
      case 0:
        return '';
      case 1:
      case 2:
        return String(this.int(40) - 10);
      case 3:
        return this.pick(['1.5', '-0.25', '1e3', '3.0', '9223372036854775807', '-9223372036854775808', '007']);
      case 4:
        return 'v'.repeat(20 + this.int(60));
      case 5:
        return this.pick(['\x00', 'a\x00b', '\xff\xfe', 'line\r\nbreak']);
      default:
        return this.pick(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    }
  }

  private values(max = 4): string[] {
    return Array.from({ length: 1 + this.int(max) }, () => this.value());
  }

  private integer(): string {
    return this.pick(['0', '1', '-1', '5', '-7', '100', '9223372036854775807', '-9223372036854775808', 'x', '1.5', '']);
  }

  private index(): string {
    return String(this.int(20) - 10);
  }

  private score(): string {
    return this.pick(['0', '1', '2', '2.5', '-3', '10', '1e2', '-0', 'inf', '-inf', '+inf', '0.1', '3']);
  }

  private scoreBound(): string {
    return this.pick(['-inf', '+inf', '0', '(0', '1', '(2.5', '3', '(10', '100', 'x', '(']);
  }

  private lexBound(): string {
    return this.pick(['-', '+', '[a', '(a', '[c', '(d', '[', 'a', '[\xff']);
  }

  private member(): string {
    return this.chance(0.7) ? this.pick(['a', 'b', 'c', 'd', 'e', 'f', '1', '2', '3', '10']) : this.value();
  }

  private end(): string {
    return this.pick(['LEFT', 'RIGHT', 'left', 'Right']);
  }

  private withCount(prefix: Arg[], count: () => string): Arg[] {
    return this.chance(0.5) ? [...prefix, 'COUNT', count()] : prefix;
  }

  private stringCommand(): RandomCommand {
    const k = () => this.key('string');
    const gens: Array<() => RandomCommand> = [
      () => exact('SET', k(), this.value(), ...this.setOptions()),
      () => exact('SET', k(), this.value()),
      () => exact('GET', k()),
      () => exact('SETNX', k(), this.value()),
      () => exact('SETEX', k(), this.pick(['5000', '0', '-1', 'x']), this.value()),
      () => exact('PSETEX', k(), this.pick(['5000000', '0']), this.value()),
      () => exact('GETSET', k(), this.value()),
      () => exact('GETDEL', k()),
      () => exact('GETEX', k(), ...this.pick([[], ['PERSIST'], ['EX', '5000'], ['PX', '0'], ['EXAT', FAR_UNIX_TIME], ['EX']])),
      () => exact('MGET', ...this.keys('string', 4)),
      () => exact('MSET', ...this.keys('string', 3).flatMap((key) => [key, this.value()])),
      () => exact('MSETNX', ...this.keys('string', 2).flatMap((key) => [key, this.value()])),
      () => exact('INCR', k()),
      () => exact('DECR', k()),
      () => exact('INCRBY', k(), this.integer()),
      () => exact('DECRBY', k(), this.integer()),
      () => exact('INCRBYFLOAT', k(), this.pick(['1.5', '-0.1', '1e2', '3', 'inf', 'x', '0.3333333333333333', '1e-5'])),
      () => exact('APPEND', k(), this.value()),
      () => exact('STRLEN', k()),
      () => exact('GETRANGE', k(), this.index(), this.index()),
      () => exact('SETRANGE', k(), String(this.int(40)), this.value()),
      () => exact('SETBIT', k(), String(this.int(80)), this.pick(['0', '1', '2'])),
      () => exact('GETBIT', k(), String(this.int(80))),
      () =>
        exact('BITCOUNT', k(), ...this.pick([[], [this.index(), this.index()], [this.index(), this.index(), this.pick(['BIT', 'BYTE'])]])),
      () => exact('BITPOS', k(), this.pick(['0', '1']), ...this.pick([[], [this.index()], [this.index(), this.index()]])),
      () => exact('BITOP', this.pick(['AND', 'OR', 'XOR']), k(), ...this.keys('string', 3)),
      () => exact('BITOP', 'NOT', k(), k()),
      () => exact('LCS', k(), k(), ...this.pick([[], ['LEN'], ['IDX'], ['IDX', 'MINMATCHLEN', '2', 'WITHMATCHLEN']])),
      () => exact('BITFIELD', k(), ...this.bitfieldOps()),
      () => exact('BITFIELD_RO', k(), 'GET', this.pick(['u8', 'i5', 'u1']), String(this.int(40))),
    ];
    return this.pick(gens)();
  }

  private bitfieldOps(): Arg[] {
    const type = () => this.pick(['u8', 'i8', 'u4', 'i16', 'u1', 'i64', 'u63', 'u64', 'x8']);
    const offset = () => this.pick([String(this.int(40)), `#${this.int(4)}`]);
    const ops: Array<() => Arg[]> = [
      () => ['GET', type(), offset()],
      () => ['SET', type(), offset(), this.integer()],
      () => ['INCRBY', type(), offset(), this.pick(['1', '-1', '100', '-300', '9223372036854775807'])],
      () => ['OVERFLOW', this.pick(['WRAP', 'SAT', 'FAIL', 'BAD'])],
    ];
    return Array.from({ length: 1 + this.int(3) }, () => this.pick(ops)()).flat();
  }

  private setOptions(): Arg[] {
    // No past EXAT/PXAT: Redis 7.0 keeps such a key, logically expired, until an access or its
    // active expire cycle removes it, so DBSIZE and DEBUG DIGEST would depend on timing.
    const options: Arg[][] = [
      ['NX'],
      ['XX'],
      ['GET'],
      ['KEEPTTL'],
      ['EX', this.pick(TTL_SECONDS)],
      ['PX', '9000000'],
      ['EXAT', FAR_UNIX_TIME],
      ['PXAT', `${FAR_UNIX_TIME}000`],
    ];
    return Array.from({ length: 1 + this.int(2) }, () => this.pick(options)).flat();
  }

  private keyCommand(): RandomCommand {
    const k = () => this.key(this.pick(Object.keys(KEYS) as Array<keyof typeof KEYS>));
    const gens: Array<() => RandomCommand> = [
      () => exact('DEL', k(), k()),
      () => exact('UNLINK', k()),
      () => exact('EXISTS', k(), k(), k()),
      () => exact('TYPE', k()),
      () => exact('RENAME', k(), k()),
      () => exact('RENAMENX', k(), k()),
      () => exact('COPY', k(), k(), ...this.pick([[], ['REPLACE'], ['DB', '1'], ['DB', '1', 'REPLACE'], ['DB', '16']])),
      () => exact('MOVE', k(), this.pick(['1', '2', '0', '16', 'x'])),
      () => exact('EXPIRE', k(), this.pick(TTL_SECONDS), ...(this.chance(0.3) ? [this.pick(['NX', 'XX', 'GT', 'LT'])] : [])),
      () => exact('PEXPIRE', k(), this.pick(['100000000', '0', '-5', 'x'])),
      () => exact('EXPIREAT', k(), this.pick([FAR_UNIX_TIME, '1', '9999999999999999'])),
      () => exact('PEXPIREAT', k(), this.pick(['99999999999999', '1'])),
      () => exact('PERSIST', k()),
      () => ttl('TTL', k()),
      () => ttl('PTTL', k()),
      () => ttl('EXPIRETIME', k()),
      () => ttl('PEXPIRETIME', k()),
      () => exact('TOUCH', k(), k()),
      () => exact('OBJECT', 'ENCODING', k()),
      // Not OBJECT IDLETIME: a small integer value is Redis's shared object, whose access time any
      // key holding the same number moves, so a fresh SET can report minutes of idleness.
      () => exact('OBJECT', this.pick(['FREQ', 'NOPE', 'REFCOUNT']), k()),
      () => unordered('KEYS', this.pick(['*', 's*', '?0', '[hz]*', 'nomatch'])),
      () => shape('RANDOMKEY'),
      () => exact('DBSIZE'),
    ];
    return this.pick(gens)();
  }

  private listCommand(): RandomCommand {
    const k = () => this.key('list');
    const someKeys = () => this.keys('list');
    const gens: Array<() => RandomCommand> = [
      () => exact('LPUSH', k(), ...this.values()),
      () => exact('RPUSH', k(), ...this.values()),
      () => exact('RPUSH', k(), ...this.values(8)),
      () => exact('LPUSHX', k(), ...this.values()),
      () => exact('RPUSHX', k(), ...this.values()),
      () => exact('LPOP', k(), ...(this.chance(0.5) ? [this.pick(['0', '1', '3', '-1', 'x'])] : [])),
      () => exact('RPOP', k(), ...(this.chance(0.5) ? [this.pick(['0', '2', '10'])] : [])),
      () => exact('LLEN', k()),
      () => exact('LRANGE', k(), this.index(), this.index()),
      () => exact('LRANGE', k(), '0', '-1'),
      () => exact('LINDEX', k(), this.index()),
      () => exact('LSET', k(), this.index(), this.value()),
      () => exact('LINSERT', k(), this.pick(['BEFORE', 'AFTER', 'MIDDLE']), this.value(), this.value()),
      () => exact('LREM', k(), String(this.int(5) - 2), this.value()),
      () => exact('LTRIM', k(), this.index(), this.index()),
      () =>
        exact(
          'LPOS',
          k(),
          this.value(),
          ...this.pick([[], ['RANK', '-1'], ['COUNT', '0'], ['RANK', '2', 'COUNT', '2'], ['MAXLEN', '3'], ['RANK', '0']]),
        ),
      () => exact('LMOVE', k(), k(), this.end(), this.end()),
      () => exact('RPOPLPUSH', k(), k()),
      () => {
        const from = someKeys();
        return exact('LMPOP', String(from.length), ...from, this.end(), ...(this.chance(0.5) ? ['COUNT', this.pick(['1', '3', '0'])] : []));
      },
      // Blocking pops with a 10 ms timeout: served at once when a list has elements, null otherwise.
      () => exact('BLPOP', ...someKeys(), '0.01'),
      () => exact('BRPOP', ...someKeys(), '0.01'),
      () => exact('BLMOVE', k(), k(), this.end(), this.end(), '0.01'),
    ];
    return this.pick(gens)();
  }

  private hashCommand(): RandomCommand {
    const k = () => this.key('hash');
    const field = () => (this.chance(0.8) ? this.pick(['f1', 'f2', 'f3', 'f4', 'n', 'x']) : this.value());
    const fields = () => Array.from({ length: 1 + this.int(3) }, field);
    const gens: Array<() => RandomCommand> = [
      () => exact('HSET', k(), ...fields().flatMap((f) => [f, this.value()])),
      () => exact('HSETNX', k(), field(), this.value()),
      () => exact('HMSET', k(), ...fields().flatMap((f) => [f, this.value()])),
      () => exact('HGET', k(), field()),
      () => exact('HMGET', k(), ...fields()),
      () => pairs('HGETALL', k()),
      () => exact('HDEL', k(), ...fields()),
      () => exact('HEXISTS', k(), field()),
      () => exact('HLEN', k()),
      () => unordered('HKEYS', k()),
      () => unordered('HVALS', k()),
      () => exact('HSTRLEN', k(), field()),
      () => exact('HINCRBY', k(), field(), this.integer()),
      () => exact('HINCRBYFLOAT', k(), field(), this.pick(['1.5', '-2', '1e1', 'x', '0.1'])),
      () => shape('HRANDFIELD', k(), ...this.pick([[], ['2'], ['-5'], ['3', 'WITHVALUES'], ['-2', 'WITHVALUES']])),
      // Enough fields to pass hash-max-listpack-entries (512), or a value over 64 bytes.
      () => exact('HSET', k(), ...Array.from({ length: 520 }, (_, i) => [`bulk${i}`, String(i)]).flat()),
    ];
    return this.pick(gens)();
  }

  private setCommand(): RandomCommand {
    const k = () => this.key('set');
    const members = () => Array.from({ length: 1 + this.int(4) }, () => this.member());
    const gens: Array<() => RandomCommand> = [
      () => exact('SADD', k(), ...members()),
      () => exact('SADD', k(), ...Array.from({ length: 1 + this.int(4) }, () => String(this.int(30)))),
      () => exact('SREM', k(), ...members()),
      () => unordered('SMEMBERS', k()),
      () => exact('SISMEMBER', k(), this.member()),
      () => exact('SMISMEMBER', k(), ...members()),
      () => exact('SCARD', k()),
      // SPOP picks at random; asking for more than a set holds makes it take everything.
      () => unordered('SPOP', k(), this.pick(['100000', '0'])),
      () => shape('SRANDMEMBER', k(), ...this.pick([[], ['3'], ['-4'], ['0']])),
      () => exact('SMOVE', k(), k(), this.member()),
      () => unordered('SINTER', ...this.keys('set')),
      () => exact('SINTERCARD', '2', k(), k(), ...this.pick([[], ['LIMIT', '1'], ['LIMIT', '-1']])),
      () => unordered('SUNION', ...this.keys('set')),
      () => unordered('SDIFF', ...this.keys('set')),
      () => exact(this.pick(['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']), k(), ...this.keys('set')),
      // Past set-max-intset-entries (512) the intset becomes a hashtable.
      () => exact('SADD', k(), ...Array.from({ length: 515 }, (_, i) => String(i * 3))),
    ];
    return this.pick(gens)();
  }

  private zsetCommand(): RandomCommand {
    const k = () => this.key('zset');
    const lex = () => this.pick(LEX_KEYS);
    const scored = () => Array.from({ length: 1 + this.int(3) }, () => [this.score(), this.member()]).flat();
    const withScores = (): Arg[] => (this.chance(0.5) ? ['WITHSCORES'] : []);
    const limit = (): Arg[] => (this.chance(0.3) ? ['LIMIT', this.pick(['0', '1', '-1']), this.pick(['1', '2', '-1', '0'])] : []);
    const weights = (n: number): Arg[] =>
      this.chance(0.3) ? ['WEIGHTS', ...Array.from({ length: n }, () => this.pick(['1', '2', '0.5', '-1']))] : [];
    const aggregate = (): Arg[] => (this.chance(0.3) ? ['AGGREGATE', this.pick(['SUM', 'MIN', 'MAX'])] : []);
    const gens: Array<() => RandomCommand> = [
      () => exact('ZADD', k(), ...scored()),
      () =>
        exact('ZADD', k(), ...this.pick([['NX'], ['XX'], ['GT'], ['LT'], ['CH'], ['XX', 'CH'], ['GT', 'CH'], ['NX', 'GT']]), ...scored()),
      () => exact('ZADD', k(), 'INCR', this.score(), this.member()),
      () => exact('ZADD', k(), this.pick(['nan', 'x', '1']), this.member(), ...this.pick([[], ['2']])),
      () => exact('ZREM', k(), this.member(), this.member()),
      () => exact('ZSCORE', k(), this.member()),
      () => exact('ZMSCORE', k(), this.member(), this.member()),
      () => exact('ZINCRBY', k(), this.score(), this.member()),
      () => exact('ZCARD', k()),
      () => exact('ZCOUNT', k(), this.scoreBound(), this.scoreBound()),
      () => exact('ZADD', lex(), ...Array.from({ length: 1 + this.int(3) }, () => ['0', this.member()]).flat()),
      () => exact('ZADD', lex(), ...Array.from({ length: 130 }, (_, i) => ['0', `bulk${i}`]).flat()),
      () => exact('ZLEXCOUNT', lex(), this.lexBound(), this.lexBound()),
      () => exact('ZRANGE', k(), this.index(), this.index(), ...this.pick([[], ['REV']]), ...withScores()),
      () => exact('ZRANGE', k(), this.scoreBound(), this.scoreBound(), 'BYSCORE', ...this.pick([[], ['REV']]), ...limit(), ...withScores()),
      () => exact('ZRANGE', lex(), this.lexBound(), this.lexBound(), 'BYLEX', ...this.pick([[], ['REV']]), ...limit()),
      () => exact('ZRANGESTORE', k(), k(), this.index(), this.index(), ...this.pick([[], ['REV']])),
      () => exact('ZRANGEBYSCORE', k(), this.scoreBound(), this.scoreBound(), ...withScores(), ...limit()),
      () => exact('ZREVRANGEBYSCORE', k(), this.scoreBound(), this.scoreBound(), ...withScores(), ...limit()),
      () => exact('ZRANGEBYLEX', lex(), this.lexBound(), this.lexBound(), ...limit()),
      () => exact('ZREVRANGEBYLEX', lex(), this.lexBound(), this.lexBound(), ...limit()),
      () => exact('ZREVRANGE', k(), this.index(), this.index(), ...withScores()),
      () => exact(this.pick(['ZRANK', 'ZREVRANK']), k(), this.member()),
      () => exact(this.pick(['ZPOPMIN', 'ZPOPMAX']), k(), ...this.pick([[], ['2'], ['0'], ['-1']])),
      () => exact(this.pick(['BZPOPMIN', 'BZPOPMAX']), ...this.keys('zset'), '0.01'),
      () => {
        const from = this.keys('zset');
        return exact('ZMPOP', String(from.length), ...from, this.pick(['MIN', 'MAX']), ...this.withCount([], () => this.pick(['1', '3'])));
      },
      () => exact('ZREMRANGEBYRANK', k(), this.index(), this.index()),
      () => exact('ZREMRANGEBYSCORE', k(), this.scoreBound(), this.scoreBound()),
      () => exact('ZREMRANGEBYLEX', lex(), this.lexBound(), this.lexBound()),
      () => exact(this.pick(['ZRANGE', 'ZRANGEBYLEX', 'ZREMRANGEBYLEX']), 's0', '-', '+'),
      () => {
        const from = this.keys('zset');
        return exact(this.pick(['ZUNIONSTORE', 'ZINTERSTORE']), k(), String(from.length), ...from, ...weights(from.length), ...aggregate());
      },
      () => {
        const from = this.keys('zset');
        return exact(
          this.pick(['ZUNION', 'ZINTER']),
          String(from.length),
          ...from,
          ...weights(from.length),
          ...aggregate(),
          ...withScores(),
        );
      },
      () => {
        const from = this.keys('zset');
        return exact('ZDIFF', String(from.length), ...from, ...withScores());
      },
      () => {
        const from = this.keys('zset');
        return exact('ZDIFFSTORE', k(), String(from.length), ...from);
      },
      () => exact('ZINTERCARD', '2', k(), k()),
      () => shape('ZRANDMEMBER', k(), ...this.pick([[], ['2'], ['-3'], ['2', 'WITHSCORES']])),
      // Past zset-max-listpack-entries (128) the listpack becomes a skiplist.
      () => exact('ZADD', k(), ...Array.from({ length: 130 }, (_, i) => [String(i % 7), `bulk${i}`]).flat()),
    ];
    return this.pick(gens)();
  }

  /** Commands every server refuses the same way: arity, unknown names, bad numbers, syntax. */
  private failingCommand(): RandomCommand {
    return this.pick([
      exact('GET'),
      exact('SET', 's0'),
      exact('HSET', 'h0', 'f'),
      exact('ZADD', 'z0', '1'),
      exact('LPUSH', 'l0'),
      exact('NOSUCHCOMMAND', 'a'),
      exact('INCRBY', 's0', 'ten'),
      exact('LRANGE', 'l0', 'a', '1'),
      exact('EXPIRE', 's0', '1.5'),
      exact('SET', 's0', 'v', 'NX', 'XX'),
      exact('SET', 's0', 'v', 'EX', '10', 'PX', '10'),
      exact('ZADD', 'z0', 'NX', 'XX', '1', 'a'),
      exact('ZADD', 'z0', 'GT', 'LT', '1', 'a'),
      exact('ZRANGE', 'z0', '0', '1', 'LIMIT', '0', '1'),
      exact('ZUNIONSTORE', 'z0', '0', 'z1'),
      exact('ZINTER', '2', 'z0'),
      exact('SINTERCARD', '0', 't0'),
      exact('LMPOP', '1', 'l0', 'UP'),
      exact('GETEX', 's0', 'EX', '10', 'PERSIST'),
      exact('OBJECT', 'ENCODING'),
      exact('SCAN', 'notacursor'),
      exact('SELECT', '16'),
      exact('EXPIRE', 's0', '100', 'NX', 'XX'),
      exact('BITCOUNT', 's0', '0'),
      exact('SETRANGE', 's0', '-1', 'x'),
      exact('SETBIT', 's0', '4294967296', '1'),
    ]);
  }

  /** One command of any family (not a transaction or a SCAN iteration). */
  command(): RandomCommand {
    const r = this.rnd.next();
    if (r < 0.17) return this.stringCommand();
    if (r < 0.33) return this.keyCommand();
    if (r < 0.49) return this.listCommand();
    if (r < 0.64) return this.hashCommand();
    if (r < 0.79) return this.setCommand();
    if (r < 0.96) return this.zsetCommand();
    return this.failingCommand();
  }

  private scan(): RandomStep {
    const match = (): Arg[] => (this.chance(0.4) ? ['MATCH', this.pick(['*', 'a*', '?', '*1*', 'bulk1*', 's?'])] : []);
    const count = (): Arg[] => (this.chance(0.5) ? ['COUNT', this.pick(['1', '3', '1000'])] : []);
    switch (this.int(4)) {
      case 0:
        return {
          kind: 'scan',
          argv: [
            'SCAN',
            '0',
            ...match(),
            ...count(),
            ...(this.chance(0.3) ? ['TYPE', this.pick(['string', 'list', 'hash', 'set', 'zset', 'none'])] : []),
          ],
          cursorAt: 1,
          compare: 'unordered',
        };
      case 1:
        return { kind: 'scan', argv: ['SSCAN', this.key('set'), '0', ...match(), ...count()], cursorAt: 2, compare: 'unordered' };
      case 2:
        return { kind: 'scan', argv: ['HSCAN', this.key('hash'), '0', ...match(), ...count()], cursorAt: 2, compare: 'pairs' };
      default:
        return { kind: 'scan', argv: ['ZSCAN', this.key('zset'), '0', ...match(), ...count()], cursorAt: 2, compare: 'pairs' };
    }
  }

  private transaction(): RandomStep {
    const watching = this.chance(0.5);
    const watch = watching ? this.keys(this.pick(Object.keys(KEYS) as Array<keyof typeof KEYS>), 2) : [];
    // Commands between WATCH and MULTI may or may not change a watched key: EXEC tells.
    const before = watching ? Array.from({ length: this.int(3) }, () => this.command()) : [];
    const queued = Array.from({ length: this.int(5) }, () =>
      this.chance(0.05) ? exact('MULTI') : this.chance(0.05) ? exact('SELECT', this.pick(['0', '1'])) : this.command(),
    );
    return { kind: 'transaction', watch, before, queued, end: this.chance(0.85) ? 'EXEC' : 'DISCARD' };
  }

  private blocked(): RandomStep {
    const lists = this.keys('list', 2);
    const zsets = this.keys('zset', 2);
    const waiter = this.pick<Arg[]>([
      ['BLPOP', ...lists, WAIT_SECONDS],
      ['BRPOP', ...lists, WAIT_SECONDS],
      ['BLMOVE', lists[0]!, this.key('list'), this.end(), this.end(), WAIT_SECONDS],
      ['BRPOPLPUSH', lists[0]!, this.key('list'), WAIT_SECONDS],
      ['BLMPOP', WAIT_SECONDS, String(lists.length), ...lists, this.end(), 'COUNT', this.pick(['1', '2', '5'])],
      ['BZPOPMIN', ...zsets, WAIT_SECONDS],
      ['BZPOPMAX', ...zsets, WAIT_SECONDS],
      ['BZMPOP', WAIT_SECONDS, String(zsets.length), ...zsets, this.pick(['MIN', 'MAX']), 'COUNT', this.pick(['1', '3'])],
    ]);
    // Mostly writes to the keys waited on (of the right type or not), sometimes anything.
    const during = Array.from({ length: 1 + this.int(3) }, () =>
      this.pick<() => RandomCommand>([
        () => exact(this.pick(['RPUSH', 'LPUSH']), this.pick(lists), ...this.values()),
        () => exact('ZADD', this.pick(zsets), ...Array.from({ length: 1 + this.int(3) }, () => [this.score(), this.member()]).flat()),
        () => exact('LMOVE', this.key('list'), this.pick(lists), this.end(), this.end()),
        () => exact('ZUNIONSTORE', this.pick(zsets), '1', this.key('zset')),
        () => exact('SET', this.pick([...lists, ...zsets]), this.value()),
        () => this.command(),
      ])(),
    );
    return { kind: 'blocked', waiter, during };
  }

  /** The next step of the stream. */
  next(): RandomStep {
    const r = this.rnd.next();
    if (r < 0.06) return this.transaction();
    if (r < 0.08) return this.scan();
    if (r < 0.08) return { kind: 'dump', key: this.pick(ALL_KEYS), target: this.pick(ALL_KEYS) };
    if (r < 0.09) return this.blocked();
    if (r < 0.095) return { kind: 'command', command: exact('SELECT', this.pick(['0', '0', '1', '2'])) };
    if (r < 0.0915) return { kind: 'command', command: exact('SWAPDB', this.pick(['0', '1']), this.pick(['1', '2'])) };
    if (r < 0.0925) return { kind: 'command', command: exact('FLUSHDB') };
    return { kind: 'command', command: this.command() };
  }
}
