// The engine as a whole against Debian's redis-server 7.0: seeded random streams of thousands of
// commands across every type (strings, keys with TTLs, lists, hashes, sets, sorted sets), with
// errors of every kind, MULTI/EXEC/DISCARD and WATCH blocks, SELECT/SWAPDB between databases and
// full SCAN iterations, compared reply for reply; then the datasets themselves through DEBUG DIGEST
// and DEBUG DIGEST-VALUE of every key.
//
// A failure names its seed and step and shows the commands that led there. Replay one stream with
//   SEED=1234 node --import tsx --test test/integration/engine-differential-random.test.ts
// (several seeds: SEED=1,2,3; a longer stream: STEPS=20000).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPair, type Pair } from '../support/differential.js';
import { RespClient, show } from '../support/resp-client.js';
import { RandomCommands, type Comparison, type RandomCommand, type RandomStep } from '../support/random-commands.js';

const SEEDS = process.env.SEED ? process.env.SEED.split(',').map(Number) : [7001, 7002, 7003];
const STEPS = Number(process.env.STEPS ?? 2500);
/** Databases the stream touches (SELECT, MOVE, COPY DB, SWAPDB). */
const DATABASES = [0, 1, 2];
const CHECKPOINT_EVERY = 500;

let pair: Pair;
/** Connections of their own for checks, so the stream's connection keeps its database and state. */
let inspectOurs: RespClient;
let inspectRedis: RespClient;

/** Whether two replies agree under `compare` (see Comparison). */
function agree(ours: unknown, theirs: unknown, compare: Comparison, name: string): boolean {
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  const bothArrays = Array.isArray(ours) && Array.isArray(theirs);
  switch (compare) {
    case 'exact':
      return same(ours, theirs);
    case 'unordered':
      return bothArrays ? same(sortedJson(ours), sortedJson(theirs)) : same(ours, theirs);
    case 'pairs':
      return bothArrays ? same(sortedJson(chunkPairs(ours)), sortedJson(chunkPairs(theirs))) : same(ours, theirs);
    case 'ttl': {
      if (typeof ours !== 'number' || typeof theirs !== 'number' || ours < 0 || theirs < 0) return same(ours, theirs);
      // The two servers started the same relative TTL a moment apart.
      const tolerance = name.startsWith('P') ? 2000 : 2;
      return Math.abs(ours - theirs) <= tolerance;
    }
    case 'shape':
      if (bothArrays) return ours.length === theirs.length;
      if (typeof ours === 'string' && typeof theirs === 'string') return true;
      return same(ours, theirs);
  }
}

function sortedJson(items: unknown[]): string[] {
  return items.map((x) => JSON.stringify(x)).sort();
}

function chunkPairs(flat: unknown[]): unknown[][] {
  const out: unknown[][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}

/** An argv as text for a failure report, with long arguments and long vectors shortened. */
function describeArgv(argv: readonly string[]): string {
  const shown = argv.slice(0, 12).map((a) => JSON.stringify(a.length > 30 ? `${a.slice(0, 30)}…` : a));
  return shown.join(' ') + (argv.length > 12 ? ` …(${argv.length} args)` : '');
}

class Mismatch extends Error {}

/** Runs one random stream; throws a Mismatch naming the step and the commands before it. */
class StreamRun {
  private readonly history: string[] = [];

  constructor(
    private readonly seed: number,
    private step = 0,
  ) {}

  private record(argv: readonly string[]) {
    this.history.push(`#${this.step} ${describeArgv(argv)}`);
    if (this.history.length > 40) this.history.shift();
  }

  private fail(what: string, ours: unknown, theirs: unknown): never {
    throw new Mismatch(
      [
        `seed ${this.seed}, step ${this.step}: ${what}`,
        `  ours:         ${JSON.stringify(ours)}`,
        `  redis-server: ${JSON.stringify(theirs)}`,
        `replay with SEED=${this.seed} STEPS=${this.step + 1}; the last commands sent:`,
        ...this.history.map((line) => `  ${line}`),
      ].join('\n'),
    );
  }

  private async both(argv: readonly string[]): Promise<[unknown, unknown]> {
    this.record(argv);
    const [a, b] = await Promise.all([pair.ours.call(...argv), pair.redis.call(...argv)]);
    return [show(a), show(b)];
  }

  private async command({ argv, compare }: RandomCommand): Promise<void> {
    const [a, b] = await this.both(argv);
    if (!agree(a, b, compare, argv[0]!.toUpperCase())) this.fail(`reply to ${describeArgv(argv)} differs (${compare})`, a, b);
  }

  /** Iterates a SCAN-family command to its end on each server; the union of what each returned must agree. */
  private async scan(argv: string[], cursorAt: number, compare: 'unordered' | 'pairs'): Promise<void> {
    this.record(argv);
    const iterate = async (client: RespClient): Promise<unknown> => {
      const seen = new Map<string, unknown>();
      let cursor = '0';
      for (let round = 0; round < 100_000; round++) {
        const reply = show(await client.call(...argv.map((a, i) => (i === cursorAt ? cursor : a))));
        if (!Array.isArray(reply)) return reply;
        const [next, items] = reply as [string, string[]];
        // SCAN may return an element more than once; only what was returned counts.
        const entries = compare === 'pairs' ? chunkPairs(items) : items.map((x) => [x]);
        for (const entry of entries) seen.set(JSON.stringify(entry), entry);
        cursor = next;
        if (cursor === '0') return [...seen.keys()].sort();
      }
      return 'SCAN never returned cursor 0';
    };
    const [a, b] = await Promise.all([iterate(pair.ours), iterate(pair.redis)]);
    if (!agree(a, b, 'exact', argv[0]!)) this.fail(`a full ${describeArgv(argv)} iteration differs`, a, b);
  }

  private async transaction(step: Extract<RandomStep, { kind: 'transaction' }>): Promise<void> {
    if (step.watch.length) await this.command({ argv: ['WATCH', ...step.watch], compare: 'exact' });
    for (const command of step.before) await this.command(command);
    await this.command({ argv: ['MULTI'], compare: 'exact' });
    // Queued commands answer QUEUED (or an error that dooms the EXEC): compared exactly.
    for (const { argv } of step.queued) await this.command({ argv, compare: 'exact' });
    const [a, b] = await this.both([step.end]);
    const queued = step.queued.filter(({ argv }) => argv[0] !== 'MULTI');
    const elementwise = Array.isArray(a) && Array.isArray(b) && a.length === queued.length && b.length === queued.length;
    const agreed = elementwise
      ? queued.every(({ compare, argv }, i) => agree(a[i], b[i], compare, argv[0]!.toUpperCase()))
      : agree(a, b, 'exact', step.end);
    if (!agreed) this.fail(`${step.end} replies differ`, a, b);
  }

  async run(steps: number): Promise<void> {
    const stream = new RandomCommands(this.seed);
    for (; this.step < steps; this.step++) {
      const next = stream.next();
      if (next.kind === 'command') await this.command(next.command);
      else if (next.kind === 'scan') await this.scan(next.argv, next.cursorAt, next.compare);
      else await this.transaction(next);
      if (this.step % CHECKPOINT_EVERY === CHECKPOINT_EVERY - 1) await this.sameDatasets();
    }
    await this.sameDatasets();
  }

  /** DEBUG DIGEST of the whole dataset; on a difference, the keys whose DIGEST-VALUE differs. */
  async sameDatasets(): Promise<void> {
    const [a, b] = await Promise.all([inspectOurs.call('DEBUG', 'DIGEST'), inspectRedis.call('DEBUG', 'DIGEST')]);
    const differing = await differingKeys();
    if (differing.length || !agree(show(a), show(b), 'exact', 'DEBUG')) {
      this.fail(`the datasets differ after this step; keys whose values differ: ${JSON.stringify(differing)}`, show(a), show(b));
    }
  }
}

/**
 * Per database: every key whose DEBUG DIGEST-VALUE is not the same on both, and DBSIZE when it
 * differs (it counts keys that are logically expired but not yet removed, which KEYS hides).
 */
async function differingKeys(): Promise<string[]> {
  const differing: string[] = [];
  for (const db of DATABASES) {
    const [[ourKeys, ourSize], [theirKeys, theirSize]] = await Promise.all(
      [inspectOurs, inspectRedis].map(async (client) => {
        await client.call('SELECT', db);
        return [(show(await client.call('KEYS', '*')) as string[]).sort(), await client.call('DBSIZE')] as const;
      }),
    );
    if (ourSize !== theirSize) differing.push(`db${db} DBSIZE ${String(ourSize)} (ours) vs ${String(theirSize)}`);
    for (const key of new Set([...ourKeys!, ...theirKeys!])) {
      const [a, b] = await Promise.all([inspectOurs.call('DEBUG', 'DIGEST-VALUE', key), inspectRedis.call('DEBUG', 'DIGEST-VALUE', key)]);
      if (JSON.stringify(show(a)) !== JSON.stringify(show(b))) differing.push(`db${db}:${key}`);
    }
  }
  return differing;
}

describe('random command streams across all types', () => {
  before(async () => {
    pair = await startPair(['--enable-debug-command', 'yes']);
    [inspectOurs, inspectRedis] = await Promise.all(pair.servers.map((s) => RespClient.open(s.port)));
  });
  after(async () => {
    inspectOurs?.close();
    inspectRedis?.close();
    await pair?.close();
  });

  for (const seed of SEEDS) {
    test(`seed ${seed}: ${STEPS} steps get the same replies, and the datasets end equal`, async () => {
      await Promise.all([pair.ours.call('FLUSHALL'), pair.redis.call('FLUSHALL')]);
      await Promise.all([pair.ours.call('SELECT', 0), pair.redis.call('SELECT', 0)]);
      await new StreamRun(seed).run(STEPS);
      const digest = show(await inspectOurs.call('DEBUG', 'DIGEST'));
      assert.notEqual(digest, '0'.repeat(40), 'the stream left some data to compare');
    });
  }
});

/** The generator's own comparisons, checked on known replies: a comparison that accepts anything is a defect. */
describe('reply comparisons', () => {
  test('each comparison accepts what two correct servers may differ in, and nothing else', () => {
    assert.ok(agree(['a', 'b'], ['b', 'a'], 'unordered', 'SMEMBERS'));
    assert.ok(!agree(['a', 'b'], ['a', 'c'], 'unordered', 'SMEMBERS'));
    assert.ok(agree(['f', '1', 'g', '2'], ['g', '2', 'f', '1'], 'pairs', 'HGETALL'));
    assert.ok(!agree(['f', '1', 'g', '2'], ['f', '2', 'g', '1'], 'pairs', 'HGETALL'));
    assert.ok(agree(1000, 999, 'ttl', 'TTL'));
    assert.ok(!agree(1000, 990, 'ttl', 'TTL'));
    assert.ok(!agree(-1, 5, 'ttl', 'TTL'));
    assert.ok(agree(100000, 99000, 'ttl', 'PTTL'));
    assert.ok(agree(['x', 'y'], ['y', 'z'], 'shape', 'SRANDMEMBER'));
    assert.ok(!agree(['x'], ['y', 'z'], 'shape', 'SRANDMEMBER'));
    assert.ok(!agree(null, 'k', 'shape', 'RANDOMKEY'));
    assert.ok(!agree({ error: 'ERR x' }, { error: 'ERR y' }, 'shape', 'HRANDFIELD'));
    assert.ok(!agree(['a', 'b'], ['b', 'a'], 'exact', 'LRANGE'));
  });

  test('the same seed gives the same stream', () => {
    const take = (seed: number) => {
      const stream = new RandomCommands(seed);
      return Array.from({ length: 200 }, () => JSON.stringify(stream.next()));
    };
    assert.deepEqual(take(5), take(5));
    assert.notDeepEqual(take(5), take(6));
  });
});
