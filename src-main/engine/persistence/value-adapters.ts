// Keyspace values <-> the neutral model of the file formats (value-model.ts).
//
// The keyspace keeps strings as binary latin1 JS strings and aggregates in its own classes; the
// formats layer speaks Buffers and plain shapes. These two functions are the only crossing, so
// RDB files, AOF bases, DUMP payloads and DEBUG DIGEST all see a value the same way.
//
// Loading builds each aggregate with the encoding Redis gives the same contents when it loads
// them (rdb.c rdbLoadObject), which depends on the configured *-max-* limits: hence the limits.
import type { Config } from '../config/config.js';
import type { AggregateValue, Value } from '../keyspace/value.js';
import { HashValue } from '../keyspace/types/hash.js';
import { SetValue } from '../keyspace/types/set.js';
import { SortedSet } from '../keyspace/types/zset.js';
import { ListValue } from '../keyspace/types/list.js';
import { DEFAULT_ENCODING_LIMITS, type EncodingLimits } from './rdb/rdb-format.js';
import { StreamValue } from '../keyspace/types/stream.js';
import { streamFromModel, streamToModel } from './stream-adapter.js';
import type { RdbValue } from './value-model.js';

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');
const text = (b: Buffer): string => b.latin1Slice(0, b.length);

export function toRdbValue(value: Value): RdbValue {
  if (typeof value === 'string') return { type: 'string', value: bytes(value) };
  const aggregate: AggregateValue = value;
  if (aggregate instanceof ListValue) return { type: 'list', items: Array.from(aggregate.items(), bytes) };
  if (aggregate instanceof SetValue) return { type: 'set', members: Array.from(aggregate.members(), bytes) };
  if (aggregate instanceof SortedSet) {
    return { type: 'zset', entries: Array.from(aggregate.entries(), ([member, score]) => [bytes(member), score]) };
  }
  if (aggregate instanceof HashValue) {
    return { type: 'hash', entries: Array.from(aggregate.entries(), ([field, v]) => [bytes(field), bytes(v)]) };
  }
  if (aggregate instanceof StreamValue) return { type: 'stream', stream: streamToModel(aggregate) };
  throw new Error(`toRdbValue: no adapter for a value of type ${aggregate.type}`);
}

export function fromRdbValue(model: RdbValue, limits: EncodingLimits = DEFAULT_ENCODING_LIMITS): Value {
  switch (model.type) {
    case 'string':
      return text(model.value);
    case 'list':
      return ListValue.from(model.items.map(text));
    case 'set':
      return SetValue.from(model.members.map(text), limits.setMaxIntsetEntries);
    case 'zset':
      return SortedSet.from(
        model.entries.map(([member, score]) => [text(member), score] as const),
        { maxEntries: limits.zsetMaxListpackEntries, maxValueLength: limits.zsetMaxListpackValue },
      );
    case 'hash':
      return HashValue.from(
        model.entries.map(([field, v]) => [text(field), text(v)] as const),
        { maxListpackEntries: limits.hashMaxListpackEntries, maxListpackValue: limits.hashMaxListpackValue },
      );
    case 'stream':
      return streamFromModel(model.stream, { maxBytes: limits.streamNodeMaxBytes, maxEntries: limits.streamNodeMaxEntries });
  }
}

/**
 * The encoding limits as configured: they decide both the encoding a loaded value gets and the
 * one written to disk (Redis writes what it holds in memory, which these limits decided).
 */
export function encodingLimitsFrom(config: Config): EncodingLimits {
  return {
    ...DEFAULT_ENCODING_LIMITS,
    listMaxListpackBytes: listpackBytesFor(config.int('list-max-listpack-size')),
    setMaxIntsetEntries: config.int('set-max-intset-entries'),
    zsetMaxListpackEntries: config.int('zset-max-listpack-entries'),
    zsetMaxListpackValue: config.int('zset-max-listpack-value'),
    hashMaxListpackEntries: config.int('hash-max-listpack-entries'),
    hashMaxListpackValue: config.int('hash-max-listpack-value'),
    streamNodeMaxBytes: config.int('stream-node-max-bytes'),
    streamNodeMaxEntries: config.int('stream-node-max-entries'),
  };
}

/**
 * list-max-listpack-size: -1..-5 are 4..64 kB per quicklist node (quicklist.c
 * optimization_level); a positive count limits entries instead, which our quicklist writer
 * does not model, so it keeps the default node size.
 */
function listpackBytesFor(setting: number): number {
  return setting < 0 ? 4096 << (Math.min(-setting, 5) - 1) : DEFAULT_ENCODING_LIMITS.listMaxListpackBytes;
}
