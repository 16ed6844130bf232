// String commands (t_string.c). Bit operations are in commands/bitops.ts, LCS in commands/lcs.ts.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { STRING_ENCODING_RAW, STRING_ENCODING_SIZED } from '../keyspace/object-header.js';
import { keySpec, defineCommand, type CommandDocArgument, type CommandSpec } from '../core/command-table.js';
import { ERR, is, wrongArity } from '../core/replies.js';
import { alreadyExpired, deleteExpiredNow, invalidExpireTime } from './expire.js';
import { lengthAllowed, readString, storeString, writableString } from './string-access.js';
import { lcsCommand } from './lcs.js';
import { INT64, parseInt64, parseInteger } from '../util/numbers.js';
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from '../util/long-double.js';

// LLONG_MAX as a double (2^63): the TTL checks below compare in doubles, as the parsed number is one.
const INT64_MAX_MS = 2 ** 63;
const KEY: CommandDocArgument = { name: 'key', type: 'key' };
const VALUE: CommandDocArgument = { name: 'value', type: 'string' };

/** GET's reply for a key: bulk, null, or WRONGTYPE. Returns false on WRONGTYPE. */
function replyWithString(client: Client, key: BinaryString): boolean {
  const value = readString(client, key);
  if (value === null) return false;
  if (value === undefined) client.reply.null();
  else client.reply.bulk(value);
  return true;
}

function notifyString(client: Client, event: string, key: BinaryString): void {
  client.server.keyspaceEvents.notify('$', event, key, client.db.id);
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
    invalidExpireTime(client, commandName);
    return undefined;
  }
  return ms;
}

interface StringOptions {
  nx: boolean;
  xx: boolean;
  get: boolean;
  keepTtl: boolean;
  persist: boolean;
  expireUnit: ExpireUnit | null;
  expireArg: BinaryString | null;
}

/**
 * parseExtendedStringArgumentsOrReply: SET's options (NX XX GET KEEPTTL and an expiry) from
 * argv[3], or GETEX's (PERSIST and an expiry) from argv[2]. Null on a syntax error.
 */
function parseStringOptions(argv: BinaryString[], command: 'set' | 'getex'): StringOptions | null {
  const o: StringOptions = { nx: false, xx: false, get: false, keepTtl: false, persist: false, expireUnit: null, expireArg: null };
  const isSet = command === 'set';
  for (let j = isSet ? 3 : 2; j < argv.length; j++) {
    const opt = argv[j]!.toUpperCase();
    const hasNext = j + 1 < argv.length;
    const otherExpire = (unit: ExpireUnit) => o.expireUnit !== null && o.expireUnit !== unit;
    if (opt === 'NX' && !o.xx && isSet) o.nx = true;
    else if (opt === 'XX' && !o.nx && isSet) o.xx = true;
    else if (opt === 'GET' && isSet) o.get = true;
    else if (opt === 'KEEPTTL' && o.expireUnit === null && isSet) o.keepTtl = true;
    else if (opt === 'PERSIST' && o.expireUnit === null && !isSet) o.persist = true;
    else if (
      (opt === 'EX' || opt === 'PX' || opt === 'EXAT' || opt === 'PXAT') &&
      !o.keepTtl &&
      !o.persist &&
      !otherExpire(opt) &&
      hasNext
    ) {
      o.expireUnit = opt;
      o.expireArg = argv[++j]!;
    } else return null;
  }
  return o;
}

const NO_OPTIONS: StringOptions = parseStringOptions([], 'set')!;

/**
 * setGenericCommand, for SET, SETNX, SETEX and PSETEX. `ok` and `aborted` reply when the value
 * was / was not stored (NX/XX); with GET the old value was the reply.
 */
function setGeneric(
  client: Client,
  argv: BinaryString[],
  key: BinaryString,
  value: BinaryString,
  o: StringOptions,
  ok: () => void,
  aborted: () => void,
): void {
  let expireAt: number | undefined;
  if (o.expireUnit) {
    expireAt = absoluteExpireMs(client, o.expireArg!, o.expireUnit, argv[0]!.toLowerCase());
    if (expireAt === undefined) return;
  }
  if (o.get && !replyWithString(client, key)) return;
  const db = client.db;
  const found = db.exists(key);
  if ((o.nx && found) || (o.xx && !found)) {
    if (!o.get) aborted();
    return;
  }
  db.set(key, value, expireAt ?? (o.keepTtl ? 'keep' : undefined));
  notifyString(client, 'set', key);
  if (expireAt !== undefined) {
    // Replicas and the AOF get the absolute time, so they expire the key at the same moment. 7.0
    // rewrites even a SET ... PXAT, which drops NX/XX/GET (only 7.2 keeps a PXAT SET as written).
    client.server.propagation.propagate(db.id, ['SET', key, value, 'PXAT', String(expireAt)]);
    client.server.keyspaceEvents.notify('g', 'expire', key, db.id);
  }
  if (!o.get) ok();
  else if (expireAt === undefined) {
    // GET only shapes the reply; the write stream gets SET without it.
    client.server.propagation.propagate(
      db.id,
      argv.filter((a, j) => j < 3 || a.toUpperCase() !== 'GET'),
    );
  }
}

/** SETEX and PSETEX: SET with EX / PX. */
function setWithExpire(client: Client, argv: BinaryString[], unit: 'EX' | 'PX'): void {
  const options = { ...NO_OPTIONS, expireUnit: unit, expireArg: argv[2]! };
  setGeneric(
    client,
    argv,
    argv[1]!,
    argv[3]!,
    options,
    () => client.reply.ok(),
    () => client.reply.null(),
  );
}

/** getexCommand: GET, then apply EX/PX/EXAT/PXAT/PERSIST, propagated as PEXPIREAT, DEL or PERSIST. */
function getex(client: Client, argv: BinaryString[]): void {
  const o = parseStringOptions(argv, 'getex');
  if (!o) {
    client.reply.error(ERR.syntax);
    return;
  }
  const key = argv[1]!;
  const value = readString(client, key);
  if (value === null) return;
  if (value === undefined) {
    client.reply.null();
    return;
  }
  let expireAt: number | undefined;
  if (o.expireUnit) {
    expireAt = absoluteExpireMs(client, o.expireArg!, o.expireUnit, 'getex');
    if (expireAt === undefined) return;
  }
  client.reply.bulk(value);
  const db = client.db;
  const propagation = client.server.propagation;
  if ((o.expireUnit === 'EXAT' || o.expireUnit === 'PXAT') && alreadyExpired(client, expireAt!)) {
    deleteExpiredNow(client, key);
  } else if (expireAt !== undefined) {
    db.setExpire(key, expireAt);
    propagation.propagate(db.id, ['PEXPIREAT', key, String(expireAt)]);
    client.server.keyspaceEvents.notify('g', 'expire', key, db.id);
  } else if (o.persist && db.persist(key)) {
    propagation.propagate(db.id, ['PERSIST', key]);
    client.server.keyspaceEvents.notify('g', 'persist', key, db.id);
  }
}

/** MSET and MSETNX (msetGenericCommand). */
function setMany(client: Client, argv: BinaryString[], nx: boolean): void {
  if (argv.length % 2 === 0) {
    wrongArity(client, argv[0]!.toLowerCase());
    return;
  }
  const db = client.db;
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) {
      if (db.exists(argv[j]!)) {
        client.reply.integer(0);
        return;
      }
    }
  }
  for (let j = 1; j < argv.length; j += 2) {
    db.set(argv[j]!, argv[j + 1]!);
    notifyString(client, 'set', argv[j]!);
  }
  if (nx) client.reply.integer(1);
  else client.reply.ok();
}

/** Digits that always fit a double exactly: a fast path for the usual small counters. */
const SAFE_DIGITS = 15;

/**
 * string2ll for a counter's value: a number when it has at most 15 characters (exact in a
 * double), a bigint for longer 64-bit integers, null when it is not an integer in Redis's strict
 * format (no sign but '-', no leading zeros, no "-0", no spaces). The short case is parsed by
 * hand: it is INCR's hot path.
 */
function counterValue(text: BinaryString): number | bigint | null {
  const length = text.length;
  if (length > SAFE_DIGITS) return parseInt64(text);
  const negative = text.charCodeAt(0) === 45; // '-'
  let i = negative ? 1 : 0;
  if (i === length) return null;
  if (text.charCodeAt(i) === 48) return length === 1 ? 0 : null; // '0' alone, never a leading zero
  let n = 0;
  for (; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return null;
    n = n * 10 + digit;
  }
  return negative ? -n : n;
}

/** incrDecrCommand: adds `by` to the integer at `key` (0 when missing), keeping its TTL. */
function incrementBy(client: Client, key: BinaryString, by: number | bigint): void {
  const current = writableString(client, key);
  if (current === null) return;
  let result: number | bigint;
  if (current === undefined) {
    result = by;
  } else {
    const value = counterValue(current);
    if (value === null) {
      client.reply.error(ERR.notInteger);
      return;
    }
    if (typeof value === 'number' && typeof by === 'number' && Number.isSafeInteger(value + by)) {
      result = value + by;
    } else {
      const sum = BigInt(value) + BigInt(by);
      if (sum > INT64.MAX || sum < INT64.MIN) {
        client.reply.error('ERR increment or decrement would overflow');
        return;
      }
      result = sum;
    }
  }
  client.db.set(key, String(result), 'keep');
  notifyString(client, 'incrby', key);
  client.reply.integer(result);
}

/** The INCRBY/DECRBY amount as a number when exact, else a bigint; null after replying. */
function incrementArg(client: Client, arg: BinaryString): number | bigint | null {
  const value = counterValue(arg);
  if (value === null) client.reply.error(ERR.notInteger);
  return value;
}

/** GETRANGE and SUBSTR (getrangeCommand). */
function getRange(client: Client, argv: BinaryString[]): void {
  const start = parseInt64(argv[2]!);
  const end = parseInt64(argv[3]!);
  if (start === null || end === null) {
    client.reply.error(ERR.notInteger);
    return;
  }
  const value = readString(client, argv[1]!);
  if (value === null) return;
  if (value === undefined) {
    client.reply.bulk('');
    return;
  }
  const length = BigInt(value.length);
  if (start < 0n && end < 0n && start > end) {
    client.reply.bulk('');
    return;
  }
  let from = start < 0n ? length + start : start;
  let to = end < 0n ? length + end : end;
  if (from < 0n) from = 0n;
  if (to < 0n) to = 0n;
  if (to >= length) to = length - 1n;
  if (from > to || length === 0n) client.reply.bulk('');
  else client.reply.bulk(value.slice(Number(from), Number(to) + 1));
}

/** A command of this family: ACL category and COMMAND DOCS group @string. */
function command(spec: Omit<Parameters<typeof defineCommand>[0], 'group' | 'acl'>): CommandSpec {
  return defineCommand({ ...spec, acl: ['string'], group: 'string' });
}

export const stringCommands: CommandSpec[] = [
  command({
    name: 'get',
    arity: 2,
    flags: ['readonly', 'fast'],
    keySpecs: [keySpec('RO access', 1)],
    summary: 'Get the value of a key',
    since: '1.0.0',
    complexity: 'O(1)',
    arguments: [KEY],
    handler(client, argv) {
      replyWithString(client, argv[1]!);
    },
  }),
  command({
    name: 'set',
    arity: -3,
    flags: ['write', 'denyoom'],
    keySpecs: [keySpec('RW access update variable_flags', 1, [0, 1, 0], 'RW and ACCESS due to the optional `GET` argument')],
    // db.c setGetKeys: GET (spelled exactly, in any case, after the value) reads the old value.
    getKeys: (argv) => [
      { pos: 1, flags: argv.slice(3).some((a) => a.length === 3 && is(a, 'get')) ? ['RW', 'access', 'update'] : ['OW', 'update'] },
    ],
    summary: 'Set the string value of a key',
    since: '1.0.0',
    history: [
      ['2.6.12', 'Added the `EX`, `PX`, `NX` and `XX` options.'],
      ['6.0.0', 'Added the `KEEPTTL` option.'],
      ['6.2.0', 'Added the `GET`, `EXAT` and `PXAT` option.'],
      ['7.0.0', 'Allowed the `NX` and `GET` options to be used together.'],
    ],
    complexity: 'O(1)',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'value', type: 'string' },
      {
        name: 'condition',
        type: 'oneof',
        optional: true,
        since: '2.6.12',
        arguments: [
          { name: 'nx', type: 'pure-token', token: 'NX' },
          { name: 'xx', type: 'pure-token', token: 'XX' },
        ],
      },
      { name: 'get', type: 'pure-token', token: 'GET', optional: true, since: '6.2.0' },
      {
        name: 'expiration',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'seconds', type: 'integer', token: 'EX', since: '2.6.12' },
          { name: 'milliseconds', type: 'integer', token: 'PX', since: '2.6.12' },
          { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT', since: '6.2.0' },
          { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT', since: '6.2.0' },
          { name: 'keepttl', type: 'pure-token', token: 'KEEPTTL', since: '6.0.0' },
        ],
      },
    ],
    handler(client, argv) {
      const key = argv[1]!;
      const value = argv[2]!;
      // Fast path: plain SET key value, the most frequent write.
      if (argv.length === 3) {
        client.db.set(key, value);
        notifyString(client, 'set', key);
        client.reply.ok();
        return;
      }
      const o = parseStringOptions(argv, 'set');
      if (!o) {
        client.reply.error(ERR.syntax);
        return;
      }
      setGeneric(
        client,
        argv,
        key,
        value,
        o,
        () => client.reply.ok(),
        () => client.reply.null(),
      );
    },
  }),
  command({
    name: 'setnx',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [keySpec('OW insert', 1)],
    summary: 'Set the value of a key, only if the key does not exist',
    since: '1.0.0',
    complexity: 'O(1)',
    arguments: [KEY, VALUE],
    handler(client, argv) {
      const options = { ...NO_OPTIONS, nx: true };
      setGeneric(
        client,
        argv,
        argv[1]!,
        argv[2]!,
        options,
        () => client.reply.integer(1),
        () => client.reply.integer(0),
      );
    },
  }),
  command({
    name: 'setex',
    arity: 4,
    flags: ['write', 'denyoom'],
    keySpecs: [keySpec('OW update', 1)],
    summary: 'Set the value and expiration of a key',
    since: '2.0.0',
    complexity: 'O(1)',
    arguments: [KEY, { name: 'seconds', type: 'integer' }, VALUE],
    handler(client, argv) {
      setWithExpire(client, argv, 'EX');
    },
  }),
  command({
    name: 'psetex',
    arity: 4,
    flags: ['write', 'denyoom'],
    keySpecs: [keySpec('OW update', 1)],
    summary: 'Set the value and expiration in milliseconds of a key',
    since: '2.6.0',
    complexity: 'O(1)',
    arguments: [KEY, { name: 'milliseconds', type: 'integer' }, VALUE],
    handler(client, argv) {
      setWithExpire(client, argv, 'PX');
    },
  }),
  command({
    name: 'getset',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [keySpec('RW access update', 1)],
    summary: 'Set the string value of a key and return its old value',
    since: '1.0.0',
    replacedBy: '`SET` with the `!GET` argument',
    deprecatedSince: '6.2.0',
    docFlags: ['deprecated'],
    complexity: 'O(1)',
    arguments: [KEY, VALUE],
    handler(client, argv) {
      const [, key, value] = argv as [BinaryString, BinaryString, BinaryString];
      if (!replyWithString(client, key)) return;
      client.db.set(key, value);
      notifyString(client, 'set', key);
      client.server.propagation.propagate(client.db.id, ['SET', key, value]);
    },
  }),
  command({
    name: 'getdel',
    arity: 2,
    flags: ['write', 'fast'],
    keySpecs: [keySpec('RW access delete', 1)],
    summary: 'Get the value of a key and delete the key',
    since: '6.2.0',
    complexity: 'O(1)',
    arguments: [KEY],
    handler(client, argv) {
      const key = argv[1]!;
      const value = readString(client, key);
      if (value === null) return;
      if (value === undefined) {
        client.reply.null();
        return;
      }
      client.reply.bulk(value);
      const db = client.db;
      db.delete(key);
      const lazy = client.server.config.bool('lazyfree-lazy-user-del');
      client.server.propagation.propagate(db.id, [lazy ? 'UNLINK' : 'DEL', key]);
      client.server.keyspaceEvents.notify('g', 'del', key, db.id);
    },
  }),
  command({
    name: 'getex',
    arity: -2,
    flags: ['write', 'fast'],
    keySpecs: [keySpec('RW access update', 1, [0, 1, 0], 'RW and UPDATE because it changes the TTL')],
    summary: 'Get the value of a key and optionally set its expiration',
    since: '6.2.0',
    complexity: 'O(1)',
    arguments: [
      KEY,
      {
        name: 'expiration',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'seconds', type: 'integer', token: 'EX' },
          { name: 'milliseconds', type: 'integer', token: 'PX' },
          { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT' },
          { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT' },
          { name: 'persist', type: 'pure-token', token: 'PERSIST' },
        ],
      },
    ],
    handler: getex,
  }),
  command({
    name: 'mget',
    arity: -2,
    tips: ['request_policy:multi_shard'],
    flags: ['readonly', 'fast'],
    keySpecs: [keySpec('RO access', 1, [-1, 1, 0])],
    summary: 'Get the values of all the given keys',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of keys to retrieve.',
    arguments: [{ name: 'key', type: 'key', multiple: true }],
    handler(client, argv) {
      const db = client.db;
      client.reply.arrayHeader(argv.length - 1);
      for (let j = 1; j < argv.length; j++) {
        const value = db.lookupRead(argv[j]!);
        if (typeof value === 'string') client.reply.bulk(value);
        else client.reply.null();
      }
    },
  }),
  command({
    name: 'mset',
    arity: -3,
    tips: ['request_policy:multi_shard', 'response_policy:all_succeeded'],
    flags: ['write', 'denyoom'],
    keySpecs: [keySpec('OW update', 1, [-1, 2, 0])],
    summary: 'Set multiple keys to multiple values',
    since: '1.0.1',
    complexity: 'O(N) where N is the number of keys to set.',
    arguments: [{ name: 'key_value', type: 'block', multiple: true, arguments: [KEY, VALUE] }],
    handler(client, argv) {
      setMany(client, argv, false);
    },
  }),
  command({
    name: 'msetnx',
    arity: -3,
    tips: ['request_policy:multi_shard', 'response_policy:agg_min'],
    flags: ['write', 'denyoom'],
    keySpecs: [keySpec('OW insert', 1, [-1, 2, 0])],
    summary: 'Set multiple keys to multiple values, only if none of the keys exist',
    since: '1.0.1',
    complexity: 'O(N) where N is the number of keys to set.',
    arguments: [{ name: 'key_value', type: 'block', multiple: true, arguments: [KEY, VALUE] }],
    handler(client, argv) {
      setMany(client, argv, true);
    },
  }),
  command({
    name: 'incr',
    arity: 2,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [keySpec('RW access update', 1)],
    summary: 'Increment the integer value of a key by one',
    since: '1.0.0',
    complexity: 'O(1)',
    arguments: [KEY],
    handler(client, argv) {
      incrementBy(client, argv[1]!, 1);
    },
  }),
  command({
    name: 'decr',
    arity: 2,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [keySpec('RW access update', 1)],
    summary: 'Decrement the integer value of a key by one',
    since: '1.0.0',
    complexity: 'O(1)',
    arguments: [KEY],
    handler(client, argv) {
      incrementBy(client, argv[1]!, -1);
    },
  }),
  command({
    name: 'incrby',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [keySpec('RW access update', 1)],
    summary: 'Increment the integer value of a key by the given amount',
    since: '1.0.0',
    complexity: 'O(1)',
    arguments: [KEY, { name: 'increment', type: 'integer' }],
    handler(client, argv) {
      const by = incrementArg(client, argv[2]!);
      if (by !== null) incrementBy(client, argv[1]!, by);
    },
  }),
  command({
    name: 'decrby',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [keySpec('RW access update', 1)],
    summary: 'Decrement the integer value of a key by the given number',
    since: '1.0.0',
    complexity: 'O(1)',
    arguments: [KEY, { name: 'decrement', type: 'integer' }],
    handler(client, argv) {
      const by = incrementArg(client, argv[2]!);
      if (by === null) return;
      // Negating LLONG_MIN would overflow (decrbyCommand).
      if (by === INT64.MIN) {
        client.reply.error('ERR decrement would overflow');
        return;
      }
      incrementBy(client, argv[1]!, typeof by === 'number' ? -by : -by);
    },
  }),
  command({
    name: 'incrbyfloat',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [keySpec('RW access update', 1)],
    summary: 'Increment the float value of a key by the given amount',
    since: '2.6.0',
    complexity: 'O(1)',
    arguments: [KEY, { name: 'increment', type: 'double' }],
    handler(client, argv) {
      const key = argv[1]!;
      const current = writableString(client, key);
      if (current === null) return;
      // Redis computes in long double (util/long-double.ts explains why that matters).
      const value = current === undefined ? parseLongDouble('0') : parseLongDouble(current);
      const increment = parseLongDouble(argv[2]!);
      if (value === null || increment === null) {
        client.reply.error(ERR.notFloat);
        return;
      }
      const sum = value === 'infinite' || increment === 'infinite' ? null : addLongDouble(value, increment);
      if (sum === null) {
        client.reply.error('ERR increment would produce NaN or Infinity');
        return;
      }
      const text = formatLongDoubleHuman(sum);
      const db = client.db;
      // createStringObjectFromLongDouble: embstr or raw by length, never int.
      storeString(db, key, text, 'keep', STRING_ENCODING_SIZED);
      notifyString(client, 'incrbyfloat', key);
      client.reply.bulk(text);
      // Replicas and the AOF get the result, so float formatting can never make them diverge.
      client.server.propagation.propagate(db.id, ['SET', key, text, 'KEEPTTL']);
    },
  }),
  command({
    name: 'append',
    arity: 3,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [keySpec('RW insert', 1)],
    summary: 'Append a value to a key',
    since: '2.0.0',
    complexity:
      'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.',
    arguments: [KEY, VALUE],
    handler(client, argv) {
      const [, key, suffix] = argv as [BinaryString, BinaryString, BinaryString];
      const current = writableString(client, key);
      if (current === null) return;
      let result = suffix;
      if (current !== undefined) {
        if (!lengthAllowed(client, current.length, suffix.length)) return;
        // V8 concatenates lazily (a rope), so repeated appends stay cheap until the value is read.
        result = current + suffix;
      }
      storeString(client.db, key, result, 'keep', current === undefined ? undefined : STRING_ENCODING_RAW);
      notifyString(client, 'append', key);
      client.reply.integer(result.length);
    },
  }),
  command({
    name: 'strlen',
    arity: 2,
    flags: ['readonly', 'fast'],
    keySpecs: [keySpec('RO', 1)],
    summary: 'Get the length of the value stored in a key',
    since: '2.2.0',
    complexity: 'O(1)',
    arguments: [KEY],
    handler(client, argv) {
      const value = readString(client, argv[1]!);
      if (value !== null) client.reply.integer(value?.length ?? 0);
    },
  }),
  command({
    name: 'getrange',
    arity: 4,
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    summary: 'Get a substring of the string stored at a key',
    since: '2.4.0',
    complexity:
      'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.',
    arguments: [KEY, { name: 'start', type: 'integer' }, { name: 'end', type: 'integer' }],
    handler: getRange,
  }),
  command({
    name: 'substr',
    arity: 4,
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    summary: 'Get a substring of the string stored at a key',
    since: '1.0.0',
    replacedBy: '`GETRANGE`',
    deprecatedSince: '2.0.0',
    docFlags: ['deprecated'],
    complexity:
      'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.',
    arguments: [KEY, { name: 'start', type: 'integer' }, { name: 'end', type: 'integer' }],
    handler: getRange,
  }),
  command({
    name: 'setrange',
    arity: 4,
    flags: ['write', 'denyoom'],
    keySpecs: [keySpec('RW update', 1)],
    summary: 'Overwrite part of a string at key starting at the specified offset',
    since: '2.2.0',
    complexity:
      'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.',
    arguments: [KEY, { name: 'offset', type: 'integer' }, VALUE],
    handler(client, argv) {
      const [, key, offsetArg, patch] = argv as [BinaryString, BinaryString, BinaryString, BinaryString];
      const offset = parseInteger(offsetArg);
      if (offset === null) {
        client.reply.error(ERR.notInteger);
        return;
      }
      if (offset < 0) {
        client.reply.error('ERR offset is out of range');
        return;
      }
      const current = writableString(client, key);
      if (current === null) return;
      if (patch.length === 0) {
        client.reply.integer(current?.length ?? 0);
        return;
      }
      if (!lengthAllowed(client, offset, patch.length)) return;
      const base = current ?? '';
      const padded = base.length < offset ? base + '\0'.repeat(offset - base.length) : base;
      const result = padded.slice(0, offset) + patch + padded.slice(offset + patch.length);
      storeString(client.db, key, result, 'keep', STRING_ENCODING_RAW);
      notifyString(client, 'setrange', key);
      client.reply.integer(result.length);
    },
  }),
  lcsCommand,
];
