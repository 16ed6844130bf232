// XREADGROUP (t_stream.c xreadCommand with GROUP, streamReplyWithRange with a group,
// streamReplyWithRangeFromConsumerPEL, serveClientsBlockedOnStreamKey for groups).
//
// XREADGROUP itself is never propagated (preventCommandPropagation): each entry delivered into
// the PEL goes out as "XCLAIM key group consumer 0 id TIME ms RETRYCOUNT n FORCE JUSTID LASTID
// last-id" (streamPropagateXCLAIM), a NOACK read as "XGROUP SETID key group id ENTRIESREAD n"
// (streamPropagateGroupID), and a consumer a NOACK read creates as XGROUP CREATECONSUMER.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { blockForKeys, blockingDenied } from '../core/blocking.js';
import { keySpec, defineCommand, type CommandSpec } from '../core/command-table.js';
import {
  MAX_ID,
  StreamValue,
  compareIds,
  formatId,
  idKey,
  incrId,
  type ConsumerGroup,
  type StreamConsumer,
  type StreamId,
} from '../keyspace/types/stream.js';
import { advanceGroup, assignPending, createConsumer } from '../keyspace/types/stream-groups.js';
import { notifyStream, parseXreadArgs, replyEntry, replyStreamKey, replyStreamsHeader, xreadKeys } from './streams.js';
import { parseStreamId } from './stream-args.js';

const BLOCKED_DEFAULT_COUNT = 1000;

/** streamPropagateXCLAIM: the idempotent form of a NACK's state. */
export function propagateClaim(
  client: Client,
  key: BinaryString,
  group: ConsumerGroup,
  idArg: BinaryString,
  nack: { deliveryTime: number; deliveryCount: number; consumer: StreamConsumer },
): void {
  client.server.propagation.propagate(client.db.id, [
    'XCLAIM',
    key,
    group.name,
    nack.consumer.name,
    '0',
    idArg,
    'TIME',
    String(nack.deliveryTime),
    'RETRYCOUNT',
    String(nack.deliveryCount),
    'FORCE',
    'JUSTID',
    'LASTID',
    formatId(group.lastId),
  ]);
}

/** streamPropagateGroupID (7.0 form, with the read counter). */
export function propagateGroupId(client: Client, key: BinaryString, group: ConsumerGroup): void {
  client.server.propagation.propagate(client.db.id, [
    'XGROUP',
    'SETID',
    key,
    group.name,
    formatId(group.lastId),
    'ENTRIESREAD',
    String(group.entriesRead),
  ]);
}

/** streamLookupConsumer / streamCreateConsumer (SCC_DEFAULT: a keyspace event and a change), then seen now. */
function consumerFor(
  client: Client,
  key: BinaryString,
  group: ConsumerGroup,
  name: BinaryString,
  noAck: boolean,
  propagateCreation: boolean,
): StreamConsumer {
  const now = Date.now();
  let consumer = group.consumers.get(name);
  if (!consumer) {
    consumer = createConsumer(group, name, now)!;
    notifyStream(client, 'xgroup-createconsumer', key);
    client.db.changed(key);
    if (noAck && propagateCreation) {
      client.server.propagation.propagate(client.db.id, ['XGROUP', 'CREATECONSUMER', key, group.name, name]);
    }
  }
  consumer.seenTime = now;
  return consumer;
}

/** streamReplyWithRange with a group: new entries from `start`, into the PEL unless NOACK. */
function deliverNew(
  client: Client,
  key: BinaryString,
  s: StreamValue,
  group: ConsumerGroup,
  consumer: StreamConsumer,
  start: StreamId,
  count: number,
  noAck: boolean,
): void {
  const entries = [];
  for (const entry of s.range(start, MAX_ID)) {
    entries.push(entry);
    if (count && entries.length === count) break;
  }
  client.reply.arrayHeader(entries.length);
  let propagateLastId = false;
  const now = Date.now();
  for (const entry of entries) {
    if (advanceGroup(s, group, entry.id) && noAck) propagateLastId = true;
    const idArg = formatId(entry.id);
    replyEntry(client, entry, idArg);
    if (noAck) continue;
    const pelKey = idKey(entry.id);
    let nack = group.pending.get(entry.id, pelKey);
    if (nack) {
      assignPending(nack, consumer);
      nack.deliveryTime = now;
      nack.deliveryCount = 1;
    } else {
      nack = { id: entry.id, deliveryTime: now, deliveryCount: 1, consumer };
      group.pending.set(nack, pelKey);
      consumer.pending.set(nack, pelKey);
    }
    propagateClaim(client, key, group, idArg, nack);
  }
  if (propagateLastId) propagateGroupId(client, key, group);
}

/** streamReplyWithRangeFromConsumerPEL: the consumer's own pending entries from `start`. */
function deliverHistory(client: Client, s: StreamValue, consumer: StreamConsumer, start: StreamId, count: number): void {
  const nacks = [];
  for (const nack of consumer.pending.values(start)) {
    nacks.push(nack);
    if (count && nacks.length === count) break;
  }
  client.reply.arrayHeader(nacks.length);
  const now = Date.now();
  for (const nack of nacks) {
    const entry = s.get(nack.id);
    if (entry) {
      replyEntry(client, entry);
      nack.deliveryTime = now;
      nack.deliveryCount++;
    } else {
      // Acknowledged by nobody but deleted meanwhile: the ID with no fields.
      client.reply.arrayHeader(2);
      client.reply.bulk(formatId(nack.id));
      client.reply.nullArray();
    }
  }
}

function xreadgroupCommand(client: Client, argv: BinaryString[]): void {
  const args = parseXreadArgs(client, argv, true);
  if (args === null) return;
  const { name: groupName, consumer: consumerName } = args.group!;
  const keys = argv.slice(args.streamsIndex, args.streamsIndex + args.streamCount);
  const ids: Array<StreamId | null> = [];
  const groups: ConsumerGroup[] = [];
  // Whatever happens, the command itself is not propagated: its effects are.
  client.server.propagation.prevent();
  for (let i = 0; i < keys.length; i++) {
    const value = client.db.lookupForWrite(keys[i]!);
    if (value !== undefined && !(value instanceof StreamValue)) {
      client.reply.error('WRONGTYPE Operation against a key holding the wrong kind of value');
      return;
    }
    const group = value?.groups.get(groupName);
    if (!group) {
      client.reply.error(`NOGROUP No such key '${keys[i]}' or consumer group '${groupName}' in XREADGROUP with GROUP option`);
      return;
    }
    groups.push(group);
    const arg = argv[args.streamsIndex + args.streamCount + i]!;
    if (arg === '$') {
      client.reply.error(
        'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
      );
      return;
    }
    if (arg === '>') {
      ids.push(null);
      continue;
    }
    const id = parseStreamId(client, arg, 0n, true);
    if (id === null) return;
    ids.push({ ms: id.ms, seq: id.seq });
  }
  // Which streams are served now, decided (and consumers made) before any reply is written.
  const served: Array<{ i: number; s: StreamValue; consumer: StreamConsumer; start: StreamId; history: boolean }> = [];
  for (let i = 0; i < keys.length; i++) {
    const s = client.db.peekLive(keys[i]!) as StreamValue;
    const group = groups[i]!;
    const id = ids[i]!;
    let start: StreamId | null = null;
    let history = false;
    if (id !== null) {
      history = true;
      start = incrId(id) ?? MAX_ID;
    } else if (s.length && compareIds(s.lastValidId(), group.lastId) > 0) {
      start = incrId(group.lastId)!;
    }
    // Only a stream served now makes (or refreshes) the consumer.
    if (start !== null)
      served.push({ i, s, consumer: consumerFor(client, keys[i]!, group, consumerName, args.noAck, true), start, history });
  }
  if (served.length) {
    replyStreamsHeader(client, served.length);
    for (const { i, s, consumer, start, history } of served) {
      replyStreamKey(client, keys[i]!);
      if (history) deliverHistory(client, s, consumer, start, args.count);
      else deliverNew(client, keys[i]!, s, groups[i]!, consumer, start, args.count, args.noAck);
      client.db.changed(keys[i]!);
    }
    return;
  }
  if (args.timeout === null || blockingDenied(client)) {
    client.reply.nullArray();
    return;
  }
  const count = args.count || BLOCKED_DEFAULT_COUNT;
  blockForKeys(client, {
    keys,
    deadline: args.timeout,
    type: 'stream',
    serve: (key) => {
      const s = client.db.lookupForWrite(key);
      if (!(s instanceof StreamValue)) return false;
      const group = s.groups.get(groupName);
      if (!group) {
        client.reply.error('NOGROUP the consumer group this client was blocked on no longer exists');
        return true;
      }
      // Only an entry past the group's last delivered one serves (see XREAD's serve).
      if (compareIds(s.lastValidId(), group.lastId) <= 0) return false;
      const consumer = consumerFor(client, key, group, consumerName, args.noAck, true);
      replyStreamsHeader(client, 1);
      replyStreamKey(client, key);
      deliverNew(client, key, s, group, consumer, incrId(group.lastId)!, count, args.noAck);
      client.db.changed(key);
      return true;
    },
  });
}

export const streamReadGroupCommands: CommandSpec[] = [
  defineCommand({
    name: 'xreadgroup',
    arity: -7,
    flags: ['write', 'blocking', 'movablekeys'],
    keySpecs: [keySpec('RO access', ['STREAMS', 4], [-1, 1, 2])],
    acl: ['stream'],
    summary:
      'Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.',
    since: '5.0.0',
    group: 'stream',
    arguments: [
      {
        name: 'group_consumer',
        type: 'block',
        token: 'GROUP',
        arguments: [
          { name: 'group', type: 'string' },
          { name: 'consumer', type: 'string' },
        ],
      },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
      { name: 'milliseconds', type: 'integer', token: 'BLOCK', optional: true },
      { name: 'noack', type: 'pure-token', token: 'NOACK', optional: true },
      {
        name: 'streams',
        type: 'block',
        token: 'STREAMS',
        arguments: [
          { name: 'key', type: 'key', multiple: true },
          { name: 'id', type: 'string', multiple: true },
        ],
      },
    ],
    complexity:
      'For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.',
    getKeys: xreadKeys,
    handler: xreadgroupCommand,
  }),
];
