// Key expiry commands (expire.c): EXPIRE PEXPIRE EXPIREAT PEXPIREAT with NX/XX/GT/LT, TTL PTTL
// EXPIRETIME PEXPIRETIME, PERSIST.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { INT64, parseInt64 } from '../util/numbers.js';
import { keySpec, defineCommand, type CommandSpec } from '../core/command-table.js';
import { ERR } from '../core/replies.js';

const KEY = { name: 'key', type: 'key' } as const;

/** addReplyErrorExpireTime. */
export function invalidExpireTime(client: Client, commandName: string): void {
  client.reply.error(`ERR invalid expire time in '${commandName}' command`);
}

/**
 * checkAlreadyExpired: an expiry at or before now deletes the key at once, except on a replica,
 * which keeps it until its master's DEL arrives.
 */
export function alreadyExpired(client: Client, atMs: number): boolean {
  return atMs <= Date.now() && !client.server.keyspace.isReplica;
}

/**
 * Deletes a key whose new expiry time has already passed and propagates that as DEL, or UNLINK
 * with lazyfree-lazy-expire (expireGenericCommand, getexCommand).
 */
export function deleteExpiredNow(client: Client, key: BinaryString): void {
  const db = client.db;
  db.delete(key);
  const lazy = client.server.config.bool('lazyfree-lazy-expire');
  client.server.propagation.propagate(db.id, [lazy ? 'UNLINK' : 'DEL', key]);
  client.server.keyspaceEvents.notify('g', 'del', key, db.id);
}

interface ExpireConditions {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
}

/** parseExtendedExpireArgumentsOrReply: the NX/XX/GT/LT options, or null after replying. */
function parseConditions(client: Client, argv: BinaryString[]): ExpireConditions | null {
  const c: ExpireConditions = { nx: false, xx: false, gt: false, lt: false };
  for (let i = 3; i < argv.length; i++) {
    const option = argv[i]!.toLowerCase();
    if (option === 'nx' || option === 'xx' || option === 'gt' || option === 'lt') c[option] = true;
    else {
      client.reply.error(`ERR Unsupported option ${argv[i]}`);
      return null;
    }
  }
  if (c.nx && (c.xx || c.gt || c.lt)) {
    client.reply.error('ERR NX and XX, GT or LT options at the same time are not compatible');
    return null;
  }
  if (c.gt && c.lt) {
    client.reply.error('ERR GT and LT options at the same time are not compatible');
    return null;
  }
  return c;
}

/** Whether the conditions allow replacing `current` (undefined: no TTL, i.e. infinite) by `when`. */
function conditionsAllow(c: ExpireConditions, current: number | undefined, when: bigint): boolean {
  if (c.nx && current !== undefined) return false;
  if (c.xx && current === undefined) return false;
  if (c.gt && (current === undefined || when <= BigInt(current))) return false;
  if (c.lt && current !== undefined && when >= BigInt(current)) return false;
  return true;
}

type Unit = 'seconds' | 'milliseconds';

/** expireGenericCommand: `relative` adds the current time (EXPIRE, PEXPIRE). */
function expireGeneric(client: Client, argv: BinaryString[], unit: Unit, relative: boolean): void {
  const key = argv[1]!;
  const name = argv[0]!.toLowerCase();
  const conditions = parseConditions(client, argv);
  if (!conditions) return;
  const given = parseInt64(argv[2]!);
  if (given === null) {
    client.reply.error(ERR.notInteger);
    return;
  }
  // Negative times are allowed (they delete the key); only overflow is an error.
  let when = given;
  if (unit === 'seconds') {
    if (when > INT64.MAX / 1000n || when < INT64.MIN / 1000n) return invalidExpireTime(client, name);
    when *= 1000n;
  }
  const base = relative ? BigInt(Date.now()) : 0n;
  if (when > INT64.MAX - base) return invalidExpireTime(client, name);
  when += base;

  const db = client.db;
  if (db.peekLive(key, true) === undefined || !conditionsAllow(conditions, db.expireAt(key), when)) {
    client.reply.integer(0);
    return;
  }
  const whenMs = Number(when);
  if (alreadyExpired(client, whenMs)) {
    deleteExpiredNow(client, key);
  } else {
    db.setExpire(key, whenMs);
    // Replicas and the AOF get the absolute time (the options stay, as Redis rewrites only
    // the command name and the time).
    if (name !== 'pexpireat') {
      client.server.propagation.propagate(db.id, ['PEXPIREAT', key, String(when), ...argv.slice(3)]);
    }
    client.server.keyspaceEvents.notify('g', 'expire', key, db.id);
  }
  client.reply.integer(1);
}

/** ttlGenericCommand: TTL, PTTL (relative) and EXPIRETIME, PEXPIRETIME (absolute). */
function replyTtl(client: Client, key: BinaryString, unit: Unit, absolute: boolean): void {
  const db = client.db;
  if (db.lookupRead(key, false) === undefined) {
    client.reply.integer(-2);
    return;
  }
  const at = db.expireAt(key);
  if (at === undefined) {
    client.reply.integer(-1);
    return;
  }
  const ms = Math.max(absolute ? at : at - Date.now(), 0);
  client.reply.integer(unit === 'milliseconds' ? ms : Math.floor((ms + 500) / 1000));
}

const EXPIRE_ARGUMENTS = (timeName: string, timeType: 'integer' | 'unix-time') => [
  KEY,
  { name: timeName, type: timeType },
  {
    name: 'condition',
    type: 'oneof' as const,
    optional: true,
    since: '7.0.0',
    arguments: ['nx', 'xx', 'gt', 'lt'].map((t) => ({ name: t, type: 'pure-token' as const, token: t.toUpperCase() })),
  },
];

function expireCommand(name: string, unit: Unit, relative: boolean, summary: string, since: string): CommandSpec {
  return defineCommand({
    name,
    arity: -3,
    flags: ['write', 'fast'],
    keySpecs: [keySpec('RW update', 1)],
    acl: ['keyspace'],
    summary,
    since,
    group: 'generic',
    complexity: 'O(1)',
    history: [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']],
    arguments: EXPIRE_ARGUMENTS(relative ? unit : `unix-time-${unit}`, relative ? 'integer' : 'unix-time'),
    handler(client, argv) {
      expireGeneric(client, argv, unit, relative);
    },
  });
}

function ttlCommand(name: string, unit: Unit, absolute: boolean, summary: string, since: string): CommandSpec {
  return defineCommand({
    name,
    arity: 2,
    flags: ['readonly', 'fast'],
    // A remaining time changes from one call to the next; an expiry time does not.
    ...(absolute ? {} : { tips: ['nondeterministic_output'] }),
    keySpecs: [keySpec('RO access', 1)],
    acl: ['keyspace'],
    summary,
    since,
    group: 'generic',
    complexity: 'O(1)',
    ...(absolute ? {} : { history: [['2.8.0', 'Added the -2 reply.']] as [string, string][] }),
    arguments: [KEY],
    handler(client, argv) {
      replyTtl(client, argv[1]!, unit, absolute);
    },
  });
}

export const expireCommands: CommandSpec[] = [
  expireCommand('expire', 'seconds', true, "Set a key's time to live in seconds", '1.0.0'),
  expireCommand('pexpire', 'milliseconds', true, "Set a key's time to live in milliseconds", '2.6.0'),
  expireCommand('expireat', 'seconds', false, 'Set the expiration for a key as a UNIX timestamp', '1.2.0'),
  expireCommand('pexpireat', 'milliseconds', false, 'Set the expiration for a key as a UNIX timestamp specified in milliseconds', '2.6.0'),
  ttlCommand('ttl', 'seconds', false, 'Get the time to live for a key in seconds', '1.0.0'),
  ttlCommand('pttl', 'milliseconds', false, 'Get the time to live for a key in milliseconds', '2.6.0'),
  ttlCommand('expiretime', 'seconds', true, 'Get the expiration Unix timestamp for a key', '7.0.0'),
  ttlCommand('pexpiretime', 'milliseconds', true, 'Get the expiration Unix timestamp for a key in milliseconds', '7.0.0'),
  defineCommand({
    name: 'persist',
    arity: 2,
    flags: ['write', 'fast'],
    keySpecs: [keySpec('RW update', 1)],
    acl: ['keyspace'],
    summary: 'Remove the expiration from a key',
    since: '2.2.0',
    group: 'generic',
    complexity: 'O(1)',
    arguments: [KEY],
    handler(client, argv) {
      const key = argv[1]!;
      const db = client.db;
      if (db.peekLive(key, true) === undefined || !db.persist(key)) {
        client.reply.integer(0);
        return;
      }
      client.server.keyspaceEvents.notify('g', 'persist', key, db.id);
      client.reply.integer(1);
    },
  }),
];
