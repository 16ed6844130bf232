// The exact stream: for the same client commands, the bytes our master sends its replicas and
// writes to its AOF must be the bytes Debian's redis-server 7.0 sends and writes. Each server gets a
// raw replica connection (REPLCONF listening-port, PSYNC ? -1, the RDB payload skipped; see
// test/support/replica-tap.ts) and appendonly yes; the same seeded workloads run on both; then the
// two replication streams, and the two AOFs' INCR files, are compared command by command, each
// command's RESP bytes exactly. A difference prints the first differing pair with the commands
// before it.
//
// What is normalised, and nothing else:
//  - PING (sent every repl-ping-replica-period, a matter of time; the period is also set to an hour)
//    and REPLCONF GETACK are dropped from the replication streams;
//  - an argument that is a unix time in milliseconds (13 digits) on both sides may differ by up to
//    TIME_TOLERANCE_MS: relative expiries become absolute times (SET EX -> SET PXAT, EXPIRE ->
//    PEXPIREAT, RESTORE ttl -> ABSTTL) and XCLAIM carries a delivery TIME, computed from each
//    server's clock a moment apart. Stream ids are always explicit (never `*`), and active expiry
//    is off on both (DEBUG SET-ACTIVE-EXPIRE 0), so keys expire only when read.
//
// Workloads: RandomCommands (strings, keys, lists, hashes, sets, sorted sets, MULTI/WATCH blocks,
// SELECT/SWAPDB, served blocking pops) and RandomEffects (streams with consumer groups, HLL, geo,
// expirations of every form, lazily expired keys, EVAL/FCALL, SORT STORE, served blocking
// commands), each with lazyfree-lazy-* off and on (with aof-timestamp-enabled: the AOF reader skips
// the #TS annotations); evictions under maxmemory; the queued-command
// errors that make EXEC fail with EXECABORT (or not).
//
// EXACT_STREAM_DUMP=<dir> also writes both streams and AOFs there as text, one command a line.
// `npm test` runs a few hundred commands per workload (about a minute). A longer run:
//   EXACT_STREAM_STEPS=5000 EXACT_STREAM_SEEDS=1,2,3 node test/run.mjs test/integration/replication/exact-stream-differential.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { startServer, type RunningServer } from '../../support/servers.js';
import { RespClient, show, type Reply } from '../../support/resp-client.js';
import { REDIS_SERVER_VERSION } from '../../support/differential.js';
import { readAofIncrementCommands, ReplicaTap, type StreamCommand } from '../../support/replica-tap.js';
import { RandomCommands, type RandomStep } from '../../support/random-commands.js';
import { FUNCTION_LIBRARY, RandomEffects, RESTORE_PAYLOAD, type EffectStep } from '../../support/random-effects.js';

const STEPS = Number(process.env.EXACT_STREAM_STEPS ?? 500);
const SEEDS = (process.env.EXACT_STREAM_SEEDS ?? '11,12').split(',').map(Number);
const TIME_TOLERANCE_MS = 3000;

const BASE_ARGS = [
  '--enable-debug-command',
  'yes',
  '--appendonly',
  'yes',
  '--repl-diskless-sync',
  'no',
  '--repl-ping-replica-period',
  '3600',
  '--repl-timeout',
  '3600',
];
const LAZYFREE_ON = ['lazy-eviction', 'lazy-expire', 'lazy-server-del', 'lazy-user-del', 'lazy-user-flush'].flatMap((name) => [
  `--lazyfree-${name}`,
  'yes',
]);

/** One server with its connections: the workload's, a waiter for blocking commands, an admin, the tap. */
interface Side {
  kind: 'ours' | 'redis';
  server: RunningServer;
  client: RespClient;
  waiter: RespClient;
  admin: RespClient;
  tap: ReplicaTap;
}

/** A printable argv, long arguments shortened. */
function describe_(argv: readonly string[]): string {
  const shown = argv.slice(0, 14).map((a) => JSON.stringify(a.length > 40 ? `${a.slice(0, 40)}…` : a));
  return shown.join(' ') + (argv.length > 14 ? ` …(${argv.length} args)` : '');
}

/** Whether two commands of a stream are the same, up to unix times in ms a moment apart. */
export function sameCommand(a: StreamCommand, b: StreamCommand): boolean {
  if (a.raw.equals(b.raw)) return true;
  if (a.argv.length !== b.argv.length) return false;
  return a.argv.every((arg, i) => {
    const other = b.argv[i]!;
    if (arg === other) return true;
    return /^\d{13}$/.test(arg) && /^\d{13}$/.test(other) && Math.abs(Number(arg) - Number(other)) <= TIME_TOLERANCE_MS;
  });
}

/** Asserts the two command lists are the same; on a difference shows the first pair with context. */
function assertSameStream(what: string, ours: StreamCommand[], theirs: StreamCommand[]): void {
  const length = Math.max(ours.length, theirs.length);
  for (let i = 0; i < length; i++) {
    const [a, b] = [ours[i], theirs[i]];
    if (a && b && sameCommand(a, b)) continue;
    const context = (list: StreamCommand[]) => list.slice(Math.max(0, i - 8), i).map((c) => `    ${describe_(c.argv)}`);
    assert.fail(
      [
        `${what}: command ${i} differs (of ${ours.length} ours, ${theirs.length} redis-server ${REDIS_SERVER_VERSION})`,
        `  ours:         ${a ? describe_(a.argv) : '(nothing)'}`,
        `  redis-server: ${b ? describe_(b.argv) : '(nothing)'}`,
        `  the commands before (ours):`,
        ...context(ours),
        `  the commands before (redis-server):`,
        ...context(theirs),
        `  and after (ours / redis-server):`,
        ...ours.slice(i + 1, i + 4).map((c) => `    ${describe_(c.argv)}`),
        '    /',
        ...theirs.slice(i + 1, i + 4).map((c) => `    ${describe_(c.argv)}`),
      ].join('\n'),
    );
  }
}

/** The replication stream without what depends on time alone (PING, REPLCONF GETACK). */
function withoutHeartbeats(commands: StreamCommand[]): StreamCommand[] {
  return commands.filter(({ argv }) => {
    const name = argv[0]!.toUpperCase();
    return !(name === 'PING' && argv.length === 1) && !(name === 'REPLCONF' && argv[1]?.toUpperCase() === 'GETACK');
  });
}

/** Two servers, ours and redis-server, each with a tap and an AOF, driven with the same commands. */
class StreamPair {
  private marks = 0;
  /** How many commands of each side's stream and AOF earlier comparisons covered. */
  private compared = [
    { stream: 0, aof: 0 },
    { stream: 0, aof: 0 },
  ];
  /** The last commands sent, for a failure message. */
  readonly history: string[] = [];

  private constructor(readonly sides: Side[]) {}

  static async start(args: string[] = []): Promise<StreamPair> {
    const servers = await Promise.all([startServer('ours', [...BASE_ARGS, ...args]), startServer('redis', [...BASE_ARGS, ...args])]);
    const sides = await Promise.all(
      servers.map(async (server, i): Promise<Side> => {
        const [client, waiter, admin] = await Promise.all([1, 2, 3].map(() => RespClient.open(server.port)));
        await admin!.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
        const tap = await ReplicaTap.attach(server.port);
        return { kind: i === 0 ? 'ours' : 'redis', server, client: client!, waiter: waiter!, admin: admin!, tap };
      }),
    );
    return new StreamPair(sides);
  }

  /** Sends argv to both (on the workload connections); returns both replies, shown. */
  async both(argv: Array<string | Buffer>, on: 'client' | 'admin' = 'client'): Promise<[unknown, unknown]> {
    this.history.push(describe_(argv.map((a) => (Buffer.isBuffer(a) ? '<bytes>' : a))));
    if (this.history.length > 30) this.history.shift();
    const [a, b] = await Promise.all(this.sides.map((side) => side[on].call(...argv)));
    return [show(a as Reply), show(b as Reply)];
  }

  /** Sends argv to both and asserts the same reply. */
  async same(argv: Array<string | Buffer>, on: 'client' | 'admin' = 'client'): Promise<unknown> {
    const [a, b] = await this.both(argv, on);
    assert.deepEqual(a, b, `reply to ${describe_(argv.map(String))} differs (ours, then redis-server)`);
    return a;
  }

  /**
   * A blocking command on the waiter connection (in the workload connection's database), then
   * `during` on the workload connection once the waiter is blocked (or answered) on both.
   */
  async blocked(waiterArgv: string[], during: Array<Array<string | Buffer>>): Promise<void> {
    this.history.push(`(waiter) ${describe_(waiterArgv)}`);
    const replies = await Promise.all(
      this.sides.map(async (side) => {
        const info = String(show(await side.client.call('CLIENT', 'INFO')));
        await side.waiter.call('SELECT', /\bdb=(\d+)/.exec(info)![1]!);
        let answered = false;
        const reply = side.waiter.call(...waiterArgv).then((r) => {
          answered = true;
          return show(r);
        });
        for (let attempt = 0; !answered; attempt++) {
          if (/^blocked_clients:1\r?$/m.test(String(show(await side.admin.call('INFO', 'clients'))))) break;
          if (attempt > 2000) throw new Error(`${side.kind}: ${waiterArgv[0]} neither blocked nor answered`);
          await new Promise((r) => setTimeout(r, 1));
        }
        return reply;
      }),
    );
    for (const argv of during) await this.both(argv);
    await Promise.all(replies);
  }

  /**
   * Waits until both streams and both AOFs hold everything sent so far (a marker write), then
   * compares them. `label` names the workload in a failure.
   */
  async assertSameStreams(label: string): Promise<void> {
    const mark = `mark-${++this.marks}`;
    await this.same(['SET', '__mark__', mark], 'admin');
    const [ours, theirs] = (await Promise.all(this.sides.map((side) => this.settled(side, mark)))).map((all, i) => {
      // Each comparison covers what was written since the previous one, so that one difference
      // does not fail every later test too.
      const since = { stream: all.stream.slice(this.compared[i]!.stream), aof: all.aof.slice(this.compared[i]!.aof) };
      this.compared[i] = { stream: all.stream.length, aof: all.aof.length };
      return since;
    });
    const context = `\nthe last commands sent:\n  ${this.history.join('\n  ')}`;
    if (process.env.EXACT_STREAM_DUMP) {
      // Both streams as text, one command a line, for diff(1).
      for (const [i, kind] of ['ours', 'redis'].entries()) {
        const text = (commands: StreamCommand[]) => commands.map((c) => describe_(c.argv)).join('\n');
        writeFileSync(
          join(process.env.EXACT_STREAM_DUMP, `${label.replace(/\//g, '-')}.${kind}.stream`),
          text([ours!, theirs!][i]!.stream),
        );
        writeFileSync(join(process.env.EXACT_STREAM_DUMP, `${label.replace(/\//g, '-')}.${kind}.aof`), text([ours!, theirs!][i]!.aof));
      }
    }
    try {
      assertSameStream(`${label}: the replication stream`, ours!.stream, theirs!.stream);
      assertSameStream(`${label}: the AOF`, ours!.aof, theirs!.aof);
    } catch (error) {
      (error as Error).message += context;
      throw error;
    }
  }

  private async settled(side: Side, mark: string): Promise<{ stream: StreamCommand[]; aof: StreamCommand[] }> {
    const endsWithMark = (commands: StreamCommand[]) => commands.at(-1)?.argv[2] === mark;
    const dir = join(side.server.dir, 'appendonlydir');
    for (let attempt = 0; attempt < 500; attempt++) {
      const stream = withoutHeartbeats(side.tap.commands());
      const aof = readAofIncrementCommands(dir);
      if (endsWithMark(stream) && endsWithMark(aof)) return { stream, aof };
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`${side.kind}: the marker ${mark} never reached both the stream and the AOF`);
  }

  async close(): Promise<void> {
    for (const side of this.sides) {
      side.tap.close();
      for (const c of [side.client, side.waiter, side.admin]) c.close();
    }
    await Promise.all(this.sides.map((side) => side.server.stop()));
  }
}

/** Runs RandomCommands' steps (its scans and DUMP steps only read, and are left out). */
async function runRandomCommands(pair: StreamPair, seed: number, steps: number): Promise<void> {
  const stream = new RandomCommands(seed);
  for (let i = 0; i < steps; i++) {
    const step: RandomStep = stream.next();
    if (step.kind === 'command') await pair.both(step.command.argv);
    else if (step.kind === 'blocked') await pair.blocked(step.waiter, [...step.during.map((c) => c.argv)]);
    else if (step.kind === 'transaction') {
      if (step.watch.length) await pair.both(['WATCH', ...step.watch]);
      for (const c of step.before) await pair.both(c.argv);
      await pair.both(['MULTI']);
      for (const c of step.queued) await pair.both(c.argv);
      await pair.both([step.end]);
    }
  }
}

/** Runs RandomEffects' steps. */
async function runRandomEffects(pair: StreamPair, seed: number, steps: number): Promise<void> {
  const effects = new RandomEffects(seed);
  // One payload for both, so that RESTORE's arguments are the same on both.
  await pair.same(['SET', '__payload__', 'restored value'], 'admin');
  const payload = (await pair.sides[1]!.admin.call('DUMP', '__payload__')) as Buffer;
  const withPayload = (argv: string[]) => argv.map((a) => (a === RESTORE_PAYLOAD ? payload : a));
  for (let i = 0; i < steps; i++) {
    const step: EffectStep = effects.next();
    if (step.kind === 'command') await pair.both(withPayload(step.argv));
    else if (step.kind === 'lazy-expiry') {
      for (const argv of step.setup) await pair.both(argv);
      await new Promise((r) => setTimeout(r, step.ms));
      for (const argv of step.access) await pair.both(argv);
    } else if (step.kind === 'blocked') await pair.blocked(step.waiter, step.during.map(withPayload));
    else {
      await pair.both(['MULTI']);
      for (const argv of step.queued) await pair.both(withPayload(argv));
      await pair.both(['EXEC']);
    }
  }
}

/**
 * A step of a scenario: a command on the workload connection, or (admin) on another one, or one
 * whose reply lists a set's members (unordered: in hash-table order, which servers need not share).
 */
type ScenarioStep = string[] | { admin: string[] } | { unordered: string[] };

/**
 * Cases found by the random workloads or asked for by name, each small enough to read: the replies
 * must be the same, and so must the streams.
 */
const SCENARIOS: Record<string, ScenarioStep[]> = {
  'XADD with an explicit id of milliseconds alone is propagated as written': [
    ['XADD', 'xs', '1000', 'f', 'v'],
    ['XADD', 'xs', '1001-*', 'f', 'v'],
    ['XADD', 'xs', '1002-5', 'f', 'v'],
  ],
  'a unit in another database: SELECT goes before MULTI (EXEC, EVAL, a lazy expiry)': [
    ['SELECT', '3'],
    ['SET', 'in3', '1'],
    { admin: ['SET', 'in0', '1'] },
    ['SELECT', '0'],
    ['MULTI'],
    ['SET', 'a', '1'],
    ['SELECT', '3'],
    ['SET', 'b', '1'],
    ['EXEC'],
    { admin: ['SET', 'stream-now-in-0', '1'] },
    ['EVAL', "redis.call('SET', 'c', 1); return redis.call('INCR', 'c')", '0'],
  ],
  'SET with an expiry and NX/XX/GET is propagated as SET key value PXAT ms': [
    ['SET', 'k', 'v', 'PXAT', '99999999999000', 'NX'],
    ['SET', 'k', 'v', 'PXAT', '99999999999000', 'XX', 'GET'],
    ['SET', 'k', 'v', 'EXAT', '99999999999', 'GET'],
    ['SET', 'k', 'v', 'EX', '100', 'XX'],
    ['SET', 'k', 'v2', 'GET'],
    ['GETEX', 'k', 'PXAT', '99999999999000'],
    ['GETEX', 'k', 'EX', '100'],
    ['GETEX', 'k', 'PERSIST'],
    ['SETEX', 'k', '100', 'v'],
    ['INCRBYFLOAT', 'n', '1.5'],
    ['EXPIRE', 'k', '100', 'GT'],
    ['EXPIRE', 'k', '0'],
  ],
  'a key found expired is deleted lazily (DEL or UNLINK), in the unit of the command that found it': [
    { admin: ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'] },
    ['SET', 'e1', 'v', 'PX', '1'],
    ['SET', 'e2', 'v', 'PX', '1'],
    ['DEBUG', 'SLEEP', '0.01'],
    ['GET', 'e1'],
    ['MSET', 'e2', 'x', 'other', 'y'],
    ['SET', 'e1', 'v', 'PX', '1'],
    ['DEBUG', 'SLEEP', '0.01'],
    ['MULTI'],
    ['EXISTS', 'e1'],
    ['EXEC'],
  ],
  'SCAN and RANDOMKEY delete the expired keys they meet each in a unit of its own': [
    ['SELECT', '7'],
    ['SET', 'only', 'v', 'PX', '1'],
    ['DEBUG', 'SLEEP', '0.01'],
    ['RANDOMKEY'],
    ['SET', 'only', 'v', 'PX', '1'],
    ['DEBUG', 'SLEEP', '0.01'],
    ['SCAN', '0'],
    ['SET', 'only', 'v', 'PX', '1'],
    ['DEBUG', 'SLEEP', '0.01'],
    ['MULTI'],
    ['SCAN', '0'],
    ['SET', 'then', '1'],
    ['EXEC'],
    ['SELECT', '0'],
  ],
  'evictions under maxmemory: each key alone, DEL or UNLINK, before the command that caused it': [
    ['FLUSHALL'],
    ['SET', 'kept', '1'],
    ['SET', 'volatile', 'v', 'PXAT', '99999999999000'],
    { admin: ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-lru'] },
    { admin: ['CONFIG', 'SET', 'maxmemory', '1'] },
    ['GET', 'kept'],
    ['SET', 'denied', '1'],
    { admin: ['CONFIG', 'SET', 'maxmemory', '0'] },
    ['SELECT', '4'],
    ['SET', 'volatile4', 'v', 'EX', '1000'],
    ['MULTI'],
    ['SET', 'queued', '1'],
    { admin: ['CONFIG', 'SET', 'maxmemory', '1'] },
    ['EXEC'],
    { admin: ['CONFIG', 'SET', 'maxmemory', '0'] },
    ['SELECT', '0'],
    { admin: ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'] },
  ],
  'BITFIELD whose writes all fail under OVERFLOW FAIL propagates nothing, even when the string grew': [
    ['SET', 'bf', 'g'],
    ['BITFIELD', 'bf', 'OVERFLOW', 'FAIL', 'GET', 'i64', '12', 'SET', 'u8', '29', '9223372036854775807'],
    ['BITFIELD', 'newbf', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '0', '100'],
    ['STRLEN', 'bf'],
    ['EXISTS', 'newbf'],
    ['BITFIELD', 'bf', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '0', '1', 'INCRBY', 'u2', '0', '100'],
  ],
  'PUBLISH and SPUBLISH go to replicas, not to the AOF, alone or in a transaction': [
    ['PUBLISH', 'news', 'hello'],
    ['SPUBLISH', 'shard', 'hello'],
    ['MULTI'],
    ['SET', 'p', '1'],
    ['PUBLISH', 'news', 'in a transaction'],
    ['EXEC'],
    ['MULTI'],
    ['PUBLISH', 'news', 'one'],
    ['PUBLISH', 'news', 'two'],
    ['EXEC'],
    ['EVAL', "redis.call('SET', 'p', 2); return redis.call('PUBLISH', 'news', 'from a script')", '0'],
  ],
  'SPOP and blocking moves become their deterministic forms (one member, so the pick is the same)': [
    ['SADD', 'one', 'm'],
    ['SPOP', 'one'],
    ['SADD', 'one', 'm'],
    ['SPOP', 'one', '1'],
    ['SADD', 'one', 'm', 'n'],
    { unordered: ['SPOP', 'one', '5'] },
    ['SADD', 'two', 'a', 'b', 'c'],
    { unordered: ['SPOP', 'two', '3'] },
    ['RPUSH', 'src', 'x', 'y'],
    ['BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0'],
    ['BRPOPLPUSH', 'src', 'dst', '0'],
    ['BLMPOP', '0', '1', 'dst', 'LEFT', 'COUNT', '5'],
    ['ZADD', 'zz', '1', 'a', '2', 'b'],
    ['BZPOPMIN', 'zz', '0'],
    ['BZMPOP', '0', '1', 'zz', 'MAX', 'COUNT', '3'],
  ],
  'EXECABORT: an unknown command or a wrong arity queued dooms the transaction': [
    ['MULTI'],
    ['SET', 'a', '1'],
    ['NOSUCHCOMMAND', 'x'],
    ['EXEC'],
    ['MULTI'],
    ['SET', 'a', '1'],
    ['GET'],
    ['EXEC'],
  ],
  'EXECABORT: OOM at queue time dooms the transaction': [
    { admin: ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'] },
    ['MULTI'],
    ['SET', 'a', '1'],
    { admin: ['CONFIG', 'SET', 'maxmemory', '1'] },
    ['GET', 'a'],
    { admin: ['CONFIG', 'SET', 'maxmemory', '0'] },
    ['EXEC'],
  ],
  'EXECABORT: an ACL denial at queue time dooms the transaction': [
    { admin: ['ACL', 'SETUSER', 'limited', 'on', 'nopass', '~*', '+@all', '-incr'] },
    ['AUTH', 'limited', 'x'],
    ['MULTI'],
    ['SET', 'a', '1'],
    ['INCR', 'a'],
    ['EXEC'],
    ['AUTH', 'default', 'x'],
  ],
  'EXECABORT: a command flagged no-multi (SAVE) queued dooms the transaction': [['MULTI'], ['SET', 'a', '1'], ['SAVE'], ['EXEC']],
  'no EXECABORT: WATCH or MULTI inside MULTI, and errors at run time, leave EXEC to run': [
    ['MULTI'],
    ['SET', 'a', '1'],
    ['WATCH', 'a'],
    ['MULTI'],
    ['LPUSH', 'a', 'x'],
    ['INCR', 'a'],
    ['EXEC'],
    ['MULTI'],
    ['SET', 'b', '1'],
    ['DISCARD'],
  ],
};

async function runScenario(pair: StreamPair, steps: ScenarioStep[]): Promise<void> {
  for (const step of steps) {
    if (Array.isArray(step)) await pair.same(step);
    else if ('admin' in step) await pair.same(step.admin, 'admin');
    else {
      const sorted = (reply: unknown) => (Array.isArray(reply) ? reply.map((x) => JSON.stringify(x)).sort() : reply);
      const [a, b] = await pair.both(step.unordered);
      assert.deepEqual(sorted(a), sorted(b), `reply to ${describe_(step.unordered)} differs (ours, then redis-server)`);
    }
  }
}

for (const [name, args] of [
  ['lazyfree-lazy-* off', []],
  // With #TS annotations in the AOF, which the reader skips.
  ['lazyfree-lazy-* on, aof-timestamp-enabled', [...LAZYFREE_ON, '--aof-timestamp-enabled', 'yes']],
] as const) {
  describe(`the replication stream and the AOF, ${name}`, () => {
    let pair: StreamPair;
    before(async () => {
      pair = await StreamPair.start([...args]);
      await pair.same(['FUNCTION', 'LOAD', FUNCTION_LIBRARY]);
    });
    after(async () => {
      await pair?.close();
    });

    for (const [title, steps] of Object.entries(SCENARIOS)) {
      test(title, async () => {
        await runScenario(pair, steps);
        await pair.assertSameStreams(`${title}, ${name}`);
      });
    }

    for (const seed of SEEDS) {
      test(`strings, keys, lists, hashes, sets, zsets, transactions, blocking pops (seed ${seed}, ${STEPS} steps)`, async () => {
        await runRandomCommands(pair, seed, STEPS);
        await pair.assertSameStreams(`RandomCommands seed ${seed}, ${name}`);
      });

      test(`streams and groups, HLL, geo, expirations, lazy expiry, scripts, functions, SORT STORE (seed ${seed}, ${STEPS} steps)`, async () => {
        await runRandomEffects(pair, seed, STEPS);
        await pair.assertSameStreams(`RandomEffects seed ${seed}, ${name}`);
      });
    }
  });
}
