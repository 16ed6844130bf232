// Value serialisation as Redis 7.0 writes it (rdb.c rdbSaveObjectType + rdbSaveObject): the
// encoding Redis would hold in memory for the value's content under the default limits decides
// the type byte. Shared by the RDB writer and the DUMP payload.
import { encodeIntset, membersAsIntegers } from './intset.js';
import { ListpackBuilder } from './listpack.js';
import { listpackEntrySize } from '../../keyspace/listpack-size.js';
import { formatScore } from '../../util/number-text.js';
import { QUICKLIST_NODE_CONTAINER_PACKED, QUICKLIST_NODE_CONTAINER_PLAIN, RdbType, type EncodingLimits } from './rdb-format.js';
import type { RdbOutput } from './rdb-output.js';
import { encodeStreamId, encodeStreamNode, encodeStreamNodes } from './stream-listpacks.js';
import type { RdbValue, StreamValue } from '../value-model.js';

/**
 * quicklist.c packed_threshold: elements this large get a plain node of their own. Like Redis's,
 * it is one value for the whole process (one node per process or worker thread), set by DEBUG
 * QUICKLIST-PACKED-THRESHOLD.
 */
const DEFAULT_PACKED_THRESHOLD = 1 << 30;
let QUICKLIST_PLAIN_THRESHOLD = DEFAULT_PACKED_THRESHOLD;

/** quicklistisSetPackedThreshold: 0 restores the default; false for sizes at or near 4 GB and above. */
export function setQuicklistPackedThreshold(bytes: number): boolean {
  if (bytes > 2 ** 32 - 2 ** 20) return false;
  QUICKLIST_PLAIN_THRESHOLD = bytes === 0 ? DEFAULT_PACKED_THRESHOLD : bytes;
  return true;
}
/** quicklist.c SIZE_ESTIMATE_OVERHEAD, added when deciding whether an element fits a node. */
const QUICKLIST_SIZE_ESTIMATE_OVERHEAD = 8;
/** An empty listpack: 6 header bytes and the terminator. */
const EMPTY_LISTPACK_BYTES = 7;

const listpack = new ListpackBuilder();

/** The type byte Redis would write for this value (rdbSaveObjectType). */
export function rdbTypeFor(value: RdbValue, limits: EncodingLimits): number {
  switch (value.type) {
    case 'string':
      return RdbType.STRING;
    case 'list':
      return RdbType.LIST_QUICKLIST_2;
    case 'set':
      return value.members.length <= limits.setMaxIntsetEntries && membersAsIntegers(value.members) !== null
        ? RdbType.SET_INTSET
        : RdbType.SET;
    case 'zset':
      // zset-max-listpack-entries / -value (the value limit applies to members only).
      return value.entries.length <= limits.zsetMaxListpackEntries &&
        value.entries.every(([member]) => member.length <= limits.zsetMaxListpackValue)
        ? RdbType.ZSET_LISTPACK
        : RdbType.ZSET_2;
    case 'hash':
      return value.entries.length <= limits.hashMaxListpackEntries &&
        value.entries.every(([f, v]) => f.length <= limits.hashMaxListpackValue && v.length <= limits.hashMaxListpackValue)
        ? RdbType.HASH_LISTPACK
        : RdbType.HASH;
    case 'stream':
      return RdbType.STREAM_LISTPACKS_2;
  }
}

/** Writes the value body for the type byte `rdbType` returned by rdbTypeFor. */
export function writeValueBody(out: RdbOutput, value: RdbValue, rdbType: number, limits: EncodingLimits): void {
  switch (value.type) {
    case 'string':
      return out.writeString(value.value);
    case 'list':
      return writeQuicklist(out, value.items, limits);
    case 'set':
      if (rdbType === RdbType.SET_INTSET) return out.writeString(encodeIntset(membersAsIntegers(value.members)!));
      out.writeLength(value.members.length);
      for (const m of value.members) out.writeString(m);
      return;
    case 'zset':
      if (rdbType === RdbType.ZSET_LISTPACK) return writeZsetListpack(out, value.entries);
      out.writeLength(value.entries.length);
      for (const [member, score] of value.entries) {
        out.writeString(member);
        out.writeBinaryDouble(score);
      }
      return;
    case 'hash':
      if (rdbType === RdbType.HASH_LISTPACK) {
        listpack.reset();
        for (const [field, v] of value.entries) listpack.append(field).append(v);
        return out.writeString(listpack.finish());
      }
      out.writeLength(value.entries.length);
      for (const [field, v] of value.entries) {
        out.writeString(field);
        out.writeString(v);
      }
      return;
    case 'stream':
      return writeStream(out, value.stream, limits);
  }
}

/**
 * RDB_TYPE_LIST_QUICKLIST_2: <node count> then per node <container> <listpack or plain element>.
 * Node boundaries follow _quicklistNodeAllowInsert with list-max-listpack-size as a byte limit.
 */
function writeQuicklist(out: RdbOutput, items: Buffer[], limits: EncodingLimits): void {
  const nodeStarts: number[] = [];
  let nodeBytes = 0;
  let nodeIsPlain = false;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const plain = item.length >= QUICKLIST_PLAIN_THRESHOLD;
    const fits =
      nodeStarts.length > 0 &&
      !plain &&
      !nodeIsPlain &&
      nodeBytes + item.length + QUICKLIST_SIZE_ESTIMATE_OVERHEAD <= limits.listMaxListpackBytes;
    if (!fits) {
      nodeStarts.push(i);
      nodeBytes = EMPTY_LISTPACK_BYTES;
      nodeIsPlain = plain;
    }
    if (!plain) nodeBytes += listpackEntrySize(item);
  }
  out.writeLength(nodeStarts.length);
  for (let n = 0; n < nodeStarts.length; n++) {
    const from = nodeStarts[n]!;
    const to = n + 1 < nodeStarts.length ? nodeStarts[n + 1]! : items.length;
    if (items[from]!.length >= QUICKLIST_PLAIN_THRESHOLD) {
      out.writeLength(QUICKLIST_NODE_CONTAINER_PLAIN);
      out.writeString(items[from]!);
      continue;
    }
    listpack.reset();
    for (let i = from; i < to; i++) listpack.append(items[i]!);
    out.writeLength(QUICKLIST_NODE_CONTAINER_PACKED);
    out.writeString(listpack.finish());
  }
}

/** Listpack zsets are kept ordered by score, then member bytes (zzlInsert); scores as d2string text. */
function writeZsetListpack(out: RdbOutput, entries: Array<[Buffer, number]>): void {
  const sorted = [...entries].sort((a, b) => a[1] - b[1] || Buffer.compare(a[0], b[0]));
  listpack.reset();
  for (const [member, score] of sorted) listpack.append(member).append(Buffer.from(formatScore(score)));
  out.writeString(listpack.finish());
}

/** RDB_TYPE_STREAM_LISTPACKS_2, field by field as rdbSaveObject writes OBJ_STREAM. */
function writeStream(out: RdbOutput, s: StreamValue, limits: EncodingLimits): void {
  const nodes: Array<[Buffer, Buffer]> = [];
  if (s.nodes) {
    for (const node of s.nodes) nodes.push([encodeStreamId(node.masterId), Buffer.from(encodeStreamNode(node, listpack))]);
  } else {
    encodeStreamNodes(s.entries, limits, (key, lp) => nodes.push([key, Buffer.from(lp)]));
  }
  out.writeLength(nodes.length);
  for (const [key, lp] of nodes) {
    out.writeString(key);
    out.writeString(lp);
  }
  out.writeLength(s.entries.length);
  out.writeLength(s.lastId.ms);
  out.writeLength(s.lastId.seq);
  out.writeLength(s.firstId.ms);
  out.writeLength(s.firstId.seq);
  out.writeLength(s.maxDeletedEntryId.ms);
  out.writeLength(s.maxDeletedEntryId.seq);
  out.writeLength(s.entriesAdded);
  out.writeLength(s.groups.length);
  for (const group of s.groups) {
    out.writeString(group.name);
    out.writeLength(group.lastId.ms);
    out.writeLength(group.lastId.seq);
    out.writeLength(group.entriesRead);
    // The group PEL with delivery data (rdbSaveStreamPEL nacks=1); IDs as raw 128-bit BE.
    out.writeLength(group.pending.length);
    for (const p of group.pending) {
      out.writeBytes(encodeStreamId(p.id));
      out.writeMillis(p.deliveryTimeMs);
      out.writeLength(p.deliveryCount);
    }
    out.writeLength(group.consumers.length);
    for (const c of group.consumers) {
      out.writeString(c.name);
      out.writeMillis(c.seenTimeMs);
      out.writeLength(c.pending.length);
      for (const id of c.pending) out.writeBytes(encodeStreamId(id));
    }
  }
}
