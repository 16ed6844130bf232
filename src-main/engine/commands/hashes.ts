// Hash commands (t_hash.c).
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { HashValue, type HashLimits } from '../keyspace/types/hash.js';
import { randomDistinctPositions } from '../keyspace/types/dense-array.js';
import { keySpec, defineCommand, type CommandSpec } from '../core/command-table.js';
import { ERR, is, wrongArity } from '../core/replies.js';
import { commitWrite, readAggregate, writableAggregate } from './aggregate-access.js';
import { randomCountArg } from './random-count.js';
import { scanKeyCommand } from './scan-cursor.js';
import { INT64, parseInt64 } from '../util/numbers.js';
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from '../util/long-double.js';

const LONG_MAX = INT64.MAX;

function limits(client: Client): HashLimits {
  const config = client.server.config;
  return {
    maxListpackEntries: config.int('hash-max-listpack-entries'),
    maxListpackValue: config.int('hash-max-listpack-value'),
  };
}

function notify(client: Client, event: string, key: BinaryString): void {
  client.server.keyspaceEvents.notify('h', event, key, client.db.id);
}

interface HashTarget {
  hash: HashValue;
  /** False for a new hash, which commitWrite then stores. */
  existed: boolean;
}

/** hashTypeLookupWriteOrCreate: the hash to change (a new empty one when missing), or null after WRONGTYPE. */
function hashForWrite(client: Client, key: BinaryString): HashTarget | null {
  const existing = writableAggregate(client, key, HashValue);
  if (existing === null) return null;
  return { hash: existing ?? new HashValue(), existed: existing !== undefined };
}

/** Stores a change of `changes` fields (server.dirty) and publishes its keyspace event. */
function commitHash(client: Client, key: BinaryString, target: HashTarget, changes: number, event: string): void {
  commitWrite(client.db, key, target.hash, target.existed, changes);
  notify(client, event, key);
}

/** HSET and HMSET (hsetCommand): same work, different replies. */
function setFields(client: Client, argv: BinaryString[], replyCount: boolean): void {
  if (argv.length % 2 === 1) {
    wrongArity(client, argv[0]!.toLowerCase());
    return;
  }
  const key = argv[1]!;
  const target = hashForWrite(client, key);
  if (!target) return;
  const hashLimits = limits(client);
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) if (target.hash.set(argv[i]!, argv[i + 1]!, hashLimits)) created++;
  commitHash(client, key, target, (argv.length - 2) / 2, 'hset');
  if (replyCount) client.reply.integer(created);
  else client.reply.ok();
}

/** genericHgetallCommand: fields, values, or both (a map in RESP3). */
function replyAll(client: Client, key: BinaryString, fields: boolean, values: boolean): void {
  const hash = readAggregate(client, key, HashValue);
  if (hash === null) return;
  const size = hash?.size ?? 0;
  if (fields && values) client.reply.mapHeader(size);
  else client.reply.arrayHeader(size);
  if (!hash) return;
  for (const [field, value] of hash.entries()) {
    if (fields) client.reply.bulk(field);
    if (values) client.reply.bulk(value);
  }
}

/** One HRANDFIELD entry: the field, its value too with WITHVALUES (a pair array in RESP3). */
function replyRandomEntry(client: Client, hash: HashValue, position: number, withValues: boolean): void {
  if (withValues && client.reply.protocol === 3) client.reply.arrayHeader(2);
  client.reply.bulk(hash.fieldAt(position));
  if (withValues) client.reply.bulk(hash.valueAt(position));
}

/** hrandfieldWithCountCommand. */
function randomFields(client: Client, key: BinaryString, count: number, withValues: boolean): void {
  const hash = readAggregate(client, key, HashValue);
  if (hash === null) return;
  if (!hash || count === 0) {
    client.reply.arrayHeader(0);
    return;
  }
  const flat = withValues && client.reply.protocol === 2;
  const size = hash.size;
  // CASE 1: a negative count allows repetitions (and count 1 is served the same way).
  if (count < 0 || count === 1) {
    const n = Math.abs(count);
    client.reply.arrayHeader(flat ? n * 2 : n);
    for (let i = 0; i < n; i++) replyRandomEntry(client, hash, Math.floor(Math.random() * size), withValues);
    return;
  }
  const n = Math.min(count, size);
  client.reply.arrayHeader(flat ? n * 2 : n);
  // CASE 2: the whole hash, in its own order.
  if (count >= size) {
    for (let i = 0; i < size; i++) replyRandomEntry(client, hash, i, withValues);
    return;
  }
  for (const position of randomDistinctPositions(size, count)) replyRandomEntry(client, hash, position, withValues);
}

export const hashCommands: CommandSpec[] = [
  defineCommand({
    name: 'hset',
    arity: -4,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [keySpec('RW update', 1)],
    acl: ['hash'],
    summary: 'Set the string value of a hash field',
    since: '2.0.0',
    group: 'hash',
    history: [['4.0.0', 'Accepts multiple `field` and `value` arguments.']],
    complexity:
      'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.',
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'field_value',
        type: 'block',
        multiple: true,
        arguments: [
          { name: 'field', type: 'string' },
          { name: 'value', type: 'string' },
        ],
      },
    ],
    handler(client, argv) {
      setFields(client, argv, true);
    },
  }),
  defineCommand({
    name: 'hsetnx',
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [keySpec('RW insert', 1)],
    acl: ['hash'],
    summary: 'Set the value of a hash field, only if the field does not exist',
    since: '2.0.0',
    group: 'hash',
    complexity: 'O(1)',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'field', type: 'string' },
      { name: 'value', type: 'string' },
    ],
    handler(client, argv) {
      const [, key, field, value] = argv as [BinaryString, BinaryString, BinaryString, BinaryString];
      const target = hashForWrite(client, key);
      if (!target) return;
      if (target.hash.has(field)) {
        client.reply.integer(0);
        return;
      }
      target.hash.set(field, value, limits(client));
      commitHash(client, key, target, 1, 'hset');
      client.reply.integer(1);
    },
  }),
  defineCommand({
    name: 'hmset',
    arity: -4,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [keySpec('RW update', 1)],
    acl: ['hash'],
    summary: 'Set multiple hash fields to multiple values',
    since: '2.0.0',
    group: 'hash',
    replacedBy: '`HSET` with multiple field-value pairs',
    deprecatedSince: '4.0.0',
    docFlags: ['deprecated'],
    complexity: 'O(N) where N is the number of fields being set.',
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'field_value',
        type: 'block',
        multiple: true,
        arguments: [
          { name: 'field', type: 'string' },
          { name: 'value', type: 'string' },
        ],
      },
    ],
    handler(client, argv) {
      setFields(client, argv, false);
    },
  }),
  defineCommand({
    name: 'hget',
    arity: 3,
    flags: ['readonly', 'fast'],
    keySpecs: [keySpec('RO access', 1)],
    acl: ['hash'],
    summary: 'Get the value of a hash field',
    since: '2.0.0',
    group: 'hash',
    complexity: 'O(1)',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'field', type: 'string' },
    ],
    handler(client, argv) {
      const hash = readAggregate(client, argv[1]!, HashValue);
      if (hash === null) return;
      const value = hash?.get(argv[2]!);
      if (value === undefined) client.reply.null();
      else client.reply.bulk(value);
    },
  }),
  defineCommand({
    name: 'hmget',
    arity: -3,
    flags: ['readonly', 'fast'],
    keySpecs: [keySpec('RO access', 1)],
    acl: ['hash'],
    summary: 'Get the values of all the given hash fields',
    since: '2.0.0',
    group: 'hash',
    complexity: 'O(N) where N is the number of fields being requested.',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'field', type: 'string', multiple: true },
    ],
    handler(client, argv) {
      // A missing key is an empty hash: one null per field.
      const hash = readAggregate(client, argv[1]!, HashValue);
      if (hash === null) return;
      client.reply.arrayHeader(argv.length - 2);
      for (let i = 2; i < argv.length; i++) {
        const value = hash?.get(argv[i]!);
        if (value === undefined) client.reply.null();
        else client.reply.bulk(value);
      }
    },
  }),
  defineCommand({
    name: 'hgetall',
    arity: 2,
    tips: ['nondeterministic_output_order'],
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    acl: ['hash'],
    summary: 'Get all the fields and values in a hash',
    since: '2.0.0',
    group: 'hash',
    complexity: 'O(N) where N is the size of the hash.',
    arguments: [{ name: 'key', type: 'key' }],
    handler(client, argv) {
      replyAll(client, argv[1]!, true, true);
    },
  }),
  defineCommand({
    name: 'hkeys',
    arity: 2,
    tips: ['nondeterministic_output_order'],
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    acl: ['hash'],
    summary: 'Get all the fields in a hash',
    since: '2.0.0',
    group: 'hash',
    complexity: 'O(N) where N is the size of the hash.',
    arguments: [{ name: 'key', type: 'key' }],
    handler(client, argv) {
      replyAll(client, argv[1]!, true, false);
    },
  }),
  defineCommand({
    name: 'hvals',
    arity: 2,
    tips: ['nondeterministic_output_order'],
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    acl: ['hash'],
    summary: 'Get all the values in a hash',
    since: '2.0.0',
    group: 'hash',
    complexity: 'O(N) where N is the size of the hash.',
    arguments: [{ name: 'key', type: 'key' }],
    handler(client, argv) {
      replyAll(client, argv[1]!, false, true);
    },
  }),
  defineCommand({
    name: 'hdel',
    arity: -3,
    flags: ['write', 'fast'],
    keySpecs: [keySpec('RW delete', 1)],
    acl: ['hash'],
    summary: 'Delete one or more hash fields',
    since: '2.0.0',
    group: 'hash',
    history: [['2.4.0', 'Accepts multiple `field` arguments.']],
    complexity: 'O(N) where N is the number of fields to be removed.',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'field', type: 'string', multiple: true },
    ],
    handler(client, argv) {
      const key = argv[1]!;
      const hash = writableAggregate(client, key, HashValue);
      if (hash === null) return;
      let deleted = 0;
      if (hash) {
        for (let i = 2; i < argv.length && hash.size > 0; i++) if (hash.delete(argv[i]!)) deleted++;
      }
      if (deleted > 0) {
        const keyRemoved = commitWrite(client.db, key, hash!, true, deleted);
        notify(client, 'hdel', key);
        if (keyRemoved) client.server.keyspaceEvents.notify('g', 'del', key, client.db.id);
      }
      client.reply.integer(deleted);
    },
  }),
  defineCommand({
    name: 'hexists',
    arity: 3,
    flags: ['readonly', 'fast'],
    keySpecs: [keySpec('RO', 1)],
    acl: ['hash'],
    summary: 'Determine if a hash field exists',
    since: '2.0.0',
    group: 'hash',
    complexity: 'O(1)',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'field', type: 'string' },
    ],
    handler(client, argv) {
      const hash = readAggregate(client, argv[1]!, HashValue);
      if (hash !== null) client.reply.integer(hash?.has(argv[2]!) ? 1 : 0);
    },
  }),
  defineCommand({
    name: 'hlen',
    arity: 2,
    flags: ['readonly', 'fast'],
    keySpecs: [keySpec('RO', 1)],
    acl: ['hash'],
    summary: 'Get the number of fields in a hash',
    since: '2.0.0',
    group: 'hash',
    complexity: 'O(1)',
    arguments: [{ name: 'key', type: 'key' }],
    handler(client, argv) {
      const hash = readAggregate(client, argv[1]!, HashValue);
      if (hash !== null) client.reply.integer(hash?.size ?? 0);
    },
  }),
  defineCommand({
    name: 'hstrlen',
    arity: 3,
    flags: ['readonly', 'fast'],
    keySpecs: [keySpec('RO', 1)],
    acl: ['hash'],
    summary: 'Get the length of the value of a hash field',
    since: '3.2.0',
    group: 'hash',
    complexity: 'O(1)',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'field', type: 'string' },
    ],
    handler(client, argv) {
      const hash = readAggregate(client, argv[1]!, HashValue);
      if (hash !== null) client.reply.integer(hash?.get(argv[2]!)?.length ?? 0);
    },
  }),
  defineCommand({
    name: 'hincrby',
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [keySpec('RW access update', 1)],
    acl: ['hash'],
    summary: 'Increment the integer value of a hash field by the given number',
    since: '2.0.0',
    group: 'hash',
    complexity: 'O(1)',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'field', type: 'string' },
      { name: 'increment', type: 'integer' },
    ],
    handler(client, argv) {
      const [, key, field] = argv as [BinaryString, BinaryString, BinaryString];
      const increment = parseInt64(argv[3]!);
      if (increment === null) {
        client.reply.error(ERR.notInteger);
        return;
      }
      const target = hashForWrite(client, key);
      if (!target) return;
      const current = target.hash.get(field);
      const old = current === undefined ? 0n : parseInt64(current);
      if (old === null) {
        client.reply.error('ERR hash value is not an integer');
        return;
      }
      const result = old + increment;
      if (result > INT64.MAX || result < INT64.MIN) {
        client.reply.error('ERR increment or decrement would overflow');
        return;
      }
      target.hash.set(field, String(result), limits(client));
      commitHash(client, key, target, 1, 'hincrby');
      client.reply.integer(result);
    },
  }),
  defineCommand({
    name: 'hincrbyfloat',
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [keySpec('RW access update', 1)],
    acl: ['hash'],
    summary: 'Increment the float value of a hash field by the given amount',
    since: '2.6.0',
    group: 'hash',
    complexity: 'O(1)',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'field', type: 'string' },
      { name: 'increment', type: 'double' },
    ],
    handler(client, argv) {
      const [, key, field] = argv as [BinaryString, BinaryString, BinaryString];
      // Redis computes in long double (util/long-double.ts explains why that matters).
      const increment = parseLongDouble(argv[3]!);
      if (increment === null) {
        client.reply.error(ERR.notFloat);
        return;
      }
      if (increment === 'infinite') {
        client.reply.error('ERR value is NaN or Infinity');
        return;
      }
      const target = hashForWrite(client, key);
      if (!target) return;
      const current = target.hash.get(field);
      const old = current === undefined ? null : parseLongDouble(current);
      if (current !== undefined && old === null) {
        client.reply.error('ERR hash value is not a float');
        return;
      }
      const sum = old === null ? increment : old === 'infinite' ? null : addLongDouble(old, increment);
      if (sum === null) {
        client.reply.error('ERR increment would produce NaN or Infinity');
        return;
      }
      const text = formatLongDoubleHuman(sum);
      target.hash.set(field, text, limits(client));
      commitHash(client, key, target, 1, 'hincrbyfloat');
      client.reply.bulk(text);
      // Replicas and the AOF get the result, so float formatting can never make them diverge.
      client.server.propagation.propagate(client.db.id, ['HSET', key, field, text]);
    },
  }),
  defineCommand({
    name: 'hscan',
    arity: -3,
    tips: ['nondeterministic_output'],
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    acl: ['hash'],
    summary: 'Incrementally iterate hash fields and associated values',
    since: '2.8.0',
    group: 'hash',
    complexity:
      'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'cursor', type: 'integer' },
      { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
    handler(client, argv) {
      scanKeyCommand(client, argv, HashValue, (hash, cursor, count, keep) =>
        hash.scan(cursor, count, (field, value) => keep(field, field, value)),
      );
    },
  }),
  defineCommand({
    name: 'hrandfield',
    arity: -2,
    tips: ['nondeterministic_output'],
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    acl: ['hash'],
    summary: 'Get one or multiple random fields from a hash',
    since: '6.2.0',
    group: 'hash',
    complexity: 'O(N) where N is the number of fields returned',
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'options',
        type: 'block',
        optional: true,
        arguments: [
          { name: 'count', type: 'integer' },
          { name: 'withvalues', type: 'pure-token', token: 'WITHVALUES', optional: true },
        ],
      },
    ],
    handler(client, argv) {
      if (argv.length === 2) {
        const hash = readAggregate(client, argv[1]!, HashValue);
        if (hash === null) return;
        if (hash === undefined) client.reply.null();
        else client.reply.bulk(hash.fieldAt(Math.floor(Math.random() * hash.size)));
        return;
      }
      const count = randomCountArg(client, argv[2]!);
      if (count === null) return;
      if (argv.length > 4 || (argv.length === 4 && !is(argv[3]!, 'withvalues'))) {
        client.reply.error(ERR.syntax);
        return;
      }
      const withValues = argv.length === 4;
      // Twice the count must still fit in a long (the RESP2 reply is field, value, ...).
      if (withValues && (count < -LONG_MAX / 2n || count > LONG_MAX / 2n)) {
        client.reply.error('ERR value is out of range');
        return;
      }
      randomFields(client, argv[1]!, Number(count), withValues);
    },
  }),
];
