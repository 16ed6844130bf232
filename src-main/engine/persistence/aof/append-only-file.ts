// The append only file of a node (aof.c, Redis 7 multi-part): its state (off, on, or waiting for
// the first rewrite after CONFIG SET appendonly yes), the incr file the write feed goes to,
// BGREWRITEAOF (a new base from a point-in-time snapshot with an RDB preamble, a new incr file
// started at the same instant, then the manifest swapped), automatic rewrites, and the numbers
// INFO persistence shows.
import type { Server } from '../../core/server.js';
import type { BinaryString } from '../../protocol/request-parser.js';
import { strerror } from '../../config/errors.js';
import type { AofManifest } from './aof-manifest.js';
import { DurableWriteError, TempFile, renameDurably } from '../durable-file.js';
import { timestampAnnotation } from './aof-rewrite-encoder.js';
import { writeSnapshot, writeSnapshotSync, type SnapshotOptions, type SnapshotProgress } from '../rdb/snapshot.js';
import { AofDirectory, nextSeq } from './aof-directory.js';
import { loadAppendOnlyFiles, type AofLoadResult } from './aof-load.js';
import { IncrWriter, type FsyncPolicy } from './incr-writer.js';

export type AofState = 'off' | 'on' | 'wait-rewrite';
export type RewriteOutcome = 'started' | 'already-in-progress' | 'scheduled' | 'failed';

interface Rewrite {
  startedAtSec: number;
  abort: AbortController;
  done: Promise<void>;
}

/** getTempIncrAofName: where writes go while the first rewrite after enabling the AOF runs. */
const TEMP_INCR_PREFIX = 'temp-';

const nowSec = (): number => Math.floor(Date.now() / 1000);

/** aof.c AOF_REWRITE_LIMITE_THRESHOLD and AOF_REWRITE_LIMITE_MAX_MINUTES. */
const REWRITE_LIMIT_THRESHOLD = 3;
const REWRITE_LIMIT_MAX_MINUTES = 60;

export class AppendOnlyFile {
  state: AofState;
  readonly directory: AofDirectory;
  /** BGREWRITEAOF waiting for a background save to finish (aof_rewrite_scheduled). */
  rewriteScheduled = false;
  lastRewriteOk = true;
  lastRewriteDurationSec = -1;
  rewrites = 0;
  consecutiveRewriteFailures = 0;
  /** aofRewriteLimited's state: the current back-off and when it ends (0: not limited). */
  private limitDelayMinutes = 0;
  private limitUntilSec = 0;
  /** Size of the AOF right after the last rewrite or load (aof_rewrite_base_size). */
  baseSize = 0;
  private manifest: AofManifest = { base: null, history: [], incr: [] };
  /** The last incr file number handed out (am->curr_incr_file_seq). */
  private incrSeq = 0;
  /** Bytes of the base and of incr files no longer written to (aof_current_size minus the open incr). */
  private closedFilesSize = 0;
  private writer: IncrWriter | null = null;
  private rewrite: Rewrite | null = null;
  /** The second of the last `#TS:` annotation written (server.aof_cur_timestamp). */
  private lastTimestamp = 0;
  /** The running rewrite's progress (INFO current_save_keys_*), null when none runs. */
  rewriteProgress: SnapshotProgress | null = null;

  constructor(
    private readonly server: Server,
    private readonly rdbSaveInProgress: () => boolean,
  ) {
    this.state = server.config.bool('appendonly') ? 'on' : 'off';
    this.directory = new AofDirectory(server.config);
  }

  get rewriteInProgress(): boolean {
    return this.rewrite !== null;
  }

  get currentRewriteDurationSec(): number {
    return this.rewrite ? nowSec() - this.rewrite.startedAtSec : -1;
  }

  /** aof_current_size. */
  get currentSize(): number {
    return this.closedFilesSize + (this.writer?.size ?? 0);
  }

  get bufferedBytes(): number {
    return this.writer?.bufferedBytes ?? 0;
  }

  get fsyncInProgress(): boolean {
    return this.writer?.fsyncInProgress ?? false;
  }

  get delayedFsyncs(): number {
    return this.writer?.delayedFsyncs ?? 0;
  }

  /** aof_last_write_status. */
  get lastWriteOk(): boolean {
    return this.writer?.error == null;
  }

  /** The write feed listener: every write, in order, while the AOF records. */
  readonly record = (dbIndex: number, argv: BinaryString[]): void => {
    this.writer?.append(dbIndex, argv);
  };

  /** writeCommandsDeniedByDiskError's AOF case: the MISCONF reply, or null. */
  writeError(): string | null {
    const error = this.state === 'off' ? null : this.writer?.error;
    return error ? `MISCONF Errors writing to the AOF file: ${strerror(error)}` : null;
  }

  // --- start ---------------------------------------------------------------------------------

  async loadAtStart(): Promise<AofLoadResult> {
    const result = await loadAppendOnlyFiles(this.server, this.directory);
    if (result.manifest) this.useManifest(result.manifest);
    return result;
  }

  /**
   * DEBUG LOADAOF (debug.c): the buffer written out, the dataset emptied, the manifest read again
   * from disk, history files removed, and every AOF file loaded again. The incr file being
   * appended to stays open: new writes go on after what was just loaded. A failure leaves the
   * node with what was loaded up to it, as Redis does.
   */
  async reloadForDebug(): Promise<void> {
    this.writer?.flush();
    this.server.keyspace.flushAll();
    const result = await loadAppendOnlyFiles(this.server, this.directory);
    if (result.manifest) this.useManifest(result.manifest);
    this.directory.deleteHistory(this.manifest, (line) => this.server.logger.notice(line));
  }

  private useManifest(manifest: AofManifest): void {
    this.manifest = manifest;
    // am->curr_incr_file_seq, as aofLoadManifestFromFile leaves it: the last incr file's number.
    this.incrSeq = manifest.incr.at(-1)?.seq ?? 0;
  }

  /**
   * getNewIncrAofName's ++am->curr_incr_file_seq: numbers keep rising even after every incr file
   * went to history (a rewrite with the AOF off), so a new file never reuses an old name.
   */
  private nextIncrSeq(): number {
    this.incrSeq = Math.max(this.incrSeq, ...this.manifest.incr.map((f) => f.seq)) + 1;
    return this.incrSeq;
  }

  /**
   * aofOpenIfNeededOnServerStart: a node starting with the AOF on and no AOF yet writes a base
   * of its (empty or RDB-loaded) dataset first; then it appends to the last incr file, or a new one.
   */
  openAtStart(): void {
    const log = this.server.logger;
    const directory = this.directory;
    directory.ensureExists();
    // persistAofManifest writes the manifest only when it changed (am->dirty): one that names its
    // files already stays exactly as it is, comments and unknown keys included.
    let changed = false;
    if (!this.manifest.base && this.manifest.incr.length === 0) {
      const name = directory.baseName(1, this.rdbPreamble);
      const temp = new TempFile(directory.filePath(`${TEMP_INCR_PREFIX}${name}`));
      try {
        writeSnapshotSync(this.server, (chunk) => temp.write(chunk), this.baseSnapshotOptions());
        temp.commitSync(directory.filePath(name));
      } catch (err) {
        temp.discard();
        throw err;
      }
      this.manifest.base = { fileName: name, seq: 1, type: 'b' };
      log.notice(`Creating AOF base file ${name} on server start`);
      changed = true;
    }
    const last = this.manifest.incr[this.manifest.incr.length - 1];
    if (last) {
      this.openWriter(last.fileName);
      log.notice(`Opening AOF incr file ${last.fileName} on server start`);
    } else {
      const seq = this.nextIncrSeq();
      const name = directory.incrName(seq);
      this.manifest.incr.push({ fileName: name, seq, type: 'i' });
      this.openWriter(name);
      log.notice(`Creating AOF incr file ${name} on server start`);
      changed = true;
    }
    if (changed) directory.writeManifest(this.manifest);
    this.closedFilesSize = this.sizeOfFilesExceptOpenIncr();
    this.baseSize = this.currentSize;
    directory.deleteHistory(this.manifest, (line) => log.notice(line));
  }

  // --- CONFIG SET appendonly -------------------------------------------------------------------

  /** startAppendOnly: the AOF starts with a rewrite; until it completes, writes go to a temp incr file. */
  enable(): boolean {
    if (this.state !== 'off') return true;
    const log = this.server.logger;
    this.state = 'wait-rewrite';
    if (this.rdbSaveInProgress()) {
      this.rewriteScheduled = true;
      log.warning(
        'AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.',
      );
      return true;
    }
    if (this.startRewrite() === 'failed') {
      this.state = 'off';
      log.warning(
        "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.",
      );
      return false;
    }
    return true;
  }

  /** stopAppendOnly: flush and fsync, close, forget a running rewrite. */
  disable(): void {
    if (this.state === 'off') return;
    this.closeWriter();
    this.state = 'off';
    this.rewriteScheduled = false;
    // A running rewrite's base would belong to an AOF that no longer records writes.
    this.rewrite?.abort.abort();
  }

  // --- BGREWRITEAOF ----------------------------------------------------------------------------

  /** bgrewriteaofCommand's decision, then rewriteAppendOnlyFileBackground. */
  requestRewrite(): RewriteOutcome {
    if (this.rewrite) return 'already-in-progress';
    if (this.rdbSaveInProgress()) {
      this.rewriteScheduled = true;
      this.consecutiveRewriteFailures = 0;
      return 'scheduled';
    }
    return this.startRewrite();
  }

  private startRewrite(): RewriteOutcome {
    const server = this.server;
    const log = server.logger;
    const directory = this.directory;
    try {
      directory.ensureExists();
    } catch (err) {
      log.warning(`Can't open or create append-only dir ${directory.path}: ${strerror(err)}`);
      this.lastRewriteOk = false;
      return 'failed';
    }
    // New writes go to a new incr file from this instant; the snapshot below is of this instant.
    let incrName: string | null = null;
    try {
      incrName = this.openIncrForRewrite();
    } catch (err) {
      log.warning(`Can't open the append-only file ${directory.path}: ${strerror(err)}`);
      this.lastRewriteOk = false;
      return 'failed';
    }
    this.rewrites++;
    this.rewriteScheduled = false;
    const tempName = `temp-rewriteaof-bg-${process.pid}.aof`;
    let temp: TempFile;
    try {
      // In the server directory, as Redis's child writes it (its working directory); the rename
      // moves it into the AOF directory once complete.
      temp = new TempFile(server.config.path(tempName));
    } catch (err) {
      log.warning(`Opening the temp file for AOF rewrite in rewriteAppendOnlyFile(): ${strerror(err)}`);
      this.lastRewriteOk = false;
      return 'failed';
    }
    const abort = new AbortController();
    const startedAtSec = nowSec();
    const rdbPreamble = this.rdbPreamble;
    const progress: SnapshotProgress = { keysTotal: 0, keysProcessed: 0 };
    this.rewriteProgress = progress;
    const snapshot = writeSnapshot(server, (chunk) => temp.writeInBackground(chunk), {
      ...this.baseSnapshotOptions(),
      signal: abort.signal,
      progress,
    });
    log.notice(`Background append only file rewriting started by pid ${process.pid}`);
    const done = snapshot
      .then(() => {
        log.notice(`Successfully created the temporary AOF base file ${tempName}`);
        abort.signal.throwIfAborted();
        const baseName = directory.baseName(nextSeq([this.manifest.base, ...this.manifest.history]), rdbPreamble);
        return temp.commit(directory.filePath(baseName)).then(() => {
          // Stopped while its base was being committed (the rename runs in the thread pool): like
          // a killed child's file, it is installed nowhere.
          if (abort.signal.aborted) {
            directory.remove(baseName);
            abort.signal.throwIfAborted();
          }
          return baseName;
        });
      })
      .then(
        (baseName) => this.finishRewrite(tempName, baseName, incrName),
        (err: unknown) => {
          temp.discard();
          if (abort.signal.aborted) return;
          // rewriteAppendOnlyFile's werr line, in the words of Redis's child.
          const cause = err instanceof DurableWriteError ? err.cause : err;
          log.warning(`Write error writing append only file on disk: ${strerror(cause)}`);
          log.warning('Background AOF rewrite terminated with error');
          this.lastRewriteOk = false;
          this.consecutiveRewriteFailures++;
        },
      )
      .finally(() => {
        this.lastRewriteDurationSec = nowSec() - startedAtSec;
        this.rewrite = null;
        this.rewriteProgress = null;
      });
    this.rewrite = { startedAtSec, abort, done };
    return 'started';
  }

  /** aof-use-rdb-preamble: a base is an RDB (`.base.rdb`) or RESP commands (`.base.aof`). */
  private get rdbPreamble(): boolean {
    return this.server.config.bool('aof-use-rdb-preamble');
  }

  /**
   * rewriteAppendOnlyFile: rdbSaveRio with aux aof-base 1, or rewriteAppendOnlyFileRio. The RDB
   * base records no replication position (rdbSaveRio gets a NULL rdbSaveInfo): the incr files
   * after it change the data without moving any offset, so no position in it would be true.
   */
  private baseSnapshotOptions(): SnapshotOptions {
    return this.rdbPreamble
      ? { format: 'rdb', aofBase: true, replication: null }
      : { format: 'aof-commands', timestamped: this.server.config.bool('aof-timestamp-enabled') };
  }

  /** openNewIncrAofForAppend: returns the name the incr file will have once the rewrite is done. */
  private openIncrForRewrite(): string | null {
    const directory = this.directory;
    const log = this.server.logger;
    if (this.state === 'off') return null;
    if (this.state === 'wait-rewrite') {
      const tempName = `${TEMP_INCR_PREFIX}${directory.prefix}.incr`;
      this.closeWriter();
      this.openWriter(tempName, true);
      log.notice(`Creating AOF incr file ${tempName} on background rewrite`);
      return tempName;
    }
    const seq = this.nextIncrSeq();
    const name = directory.incrName(seq);
    this.closeWriter();
    this.openWriter(name, true);
    this.manifest.incr.push({ fileName: name, seq, type: 'i' });
    directory.writeManifest(this.manifest);
    this.closedFilesSize = this.sizeOfFilesExceptOpenIncr();
    log.notice(`Creating AOF incr file ${name} on background rewrite`);
    return name;
  }

  /** backgroundRewriteDoneHandler: the new base replaces the old one and every incr but the one being written. */
  private finishRewrite(tempName: string, baseName: string, incrName: string | null): void {
    const log = this.server.logger;
    const directory = this.directory;
    log.notice('Background AOF rewrite terminated with success');
    const manifest = this.manifest;
    const baseSeq = nextSeq([manifest.base, ...manifest.history]);
    try {
      log.notice(`Successfully renamed the temporary AOF base file ${tempName} into ${baseName}`);
      if (this.state === 'wait-rewrite' && incrName) {
        const finalSeq = this.nextIncrSeq();
        const finalIncr = directory.incrName(finalSeq);
        this.writer!.fsyncNow();
        renameDurably(directory.filePath(incrName), directory.filePath(finalIncr));
        this.reopenWriterAs(finalIncr);
        manifest.incr.push({ fileName: finalIncr, seq: finalSeq, type: 'i' });
        log.notice(`Successfully renamed the temporary AOF incr file ${incrName} into ${finalIncr}`);
      }
      // Redis adds history entries at the head of its list (listAddNodeHead): the newest first,
      // which is also the order the files are removed in.
      if (manifest.base) manifest.history.unshift({ ...manifest.base, type: 'h' });
      manifest.base = { fileName: baseName, seq: baseSeq, type: 'b' };
      // markRewrittenIncrAofAsHistory: the incr file being written stays; with the AOF off none is
      // being written, and every incr file goes to history.
      const kept = this.state === 'off' ? undefined : manifest.incr.pop();
      for (const f of manifest.incr) manifest.history.unshift({ ...f, type: 'h' });
      manifest.incr = kept ? [kept] : [];
      directory.writeManifest(manifest);
    } catch (err) {
      log.warning(`Error trying to rename the temporary AOF base file ${tempName} into ${baseName}: ${strerror(err)}`);
      log.warning('Background AOF rewrite terminated with error');
      this.lastRewriteOk = false;
      this.consecutiveRewriteFailures++;
      return;
    }
    if (this.state === 'wait-rewrite') this.state = 'on';
    this.closedFilesSize = this.sizeOfFilesExceptOpenIncr();
    this.baseSize = this.currentSize;
    this.lastRewriteOk = true;
    this.consecutiveRewriteFailures = 0;
    directory.deleteHistory(manifest, (line) => log.notice(line));
    log.notice('Background AOF rewrite finished successfully');
  }

  // --- cron, shutdown --------------------------------------------------------------------------

  /** serverCron's AOF part: fsync every second, a scheduled rewrite, the automatic rewrite. */
  cron(): void {
    this.writer?.tick();
    if (this.rewrite || this.rdbSaveInProgress()) return;
    if (this.rewriteScheduled) {
      if (!this.rewriteLimited()) this.startRewrite();
      return;
    }
    const config = this.server.config;
    const percentage = config.int('auto-aof-rewrite-percentage');
    const size = this.currentSize;
    if (this.state !== 'on' || percentage === 0 || size <= config.int('auto-aof-rewrite-min-size')) return;
    const growth = Math.floor((size * 100) / (this.baseSize || 1)) - 100;
    if (growth >= percentage && !this.rewriteLimited()) {
      this.server.logger.notice(`Starting automatic rewriting of AOF on ${growth}% growth`);
      this.startRewrite();
    }
  }

  /**
   * aofRewriteLimited: after 3 rewrites in a row failed, the cron starts no rewrite (and so opens
   * no new incr file) for 1 minute, then 2, 4, ... up to 60 between tries; a success ends it.
   * BGREWRITEAOF typed by a user is never held back.
   */
  private rewriteLimited(): boolean {
    if (this.consecutiveRewriteFailures < REWRITE_LIMIT_THRESHOLD) {
      this.limitDelayMinutes = 0;
      this.limitUntilSec = 0;
      return false;
    }
    const now = Math.floor(Date.now() / 1000);
    if (this.limitUntilSec !== 0) {
      if (now < this.limitUntilSec) return true;
      this.limitUntilSec = 0;
      return false;
    }
    this.limitDelayMinutes = Math.min(this.limitDelayMinutes === 0 ? 1 : this.limitDelayMinutes * 2, REWRITE_LIMIT_MAX_MINUTES);
    this.limitUntilSec = now + this.limitDelayMinutes * 60;
    this.server.logger.warning(
      `Background AOF rewrite has repeatedly failed and triggered the limit, will retry in ${this.limitDelayMinutes} minutes`,
    );
    return true;
  }

  /**
   * finishShutdown: stop a rewrite, write and fsync what is buffered. The file stays open: if the
   * final save then fails, the node keeps running and recording (close() follows a real exit).
   */
  async shutdown(): Promise<void> {
    if (this.rewrite) {
      this.server.logger.warning('There is a child rewriting the AOF. Killing it!');
      this.rewrite.abort.abort();
      await this.rewrite.done;
    }
    if (this.writer) {
      this.server.logger.notice('Calling fsync() on the AOF file.');
      this.writer.fsyncNow();
    }
  }

  /** Closes the incr file once the node exits (a node in a worker thread must not leak the fd). */
  close(): void {
    this.closeWriter();
  }

  /**
   * genAofTimestampAnnotationIfNeeded: with aof-timestamp-enabled, a `#TS:` line before the first
   * command of each new second, so that redis-check-aof --truncate-to-timestamp can cut the file
   * at a point in time. The second last annotated is the node's, across incr files.
   */
  private timestampIfNeeded(): string | null {
    if (!this.server.config.bool('aof-timestamp-enabled')) return null;
    const now = Math.floor(Date.now() / 1000);
    if (now <= this.lastTimestamp) return null;
    this.lastTimestamp = now;
    return timestampAnnotation(now);
  }

  private openWriter(name: string, truncate = false): void {
    const path = this.directory.filePath(name);
    this.writer = new IncrWriter(
      path,
      truncate,
      () => this.server.config.str('appendfsync') as FsyncPolicy,
      (err) => {
        this.server.logger.warning(`Error writing to the AOF file: ${strerror(err)}`);
      },
      () => this.server.debugKnobs.aofFlushSleepMicros,
      () => this.timestampIfNeeded(),
    );
    this.writer.resumeAt(this.directory.fileSize(name));
  }

  private reopenWriterAs(name: string): void {
    this.closeWriter();
    this.openWriter(name);
  }

  private closeWriter(): void {
    if (!this.writer) return;
    this.writer.close();
    this.writer = null;
  }

  private sizeOfFilesExceptOpenIncr(): number {
    const files = [this.manifest.base, ...this.manifest.incr.slice(0, -1)];
    return files.reduce((sum, f) => sum + (f ? this.directory.fileSize(f.fileName) : 0), 0);
  }
}
