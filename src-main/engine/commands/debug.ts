// DEBUG (debug.c debugCommand). Redis's command table knows DEBUG as one command (COMMAND INFO
// lists no subcommands for it), so its subcommands are a list of their own rather than
// CommandSpec subcommands. They are grouped by what they are for, a module each: the replies of
// every protocol type (debug-protocol.ts), the node's debugging switches (debug-knobs.ts), views of
// internals (debug-internals.ts), deliberate crashes (debug-crash.ts); the families that own the
// state export the rest (persistence: RELOAD, LOADAOF, DIGEST; replication: CHANGE-REPL-ID,
// REPLICATE; config: CONFIG-REWRITE-FORCE-ALL). This file lists them all.
import { defineCommand, type CommandHandler, type CommandSpec } from '../core/command-table.js';
import { parseInteger } from '../util/numbers.js';
import { persistenceDebugSubcommands } from './persistence.js';
import { replicationDebugSubcommands } from './replication.js';
import { configDebugSubcommands } from './config.js';
import type { NodeServices } from './node-services.js';
import { acceptsArgc, debugSyntaxError, type DebugSubcommand } from './debug-subcommand.js';
import { protocolDebugSubcommands } from './debug-protocol.js';
import { knobDebugSubcommands } from './debug-knobs.js';
import { internalsDebugSubcommands } from './debug-internals.js';
import { crashDebugSubcommands } from './debug-crash.js';
import { replyHelp } from './server.js';
import { DEBUG_HELP } from './debug-help.js';
import type { Client } from '../core/client.js';
import type { BinaryString } from '../protocol/request-parser.js';

/** DEBUG POPULATE <count> [prefix] [size]: creates key:N = value:N (padded to size), skipping existing keys. */
function debugPopulate(client: Client, argv: BinaryString[]): void {
  const count = parseInteger(argv[2]!);
  if (count === null || count < 0) {
    client.reply.error('ERR value is out of range, must be positive'); // getPositiveLongFromObjectOrReply
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
  // Redis's populate adds keys with dbAdd, counting no change: nothing is propagated to replicas
  // or the AOF, and the change counter save points read stays where it was.
  const keyspace = client.server.keyspace;
  const dirtyBefore = keyspace.dirty;
  for (let i = 0; i < count; i++) {
    const key = `${prefix}:${i}`;
    if (db.exists(key)) continue;
    let value = `value:${i}`;
    if (size > 0) value = value.length >= size ? value.slice(0, size) : value + '\0'.repeat(size - value.length);
    db.set(key, value);
  }
  keyspace.dirty = dirtyBefore;
  client.reply.ok();
}

const ENGINE_DEBUG_SUBCOMMANDS: DebugSubcommand[] = [
  { name: 'help', argc: 2, handler: (client) => replyHelp(client, DEBUG_HELP) },
  { name: 'populate', argc: [3, 5], handler: debugPopulate },
  ...protocolDebugSubcommands,
  ...knobDebugSubcommands,
  ...internalsDebugSubcommands,
  ...crashDebugSubcommands,
];

export function debugCommands(node: NodeServices): CommandSpec[] {
  const subcommands = new Map<string, DebugSubcommand>();
  const all = [
    ...ENGINE_DEBUG_SUBCOMMANDS,
    ...persistenceDebugSubcommands(node),
    ...replicationDebugSubcommands(node),
    ...configDebugSubcommands(node),
  ];
  for (const subcommand of all) subcommands.set(subcommand.name, subcommand);
  const handler: CommandHandler = (client, argv) => {
    const subcommand = subcommands.get(argv[1]!.toLowerCase());
    if (subcommand && acceptsArgc(subcommand, argv.length)) subcommand.handler(client, argv);
    else client.reply.error(debugSyntaxError(argv[1]!));
  };
  return [
    defineCommand({
      name: 'debug',
      arity: -2,
      flags: ['admin', 'noscript', 'loading', 'stale'],
      protectedBy: 'enable-debug-command',
      summary: 'A container for debugging commands',
      since: '1.0.0',
      group: 'server',
      docFlags: ['syscmd'],
      complexity: 'Depends on subcommand.',
      handler,
    }),
  ];
}
