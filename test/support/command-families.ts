// Helpers for the per-family differential tests (test/integration/commands/<family>-differential.test.ts):
// a seeded random generator for reproducible command streams, a check for commands our node does
// not serve yet, and an in-process node that shows what a command propagates (the effect that
// replicas and the AOF receive) and the encoding a value has, before OBJECT ENCODING can be asked.
import { loadConfig } from '../../src-main/engine/config/load.js';
import { Logger } from '../../src-main/engine/util/logger.js';
import { Server } from '../../src-main/engine/core/server.js';
import { Node } from '../../src-main/engine/node.js';
import { Client } from '../../src-main/engine/core/client.js';
import { executeCommand } from '../../src-main/engine/core/executor.js';
import type { AggregateValue } from '../../src-main/engine/keyspace/value.js';
import type { RespClient } from './resp-client.js';

/** mulberry32: a small seeded PRNG, so a failing random stream can be replayed from its seed. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number): number => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}

/**
 * Whether a node serves `name` (COMMAND INFO answers a null entry otherwise). Tests use it to leave
 * out commands of other families that have not landed yet, and say so, instead of failing on them.
 */
export async function serves(client: RespClient, name: string): Promise<boolean> {
  const reply = await client.call('COMMAND', 'INFO', name);
  return Array.isArray(reply) && reply[0] !== null;
}

/** A node in this process, without a socket: replies as raw RESP text, and the propagated effects. */
export class InProcessNode {
  readonly effects: string[][] = [];
  private readonly client: Client;
  private readonly server: Server;

  constructor(directives: string[] = []) {
    // No save points: an in-memory mirror must not write dump.rdb into the working directory
    // (FLUSHALL saves at once when save points are configured, as in Redis).
    const { config } = loadConfig(['--save', '', ...directives]);
    this.server = new Node(config, new Logger({ level: 'warning', file: '' }), null).server;
    // Both hooks: a command's effects arrive as one unit; effects outside any command one by one.
    this.server.propagation.onPropagate = (_db, argv) => this.effects.push(argv);
    this.server.propagation.onPropagateUnit = (effects) => this.effects.push(...effects.map((e) => e.argv));
    this.client = new Client(this.server, null);
  }

  /** What OBJECT ENCODING would say for an aggregate in db 0 (read off the value itself). */
  encoding(key: string): string | undefined {
    const value = this.server.keyspace.dbs[0]!.peek(key);
    return value === undefined || typeof value === 'string' ? undefined : (value as AggregateValue).encoding();
  }

  /** Runs one command; returns its reply as RESP text (binary strings as latin1). */
  run(...argv: string[]): string {
    executeCommand(this.client, argv);
    return this.client.reply.take()?.toString('latin1') ?? '';
  }

  /** The effects propagated since the last call. */
  takeEffects(): string[][] {
    return this.effects.splice(0);
  }
}
