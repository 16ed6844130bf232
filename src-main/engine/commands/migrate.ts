// MIGRATE (cluster.c migrateCommand): moves keys to another server as DUMP payloads sent with
// RESTORE over a cached blocking connection (core/migrate-sockets.ts), then deletes them here,
// unless COPY. Like redis-server, the node does nothing else while it waits for the target, so no
// other client sees a key between its transfer and its deletion. Replicas and the AOF get a DEL of
// the keys the target acknowledged.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import type { MigrateSocket } from '../core/migrate-sockets.js';
import type { Value } from '../keyspace/value.js';
import { keySpec, defineCommand, type CommandSpec, type KeyReference, type KeySpecFlag } from '../core/command-table.js';
import { ERR, is } from '../core/replies.js';
import { parseInteger } from '../util/numbers.js';
import { createDumpPayload } from '../persistence/rdb/dump-payload.js';
import { encodingLimitsFrom, toRdbValue } from '../persistence/value-adapters.js';

interface MigrateOptions {
  copy: boolean;
  replace: boolean;
  username: BinaryString | null;
  password: BinaryString | null;
  /** Where the keys start in argv, and how many (1: the key argument). */
  firstKey: number;
  numKeys: number;
}

/**
 * redactClientCommandArgument: what SLOWLOG and MONITOR show instead of a password. They read the
 * command's argv after it ran, so the password is replaced there once it was read.
 */
const REDACTED = '(redacted)';

/** MIGRATE's options after the timeout; undefined after replying the error. */
function parseOptions(client: Client, argv: BinaryString[]): MigrateOptions | undefined {
  const options: MigrateOptions = { copy: false, replace: false, username: null, password: null, firstKey: 3, numKeys: 1 };
  for (let j = 6; j < argv.length; j++) {
    const moreArgs = argv.length - 1 - j;
    const option = argv[j]!;
    if (is(option, 'copy')) options.copy = true;
    else if (is(option, 'replace')) options.replace = true;
    else if (is(option, 'auth')) {
      if (!moreArgs) return void client.reply.error(ERR.syntax);
      options.password = argv[++j]!;
      argv[j] = REDACTED;
    } else if (is(option, 'auth2')) {
      if (moreArgs < 2) return void client.reply.error(ERR.syntax);
      options.username = argv[++j]!;
      argv[j] = REDACTED;
      options.password = argv[++j]!;
      argv[j] = REDACTED;
    } else if (is(option, 'keys')) {
      if (argv[3]!.length !== 0) {
        return void client.reply.error('ERR When using MIGRATE KEYS option, the key argument must be set to the empty string');
      }
      options.firstKey = j + 1;
      options.numKeys = argv.length - j - 1;
      break;
    } else {
      return void client.reply.error(ERR.syntax);
    }
  }
  return options;
}

/** A RESP command line, as rioWriteBulkCount / rioWriteBulkString build it. */
function encode(argv: readonly (BinaryString | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`)];
  for (const arg of argv) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg, 'latin1') : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** cluster.c: the request is written in chunks of 64 KB, each within the timeout. */
const WRITE_CHUNK = 64 * 1024;

function migrate(client: Client, argv: BinaryString[]): void {
  const options = parseOptions(client, argv);
  if (!options) return;
  const timeoutArg = parseInteger(argv[5]!);
  const dbid = parseInteger(argv[4]!);
  if (timeoutArg === null || dbid === null) {
    client.reply.error(ERR.notInteger);
    return;
  }
  const timeout = timeoutArg <= 0 ? 1000 : timeoutArg;
  const server = client.server;
  const db = client.db;
  // Only the keys that are here; none at all is no error, just nothing to do (often a key that
  // expired meanwhile).
  let keys: { key: BinaryString; value: Value }[] = [];
  for (let j = 0; j < options.numKeys; j++) {
    const key = argv[options.firstKey + j]!;
    const value = db.lookupRead(key);
    if (value !== undefined) keys.push({ key, value });
  }
  if (keys.length === 0) {
    client.reply.simple('NOKEY');
    return;
  }
  const socketName = `${argv[1]!}:${argv[2]!}`;
  const config = server.config;
  let mayRetry = true;
  for (;;) {
    const socket = server.migrateSockets.get(argv[1]!, argv[2]!, timeout);
    if ('error' in socket) {
      client.reply.error(socket.error);
      return;
    }
    const commands: Buffer[] = [];
    if (options.password !== null) {
      commands.push(encode(options.username !== null ? ['AUTH', options.username, options.password] : ['AUTH', options.password]));
    }
    const select = socket.lastDbId !== dbid;
    if (select) commands.push(encode(['SELECT', String(dbid)]));
    // A key may have expired since it was looked up: it is left out.
    const now = Date.now();
    keys = keys.filter(({ key }) => {
      const at = db.expireAt(key);
      return at === undefined || at - now >= 0;
    });
    for (const { key, value } of keys) {
      const at = db.expireAt(key);
      const ttl = at === undefined ? 0 : Math.max(at - now, 1);
      const payload = createDumpPayload(toRdbValue(value), {
        compression: config.bool('rdbcompression'),
        limits: encodingLimitsFrom(config),
      });
      commands.push(encode(['RESTORE', key, String(ttl), payload, ...(options.replace ? ['REPLACE'] : [])]));
    }
    const outcome = exchange(socket, Buffer.concat(commands), { auth: options.password !== null, select, restores: keys.length }, timeout);
    const acknowledged: BinaryString[] = [];
    let targetError: string | null = null;
    outcome.restoreReplies.forEach((line, j) => {
      const error = [outcome.authReply, outcome.selectReply, line].find((l): l is string => l !== null && l.startsWith('-'));
      if (error !== undefined) {
        // On error the selected database is no longer known.
        if (targetError === null) {
          socket.lastDbId = -1;
          targetError = `ERR Target instance replied with error: ${error.slice(1)}`;
        }
      } else if (!options.copy) {
        const key = keys[j]!.key;
        db.delete(key);
        server.keyspaceEvents.notify('g', 'del', key, db.id);
        acknowledged.push(key);
      }
    });
    // Nothing was processed, and not for a timeout: the cached connection was probably closed by
    // the target, so try once more with a new one.
    const socketError = outcome.error !== null;
    if (targetError === null && socketError && outcome.restoreReplies.length === 0 && mayRetry && outcome.error !== 'ETIMEDOUT') {
      server.migrateSockets.close(socketName);
      mayRetry = false;
      continue;
    }
    if (socketError) server.migrateSockets.close(socketName);
    if (acknowledged.length !== 0) server.propagation.propagate(db.id, ['DEL', ...acknowledged]);
    if (targetError !== null) {
      client.reply.error(targetError);
    } else if (socketError) {
      client.reply.error(`IOERR error or timeout ${outcome.writeError ? 'writing' : 'reading'} to target instance`);
    } else {
      socket.lastDbId = dbid;
      client.reply.ok();
    }
    return;
  }
}

interface Exchange {
  authReply: string | null;
  selectReply: string | null;
  /** The RESTORE replies read, in order, until the first failure. */
  restoreReplies: string[];
  /** Why the exchange stopped early (ETIMEDOUT, ECLOSED...), or null. */
  error: string | null;
  writeError: boolean;
}

/** Writes the request and reads the replies, each step within `timeout` ms, as migrateCommand does. */
function exchange(
  socket: MigrateSocket,
  request: Buffer,
  expect: { auth: boolean; select: boolean; restores: number },
  timeout: number,
): Exchange {
  const result: Exchange = { authReply: null, selectReply: null, restoreReplies: [], error: null, writeError: false };
  const connection = socket.connection;
  for (let pos = 0; pos < request.length; pos += WRITE_CHUNK) {
    const written = connection.write(request.subarray(pos, pos + WRITE_CHUNK), timeout);
    if (!written.ok) return { ...result, error: written.error, writeError: true };
  }
  const read = (): string | null => {
    const line = connection.readLine(timeout);
    if (line.ok) return line.line!;
    result.error = line.error;
    return null;
  };
  if (expect.auth && (result.authReply = read()) === null) return result;
  if (expect.select && (result.selectReply = read()) === null) return result;
  for (let j = 0; j < expect.restores; j++) {
    const line = read();
    if (line === null) break;
    result.restoreReplies.push(line);
  }
  return result;
}

/**
 * db.c migrateGetKeys (MIGRATE's second key spec is incomplete, so this always decides): the key
 * argument, or with KEYS everything after it (nothing when the key argument is not empty too: a
 * syntax error the command reports). COPY, REPLACE, AUTH and AUTH2 are skipped with their values.
 */
function migrateKeys(argv: BinaryString[]): KeyReference[] {
  let first = 3;
  let num = 1;
  const skips: Record<string, number> = { copy: 0, replace: 0, auth: 1, auth2: 2 };
  for (let i = 6; i < argv.length; i++) {
    const arg = argv[i]!.toLowerCase();
    if (arg === 'keys') {
      if (argv[3]!.length > 0) num = 0;
      else {
        first = i + 1;
        num = argv.length - first;
      }
      break;
    }
    i += skips[arg] ?? 0;
  }
  return Array.from({ length: num }, (_, k) => ({ pos: first + k, flags: MIGRATED_KEY_FLAGS }));
}

const MIGRATED_KEY_FLAGS: KeySpecFlag[] = ['RW', 'access', 'delete'];

export const migrateCommands: CommandSpec[] = [
  defineCommand({
    name: 'migrate',
    arity: -6,
    flags: ['write', 'movablekeys'],
    keySpecs: [keySpec('RW access delete', 3), keySpec('RW access delete incomplete', ['KEYS', -2], [-1, 1, 0])],
    acl: ['keyspace', 'dangerous'],
    tips: ['nondeterministic_output'],
    summary: 'Atomically transfer a key from a Redis instance to another one.',
    since: '2.6.0',
    group: 'generic',
    complexity:
      'This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target instance. See the pages of these commands for time complexity. Also an O(N) data transfer between the two instances is performed.',
    history: [
      ['3.0.0', 'Added the `COPY` and `REPLACE` options.'],
      ['3.0.6', 'Added the `KEYS` option.'],
      ['4.0.7', 'Added the `AUTH` option.'],
      ['6.0.0', 'Added the `AUTH2` option.'],
    ],
    arguments: [
      { name: 'host', type: 'string' },
      { name: 'port', type: 'integer' },
      {
        name: 'key_or_empty_string',
        type: 'oneof',
        arguments: [
          { name: 'key', type: 'key', keySpecIndex: 0 },
          { name: 'empty_string', type: 'pure-token', token: '' },
        ],
      },
      { name: 'destination-db', type: 'integer' },
      { name: 'timeout', type: 'integer' },
      { name: 'copy', type: 'pure-token', token: 'COPY', since: '3.0.0', optional: true },
      { name: 'replace', type: 'pure-token', token: 'REPLACE', since: '3.0.0', optional: true },
      {
        name: 'authentication',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'password', type: 'string', token: 'AUTH', since: '4.0.7', optional: true },
          {
            name: 'username_password',
            type: 'block',
            token: 'AUTH2',
            since: '6.0.0',
            optional: true,
            arguments: [
              { name: 'username', type: 'string' },
              { name: 'password', type: 'string' },
            ],
          },
        ],
      },
      { name: 'key', type: 'key', keySpecIndex: 1, token: 'KEYS', since: '3.0.6', optional: true, multiple: true },
    ],
    getKeys: migrateKeys,
    handler: migrate,
  }),
];
