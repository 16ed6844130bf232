// The recent log lines of one node, for the UI's log view. The full log is the node's own node.log
// (its `logfile`); this keeps only the tail in memory, seeded from that file so that the view still
// shows the last run's lines after the lab restarts.
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { logPartsInOrder } from './log-rotation.js';

const KEPT_LINES = 1000;
/** Enough bytes for KEPT_LINES typical Redis log lines without reading a huge log whole. */
const SEED_BYTES = 128 * 1024;

export class NodeLog {
  private lines: string[];

  constructor(logFile: string) {
    // Just after a rotation node.log holds a few lines: the rest of the tail is in node.log.1.
    const parts = logPartsInOrder(logFile);
    let lines = parts.length > 0 ? readTail(parts.at(-1)!) : [];
    if (lines.length < KEPT_LINES && parts.length > 1) lines = [...readTail(parts.at(-2)!), ...lines];
    this.lines = lines.slice(-KEPT_LINES);
  }

  add(line: string): void {
    this.lines.push(line);
    // Trim in batches: one copy per KEPT_LINES/4 lines instead of a shift() per line.
    if (this.lines.length > KEPT_LINES * 1.25) this.lines = this.lines.slice(-KEPT_LINES);
  }

  /** The last `limit` lines, oldest first. */
  tail(limit: number): string[] {
    return this.lines.slice(-Math.min(limit, KEPT_LINES));
  }
}

function readTail(file: string): string[] {
  if (!existsSync(file)) return [];
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - SEED_BYTES);
    const buffer = Buffer.alloc(size - start);
    readSync(fd, buffer, 0, buffer.length, start);
    const lines = buffer
      .toString('utf8')
      .split('\n')
      .filter((line) => line.length > 0);
    // A read that starts mid-file starts mid-line: drop the partial first line.
    return start > 0 ? lines.slice(1) : lines;
  } finally {
    closeSync(fd);
  }
}
