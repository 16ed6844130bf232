// Stream commands without consumer groups (t_stream.c): XADD, XLEN, XRANGE, XREVRANGE, XDEL,
// XTRIM, XSETID and XREAD (blocking through core/blocking.ts).
//
// Propagation follows xaddCommand / xtrimCommand: XADD goes out with the ID it generated (and
// "<ms>-*" resolved), and an approximate trim ("~", maybe with LIMIT) as "=" with the length or
// first ID it left (streamRewriteApproxSpecifier + streamRewriteTrimArgument), so replicas and
// the AOF trim exactly what the master did.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { keySpec, defineCommand, type CommandDocArgument, type CommandSpec, type KeyReference } from '../core/command-table.js';
import { ERR, is, wrongArity } from '../core/replies.js';
import { blockForKeys, blockingDenied } from '../core/blocking.js';
import { parseInt64 } from '../util/numbers.js';
import {
  MAX_ID,
  MIN_ID,
  StreamValue,
  UINT64_MAX,
  compareIds,
  decrId,
  formatId,
  incrId,
  isZeroId,
  type NodeEntry,
  type StreamId,
  type StreamNodeLimits,
} from '../keyspace/types/stream.js';
import { readAggregate, writableAggregate } from './aggregate-access.js';
import { parseAddOrTrimArgs, parseIntervalId, parseMillisTimeout, parseStreamId } from './stream-args.js';

function nodeLimits(client: Client): StreamNodeLimits {
  const config = client.server.config;
  return { maxBytes: config.int('stream-node-max-bytes'), maxEntries: config.int('stream-node-max-entries') };
}

export function notifyStream(client: Client, event: string, key: BinaryString): void {
  client.server.keyspaceEvents.notify('t', event, key, client.db.id);
}

/** One entry as streamReplyWithRange emits it: [id, [field, value, ...]]. */
export function replyEntry(client: Client, entry: NodeEntry, formattedId = formatId(entry.id)): void {
  client.reply.arrayHeader(2);
  client.reply.bulk(formattedId);
  client.reply.arrayHeader(entry.fields.length);
  for (const part of entry.fields) client.reply.bulk(part);
}

/** streamReplyWithRange without a group: up to `count` (0: all) entries. */
export function replyRange(client: Client, s: StreamValue, start: StreamId, end: StreamId, count: number, rev: boolean): number {
  const entries: NodeEntry[] = [];
  for (const entry of s.range(start, end, rev)) {
    entries.push(entry);
    if (count && entries.length === count) break;
  }
  client.reply.arrayHeader(entries.length);
  for (const entry of entries) replyEntry(client, entry);
  return entries.length;
}

// --- XADD ------------------------------------------------------------------------------------------

function xaddCommand(client: Client, argv: BinaryString[]): void {
  const args = parseAddOrTrimArgs(client, argv, true);
  if (args === null) return;
  const fieldPos = args.idIndex + 1;
  const fieldArgs = argv.length - fieldPos;
  if (fieldArgs < 2 || fieldArgs % 2 === 1) {
    wrongArity(client, 'xadd');
    return;
  }
  // Refused before the key is created, so a failed XADD leaves no empty stream behind.
  if (args.id && args.id.seqGiven && isZeroId(args.id)) {
    client.reply.error('ERR The ID specified in XADD must be greater than 0-0');
    return;
  }
  const key = argv[1]!;
  const existing = writableAggregate(client, key, StreamValue);
  if (existing === null) return;
  if (existing === undefined && args.noMkStream) {
    client.reply.null();
    return;
  }
  const s = existing ?? new StreamValue();
  if (s.lastId.ms === UINT64_MAX && s.lastId.seq === UINT64_MAX) {
    client.reply.error('ERR The stream has exhausted the last possible ID, unable to add more items');
    return;
  }
  const id = nextId(s, args.id);
  if (id === null) {
    // What 7.0 answers when "<ms>-*" would need a sequence past the largest (streamAppendItem
    // leaves errno unset on that path, so xaddCommand takes it for the size error).
    client.reply.error('ERR Elements are too large to be stored');
    return;
  }
  if (compareIds(id, s.lastId) <= 0) {
    client.reply.error('ERR The ID specified in XADD is equal or smaller than the target stream top item');
    return;
  }
  const fields = argv.slice(fieldPos);
  s.append(id, fields, nodeLimits(client));
  if (existing === undefined) client.db.set(key, s);
  else client.db.changed(key);
  client.reply.bulk(formatId(id));
  notifyStream(client, 'xadd', key);

  const effect = argv.slice();
  if (args.trim !== null) {
    if (s.trim(args.trim, args.approx, args.limit)) notifyStream(client, 'xtrim', key);
    if (args.approx) rewriteTrim(s, args.trim.kind, effect, args.trimArgIndex);
  }
  // Only a generated ID ("*", "<ms>-*") is spelled out; an explicit one, even "<ms>" alone, goes
  // as the client wrote it (xaddCommand rewrites when !id_given || !seq_given).
  if (args.id === null || !args.id.seqGiven) effect[args.idIndex] = formatId(id);
  client.server.propagation.propagate(client.db.id, effect);
}

/** streamAppendItem's ID: generated (streamNextID), explicit, or "<ms>-*" completed. */
function nextId(s: StreamValue, given: ReturnType<typeof parseStreamId>): StreamId | null {
  if (given === null) {
    const ms = BigInt(Date.now());
    return ms > s.lastId.ms ? { ms, seq: 0n } : incrId(s.lastId);
  }
  if (given.seqGiven) return { ms: given.ms, seq: given.seq };
  if (s.lastId.ms === given.ms) return s.lastId.seq === UINT64_MAX ? null : { ms: given.ms, seq: s.lastId.seq + 1n };
  return { ms: given.ms, seq: 0n };
}

/** streamRewriteApproxSpecifier + streamRewriteTrimArgument: "~ N" becomes "= <what is left>". */
function rewriteTrim(s: StreamValue, kind: 'maxlen' | 'minid', effect: BinaryString[], index: number): void {
  effect[index - 1] = '=';
  effect[index] = kind === 'maxlen' ? String(s.length) : formatId(s.edgeId(true, false));
}

// --- XTRIM, XDEL, XLEN, XSETID ---------------------------------------------------------------------

function xtrimCommand(client: Client, argv: BinaryString[]): void {
  const args = parseAddOrTrimArgs(client, argv, false);
  if (args === null) return;
  const key = argv[1]!;
  const s = writableAggregate(client, key, StreamValue);
  if (s === null) return;
  if (s === undefined) {
    client.reply.integer(0);
    return;
  }
  const deleted = s.trim(args.trim!, args.approx, args.limit);
  if (deleted) {
    notifyStream(client, 'xtrim', key);
    client.db.changed(key, deleted);
    if (args.approx) {
      const effect = argv.slice();
      rewriteTrim(s, args.trim!.kind, effect, args.trimArgIndex);
      client.server.propagation.propagate(client.db.id, effect);
    }
  }
  client.reply.integer(deleted);
}

function xdelCommand(client: Client, argv: BinaryString[]): void {
  const key = argv[1]!;
  const s = writableAggregate(client, key, StreamValue);
  if (s === null) return;
  if (s === undefined) {
    client.reply.integer(0);
    return;
  }
  // Every ID is checked before any is deleted, so the command is never half done.
  const ids: StreamId[] = [];
  for (let i = 2; i < argv.length; i++) {
    const id = parseStreamId(client, argv[i]!, 0n, true);
    if (id === null) return;
    ids.push(id);
  }
  let deleted = 0;
  let firstDeleted = false;
  for (const id of ids) {
    if (!s.delete(id)) continue;
    if (compareIds(id, s.firstId) === 0) firstDeleted = true;
    if (compareIds(id, s.maxDeletedEntryId) > 0) s.maxDeletedEntryId = { ms: id.ms, seq: id.seq };
    deleted++;
  }
  if (deleted) {
    if (s.length === 0) s.firstId = MIN_ID;
    else if (firstDeleted) s.firstId = s.edgeId(true, true);
    client.db.changed(key, deleted);
    notifyStream(client, 'xdel', key);
  }
  client.reply.integer(deleted);
}

function xlenCommand(client: Client, argv: BinaryString[]): void {
  const s = readAggregate(client, argv[1]!, StreamValue);
  if (s === null) return;
  client.reply.integer(s?.length ?? 0);
}

function xsetidCommand(client: Client, argv: BinaryString[]): void {
  const id = parseStreamId(client, argv[2]!, 0n, true);
  if (id === null) return;
  let entriesAdded = -1n;
  let maxDeleted: StreamId = MIN_ID;
  for (let i = 3; i < argv.length; i += 2) {
    const moreArgs = argv.length - 1 - i;
    if (is(argv[i]!, 'entriesadded') && moreArgs) {
      const n = parseInt64(argv[i + 1]!);
      if (n === null) {
        client.reply.error(ERR.notInteger);
        return;
      }
      if (n < 0n) {
        client.reply.error('ERR entries_added must be positive');
        return;
      }
      entriesAdded = n;
    } else if (is(argv[i]!, 'maxdeletedid') && moreArgs) {
      const parsed = parseStreamId(client, argv[i + 1]!, 0n, true);
      if (parsed === null) return;
      if (compareIds(id, parsed) < 0) {
        client.reply.error('ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
        return;
      }
      maxDeleted = parsed;
    } else {
      client.reply.error(ERR.syntax);
      return;
    }
  }
  const key = argv[1]!;
  const s = writableAggregate(client, key, StreamValue);
  if (s === null) return;
  if (s === undefined) {
    client.reply.error(ERR.noSuchKey);
    return;
  }
  if (s.length > 0) {
    if (compareIds(id, s.lastValidId()) < 0) {
      client.reply.error('ERR The ID specified in XSETID is smaller than the target stream top item');
      return;
    }
    if (entriesAdded !== -1n && BigInt(s.length) > entriesAdded) {
      client.reply.error('ERR The entries_added specified in XSETID is smaller than the target stream length');
      return;
    }
  }
  // 7.0 checks nothing against the current max_deleted_entry_id (7.2 added that), and an empty
  // stream's last ID may even go backwards.
  s.lastId = { ms: id.ms, seq: id.seq };
  if (entriesAdded !== -1n) s.entriesAdded = entriesAdded;
  if (!isZeroId(maxDeleted)) s.maxDeletedEntryId = { ms: maxDeleted.ms, seq: maxDeleted.seq };
  client.db.changed(key);
  notifyStream(client, 'xsetid', key);
  client.reply.ok();
}

// --- XRANGE, XREVRANGE -------------------------------------------------------------------------------

/** xrangeGenericCommand: "(" bounds, COUNT (negative is 0, and 0 a null array), then the key. */
function xrangeGeneric(client: Client, argv: BinaryString[], rev: boolean): void {
  const start = parseIntervalId(client, rev ? argv[3]! : argv[2]!, 0n);
  if (start === null) return;
  let startId: StreamId | null = start.id;
  if (start.exclusive && (startId = incrId(startId)) === null) {
    client.reply.error('ERR invalid start ID for the interval');
    return;
  }
  const end = parseIntervalId(client, rev ? argv[2]! : argv[3]!, UINT64_MAX);
  if (end === null) return;
  let endId: StreamId | null = end.id;
  if (end.exclusive && (endId = decrId(endId)) === null) {
    client.reply.error('ERR invalid end ID for the interval');
    return;
  }
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (is(argv[j]!, 'count') && argv.length - j - 1 >= 1) {
      const n = parseInt64(argv[j + 1]!);
      if (n === null) {
        client.reply.error(ERR.notInteger);
        return;
      }
      count = n < 0n ? 0 : Number(n);
      j++;
    } else {
      client.reply.error(ERR.syntax);
      return;
    }
  }
  const s = readAggregate(client, argv[1]!, StreamValue);
  if (s === null) return;
  if (s === undefined) {
    client.reply.arrayHeader(0);
    return;
  }
  if (count === 0) {
    client.reply.nullArray();
    return;
  }
  replyRange(client, s, startId, endId, count === -1 ? 0 : count, rev);
}

// --- XREAD ---------------------------------------------------------------------------------------------

/** xreadCommand's default COUNT for a client served after blocking (XREAD_BLOCKED_DEFAULT_COUNT). */
const BLOCKED_DEFAULT_COUNT = 1000;

export interface XreadArgs {
  timeout: number | null;
  count: number;
  streamsIndex: number;
  streamCount: number;
  group: { name: BinaryString; consumer: BinaryString } | null;
  noAck: boolean;
}

/** xreadCommand's option loop, shared with XREADGROUP. Null after replying. */
export function parseXreadArgs(client: Client, argv: BinaryString[], xreadgroup: boolean): XreadArgs | null {
  const args: XreadArgs = { timeout: null, count: 0, streamsIndex: 0, streamCount: 0, group: null, noAck: false };
  for (let i = 1; i < argv.length; i++) {
    const moreArgs = argv.length - i - 1;
    const opt = argv[i]!;
    if (is(opt, 'block') && moreArgs) {
      if (client.isScript) {
        // There is no sense in BLOCK inside a script: Redis refuses it outright.
        client.reply.error(`ERR ${argv[0]} command is not allowed with BLOCK option from scripts`);
        return null;
      }
      i++;
      const deadline = parseMillisTimeout(client, argv[i]!);
      if (deadline === null) return null;
      args.timeout = deadline;
    } else if (is(opt, 'count') && moreArgs) {
      i++;
      const n = parseInt64(argv[i]!);
      if (n === null) {
        client.reply.error(ERR.notInteger);
        return null;
      }
      args.count = n < 0n ? 0 : Number(n);
    } else if (is(opt, 'streams') && moreArgs) {
      args.streamsIndex = i + 1;
      const rest = argv.length - args.streamsIndex;
      if (rest % 2 !== 0) {
        // 7.0 says XREAD and '$' for XREADGROUP too.
        client.reply.error("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
        return null;
      }
      args.streamCount = rest / 2;
      break;
    } else if (is(opt, 'group') && moreArgs >= 2) {
      if (!xreadgroup) {
        client.reply.error('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
        return null;
      }
      args.group = { name: argv[i + 1]!, consumer: argv[i + 2]! };
      i += 2;
    } else if (is(opt, 'noack')) {
      if (!xreadgroup) {
        client.reply.error('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
        return null;
      }
      args.noAck = true;
    } else {
      client.reply.error(ERR.syntax);
      return null;
    }
  }
  if (args.streamsIndex === 0) {
    client.reply.error(ERR.syntax);
    return null;
  }
  if (xreadgroup && args.group === null) {
    client.reply.error('ERR Missing GROUP option for XREADGROUP');
    return null;
  }
  return args;
}

/** The top level of an XREAD reply: an array of [key, entries] in RESP2, a map in RESP3. */
export function replyStreamsHeader(client: Client, n: number): void {
  if (client.reply.protocol === 3) client.reply.mapHeader(n);
  else client.reply.arrayHeader(n);
}

/** One stream of an XREAD reply: in RESP2 each key and its entries are a pair of their own. */
export function replyStreamKey(client: Client, key: BinaryString): void {
  if (client.reply.protocol !== 3) client.reply.arrayHeader(2);
  client.reply.bulk(key);
}

function xreadCommand(client: Client, argv: BinaryString[]): void {
  const args = parseXreadArgs(client, argv, false);
  if (args === null) return;
  const keys = argv.slice(args.streamsIndex, args.streamsIndex + args.streamCount);
  const ids: StreamId[] = [];
  for (let i = 0; i < keys.length; i++) {
    const s = readAggregate(client, keys[i]!, StreamValue);
    if (s === null) return;
    const arg = argv[args.streamsIndex + args.streamCount + i]!;
    if (arg === '$') {
      ids.push(s ? s.lastId : MIN_ID);
      continue;
    }
    if (arg === '>') {
      client.reply.error('ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
      return;
    }
    const id = parseStreamId(client, arg, 0n, true);
    if (id === null) return;
    ids.push({ ms: id.ms, seq: id.seq });
  }
  // Served at once when some stream has a live entry past its ID.
  const ready: number[] = [];
  for (let i = 0; i < keys.length; i++) {
    const s = client.db.lookupRead(keys[i]!, false);
    if (s instanceof StreamValue && s.length && compareIds(s.lastValidId(), ids[i]!) > 0) ready.push(i);
  }
  if (ready.length) {
    replyStreamsHeader(client, ready.length);
    for (const i of ready) {
      const s = client.db.lookupRead(keys[i]!, false) as StreamValue;
      replyStreamKey(client, keys[i]!);
      replyRange(client, s, incrId(ids[i]!)!, MAX_ID, args.count, false);
    }
    return;
  }
  if (args.timeout === null || blockingDenied(client)) {
    client.reply.nullArray();
    return;
  }
  const waitAfter = new Map<BinaryString, StreamId>();
  keys.forEach((key, i) => {
    if (!waitAfter.has(key)) waitAfter.set(key, ids[i]!);
  });
  const count = args.count || BLOCKED_DEFAULT_COUNT;
  blockForKeys(client, {
    keys,
    deadline: args.timeout,
    type: 'stream',
    // serveClientsBlockedOnStreamKey serves when the stream's last ID passed the one waited
    // after, but only XADD signals a stream key: here every change does, so the test is for a
    // live entry past it, which only an XADD makes (XSETID moves the last ID without one).
    serve: (key) => {
      const s = client.db.peekLive(key);
      const after = waitAfter.get(key)!;
      if (!(s instanceof StreamValue) || compareIds(s.lastValidId(), after) <= 0) return false;
      replyStreamsHeader(client, 1);
      replyStreamKey(client, key);
      replyRange(client, s, incrId(after)!, MAX_ID, count, false);
      return true;
    },
  });
}

/**
 * db.c xreadGetKeys, for when the key spec finds nothing valid: the options before STREAMS are
 * skipped, then the first half of what follows it (an odd count is a syntax error: no keys).
 */
export function xreadKeys(argv: BinaryString[]): KeyReference[] {
  const skips: Record<string, number> = { block: 1, count: 1, group: 2, noack: 0 };
  let streams = -1;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!.toLowerCase();
    if (arg === 'streams') {
      streams = i;
      break;
    }
    const skip = skips[arg];
    if (skip === undefined) break;
    i += skip;
  }
  const rest = streams === -1 ? 0 : argv.length - streams - 1;
  if (rest === 0 || rest % 2 !== 0) return [];
  return Array.from({ length: rest / 2 }, (_, k) => ({ pos: streams + 1 + k, flags: [] }));
}

const STREAM_ACL = ['stream' as const];

/** XADD's and XTRIM's trimming arguments: MAXLEN|MINID [=|~] threshold [LIMIT count]. */
const TRIM_ARGUMENTS: CommandDocArgument[] = [
  {
    name: 'strategy',
    type: 'oneof',
    arguments: [
      { name: 'maxlen', type: 'pure-token', token: 'MAXLEN' },
      { name: 'minid', type: 'pure-token', token: 'MINID', since: '6.2.0' },
    ],
  },
  {
    name: 'operator',
    type: 'oneof',
    optional: true,
    arguments: [
      { name: 'equal', type: 'pure-token', token: '=' },
      { name: 'approximately', type: 'pure-token', token: '~' },
    ],
  },
  { name: 'threshold', type: 'string' },
  { name: 'count', type: 'integer', token: 'LIMIT', optional: true, since: '6.2.0' },
];

export const streamCommands: CommandSpec[] = [
  defineCommand({
    name: 'xadd',
    arity: -5,
    tips: ['nondeterministic_output'],
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [keySpec('RW update', 1, [0, 1, 0], 'UPDATE instead of INSERT because of the optional trimming feature')],
    acl: STREAM_ACL,
    summary: 'Appends a new entry to a stream',
    since: '5.0.0',
    group: 'stream',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'nomkstream', type: 'pure-token', token: 'NOMKSTREAM', optional: true, since: '6.2.0' },
      {
        name: 'trim',
        type: 'block',
        optional: true,
        arguments: TRIM_ARGUMENTS,
      },
      {
        name: 'id_or_auto',
        type: 'oneof',
        arguments: [
          { name: 'auto_id', type: 'pure-token', token: '*' },
          { name: 'id', type: 'string' },
        ],
      },
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
    history: [
      ['6.2.0', 'Added the `NOMKSTREAM` option, `MINID` trimming strategy and the `LIMIT` option.'],
      ['7.0.0', 'Added support for the `<ms>-*` explicit ID form.'],
    ],
    complexity: 'O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.',
    handler: xaddCommand,
  }),
  defineCommand({
    name: 'xtrim',
    arity: -4,
    tips: ['nondeterministic_output'],
    flags: ['write'],
    keySpecs: [keySpec('RW delete', 1)],
    acl: STREAM_ACL,
    summary: "Trims the stream to (approximately if '~' is passed) a certain size",
    since: '5.0.0',
    group: 'stream',
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'trim',
        type: 'block',
        arguments: TRIM_ARGUMENTS,
      },
    ],
    history: [['6.2.0', 'Added the `MINID` trimming strategy and the `LIMIT` option.']],
    complexity:
      'O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.',
    handler: xtrimCommand,
  }),
  defineCommand({
    name: 'xdel',
    arity: -3,
    flags: ['write', 'fast'],
    keySpecs: [keySpec('RW delete', 1)],
    acl: STREAM_ACL,
    summary:
      'Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.',
    since: '5.0.0',
    group: 'stream',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'id', type: 'string', multiple: true },
    ],
    complexity: 'O(1) for each single item to delete in the stream, regardless of the stream size.',
    handler: xdelCommand,
  }),
  defineCommand({
    name: 'xlen',
    arity: 2,
    flags: ['readonly', 'fast'],
    keySpecs: [keySpec('RO', 1)],
    acl: STREAM_ACL,
    summary: 'Return the number of entries in a stream',
    since: '5.0.0',
    group: 'stream',
    arguments: [{ name: 'key', type: 'key' }],
    complexity: 'O(1)',
    handler: xlenCommand,
  }),
  defineCommand({
    name: 'xsetid',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [keySpec('RW update', 1)],
    acl: STREAM_ACL,
    summary: 'An internal command for replicating stream values',
    since: '5.0.0',
    group: 'stream',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'last-id', type: 'string' },
      { name: 'entries_added', type: 'integer', token: 'ENTRIESADDED', optional: true, since: '7.0.0' },
      { name: 'max_deleted_entry_id', type: 'string', token: 'MAXDELETEDID', optional: true, since: '7.0.0' },
    ],
    history: [['7.0.0', 'Added the `entries_added` and `max_deleted_entry_id` arguments.']],
    complexity: 'O(1)',
    handler: xsetidCommand,
  }),
  defineCommand({
    name: 'xrange',
    arity: -4,
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    acl: STREAM_ACL,
    summary: 'Return a range of elements in a stream, with IDs matching the specified IDs interval',
    since: '5.0.0',
    group: 'stream',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'start', type: 'string' },
      { name: 'end', type: 'string' },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
    history: [['6.2.0', 'Added exclusive ranges.']],
    complexity:
      'O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).',
    handler: (client, argv) => xrangeGeneric(client, argv, false),
  }),
  defineCommand({
    name: 'xrevrange',
    arity: -4,
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    acl: STREAM_ACL,
    summary:
      'Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE',
    since: '5.0.0',
    group: 'stream',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'end', type: 'string' },
      { name: 'start', type: 'string' },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
    history: [['6.2.0', 'Added exclusive ranges.']],
    complexity:
      'O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).',
    handler: (client, argv) => xrangeGeneric(client, argv, true),
  }),
  defineCommand({
    name: 'xread',
    arity: -4,
    flags: ['readonly', 'blocking', 'movablekeys'],
    keySpecs: [keySpec('RO access', ['STREAMS', 1], [-1, 1, 2])],
    acl: STREAM_ACL,
    summary:
      'Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.',
    since: '5.0.0',
    group: 'stream',
    arguments: [
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
      { name: 'milliseconds', type: 'integer', token: 'BLOCK', optional: true },
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
      'For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.',
    getKeys: xreadKeys,
    handler: xreadCommand,
  }),
];
