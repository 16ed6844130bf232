// Loading an RDB into a node (rdb.c rdbLoadRioWithLoadingCtx): from a file at start and for
// DEBUG RELOAD, or streamed off a replication socket.
//
// All or nothing: keys are decoded into a separate staging keyspace, and only when the whole
// input, checksum included, proved valid are the databases swapped in (Database.swapWith, which
// running snapshots and WATCH see as a flush). A corrupt or truncated input leaves the current
// dataset exactly as it was and rejects with a CorruptDataError naming the offset.
import { open, stat } from 'node:fs/promises';
import type { Server } from '../../core/server.js';
import { Keyspace } from '../../keyspace/keyspace.js';
import type { Database } from '../../keyspace/database.js';
import { withAccessHistory } from '../../keyspace/object-header.js';
import type { BinaryString } from '../../protocol/request-parser.js';
import { CorruptDataError } from '../corrupt-data.js';
import { RdbReader, type RdbLoadResult as RdbReadResult } from './rdb-reader.js';
import { encodingLimitsFrom, fromRdbValue } from '../value-adapters.js';

export interface RdbLoadResult extends RdbReadResult {
  keysLoaded: number;
  /** Keys dropped because their TTL had passed (a master does not load them). */
  keysExpired: number;
}

export interface RdbLoaderOptions {
  /** Names the input in log lines and errors (a file path, "the master"...). */
  source: string;
  /** Bytes expected, for INFO's loading progress; 0 when unknown. */
  totalBytes?: number;
  /** The RDB preamble of an AOF: expired keys are kept, the AOF's own DELs follow (RDBFLAGS_AOF_PREAMBLE). */
  aofPreamble?: boolean;
  /**
   * Parsed while the node keeps serving its current dataset (a replica receiving its master's RDB
   * with repl-diskless-load disabled): the node is not marked as loading, since nothing waits for
   * this load until its end, where the staged dataset is swapped in at once.
   */
  inBackground?: boolean;
  /**
   * Called for each key a master drops because its TTL passed while the file was on disk
   * (rdbLoadRioWithLoadingCtx with RDBFLAGS_FEED_REPL): a master restarted from its own RDB puts
   * a DEL for it in its replication stream, so that its replicas, which still hold the key,
   * delete it too.
   */
  onExpired?: (dbIndex: number, key: BinaryString) => void;
  /**
   * DEBUG RELOAD NOFLUSH: add the file's keys to the current dataset instead of replacing it.
   * 'replace' (with MERGE, RDBFLAGS_ALLOW_DUP): a key in both takes the file's value; 'refuse':
   * a key in both throws DuplicateKeyError (Redis panics: "Duplicated key found in RDB file").
   */
  mergeDuplicates?: 'replace' | 'refuse';
}

/** A key of the file that the dataset it was merged into already holds (mergeDuplicates 'refuse'). */
export class DuplicateKeyError extends Error {
  constructor(
    readonly key: BinaryString,
    readonly dbIndex: number,
  ) {
    super(`RDB has duplicated key '${key}' in DB ${dbIndex}`);
  }
}

export interface RdbLoader {
  push(chunk: Buffer): void;
  end(): Promise<RdbLoadResult>;
  /** Gives up (the input broke off): nothing is swapped in. */
  abort(): void;
  /** The RDB's EOF and checksum have been read. */
  readonly complete: boolean;
  /** Bytes pushed after the RDB's end (an AOF's commands after its RDB preamble). */
  remainder(): Buffer;
}

export function createRdbLoader(server: Server, options: RdbLoaderOptions): RdbLoader {
  const load = new StagedLoad(server, options);
  return {
    push: (chunk) => load.push(chunk),
    end: async () => load.finish(),
    abort: () => load.abort(),
    get complete() {
      return load.reader.done;
    },
    remainder: () => load.reader.remainder(),
  };
}

/** Loads a whole RDB held in memory, synchronously (DEBUG RELOAD, like Redis, blocks meanwhile). */
export function loadRdbBufferSync(server: Server, data: Buffer, options: RdbLoaderOptions): RdbLoadResult {
  const load = new StagedLoad(server, { totalBytes: data.length, ...options });
  load.push(data);
  return load.finish();
}

/**
 * key-load-delay (rdbLoadRio's debugDelay): microseconds to sleep after each key read, a negative
 * -n meaning 1 microsecond one time in n. Like Redis, the node is blocked meanwhile, between the
 * turns it takes to serve clients (every loading-process-events-interval-bytes, see loadRdbFile).
 */
function keyLoadPause(micros: number): (() => void) | null {
  if (micros === 0) return null;
  return () => {
    if (micros < 0 && Math.random() * -micros >= 1) return;
    Atomics.wait(PAUSE_CELL, 0, 0, Math.max(micros, 1) / 1000);
  };
}

/** What Atomics.wait blocks on for key-load-delay (nothing ever notifies it). */
const PAUSE_CELL = new Int32Array(new SharedArrayBuffer(4));

class StagedLoad {
  private readonly loading: ReturnType<Server['loading']['begin']>;
  private readonly staging: Keyspace;
  readonly reader: RdbReader;
  private keysLoaded = 0;
  private keysExpired = 0;
  private failure: unknown = null;

  constructor(
    private readonly server: Server,
    private readonly options: RdbLoaderOptions,
  ) {
    this.loading = options.inBackground
      ? { progress: { startedAtMs: Date.now(), totalBytes: 0, loadedBytes: 0, rdbUsedMemory: 0 }, end: () => {} }
      : server.loading.begin(options.totalBytes ?? 0);
    this.staging = new Keyspace(server.keyspace.dbs.length);
    // Loaded keys get the headers of the policy in force (an LFU counter, not an LRU clock).
    this.staging.lfu = server.keyspace.lfu;
    const limits = encodingLimitsFrom(server.config);
    // A replica keeps expired keys: its master's DEL removes them (Redis checks iAmMaster()).
    const keepExpired = server.keyspace.isReplica || options.aofPreamble === true;
    const now = Date.now();
    const pause = keyLoadPause(server.config.int('key-load-delay'));
    this.reader = new RdbReader(
      (entry) => {
        pause?.();
        const key = entry.key.latin1Slice(0, entry.key.length);
        if (!keepExpired && entry.expireAtMs !== null && entry.expireAtMs < now) {
          this.keysExpired++;
          options.onExpired?.(entry.db, key);
          return;
        }
        const db = this.staging.dbs[entry.db]!;
        // A duplicate shows as a set that did not add a key: one hash lookup per key, not two
        // (the lookups into a table of millions of keys are most of the load time).
        const sizeBefore = db.size;
        db.set(key, fromRdbValue(entry.value, limits), entry.expireAtMs ?? undefined);
        if (db.size === sizeBefore) throw new CorruptDataError(`RDB has duplicated key '${key}' in DB ${entry.db}`);
        if (entry.lruIdleSeconds !== undefined || entry.lfuFrequency !== undefined) {
          this.applyAccessHistory(db, key, entry.lruIdleSeconds, entry.lfuFrequency);
        }
        this.keysLoaded++;
      },
      {
        databases: server.keyspace.dbs.length,
        verifyChecksum: server.config.bool('rdbchecksum') && !server.debugKnobs.skipChecksumValidation,
        // Plain strings, most keys of most datasets, come as binary strings: no Buffers to copy.
        onStringEntry: (dbIndex, key, value, expireAtMs, lruIdleSeconds, lfuFrequency) => {
          pause?.();
          if (!keepExpired && expireAtMs !== null && expireAtMs < now) {
            this.keysExpired++;
            options.onExpired?.(dbIndex, key);
            return;
          }
          const db = this.staging.dbs[dbIndex]!;
          const sizeBefore = db.size;
          db.set(key, value, expireAtMs ?? undefined);
          if (db.size === sizeBefore) throw new CorruptDataError(`RDB has duplicated key '${key}' in DB ${dbIndex}`);
          if (lruIdleSeconds !== undefined || lfuFrequency !== undefined) this.applyAccessHistory(db, key, lruIdleSeconds, lfuFrequency);
          this.keysLoaded++;
        },
      },
    );
  }

  /**
   * rdbLoad's objectSetLRUOrLFU: a key saved by a server tracking idle times or frequencies (the
   * file's IDLE / FREQ opcodes) keeps them when this node's policy tracks the same.
   */
  private applyAccessHistory(db: Database, key: BinaryString, idleSeconds: number | undefined, frequency: number | undefined): void {
    db.setObjectHeader(key, withAccessHistory(db.objectHeader(key)!, this.staging.lfu, { idleSeconds, frequency }));
  }

  push(chunk: Buffer): void {
    if (this.failure !== null) throw this.failure;
    try {
      this.reader.push(chunk);
    } catch (err) {
      this.fail(err);
    }
    this.loading.progress.loadedBytes += chunk.length;
  }

  /**
   * With sanitize-dump-payload yes, Redis sanitizes (and counts in INFO dump_payload_sanitizations)
   * the encodings of the files it loads too; `clients` and `no` skip them while loading.
   */
  private countSanitizations(): void {
    if (this.server.config.str('sanitize-dump-payload') === 'yes') this.server.stats.dumpPayloadSanitizations += this.reader.blobsChecked;
  }

  finish(): RdbLoadResult {
    if (this.failure !== null) throw this.failure;
    let read: RdbReadResult;
    try {
      read = this.reader.end();
    } catch (err) {
      this.countSanitizations();
      return this.fail(err);
    }
    this.countSanitizations();
    const server = this.server;
    logAuxFields(server, read);
    try {
      if (this.options.mergeDuplicates) this.mergeStaged(this.options.mergeDuplicates);
      else {
        for (const db of server.keyspace.dbs) db.swapWith(this.staging.dbs[db.id]!);
        // emptyData's signalFlushedDb: what clients cached is gone.
        server.keyspace.onFlushed();
      }
      // rdbFunctionLoad: the file's libraries replace the node's.
      const failed = server.functionLibraries.replaceAll(read.functionLibraries.map((code) => code.toString('latin1')));
      if (failed !== null) server.logger.warning(`Failed loading library, ${failed}`);
    } finally {
      this.loading.end();
    }
    server.logger.notice(`Done loading RDB, keys loaded: ${this.keysLoaded}, keys expired: ${this.keysExpired}.`);
    return { ...read, keysLoaded: this.keysLoaded, keysExpired: this.keysExpired };
  }

  /** Moves the staged keys into the live dataset, one by one (DEBUG RELOAD NOFLUSH). */
  private mergeStaged(duplicates: 'replace' | 'refuse'): void {
    for (const db of this.server.keyspace.dbs) {
      for (const [key, value, expireAt] of this.staging.dbs[db.id]!.entries()) {
        if (duplicates === 'refuse' && db.peek(key) !== undefined) throw new DuplicateKeyError(key, db.id);
        db.set(key, value, expireAt);
      }
    }
  }

  abort(): void {
    this.failure ??= new Error('loading aborted');
    this.loading.end();
  }

  private fail(err: unknown): never {
    // Redis logs these as it reads them, so they come before the error whatever it is.
    if (this.failure === null) logAuxFields(this.server, { aux: this.reader.aux });
    this.failure = err;
    this.loading.end();
    throw err;
  }
}

/** Loads an RDB file, reading it in large pieces so the node keeps answering (-LOADING) meanwhile. */
export async function loadRdbFile(
  server: Server,
  path: string,
  options: Omit<RdbLoaderOptions, 'source' | 'totalBytes'> = {},
): Promise<RdbLoadResult> {
  const { size } = await stat(path);
  const loader = createRdbLoader(server, { ...options, source: path, totalBytes: size });
  const file = await open(path, 'r');
  try {
    // The next chunk is read in the thread pool while this one is parsed (reads were 5% of a
    // load's time when they took turns).
    const readSize = 4 << 20;
    let position = 0;
    const readAt = (at: number) => file.read(Buffer.allocUnsafe(readSize), 0, readSize, at);
    let next = readAt(position);
    try {
      for (;;) {
        const { bytesRead, buffer } = await next;
        if (bytesRead === 0) break;
        position += bytesRead;
        next = readAt(position);
        // Clients get a turn (-LOADING, INFO) every loading-process-events-interval-bytes, as
        // Redis's loading processes events while it reads.
        const interval = server.config.int('loading-process-events-interval-bytes');
        for (let at = 0; at < bytesRead; at += interval) {
          if (at > 0) await new Promise((resolve) => setImmediate(resolve));
          loader.push(buffer.subarray(at, Math.min(at + interval, bytesRead)));
        }
      }
    } catch (err) {
      next.catch(() => {}); // the read ahead of a chunk that failed to parse: nobody wants it now
      throw err;
    }
  } catch (err) {
    loader.abort();
    throw err;
  } finally {
    await file.close();
  }
  return loader.end();
}

/** The notices rdbLoadRioWithLoadingCtx logs while reading the aux fields. */
function logAuxFields(server: Server, read: Pick<RdbReadResult, 'aux'>): void {
  const aux = read.aux;
  const version = aux.get('redis-ver');
  if (version !== undefined) server.logger.notice(`Loading RDB produced by version ${version}`);
  const ctime = aux.get('ctime');
  if (ctime !== undefined) {
    const age = Math.floor(Date.now() / 1000) - Number(ctime);
    // Redis prints a negative age as "RDB age -N seconds" too (clock skew between hosts).
    server.logger.notice(`RDB age ${age} seconds`);
  }
  const usedMem = aux.get('used-mem');
  if (usedMem !== undefined) server.logger.notice(`RDB memory usage when created ${(Number(usedMem) / 1024 / 1024).toFixed(2)} Mb`);
  if (aux.get('aof-base') === '1') server.logger.notice('RDB is base AOF');
}

/** server.loading_process_events_interval_bytes (config.c's default, 2 MB). */
const LOADING_PROCESS_EVENTS_INTERVAL_BYTES = 2 * 1024 * 1024;

/**
 * The warnings redis-server logs when an RDB file cannot be loaded (rdbLoadRioWithLoadingCtx and
 * rdbReportError), before "Terminating server after rdb file reading failure.": the checksum or
 * short-read warning if there is one, then "Internal error in RDB reading offset N, function at
 * rdb.c:L -> reason". N is not where the problem is but server.loading_loaded_bytes, which the
 * loading progress callback only moves each time the reads cross another 2 MB: 0 for a smaller
 * file, and otherwise the last such mark (redis-server's N is the start of the read that crossed
 * it, a few bytes lower at most). The exact offset is in the error for those who need it.
 */
export function describeLoadFailure(err: unknown): string[] {
  if (err instanceof CorruptDataError) {
    const { preface, reason, redisLine, errno } = err.report;
    if (errno !== undefined) return [reason, `Fatal error loading the DB: ${errno}. Exiting.`];
    const progress = Math.floor((err.offset ?? 0) / LOADING_PROCESS_EVENTS_INTERVAL_BYTES) * LOADING_PROCESS_EVENTS_INTERVAL_BYTES;
    const line = `Internal error in RDB reading offset ${progress}, function at rdb.c:${redisLine} -> ${reason}`;
    return preface ? [preface, line] : [line];
  }
  return [`Fatal error loading the DB: ${(err as Error).message}. Exiting.`];
}

/**
 * The one line of ours beside Redis's: Redis's own lines give the loading progress, not where
 * the damage is, and no file name (redis-check-rdb's report, which does, is not in the log);
 * this names both, so whoever reads the log can find the bytes.
 */
export function describeDamagedFile(path: string, err: CorruptDataError): string {
  const where = err.offset === null ? '' : ` at byte offset ${err.offset}`;
  return `Damaged RDB file ${path}${where}: ${err.report.reason} (the file is left unchanged)`;
}

/**
 * The same failure during DEBUG RELOAD, which runs in a client's context: there rdbReportError
 * logs its line at verbose level only and returns (as for RESTORE), so what is left at warning
 * level is the checksum or header warning, or else the "Short read" line of the eoferr label the
 * load falls through to.
 */
export function describeReloadFailure(err: unknown): Array<{ verbose: boolean; text: string }> {
  if (!(err instanceof CorruptDataError)) return [{ verbose: false, text: `Fatal error loading the DB: ${(err as Error).message}.` }];
  const { reason, preface, errno } = err.report;
  if (errno !== undefined) return [{ verbose: false, text: reason }];
  const [line] = describeLoadFailure(err).slice(-1);
  return [
    { verbose: false, text: preface ?? 'Short read or OOM loading DB. Unrecoverable error, aborting now.' },
    { verbose: true, text: line! },
  ];
}
