// Writes an RDB version 10 file the way Redis 7.0's rdbSaveRio does:
//   "REDIS0010", aux fields, functions, then per non-empty db 0xFE <db> 0xFB <keys> <expires>
//   and its keys ([0xFC <ms>] <type> <key> <value>), then 0xFF and the CRC-64 trailer.
//
// The API is incremental so that a snapshot can be serialised in slices while the node keeps
// serving: begin() once, startDb()/writeEntry() as the caller walks its keyspace, end() once.
// Output goes to a sink in large chunks (a file, or a replica socket).
import { DEFAULT_ENCODING_LIMITS, RDB_VERSION_WRITTEN, RdbOpcode, RdbType, type EncodingLimits } from './rdb-format.js';
import { RdbOutput, type ChunkSink } from './rdb-output.js';
import { rdbTypeFor, writeValueBody } from './rdb-value-encoder.js';
import type { RdbAuxFields, RdbEntry } from '../value-model.js';
import type { ByteRange } from '../../keyspace/slot-strings.js';

export interface RdbWriterOptions {
  /** `rdbcompression` (default yes): LZF for strings longer than 20 bytes. */
  compression?: boolean;
  /** `rdbchecksum` (default yes); when off the trailer is 8 zero bytes. */
  checksum?: boolean;
  limits?: EncodingLimits;
  /** Size of the chunks handed to the sink (default 1 MiB). */
  chunkSize?: number;
}

export interface StandardAuxOptions {
  /** What `redis-ver` claims; a 7.0 version so that Redis tools treat the file as 7.0's. */
  redisVersion?: string;
  usedMemory: number;
  /** Present when the node has replication state (rdbPopulateSaveInfo returned non-NULL). */
  replication?: { replId: string; replOffset: number; replStreamDb: number };
  /** True for the RDB preamble of an AOF base file. */
  aofBase?: boolean;
  nowMs?: number;
}

/** The aux fields in rdbSaveInfoAuxFields order. */
export function standardAuxFields(options: StandardAuxOptions): RdbAuxFields {
  const aux: RdbAuxFields = new Map();
  aux.set('redis-ver', options.redisVersion ?? '7.0.15');
  aux.set('redis-bits', '64');
  aux.set('ctime', String(Math.floor((options.nowMs ?? Date.now()) / 1000)));
  aux.set('used-mem', String(options.usedMemory));
  if (options.replication) {
    aux.set('repl-stream-db', String(options.replication.replStreamDb));
    aux.set('repl-id', options.replication.replId);
    aux.set('repl-offset', String(options.replication.replOffset));
  }
  aux.set('aof-base', options.aofBase ? '1' : '0');
  return aux;
}

export class RdbWriter {
  private readonly out: RdbOutput;
  private readonly limits: EncodingLimits;
  private currentDb = -1;
  private state: 'new' | 'open' | 'ended' = 'new';

  constructor(sink: ChunkSink, options: RdbWriterOptions = {}) {
    this.out = new RdbOutput(sink, {
      checksum: options.checksum ?? true,
      compression: options.compression ?? true,
      chunkSize: options.chunkSize,
    });
    this.limits = options.limits ?? DEFAULT_ENCODING_LIMITS;
  }

  /** Keys written so far (rdb-key-save-delay paces a snapshot by them). */
  entriesWritten = 0;

  get bytesWritten(): number {
    return this.out.bytesWritten;
  }

  /** Header, aux fields and function libraries (0xF5 RDB_OPCODE_FUNCTION2, one per library). */
  begin(aux: RdbAuxFields, functionLibraries: Buffer[] = []): void {
    this.expectState('new');
    this.out.writeBytes(Buffer.from(`REDIS${String(RDB_VERSION_WRITTEN).padStart(4, '0')}`, 'latin1'));
    for (const [key, value] of aux) {
      this.out.writeByte(RdbOpcode.AUX);
      this.out.writeString(Buffer.from(key, 'latin1'));
      this.out.writeString(Buffer.from(value, 'latin1'));
    }
    for (const code of functionLibraries) {
      this.out.writeByte(RdbOpcode.FUNCTION2);
      this.out.writeString(code);
    }
    this.state = 'open';
  }

  /**
   * Starts a database section. Redis skips empty databases, and so should the caller; the
   * counts are the RESIZEDB hints a loader uses to presize its tables.
   */
  startDb(db: number, keyCount: number, expiresCount: number): void {
    this.expectState('open');
    this.out.writeByte(RdbOpcode.SELECTDB);
    this.out.writeLength(db);
    this.out.writeByte(RdbOpcode.RESIZEDB);
    this.out.writeLength(keyCount);
    this.out.writeLength(expiresCount);
    this.currentDb = db;
  }

  /** rdbSaveKeyValuePair: [0xFC expire] [0xF8 idle] [0xF9 freq] type key value. */
  writeEntry(entry: RdbEntry): void {
    this.startEntry(entry.db, entry.expireAtMs, entry.lruIdleSeconds, entry.lfuFrequency);
    const rdbType = rdbTypeFor(entry.value, this.limits);
    this.out.writeByte(rdbType);
    this.out.writeString(entry.key);
    writeValueBody(this.out, entry.value, rdbType, this.limits);
  }

  /**
   * writeEntry for a string value, straight from the keyspace's binary strings: the same bytes
   * without the per-key Buffers and model objects (snapshots of millions of keys).
   */
  writeStringEntry(
    db: number,
    key: string,
    value: string,
    expireAtMs: number | null,
    lruIdleSeconds?: number,
    lfuFrequency?: number,
  ): void {
    this.startEntry(db, expireAtMs, lruIdleSeconds, lfuFrequency);
    this.out.writeByte(RdbType.STRING);
    this.out.writeBinaryString(key);
    this.out.writeBinaryString(value);
  }

  /**
   * writeStringEntry for a key and value given as ranges of the keyspace's stored bytes, without
   * an expiry (snapshot.ts writes keys with one through writeStringEntry).
   */
  writeStringEntryBytes(db: number, key: ByteRange, value: ByteRange, lruIdleSeconds?: number, lfuFrequency?: number): void {
    this.startEntry(db, null, lruIdleSeconds, lfuFrequency);
    this.out.writeByte(RdbType.STRING);
    this.out.writeStringRange(key.bytes, key.start, key.end);
    this.out.writeStringRange(value.bytes, value.start, value.end);
  }

  /**
   * Checks that `db` is the open database, then writes the opcodes before a key: its expiry, then
   * the access history the saving server's maxmemory-policy tracks (idle seconds under an LRU
   * policy, the LFU counter under an LFU one).
   */
  private startEntry(db: number, expireAtMs: number | null, lruIdleSeconds: number | undefined, lfuFrequency: number | undefined): void {
    this.entriesWritten++;
    this.expectState('open');
    if (db !== this.currentDb) {
      throw new Error(`RdbWriter: entry for db ${db} written while db ${this.currentDb} is open (call startDb first)`);
    }
    if (expireAtMs !== null) {
      this.out.writeByte(RdbOpcode.EXPIRETIME_MS);
      this.out.writeMillis(expireAtMs);
    }
    if (lruIdleSeconds !== undefined) {
      this.out.writeByte(RdbOpcode.IDLE);
      this.out.writeLength(lruIdleSeconds);
    }
    if (lfuFrequency !== undefined) {
      this.out.writeByte(RdbOpcode.FREQ);
      this.out.writeByte(lfuFrequency);
    }
  }

  /** Hands what is buffered to the sink now (e.g. at the end of a slice, before yielding). */
  flush(): void {
    this.out.flush();
  }

  /** Every chunk handed to the sink so far is done with: see RdbOutput.reuseRetired. */
  chunksReleased(): void {
    this.out.reuseRetired();
  }

  /** 0xFF, then the checksum of everything before it; flushes the last chunk. */
  end(): void {
    this.expectState('open');
    this.out.writeByte(RdbOpcode.EOF);
    const trailer = this.out.checksumTrailer();
    this.out.writeBytes(trailer);
    this.out.flush();
    this.state = 'ended';
  }

  private expectState(state: 'new' | 'open'): void {
    if (this.state !== state) throw new Error(`RdbWriter: called while ${this.state}, expected ${state}`);
  }
}

/** Serialises a whole in-memory dataset at once (tests, DEBUG RELOAD); entries grouped by db. */
export function writeRdbToBuffer(aux: RdbAuxFields, entries: RdbEntry[], options: RdbWriterOptions = {}): Buffer {
  const chunks: Buffer[] = [];
  const writer = new RdbWriter((c) => chunks.push(c), options);
  writer.begin(aux);
  const byDb = new Map<number, RdbEntry[]>();
  for (const e of entries) {
    const list = byDb.get(e.db);
    if (list) list.push(e);
    else byDb.set(e.db, [e]);
  }
  for (const db of [...byDb.keys()].sort((a, b) => a - b)) {
    const dbEntries = byDb.get(db)!;
    writer.startDb(db, dbEntries.length, dbEntries.filter((e) => e.expireAtMs !== null).length);
    for (const e of dbEntries) writer.writeEntry(e);
  }
  writer.end();
  return Buffer.concat(chunks);
}
