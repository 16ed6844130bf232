// DEBUG subcommands of the server engine (debug.c): HELP, SLEEP, SET-ACTIVE-EXPIRE, OBJECT, POPULATE.
// DEBUG itself, and its persistence subcommands, are defined in commands/persistence.ts; these
// register into the same container with addDebugSubcommand.
import { addDebugSubcommand } from './persistence.js';
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

addDebugSubcommand('help', (client, argv) => (argv.length === 2 ? replyHelp(client, DEBUG_HELP) : wrongArguments(client, argv)));
addDebugSubcommand('sleep', debugSleep);
addDebugSubcommand('set-active-expire', debugSetActiveExpire);
addDebugSubcommand('object', debugObject);
addDebugSubcommand('populate', debugPopulate);
