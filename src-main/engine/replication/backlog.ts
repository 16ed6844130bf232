// The replication backlog: the most recent part of the replication stream, kept so that a replica
// that lost its link can ask for "everything after offset N" (PSYNC) instead of a full resync.
//
// Like Redis 7.0's replication buffer, the stream is stored in blocks of 16 KB (bigger when one
// write is bigger) that are only ever appended to, and the backlog is trimmed by dropping whole
// blocks from its head: it holds at least `repl-backlog-size` bytes once that much was written,
// and at most one block more. That is why INFO's repl_backlog_histlen can slightly exceed
// repl_backlog_size, exactly as with Redis.

import { copyBytes } from '../protocol/copy-bytes.js';

// networking.h PROTO_REPLY_CHUNK_BYTES: Redis's replication buffer block size.
const BLOCK_BYTES = 16 * 1024;

interface Block {
  bytes: Buffer;
  used: number;
}

export class ReplicationBacklog {
  private blocks: Block[] = [];
  /** Bytes held (repl_backlog->histlen). */
  histlen = 0;
  /** Replication offset of the first byte held (repl_backlog->offset). */
  firstByteOffset: number;

  /**
   * @param size `repl-backlog-size`
   * @param masterOffset the current replication offset: the backlog starts empty, and the first
   *   byte it will hold is the next byte of the stream.
   */
  constructor(
    private size: number,
    masterOffset: number,
  ) {
    this.firstByteOffset = masterOffset + 1;
  }

  /** The bytes of the blocks held, used or not yet (INFO mem_replication_backlog). */
  get allocatedBytes(): number {
    let bytes = 0;
    for (const block of this.blocks) bytes += block.bytes.length;
    return bytes;
  }

  /** The offset of the last byte held, i.e. the replication offset the backlog has reached. */
  get lastByteOffset(): number {
    return this.firstByteOffset + this.histlen - 1;
  }

  /** Copies data[0, length) in. */
  append(data: Buffer, length = data.length): void {
    let from = 0;
    const tail = this.blocks[this.blocks.length - 1];
    if (tail && tail.used < tail.bytes.length) {
      const n = Math.min(tail.bytes.length - tail.used, length);
      copyBytes(data, tail.bytes, tail.used, 0, n);
      tail.used += n;
      from = n;
    }
    if (from < length) {
      const bytes = Buffer.allocUnsafe(Math.max(BLOCK_BYTES, length - from));
      copyBytes(data, bytes, 0, from, length);
      this.blocks.push({ bytes, used: length - from });
    }
    this.histlen += length;
    this.trim();
  }

  /**
   * The stream held so far comes `delta` bytes later in the history than it was fed at
   * (loadDataFromDisk: the DELs a restarted master fed while loading follow its RDB's offset).
   */
  rebase(delta: number): void {
    this.firstByteOffset += delta;
  }

  /** CONFIG SET repl-backlog-size: keeps the history, trimming it if the backlog shrank. */
  resize(size: number): void {
    this.size = size;
    this.trim();
  }

  /** Whether the stream from `offset` (the first byte a replica lacks) to now is held. */
  covers(offset: number): boolean {
    return offset >= this.firstByteOffset && offset <= this.firstByteOffset + this.histlen;
  }

  /** The stream from `offset` to the end, as slices of the blocks (no copy). Requires covers(offset). */
  readFrom(offset: number): Buffer[] {
    const out: Buffer[] = [];
    let skip = offset - this.firstByteOffset;
    for (const block of this.blocks) {
      if (skip >= block.used) {
        skip -= block.used;
        continue;
      }
      out.push(block.bytes.subarray(skip, block.used));
      skip = 0;
    }
    return out;
  }

  /** Drops whole head blocks while what remains still holds at least `size` bytes. */
  private trim(): void {
    while (this.blocks.length > 1 && this.histlen - this.blocks[0]!.used >= this.size) {
      const head = this.blocks.shift()!;
      this.histlen -= head.used;
      this.firstByteOffset += head.used;
    }
  }
}
