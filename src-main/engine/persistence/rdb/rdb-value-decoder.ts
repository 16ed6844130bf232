// Value decoding for every object type an RDB file of versions 1 to 11 can hold
// (rdb.c rdbLoadObject), into the neutral model. Shared by the RDB reader and RESTORE.
import { CorruptDataError } from '../corrupt-data.js';
import { intsetToBuffers } from './intset.js';
import { ziplistToBuffers, zipmapToPairs } from './legacy-encodings.js';
import { listpackToBuffers } from './listpack.js';
import { parseDoubleText } from '../../util/number-text.js';
import { QUICKLIST_NODE_CONTAINER_PACKED, QUICKLIST_NODE_CONTAINER_PLAIN, RdbType, moduleTypeNameById } from './rdb-format.js';
import type { RdbInput } from './rdb-input.js';
import { compareStreamIds, decodeStreamId, decodeStreamNode } from './stream-listpacks.js';
import type { RdbValue, StreamConsumerGroup, StreamEntry, StreamId, StreamNodeModel, StreamValue } from '../value-model.js';

const UINT64_MAX = (1n << 64n) - 1n;
/** t_stream.c SCG_INVALID_ENTRIES_READ (-1) as the unsigned value rdbSaveLen writes. */
const INVALID_ENTRIES_READ = UINT64_MAX;

/**
 * Reads the value of an object of type `rdbType`. Returns null for an empty collection, which
 * Redis skips with a warning instead of failing (rdbLoadObject's `emptykey`).
 */
export function decodeValue(input: RdbInput, rdbType: number): RdbValue | null {
  switch (rdbType) {
    case RdbType.STRING:
      return { type: 'string', value: input.string() };
    case RdbType.LIST: {
      const n = input.length();
      const items: Buffer[] = arrayFor(input, n);
      for (let i = 0; i < n; i++) items[i] = input.string();
      return n === 0 ? null : { type: 'list', items };
    }
    case RdbType.SET: {
      const n = input.length();
      const members: Buffer[] = arrayFor(input, n);
      const seen = new Set<string>();
      for (let i = 0; i < n; i++) {
        const at = input.pos;
        const m = input.string();
        if (!addUnique(seen, m)) input.corrupt('Duplicate set members detected', at);
        members[i] = m;
      }
      return n === 0 ? null : { type: 'set', members };
    }
    case RdbType.ZSET:
    case RdbType.ZSET_2: {
      const n = input.length();
      const entries: Array<[Buffer, number]> = arrayFor(input, n);
      const seen = new Set<string>();
      for (let i = 0; i < n; i++) {
        const at = input.pos;
        const member = input.string();
        const score = rdbType === RdbType.ZSET_2 ? input.binaryDouble() : input.textDouble();
        if (Number.isNaN(score)) input.corrupt('Zset with NAN score detected', at);
        if (!addUnique(seen, member)) input.corrupt('Duplicate zset fields detected', at);
        entries[i] = [member, score];
      }
      return n === 0 ? null : { type: 'zset', entries };
    }
    case RdbType.HASH: {
      const n = input.length();
      const entries: Array<[Buffer, Buffer]> = arrayFor(input, n);
      const seen = new Set<string>();
      for (let i = 0; i < n; i++) {
        const at = input.pos;
        const field = input.string();
        const value = input.string();
        if (!addUnique(seen, field)) input.corrupt('Duplicate hash fields detected', at);
        entries[i] = [field, value];
      }
      return n === 0 ? null : { type: 'hash', entries };
    }
    case RdbType.LIST_QUICKLIST:
    case RdbType.LIST_QUICKLIST_2:
      return decodeQuicklist(input, rdbType);
    case RdbType.HASH_ZIPMAP:
      return hashFromPairs(input, 'Hash zipmap', (blob) => zipmapToPairs(blob));
    case RdbType.LIST_ZIPLIST: {
      const items = decodeBlob(input, 'List ziplist', ziplistToBuffers);
      return items.length === 0 ? null : { type: 'list', items };
    }
    case RdbType.SET_INTSET:
      return { type: 'set', members: decodeBlob(input, 'Intset', intsetToBuffers) };
    case RdbType.SET_LISTPACK: {
      const members = decodeBlob(input, 'Set listpack', listpackToBuffers);
      return members.length === 0 ? null : { type: 'set', members };
    }
    case RdbType.ZSET_ZIPLIST:
      return zsetFromFlat(input, 'Zset ziplist', ziplistToBuffers);
    case RdbType.ZSET_LISTPACK:
      return zsetFromFlat(input, 'Zset listpack', listpackToBuffers);
    case RdbType.HASH_ZIPLIST:
      return hashFromPairs(input, 'Hash ziplist', (blob) => toPairs(ziplistToBuffers(blob)));
    case RdbType.HASH_LISTPACK:
      return hashFromPairs(input, 'Hash listpack', (blob) => toPairs(listpackToBuffers(blob)));
    case RdbType.STREAM_LISTPACKS:
    case RdbType.STREAM_LISTPACKS_2:
    case RdbType.STREAM_LISTPACKS_3:
      return { type: 'stream', stream: decodeStream(input, rdbType) };
    case RdbType.MODULE:
    case RdbType.MODULE_2: {
      const at = input.pos;
      const name = moduleTypeNameById(input.lengthBig());
      return input.corrupt(`The RDB file contains module data I can't load: no matching module type '${name}'`, at);
    }
    default:
      return input.corrupt(`Unknown RDB encoding type ${rdbType}`, input.pos - 1);
  }
}

/**
 * An array for a collection of n elements: presized when the bytes at hand could hold that many
 * (each element takes at least one), otherwise grown as elements are read, so a damaged count
 * (2^32, 2^53) costs nothing before the input runs out.
 */
function arrayFor<T>(input: RdbInput, n: number): T[] {
  return n <= input.end - input.pos ? new Array<T>(n) : [];
}

function addUnique(seen: Set<string>, b: Buffer): boolean {
  const k = b.toString('latin1');
  if (seen.has(k)) return false;
  seen.add(k);
  return true;
}

/** Reads one string holding a compact structure and decodes it, naming the structure on failure. */
function decodeBlob<T>(input: RdbInput, what: string, decode: (blob: Buffer) => T): T {
  const at = input.pos;
  const blob = input.string();
  input.blobsChecked++;
  try {
    return decode(blob);
  } catch (err) {
    if (err instanceof CorruptDataError) input.corrupt(`${what} integrity check failed: ${err.message}`, at);
    throw err;
  }
}

function toPairs(flat: Buffer[]): Array<[Buffer, Buffer]> {
  if (flat.length % 2 !== 0) throw new CorruptDataError('odd number of elements');
  const pairs: Array<[Buffer, Buffer]> = new Array(flat.length / 2);
  for (let i = 0; i < pairs.length; i++) pairs[i] = [flat[i * 2]!, flat[i * 2 + 1]!];
  return pairs;
}

function hashFromPairs(input: RdbInput, what: string, decode: (blob: Buffer) => Array<[Buffer, Buffer]>): RdbValue | null {
  const at = input.pos;
  const entries = decodeBlob(input, what, decode);
  const seen = new Set<string>();
  for (const [field] of entries) if (!addUnique(seen, field)) input.corrupt(`${what} with dup elements`, at);
  return entries.length === 0 ? null : { type: 'hash', entries };
}

function zsetFromFlat(input: RdbInput, what: string, decode: (blob: Buffer) => Buffer[]): RdbValue | null {
  const at = input.pos;
  const flat = decodeBlob(input, what, decode);
  if (flat.length % 2 !== 0) input.corrupt(`${what} integrity check failed: odd number of elements`, at);
  const entries: Array<[Buffer, number]> = new Array(flat.length / 2);
  const seen = new Set<string>();
  for (let i = 0; i < entries.length; i++) {
    const member = flat[i * 2]!;
    const score = parseDoubleText(flat[i * 2 + 1]!.toString('latin1'));
    if (Number.isNaN(score)) input.corrupt(`${what} integrity check failed: bad score`, at);
    if (!addUnique(seen, member)) input.corrupt(`${what} integrity check failed: duplicate member`, at);
    entries[i] = [member, score];
  }
  return entries.length === 0 ? null : { type: 'zset', entries };
}

/** Types 14 (nodes are ziplists) and 18 (each node has a container: listpack or one plain element). */
function decodeQuicklist(input: RdbInput, rdbType: number): RdbValue | null {
  const nodes = input.length();
  const items: Buffer[] = [];
  for (let n = 0; n < nodes; n++) {
    let container = QUICKLIST_NODE_CONTAINER_PACKED;
    if (rdbType === RdbType.LIST_QUICKLIST_2) {
      const at = input.pos;
      container = input.length();
      if (container !== QUICKLIST_NODE_CONTAINER_PACKED && container !== QUICKLIST_NODE_CONTAINER_PLAIN) {
        input.corrupt('Quicklist integrity check failed.', at);
      }
    }
    if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
      items.push(input.string());
      continue;
    }
    const nodeItems =
      rdbType === RdbType.LIST_QUICKLIST_2
        ? decodeBlob(input, 'Listpack', listpackToBuffers)
        : decodeBlob(input, 'Ziplist', ziplistToBuffers);
    // Empty nodes are skipped silently, as rdbLoadObject does.
    for (const item of nodeItems) items.push(item);
  }
  return items.length === 0 ? null : { type: 'list', items };
}

/** Stream types 15 (5.0), 19 (7.0) and 21 (7.2), field by field as rdbLoadObject reads them. */
function decodeStream(input: RdbInput, rdbType: number): StreamValue {
  const nodeCount = input.length();
  const entries: StreamEntry[] = [];
  const nodes: StreamNodeModel[] = [];
  const nodeKeys = new Set<string>();
  for (let n = 0; n < nodeCount; n++) {
    const at = input.pos;
    const key = input.string();
    if (key.length !== 16) input.corrupt('Stream node key entry is not the size of a stream ID', at);
    if (!addUnique(nodeKeys, key)) input.corrupt('Listpack re-added with existing key', at);
    const lpAt = input.pos;
    const lp = input.string();
    input.blobsChecked++;
    try {
      decodeStreamNode(key, lp, entries, nodes);
    } catch (err) {
      if (err instanceof CorruptDataError) input.corrupt(`Stream listpack integrity check failed: ${err.message}`, lpAt);
      throw err;
    }
  }
  entries.sort((a, b) => compareStreamIds(a.id, b.id));
  const lengthAt = input.pos;
  const length = input.lengthBig();
  if (length !== BigInt(entries.length)) {
    input.corrupt(`Stream length ${length} does not match its ${entries.length} entries`, lengthAt);
  }
  const lastId = readId(input);
  let firstId: StreamId;
  let maxDeletedEntryId: StreamId;
  let entriesAdded: bigint;
  if (rdbType === RdbType.STREAM_LISTPACKS) {
    // 5.0 streams predate these fields: derive them as rdbLoadObject does.
    firstId = entries.length > 0 ? entries[0]!.id : { ms: UINT64_MAX, seq: UINT64_MAX };
    maxDeletedEntryId = { ms: 0n, seq: 0n };
    entriesAdded = length;
  } else {
    firstId = readId(input);
    maxDeletedEntryId = readId(input);
    entriesAdded = input.lengthBig();
  }
  nodes.sort((a, b) => compareStreamIds(a.masterId, b.masterId));
  const stream: StreamValue = { entries, lastId, firstId, maxDeletedEntryId, entriesAdded, groups: [], nodes };

  const groupCount = input.length();
  const groupNames = new Set<string>();
  for (let g = 0; g < groupCount; g++) {
    const at = input.pos;
    const group = decodeConsumerGroup(input, rdbType, stream);
    // streamCreateCG refuses a second group of the same name.
    if (!addUnique(groupNames, group.name)) input.corrupt(`Duplicated consumer group name ${group.name.toString('latin1')}`, at);
    stream.groups.push(group);
  }
  return stream;
}

function readId(input: RdbInput): StreamId {
  const ms = input.lengthBig();
  return { ms, seq: input.lengthBig() };
}

function decodeConsumerGroup(input: RdbInput, rdbType: number, stream: StreamValue): StreamConsumerGroup {
  const name = input.string();
  const lastId = readId(input);
  const entriesRead = rdbType === RdbType.STREAM_LISTPACKS ? estimateEntriesRead(stream, lastId) : input.lengthBig();
  const group: StreamConsumerGroup = { name, lastId, entriesRead, pending: [], consumers: [] };
  const pendingById = new Map<string, number>();
  const pelSize = input.length();
  for (let i = 0; i < pelSize; i++) {
    const at = input.pos;
    const rawId = input.raw(16);
    const deliveryTimeMs = input.millis();
    const deliveryCount = input.length();
    const k = rawId.toString('latin1');
    if (pendingById.has(k)) input.corrupt('Duplicated global PEL entry loading stream consumer group', at);
    pendingById.set(k, 0);
    group.pending.push({ id: decodeStreamId(rawId), deliveryTimeMs, deliveryCount });
  }
  const consumerCount = input.length();
  const consumerNames = new Set<string>();
  for (let c = 0; c < consumerCount; c++) {
    const at = input.pos;
    const consumerName = input.string();
    if (!addUnique(consumerNames, consumerName)) input.corrupt('Duplicate stream consumer detected.', at);
    const seenTimeMs = input.millis();
    const activeTimeMs = rdbType === RdbType.STREAM_LISTPACKS_3 ? input.millis() : seenTimeMs;
    const owned = input.length();
    const pending: StreamId[] = [];
    for (let i = 0; i < owned; i++) {
      const idAt = input.pos;
      const rawId = input.raw(16);
      const k = rawId.toString('latin1');
      const owners = pendingById.get(k);
      if (owners === undefined) input.corrupt('Consumer entry not found in group global PEL', idAt);
      if (owners > 0) input.corrupt('Duplicated consumer PEL entry  loading a stream consumer group', idAt);
      pendingById.set(k, owners + 1);
      pending.push(decodeStreamId(rawId));
    }
    group.consumers.push({ name: consumerName, seenTimeMs, activeTimeMs, pending });
  }
  // The check Redis makes with deep sanitization (which this decoder always applies): every
  // pending entry belongs to a consumer.
  for (const owners of pendingById.values()) if (owners === 0) input.corrupt('Stream CG PEL entry without consumer');
  return group;
}

/** t_stream.c streamEstimateDistanceFromFirstEverEntry, for groups of 5.0 streams. */
function estimateEntriesRead(s: StreamValue, id: StreamId): bigint {
  if (s.entriesAdded === 0n) return 0n;
  const length = BigInt(s.entries.length);
  if (length === 0n && compareStreamIds(id, s.lastId) < 1) return s.entriesAdded;
  const cmpLast = compareStreamIds(id, s.lastId);
  if (cmpLast === 0) return s.entriesAdded;
  if (cmpLast > 0) return INVALID_ENTRIES_READ;
  const cmpFirst = compareStreamIds(id, s.firstId);
  const noTombstonesAhead =
    (s.maxDeletedEntryId.ms === 0n && s.maxDeletedEntryId.seq === 0n) || compareStreamIds(s.maxDeletedEntryId, s.firstId) < 0;
  if (noTombstonesAhead) {
    if (cmpFirst < 0) return s.entriesAdded - length;
    if (cmpFirst === 0) return s.entriesAdded - length + 1n;
  }
  return INVALID_ENTRIES_READ;
}
