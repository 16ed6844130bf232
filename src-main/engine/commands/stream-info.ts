// XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS (t_stream.c xinfoCommand,
// xinfoReplyWithStreamInfo, streamReplyWithCGLag), with 7.0's fields: max-deleted-entry-id,
// entries-added, recorded-first-entry-id, and each group's entries-read and lag.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { defineCommand, keySpec, type CommandSpec } from '../core/command-table.js';
import { ERR, is } from '../core/replies.js';
import { parseInt64 } from '../util/numbers.js';
import { MAX_ID, MIN_ID, StreamValue, encodeIdKey, formatId, type ConsumerGroup } from '../keyspace/types/stream.js';
import { INVALID_ENTRIES_READ, consumersInOrder, groupLag, groupsInOrder } from '../keyspace/types/stream-groups.js';
import { readAggregate } from './aggregate-access.js';
import { replyEntry, replyRange } from './streams.js';
import { replyHelp } from './server.js';

const XINFO_HELP = [
  'XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
  'HELP',
  '    Prints this help.',
];

/**
 * rax->numnodes for the stream's node keys, as the radix tree holds them: a node per run of
 * bytes shared by all keys below it (compressed) or per branching point, plus a node where each
 * key ends (an empty rax is its root alone).
 */
export function radixTreeNodes(keys: Buffer[]): number {
  const count = (group: Buffer[], depth: number): number => {
    if (depth === 16) return 1;
    const first = group[0]!;
    let common = 16 - depth;
    for (const key of group) {
      let m = 0;
      while (m < common && key[depth + m] === first[depth + m]) m++;
      common = m;
      if (common === 0) break;
    }
    if (common > 0) return 1 + count(group, depth + common);
    const byByte = new Map<number, Buffer[]>();
    for (const key of group) {
      const list = byByte.get(key[depth]!);
      if (list) list.push(key);
      else byByte.set(key[depth]!, [key]);
    }
    let total = 1;
    for (const children of byByte.values()) total += count(children, depth + 1);
    return total;
  };
  return keys.length === 0 ? 1 : count(keys, 0);
}

function replyNullableInteger(client: Client, n: bigint | null): void {
  if (n === null) client.reply.null();
  else client.reply.integer(n);
}

function replyEntriesRead(client: Client, group: ConsumerGroup): void {
  replyNullableInteger(client, group.entriesRead === INVALID_ENTRIES_READ ? null : group.entriesRead);
}

function streamInfo(client: Client, s: StreamValue, argv: BinaryString[]): void {
  const rest = argv.slice(3);
  let full = false;
  let count = 10;
  if (rest.length) {
    if (!is(rest[0]!, 'full')) {
      subcommandSyntaxError(client, argv);
      return;
    }
    full = true;
    if (rest.length > 1) {
      if (rest.length !== 3 || !is(rest[1]!, 'count')) {
        subcommandSyntaxError(client, argv);
        return;
      }
      const n = parseInt64(rest[2]!);
      if (n === null) {
        client.reply.error(ERR.notInteger);
        return;
      }
      count = n < 0n ? 10 : Number(n);
    }
  }
  const reply = client.reply;
  reply.mapHeader(full ? 9 : 10);
  reply.bulk('length');
  reply.integer(s.length);
  reply.bulk('radix-tree-keys');
  reply.integer(s.nodes.length);
  reply.bulk('radix-tree-nodes');
  reply.integer(radixTreeNodes(s.nodes.map((n) => encodeIdKey(n.masterId))));
  reply.bulk('last-generated-id');
  reply.bulk(formatId(s.lastId));
  reply.bulk('max-deleted-entry-id');
  reply.bulk(formatId(s.maxDeletedEntryId));
  reply.bulk('entries-added');
  reply.integer(s.entriesAdded);
  reply.bulk('recorded-first-entry-id');
  reply.bulk(formatId(s.firstId));
  if (!full) {
    reply.bulk('groups');
    reply.integer(s.groups.size);
    reply.bulk('first-entry');
    const first = s.range(MIN_ID, MAX_ID).next().value;
    if (first) replyEntry(client, first);
    else reply.null();
    reply.bulk('last-entry');
    const last = s.range(MIN_ID, MAX_ID, true).next().value;
    if (last) replyEntry(client, last);
    else reply.null();
    return;
  }
  reply.bulk('entries');
  replyRange(client, s, MIN_ID, MAX_ID, count, false);
  reply.bulk('groups');
  const groups = groupsInOrder(s);
  reply.arrayHeader(groups.length);
  for (const group of groups) {
    reply.mapHeader(7);
    reply.bulk('name');
    reply.bulk(group.name);
    reply.bulk('last-delivered-id');
    reply.bulk(formatId(group.lastId));
    reply.bulk('entries-read');
    replyEntriesRead(client, group);
    reply.bulk('lag');
    replyNullableInteger(client, groupLag(s, group));
    reply.bulk('pel-count');
    reply.integer(group.pending.size);
    reply.bulk('pending');
    const pending = [...limited(group.pending.values(), count)];
    reply.arrayHeader(pending.length);
    for (const nack of pending) {
      reply.arrayHeader(4);
      reply.bulk(formatId(nack.id));
      reply.bulk(nack.consumer.name);
      reply.integer(nack.deliveryTime);
      reply.integer(nack.deliveryCount);
    }
    reply.bulk('consumers');
    const consumers = consumersInOrder(group);
    reply.arrayHeader(consumers.length);
    for (const consumer of consumers) {
      reply.mapHeader(4);
      reply.bulk('name');
      reply.bulk(consumer.name);
      reply.bulk('seen-time');
      reply.integer(consumer.seenTime);
      reply.bulk('pel-count');
      reply.integer(consumer.pending.size);
      reply.bulk('pending');
      const own = [...limited(consumer.pending.values(), count)];
      reply.arrayHeader(own.length);
      for (const nack of own) {
        reply.arrayHeader(3);
        reply.bulk(formatId(nack.id));
        reply.integer(nack.deliveryTime);
        reply.integer(nack.deliveryCount);
      }
    }
  }
}

function* limited<T>(items: Iterable<T>, count: number): IterableIterator<T> {
  let n = 0;
  for (const item of items) {
    if (count && n === count) return;
    n++;
    yield item;
  }
}

/** xinfoCommand: the key first (a missing one is "no such key"), then the subcommand's own checks. */
function xinfo(client: Client, argv: BinaryString[]): void {
  const key = argv[2]!;
  const s = readAggregate(client, key, StreamValue);
  if (s === null) return;
  if (s === undefined) {
    client.reply.error(ERR.noSuchKey);
    return;
  }
  const sub = argv[1]!.toLowerCase();
  if (sub === 'consumers' && argv.length === 4) {
    const group = s.groups.get(argv[3]!);
    if (!group) {
      client.reply.error(`NOGROUP No such consumer group '${argv[3]}' for key name '${key}'`);
      return;
    }
    const now = Date.now();
    const consumers = consumersInOrder(group);
    client.reply.arrayHeader(consumers.length);
    for (const consumer of consumers) {
      client.reply.mapHeader(3);
      client.reply.bulk('name');
      client.reply.bulk(consumer.name);
      client.reply.bulk('pending');
      client.reply.integer(consumer.pending.size);
      client.reply.bulk('idle');
      client.reply.integer(Math.max(now - consumer.seenTime, 0));
    }
  } else if (sub === 'groups' && argv.length === 3) {
    const groups = groupsInOrder(s);
    client.reply.arrayHeader(groups.length);
    for (const group of groups) {
      client.reply.mapHeader(6);
      client.reply.bulk('name');
      client.reply.bulk(group.name);
      client.reply.bulk('consumers');
      client.reply.integer(group.consumers.size);
      client.reply.bulk('pending');
      client.reply.integer(group.pending.size);
      client.reply.bulk('last-delivered-id');
      client.reply.bulk(formatId(group.lastId));
      client.reply.bulk('entries-read');
      replyEntriesRead(client, group);
      client.reply.bulk('lag');
      replyNullableInteger(client, groupLag(s, group));
    }
  } else if (sub === 'stream') {
    streamInfo(client, s, argv);
  } else {
    subcommandSyntaxError(client, argv);
  }
}

/** addReplySubcommandSyntaxError: 7.0 answers this for a malformed XINFO STREAM option too. */
function subcommandSyntaxError(client: Client, argv: BinaryString[]): void {
  client.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try XINFO HELP.`);
}

function xinfoSub(name: string, arity: number, summary: string, since: string, tips?: string[]): CommandSpec {
  return defineCommand({
    name,
    arity,
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 2)],
    acl: ['stream'],
    summary,
    since,
    group: 'stream',
    tips,
    handler: xinfo,
  });
}

export const streamInfoCommands: CommandSpec[] = [
  defineCommand({
    name: 'xinfo',
    arity: -2,
    flags: [],
    summary: 'A container for stream introspection commands',
    since: '5.0.0',
    group: 'stream',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        ...xinfoSub('consumers', 4, 'List the consumers in a consumer group', '5.0.0', ['nondeterministic_output']),
        complexity: 'O(1)',
        arguments: [
          { name: 'key', type: 'key' },
          { name: 'groupname', type: 'string' },
        ],
      },
      {
        ...xinfoSub('groups', 3, 'List the consumer groups of a stream', '5.0.0'),
        complexity: 'O(1)',
        history: [['7.0.0', 'Added the `entries-read` and `lag` fields']],
        arguments: [{ name: 'key', type: 'key' }],
      },
      {
        ...xinfoSub('stream', -3, 'Get information about a stream', '5.0.0'),
        complexity: 'O(1)',
        history: [
          ['6.0.0', 'Added the `FULL` modifier.'],
          ['7.0.0', 'Added the `max-deleted-entry-id`, `entries-added`, `recorded-first-entry-id`, `entries-read` and `lag` fields'],
        ],
        arguments: [
          { name: 'key', type: 'key' },
          {
            name: 'full',
            type: 'block',
            token: 'FULL',
            optional: true,
            arguments: [{ name: 'count', type: 'integer', token: 'COUNT', optional: true }],
          },
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
        handler: (client) => replyHelp(client, XINFO_HELP),
      }),
    ],
  }),
];
