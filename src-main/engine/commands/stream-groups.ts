// Consumer-group commands (t_stream.c xgroupCommand, xackCommand, xpendingCommand,
// xclaimCommand, xautoclaimCommand). XCLAIM and XAUTOCLAIM are propagated as what they did to
// each entry (streamPropagateXCLAIM), never as themselves; XREADGROUP is in stream-readgroup.ts.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { keySpec, defineCommand, type CommandDocArgument, type CommandSpec } from '../core/command-table.js';
import { ERR, is } from '../core/replies.js';
import { parseInt64 } from '../util/numbers.js';
import {
  StreamValue,
  compareIds,
  decrId,
  formatId,
  incrId,
  type ConsumerGroup,
  type PendingEntry,
  type StreamConsumer,
  type StreamId,
} from '../keyspace/types/stream.js';
import {
  INVALID_ENTRIES_READ,
  createConsumer,
  createGroup,
  deleteConsumer,
  dropPending,
  consumersInOrder,
} from '../keyspace/types/stream-groups.js';
import { readAggregate, writableAggregate } from './aggregate-access.js';
import { notifyStream, replyEntry } from './streams.js';
import { parseIntervalId, parseStreamId } from './stream-args.js';
import { propagateClaim, propagateGroupId } from './stream-readgroup.js';
import { replyHelp } from './server.js';

const XGROUP_HELP = [
  'XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
  'HELP',
  '    Prints this help.',
];

function subcommandSyntaxError(client: Client, argv: BinaryString[]): void {
  client.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try XGROUP HELP.`);
}

function noGroup(client: Client, key: BinaryString, group: BinaryString): void {
  client.reply.error(`NOGROUP No such key '${key}' or consumer group '${group}'`);
}

/** xgroupCommand, every subcommand: options, then the key, then the group, as Redis checks them. */
function xgroupCommand(client: Client, argv: BinaryString[]): void {
  const sub = argv[1]!.toLowerCase();
  const key = argv[2]!;
  const groupName = argv[3]!;
  let mkstream = false;
  let entriesRead = INVALID_ENTRIES_READ;
  if (sub === 'create' || sub === 'setid') {
    // Options follow the ID for both.
    for (let i = 5; i < argv.length; i++) {
      if (sub === 'create' && is(argv[i]!, 'mkstream')) {
        mkstream = true;
      } else if (is(argv[i]!, 'entriesread') && i + 1 < argv.length) {
        const n = parseInt64(argv[i + 1]!);
        if (n === null) {
          client.reply.error(ERR.notInteger);
          return;
        }
        if (n < 0n && n !== INVALID_ENTRIES_READ) {
          client.reply.error('ERR value for ENTRIESREAD must be positive or -1');
          return;
        }
        entriesRead = n;
        i++;
      } else {
        subcommandSyntaxError(client, argv);
        return;
      }
    }
  }
  const existing = writableAggregate(client, key, StreamValue);
  if (existing === null) return;
  let group: ConsumerGroup | undefined;
  if (!mkstream) {
    if (existing === undefined) {
      client.reply.error(
        'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
      );
      return;
    }
    group = existing.groups.get(groupName);
    if (!group && (sub === 'setid' || sub === 'createconsumer' || sub === 'delconsumer')) {
      client.reply.error(`NOGROUP No such consumer group '${groupName}' for key name '${key}'`);
      return;
    }
  }
  if (sub === 'create' && argv.length >= 5 && argv.length <= 8) {
    let id: StreamId;
    if (argv[4] === '$') {
      id = existing ? existing.lastId : { ms: 0n, seq: 0n };
    } else {
      const parsed = parseStreamId(client, argv[4]!, 0n, true);
      if (parsed === null) return;
      id = { ms: parsed.ms, seq: parsed.seq };
    }
    let s = existing;
    if (s === undefined) {
      s = new StreamValue();
      client.db.set(key, s);
    }
    if (createGroup(s, groupName, id, entriesRead)) {
      client.reply.ok();
      if (existing !== undefined) client.db.changed(key);
      notifyStream(client, 'xgroup-create', key);
    } else {
      client.reply.error('BUSYGROUP Consumer Group name already exists');
    }
  } else if (sub === 'setid' && (argv.length === 5 || argv.length === 7)) {
    let id: StreamId;
    if (argv[4] === '$') {
      id = existing!.lastId;
    } else {
      const parsed = parseStreamId(client, argv[4]!, 0n, false);
      if (parsed === null) return;
      id = { ms: parsed.ms, seq: parsed.seq };
    }
    group!.lastId = id;
    group!.entriesRead = entriesRead;
    client.reply.ok();
    client.db.changed(key);
    notifyStream(client, 'xgroup-setid', key);
  } else if (sub === 'destroy' && argv.length === 4) {
    if (group) {
      existing!.groups.delete(groupName);
      client.reply.integer(1);
      client.db.changed(key);
      notifyStream(client, 'xgroup-destroy', key);
    } else {
      client.reply.integer(0);
    }
  } else if (sub === 'createconsumer' && argv.length === 5) {
    const created = createConsumer(group!, argv[4]!, Date.now());
    if (created) {
      client.db.changed(key);
      notifyStream(client, 'xgroup-createconsumer', key);
    }
    client.reply.integer(created ? 1 : 0);
  } else if (sub === 'delconsumer' && argv.length === 5) {
    const consumer = group!.consumers.get(argv[4]!);
    let pending = 0;
    if (consumer) {
      pending = deleteConsumer(group!, consumer);
      client.db.changed(key);
      notifyStream(client, 'xgroup-delconsumer', key);
    }
    client.reply.integer(pending);
  } else {
    subcommandSyntaxError(client, argv);
  }
}

// --- XACK, XPENDING ------------------------------------------------------------------------------

function xackCommand(client: Client, argv: BinaryString[]): void {
  const key = argv[1]!;
  const s = writableAggregate(client, key, StreamValue);
  if (s === null) return;
  const group = s?.groups.get(argv[2]!);
  if (!group) {
    client.reply.integer(0);
    return;
  }
  // All IDs are checked first: an error after some were acknowledged would lie.
  const ids: StreamId[] = [];
  for (let j = 3; j < argv.length; j++) {
    const id = parseStreamId(client, argv[j]!, 0n, true);
    if (id === null) return;
    ids.push(id);
  }
  let acknowledged = 0;
  for (const id of ids) {
    const nack = group.pending.get(id);
    if (!nack) continue;
    dropPending(group, nack);
    acknowledged++;
  }
  if (acknowledged) client.db.changed(key, acknowledged);
  client.reply.integer(acknowledged);
}

function xpendingCommand(client: Client, argv: BinaryString[]): void {
  const justInfo = argv.length === 3;
  if (argv.length !== 3 && (argv.length < 6 || argv.length > 9)) {
    client.reply.error(ERR.syntax);
    return;
  }
  let start: StreamId = { ms: 0n, seq: 0n };
  let end: StreamId = { ms: 0n, seq: 0n };
  let count = 0;
  let minIdle = 0;
  let consumerName: BinaryString | null = null;
  if (argv.length >= 6) {
    let startIdx = 3;
    if (is(argv[3]!, 'idle')) {
      const idle = parseInt64(argv[4]!);
      if (idle === null) {
        client.reply.error(ERR.notInteger);
        return;
      }
      minIdle = Number(idle);
      if (argv.length < 8) {
        client.reply.error(ERR.syntax);
        return;
      }
      startIdx += 2;
    }
    const n = parseInt64(argv[startIdx + 2]!);
    if (n === null) {
      client.reply.error(ERR.notInteger);
      return;
    }
    count = n < 0n ? 0 : Number(n);
    const from = parseIntervalId(client, argv[startIdx]!, 0n);
    if (from === null) return;
    let startId: StreamId | null = from.id;
    if (from.exclusive && (startId = incrId(startId)) === null) {
      client.reply.error('ERR invalid start ID for the interval');
      return;
    }
    const to = parseIntervalId(client, argv[startIdx + 1]!, (1n << 64n) - 1n);
    if (to === null) return;
    let endId: StreamId | null = to.id;
    if (to.exclusive && (endId = decrId(endId)) === null) {
      client.reply.error('ERR invalid end ID for the interval');
      return;
    }
    start = startId;
    end = endId;
    if (startIdx + 3 < argv.length) consumerName = argv[startIdx + 3]!;
  }
  const s = readAggregate(client, argv[1]!, StreamValue);
  if (s === null) return;
  const group = s?.groups.get(argv[2]!);
  if (!group) {
    noGroup(client, argv[1]!, argv[2]!);
    return;
  }
  if (justInfo) {
    client.reply.arrayHeader(4);
    client.reply.integer(group.pending.size);
    if (group.pending.size === 0) {
      client.reply.null();
      client.reply.null();
      client.reply.nullArray();
      return;
    }
    client.reply.bulk(formatId(group.pending.first()!.id));
    client.reply.bulk(formatId(group.pending.last()!.id));
    const withPending = consumersInOrder(group).filter((c) => c.pending.size !== 0);
    client.reply.arrayHeader(withPending.length);
    for (const consumer of withPending) {
      client.reply.arrayHeader(2);
      client.reply.bulk(consumer.name);
      client.reply.bulk(String(consumer.pending.size));
    }
    return;
  }
  let pel = group.pending;
  if (consumerName !== null) {
    const consumer = group.consumers.get(consumerName);
    if (!consumer) {
      client.reply.arrayHeader(0);
      return;
    }
    pel = consumer.pending;
  }
  const now = Date.now();
  const rows: PendingEntry[] = [];
  for (const nack of pel.values(start)) {
    if (!count || compareIds(nack.id, end) > 0) break;
    if (minIdle && now - nack.deliveryTime < minIdle) continue;
    rows.push(nack);
    count--;
  }
  client.reply.arrayHeader(rows.length);
  for (const nack of rows) {
    client.reply.arrayHeader(4);
    client.reply.bulk(formatId(nack.id));
    client.reply.bulk(nack.consumer.name);
    client.reply.integer(Math.max(now - nack.deliveryTime, 0));
    client.reply.integer(nack.deliveryCount);
  }
}

// --- XCLAIM, XAUTOCLAIM -----------------------------------------------------------------------------

function int64Arg(client: Client, arg: BinaryString, error: string): bigint | null {
  const n = parseInt64(arg);
  if (n === null) client.reply.error(error);
  return n;
}

/** The consumer a claim gives entries to, created on first use (streamCreateConsumer, SCC_DEFAULT). */
function claimant(client: Client, key: BinaryString, group: ConsumerGroup, name: BinaryString): StreamConsumer {
  let consumer = group.consumers.get(name);
  if (!consumer) {
    consumer = createConsumer(group, name, Date.now())!;
    client.db.changed(key);
    notifyStream(client, 'xgroup-createconsumer', key);
  }
  consumer.seenTime = Date.now();
  return consumer;
}

function xclaimCommand(client: Client, argv: BinaryString[]): void {
  const key = argv[1]!;
  const s = writableAggregate(client, key, StreamValue);
  if (s === null) return;
  const group = s?.groups.get(argv[2]!);
  if (!s || !group) {
    noGroup(client, key, argv[2]!);
    return;
  }
  const minIdleArg = int64Arg(client, argv[4]!, 'ERR Invalid min-idle-time argument for XCLAIM');
  if (minIdleArg === null) return;
  const minIdle = minIdleArg < 0n ? 0 : Number(minIdleArg);
  // IDs run until the first argument that is not one; the rest are options.
  let j = 5;
  const ids: Array<{ id: StreamId; arg: BinaryString }> = [];
  for (; j < argv.length; j++) {
    const id = parseStreamId(null, argv[j]!, 0n, true);
    if (id === null) break;
    ids.push({ id: { ms: id.ms, seq: id.seq }, arg: argv[j]! });
  }
  const now = Date.now();
  let force = false;
  let justId = false;
  let deliveryTime = -1;
  let retryCount = -1;
  let lastId: StreamId = { ms: 0n, seq: 0n };
  for (; j < argv.length; j++) {
    const moreArgs = argv.length - 1 - j;
    const opt = argv[j]!;
    if (is(opt, 'force')) {
      force = true;
    } else if (is(opt, 'justid')) {
      justId = true;
    } else if (is(opt, 'idle') && moreArgs) {
      const n = int64Arg(client, argv[++j]!, 'ERR Invalid IDLE option argument for XCLAIM');
      if (n === null) return;
      deliveryTime = now - Number(n);
    } else if (is(opt, 'time') && moreArgs) {
      const n = int64Arg(client, argv[++j]!, 'ERR Invalid TIME option argument for XCLAIM');
      if (n === null) return;
      deliveryTime = Number(n);
    } else if (is(opt, 'retrycount') && moreArgs) {
      const n = int64Arg(client, argv[++j]!, 'ERR Invalid RETRYCOUNT option argument for XCLAIM');
      if (n === null) return;
      retryCount = Number(n);
    } else if (is(opt, 'lastid') && moreArgs) {
      const id = parseStreamId(client, argv[++j]!, 0n, true);
      if (id === null) return;
      lastId = { ms: id.ms, seq: id.seq };
    } else {
      client.reply.error(`ERR Unrecognized XCLAIM option '${opt}'`);
      return;
    }
  }
  client.server.propagation.prevent();
  let propagateLastId = false;
  if (compareIds(lastId, group.lastId) > 0) {
    group.lastId = lastId;
    propagateLastId = true;
  }
  // A bogus time (negative or in the future) is taken as now rather than refused.
  if (deliveryTime === -1 || deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
  let changes = 0;
  let consumer: StreamConsumer | null = null;
  const replies: Array<() => void> = [];
  for (const { id, arg } of ids) {
    let nack = group.pending.get(id);
    const entry = s.get(id);
    if (!entry) {
      // The entry is gone: its NACK goes too (7.0), and so on replicas.
      if (nack) {
        propagateClaim(client, key, group, arg, nack);
        propagateLastId = false;
        changes++;
        dropPending(group, nack);
      }
      continue;
    }
    let forced = false;
    if (force && !nack) forced = true;
    if (!nack && !forced) continue;
    if (nack && !forced && minIdle && now - nack.deliveryTime < minIdle) continue;
    consumer ??= claimant(client, key, group, argv[3]!);
    if (forced) {
      // streamCreateNACK starts a new entry at one delivery.
      nack = { id, deliveryTime, deliveryCount: 1, consumer };
      group.pending.set(nack);
      consumer.pending.set(nack);
    } else if (nack!.consumer !== consumer) {
      nack!.consumer.pending.delete(id);
      nack!.consumer = consumer;
      consumer.pending.set(nack!);
    }
    const claimed = nack!;
    claimed.deliveryTime = deliveryTime;
    if (retryCount >= 0) claimed.deliveryCount = retryCount;
    else if (!justId) claimed.deliveryCount++;
    replies.push(justId ? () => client.reply.bulk(formatId(id)) : () => replyEntry(client, entry));
    propagateClaim(client, key, group, arg, claimed);
    propagateLastId = false;
    changes++;
  }
  if (propagateLastId) {
    propagateGroupId(client, key, group);
    changes++;
  }
  if (changes) client.db.changed(key, changes);
  client.reply.arrayHeader(replies.length);
  for (const reply of replies) reply();
}

const LONG_MAX = (1n << 63n) - 1n;

function xautoclaimCommand(client: Client, argv: BinaryString[]): void {
  const key = argv[1]!;
  const minIdleArg = int64Arg(client, argv[4]!, 'ERR Invalid min-idle-time argument for XAUTOCLAIM');
  if (minIdleArg === null) return;
  const minIdle = minIdleArg < 0n ? 0 : Number(minIdleArg);
  const from = parseIntervalId(client, argv[5]!, 0n);
  if (from === null) return;
  let start: StreamId | null = from.id;
  if (from.exclusive && (start = incrId(start)) === null) {
    client.reply.error('ERR invalid start ID for the interval');
    return;
  }
  let count = 100;
  let justId = false;
  for (let j = 6; j < argv.length; j++) {
    const moreArgs = argv.length - 1 - j;
    if (is(argv[j]!, 'count') && moreArgs) {
      const n = parseInt64(argv[j + 1]!);
      if (n === null || n < 1n || n > LONG_MAX / 16n) {
        client.reply.error('ERR COUNT must be > 0');
        return;
      }
      count = Number(n);
      j++;
    } else if (is(argv[j]!, 'justid')) {
      justId = true;
    } else {
      client.reply.error(ERR.syntax);
      return;
    }
  }
  const s = writableAggregate(client, key, StreamValue);
  if (s === null) return;
  const group = s?.groups.get(argv[2]!);
  if (!s || !group) {
    noGroup(client, key, argv[2]!);
    return;
  }
  client.server.propagation.prevent();
  const now = Date.now();
  let attempts = count * 10;
  const claimed: Array<() => void> = [];
  const deleted: StreamId[] = [];
  let consumer: StreamConsumer | null = null;
  let changes = 0;
  const candidates = [...group.pending.values(start)];
  let k = 0;
  // while (attempts-- && count && raxNext(&ri)): the next PEL entry after the loop is the cursor.
  while (attempts-- > 0 && count && k < candidates.length) {
    const nack = candidates[k++]!;
    const entry = s.get(nack.id);
    if (!entry) {
      propagateClaim(client, key, group, formatId(nack.id), nack);
      changes++;
      dropPending(group, nack);
      deleted.push(nack.id);
      count--;
      continue;
    }
    if (minIdle && now - nack.deliveryTime < minIdle) continue;
    consumer ??= claimant(client, key, group, argv[3]!);
    if (nack.consumer !== consumer) {
      nack.consumer.pending.delete(nack.id);
      nack.consumer = consumer;
      consumer.pending.set(nack);
    }
    nack.deliveryTime = now;
    if (!justId) nack.deliveryCount++;
    const id = nack.id;
    claimed.push(justId ? () => client.reply.bulk(formatId(id)) : () => replyEntry(client, entry));
    count--;
    propagateClaim(client, key, group, formatId(id), nack);
    changes++;
  }
  const next = candidates[k];
  if (changes) client.db.changed(key, changes);
  client.reply.arrayHeader(3);
  client.reply.bulk(next ? formatId(next.id) : '0-0');
  client.reply.arrayHeader(claimed.length);
  for (const reply of claimed) reply();
  client.reply.arrayHeader(deleted.length);
  for (const id of deleted) client.reply.bulk(formatId(id));
}

// --- the specs --------------------------------------------------------------------------------------

function xgroupSub(
  name: string,
  arity: number,
  summary: string,
  since: string,
  flags: CommandSpec['flags'],
  keySpecFlags: string,
): CommandSpec {
  return defineCommand({
    name,
    arity,
    flags,
    keySpecs: [keySpec(keySpecFlags, 2)],
    acl: ['stream'],
    summary,
    since,
    group: 'stream',
    handler: xgroupCommand,
  });
}

/** XGROUP CREATE's and SETID's id (an ID or $). */
const GROUP_ID: CommandDocArgument = {
  name: 'id',
  type: 'oneof',
  arguments: [
    { name: 'id', type: 'string' },
    { name: 'new_id', type: 'pure-token', token: '$' },
  ],
};

export const streamGroupCommands: CommandSpec[] = [
  defineCommand({
    name: 'xgroup',
    arity: -2,
    flags: [],
    summary: 'A container for consumer groups commands',
    since: '5.0.0',
    group: 'stream',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        ...xgroupSub('create', -5, 'Create a consumer group.', '5.0.0', ['write', 'denyoom'], 'RW insert'),
        complexity: 'O(1)',
        history: [['7.0.0', 'Added the `entries_read` named argument.']],
        arguments: [
          { name: 'key', type: 'key' },
          { name: 'groupname', type: 'string' },
          GROUP_ID,
          { name: 'mkstream', type: 'pure-token', token: 'MKSTREAM', optional: true },
          { name: 'entries_read', type: 'integer', token: 'ENTRIESREAD', optional: true },
        ],
      },
      {
        ...xgroupSub('setid', -5, 'Set a consumer group to an arbitrary last delivered ID value.', '5.0.0', ['write'], 'RW update'),
        complexity: 'O(1)',
        history: [['7.0.0', 'Added the optional `entries_read` argument.']],
        arguments: [
          { name: 'key', type: 'key' },
          { name: 'groupname', type: 'string' },
          GROUP_ID,
          { name: 'entries_read', type: 'integer', token: 'ENTRIESREAD', optional: true },
        ],
      },
      {
        ...xgroupSub('destroy', 4, 'Destroy a consumer group.', '5.0.0', ['write'], 'RW delete'),
        complexity: "O(N) where N is the number of entries in the group's pending entries list (PEL).",
        arguments: [
          { name: 'key', type: 'key' },
          { name: 'groupname', type: 'string' },
        ],
      },
      {
        ...xgroupSub('createconsumer', 5, 'Create a consumer in a consumer group.', '6.2.0', ['write', 'denyoom'], 'RW insert'),
        complexity: 'O(1)',
        arguments: [
          { name: 'key', type: 'key' },
          { name: 'groupname', type: 'string' },
          { name: 'consumername', type: 'string' },
        ],
      },
      {
        ...xgroupSub('delconsumer', 5, 'Delete a consumer from a consumer group.', '5.0.0', ['write'], 'RW delete'),
        complexity: 'O(1)',
        arguments: [
          { name: 'key', type: 'key' },
          { name: 'groupname', type: 'string' },
          { name: 'consumername', type: 'string' },
        ],
      },
      defineCommand({
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        acl: ['stream'],
        summary: 'Show helpful text about the different subcommands',
        since: '5.0.0',
        group: 'stream',
        complexity: 'O(1)',
        handler: (client) => replyHelp(client, XGROUP_HELP),
      }),
    ],
  }),
  defineCommand({
    name: 'xack',
    arity: -4,
    flags: ['write', 'fast'],
    keySpecs: [keySpec('RW update', 1)],
    acl: ['stream'],
    summary:
      'Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.',
    since: '5.0.0',
    group: 'stream',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'group', type: 'string' },
      { name: 'id', type: 'string', multiple: true },
    ],
    complexity: 'O(1) for each message ID processed.',
    handler: xackCommand,
  }),
  defineCommand({
    name: 'xpending',
    arity: -3,
    tips: ['nondeterministic_output'],
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    acl: ['stream'],
    summary:
      'Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.',
    since: '5.0.0',
    group: 'stream',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'group', type: 'string' },
      {
        name: 'filters',
        type: 'block',
        optional: true,
        arguments: [
          { name: 'min-idle-time', type: 'integer', token: 'IDLE', optional: true, since: '6.2.0' },
          { name: 'start', type: 'string' },
          { name: 'end', type: 'string' },
          { name: 'count', type: 'integer' },
          { name: 'consumer', type: 'string', optional: true },
        ],
      },
    ],
    history: [['6.2.0', 'Added the `IDLE` option and exclusive range intervals.']],
    complexity:
      'O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.',
    handler: xpendingCommand,
  }),
  defineCommand({
    name: 'xclaim',
    arity: -6,
    tips: ['nondeterministic_output'],
    flags: ['write', 'fast'],
    keySpecs: [keySpec('RW update', 1)],
    acl: ['stream'],
    summary: 'Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.',
    since: '5.0.0',
    group: 'stream',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'group', type: 'string' },
      { name: 'consumer', type: 'string' },
      { name: 'min-idle-time', type: 'string' },
      { name: 'id', type: 'string', multiple: true },
      { name: 'ms', type: 'integer', token: 'IDLE', optional: true },
      { name: 'unix-time-milliseconds', type: 'unix-time', token: 'TIME', optional: true },
      { name: 'count', type: 'integer', token: 'RETRYCOUNT', optional: true },
      { name: 'force', type: 'pure-token', token: 'FORCE', optional: true },
      { name: 'justid', type: 'pure-token', token: 'JUSTID', optional: true },
      { name: 'id', type: 'string', token: 'LASTID', optional: true },
    ],
    complexity: 'O(log N) with N being the number of messages in the PEL of the consumer group.',
    handler: xclaimCommand,
  }),
  defineCommand({
    name: 'xautoclaim',
    arity: -6,
    tips: ['nondeterministic_output'],
    flags: ['write', 'fast'],
    keySpecs: [keySpec('RW delete', 1)],
    acl: ['stream'],
    summary:
      'Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.',
    since: '6.2.0',
    group: 'stream',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'group', type: 'string' },
      { name: 'consumer', type: 'string' },
      { name: 'min-idle-time', type: 'string' },
      { name: 'start', type: 'string' },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
      { name: 'justid', type: 'pure-token', token: 'JUSTID', optional: true },
    ],
    history: [['7.0.0', 'Added an element to the reply array, containing deleted entries the command cleared from the PEL']],
    complexity: 'O(1) if COUNT is small.',
    handler: xautoclaimCommand,
  }),
];
