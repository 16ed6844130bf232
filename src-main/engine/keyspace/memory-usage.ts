// MEMORY USAGE's estimate (object.c objectComputeSize, Redis 7.0): the bytes redis-server would
// allocate for a key and its value, computed from the structures Redis would use for the same
// contents — robj headers, sds strings, listpacks, intsets, dict tables and entries, skiplist
// nodes — each rounded up to jemalloc's size class as zmalloc_size() reports it. Aggregates
// that Redis samples (hashtables, skiplists, quicklist nodes) are sampled the same way: the
// average of the first `samples` elements times their number.
//
// The figures match redis-server's for strings, listpacks, intsets, small quicklists and streams
// built by XADD (a rax's node count follows from its keys); for hashtables they are close
// (Redis's count depends on whether a rehash is in progress), and for skiplists they are close
// (Redis's node sizes depend on random levels).
import { listpackEntrySize } from './listpack-size.js';
import { formatDouble } from '../protocol/format-double.js';
import type { BinaryString } from '../protocol/request-parser.js';
import { stringEncoding } from './object-header.js';
import type { Value } from './value.js';
import { ListValue } from './types/list.js';
import { SetValue } from './types/set.js';
import { HashValue } from './types/hash.js';
import { SortedSet } from './types/zset.js';
import { StreamValue, encodeIdKey, nodeBytes, type IdMap, type StreamId, type StreamNode, type StreamNodeLimits } from './types/stream.js';

// Sizes of Redis's C structures on a 64-bit build.
const ROBJ = 16;
const DICT_ENTRY = 24;
const DICT = 56;
const POINTER = 8;
const QUICKLIST = 40;
const QUICKLIST_NODE = 40;
const ZSET = 16;
const ZSKIPLIST = 32;
const ZSKIPLIST_NODE = 24;
const ZSKIPLIST_LEVEL = 16;
/** zslCreate's header node has ZSKIPLIST_MAXLEVEL levels. */
const ZSKIPLIST_HEADER = ZSKIPLIST_NODE + 32 * ZSKIPLIST_LEVEL;
/**
 * A skiplist node's allocation averaged over zslRandomLevel's distribution (level l with
 * probability (1/4)^(l-1) * 3/4): Redis's actual levels are random, so only their mean is known.
 */
const EXPECTED_SKIPLIST_NODE = (() => {
  let mean = 0;
  for (let level = 1; level <= 32; level++) {
    mean += 0.75 * 0.25 ** (level - 1) * allocationSize(ZSKIPLIST_NODE + level * ZSKIPLIST_LEVEL);
  }
  return mean;
})();
/** object.c OBJ_COMPUTE_SIZE_DEF_SAMPLES. */
export const DEFAULT_SAMPLES = 5;

/** jemalloc's size class for an allocation of `n` bytes (what zmalloc_size returns). */
export function allocationSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  // Above 128 bytes, four classes per doubling.
  const step = 2 ** (Math.floor(Math.log2(n - 1)) - 2);
  return Math.ceil(n / step) * step;
}

/** DEBUG STRUCTSIZE: the sizes of Redis's C structures this model counts with. */
export function structSizes(): string {
  return `bits:64 robj:${ROBJ} dictentry:${DICT_ENTRY} sdshdr5:1 sdshdr8:3 sdshdr16:5 sdshdr32:9 sdshdr64:17 `;
}

/** sdsZmallocSize of an sds made for `length` bytes (sdsnewlen's header type, plus the NUL). */
export function sdsSize(length: number): number {
  const header = length < 32 ? 1 : length < 256 ? 3 : length < 65536 ? 5 : length < 2 ** 32 ? 9 : 17;
  return allocationSize(header + length + 1);
}

/** A listpack holding `elements`: 6-byte header, the entries, the end byte. */
function listpackSize(elements: Iterable<BinaryString>): number {
  let bytes = 7;
  for (const element of elements) bytes += listpackEntrySize(Buffer.from(element, 'latin1'));
  return bytes;
}

/** dictSlots once `size` elements were added one by one (_dictExpandIfNeeded: power of two, at least 4). */
export function dictSlots(size: number): number {
  return size === 0 ? 0 : Math.max(4, 2 ** Math.ceil(Math.log2(size)));
}

/** The average of the first `samples` element sizes, times `count` (object.c's sampling), truncated. */
function sampled(sizes: Iterable<number>, samples: number, count: number): number {
  let total = 0;
  let seen = 0;
  for (const size of sizes) {
    if (seen >= samples) break;
    total += size;
    seen++;
  }
  return seen === 0 ? 0 : Math.trunc((total / seen) * count);
}

/** The settings an estimate depends on: how lists and streams pack their nodes. */
export interface PackingSettings {
  /** list-max-listpack-size. */
  listFill: number;
  /** stream-node-max-bytes and stream-node-max-entries. */
  stream: StreamNodeLimits;
}

/** The packing settings from the node's configuration (anything that reads integer directives). */
export function packingSettings(config: { int(name: string): number }): PackingSettings {
  return {
    listFill: config.int('list-max-listpack-size'),
    stream: { maxBytes: config.int('stream-node-max-bytes'), maxEntries: config.int('stream-node-max-entries') },
  };
}

/** MEMORY USAGE key: the key's sds, its dict entry and its value. */
export function memoryUsage(key: BinaryString, value: Value, header: number, samples: number, packing: PackingSettings): number {
  return sdsSize(key.length) + DICT_ENTRY + valueSize(value, header, samples, packing);
}

function valueSize(value: Value, header: number, samples: number, packing: PackingSettings): number {
  if (typeof value === 'string') {
    const encoding = stringEncoding(value, header);
    if (encoding === 'int') return ROBJ;
    // An embedded string shares one allocation with its robj (sdshdr8 header, NUL).
    if (encoding === 'embstr') return allocationSize(ROBJ + 3 + value.length + 1);
    return ROBJ + sdsSize(value.length);
  }
  if (value instanceof ListValue) return ROBJ + QUICKLIST + quicklistNodesSize(value, samples, packing.listFill);
  if (value instanceof SetValue) return ROBJ + setSize(value, samples);
  if (value instanceof HashValue) return ROBJ + hashSize(value, samples);
  if (value instanceof SortedSet) return ROBJ + sortedSetSize(value, samples);
  if (value instanceof StreamValue) return ROBJ + streamSize(value, samples, packing.stream);
  return ROBJ;
}

/** Maps an iterable lazily, so that sampling stops reading it early. */
function* mapped<T, U>(items: Iterable<T>, f: (item: T) => U): IterableIterator<U> {
  for (const item of items) yield f(item);
}

/**
 * The quicklist's nodes, packed as pushes from the tail fill them (_quicklistNodeAllowInsert):
 * a node takes entries until list-max-listpack-size's limit (bytes when negative, a count when
 * positive, with the 8 kB safety limit). Only the sampled nodes are built; the node count of a
 * longer list is estimated from them.
 */
function quicklistNodesSize(list: ListValue, samples: number, fill: number): number {
  const byteLimit = fill < 0 ? 4096 * 2 ** (Math.min(-fill, 5) - 1) : 8192;
  const nodes: number[] = [];
  let items = 0;
  let bytes = 7;
  let count = 0;
  for (const item of list.items()) {
    const entry = listpackEntrySize(Buffer.from(item, 'latin1'));
    if (count > 0 && (bytes + entry > byteLimit || (fill > 0 && count >= fill))) {
      nodes.push(QUICKLIST_NODE + allocationSize(bytes));
      items += count;
      if (nodes.length >= samples) break;
      bytes = 7;
      count = 0;
    }
    bytes += entry;
    count++;
  }
  if (nodes.length < samples && count > 0) {
    nodes.push(QUICKLIST_NODE + allocationSize(bytes));
    items += count;
  }
  const nodeCount = items >= list.size ? nodes.length : Math.ceil((list.size * nodes.length) / items);
  return sampled(nodes, samples, nodeCount);
}

function setSize(set: SetValue, samples: number): number {
  if (set.encoding() === 'intset') {
    let width = 2;
    for (const member of set.members()) {
      const n = Number(member);
      if (n < -2147483648 || n > 2147483647) width = 8;
      else if ((n < -32768 || n > 32767) && width < 4) width = 4;
    }
    return allocationSize(8 + width * set.size);
  }
  const elements = mapped(set.members(), (member) => sdsSize(member.length) + DICT_ENTRY);
  return DICT + POINTER * dictSlots(set.size) + sampled(elements, samples, set.size);
}

function hashSize(hash: HashValue, samples: number): number {
  if (hash.encoding() === 'listpack') return allocationSize(listpackSize([...hash.entries()].flat()));
  const elements = mapped(hash.entries(), ([field, value]) => sdsSize(field.length) + sdsSize(value.length) + DICT_ENTRY);
  return DICT + POINTER * dictSlots(hash.size) + sampled(elements, samples, hash.size);
}

function sortedSetSize(zset: SortedSet, samples: number): number {
  if (zset.encoding() === 'listpack') {
    // zzlInsertAt stores the score as d2string's text, which the listpack keeps as an integer when it is one.
    return allocationSize(listpackSize([...mapped(zset.entries(), ([member, score]) => [member, formatDouble(score)])].flat()));
  }
  const elements = mapped(zset.entries(), ([member]) => sdsSize(member.length) + DICT_ENTRY + EXPECTED_SKIPLIST_NODE);
  const fixed = ZSET + ZSKIPLIST + DICT + POINTER * dictSlots(zset.size) + allocationSize(ZSKIPLIST_HEADER);
  return fixed + sampled(elements, samples, zset.size);
}

// Sizes of the stream structures (7.0's stream.h) and rax's node header.
const STREAM = 80;
const STREAM_CG = 40;
const STREAM_NACK = 24;
const STREAM_CONSUMER = 24;
const STREAM_ID = 16;
const RAX_NODE = 4;
/** t_stream.c STREAM_LISTPACK_MAX_PRE_ALLOCATE. */
const STREAM_LISTPACK_PREALLOC = 4096;

/**
 * object.c's OBJ_STREAM case: the stream struct, its radix tree, the listpacks (the first
 * `samples` averaged over all but the last, which is added as it is), and per consumer group its
 * struct, its PEL's tree and NACKs, and per consumer its struct, name and PEL's tree.
 */
function streamSize(stream: StreamValue, samples: number, limits: StreamNodeLimits): number {
  let size = STREAM + raxUsage(stream.nodes.map((node) => encodeIdKey(node.masterId)));
  const nodes = stream.nodes;
  const count = Math.min(samples, nodes.length);
  let listpacks = 0;
  for (let i = 0; i < count; i++) listpacks += listpackAllocation(nodes, i, limits);
  if (nodes.length <= count) size += listpacks;
  else size += Math.trunc(listpacks / count) * (nodes.length - 1) + listpackAllocation(nodes, nodes.length - 1, limits);
  for (const group of stream.groups.values()) {
    size += STREAM_CG + pelUsage(group.pending) + STREAM_NACK * group.pending.size;
    for (const consumer of group.consumers.values()) {
      size += STREAM_CONSUMER + consumer.name.length + pelUsage(consumer.pending);
    }
  }
  return size;
}

/**
 * What zmalloc_size reports for a node's listpack. streamAppendItem creates each with lpNew of
 * stream-node-max-bytes (at most 4 kB) and grows it only past that; a node closed for its entry
 * count is shrunk to fit, one closed for its bytes is not. (A stream loaded from an RDB file has
 * exact-size listpacks in Redis, and a deletion that shrinks one reallocates it: estimates there.)
 */
function listpackAllocation(nodes: readonly StreamNode[], index: number, limits: StreamNodeLimits): number {
  const node = nodes[index]!;
  const bytes = nodeBytes(node);
  const shrunk = index < nodes.length - 1 && limits.maxEntries !== 0 && node.live + node.deleted >= limits.maxEntries;
  if (shrunk) return allocationSize(bytes);
  const prealloc = limits.maxBytes > 0 && limits.maxBytes < STREAM_LISTPACK_PREALLOC ? limits.maxBytes : STREAM_LISTPACK_PREALLOC;
  return allocationSize(Math.max(bytes, prealloc));
}

function pelUsage(pel: IdMap<{ readonly id: StreamId }>): number {
  return raxUsage([...mapped(pel.values(), (entry) => encodeIdKey(entry.id))]);
}

/**
 * streamRadixTreeMemoryUsage, with its assignment that drops sizeof(rax): numele stream IDs, and
 * per node the header plus a fixed 30 words.
 */
function raxUsage(keys: readonly Buffer[]): number {
  return keys.length * STREAM_ID + raxNodes(keys) * (RAX_NODE + 30 * POINTER);
}

/**
 * How many nodes a rax holding `keys` (sorted, distinct) has: a node where a key ends or the keys
 * part ways, and one compressed node for each run of bytes the keys below a node share.
 */
function raxNodes(keys: readonly Buffer[]): number {
  if (keys.length === 0) return 1; // the empty root
  const count = (from: number, to: number, depth: number): number => {
    let start = from;
    let nodes = 0;
    if (keys[start]!.length === depth) {
      start++; // a key ends at this node
      if (start === to) return 1;
    }
    const first = keys[start]!;
    const last = keys[to - 1]!;
    let common = depth;
    while (common < first.length && common < last.length && first[common] === last[common]) common++;
    if (common > depth) return nodes + 1 + count(start, to, common);
    // The keys part ways here: a branch node, a child per next byte.
    nodes += 1;
    for (let i = start; i < to;) {
      let j = i + 1;
      while (j < to && keys[j]![depth] === keys[i]![depth]) j++;
      nodes += count(i, j, depth + 1);
      i = j;
    }
    return nodes;
  };
  return count(0, keys.length, 0);
}
