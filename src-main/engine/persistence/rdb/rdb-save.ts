// Saving the dataset to `dir`/`dbfilename` (rdb.c rdbSave / rdbSaveBackground /
// backgroundSaveDoneHandlerDisk and serverCron's save points), with the state INFO persistence,
// LASTSAVE and MISCONF read.
//
// SAVE blocks the node while it serialises, exactly like Redis's SAVE. BGSAVE runs a
// point-in-time snapshot (snapshot.ts) in slices while clients keep being served; where Redis
// logs its child's pid we log our own, since the "child" is a task inside this process.
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from '../../core/server.js';
import { strerror } from '../../config/errors.js';
import { DurableWriteError, TempFile } from '../durable-file.js';
import { writeSnapshot, writeSnapshotSync, type ReplicationAux, type SnapshotProgress } from './snapshot.js';

/** CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE, save points wait this long before retrying. */
const BGSAVE_RETRY_DELAY_SEC = 5;

type SaveKind = 'foreground' | 'background';

/**
 * rdbSave names its temp file after the saving process: the server's pid for SAVE, the child's
 * for BGSAVE. Our background save runs in the server process, so it gets a name of its own: a
 * stopped BGSAVE's last steps (its rename runs in the thread pool) can then never touch the file
 * of the SAVE that FLUSHALL starts right after stopping it.
 */
function tempName(kind: SaveKind): string {
  return kind === 'foreground' ? `temp-${process.pid}.rdb` : `temp-bgsave-${process.pid}.rdb`;
}

export type BgsaveOutcome = 'started' | 'already-in-progress';

interface BackgroundSave {
  startedAtSec: number;
  abort: AbortController;
  done: Promise<boolean>;
}

const nowSec = (): number => Math.floor(Date.now() / 1000);

export class RdbSaves {
  /** LASTSAVE: the last successful save (server start until then, as in Redis). */
  lastSaveTime = nowSec();
  lastBgsaveOk = true;
  /** Duration of the last background save, -1 before the first. */
  lastBgsaveDurationSec = -1;
  /**
   * rdb_saves: SAVE and BGSAVE attempts (saveCommand and rdbSaveBackground count them; the
   * foreground saves of FLUSHALL, DEBUG RELOAD and shutdown are not counted).
   */
  saves = 0;
  /** BGSAVE SCHEDULE (or a BGSAVE inside MULTI) waiting for the running background job. */
  scheduled = false;
  /** Keys loaded / expired by the last RDB load (INFO rdb_last_load_keys_*). */
  lastLoad = { keysLoaded: 0, keysExpired: 0 };
  private lastBgsaveTry = 0;
  private background: BackgroundSave | null = null;
  /** The running BGSAVE's progress (INFO current_save_keys_*), null when none runs. */
  progress: SnapshotProgress | null = null;

  constructor(
    private readonly server: Server,
    /** The replication aux fields to record, or null (rdbPopulateSaveInfo). */
    private readonly replicationAux: () => ReplicationAux | null,
    /** Another background job (an AOF rewrite) holds the "child" slot. */
    private readonly otherJobActive: () => boolean,
  ) {}

  get inProgress(): boolean {
    return this.background !== null;
  }

  /** Seconds the running background save has taken so far, -1 when none runs. */
  get currentDurationSec(): number {
    return this.background ? nowSec() - this.background.startedAtSec : -1;
  }

  get filePath(): string {
    return this.server.config.path(this.server.config.str('dbfilename'));
  }

  /** writeCommandsDeniedByDiskError's RDB case: writes are refused with MISCONF. */
  get deniesWrites(): boolean {
    const config = this.server.config;
    return !this.lastBgsaveOk && config.bool('stop-writes-on-bgsave-error') && config.savePoints().length > 0;
  }

  /** rdbSave: serialises in the foreground; false after logging the failure. */
  saveSync(): boolean {
    const server = this.server;
    const temp = this.openTemp('foreground');
    if (!temp) return false;
    try {
      writeSnapshotSync(server, (chunk) => temp.write(chunk), { replication: this.replicationAux() });
      temp.commitSync(this.filePath);
    } catch (err) {
      this.logWriteError(err, 'foreground');
      temp.discard();
      return false;
    }
    server.logger.notice('DB saved on disk');
    server.keyspace.dirty = 0;
    this.lastSaveTime = nowSec();
    this.lastBgsaveOk = true;
    return true;
  }

  /**
   * BGSAVE (rdbSaveBackground). The caller checks scheduling rules first (bgsaveCommand: not while an AOF rewrite runs).
   * Every failure, even opening the temp file, is reported later by the background job, as
   * Redis's child reports it: the command has already answered "Background saving started".
   */
  startBackground(): BgsaveOutcome {
    if (this.background) return 'already-in-progress';
    const server = this.server;
    this.saves++;
    this.lastBgsaveTry = nowSec();
    const dirtyBefore = server.keyspace.dirty;
    const abort = new AbortController();
    const startedAtSec = nowSec();
    server.logger.notice(`Background saving started by pid ${process.pid}`);
    const done = this.saveInBackground(abort.signal)
      .then((saved) => {
        if (saved) {
          server.logger.notice('Background saving terminated with success');
          // Changes made while the snapshot was written are not in it (backgroundSaveDoneHandlerDisk).
          server.keyspace.dirty -= dirtyBefore;
          this.lastSaveTime = nowSec();
          this.lastBgsaveOk = true;
        } else if (abort.signal.aborted) {
          server.logger.warning('Background saving terminated: stopped before completion');
        } else {
          server.logger.warning('Background saving error');
          this.lastBgsaveOk = false;
        }
        return saved;
      })
      .finally(() => {
        this.lastBgsaveDurationSec = nowSec() - startedAtSec;
        this.background = null;
        this.progress = null;
      });
    this.background = { startedAtSec, abort, done };
    return 'started';
  }

  /** The "child" of a BGSAVE: rdbSave into the temp file, then rename; false after logging why not. */
  private async saveInBackground(signal: AbortSignal): Promise<boolean> {
    const temp = this.openTemp('background');
    if (!temp) return false;
    const progress: SnapshotProgress = { keysTotal: 0, keysProcessed: 0 };
    this.progress = progress;
    try {
      // The view is taken in this same tick as the command: the point in time of BGSAVE.
      await writeSnapshot(this.server, (chunk) => temp.writeInBackground(chunk), { replication: this.replicationAux(), signal, progress });
      await temp.commit(this.filePath);
    } catch (err) {
      temp.discard();
      if (!signal.aborted) this.logWriteError(err, 'background');
      return false;
    }
    this.server.logger.notice('DB saved on disk');
    return true;
  }

  /** Waits for the running background save, if any; true when it succeeded (or none ran). */
  async waitForBackground(): Promise<boolean> {
    return this.background ? this.background.done : true;
  }

  /**
   * killRDBChild: stops the running background save. Its temp file is removed at once, so a
   * foreground save right after (FLUSHALL) writes a new file under the same name while writes
   * of the stopped job still in flight land in the unlinked one. The job settles a moment later
   * (rdb_bgsave_in_progress stays 1 until then, as Redis reaps its killed child later).
   */
  killBackground(): void {
    if (!this.background) return;
    this.background.abort.abort();
    try {
      unlinkSync(join(this.server.config.str('dir'), tempName('background')));
    } catch {
      // Not created yet, or already gone.
    }
  }

  /** killBackground, then waits until the stopped job has settled. */
  async abortBackground(): Promise<void> {
    if (!this.background) return;
    this.killBackground();
    await this.background.done;
  }

  /**
   * flushAllDataAndResetRDB, after FLUSHALL emptied the dataset: a running background save (of
   * data that no longer exists) is stopped, and with save points configured the empty dataset is
   * saved at once, so a restart does not bring the flushed keys back.
   */
  afterFlushAll(): void {
    this.killBackground();
    if (this.server.config.savePoints().length > 0) this.saveSync();
  }

  /**
   * serverCron's part: a scheduled BGSAVE once nothing else runs, then the `save` points
   * ("<changes> changes in <seconds> seconds. Saving...").
   */
  cron(): void {
    if (this.background || this.otherJobActive()) return;
    const now = nowSec();
    const mayRetry = this.lastBgsaveOk || now - this.lastBgsaveTry > BGSAVE_RETRY_DELAY_SEC;
    if (this.scheduled && mayRetry) {
      if (this.startBackground() === 'started') this.scheduled = false;
      return;
    }
    const dirty = this.server.keyspace.dirty;
    for (const point of this.server.config.savePoints()) {
      if (dirty >= point.changes && now - this.lastSaveTime > point.seconds && mayRetry) {
        this.server.logger.notice(`${point.changes} changes in ${point.seconds} seconds. Saving...`);
        this.startBackground();
        return;
      }
    }
  }

  private openTemp(kind: SaveKind): TempFile | null {
    const dir = this.server.config.str('dir');
    try {
      return new TempFile(join(dir, tempName(kind)));
    } catch (err) {
      const cause = err instanceof DurableWriteError ? err.cause : err;
      this.server.logger.warning(
        `Failed opening the temp RDB file ${tempName(kind)} (in server root dir ${dir}) for saving: ${strerror(cause)}`,
      );
      return null;
    }
  }

  private logWriteError(err: unknown, kind: SaveKind): void {
    const dir = this.server.config.str('dir');
    if (err instanceof DurableWriteError && err.step === 'rename') {
      this.server.logger.warning(
        `Error moving temp DB file ${tempName(kind)} on the final destination ${this.filePath} (in server root dir ${dir}): ${strerror(err.cause)}`,
      );
      return;
    }
    const cause = err instanceof DurableWriteError ? err.cause : err;
    this.server.logger.warning(`Write error saving DB on disk(${saveStepName(err)}): ${strerror(cause)}`);
  }
}

/**
 * rdbSave's err_op for the failed step. Our writes go straight to the file, so a failed write
 * is reported where Redis's unbuffered part would fail, inside rdbSaveRio.
 */
function saveStepName(err: unknown): string {
  return err instanceof DurableWriteError && err.step !== 'write' ? err.step : 'rdbSaveRio';
}
