// DEBUG (debug.c debugCommand) and its subcommands: HELP, SLEEP, SET-ACTIVE-EXPIRE, OBJECT and
// POPULATE here, the persistence ones from persistence.ts. Redis's command table knows DEBUG as one
// command (COMMAND INFO lists no subcommands for it), so its subcommands are a list of its own
// rather than CommandSpec subcommands; a family with DEBUG subcommands exports them and this
// file lists them.
import { defineCommand, type CommandHandler, type CommandSpec } from '../core/command-table.js';
import { persistenceDebugSubcommands } from './persistence.js';
import type { NodeServices } from './node-services.js';
import type { DebugSubcommand } from './debug-subcommand.js';
import { ERR } from '../core/replies.js';
import { parseInteger } from '../util/numbers.js';
import { objectEncoding } from './object.js';
import { replyHelp } from './server.js';
import { DEBUG_HELP } from './debug-help.js';
import type { Client } from '../core/client.js';
import type { BinaryString } from '../protocol/request-parser.js';

function wrongArguments(client: Client, argv: BinaryString[]): void {
  client.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try DEBUG HELP.`);
}

/** DEBUG SLEEP <seconds>: blocks the node, as Redis does (a test tool for timeouts and latency). */
function debugSleep(client: Client, argv: BinaryString[]): void {
  if (argv.length !== 3) return wrongArguments(client, argv);
  const seconds = Number(argv[2]);
  const until = Date.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0);
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (Date.now() < until) Atomics.wait(cell, 0, 0, until - Date.now());
  client.reply.ok();
}

function debugSetActiveExpire(client: Client, argv: BinaryString[]): void {
  if (argv.length !== 3) return wrongArguments(client, argv);
  const n = parseInteger(argv[2]!);
  if (n === null) {
    client.reply.error(ERR.notInteger);
    return;
  }
  client.server.activeExpireEnabled = n !== 0;
  client.reply.ok();
}

/** DEBUG OBJECT <key>: the fields Redis prints that mean something here. */
function debugObject(client: Client, argv: BinaryString[]): void {
  if (argv.length !== 3) return wrongArguments(client, argv);
  const value = client.db.peekLive(argv[2]!);
  if (value === undefined) {
    client.reply.error(ERR.noSuchKey);
    return;
  }
  const encoding = objectEncoding(value, client.db.objectHeader(argv[2]!)!);
  const length = typeof value === 'string' ? value.length : 0;
  client.reply.simple(`Value at:0x0 refcount:1 encoding:${encoding} serializedlength:${length} lru:0 lru_seconds_idle:0`);
}

/** DEBUG POPULATE <count> [prefix] [size]: creates key:N = value:N (padded to size), skipping existing keys. */
function debugPopulate(client: Client, argv: BinaryString[]): void {
  if (argv.length < 3 || argv.length > 5) return wrongArguments(client, argv);
  const count = parseInteger(argv[2]!);
  if (count === null || count < 0) {
    client.reply.error('ERR value is out of range, must be positive');
    return;
  }
  const prefix = argv[3] ?? 'key';
  let size = 0;
  if (argv.length === 5) {
    const n = parseInteger(argv[4]!);
    if (n === null || n < 0) {
      client.reply.error('ERR value is out of range, must be positive');
      return;
    }
    size = n;
  }
  const db = client.db;
  for (let i = 0; i < count; i++) {
    const key = `${prefix}:${i}`;
    if (db.exists(key)) continue;
    let value = `value:${i}`;
    if (size > 0) value = value.length >= size ? value.slice(0, size) : value + '\0'.repeat(size - value.length);
    db.set(key, value);
  }
  client.reply.ok();
}

const ENGINE_DEBUG_SUBCOMMANDS: DebugSubcommand[] = [
  { name: 'help', handler: (client, argv) => (argv.length === 2 ? replyHelp(client, DEBUG_HELP) : wrongArguments(client, argv)) },
  { name: 'sleep', handler: debugSleep },
  { name: 'set-active-expire', handler: debugSetActiveExpire },
  { name: 'object', handler: debugObject },
  { name: 'populate', handler: debugPopulate },
];

export function debugCommands(node: NodeServices): CommandSpec[] {
  const subcommands = new Map<string, CommandHandler>();
  for (const { name, handler } of [...ENGINE_DEBUG_SUBCOMMANDS, ...persistenceDebugSubcommands(node)]) subcommands.set(name, handler);
  return [
    defineCommand({
      name: 'debug',
      arity: -2,
      flags: ['admin', 'noscript', 'loading', 'stale'],
      protectedBy: 'enable-debug-command',
      summary: 'A container for debugging commands',
      since: '1.0.0',
      group: 'server',
      handler(client, argv) {
        const handler = subcommands.get(argv[1]!.toLowerCase());
        if (handler) handler(client, argv);
        else client.reply.error(`ERR unknown subcommand '${argv[1]}'. Try DEBUG HELP.`);
      },
    }),
  ];
}
