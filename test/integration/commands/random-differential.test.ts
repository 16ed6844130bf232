// The engine as a whole against Debian's redis-server 7.0: seeded random streams of thousands of
// commands across every type (strings, keys with TTLs, lists, hashes, sets, sorted sets), with
// errors of every kind, MULTI/EXEC/DISCARD and WATCH blocks, SELECT/SWAPDB between databases,
// full SCAN iterations, DUMP payloads RESTOREd crosswise (ours into redis-server and back), and
// blocking pops on a second connection served (or not) by the stream's writes, compared reply for
// reply, over RESP2 and RESP3. Along the way the keyspace notifications both
// servers publish must be the same, event for event; and the datasets themselves must be equal
// through DEBUG DIGEST and DEBUG DIGEST-VALUE of every key.
//
// A failure names its seed and step and shows the commands that led there. Replay one stream with
//   SEED=1234 node --import tsx --test test/integration/commands/random-differential.test.ts
// (several seeds: SEED=1,2,3; a longer stream: STEPS=20000; over RESP3: PROTOCOL=3).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPair, type Pair } from '../../support/differential.js';
import { RespClient, show } from '../../support/resp-client.js';
import { RandomCommands, type Comparison, type RandomCommand, type RandomStep } from '../../support/random-commands.js';

interface StreamSpec {
  seed: number;
  protocol: 2 | 3;
}
const STREAMS: StreamSpec[] = process.env.SEED
  ? process.env.SEED.split(',').map((seed) => ({ seed: Number(seed), protocol: process.env.PROTOCOL === '3' ? 3 : 2 }))
  : [
      { seed: 7001, protocol: 2 },
      { seed: 7002, protocol: 2 },
      { seed: 7003, protocol: 3 },
    ];
const STEPS = Number(process.env.STEPS ?? 2500);
/** Databases the stream touches (SELECT, MOVE, COPY DB, SWAPDB). */
const DATABASES = [0, 1, 2];
/** Datasets are compared this often, keyspace notifications more often (it costs one PING). */
const DATASET_CHECK_EVERY = 500;
const EVENT_CHECK_EVERY = 25;

let pair: Pair;
/** Connections of their own for checks, so the stream's connection keeps its database and state. */
let inspectOurs: RespClient;
let inspectRedis: RespClient;
let eventsOurs: KeyspaceEvents;
let eventsRedis: KeyspaceEvents;
/** Second connections that block in BLPOP & co. while the stream's connection serves them. */
let waiterOurs: RespClient;
let waiterRedis: RespClient;

/** A connection subscribed to every keyspace notification of a server, in every database. */
class KeyspaceEvents {
  private constructor(private readonly client: RespClient) {}

  static async open(port: number): Promise<KeyspaceEvents> {
    const client = await RespClient.open(port);
    await client.call('PSUBSCRIBE', '__key*__:*');
    return new KeyspaceEvents(client);
  }

  /**
   * The events published since the last call. A server sends a subscriber's messages in order, so
   * once it answers a PING sent now, every event of the commands already answered has arrived.
   */
  async take(): Promise<unknown[]> {
    const isPong = (r: unknown) => Array.isArray(r) && r[0] === 'pong';
    const events: unknown[] = this.client.unsolicited.splice(0).map(show);
    // The PING's answer, or the first event still in flight, comes back as the call's reply.
    const first = show(await this.client.call('PING'));
    if (isPong(first)) return events;
    events.push(first);
    for (;;) {
      const at = this.client.unsolicited.findIndex((r) => isPong(show(r)));
      if (at >= 0) {
        events.push(
          ...this.client.unsolicited
            .splice(0, at + 1)
            .slice(0, at)
            .map(show),
        );
        return events;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  close() {
    this.client.close();
  }
}

/** The elements of an aggregate reply (as show() gives it): arrays, RESP3 sets, RESP3 maps' pairs. */
function elements(reply: unknown): unknown[] | null {
  if (Array.isArray(reply)) return reply;
  if (reply && typeof reply === 'object' && 'set' in reply) return (reply as { set: unknown[] }).set;
  if (reply && typeof reply === 'object' && 'map' in reply) return (reply as { map: unknown[] }).map;
  return null;
}

/** Field/value pairs: from a flat RESP2 array, or a RESP3 map. */
function pairsOf(reply: unknown): unknown[] | null {
  if (Array.isArray(reply)) return chunkPairs(reply);
  if (reply && typeof reply === 'object' && 'map' in reply) return (reply as { map: unknown[] }).map;
  return null;
}

/** Whether two replies agree under `compare` (see Comparison). */
function agree(ours: unknown, theirs: unknown, compare: Comparison, name: string): boolean {
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  const kindOf = (x: unknown) => (Array.isArray(x) ? 'array' : x && typeof x === 'object' ? Object.keys(x).join() : typeof x);
  switch (compare) {
    case 'exact':
      return same(ours, theirs);
    case 'unordered': {
      const [a, b] = [elements(ours), elements(theirs)];
      return a && b ? kindOf(ours) === kindOf(theirs) && same(sortedJson(a), sortedJson(b)) : same(ours, theirs);
    }
    case 'pairs': {
      const [a, b] = [pairsOf(ours), pairsOf(theirs)];
      return a && b ? kindOf(ours) === kindOf(theirs) && same(sortedJson(a), sortedJson(b)) : same(ours, theirs);
    }
    case 'ttl': {
      if (typeof ours !== 'number' || typeof theirs !== 'number' || ours < 0 || theirs < 0) return same(ours, theirs);
      // The two servers started the same relative TTL a moment apart.
      const tolerance = name.startsWith('P') ? 2000 : 2;
      return Math.abs(ours - theirs) <= tolerance;
    }
    case 'shape': {
      const [a, b] = [elements(ours), elements(theirs)];
      if (a && b) return kindOf(ours) === kindOf(theirs) && a.length === b.length;
      if (typeof ours === 'string' && typeof theirs === 'string') return true;
      return same(ours, theirs);
    }
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
  /** The stream connection's database, which a waiter must select to wait on the same keys. */
  private db = 0;

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
    this.trackSelect(argv, a);
  }

  private trackSelect(argv: readonly string[], reply: unknown) {
    if (argv[0]!.toUpperCase() === 'SELECT' && reply === 'OK') this.db = Number(argv[1]);
  }

  /**
   * A blocking pop on a second connection, then the stream's commands that may serve it. The
   * stream goes on only once each server has the waiter blocked (or answered, when a key already
   * had something to pop), so both servers see the same order of events.
   */
  private async blocked(waiterArgv: string[], during: RandomCommand[]): Promise<void> {
    this.record(['(second connection)', ...waiterArgv]);
    const start = async (waiter: RespClient, inspect: RespClient) => {
      await waiter.call('SELECT', this.db);
      let answered = false;
      const reply = waiter.call(...waiterArgv).then((r) => {
        answered = true;
        return show(r);
      });
      for (let attempt = 0; !answered; attempt++) {
        if (/^blocked_clients:1\r?$/m.test(show(await inspect.call('INFO', 'clients')) as string)) break;
        if (attempt > 1000) throw new Error(`${waiterArgv[0]} neither blocked nor answered`);
        await new Promise((r) => setTimeout(r, 1));
      }
      return reply;
    };
    const replies = await Promise.all([start(waiterOurs, inspectOurs), start(waiterRedis, inspectRedis)]);
    for (const command of during) await this.command(command);
    const [a, b] = await Promise.all(replies);
    if (!agree(a, b, 'exact', waiterArgv[0]!)) this.fail(`the waiting ${describeArgv(waiterArgv)} was answered differently`, a, b);
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

  /** DUMP on both; each server RESTOREs the other's payload, so each must read the other's format. */
  private async dumpRestore(key: string, target: string): Promise<void> {
    this.record(['DUMP', key, '(then RESTORE crosswise into)', target]);
    const [ourPayload, theirPayload] = await Promise.all([pair.ours.call('DUMP', key), pair.redis.call('DUMP', key)]);
    if (!Buffer.isBuffer(ourPayload) || !Buffer.isBuffer(theirPayload)) {
      if (!agree(show(ourPayload), show(theirPayload), 'exact', 'DUMP'))
        this.fail(`reply to DUMP ${key} differs`, show(ourPayload), show(theirPayload));
      return;
    }
    const [a, b] = await Promise.all([
      pair.ours.call('RESTORE', target, '0', theirPayload, 'REPLACE'),
      pair.redis.call('RESTORE', target, '0', ourPayload, 'REPLACE'),
    ]);
    if (!agree(show(a), show(b), 'exact', 'RESTORE'))
      this.fail(`RESTORE ${target} of the other server's DUMP ${key} differs`, show(a), show(b));
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
    if (elementwise) queued.forEach(({ argv }, i) => this.trackSelect(argv, a[i]));
  }

  async run(steps: number): Promise<void> {
    const stream = new RandomCommands(this.seed);
    for (; this.step < steps; this.step++) {
      const next = stream.next();
      if (next.kind === 'command') await this.command(next.command);
      else if (next.kind === 'scan') await this.scan(next.argv, next.cursorAt, next.compare);
      else if (next.kind === 'dump') await this.dumpRestore(next.key, next.target);
      else if (next.kind === 'blocked') await this.blocked(next.waiter, next.during);
      else await this.transaction(next);
      if (this.step % EVENT_CHECK_EVERY === EVENT_CHECK_EVERY - 1) await this.sameEvents();
      if (this.step % DATASET_CHECK_EVERY === DATASET_CHECK_EVERY - 1) await this.sameDatasets();
    }
    await this.sameEvents();
    await this.sameDatasets();
  }

  /** The keyspace notifications since the last check, event for event. */
  async sameEvents(): Promise<void> {
    const [a, b] = await Promise.all([eventsOurs.take(), eventsRedis.take()]);
    const at = a.findIndex((event, i) => JSON.stringify(event) !== JSON.stringify(b[i]));
    if (at >= 0 || a.length !== b.length) {
      const from = Math.max(0, (at >= 0 ? at : Math.min(a.length, b.length)) - 3);
      this.fail(
        `keyspace notifications differ from event ${from} of the last ${EVENT_CHECK_EVERY} steps on`,
        a.slice(from, from + 8),
        b.slice(from, from + 8),
      );
    }
  }

  /**
   * DEBUG DIGEST of the whole dataset (on a difference, the keys whose DIGEST-VALUE differs), and
   * INFO keyspace's key and TTL counts per database (avg_ttl depends on the moment).
   */
  async sameDatasets(): Promise<void> {
    const keyspace = async (client: RespClient) => (show(await client.call('INFO', 'keyspace')) as string).replace(/,avg_ttl=\d+/g, '');
    const [ourKeyspace, theirKeyspace] = await Promise.all([keyspace(inspectOurs), keyspace(inspectRedis)]);
    if (ourKeyspace !== theirKeyspace) this.fail('INFO keyspace differs', ourKeyspace, theirKeyspace);
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
    pair = await startPair(['--enable-debug-command', 'yes', '--notify-keyspace-events', 'KEA']);
    [inspectOurs, inspectRedis] = await Promise.all(pair.servers.map((s) => RespClient.open(s.port)));
    [eventsOurs, eventsRedis] = await Promise.all(pair.servers.map((s) => KeyspaceEvents.open(s.port)));
    [waiterOurs, waiterRedis] = await Promise.all(pair.servers.map((s) => RespClient.open(s.port)));
  });
  after(async () => {
    for (const connection of [inspectOurs, inspectRedis, eventsOurs, eventsRedis, waiterOurs, waiterRedis]) connection?.close();
    await pair?.close();
  });

  for (const { seed, protocol } of STREAMS) {
    test(`seed ${seed}, RESP${protocol}: ${STEPS} steps get the same replies, events and datasets`, async () => {
      for (const client of [pair.ours, pair.redis, waiterOurs, waiterRedis]) {
        await client.call('HELLO', protocol);
        await client.call('FLUSHALL');
        await client.call('SELECT', 0);
      }
      await new StreamRun(seed).run(STEPS);
      const digest = show(await inspectOurs.call('DEBUG', 'DIGEST'));
      assert.notEqual(digest, '0'.repeat(40), 'the stream left some data to compare');
    });
  }
});

/**
 * Concrete cases the random streams found, minimised, with the keyspace events each must publish
 * (events show whether a command counted as a change: the same decision drives WATCH and what is
 * propagated to replicas and the AOF).
 */
describe('cases the random streams found', () => {
  let found: Pair;
  let listeners: KeyspaceEvents[];
  before(async () => {
    found = await startPair(['--notify-keyspace-events', 'KEA']);
    listeners = await Promise.all(found.servers.map((s) => KeyspaceEvents.open(s.port)));
  });
  after(async () => {
    for (const listener of listeners ?? []) listener.close();
    await found?.close();
  });

  async function sameEvents(): Promise<unknown[]> {
    const [ours, theirs] = await Promise.all(listeners.map((l) => l.take()));
    assert.deepEqual(ours, theirs, 'keyspace events differ (ours, then redis-server)');
    return ours!;
  }

  test('SETBIT that leaves the bit as it was is no change: no event, WATCH untouched, but raw-encoded', async () => {
    await found.same(['FLUSHALL']);
    await found.same(['SET', 'k', '1']);
    await found.same(['OBJECT', 'ENCODING', 'k']);
    await sameEvents();
    await found.same(['WATCH', 'k']);
    // '1' is 0x31: bit 0 is already 0, bit 2 already 1.
    await found.same(['SETBIT', 'k', '0', '0']);
    await found.same(['SETBIT', 'k', '2', '1']);
    await found.same(['MULTI']);
    await found.same(['GET', 'k']);
    assert.deepEqual(show(await found.same(['EXEC'])), ['1'], 'the watched key was not modified');
    assert.deepEqual(await sameEvents(), []);
    assert.equal(show(await found.same(['OBJECT', 'ENCODING', 'k'])), 'raw');
    // A flipped bit, or a string that has to grow, is a change.
    await found.same(['SETBIT', 'k', '0', '1']);
    await found.same(['SETBIT', 'k', '20', '0']);
    await found.same(['GET', 'k']);
    assert.equal((await sameEvents()).length, 4, 'two setbit events, each on the keyspace and keyevent channels');
  });

  test('BITFIELD writes that change nothing still leave the string raw-encoded, with no event', async () => {
    await found.same(['FLUSHALL']);
    for (const [value, ops] of [
      ['abc', ['INCRBY', 'u1', '#0', '100', 'GET', 'u63', '6']],
      ['12', ['SET', 'u8', '0', '49']],
      ['abc', ['OVERFLOW', 'FAIL', 'INCRBY', 'u2', '0', '100']],
    ] as const) {
      await found.same(['SET', 'k', value]);
      await sameEvents();
      await found.same(['BITFIELD', 'k', ...ops]);
      assert.deepEqual(await sameEvents(), []);
      assert.equal(show(await found.same(['OBJECT', 'ENCODING', 'k'])), 'raw');
    }
    // Reads alone do not unshare the value.
    await found.same(['SET', 'k', '12']);
    await found.same(['BITFIELD', 'k', 'GET', 'u8', '0']);
    assert.equal(show(await found.same(['OBJECT', 'ENCODING', 'k'])), 'int');
  });
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
    assert.ok(agree({ set: ['a', 'b'] }, { set: ['b', 'a'] }, 'unordered', 'SMEMBERS'));
    assert.ok(!agree({ set: ['a', 'b'] }, ['b', 'a'], 'unordered', 'SMEMBERS'), 'a RESP3 set is not an array');
    assert.ok(
      agree(
        {
          map: [
            ['f', '1'],
            ['g', '2'],
          ],
        },
        {
          map: [
            ['g', '2'],
            ['f', '1'],
          ],
        },
        'pairs',
        'HGETALL',
      ),
    );
    assert.ok(!agree({ map: [['f', '1']] }, { map: [['f', '2']] }, 'pairs', 'HGETALL'));
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
