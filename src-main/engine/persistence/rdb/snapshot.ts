// Point-in-time RDB snapshots without fork.
//
// Redis forks: the child serialises the memory image of the moment of the fork while the parent
// keeps serving, and the kernel copies a page only when the parent writes to it. We have one
// process, so we do the same copy-on-write ourselves, per key, and serialise in short slices
// between which the event loop serves clients (reads AND writes):
//
//   - Taking the view is O(databases): each non-empty database records how many slots it has
//     (keys live in slots that never move while the key exists, see keyspace/database.ts) and
//     its key counts. The walk then writes slot 0, 1, 2, ... of each database in order, reading
//     the live value, so "the slot is below the walk's position" means "already written".
//   - Every change to a key passes Database's beforeChange hook while the old value can still be
//     read. For a key the walk has not written yet, the view keeps what the key was at the start
//     (strings by reference: they are immutable; aggregates by clone(), since they are then
//     changed in place) and marks it decided, so the walk will skip it and the kept copy is
//     written instead. A key that does not exist when first changed was created after the start:
//     it is marked decided and never written. Later changes of a decided key cost one Set lookup.
//   - FLUSHDB/FLUSHALL/SWAPDB/loading empty a database as a whole (beforeFlush): the view moves
//     the not-yet-written remainder into its kept list by reference, without copying. Only SWAPDB
//     lets those values live on (in the other database); a later in-place change of one of them
//     first clones it for the view (see unshare).
//
// So the cost of a snapshot is proportional to what changes while it runs, like fork's
// copy-on-write, and no client ever waits for more than one slice (SLICE_MS). Choice against the
// alternative (serialising in a worker thread): a worker would need the whole dataset copied or
// transferred to it first, which is the O(dataset) pause this design avoids.
import type { Server } from '../../core/server.js';
import type { Database } from '../../keyspace/database.js';
import type { Keyspace, KeyspaceObserver } from '../../keyspace/keyspace.js';
import type { AggregateValue, Value } from '../../keyspace/value.js';
import type { ByteRange } from '../../keyspace/slot-strings.js';
import { usedMemory } from '../../keyspace/used-memory.js';
import type { BinaryString } from '../../protocol/request-parser.js';
import { idleSeconds, lfuCounter, type AccessHistory } from '../../keyspace/object-header.js';
import { REDIS_VERSION } from '../../util/version.js';
import { RdbWriter, standardAuxFields } from './rdb-writer.js';
import { encodingLimitsFrom, toRdbValue } from '../value-adapters.js';
import { AofRewriteEncoder } from '../aof/aof-rewrite-encoder.js';
import type { RdbAuxFields, RdbEntry } from '../value-model.js';

/**
 * Where snapshot bytes go. A sink that returns a promise is waited for before the next slice
 * (backpressure), and is done with the chunk once the promise resolves: when every sink returned
 * a promise for every chunk, the encoder fills the chunks' memory again after they resolved.
 */
export type SnapshotSink = (chunk: Buffer) => void | Promise<void>;

/** The replication aux fields (rdbSaveInfo): written so a restarted node can resume with PSYNC. */
export interface ReplicationAux {
  replId: string;
  replOffset: number;
  replStreamDb: number;
}

/**
 * How far a snapshot is (INFO persistence's current_save_keys_processed / _total, which Redis's
 * fork child reports): the keys it has to write, and those written so far.
 */
export interface SnapshotProgress {
  keysTotal: number;
  keysProcessed: number;
}

export interface SnapshotOptions {
  /** Kept up to date while the snapshot runs. */
  progress?: SnapshotProgress;
  replication?: ReplicationAux | null;
  /** The RDB preamble of an AOF base file (aux aof-base 1). */
  aofBase?: boolean;
  /** 'aof-commands': an AOF base of RESP commands instead of an RDB (aof-use-rdb-preamble no). */
  format?: 'rdb' | 'aof-commands';
  /** An 'aof-commands' base starts with a timestamp annotation (aof-timestamp-enabled). */
  timestamped?: boolean;
  /** Aborting stops the snapshot at the next slice; the promise rejects with the abort reason. */
  signal?: AbortSignal;
}

/**
 * How long one slice may serialise before the event loop gets control back. 2 ms (4 before): a
 * client's worst wait is about one slice plus GC, and should stay near redis-server's fork pause;
 * the save does not take measurably longer.
 */
const SLICE_MS = 2;
/** Slots walked between two clock reads (few: the first slice runs cold and overshot at 64). */
const SLOTS_PER_CLOCK_CHECK = 16;

/**
 * Serialises the dataset as it is at the moment of the call, in slices, while clients keep being
 * served. The view is taken synchronously, before the first await, so the caller can note the
 * replication offset of exactly that moment. Several snapshots may run at once, each with its
 * own view; one snapshot can also feed several sinks (e.g. replicas arriving together).
 */
export async function writeSnapshot(
  server: Server,
  sinks: SnapshotSink | SnapshotSink[],
  options: SnapshotOptions = {},
): Promise<{ bytes: number }> {
  // Taking the view is where Redis forks (BGSAVE, an AOF rewrite, a full sync's RDB): INFO counts
  // it in total_forks, and the time it held the node in latest_fork_usec.
  const viewStart = performance.now();
  const view = new PointInTimeView(server.keyspace, accessHistoryRecorder(server));
  server.stats.forks++;
  server.stats.latestForkUsec = Math.round((performance.now() - viewStart) * 1000);
  const pending: Promise<void>[] = [];
  // False once a sink keeps a chunk without saying when it is done with it (a replica socket
  // that took it without backpressure): from then on every chunk gets fresh memory.
  let everyChunkAwaited = true;
  const fanOut = Array.isArray(sinks) ? sinks : [sinks];
  const writer = createEncoder(server, options, (chunk) => {
    for (const sink of fanOut) {
      const result = sink(chunk);
      if (result) pending.push(result);
      else everyChunkAwaited = false;
    }
  });
  const pacing = keyPacing(server, view);
  const progress = options.progress;
  if (progress) {
    progress.keysTotal = view.keysTotal;
    progress.keysProcessed = 0;
  }
  try {
    writer.begin(auxFields(server, options), functionLibraries(server));
    for (;;) {
      // Yield before every slice, the first included: the command that started the snapshot
      // (BGSAVE, a replica's SYNC) gets its reply out before any serialising happens.
      await new Promise((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
      // Replies to what clients sent during the last slice go out before this one starts.
      server.output.flushNow();
      const entriesBefore = writer.entriesWritten;
      const done = view.writeUntil(writer, pacing ? 0 : performance.now() + SLICE_MS);
      if (progress) progress.keysProcessed = writer.entriesWritten;
      if (pacing) await pacing.wait(writer.entriesWritten - entriesBefore);
      if (done) break;
      writer.flush();
      if (pending.length !== 0) await Promise.all(pending.splice(0));
      if (everyChunkAwaited) writer.chunksReleased();
    }
    writer.end();
    await Promise.all(pending.splice(0));
  } finally {
    view.close();
  }
  return { bytes: writer.bytesWritten };
}

/**
 * The blocking form, for SAVE, DEBUG RELOAD and the final save at shutdown, where Redis too
 * serialises in the main thread: no slices, nothing can change meanwhile. The sink must be done
 * with a chunk when it returns (it writes it out): the chunk's memory is filled again after.
 */
export function writeSnapshotSync(server: Server, sink: (chunk: Buffer) => void, options: SnapshotOptions = {}): { bytes: number } {
  const view = new PointInTimeView(server.keyspace, accessHistoryRecorder(server));
  try {
    const writer: SnapshotEncoder = createEncoder(server, options, (chunk) => {
      sink(chunk);
      writer.chunksReleased();
    });
    writer.begin(auxFields(server, options), functionLibraries(server));
    const pacing = keyPacing(server, view);
    if (pacing) {
      for (;;) {
        const entriesBefore = writer.entriesWritten;
        const done = view.writeUntil(writer, 0);
        pacing.waitSync(writer.entriesWritten - entriesBefore);
        if (done) break;
      }
    } else {
      view.writeUntil(writer, Infinity);
    }
    writer.end();
    return { bytes: writer.bytesWritten };
  } finally {
    view.close();
  }
}

/**
 * rdb-key-save-delay (rdbSaveKeyValuePair's debugDelay): each key written costs that many
 * microseconds, a negative -n meaning 1 microsecond one time in n. Redis sleeps in its fork child,
 * so the save lasts longer while the server keeps serving; here the view writes one slot at a
 * time and the snapshot waits between slots (an asynchronous save) or sleeps (SAVE, which
 * blocks the node in Redis too). Waits shorter than a millisecond add up until they reach one.
 */
function keyPacing(server: Server, view: PointInTimeView): { wait(keys: number): Promise<void>; waitSync(keys: number): void } | null {
  const setting = server.config.int('rdb-key-save-delay');
  if (setting === 0) return null;
  view.slotsPerCheck = 1;
  const microsPerKey = setting > 0 ? setting : 1 / -setting;
  let owedMs = 0;
  const due = (keys: number): number => {
    owedMs += (keys * microsPerKey) / 1000;
    if (owedMs < 1) return 0;
    const ms = owedMs;
    owedMs = 0;
    return ms;
  };
  return {
    async wait(keys) {
      const ms = due(keys);
      if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
    },
    waitSync(keys) {
      const ms = due(keys);
      if (ms > 0) Atomics.wait(PACING_CELL, 0, 0, ms);
    },
  };
}

/** What Atomics.wait blocks on for a paced SAVE (nothing ever notifies it). */
const PACING_CELL = new Int32Array(new SharedArrayBuffer(4));

/** What the view drives: the RdbWriter, or the AofRewriteEncoder for a RESP AOF base. */
interface SnapshotEncoder {
  readonly bytesWritten: number;
  /** Keys written so far. */
  readonly entriesWritten: number;
  begin(aux: RdbAuxFields, functionLibraries: Buffer[]): void;
  startDb(db: number, keyCount: number, expiresCount: number): void;
  writeEntry(entry: RdbEntry): void;
  flush(): void;
  /** Every chunk handed to the sink so far is no longer in use; its memory may be filled again. */
  chunksReleased(): void;
  end(): void;
}

function createEncoder(server: Server, options: SnapshotOptions, sink: (chunk: Buffer) => void): SnapshotEncoder {
  if (options.format === 'aof-commands') return new AofRewriteEncoder(sink, options.timestamped);
  const config = server.config;
  return new RdbWriter(sink, {
    compression: config.bool('rdbcompression'),
    checksum: config.bool('rdbchecksum'),
    limits: encodingLimitsFrom(config),
  });
}

function functionLibraries(server: Server): Buffer[] {
  return server.functionLibraries.codes().map((code) => Buffer.from(code, 'latin1'));
}

function auxFields(server: Server, options: SnapshotOptions) {
  return standardAuxFields({
    redisVersion: REDIS_VERSION,
    usedMemory: usedMemory(server.keyspace),
    replication: options.replication ?? undefined,
    aofBase: options.aofBase,
  });
}

/** A key as it was when the snapshot started. */
interface KeptEntry {
  key: BinaryString;
  value: Value;
  expireAt: number | undefined;
  header: number;
}

/**
 * rdbSaveKeyValuePair's savelru / savelfu: under an LRU maxmemory-policy each key is saved with
 * its idle seconds, under an LFU one with its (decayed) counter, so a node loading the file keeps
 * evicting the same keys first. Null (nothing saved) under the other policies.
 */
type AccessHistoryRecorder = ((header: number) => AccessHistory) | null;

function accessHistoryRecorder(server: Server): AccessHistoryRecorder {
  const lfu = server.keyspace.lfu;
  if (lfu !== null) return (header) => ({ frequency: lfuCounter(header, lfu) });
  const policy = server.config.str('maxmemory-policy');
  if (policy === 'allkeys-lru' || policy === 'volatile-lru') return (header) => ({ idleSeconds: idleSeconds(header) });
  return null;
}

/** One database's part of the view. */
class DatabaseView {
  /** Slots below `next` are written (or were free, or hold keys created after the start). */
  next = 0;
  /** Slots at the start: no key of the snapshot lives at or above it. */
  readonly end: number;
  /** RESIZEDB hints, as at the start. */
  readonly keyCount: number;
  readonly expiresCount: number;
  /** Keys the walk must not write live: kept below, or created after the start. */
  readonly decided = new Set<BinaryString>();
  /** Keys changed before the walk reached them, as they were at the start. */
  readonly kept: KeptEntry[] = [];
  /** Once the walk is over (or a flush took the rest), changes here no longer concern the view. */
  walked = false;
  started = false;

  constructor(readonly db: Database) {
    this.end = db.slotCount;
    this.keyCount = db.size;
    this.expiresCount = db.volatileCount;
  }
}

class PointInTimeView implements KeyspaceObserver {
  private readonly views = new Map<Database, DatabaseView>();
  /** Views in the order they are written (ascending db id; Redis skips empty databases). */
  private readonly order: DatabaseView[] = [];
  private current = 0;
  /** Keys in the view (the databases' sizes at the start). */
  keysTotal = 0;
  /**
   * Slots walked (or kept entries written) between two clock reads; 1 while rdb-key-save-delay
   * paces the save key by key (see keyPacing).
   */
  slotsPerCheck = SLOTS_PER_CLOCK_CHECK;
  /** Kept entries holding a value by reference that SWAPDB left live in another database. */
  private readonly shared = new Map<AggregateValue, KeptEntry>();
  private readonly removeObserver: () => void;

  constructor(
    keyspace: Keyspace,
    private readonly recordHistory: AccessHistoryRecorder,
  ) {
    for (const db of keyspace.dbs) {
      if (db.size === 0) continue;
      const view = new DatabaseView(db);
      this.keysTotal += view.keyCount;
      this.views.set(db, view);
      this.order.push(view);
    }
    this.removeObserver = keyspace.addObserver(this);
  }

  close(): void {
    this.removeObserver();
  }

  beforeChange(db: Database, key: BinaryString): void {
    if (this.shared.size !== 0) this.unshare(db.peek(key));
    const view = this.views.get(db);
    if (view === undefined || view.walked || view.decided.has(key)) return;
    const slot = db.slotOf(key);
    if (slot !== undefined && slot < view.next) return;
    view.decided.add(key);
    if (slot === undefined) return; // created after the start
    const value = db.peek(key)!;
    view.kept.push({
      key,
      value: typeof value === 'string' ? value : value.clone(),
      expireAt: db.peekExpire(key),
      header: db.objectHeader(key)!,
    });
  }

  beforeFlush(db: Database): void {
    const view = this.views.get(db);
    if (view === undefined || view.walked) return;
    const end = Math.min(view.end, db.slotCount);
    for (let slot = view.next; slot < end; slot++) {
      const key = db.keyInSlot(slot);
      if (key === undefined || view.decided.has(key)) continue;
      const value = db.peek(key)!;
      const entry: KeptEntry = { key, value, expireAt: db.peekExpire(key), header: db.headerInSlot(slot)! };
      view.kept.push(entry);
      if (typeof value !== 'string') this.shared.set(value, entry);
    }
    this.finishWalk(view);
  }

  /**
   * Writes keys until `deadline` (a performance.now() time); true when the whole view is
   * written. Databases are written one after the other: walk, then the kept entries.
   */
  writeUntil(writer: SnapshotEncoder, deadline: number): boolean {
    while (this.current < this.order.length) {
      const view = this.order[this.current]!;
      if (!view.started) {
        writer.startDb(view.db.id, view.keyCount, view.expiresCount);
        view.started = true;
      }
      if (!view.walked && !this.walk(view, writer, deadline)) return false;
      if (!this.writeKept(view, writer, deadline)) return false;
      this.current++;
    }
    return true;
  }

  private walk(view: DatabaseView, writer: SnapshotEncoder, deadline: number): boolean {
    const db = view.db;
    for (;;) {
      // The slot table shrinks when a database empties; no key of ours is above its end then.
      const end = Math.min(view.end, db.slotCount);
      const stop = Math.min(end, view.next + this.slotsPerCheck);
      // Without kept keys and TTLs to look up, a string entry is encoded from the keyspace's
      // stored bytes: no string made for the key or the value (SAVE of 1M keys: 276-328 ms,
      // against 354-391 ms when the keyspace held JS strings, docs/benchmarks.md).
      const fromBytes = writer instanceof RdbWriter && view.decided.size === 0 && db.volatileCount === 0;
      for (let slot = view.next; slot < stop; slot++) {
        view.next = slot + 1;
        if (fromBytes && db.keyBytesInSlot(slot, keyBytes) && db.stringBytesInSlot(slot, valueBytes)) {
          const history = this.recordHistory?.(db.headerInSlot(slot)!);
          writer.writeStringEntryBytes(db.id, keyBytes, valueBytes, history?.idleSeconds, history?.frequency);
          continue;
        }
        const key = db.keyInSlot(slot);
        if (key === undefined || (view.decided.size !== 0 && view.decided.has(key))) continue;
        // By slot, not by key: a hash lookup per key is a good part of a large snapshot's time.
        const expireAt = db.volatileCount === 0 ? undefined : db.peekExpire(key);
        const history = this.recordHistory?.(db.headerInSlot(slot)!);
        writeEntry(writer, db.id, key, db.valueInSlot(slot)!, expireAt, history);
      }
      if (stop >= end) break;
      if (performance.now() >= deadline) return false;
    }
    this.finishWalk(view);
    return true;
  }

  private writeKept(view: DatabaseView, writer: SnapshotEncoder, deadline: number): boolean {
    let written = 0;
    while (view.kept.length !== 0) {
      const entry = view.kept.pop()!;
      if (typeof entry.value !== 'string') this.shared.delete(entry.value);
      writeEntry(writer, view.db.id, entry.key, entry.value, entry.expireAt, this.recordHistory?.(entry.header));
      if (++written % this.slotsPerCheck === 0 && performance.now() >= deadline) return view.kept.length === 0;
    }
    return true;
  }

  private finishWalk(view: DatabaseView): void {
    view.walked = true;
    view.next = view.end;
    view.decided.clear();
  }

  /** An aggregate about to change in place that a kept entry still references: give the entry its own copy. */
  private unshare(value: Value | undefined): void {
    if (value === undefined || typeof value === 'string') return;
    const entry = this.shared.get(value);
    if (entry === undefined) return;
    entry.value = value.clone();
    this.shared.delete(value);
  }
}

/** Reused by every walk: where the current key's and value's bytes are (see Database.keyBytesInSlot). */
const keyBytes: ByteRange = { bytes: new Uint8Array(0), start: 0, end: 0 };
const valueBytes: ByteRange = { bytes: new Uint8Array(0), start: 0, end: 0 };

function writeEntry(
  writer: SnapshotEncoder,
  db: number,
  key: BinaryString,
  value: Value,
  expireAt: number | undefined,
  history: AccessHistory | undefined,
): void {
  if (typeof value === 'string' && writer instanceof RdbWriter) {
    // The common case, without a Buffer per key and value (garbage that costs BGSAVE's clients GC pauses).
    writer.writeStringEntry(db, key, value, expireAt ?? null, history?.idleSeconds, history?.frequency);
    return;
  }
  const entry: RdbEntry = { db, key: Buffer.from(key, 'latin1'), value: toRdbValue(value), expireAtMs: expireAt ?? null };
  if (history?.idleSeconds !== undefined) entry.lruIdleSeconds = history.idleSeconds;
  if (history?.frequency !== undefined) entry.lfuFrequency = history.frequency;
  writer.writeEntry(entry);
}
