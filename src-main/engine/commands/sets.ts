// Set commands (t_set.c).
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { SetValue } from '../keyspace/types/set.js';
import { randomDistinctPositions } from '../keyspace/types/dense-array.js';
import { keySpec, numkeysGetKeys, defineCommand, type CommandDocArgument, type CommandSpec } from '../core/command-table.js';
import { ERR, is } from '../core/replies.js';
import { commitWrite, deleteEmptied, readAggregate, writableAggregate } from './aggregate-access.js';
import { randomCountArg } from './random-count.js';
import { scanKeyCommand } from './scan-cursor.js';
import { parseInteger } from '../util/numbers.js';

/** spopWithCountCommand: keep popping random members while this many times more would remain (CASE 2). */
const SPOP_MOVE_STRATEGY_MUL = 5;

function maxIntsetEntries(client: Client): number {
  return client.server.config.int('set-max-intset-entries');
}

function notify(client: Client, event: string, key: BinaryString): void {
  client.server.keyspaceEvents.notify('s', event, key, client.db.id);
}

function notifyDeleted(client: Client, key: BinaryString): void {
  client.server.keyspaceEvents.notify('g', 'del', key, client.db.id);
}

/** A set reply (`~` in RESP3): the members in the order given. */
function replyMembers(client: Client, members: readonly BinaryString[]): void {
  client.reply.setHeader(members.length);
  for (const member of members) client.reply.bulk(member);
}

/** The sets at `keys` for reading (undefined for a missing key, an empty set), or null after WRONGTYPE. */
function readSets(client: Client, keys: readonly BinaryString[]): (SetValue | undefined)[] | null {
  const sets: (SetValue | undefined)[] = [];
  for (const key of keys) {
    const set = readAggregate(client, key, SetValue);
    if (set === null) return null;
    sets.push(set);
  }
  return sets;
}

/**
 * sinterGenericCommand's walk: the members of the smallest set that every other set has, in that
 * set's own order (ascending for an intset, as Redis replies).
 */
function* intersection(sets: readonly SetValue[]): Generator<BinaryString> {
  // Array.prototype.sort is stable, like glibc's qsort (a merge sort) on equal sizes.
  const [smallest, ...others] = [...sets].sort((a, b) => a.size - b.size);
  next: for (const member of smallest!.members()) {
    for (const other of others) if (other !== smallest && !other.has(member)) continue next;
    yield member;
  }
}

/** sunionDiffGenericCommand for SET_OP_UNION: a new set, encoded as Redis encodes the result. */
function union(sets: readonly (SetValue | undefined)[], maxIntset: number): SetValue {
  const result = new SetValue();
  for (const set of sets) if (set) for (const member of set.members()) result.add(member, maxIntset);
  return result;
}

/**
 * sunionDiffGenericCommand for SET_OP_DIFF. Redis picks one of two algorithms by estimated work,
 * and the choice shows in the result's encoding (algorithm 2 may convert to a hashtable on the
 * way), so the same choice is made here.
 */
function difference(sets: readonly (SetValue | undefined)[], maxIntset: number): SetValue {
  const result = new SetValue();
  const [first, ...others] = sets;
  if (!first || others.includes(first)) return result;
  let algorithmOneWork = 0;
  let algorithmTwoWork = 0;
  for (const set of sets) {
    if (!set) continue;
    algorithmOneWork += first.size;
    algorithmTwoWork += set.size;
  }
  // Algorithm 1 has better constant times and performs less operations if there are elements in common.
  if (Math.floor(algorithmOneWork / 2) <= algorithmTwoWork) {
    // 1: each member of the first set that no other set has (O(N*M)).
    for (const member of first.members()) if (!others.some((set) => set?.has(member))) result.add(member, maxIntset);
  } else {
    // 2: all of the first set, minus every member of the others (O(total size)).
    for (const member of first.members()) result.add(member, maxIntset);
    for (const set of others) {
      if (!set) continue;
      for (const member of set.members()) result.remove(member);
      if (result.size === 0) break;
    }
  }
  return result;
}

/** The STORE variants: the result replaces `destination` (and its TTL), or an empty one deletes it. */
function storeResult(client: Client, destination: BinaryString, result: SetValue, event: string): void {
  if (result.size > 0) {
    client.db.set(destination, result);
    client.reply.integer(result.size);
    notify(client, event, destination);
  } else {
    client.reply.integer(0);
    if (client.db.delete(destination)) notifyDeleted(client, destination);
  }
}

/** SINTER and SINTERSTORE (sinterGenericCommand without cardinality_only). */
function intersect(client: Client, keys: readonly BinaryString[], destination: BinaryString | null): void {
  const sets = readSets(client, keys);
  if (!sets) return;
  const present = sets.filter((set) => set !== undefined);
  // A missing key is an empty set, and so is the intersection.
  const members = present.length === sets.length ? [...intersection(present)] : [];
  if (destination === null) replyMembers(client, members);
  else storeResult(client, destination, SetValue.from(members, maxIntsetEntries(client)), 'sinterstore');
}

/** SUNION, SDIFF and their STORE variants (sunionDiffGenericCommand). */
function unionOrDifference(
  client: Client,
  keys: readonly BinaryString[],
  destination: BinaryString | null,
  operation: 'union' | 'diff',
): void {
  const sets = readSets(client, keys);
  if (!sets) return;
  const maxIntset = maxIntsetEntries(client);
  const result = operation === 'union' ? union(sets, maxIntset) : difference(sets, maxIntset);
  if (destination === null) replyMembers(client, [...result.members()]);
  else storeResult(client, destination, result, operation === 'union' ? 'sunionstore' : 'sdiffstore');
}

/** The popped member, replied and propagated as the SREM it amounts to. */
function replyPopped(client: Client, key: BinaryString, member: BinaryString): void {
  client.reply.bulk(member);
  client.server.propagation.propagate(client.db.id, ['SREM', key, member]);
}

/** spopWithCountCommand. */
function popMany(client: Client, key: BinaryString, countArg: BinaryString): void {
  // getPositiveLongFromObjectOrReply: one message for "not a number" and "negative".
  const count = parseInteger(countArg);
  if (count === null || count < 0) {
    client.reply.error('ERR value is out of range, must be positive');
    return;
  }
  const set = writableAggregate(client, key, SetValue);
  if (set === null) return;
  if (set === undefined || count === 0) {
    client.reply.setHeader(0);
    return;
  }
  const db = client.db;
  const size = set.size;
  notify(client, 'spop', key);
  // CASE 1: everything. The reply is the set rebuilt (as SUNION would), the effect a DEL.
  if (count >= size) {
    replyMembers(client, [...union([set], maxIntsetEntries(client)).members()]);
    deleteEmptied(db, key, size);
    notifyDeleted(client, key);
    client.server.propagation.propagate(db.id, ['DEL', key]);
    return;
  }
  client.reply.setHeader(count);
  const remaining = size - count;
  // CASE 2: few members compared to the set: pop them one by one.
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    for (let i = 0; i < count; i++) {
      const member = set.randomMember();
      set.remove(member);
      replyPopped(client, key, member);
    }
    db.changed(key, count);
    return;
  }
  // CASE 3: most of the set: move the members that stay into a new set (which gets the encoding
  // its contents call for) and pop whatever is left in the old one.
  const kept = new SetValue();
  const maxIntset = maxIntsetEntries(client);
  for (let i = 0; i < remaining; i++) {
    const member = set.randomMember();
    kept.add(member, maxIntset);
    set.remove(member);
  }
  for (const member of set.members()) replyPopped(client, key, member);
  db.set(key, kept, 'keep');
  if (count > 1) db.changed(key, count - 1);
}

/** srandmemberWithCountCommand. */
function randomMembers(client: Client, key: BinaryString, countArg: BinaryString): void {
  const count = randomCountArg(client, countArg);
  if (count === null) return;
  const set = readAggregate(client, key, SetValue);
  if (set === null) return;
  if (set === undefined || count === 0n) {
    client.reply.arrayHeader(0);
    return;
  }
  const size = set.size;
  // CASE 1: a negative count allows repetitions (and count 1 is served the same way).
  if (count < 0n || count === 1n) {
    const n = Number(count < 0n ? -count : count);
    client.reply.arrayHeader(n);
    for (let i = 0; i < n; i++) client.reply.bulk(set.randomMember());
    return;
  }
  // CASE 2: the whole set, in its own order.
  if (count >= BigInt(size)) {
    client.reply.bulkArray([...set.members()]);
    return;
  }
  const positions = randomDistinctPositions(size, Number(count));
  client.reply.arrayHeader(positions.length);
  for (const position of positions) client.reply.bulk(set.memberAt(position));
}

/** SINTERCARD's numkeys and LIMIT, or null after replying. */
function parseIntersectionCardinality(client: Client, argv: readonly BinaryString[]): { keys: BinaryString[]; limit: number } | null {
  const numKeys = parseInteger(argv[1]!);
  if (numKeys === null || numKeys < 1) {
    client.reply.error('ERR numkeys should be greater than 0');
    return null;
  }
  if (numKeys > argv.length - 2) {
    client.reply.error("ERR Number of keys can't be greater than number of args");
    return null;
  }
  let limit = 0; // 0: no limit
  for (let i = 2 + numKeys; i < argv.length; i++) {
    if (is(argv[i]!, 'limit') && i + 1 < argv.length) {
      const value = parseInteger(argv[++i]!);
      if (value === null || value < 0) {
        client.reply.error("ERR LIMIT can't be negative");
        return null;
      }
      limit = value;
    } else {
      client.reply.error(ERR.syntax);
      return null;
    }
  }
  return { keys: argv.slice(2, 2 + numKeys), limit };
}

const KEY: CommandDocArgument = { name: 'key', type: 'key' };
const KEYS: CommandDocArgument = { name: 'key', type: 'key', multiple: true };
const MEMBER: CommandDocArgument = { name: 'member', type: 'string' };
const MEMBERS: CommandDocArgument = { name: 'member', type: 'string', multiple: true };
const UNION_COMPLEXITY = 'O(N) where N is the total number of elements in all given sets.';
const INTERSECTION_COMPLEXITY = 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.';

export const setCommands: CommandSpec[] = [
  defineCommand({
    name: 'sadd',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [keySpec('RW insert', 1)],
    acl: ['set'],
    summary: 'Add one or more members to a set',
    since: '1.0.0',
    group: 'set',
    history: [['2.4.0', 'Accepts multiple `member` arguments.']],
    complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    arguments: [KEY, MEMBERS],
    handler(client, argv) {
      const key = argv[1]!;
      const existing = writableAggregate(client, key, SetValue);
      if (existing === null) return;
      const set = existing ?? new SetValue();
      const maxIntset = maxIntsetEntries(client);
      let added = 0;
      for (let i = 2; i < argv.length; i++) if (set.add(argv[i]!, maxIntset)) added++;
      if (added > 0) {
        commitWrite(client.db, key, set, existing !== undefined, added);
        notify(client, 'sadd', key);
      }
      client.reply.integer(added);
    },
  }),
  defineCommand({
    name: 'srem',
    arity: -3,
    flags: ['write', 'fast'],
    keySpecs: [keySpec('RW delete', 1)],
    acl: ['set'],
    summary: 'Remove one or more members from a set',
    since: '1.0.0',
    group: 'set',
    history: [['2.4.0', 'Accepts multiple `member` arguments.']],
    complexity: 'O(N) where N is the number of members to be removed.',
    arguments: [KEY, MEMBERS],
    handler(client, argv) {
      const key = argv[1]!;
      const set = writableAggregate(client, key, SetValue);
      if (set === null) return;
      let removed = 0;
      if (set) {
        for (let i = 2; i < argv.length && set.size > 0; i++) if (set.remove(argv[i]!)) removed++;
      }
      if (removed > 0) {
        const keyRemoved = commitWrite(client.db, key, set!, true, removed);
        notify(client, 'srem', key);
        if (keyRemoved) notifyDeleted(client, key);
      }
      client.reply.integer(removed);
    },
  }),
  defineCommand({
    name: 'smembers',
    arity: 2,
    tips: ['nondeterministic_output_order'],
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    acl: ['set'],
    summary: 'Get all the members in a set',
    since: '1.0.0',
    group: 'set',
    complexity: 'O(N) where N is the set cardinality.',
    arguments: [KEY],
    handler(client, argv) {
      // Redis serves SMEMBERS with sinterCommand: the intersection of one set.
      intersect(client, [argv[1]!], null);
    },
  }),
  defineCommand({
    name: 'sismember',
    arity: 3,
    flags: ['readonly', 'fast'],
    keySpecs: [keySpec('RO', 1)],
    acl: ['set'],
    summary: 'Determine if a given value is a member of a set',
    since: '1.0.0',
    group: 'set',
    complexity: 'O(1)',
    arguments: [KEY, MEMBER],
    handler(client, argv) {
      const set = readAggregate(client, argv[1]!, SetValue);
      if (set !== null) client.reply.integer(set?.has(argv[2]!) ? 1 : 0);
    },
  }),
  defineCommand({
    name: 'smismember',
    arity: -3,
    flags: ['readonly', 'fast'],
    keySpecs: [keySpec('RO access', 1)],
    acl: ['set'],
    summary: 'Returns the membership associated with the given elements for a set',
    since: '6.2.0',
    group: 'set',
    complexity: 'O(N) where N is the number of elements being checked for membership',
    arguments: [KEY, MEMBERS],
    handler(client, argv) {
      // A missing key is an empty set: all zeros.
      const set = readAggregate(client, argv[1]!, SetValue);
      if (set === null) return;
      client.reply.arrayHeader(argv.length - 2);
      for (let i = 2; i < argv.length; i++) client.reply.integer(set?.has(argv[i]!) ? 1 : 0);
    },
  }),
  defineCommand({
    name: 'scard',
    arity: 2,
    flags: ['readonly', 'fast'],
    keySpecs: [keySpec('RO', 1)],
    acl: ['set'],
    summary: 'Get the number of members in a set',
    since: '1.0.0',
    group: 'set',
    complexity: 'O(1)',
    arguments: [KEY],
    handler(client, argv) {
      const set = readAggregate(client, argv[1]!, SetValue);
      if (set !== null) client.reply.integer(set?.size ?? 0);
    },
  }),
  defineCommand({
    name: 'spop',
    arity: -2,
    tips: ['nondeterministic_output'],
    flags: ['write', 'fast'],
    keySpecs: [keySpec('RW access delete', 1)],
    acl: ['set'],
    summary: 'Remove and return one or multiple random members from a set',
    since: '1.0.0',
    group: 'set',
    history: [['3.2.0', 'Added the `count` argument.']],
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'count', type: 'integer', optional: true, since: '3.2.0' },
    ],
    handler(client, argv) {
      const key = argv[1]!;
      if (argv.length === 3) {
        popMany(client, key, argv[2]!);
        return;
      }
      if (argv.length > 3) {
        client.reply.error(ERR.syntax);
        return;
      }
      const set = writableAggregate(client, key, SetValue);
      if (set === null) return;
      if (set === undefined) {
        client.reply.null();
        return;
      }
      const member = set.randomMember();
      set.remove(member);
      notify(client, 'spop', key);
      replyPopped(client, key, member);
      if (commitWrite(client.db, key, set, true, 1)) notifyDeleted(client, key);
    },
  }),
  defineCommand({
    name: 'srandmember',
    arity: -2,
    tips: ['nondeterministic_output'],
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    acl: ['set'],
    summary: 'Get one or multiple random members from a set',
    since: '1.0.0',
    group: 'set',
    history: [['2.6.0', 'Added the optional `count` argument.']],
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'count', type: 'integer', optional: true, since: '2.6.0' },
    ],
    handler(client, argv) {
      if (argv.length === 3) {
        randomMembers(client, argv[1]!, argv[2]!);
        return;
      }
      if (argv.length > 3) {
        client.reply.error(ERR.syntax);
        return;
      }
      const set = readAggregate(client, argv[1]!, SetValue);
      if (set === null) return;
      if (set === undefined) client.reply.null();
      else client.reply.bulk(set.randomMember());
    },
  }),
  defineCommand({
    name: 'smove',
    arity: 4,
    flags: ['write', 'fast'],
    keySpecs: [keySpec('RW access delete', 1), keySpec('RW insert', 2)],
    acl: ['set'],
    summary: 'Move a member from one set to another',
    since: '1.0.0',
    group: 'set',
    complexity: 'O(1)',
    arguments: [
      { name: 'source', type: 'key' },
      { name: 'destination', type: 'key', keySpecIndex: 1 },
      { name: 'member', type: 'string' },
    ],
    handler(client, argv) {
      const [, sourceKey, destinationKey, member] = argv as [BinaryString, BinaryString, BinaryString, BinaryString];
      const db = client.db;
      const source = db.lookupForWrite(sourceKey);
      const destination = db.lookupForWrite(destinationKey);
      if (source === undefined) {
        client.reply.integer(0);
        return;
      }
      if (!(source instanceof SetValue) || (destination !== undefined && !(destination instanceof SetValue))) {
        client.reply.error(ERR.wrongType);
        return;
      }
      if (source === destination) {
        client.reply.integer(source.has(member) ? 1 : 0);
        return;
      }
      if (!source.remove(member)) {
        client.reply.integer(0);
        return;
      }
      notify(client, 'srem', sourceKey);
      if (commitWrite(db, sourceKey, source, true, 1)) notifyDeleted(client, sourceKey);
      const target = destination ?? new SetValue();
      if (target.add(member, maxIntsetEntries(client))) {
        commitWrite(db, destinationKey, target, destination !== undefined, 1);
        notify(client, 'sadd', destinationKey);
      }
      client.reply.integer(1);
    },
  }),
  defineCommand({
    name: 'sinter',
    arity: -2,
    tips: ['nondeterministic_output_order'],
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1, [-1, 1, 0])],
    acl: ['set'],
    summary: 'Intersect multiple sets',
    since: '1.0.0',
    group: 'set',
    complexity: INTERSECTION_COMPLEXITY,
    arguments: [KEYS],
    handler(client, argv) {
      intersect(client, argv.slice(1), null);
    },
  }),
  defineCommand({
    name: 'sintercard',
    arity: -3,
    flags: ['readonly', 'movablekeys'],
    acl: ['set'],
    summary: 'Intersect multiple sets and return the cardinality of the result',
    since: '7.0.0',
    group: 'set',
    complexity: INTERSECTION_COMPLEXITY,
    arguments: [{ name: 'numkeys', type: 'integer' }, KEYS, { name: 'limit', type: 'integer', token: 'LIMIT', optional: true }],
    keySpecs: [keySpec('RO access', 1, { keynum: [0, 1, 1] })],
    getKeys: numkeysGetKeys(1),
    handler(client, argv) {
      const parsed = parseIntersectionCardinality(client, argv);
      if (!parsed) return;
      const sets = readSets(client, parsed.keys);
      if (!sets) return;
      let cardinality = 0;
      if (sets.every((set) => set !== undefined)) {
        const members = intersection(sets as SetValue[]);
        while ((parsed.limit === 0 || cardinality < parsed.limit) && !members.next().done) cardinality++;
      }
      client.reply.integer(cardinality);
    },
  }),
  defineCommand({
    name: 'sunion',
    arity: -2,
    tips: ['nondeterministic_output_order'],
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1, [-1, 1, 0])],
    acl: ['set'],
    summary: 'Add multiple sets',
    since: '1.0.0',
    group: 'set',
    complexity: UNION_COMPLEXITY,
    arguments: [KEYS],
    handler(client, argv) {
      unionOrDifference(client, argv.slice(1), null, 'union');
    },
  }),
  defineCommand({
    name: 'sdiff',
    arity: -2,
    tips: ['nondeterministic_output_order'],
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1, [-1, 1, 0])],
    acl: ['set'],
    summary: 'Subtract multiple sets',
    since: '1.0.0',
    group: 'set',
    complexity: UNION_COMPLEXITY,
    arguments: [KEYS],
    handler(client, argv) {
      unionOrDifference(client, argv.slice(1), null, 'diff');
    },
  }),
  defineCommand({
    name: 'sinterstore',
    arity: -3,
    flags: ['write', 'denyoom'],
    keySpecs: [keySpec('RW update', 1), keySpec('RO access', 2, [-1, 1, 0])],
    acl: ['set'],
    summary: 'Intersect multiple sets and store the resulting set in a key',
    since: '1.0.0',
    group: 'set',
    complexity: INTERSECTION_COMPLEXITY,
    arguments: [
      { name: 'destination', type: 'key' },
      { name: 'key', type: 'key', multiple: true, keySpecIndex: 1 },
    ],
    handler(client, argv) {
      intersect(client, argv.slice(2), argv[1]!);
    },
  }),
  defineCommand({
    name: 'sunionstore',
    arity: -3,
    flags: ['write', 'denyoom'],
    keySpecs: [keySpec('OW update', 1), keySpec('RO access', 2, [-1, 1, 0])],
    acl: ['set'],
    summary: 'Add multiple sets and store the resulting set in a key',
    since: '1.0.0',
    group: 'set',
    complexity: UNION_COMPLEXITY,
    arguments: [
      { name: 'destination', type: 'key' },
      { name: 'key', type: 'key', multiple: true, keySpecIndex: 1 },
    ],
    handler(client, argv) {
      unionOrDifference(client, argv.slice(2), argv[1]!, 'union');
    },
  }),
  defineCommand({
    name: 'sdiffstore',
    arity: -3,
    flags: ['write', 'denyoom'],
    keySpecs: [keySpec('OW update', 1), keySpec('RO access', 2, [-1, 1, 0])],
    acl: ['set'],
    summary: 'Subtract multiple sets and store the resulting set in a key',
    since: '1.0.0',
    group: 'set',
    complexity: UNION_COMPLEXITY,
    arguments: [
      { name: 'destination', type: 'key' },
      { name: 'key', type: 'key', multiple: true, keySpecIndex: 1 },
    ],
    handler(client, argv) {
      unionOrDifference(client, argv.slice(2), argv[1]!, 'diff');
    },
  }),
  defineCommand({
    name: 'sscan',
    arity: -3,
    tips: ['nondeterministic_output'],
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    acl: ['set'],
    summary: 'Incrementally iterate Set elements',
    since: '2.8.0',
    group: 'set',
    complexity:
      'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    arguments: [
      KEY,
      { name: 'cursor', type: 'integer' },
      { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
    handler(client, argv) {
      scanKeyCommand(client, argv, SetValue, (set, cursor, count, keep) => set.scan(cursor, count, (member) => keep(member, member)));
    },
  }),
];
