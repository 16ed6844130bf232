// The neutral value model between the keyspace and the file formats. The engine adapts its own
// structures to and from these plain shapes; the RDB writer, RDB reader, DUMP payload and
// DEBUG DIGEST only ever see these. Nothing here says how a value is encoded on disk: the writer
// picks Redis's encoding from the content and the limits, the reader decodes every encoding
// (intset, listpack, ziplist, zipmap, quicklist, LZF) into these shapes.

export type RdbValue =
  | { type: 'string'; value: Buffer }
  /** Head to tail. */
  | { type: 'list'; items: Buffer[] }
  /** Unique members, any order. */
  | { type: 'set'; members: Buffer[] }
  /** Unique members with their scores, any order (never NaN). */
  | { type: 'zset'; entries: Array<[member: Buffer, score: number]> }
  /** Unique fields with their values, any order. */
  | { type: 'hash'; entries: Array<[field: Buffer, value: Buffer]> }
  | { type: 'stream'; stream: StreamValue };

export type RdbValueType = RdbValue['type'];

/** One key as stored in a snapshot. */
export interface RdbEntry {
  db: number;
  key: Buffer;
  value: RdbValue;
  /** Absolute unix time in ms, or null for no TTL. */
  expireAtMs: number | null;
  /** Eviction metadata when the file carried it (0xF8 LRU idle seconds / 0xF9 LFU counter). */
  lruIdleSeconds?: number;
  lfuFrequency?: number;
}

/** A stream ID: both parts are unsigned 64-bit, hence bigint. */
export interface StreamId {
  ms: bigint;
  seq: bigint;
}

export interface StreamEntry {
  id: StreamId;
  /** field1, value1, field2, value2, ... in insertion order. */
  fieldsAndValues: Buffer[];
}

/** Everything a Redis stream persists (rdbSaveObject, OBJ_STREAM), with entries decoded. */
export interface StreamValue {
  /** Live entries in ID order (tombstones of XDEL are not carried: only their effect on the fields below). */
  entries: StreamEntry[];
  lastId: StreamId;
  firstId: StreamId;
  maxDeletedEntryId: StreamId;
  /** All entries ever added (XINFO STREAM entries-added). */
  entriesAdded: bigint;
  groups: StreamConsumerGroup[];
  /**
   * The listpack nodes as they are (tombstones and SAMEFIELDS flags included), when known: the
   * RDB writer then writes them as they are, as Redis writes its radix tree, instead of
   * re-splitting `entries`.
   */
  nodes?: StreamNodeModel[];
}

export interface StreamNodeModel {
  masterId: StreamId;
  masterFields: Buffer[];
  entries: Array<StreamEntry & { deleted: boolean; sameFields: boolean }>;
}

export interface StreamConsumerGroup {
  name: Buffer;
  lastId: StreamId;
  /** Logical reads counter; 2^64-1 is Redis's "invalid" (-1). */
  entriesRead: bigint;
  /** The group's pending entries list, in ID order. */
  pending: StreamPendingEntry[];
  consumers: StreamConsumer[];
}

export interface StreamPendingEntry {
  id: StreamId;
  deliveryTimeMs: number;
  deliveryCount: number;
}

export interface StreamConsumer {
  name: Buffer;
  seenTimeMs: number;
  /** Only RDB 11 (Redis 7.2) stores it; older files leave it equal to seenTimeMs, as 7.2 does. */
  activeTimeMs: number;
  /** IDs this consumer owns, each also present in the group's `pending`. */
  pending: StreamId[];
}

/** The aux fields Redis writes in the header (rdbSaveInfoAuxFields), plus any others found. */
export type RdbAuxFields = Map<string, string>;
