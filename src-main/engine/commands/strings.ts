// String commands (t_string.c).
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../server/client.js';
import { defineCommand, type CommandSpec } from './table.js';
import { ERR } from './replies.js';
import { parseInteger } from '../util/numbers.js';

const INT64_MAX_MS = 9223372036854775807;

/** The string at `key` for reading; replies WRONGTYPE and returns null for another type. */
function readString(client: Client, key: BinaryString): BinaryString | undefined | null {
  const value = client.db.lookupRead(key);
  if (value === undefined || typeof value === 'string') return value;
  client.reply.error(ERR.wrongType);
  return null;
}

/** GET's reply for a key: bulk, null, or WRONGTYPE. Returns false on WRONGTYPE. */
function replyWithString(client: Client, key: BinaryString): boolean {
  const value = readString(client, key);
  if (value === null) return false;
  if (value === undefined) client.reply.null();
  else client.reply.bulk(value);
  return true;
}

type ExpireUnit = 'EX' | 'PX' | 'EXAT' | 'PXAT';

/**
 * t_string.c getExpireMillisecondsOrReply: the absolute expiry in ms for an EX/PX/EXAT/PXAT
 * argument, or undefined after replying "invalid expire time".
 */
function absoluteExpireMs(client: Client, arg: BinaryString, unit: ExpireUnit, commandName: string): number | undefined {
  const n = parseInteger(arg);
  if (n === null) {
    client.reply.error(ERR.notInteger);
    return undefined;
  }
  const seconds = unit === 'EX' || unit === 'EXAT';
  let ms = n;
  if (n <= 0 || (seconds && n > INT64_MAX_MS / 1000)) ms = -1;
  else {
    if (seconds) ms *= 1000;
    if (unit === 'EX' || unit === 'PX') ms += Date.now();
  }
  if (ms <= 0 || ms > INT64_MAX_MS) {
    client.reply.error(`ERR invalid expire time in '${commandName}' command`);
    return undefined;
  }
  return ms;
}

interface SetOptions {
  nx: boolean;
  xx: boolean;
  get: boolean;
  keepTtl: boolean;
  expireUnit: ExpireUnit | null;
  expireArg: BinaryString | null;
}

/** t_string.c parseExtendedStringArgumentsOrReply for SET: null after replying a syntax error. */
function parseSetOptions(argv: BinaryString[]): SetOptions | null {
  const o: SetOptions = { nx: false, xx: false, get: false, keepTtl: false, expireUnit: null, expireArg: null };
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!.toUpperCase();
    const hasNext = j + 1 < argv.length;
    const otherExpire = (unit: ExpireUnit) => o.expireUnit !== null && o.expireUnit !== unit;
    if (opt === 'NX' && !o.xx) o.nx = true;
    else if (opt === 'XX' && !o.nx) o.xx = true;
    else if (opt === 'GET') o.get = true;
    else if (opt === 'KEEPTTL' && o.expireUnit === null) o.keepTtl = true;
    else if ((opt === 'EX' || opt === 'PX' || opt === 'EXAT' || opt === 'PXAT') && !o.keepTtl && !otherExpire(opt) && hasNext) {
      o.expireUnit = opt;
      o.expireArg = argv[++j]!;
    } else return null;
  }
  return o;
}

export const stringCommands: CommandSpec[] = [
  defineCommand({
    name: 'get',
    arity: 2,
    flags: ['readonly', 'fast'],
    keys: [1, 1, 1],
    acl: ['string'],
    summary: 'Get the value of a key',
    since: '1.0.0',
    group: 'string',
    complexity: 'O(1)',
    arguments: [{ name: 'key', type: 'key' }],
    handler(client, argv) {
      replyWithString(client, argv[1]!);
    },
  }),
  defineCommand({
    name: 'set',
    arity: -3,
    flags: ['write', 'denyoom'],
    keys: [1, 1, 1],
    acl: ['string'],
    summary: 'Set the string value of a key',
    since: '1.0.0',
    group: 'string',
    complexity: 'O(1)',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'value', type: 'string' },
      {
        name: 'condition',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'nx', type: 'pure-token', token: 'NX' },
          { name: 'xx', type: 'pure-token', token: 'XX' },
        ],
      },
      { name: 'get', type: 'pure-token', token: 'GET', optional: true },
      {
        name: 'expiration',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'seconds', type: 'integer', token: 'EX' },
          { name: 'milliseconds', type: 'integer', token: 'PX' },
          { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT' },
          { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT' },
          { name: 'keepttl', type: 'pure-token', token: 'KEEPTTL' },
        ],
      },
    ],
    handler(client, argv) {
      const key = argv[1]!;
      const value = argv[2]!;
      // Fast path: plain SET key value, the most frequent write.
      if (argv.length === 3) {
        client.db.set(key, value);
        client.server.keyspaceEvents.notify('$', 'set', key, client.db.id);
        client.reply.ok();
        return;
      }
      const o = parseSetOptions(argv);
      if (!o) {
        client.reply.error(ERR.syntax);
        return;
      }
      let expireAt: number | undefined;
      if (o.expireUnit) {
        expireAt = absoluteExpireMs(client, o.expireArg!, o.expireUnit, 'set');
        if (expireAt === undefined) return;
      }
      if (o.get && !replyWithString(client, key)) return;
      const found = client.db.exists(key);
      if ((o.nx && found) || (o.xx && !found)) {
        if (!o.get) client.reply.null();
        return;
      }
      const db = client.db;
      db.set(key, value, expireAt ?? (o.keepTtl ? 'keep' : undefined));
      client.server.keyspaceEvents.notify('$', 'set', key, db.id);
      if (expireAt !== undefined) {
        // Replicas and the AOF get the absolute time, so they expire the key at the same moment.
        if (o.expireUnit !== 'PXAT') client.server.propagation.propagate(db.id, ['SET', key, value, 'PXAT', String(expireAt)]);
        client.server.keyspaceEvents.notify('g', 'expire', key, db.id);
      }
      if (!o.get) client.reply.ok();
      else if (expireAt === undefined) {
        // GET only shapes the reply; the write stream gets SET without it.
        client.server.propagation.propagate(
          db.id,
          argv.filter((a, j) => j < 3 || a.toUpperCase() !== 'GET'),
        );
      }
    },
  }),
];
