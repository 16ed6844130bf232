// Appending the write stream to the current incr file (aof.c feedAppendOnlyFile +
// flushAppendOnlyFile), with `appendfsync`:
//   always    the command is written and fsynced before its reply can leave: a write happens in
//             the command's own call, so a client never sees OK for something not on disk;
//   everysec  commands collect in a buffer written once per event-loop turn (Redis writes in
//             beforeSleep), and fsync runs once a second in the thread pool;
//   no        like everysec, and the kernel decides when to flush.
// Each file starts with no database selected, so the first command is preceded by SELECT.
import { closeSync, fdatasync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import type { BinaryString } from '../../protocol/request-parser.js';
import { encodeCommand, encodeSelect, NO_DB } from '../../core/write-feed.js';

export type FsyncPolicy = 'always' | 'everysec' | 'no';

/** What Atomics.wait blocks on for DEBUG AOF-FLUSH-SLEEP (nothing ever notifies it). */
const SLEEP_CELL = new Int32Array(new SharedArrayBuffer(4));

export class IncrWriter {
  private fd: number;
  private selectedDb = NO_DB;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushScheduled = false;
  private fsyncRunning = false;
  private lastFsyncMs = Date.now();
  /** Bytes in the file (aof_current_size's share of this file). */
  size: number;
  /** The last write or fsync error (aof_last_write_status / aof_bio_fsync_status); null when fine. */
  error: NodeJS.ErrnoException | null = null;
  /** fsyncs postponed because the previous one was still running (aof_delayed_fsync). */
  delayedFsyncs = 0;

  constructor(
    readonly path: string,
    /** Start the file empty (a new incr file) rather than append to it. */
    truncate: boolean,
    private readonly policy: () => FsyncPolicy,
    private readonly onError: (err: NodeJS.ErrnoException) => void,
    /** DEBUG AOF-FLUSH-SLEEP: microseconds to wait before each write (a slow disk, for tests). */
    private readonly sleepBeforeWrite: () => number = () => 0,
    /** aof-timestamp-enabled: the `#TS:` line to write before the next command, if one is due. */
    private readonly timestampIfNeeded: () => string | null = () => null,
  ) {
    this.fd = openSync(path, truncate ? 'w' : 'a', 0o644);
    this.size = 0;
  }

  /** Starts size accounting from an existing file's length. */
  resumeAt(size: number): void {
    this.size = size;
  }

  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /** A write feed listener: (dbIndex, argv) in stream order; NO_DB for what belongs to no database. */
  append(dbIndex: number, argv: BinaryString[]): void {
    const timestamp = this.timestampIfNeeded();
    if (timestamp !== null) this.queue(Buffer.from(timestamp, 'latin1'));
    if (dbIndex !== NO_DB && dbIndex !== this.selectedDb) {
      this.queue(encodeSelect(dbIndex));
      this.selectedDb = dbIndex;
    }
    this.queue(encodeCommand(argv));
    if (this.policy() === 'always') {
      this.flush();
      this.fsyncNow();
    } else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes the buffer to the file (to the page cache: a kill -9 after this loses nothing). */
  flush(): void {
    this.flushScheduled = false;
    if (this.pendingBytes === 0) return;
    const sleepMicros = this.sleepBeforeWrite();
    if (sleepMicros > 0) Atomics.wait(SLEEP_CELL, 0, 0, sleepMicros / 1000);
    const data = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    try {
      for (let offset = 0; offset < data.length;) offset += writeSync(this.fd, data, offset);
    } catch (err) {
      // Keep the data: Redis retries the write on the next turn until the disk accepts it.
      this.failed(err as NodeJS.ErrnoException);
      return;
    }
    this.size += data.length;
    this.pending = [];
    this.pendingBytes = 0;
    if (this.error?.syscall === 'write') this.error = null;
  }

  /** everysec: called by the cron; fsyncs off the main thread when a second has passed. */
  tick(): void {
    if (this.policy() !== 'everysec') return;
    this.flush();
    if (Date.now() - this.lastFsyncMs < 1000) return;
    if (this.fsyncRunning) {
      this.delayedFsyncs++;
      return;
    }
    this.fsyncRunning = true;
    this.lastFsyncMs = Date.now();
    fdatasync(this.fd, (err) => {
      this.fsyncRunning = false;
      if (err) this.failed(err);
      else if (this.error && this.error.syscall !== 'write') this.error = null;
    });
  }

  get fsyncInProgress(): boolean {
    return this.fsyncRunning;
  }

  /** Flushes and fsyncs synchronously (shutdown, before a rewrite swaps files, policy always). */
  fsyncNow(): void {
    this.flush();
    try {
      fdatasyncSync(this.fd);
      this.lastFsyncMs = Date.now();
    } catch (err) {
      this.failed(err as NodeJS.ErrnoException);
    }
  }

  close(): void {
    this.fsyncNow();
    closeSync(this.fd);
  }

  private queue(data: Buffer): void {
    this.pending.push(data);
    this.pendingBytes += data.length;
  }

  private failed(err: NodeJS.ErrnoException): void {
    this.error = err;
    this.onError(err);
  }
}
