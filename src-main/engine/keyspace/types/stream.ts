// The stream type (Redis's stream.h / t_stream.c), kept as Redis keeps it: a sequence of nodes,
// each what one listpack of the radix tree holds — a master ID and master fields, then entries
// in ID order, deleted ones included as tombstones until the whole node goes. Keeping the nodes
// (not just the live entries) is what makes approximate trimming (which only drops whole nodes),
// the node-size decisions of XADD and the RDB listpacks come out as redis-server's do.
//
// Consumer groups live here too (streamCG, streamConsumer, streamNACK); the commands that use them
// are in ../../commands/stream-groups.ts.
import type { BinaryString } from '../../protocol/request-parser.js';
import type { AggregateValue } from '../value.js';
import { intEntrySize, stringEntrySize } from '../listpack-size.js';

/** A stream ID: both parts are unsigned 64-bit, hence bigint. */
export interface StreamId {
  readonly ms: bigint;
  readonly seq: bigint;
}

export const UINT64_MAX = (1n << 64n) - 1n;
export const MIN_ID: StreamId = { ms: 0n, seq: 0n };
export const MAX_ID: StreamId = { ms: UINT64_MAX, seq: UINT64_MAX };

/** streamCompareID. */
export function compareIds(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

export function isZeroId(id: StreamId): boolean {
  return id.ms === 0n && id.seq === 0n;
}

/** "<ms>-<seq>", as addReplyStreamID writes it. */
export function formatId(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

/** streamIncrID: the next ID, or null when `id` is the largest one. */
export function incrId(id: StreamId): StreamId | null {
  if (id.seq !== UINT64_MAX) return { ms: id.ms, seq: id.seq + 1n };
  if (id.ms !== UINT64_MAX) return { ms: id.ms + 1n, seq: 0n };
  return null;
}

/** streamDecrID: the previous ID, or null when `id` is 0-0. */
export function decrId(id: StreamId): StreamId | null {
  if (id.seq !== 0n) return { ms: id.ms, seq: id.seq - 1n };
  if (id.ms !== 0n) return { ms: id.ms - 1n, seq: UINT64_MAX };
  return null;
}

/** The 128-bit big-endian key of a node in Redis's radix tree (streamEncodeID). */
export function encodeIdKey(id: StreamId): Buffer {
  const out = Buffer.allocUnsafe(16);
  out.writeBigUInt64BE(id.ms, 0);
  out.writeBigUInt64BE(id.seq, 8);
  return out;
}

/** One entry of a node's listpack. */
export interface NodeEntry {
  readonly id: StreamId;
  /** field1, value1, field2, value2, ... */
  readonly fields: readonly BinaryString[];
  /** STREAM_ITEM_FLAG_DELETED: a tombstone left by XDEL or exact trimming. */
  deleted: boolean;
  /** STREAM_ITEM_FLAG_SAMEFIELDS: stored without its field names (they are the master's). */
  readonly sameFields: boolean;
}

/** One listpack of the radix tree. */
export interface StreamNode {
  readonly masterId: StreamId;
  readonly masterFields: readonly BinaryString[];
  readonly entries: NodeEntry[];
  /** The master entry's "count" (live entries) and "deleted" (tombstones). */
  live: number;
  deleted: number;
  /** Listpack bytes of everything but the header, the two counters and the end byte. */
  bodyBytes: number;
}

/** streamNACK: an entry delivered to a consumer and not acknowledged yet. */
export interface PendingEntry {
  readonly id: StreamId;
  deliveryTime: number;
  deliveryCount: number;
  consumer: StreamConsumer;
}

/** streamConsumer. */
export interface StreamConsumer {
  readonly name: BinaryString;
  seenTime: number;
  /** Its own pending entries (each also in the group's PEL), by idKey. */
  readonly pending: IdMap<PendingEntry>;
}

/** streamCG. */
export interface ConsumerGroup {
  readonly name: BinaryString;
  lastId: StreamId;
  /** entries_read; -1n is SCG_INVALID_ENTRIES_READ. */
  entriesRead: bigint;
  readonly pending: IdMap<PendingEntry>;
  readonly consumers: Map<BinaryString, StreamConsumer>;
}

/** A sort key for IDs: 32 hex digits compare as the 128-bit big-endian key of Redis's rax. */
export function idKey(id: StreamId): string {
  return id.ms.toString(16).padStart(16, '0') + id.seq.toString(16).padStart(16, '0');
}

/** A map keyed by stream ID that iterates in ID order (the rax of a PEL). */
export class IdMap<T extends { readonly id: StreamId }> {
  private readonly byKey = new Map<string, T>();
  private sorted: string[] | null = [];

  get size(): number {
    return this.byKey.size;
  }

  // `key` is idKey(id), passed by a caller that already has it: the hot paths (XREADGROUP adds
  // one entry to two PELs) would otherwise format and hash the same 32 digits several times.
  get(id: StreamId, key = idKey(id)): T | undefined {
    return this.byKey.get(key);
  }

  set(value: T, key = idKey(value.id)): void {
    const before = this.byKey.size;
    this.byKey.set(key, value);
    if (this.byKey.size === before) return; // replaced: already in the sorted view
    // Appending in order (the usual case) keeps the sorted view; anything else rebuilds it lazily.
    if (this.sorted !== null && (this.sorted.length === 0 || this.sorted[this.sorted.length - 1]! < key)) this.sorted.push(key);
    else this.sorted = null;
  }

  delete(id: StreamId): boolean {
    const key = idKey(id);
    if (!this.byKey.delete(key)) return false;
    this.sorted = null;
    return true;
  }

  /** Values in ID order, from `from` (inclusive) when given. */
  *values(from?: StreamId): IterableIterator<T> {
    if (this.sorted === null) this.sorted = [...this.byKey.keys()].sort();
    const keys = this.sorted;
    let i = 0;
    if (from) {
      const start = idKey(from);
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (keys[mid]! < start) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    }
    for (; i < keys.length; i++) {
      const value = this.byKey.get(keys[i]!);
      if (value !== undefined) yield value;
    }
  }

  first(): T | undefined {
    return this.values().next().value;
  }

  last(): T | undefined {
    if (this.sorted === null) this.sorted = [...this.byKey.keys()].sort();
    const key = this.sorted[this.sorted.length - 1];
    return key === undefined ? undefined : this.byKey.get(key);
  }
}

export interface StreamNodeLimits {
  /** stream-node-max-bytes (0: no limit but the listpack's own). */
  maxBytes: number;
  /** stream-node-max-entries (0: no limit). */
  maxEntries: number;
}

/** t_stream.c STREAM_LISTPACK_MAX_SIZE. */
export const STREAM_LISTPACK_MAX_SIZE = 1 << 30;

export type TrimStrategy = { kind: 'maxlen'; maxlen: number } | { kind: 'minid'; minId: StreamId };

export class StreamValue implements AggregateValue {
  readonly type = 'stream';
  /** The radix tree's listpacks, in master ID order. */
  nodes: StreamNode[] = [];
  length = 0;
  lastId: StreamId = MIN_ID;
  /** The first live entry's ID (0-0 when empty), kept as 7.0 keeps it. */
  firstId: StreamId = MIN_ID;
  maxDeletedEntryId: StreamId = MIN_ID;
  entriesAdded = 0n;
  /** Consumer groups by name (a rax in Redis: listed in byte order). */
  readonly groups = new Map<BinaryString, ConsumerGroup>();

  get size(): number {
    // A stream is never deleted for being empty: commitWrite must not see 0.
    return 1;
  }

  encoding(): string {
    return 'stream';
  }

  clone(): StreamValue {
    const copy = new StreamValue();
    copy.nodes = this.nodes.map((n) => ({ ...n, entries: n.entries.map((e) => ({ ...e })) }));
    copy.length = this.length;
    copy.lastId = this.lastId;
    copy.firstId = this.firstId;
    copy.maxDeletedEntryId = this.maxDeletedEntryId;
    copy.entriesAdded = this.entriesAdded;
    for (const group of this.groups.values()) copy.groups.set(group.name, cloneGroup(group));
    return copy;
  }

  // --- appending (streamAppendItem) ------------------------------------------------------------

  /**
   * Appends an entry with `id`, which the caller checked is greater than lastId, starting a new
   * node when the tail one is full as streamAppendItem decides it: its listpack bytes plus the
   * new entry's raw field and value bytes reach stream-node-max-bytes, or its entries (live and
   * deleted) reach stream-node-max-entries.
   */
  append(id: StreamId, fields: readonly BinaryString[], limits: StreamNodeLimits): void {
    let tail: StreamNode | undefined = this.nodes[this.nodes.length - 1];
    if (tail !== undefined) {
      const maxBytes = limits.maxBytes === 0 || limits.maxBytes > STREAM_LISTPACK_MAX_SIZE ? STREAM_LISTPACK_MAX_SIZE : limits.maxBytes;
      let rawBytes = 0;
      for (const part of fields) rawBytes += part.length;
      if (nodeBytes(tail) + rawBytes >= maxBytes) tail = undefined;
      else if (limits.maxEntries !== 0 && tail.live + tail.deleted >= limits.maxEntries) tail = undefined;
    }
    if (tail === undefined) {
      const masterFields: BinaryString[] = [];
      for (let i = 0; i < fields.length; i += 2) masterFields.push(fields[i]!);
      tail = { masterId: id, masterFields, entries: [], live: 0, deleted: 0, bodyBytes: masterPartBytes(masterFields) };
      this.nodes.push(tail);
    }
    this.pushEntry(tail, id, fields);
    this.length++;
    this.entriesAdded++;
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
  }

  /** Adds an entry at the end of `node` (also used when loading nodes from a file). */
  pushEntry(node: StreamNode, id: StreamId, fields: readonly BinaryString[], deleted = false, sameFields?: boolean): void {
    const same = sameFields ?? hasFields(node.masterFields, fields);
    const fieldCount = fields.length / 2;
    let bytes =
      intEntrySize((deleted ? 1 : 0) | (same ? 2 : 0)) +
      intEntrySize(BigInt.asIntN(64, id.ms - node.masterId.ms)) +
      intEntrySize(BigInt.asIntN(64, id.seq - node.masterId.seq));
    if (!same) bytes += intEntrySize(fieldCount);
    for (let i = 0; i < fields.length; i += 2) {
      if (!same) bytes += stringEntrySize(fields[i]!);
      bytes += stringEntrySize(fields[i + 1]!);
    }
    bytes += intEntrySize(same ? 3 + fieldCount : 4 + fieldCount * 2);
    node.bodyBytes += bytes;
    node.entries.push({ id, fields, deleted, sameFields: same });
    if (deleted) node.deleted++;
    else node.live++;
  }

  // --- reading (streamIterator) ------------------------------------------------------------------

  /** Live entries with start <= ID <= end, forward or (rev) backward. */
  *range(start: StreamId, end: StreamId, rev = false): IterableIterator<NodeEntry> {
    if (compareIds(start, end) > 0) return;
    const nodes = this.nodes;
    if (!rev) {
      for (let n = Math.max(this.nodeIndexAtOrBefore(start), 0); n < nodes.length; n++) {
        const entries = nodes[n]!.entries;
        for (let i = firstAtOrAfter(entries, start); i < entries.length; i++) {
          const entry = entries[i]!;
          if (compareIds(entry.id, end) > 0) return;
          if (!entry.deleted) yield entry;
        }
      }
    } else {
      let n = this.nodeIndexAtOrBefore(end);
      if (n < 0) return;
      for (; n >= 0; n--) {
        const entries = nodes[n]!.entries;
        const after = incrId(end);
        for (let i = after ? firstAtOrAfter(entries, after) - 1 : entries.length - 1; i >= 0; i--) {
          const entry = entries[i]!;
          if (compareIds(entry.id, end) > 0) continue;
          if (compareIds(entry.id, start) < 0) return;
          if (!entry.deleted) yield entry;
        }
      }
    }
  }

  /** The entry with `id` if it is live. */
  get(id: StreamId): NodeEntry | undefined {
    const n = this.nodeIndexAtOrBefore(id);
    if (n < 0) return undefined;
    const entries = this.nodes[n]!.entries;
    const entry = entries[firstAtOrAfter(entries, id)];
    return entry && !entry.deleted && compareIds(entry.id, id) === 0 ? entry : undefined;
  }

  /** streamLastValidID: the last live entry's ID (0-0 when empty). */
  lastValidId(): StreamId {
    return this.range(MIN_ID, MAX_ID, true).next().value?.id ?? MIN_ID;
  }

  /**
   * streamGetEdgeID: the first or last entry's ID, tombstones included unless skipped; an empty
   * stream gives the maximal ID as first and 0-0 as last.
   */
  edgeId(first: boolean, skipTombstones: boolean): StreamId {
    const nodes = first ? this.nodes : [...this.nodes].reverse();
    for (const node of nodes) {
      const entries = first ? node.entries : [...node.entries].reverse();
      for (const entry of entries) if (!skipTombstones || !entry.deleted) return entry.id;
    }
    return first ? MAX_ID : MIN_ID;
  }

  // --- removing ------------------------------------------------------------------------------------

  /** streamDeleteItem: marks the entry deleted (a node left without live entries goes). */
  delete(id: StreamId): boolean {
    const n = this.nodeIndexAtOrBefore(id);
    if (n < 0) return false;
    const node = this.nodes[n]!;
    const entry = node.entries[firstAtOrAfter(node.entries, id)];
    if (!entry || entry.deleted || compareIds(entry.id, id) !== 0) return false;
    if (node.live === 1) {
      this.nodes.splice(n, 1);
    } else {
      entry.deleted = true;
      node.live--;
      node.deleted++;
    }
    this.length--;
    return true;
  }

  /**
   * streamTrim: drops whole nodes from the head while the strategy allows, then (unless
   * approximate) marks entries of the next node deleted; `limit` (0: none) caps the entries a
   * call may remove, counting whole nodes. Returns the entries removed.
   */
  trim(strategy: TrimStrategy, approx: boolean, limit: number): number {
    let deleted = 0;
    while (this.nodes.length !== 0) {
      if (strategy.kind === 'maxlen' && this.length <= strategy.maxlen) break;
      const node = this.nodes[0]!;
      const entries = node.live;
      if (limit && deleted + entries > limit) break;
      const removeNode =
        strategy.kind === 'maxlen'
          ? this.length - entries >= strategy.maxlen
          : compareIds(node.entries[node.entries.length - 1]!.id, strategy.minId) < 0;
      if (removeNode) {
        this.nodes.shift();
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (approx) break;
      let fromNode = 0;
      for (const entry of node.entries) {
        const stop = strategy.kind === 'maxlen' ? this.length <= strategy.maxlen : compareIds(entry.id, strategy.minId) >= 0;
        if (stop) break;
        if (!entry.deleted) {
          entry.deleted = true;
          fromNode++;
          this.length--;
        }
      }
      node.live -= fromNode;
      node.deleted += fromNode;
      deleted += fromNode;
      break;
    }
    if (deleted) this.firstId = this.length === 0 ? MIN_ID : this.edgeId(true, true);
    return deleted;
  }

  /** The index of the last node whose master ID is <= id, -1 when none (raxSeek "<="). */
  private nodeIndexAtOrBefore(id: StreamId): number {
    let lo = 0;
    let hi = this.nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareIds(this.nodes[mid]!.masterId, id) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }
}

/** Bytes of a node's master entry but its two counters: num-fields, the fields, the 0 terminator. */
export function masterPartBytes(masterFields: readonly BinaryString[]): number {
  let bytes = intEntrySize(masterFields.length) + intEntrySize(0);
  for (const field of masterFields) bytes += stringEntrySize(field);
  return bytes;
}

/** The listpack's lpBytes: header (6), end byte, the two counters and the body. */
export function nodeBytes(node: StreamNode): number {
  return 7 + intEntrySize(node.live) + intEntrySize(node.deleted) + node.bodyBytes;
}

function firstAtOrAfter(entries: readonly NodeEntry[], id: StreamId): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareIds(entries[mid]!.id, id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function hasFields(masterFields: readonly BinaryString[], fields: readonly BinaryString[]): boolean {
  if (fields.length !== masterFields.length * 2) return false;
  for (let i = 0; i < masterFields.length; i++) if (fields[i * 2] !== masterFields[i]) return false;
  return true;
}

function cloneGroup(group: ConsumerGroup): ConsumerGroup {
  const copy: ConsumerGroup = {
    name: group.name,
    lastId: group.lastId,
    entriesRead: group.entriesRead,
    pending: new IdMap(),
    consumers: new Map(),
  };
  for (const consumer of group.consumers.values()) {
    copy.consumers.set(consumer.name, { name: consumer.name, seenTime: consumer.seenTime, pending: new IdMap() });
  }
  for (const nack of group.pending.values()) {
    const owner = copy.consumers.get(nack.consumer.name)!;
    const clone: PendingEntry = { ...nack, consumer: owner };
    copy.pending.set(clone);
    owner.pending.set(clone);
  }
  return copy;
}
