// Writing a file so that a crash at any moment leaves either the old file or the complete new
// one (rdb.c rdbSave): write a temp file in the same directory, fsync it, rename it over the
// target, then fsync the directory so the rename itself is durable (fsyncFileDir).
//
// A blocking save (SAVE, shutdown) writes with writeSync. A background save writes each chunk at
// its own offset in the thread pool (writeInBackground): a writeSync can stall for tens of
// milliseconds when the kernel throttles a process with many dirty pages, and that stall would
// be every client's; Redis's fork keeps it in the child.
import { close, closeSync, fsync, fsyncSync, open, openSync, rename, renameSync, unlinkSync, write, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

const fsyncAsync = promisify(fsync);
const writeAsync = promisify(write);
const renameAsync = promisify(rename);
const openAsync = promisify(open);
const closeAsync = promisify(close);

/** A failed step, named like the err_op Redis logs. */
export class DurableWriteError extends Error {
  constructor(
    readonly step: 'open' | 'write' | 'fsync' | 'rename' | 'fsyncFileDir',
    override readonly cause: NodeJS.ErrnoException,
  ) {
    super(`${step}: ${cause.message}`);
    this.name = 'DurableWriteError';
  }
}

export class TempFile {
  private fd: number | null;

  /** Creates (truncating) `path`. Throws DurableWriteError('open'). */
  constructor(readonly path: string) {
    this.fd = step('open', () => openSync(path, 'w', 0o644));
  }

  /** Bytes handed to write() or writeInBackground() so far: where the next chunk goes. */
  private size = 0;

  write(chunk: Uint8Array): void {
    const fd = this.fd!;
    step('write', () => {
      for (let offset = 0; offset < chunk.length;) offset += writeSync(fd, chunk, offset);
    });
    this.size += chunk.length;
  }

  /**
   * Writes `chunk` after everything handed over before it, in the thread pool. Several may be in
   * flight (each has its own position); commit() must follow only once all have resolved.
   */
  async writeInBackground(chunk: Uint8Array): Promise<void> {
    const fd = this.fd!;
    const position = this.size;
    this.size += chunk.length;
    try {
      for (let offset = 0; offset < chunk.length;) {
        const { bytesWritten } = await writeAsync(fd, chunk, offset, chunk.length - offset, position + offset);
        offset += bytesWritten;
      }
    } catch (err) {
      throw new DurableWriteError('write', err as NodeJS.ErrnoException);
    }
  }

  /** fsync, close, rename over `target`, fsync the directory: blocking (SAVE, shutdown). */
  commitSync(target: string): void {
    step('fsync', () => fsyncSync(this.fd!));
    this.close();
    this.rename(target);
    fsyncDirectory(target);
  }

  /**
   * The same off the main thread (BGSAVE, AOF rewrite), as Redis's child does all of it: renaming
   * over a large old file frees its blocks, which took 8-9 ms here for a 31 MB dump, and every
   * client would wait for it.
   */
  async commit(target: string): Promise<void> {
    await stepAsync('fsync', () => fsyncAsync(this.fd!));
    this.close();
    await stepAsync('rename', () => renameAsync(this.path, target));
    await stepAsync('fsyncFileDir', async () => {
      const dir = await openAsync(dirname(target), 'r');
      try {
        await fsyncAsync(dir);
      } finally {
        await closeAsync(dir);
      }
    });
  }

  /** Closes and deletes the temp file (after a failure or an abort); never throws. */
  discard(): void {
    this.close();
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone.
    }
  }

  private close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      closeSync(fd);
    } catch {
      // Data was already fsynced (or is being discarded).
    }
  }

  private rename(target: string): void {
    step('rename', () => renameSync(this.path, target));
  }
}

/** fsyncFileDir: makes a rename or a new file in `file`'s directory durable. */
export function fsyncDirectory(file: string): void {
  step('fsyncFileDir', () => {
    const fd = openSync(dirname(file), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  });
}

async function stepAsync<T>(name: DurableWriteError['step'], action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    throw new DurableWriteError(name, err as NodeJS.ErrnoException);
  }
}

function step<T>(name: DurableWriteError['step'], action: () => T): T {
  try {
    return action();
  } catch (err) {
    throw new DurableWriteError(name, err as NodeJS.ErrnoException);
  }
}

/** rename + fsyncFileDir, for files that are already complete and fsynced. */
export function renameDurably(from: string, to: string): void {
  step('rename', () => renameSync(from, to));
  fsyncDirectory(to);
}
