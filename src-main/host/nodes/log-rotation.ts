// Keeps a node's log bounded on disk: when node.log passes a size it becomes node.log.1, the older
// parts move up (node.log.1 -> node.log.2 ...) and the oldest beyond the kept count is deleted, as
// logrotate would do it for redis-server. The node itself knows nothing of this: like redis-server,
// the engine opens its `logfile` for every line it appends, so after a rename its next line simply
// creates a new node.log, and a line is never split or lost (an append lands either in the file
// before the rename or in the new one after it).
//
// The host rotates as the node's lines reach it (the worker has already appended each one), so the
// size is counted from those lines instead of a stat per line; a stat confirms it before rotating.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface LogRotationOptions {
  /** node.log is rotated once it holds at least this many bytes. */
  maxBytes: number;
  /** How many rotated parts (node.log.1 … node.log.N) are kept; older ones are deleted. */
  keep: number;
}

/** 10 MB × (1 + 5) parts: a verbose day of a busy node fits, and 60 MB per node at most. */
export const DEFAULT_LOG_ROTATION: LogRotationOptions = { maxBytes: 10 * 1024 * 1024, keep: 5 };

export class LogRotator {
  private size: number;

  constructor(
    private readonly file: string,
    private readonly options: LogRotationOptions,
  ) {
    this.size = existsSync(file) ? statSync(file).size : 0;
  }

  /** A line the node has appended to its log. */
  written(line: string): void {
    this.size += Buffer.byteLength(line) + 1;
    if (this.size < this.options.maxBytes) return;
    // Lines written by someone else (a CLI node on the same file) or a file replaced by the user:
    // trust the file's own size.
    this.size = existsSync(this.file) ? statSync(this.file).size : 0;
    if (this.size < this.options.maxBytes) return;
    try {
      this.rotate();
    } finally {
      // After a failed rotation, the next try comes another maxBytes later, not on every line.
      this.size = 0;
    }
  }

  /** node.log -> node.log.1, each node.log.i -> node.log.(i+1), dropping what passes `keep`. */
  rotate(): void {
    const { keep } = this.options;
    for (const part of rotatedLogParts(this.file)) if (part.index >= keep) rmSync(part.path, { force: true });
    for (let i = keep - 1; i >= 1; i--) {
      const from = `${this.file}.${i}`;
      if (existsSync(from)) renameSync(from, `${this.file}.${i + 1}`);
    }
    if (keep > 0 && existsSync(this.file)) renameSync(this.file, `${this.file}.1`);
    else rmSync(this.file, { force: true });
  }
}

/** The rotated parts of `file` that exist (file.1, file.2, …), newest first. */
export function rotatedLogParts(file: string): Array<{ index: number; path: string }> {
  const dir = dirname(file);
  if (!existsSync(dir)) return [];
  const prefix = `${basename(file)}.`;
  return readdirSync(dir)
    .filter((name) => name.startsWith(prefix) && /^[1-9][0-9]*$/.test(name.slice(prefix.length)))
    .map((name) => ({ index: Number(name.slice(prefix.length)), path: join(dir, name) }))
    .sort((a, b) => a.index - b.index);
}

/** Every part of a log, oldest first, ending with the file being written: reading them in this order reads the whole log. */
export function logPartsInOrder(file: string): string[] {
  const parts = rotatedLogParts(file)
    .reverse()
    .map((part) => part.path);
  return existsSync(file) ? [...parts, file] : parts;
}
