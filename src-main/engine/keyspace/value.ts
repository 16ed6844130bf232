// What a key holds. Strings are binary strings (one char per byte, see protocol/request-parser.ts):
// the most compact form V8 has, immutable, so a snapshot can keep the old one by reference.
// The aggregate types (list, hash, set, zset) are objects implementing AggregateValue, defined by
// their own command families; they are mutated in place, which is why the keyspace asks before.
import type { BinaryString } from '../protocol/request-parser.js';

export type TypeName = 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream';

export interface AggregateValue {
  readonly type: Exclude<TypeName, 'string'>;
  /** OBJECT ENCODING, as Redis would report it for the same contents (listpack, hashtable...). */
  encoding(): string;
  /** A deep copy, for point-in-time snapshots taken before an in-place modification. */
  clone(): AggregateValue;
}

export type Value = BinaryString | AggregateValue;

export function typeOf(value: Value): TypeName {
  return typeof value === 'string' ? 'string' : value.type;
}

export const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
