// Differential testing: the same commands go to our node and to Debian's redis-server, and the
// replies must be identical. Commands whose replies have no defined order (SMEMBERS, HGETALL,
// KEYS...) are compared as multisets via `unordered`.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { startServer, type RunningServer } from './servers.js';
import { RespClient, show, type Reply } from './resp-client.js';
import { redisVersionOf } from './peers.mjs';

/** The redis-server the replies are compared with, named in every difference reported. */
export const REDIS_SERVER_VERSION = redisVersionOf('redis-server') ?? 'of an unknown version';

export interface Pair {
  ours: RespClient;
  redis: RespClient;
  servers: RunningServer[];
  /** Sends argv to both and asserts equal replies; returns our reply. */
  same(argv: Array<string | Buffer | number>, opts?: { unordered?: boolean }): Promise<Reply>;
  /** same() for each command in turn; each is also run on `mirror` (an in-process node) when given. */
  sameAll(commands: Array<Array<string | Buffer | number>>, mirror?: { run(...argv: string[]): unknown }): Promise<void>;
  close(): Promise<void>;
}

/** A reply that must be an array, as plain strings (bulks decoded); fails the test otherwise. */
export function stringArray(reply: Reply): string[] {
  const shown = show(reply);
  assert.ok(Array.isArray(shown), `expected an array, got ${JSON.stringify(shown)}`);
  return shown as string[];
}

/** Sorts aggregate replies (recursively at the top level only) so unordered results compare. */
function canonical(r: Reply, unordered: boolean): unknown {
  const s = show(r);
  if (!unordered) return s;
  if (Array.isArray(s)) return [...s].map((x) => JSON.stringify(x)).sort();
  if (s && typeof s === 'object' && 'map' in s) return (s as { map: unknown[] }).map.map((x) => JSON.stringify(x)).sort();
  if (s && typeof s === 'object' && 'set' in s) return (s as { set: unknown[] }).set.map((x) => JSON.stringify(x)).sort();
  return s;
}

/** Starts one node of each kind (extra `--directive value` args go to both) and connects to both. */
export async function startPair(args: string[] = []): Promise<Pair> {
  const servers = await Promise.all([startServer('ours', args), startServer('redis', args)]);
  const [ours, redis] = await Promise.all(servers.map((s) => RespClient.open(s.port)));
  const pair: Pair = {
    ours: ours!,
    redis: redis!,
    servers,
    async same(argv, opts = {}) {
      const [a, b] = await Promise.all([ours!.call(...argv), redis!.call(...argv)]);
      assert.deepEqual(
        canonical(a, !!opts.unordered),
        canonical(b, !!opts.unordered),
        `reply to ${argv.map(String).join(' ')} differs (ours, then redis-server ${REDIS_SERVER_VERSION})`,
      );
      return a;
    },
    async sameAll(commands, mirror) {
      for (const argv of commands) {
        await pair.same(argv);
        mirror?.run(...argv.map((a) => (Buffer.isBuffer(a) ? a.toString('latin1') : String(a))));
      }
    },
    async close() {
      ours!.close();
      redis!.close();
      await Promise.all(servers.map((s) => s.stop()));
    },
  };
  return pair;
}

/**
 * The pair of a whole test file: started before its first test, closed after its last (call at
 * the top level of the file). The members reach the started pair.
 */
export function pairForFile(args: string[] = []): Pair {
  let started: Pair | undefined;
  before(async () => {
    started = await startPair(args);
  });
  after(async () => {
    await started?.close();
  });
  const get = (): Pair => {
    if (!started) throw new Error('the pair is started in before()');
    return started;
  };
  return {
    get ours() {
      return get().ours;
    },
    get redis() {
      return get().redis;
    },
    get servers() {
      return get().servers;
    },
    same: (argv, opts) => get().same(argv, opts),
    sameAll: (commands, mirror) => get().sameAll(commands, mirror),
    close: () => get().close(),
  };
}

/** Runs the same scenario against our node and redis-server and asserts both saw the same. */
export async function onBoth<T>(pair: Pair, scenario: (port: number, open: () => Promise<RespClient>) => Promise<T>): Promise<T> {
  const opened: RespClient[] = [];
  const run = async (server: RunningServer) => {
    const open = async () => {
      const client = await RespClient.open(server.port);
      opened.push(client);
      return client;
    };
    return scenario(server.port, open);
  };
  try {
    const [ours, redis] = await Promise.all(pair.servers.map(run));
    assert.deepEqual(plain(ours), plain(redis), `ours, then redis-server ${REDIS_SERVER_VERSION}`);
    return plain(ours) as T;
  } finally {
    for (const client of opened) client.close();
  }
}

/** A scenario's result with every reply made readable (bulk strings as text), recursively. */
export function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => {
      const buffer = v as { type?: string; data?: number[] };
      return buffer?.type === 'Buffer' && Array.isArray(buffer.data) ? Buffer.from(buffer.data).toString('latin1') : v;
    }),
  );
}
