// Helpers shared by the replication tests: nodes of either kind started as masters or replicas,
// INFO parsing, waiting for a condition with a deadline, random writes of every type, the
// dataset comparison (DEBUG DIGEST on every node), and stopping whatever a test file started.
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { startServer, type RunningServer } from './servers.js';
import { RespClient, show, type Reply } from './resp-client.js';

export type Kind = 'ours' | 'redis';

/** A running node with a client connection. */
export interface Node {
  kind: Kind;
  server: RunningServer;
  client: RespClient;
  port: number;
  /** Sends a command, throwing on an error reply. */
  ok(...argv: Array<string | Buffer | number>): Promise<Reply>;
  info(section?: string): Promise<Map<string, string>>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Settings both kinds get: DEBUG allowed (for DIGEST), full syncs start at once. */
export const BASE_ARGS = ['--enable-debug-command', 'yes', '--repl-diskless-sync-delay', '0'];

/**
 * The nodes of a whole test file (call at the top level): `track` each node a test starts;
 * whatever is still tracked after the file's last test is stopped, resumed first in case a test
 * left it SIGSTOPped. `stop` ends a node early and forgets it.
 */
export function nodesForFile(): { track(node: Node): Node; stop(node: Node): Promise<void> } {
  const nodes: Node[] = [];
  after(async () => {
    for (const n of nodes) n.server.proc.kill('SIGCONT');
    await Promise.all(nodes.map((n) => n.stop()));
  });
  return {
    track(node) {
      nodes.push(node);
      return node;
    },
    async stop(node) {
      nodes.splice(nodes.indexOf(node), 1);
      await node.stop();
    },
  };
}

export async function startNode(kind: Kind, args: string[] = [], opts: { dir?: string; port?: number } = {}): Promise<Node> {
  const server = await startServer(kind, [...BASE_ARGS, ...args], opts);
  const client = await RespClient.open(server.port);
  const node: Node = {
    kind,
    server,
    client,
    port: server.port,
    async ok(...argv) {
      const reply = await client.call(...argv);
      if (isError(reply)) throw new Error(`${kind}:${server.port} ${argv.map(String).join(' ').slice(0, 80)} -> ${reply.error}`);
      return reply;
    },
    async info(section = 'replication') {
      return parseInfo(String(await client.call('INFO', section)));
    },
    async stop(signal) {
      client.close();
      await server.stop(signal);
    },
  };
  return node;
}

/** Starts a replica of `master` and waits until its link is up. */
export async function startReplica(kind: Kind, master: Node, args: string[] = []): Promise<Node> {
  const replica = await startNode(kind, ['--replicaof', `127.0.0.1 ${master.port}`, ...args]);
  await waitFor(`${kind} replica of ${master.port} linked`, async () => (await replica.info()).get('master_link_status') === 'up');
  return replica;
}

export function isError(r: Reply): r is { error: string } {
  return typeof r === 'object' && r !== null && !Array.isArray(r) && !Buffer.isBuffer(r) && 'error' in r;
}

export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields.set(line.slice(0, at), line.slice(at + 1));
  }
  return fields;
}

/** Field names of an INFO section, in order. */
export function infoFieldNames(text: string): string[] {
  return text
    .split('\r\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.slice(0, l.indexOf(':')));
}

/** Polls `check` until it returns true, failing with `what` after the deadline. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Lets the short TTLs of randomWrites pass and makes the master delete those keys (a lookup
 * deletes an expired key on a master; KEYS only skips them), so that the DELs are in the stream
 * before datasets are compared.
 */
export async function expireShortKeys(master: Node): Promise<void> {
  await new Promise((r) => setTimeout(r, 60));
  const shortKeys = Array.from({ length: 20 }, (_, i) => `short:${i}`);
  for (const db of [0, 1, 9])
    await master.client.pipeline([
      ['SELECT', db],
      ['EXISTS', ...shortKeys],
    ]);
  await master.ok('SELECT', 0);
}

/** Waits until every replica acknowledged (and applied) everything `master` produced. */
export async function waitInSync(master: Node, replicas: Node[]): Promise<void> {
  await waitFor('replicas caught up', async () => {
    const offset = (await master.info()).get('master_repl_offset');
    for (const replica of replicas) {
      const info = await replica.info();
      if (info.get('master_link_status') !== 'up' || info.get('slave_repl_offset') !== offset) return false;
    }
    return true;
  });
}

export async function digest(node: Node): Promise<string> {
  return String(await node.ok('DEBUG', 'DIGEST'));
}

/**
 * Asserts every node holds the same dataset as the first; names the keys that differ if not.
 * DEBUG DIGEST covers keys that are logically expired but not yet deleted: a master's active
 * expiry may delete one (and send the DEL) between the two digests, so a difference must last
 * two seconds to count.
 */
export async function assertSameData(nodes: Node[]): Promise<void> {
  const deadline = Date.now() + 2000;
  let expected = await digest(nodes[0]!);
  assert.notEqual(expected, '0'.repeat(40), 'the dataset should not be empty');
  for (const node of nodes.slice(1)) {
    let actual = await digest(node);
    while (actual !== expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expected = await digest(nodes[0]!);
      actual = await digest(node);
    }
    if (actual === expected) continue;
    assert.fail(
      `DEBUG DIGEST of ${node.kind}:${node.port} differs from ${nodes[0]!.kind}:${nodes[0]!.port}: ${await describeDifferences(nodes[0]!, node)}`,
    );
  }
}

/** Keys whose value or TTL differ between two nodes (databases 0-15), for failure messages. */
async function describeDifferences(a: Node, b: Node): Promise<string> {
  const found: string[] = [];
  const keysOf = async (n: Node) => new Set(((await n.ok('KEYS', '*')) as Buffer[]).map((k) => k.toString('latin1')));
  for (let db = 0; db < 16 && found.length < 10; db++) {
    await a.ok('SELECT', db);
    await b.ok('SELECT', db);
    const [ka, kb] = [await keysOf(a), await keysOf(b)];
    for (const key of new Set([...ka, ...kb])) {
      const describe = async (n: Node) =>
        JSON.stringify(
          show(
            (
              await n.client.pipeline([
                ['TYPE', key],
                ['DEBUG', 'DIGEST-VALUE', key],
                ['PTTL', key],
              ])
            ).map((r) => (typeof r === 'number' && r > 0 ? 'ttl' : r)) as Reply,
          ),
        );
      const [da, dbb] = [await describe(a), await describe(b)];
      if (da !== dbb) found.push(`db${db} ${key}: ${da} vs ${dbb}`);
    }
  }
  await a.ok('SELECT', 0);
  await b.ok('SELECT', 0);
  if (found.length) return found.join('; ');
  const keyspace = async (n: Node) => String(await n.ok('INFO', 'keyspace')).replace(/\r\n/g, ' ');
  return `no visible key differs (logically expired keys?); ${await keyspace(a)} vs ${await keyspace(b)}`;
}

/** A small deterministic random generator, so that a failing run can be repeated. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WRITE_COMMANDS = [
  'SET',
  'APPEND',
  'INCRBY',
  'INCRBYFLOAT',
  'DEL',
  'EXPIRE',
  'RPUSH',
  'LPUSH',
  'LPOP',
  'HSET',
  'HINCRBY',
  'HDEL',
  'SADD',
  'SREM',
  'SPOP',
  'ZADD',
  'ZINCRBY',
  'ZREM',
  'XADD',
];

/** The commands among `names` that every node knows (for writes a stopped replica will replay later). */
export async function commonCommands(nodes: Node[], names: string[] = WRITE_COMMANDS): Promise<Set<string>> {
  const known = await Promise.all(nodes.map(async (n) => (await n.ok('COMMAND', 'INFO', ...names)) as Reply[]));
  return new Set(names.filter((_, i) => known.every((k) => k[i] !== null)));
}

/**
 * Random writes of every type into several databases, including the ones whose effects differ
 * from their argv (relative TTLs, INCRBYFLOAT, SPOP, MULTI/EXEC, keys that expire).
 */
export async function randomWrites(node: Node, count: number, seed = 1, replicas: Node[] | Set<string> = []): Promise<void> {
  const rnd = random(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(rnd() * items.length)]!;
  const key = (type: string) => `${type}:${Math.floor(rnd() * 20)}`;
  const member = () => `m${Math.floor(rnd() * 50)}`;
  const commands: Array<() => Array<string | number>> = [
    () => ['SET', key('str'), `v${rnd()}`],
    () => ['SET', key('str'), `v${rnd()}`, 'EX', 1000],
    () => ['APPEND', key('str'), 'x'],
    () => ['INCRBY', key('int'), Math.floor(rnd() * 100)],
    () => ['INCRBYFLOAT', key('float'), '1.5'],
    () => ['DEL', key('str')],
    () => ['EXPIRE', key('int'), 500],
    () => ['RPUSH', key('list'), member(), member()],
    () => ['LPUSH', key('list'), member()],
    () => ['LPOP', key('list')],
    () => ['HSET', key('hash'), member(), `v${rnd()}`],
    () => ['HINCRBY', key('hash'), 'counter', 3],
    () => ['HDEL', key('hash'), member()],
    () => ['SADD', key('set'), member(), member(), String(Math.floor(rnd() * 100))],
    () => ['SREM', key('set'), member()],
    () => ['SPOP', key('set')],
    () => ['ZADD', key('zset'), (rnd() * 100).toFixed(3), member()],
    () => ['ZINCRBY', key('zset'), 2, member()],
    () => ['ZREM', key('zset'), member()],
    () => ['XADD', key('stream'), '*', 'f', `v${rnd()}`],
    () => ['SET', key('short'), 'gone', 'PX', 1 + Math.floor(rnd() * 30)],
  ];
  // Only what every node implements (our command table grows family by family): a replica
  // that cannot apply a command diverges, which is not what these tests are about.
  const supported = replicas instanceof Set ? replicas : await commonCommands([node, ...replicas], WRITE_COMMANDS);
  const usable = commands.filter((c) => supported.has(String(c()[0])));
  const pipeline: Array<Array<string | number>> = [];
  for (let i = 0; i < count; i++) {
    if (i % 50 === 0) pipeline.push(['SELECT', pick([0, 0, 0, 1, 9])]);
    if (i % 97 === 0) {
      pipeline.push(['MULTI'], pick(usable)(), pick(usable)(), ['EXEC']);
      continue;
    }
    pipeline.push(pick(usable)());
  }
  pipeline.push(['SELECT', 0]);
  const replies = await node.client.pipeline(pipeline);
  for (const [i, reply] of replies.entries()) {
    // WRONGTYPE is expected now and then (a random key of another type); nothing else is.
    if (isError(reply) && !reply.error.startsWith('WRONGTYPE') && !reply.error.startsWith('EXECABORT')) {
      throw new Error(`${pipeline[i]!.join(' ')} -> ${JSON.stringify(show(reply))}`);
    }
  }
}
