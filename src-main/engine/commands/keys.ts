// Generic key commands (db.c): DEL, UNLINK, EXISTS, TYPE, RENAME, RENAMENX, TOUCH, RANDOMKEY,
// KEYS, SCAN, MOVE, COPY, SWAPDB. The expiry commands are in commands/expire.ts, OBJECT in
// commands/object.ts.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import type { Database } from '../keyspace/database.js';
import { typeOf } from '../keyspace/value.js';
import { stringEncodingHint, withStringEncoding } from '../keyspace/object-header.js';
import { compileGlob } from '../util/glob.js';
import { parseInteger } from '../util/numbers.js';
import { keySpec, defineCommand, type CommandDocArgument, type CommandSpec } from '../core/command-table.js';
import { ERR, is } from '../core/replies.js';
import { matchesScanPattern, parseScanCursor, parseScanOptions, replyScan } from './scan-cursor.js';
import { scanDatabaseForReadyKeys } from '../core/blocking.js';

const KEY: CommandDocArgument = { name: 'key', type: 'key' };
const KEYS: CommandDocArgument = { name: 'key', type: 'key', multiple: true };
const SAME_OBJECT = 'ERR source and destination objects are the same';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** getIntFromObjectOrReply: a 32-bit int, or undefined after replying `error` (or Redis's range error). */
function intArg(client: Client, arg: BinaryString, error?: string): number | undefined {
  const n = parseInteger(arg);
  if (n === null) client.reply.error(error ?? ERR.notInteger);
  else if (n < INT_MIN || n > INT_MAX)
    client.reply.error(error ?? `ERR value is out of range, value must between ${INT_MIN} and ${INT_MAX}`);
  else return n;
  return undefined;
}

/** The database a DB index argument names (MOVE, COPY DB), or undefined after replying. */
function databaseArg(client: Client, arg: BinaryString): Database | undefined {
  const index = intArg(client, arg);
  if (index === undefined) return undefined;
  const db = client.server.keyspace.dbs[index];
  if (!db) client.reply.error(ERR.dbIndexOutOfRange);
  return db;
}

/**
 * Moves `key` of `from` to `toKey` of `to` with its TTL and object header (RENAME, MOVE: Redis
 * moves the object itself, so the encoding and access clock go along). `toKey` must be free
 * or about to be overwritten. One change in all (renameGenericCommand and moveCommand do a
 * single server.dirty++), though both keys are touched.
 */
function moveKey(from: Database, key: BinaryString, to: Database, toKey: BinaryString): void {
  const value = from.peek(key)!;
  const header = from.objectHeader(key)!;
  to.recreate(toKey, value, from.expireAt(key));
  to.setObjectHeader(toKey, header);
  from.delete(key, 0);
}

/** DEL and UNLINK (delGenericCommand): freeing is never deferred here, so both are the same. */
function deleteKeys(client: Client, argv: BinaryString[]): void {
  const db = client.db;
  let deleted = 0;
  for (let i = 1; i < argv.length; i++) {
    if (db.delete(argv[i]!)) {
      deleted++;
      client.server.keyspaceEvents.notify('g', 'del', argv[i]!, db.id);
    }
  }
  client.reply.integer(deleted);
}

/** RENAME and RENAMENX (renameGenericCommand). */
function rename(client: Client, argv: BinaryString[], nx: boolean): void {
  const [, from, to] = argv as [BinaryString, BinaryString, BinaryString];
  const db = client.db;
  if (db.peekLive(from, true) === undefined) {
    client.reply.error(ERR.noSuchKey);
    return;
  }
  if (from === to) {
    if (nx) client.reply.integer(0);
    else client.reply.ok();
    return;
  }
  // lookupKeyWrite: an expired destination is expired (and reported) first, even without NX.
  if (db.peekLive(to, true) !== undefined && nx) {
    client.reply.integer(0);
    return;
  }
  moveKey(db, from, db, to);
  const events = client.server.keyspaceEvents;
  events.notify('g', 'rename_from', from, db.id);
  events.notify('g', 'rename_to', to, db.id);
  if (nx) client.reply.integer(1);
  else client.reply.ok();
}

/**
 * SCAN's options: those of the per-key scans plus TYPE. Options come in pairs, so taking the
 * TYPE pairs out before the shared parser leaves it the same pairs in the same order (and the
 * same first error) as scanGenericCommand's single loop.
 */
function parseKeyScanOptions(client: Client, argv: BinaryString[]) {
  const rest: BinaryString[] = argv.slice(0, 2);
  let type: string | null = null;
  for (let i = 2; i < argv.length; i += 2) {
    if (is(argv[i]!, 'type') && i + 1 < argv.length) type = argv[i + 1]!.toLowerCase();
    else rest.push(...argv.slice(i, i + 2));
  }
  const options = parseScanOptions(client, rest, 2);
  return options && { ...options, type };
}

export const keyCommands: CommandSpec[] = [
  defineCommand({
    name: 'del',
    arity: -2,
    tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
    flags: ['write'],
    keySpecs: [keySpec('RM delete', 1, [-1, 1, 0])],
    acl: ['keyspace'],
    summary: 'Delete a key',
    since: '1.0.0',
    group: 'generic',
    complexity:
      'O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).',
    arguments: [KEYS],
    handler: deleteKeys,
  }),
  defineCommand({
    name: 'unlink',
    arity: -2,
    tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
    flags: ['write', 'fast'],
    keySpecs: [keySpec('RM delete', 1, [-1, 1, 0])],
    acl: ['keyspace'],
    summary: 'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.',
    since: '4.0.0',
    group: 'generic',
    complexity:
      'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.',
    arguments: [KEYS],
    handler: deleteKeys,
  }),
  defineCommand({
    name: 'exists',
    arity: -2,
    tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
    flags: ['readonly', 'fast'],
    keySpecs: [keySpec('RO', 1, [-1, 1, 0])],
    acl: ['keyspace'],
    summary: 'Determine if a key exists',
    since: '1.0.0',
    group: 'generic',
    history: [['3.0.3', 'Accepts multiple `key` arguments.']],
    complexity: 'O(N) where N is the number of keys to check.',
    arguments: [KEYS],
    handler(client, argv) {
      let count = 0;
      for (let i = 1; i < argv.length; i++) if (client.db.lookupRead(argv[i]!, false) !== undefined) count++;
      client.reply.integer(count);
    },
  }),
  defineCommand({
    name: 'type',
    arity: 2,
    flags: ['readonly', 'fast'],
    keySpecs: [keySpec('RO', 1)],
    acl: ['keyspace'],
    summary: 'Determine the type stored at key',
    since: '1.0.0',
    group: 'generic',
    complexity: 'O(1)',
    arguments: [KEY],
    handler(client, argv) {
      const value = client.db.lookupRead(argv[1]!, false);
      client.reply.simple(value === undefined ? 'none' : typeOf(value));
    },
  }),
  defineCommand({
    name: 'rename',
    arity: 3,
    flags: ['write'],
    keySpecs: [keySpec('RW access delete', 1), keySpec('OW update', 2)],
    acl: ['keyspace'],
    summary: 'Rename a key',
    since: '1.0.0',
    group: 'generic',
    complexity: 'O(1)',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'newkey', type: 'key', keySpecIndex: 1 },
    ],
    handler(client, argv) {
      rename(client, argv, false);
    },
  }),
  defineCommand({
    name: 'renamenx',
    arity: 3,
    flags: ['write', 'fast'],
    keySpecs: [keySpec('RW access delete', 1), keySpec('OW insert', 2)],
    acl: ['keyspace'],
    summary: 'Rename a key, only if the new key does not exist',
    since: '1.0.0',
    group: 'generic',
    history: [['3.2.0', 'The command no longer returns an error when source and destination names are the same.']],
    complexity: 'O(1)',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'newkey', type: 'key', keySpecIndex: 1 },
    ],
    handler(client, argv) {
      rename(client, argv, true);
    },
  }),
  defineCommand({
    name: 'touch',
    arity: -2,
    tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
    flags: ['readonly', 'fast'],
    keySpecs: [keySpec('RO', 1, [-1, 1, 0])],
    acl: ['keyspace'],
    summary: 'Alters the last access time of a key(s). Returns the number of existing keys specified.',
    since: '3.2.1',
    group: 'generic',
    complexity: 'O(N) where N is the number of keys that will be touched.',
    arguments: [KEYS],
    handler(client, argv) {
      let touched = 0;
      for (let i = 1; i < argv.length; i++) if (client.db.lookupRead(argv[i]!) !== undefined) touched++;
      client.reply.integer(touched);
    },
  }),
  defineCommand({
    name: 'randomkey',
    arity: 1,
    tips: ['request_policy:all_shards', 'nondeterministic_output'],
    flags: ['readonly'],
    touchesArbitraryKeys: true,
    acl: ['keyspace'],
    summary: 'Return a random key from the keyspace',
    since: '1.0.0',
    group: 'generic',
    complexity: 'O(1)',
    handler(client) {
      const key = client.db.randomKey();
      if (key === undefined) client.reply.null();
      else client.reply.bulk(key);
    },
  }),
  defineCommand({
    name: 'keys',
    arity: 2,
    tips: ['request_policy:all_shards', 'nondeterministic_output_order'],
    flags: ['readonly'],
    acl: ['keyspace', 'dangerous'],
    summary: 'Find all keys matching the given pattern',
    since: '1.0.0',
    group: 'generic',
    complexity:
      'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.',
    arguments: [{ name: 'pattern', type: 'pattern' }],
    handler(client, argv) {
      const pattern = argv[1]!;
      const all = pattern === '*';
      const matches = compileGlob(pattern);
      // keysCommand skips logically expired keys without deleting them (keyIsExpired).
      const now = Date.now();
      const found: BinaryString[] = [];
      for (const [key, , expireAt] of client.db.entries()) {
        if (expireAt !== undefined && expireAt <= now) continue;
        if (all || matches('', key)) found.push(key);
      }
      client.reply.bulkArray(found);
    },
  }),
  defineCommand({
    name: 'scan',
    arity: -2,
    tips: ['nondeterministic_output', 'request_policy:special'],
    flags: ['readonly'],
    touchesArbitraryKeys: true,
    acl: ['keyspace'],
    summary: 'Incrementally iterate the keys space',
    since: '2.8.0',
    group: 'generic',
    history: [['6.0.0', 'Added the `TYPE` subcommand.']],
    complexity:
      'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
    arguments: [
      { name: 'cursor', type: 'integer' },
      { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
      { name: 'type', type: 'string', token: 'TYPE', optional: true, since: '6.0.0' },
    ],
    handler(client, argv) {
      const cursor = parseScanCursor(client, argv[1]!);
      if (cursor === null) return;
      const options = parseKeyScanOptions(client, argv);
      if (!options) return;
      const db = client.db;
      const found: BinaryString[] = [];
      const next = db.scan(cursor, options.count, (key) => {
        if (!matchesScanPattern(options, key)) return;
        // An unknown TYPE name is not an error in 7.0: it just matches nothing.
        if (options.type !== null && typeOf(db.peek(key)!) !== options.type) return;
        found.push(key);
      });
      replyScan(client, next, found);
    },
  }),
  defineCommand({
    name: 'move',
    arity: 3,
    flags: ['write', 'fast'],
    keySpecs: [keySpec('RW access update', 1)],
    acl: ['keyspace'],
    summary: 'Move a key to another database',
    since: '1.0.0',
    group: 'generic',
    complexity: 'O(1)',
    arguments: [KEY, { name: 'db', type: 'integer' }],
    handler(client, argv) {
      const key = argv[1]!;
      const src = client.db;
      const dst = databaseArg(client, argv[2]!);
      if (!dst) return;
      if (dst === src) {
        client.reply.error(SAME_OBJECT);
        return;
      }
      if (src.peekLive(key, true) === undefined || dst.peekLive(key, true) !== undefined) {
        client.reply.integer(0);
        return;
      }
      moveKey(src, key, dst, key);
      const events = client.server.keyspaceEvents;
      events.notify('g', 'move_from', key, src.id);
      events.notify('g', 'move_to', key, dst.id);
      client.reply.integer(1);
    },
  }),
  defineCommand({
    name: 'copy',
    arity: -3,
    flags: ['write', 'denyoom'],
    keySpecs: [keySpec('RO access', 1), keySpec('OW update', 2)],
    acl: ['keyspace'],
    summary: 'Copy a key',
    since: '6.2.0',
    group: 'generic',
    complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.',
    arguments: [
      { name: 'source', type: 'key' },
      { name: 'destination', type: 'key', keySpecIndex: 1 },
      { name: 'destination-db', type: 'integer', token: 'DB', optional: true },
      { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true },
    ],
    handler(client, argv) {
      const [, from, to] = argv as [BinaryString, BinaryString, BinaryString];
      const src = client.db;
      let dst = src;
      let replace = false;
      for (let i = 3; i < argv.length; i++) {
        if (is(argv[i]!, 'replace')) replace = true;
        else if (is(argv[i]!, 'db') && i + 1 < argv.length) {
          const db = databaseArg(client, argv[++i]!);
          if (!db) return;
          dst = db;
        } else {
          client.reply.error(ERR.syntax);
          return;
        }
      }
      if (src === dst && from === to) {
        client.reply.error(SAME_OBJECT);
        return;
      }
      const value = src.lookupRead(from);
      if (value === undefined || (dst.peekLive(to, true) !== undefined && !replace)) {
        client.reply.integer(0);
        return;
      }
      // A copy is a new object (dupStringObject, listTypeDup...): fresh clock, same encoding.
      const expireAt = src.expireAt(from);
      const sourceHeader = src.objectHeader(from)!;
      dst.recreate(to, typeof value === 'string' ? value : value.clone(), expireAt);
      dst.setObjectHeader(to, withStringEncoding(dst.objectHeader(to)!, stringEncodingHint(sourceHeader)));
      client.server.keyspaceEvents.notify('g', 'copy_to', to, dst.id);
      client.reply.integer(1);
    },
  }),
  defineCommand({
    name: 'swapdb',
    arity: 3,
    flags: ['write', 'fast'],
    acl: ['keyspace', 'dangerous'],
    summary: 'Swaps two Redis databases',
    since: '4.0.0',
    group: 'server',
    complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.',
    arguments: [
      { name: 'index1', type: 'integer' },
      { name: 'index2', type: 'integer' },
    ],
    handler(client, argv) {
      const first = intArg(client, argv[1]!, 'ERR invalid first DB index');
      if (first === undefined) return;
      const second = intArg(client, argv[2]!, 'ERR invalid second DB index');
      if (second === undefined) return;
      const keyspace = client.server.keyspace;
      const a = keyspace.dbs[first];
      const b = keyspace.dbs[second];
      if (!a || !b) {
        client.reply.error(ERR.dbIndexOutOfRange);
        return;
      }
      if (a !== b) {
        a.swapWith(b);
        // db.c dbSwapDatabases: clients stay in their database, where waited-on keys may now exist.
        scanDatabaseForReadyKeys(client.server, a);
        scanDatabaseForReadyKeys(client.server, b);
      }
      // Always counted as a change, so it is propagated even when both indexes are equal.
      keyspace.dirty++;
      client.reply.ok();
    },
  }),
];
