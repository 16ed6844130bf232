// Two nodes, ours and Debian's redis-server 7.0, each writing its AOF at every command, for tests of
// blocking commands with real waiting clients: a scenario runs on both with several connections and
// what every client saw must be the same; what each server propagated is read back from its AOF.
import { after, afterEach, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type RunningServer } from './servers.js';
import { RespClient, show, type Reply } from './resp-client.js';

export interface Node {
  kind: 'ours' | 'redis';
  server: RunningServer;
  /** A connection closed at the end of the test. */
  open(): Promise<RespClient>;
  /** Waits until INFO says exactly `count` clients are blocked. */
  blocked(count: number): Promise<void>;
}

export interface BlockingPair {
  /** Ours first, then redis-server's; set once the file's first test starts. */
  readonly nodes: Node[];
  /** Runs `scenario` on both nodes after a FLUSHALL; what it returns must be the same. Returns ours, shown. */
  onBoth(scenario: (node: Node) => Promise<unknown>): Promise<unknown>;
}

/** The pair of a whole test file: call at its top level (it registers the file's hooks). */
export function blockingPairForFile(): BlockingPair {
  let nodes: Node[] = [];
  let opened: RespClient[] = [];

  const makeNode = async (kind: Node['kind'], server: RunningServer): Promise<Node> => {
    const admin = await RespClient.open(server.port);
    return {
      kind,
      server,
      async open() {
        const client = await RespClient.open(server.port);
        opened.push(client);
        return client;
      },
      async blocked(count) {
        for (let attempt = 0; attempt < 500; attempt++) {
          const info = String(show(await admin.call('INFO', 'clients')));
          const seen = Number(/blocked_clients:(\d+)/.exec(info)?.[1]);
          if (seen === count) return;
          await new Promise((r) => setTimeout(r, 10));
        }
        throw new Error(`${kind}: never saw ${count} blocked clients`);
      },
    };
  };

  before(async () => {
    // An AOF written at every command shows what each server propagated.
    const args = ['--appendonly', 'yes', '--appendfsync', 'always'];
    const servers = await Promise.all([startServer('ours', args), startServer('redis', args)]);
    nodes = await Promise.all(servers.map((server, i) => makeNode(i === 0 ? 'ours' : 'redis', server)));
  });
  afterEach(() => {
    for (const client of opened) client.close();
    opened = [];
  });
  after(async () => {
    await Promise.all(nodes.map((node) => node.server.stop()));
  });

  return {
    get nodes() {
      return nodes;
    },
    async onBoth(scenario) {
      const results = await Promise.all(
        nodes.map(async (node) => {
          const admin = await node.open();
          await admin.call('FLUSHALL');
          return showDeep(await scenario(node));
        }),
      );
      assert.deepEqual(results[0], results[1], 'what the clients saw differs (ours, then redis-server)');
      return results[0];
    },
  };
}

/** Replies inside plain objects and arrays, as readable values. */
function showDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(showDeep);
  if (value && typeof value === 'object' && !Buffer.isBuffer(value) && !('error' in value) && !('map' in value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, showDeep(v)]));
  }
  return show(value as Reply);
}

/** The commands in an AOF directory's increment files, in file order (SELECT included). */
export function readAofIncrements(dir: string): string[][] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.incr.aof'))
    .sort((x, y) => Number(/\.(\d+)\.incr/.exec(x)![1]) - Number(/\.(\d+)\.incr/.exec(y)![1]));
  return files.flatMap((name) => parseAofCommands(readFileSync(join(dir, name))));
}

/** The commands in a node's AOF after the last FLUSHALL, without SELECTs, once `SET done` arrived. */
export async function readAofAfterFlush(node: Node): Promise<string[][]> {
  const dir = join(node.server.dir, 'appendonlydir');
  for (let attempt = 0; attempt < 200; attempt++) {
    const commands = readAofIncrements(dir);
    const flush = commands.findLastIndex((argv) => argv[0]!.toUpperCase() === 'FLUSHALL');
    const after = commands.slice(flush + 1).filter((argv) => argv[0]!.toUpperCase() !== 'SELECT');
    if (after.at(-1)?.[0] === 'SET') return after;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${node.kind}: the AOF never got the final SET`);
}

/** RESP multibulk commands, as an AOF stores them (read here independently of the engine's reader). */
export function parseAofCommands(data: Buffer): string[][] {
  const commands: string[][] = [];
  let pos = 0;
  const line = (): string => {
    const end = data.indexOf('\r\n', pos);
    const text = data.toString('latin1', pos, end);
    pos = end + 2;
    return text;
  };
  while (pos < data.length) {
    const count = Number(line().slice(1));
    const argv: string[] = [];
    for (let i = 0; i < count; i++) {
      const length = Number(line().slice(1));
      argv.push(data.toString('latin1', pos, pos + length));
      pos += length + 2;
    }
    commands.push(argv);
  }
  return commands;
}
