// Receiving the RDB of a full sync (readSyncBulkPayload). The master announces it with one line:
//
//   $<len>\r\n            followed by exactly len bytes (disk-based sync), or
//   $EOF:<40 chars>\r\n   followed by the RDB and then the same 40 chars (diskless sync), where
//                         the end can only be recognised by those last 40 bytes.
//
// Before that line the master may send bare newlines to keep the link alive while it prepares
// the RDB; they are not part of anything.
//
// In every mode the bytes are parsed as they arrive, into a staging dataset that replaces the
// current one at the end (persistence/rdb/rdb-load.ts), so that decoding the RDB overlaps with the master
// producing and sending it instead of following it: for a large dataset that halves the time
// from REPLICAOF to a synchronized replica.
//
// With repl-diskless-load disabled (the default) the bytes also go to a temp file in `dir` that
// becomes the node's RDB file once complete, and the replica keeps serving its old data during
// the transfer (the node is not "loading"), exactly like Redis, which only reads the file after
// the transfer. The difference is memory: the old and the new dataset live together until the
// swap, as with Redis's swapdb. Otherwise (on-empty-db, swapdb) nothing is written to disk.
import { closeSync, ftruncateSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import type { Server } from '../core/server.js';
import { createRdbLoader, type RdbLoader, type RdbLoadResult } from '../persistence/rdb/rdb-load.js';

// CONFIG_RUN_ID_SIZE: the EOF mark is as long as a run id.
const EOF_MARK_SIZE = 40;

/** Thrown (as the transfer's failure) with Redis's log text. */
export class SyncError extends Error {}

export class RdbDownload {
  /** Announced size (repl_transfer_size): -1 before the header, 0 with an EOF mark. */
  size = -1;
  /** Payload bytes received so far (repl_transfer_read). */
  read = 0;
  /** Last time bytes arrived, ms (repl_transfer_lastio): for repl-timeout. */
  lastIo = Date.now();
  /** True once the whole payload is in and it is being loaded. */
  loading = false;
  private header = '';
  private eofMark: Buffer | null = null;
  /** The last bytes received, to recognise the EOF mark when it is split across reads. */
  private tail = Buffer.alloc(0);
  /** Also received into the RDB file (repl-diskless-load disabled), or only parsed off the socket. */
  readonly toDisk: boolean;
  /** The temp file (fd null once complete and closed). */
  private file: { fd: number | null; path: string } | null = null;
  private loader: RdbLoader | null = null;
  /** Streamed parse with an EOF mark: the last bytes, which may be the mark, wait for more. */
  private heldBack = Buffer.alloc(0);

  constructor(
    private readonly server: Server,
    private readonly source: string,
  ) {
    // useDisklessLoad: "swapdb" always parses the socket, "on-empty-db" only into an empty node.
    const mode = server.config.str('repl-diskless-load');
    this.toDisk = mode === 'disabled' || (mode === 'on-empty-db' && server.keyspace.totalKeys !== 0);
  }

  get usesEofMark(): boolean {
    return this.eofMark !== null;
  }

  /**
   * Takes bytes from the socket. Returns null while the payload is incomplete, else the bytes
   * that followed it (the start of the stream). Throws a SyncError on a protocol violation.
   */
  receive(chunk: Buffer): Buffer | null {
    this.lastIo = Date.now();
    let data = chunk;
    if (this.size === -1) {
      data = this.readHeader(data);
      if (this.size === -1) return null;
    }
    return this.readPayload(data);
  }

  /**
   * Finishes the streamed parse and swaps the new dataset in (the temp file becoming the node's
   * RDB file first). Resolves with the RDB's aux fields (repl-stream-db tells which database the
   * stream continues in); rejects when the RDB was corrupt.
   */
  async load(): Promise<RdbLoadResult> {
    this.loading = true;
    if (this.file) {
      const path = this.server.config.path(this.server.config.str('dbfilename'));
      renameSync(this.file.path, path);
      this.file = null;
    }
    return this.loader!.end();
  }

  /** Abandons the transfer: the temp file is removed, a streamed parse discarded. */
  abort(): void {
    this.loader?.abort();
    if (this.file) {
      if (this.file.fd !== null) closeSync(this.file.fd);
      unlinkSync(this.file.path);
      this.file = null;
    }
  }

  private readHeader(chunk: Buffer): Buffer {
    let at = 0;
    while (this.size === -1) {
      const newline = chunk.indexOf(10, at);
      if (newline === -1) {
        this.header += chunk.toString('latin1', at);
        if (this.header.length > 1024)
          throw new SyncError(
            "Bad protocol from MASTER, the first byte is not '$' (we received a too long line), are you sure the host and port are right?",
          );
        return Buffer.alloc(0);
      }
      const line = (this.header + chunk.toString('latin1', at, newline)).replace(/\r$/, '');
      this.header = '';
      at = newline + 1;
      this.countInput(line.length + 1);
      if (line === '') continue; // keepalive from a master still preparing the RDB
      if (line[0] === '-') throw new SyncError(`MASTER aborted replication with an error: ${line.slice(1)}`);
      if (line[0] !== '$') {
        throw new SyncError(
          `Bad protocol from MASTER, the first byte is not '$' (we received '${line}'), are you sure the host and port are right?`,
        );
      }
      this.start(line);
    }
    return chunk.subarray(at);
  }

  private start(line: string): void {
    const target = this.toDisk ? 'to disk' : 'to parser';
    if (line.startsWith('$EOF:') && line.length - 5 >= EOF_MARK_SIZE) {
      this.eofMark = Buffer.from(line.slice(5, 5 + EOF_MARK_SIZE), 'latin1');
      this.size = 0;
      this.server.logger.notice(`MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF ${target}`);
    } else {
      this.size = Number.parseInt(line.slice(1), 10) || 0;
      this.server.logger.notice(`MASTER <-> REPLICA sync: receiving ${this.size} bytes from master ${target}`);
    }
    if (this.toDisk) {
      const path = this.server.config.path(`temp-${Math.floor(Date.now() / 1000)}.${process.pid}.rdb`);
      this.file = { fd: openSync(path, 'w', 0o644), path };
    }
    this.loader = createRdbLoader(this.server, { source: this.source, totalBytes: this.size, inBackground: this.toDisk });
  }

  /**
   * The RDB's bytes are replication input (total_net_repl_input_bytes) and, as redis-server sums
   * them, part of total_net_input_bytes, which here counts every byte read.
   */
  private countInput(bytes: number): void {
    this.server.stats.netReplInputBytes += bytes;
    this.server.stats.netInputBytes += bytes;
  }

  private readPayload(data: Buffer): Buffer | null {
    if (this.eofMark === null) {
      const take = Math.min(data.length, this.size - this.read);
      this.store(data.subarray(0, take));
      this.countInput(take);
      if (this.read < this.size) return null;
      this.finish();
      return data.subarray(take);
    }
    // With an EOF mark the master sends nothing after it until we ACK, so the mark always ends
    // the data we have when it is complete.
    this.countInput(data.length);
    const recent = data.length >= EOF_MARK_SIZE ? data : Buffer.concat([this.tail, data]);
    this.tail = Buffer.from(recent.subarray(Math.max(0, recent.length - EOF_MARK_SIZE)));
    this.store(data);
    if (this.tail.equals(this.eofMark)) {
      this.finish();
      return Buffer.alloc(0);
    }
    return null;
  }

  private store(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.read += bytes.length;
    if (this.file) writeSync(this.file.fd!, bytes);
    if (this.eofMark === null) this.parse(bytes);
    else this.pushHoldingBackMark(bytes);
  }

  private pushHoldingBackMark(bytes: Buffer): void {
    const all = this.heldBack.length ? Buffer.concat([this.heldBack, bytes]) : bytes;
    const ready = all.length - EOF_MARK_SIZE;
    if (ready > 0) this.parse(all.subarray(0, ready));
    this.heldBack = Buffer.from(all.subarray(Math.max(ready, 0)));
  }

  /**
   * A corrupt RDB is reported when the transfer is complete, by load() (the loader keeps its
   * failure and ignores what follows), as when Redis loads the received file.
   */
  private parse(bytes: Buffer): void {
    try {
      this.loader!.push(bytes);
    } catch {
      // kept by the loader: load() rejects with it
    }
  }

  /** The payload is complete: the mark is cut from the file (a streamed parse held it back). */
  private finish(): void {
    if (!this.file) return;
    if (this.eofMark !== null) ftruncateSync(this.file.fd!, this.read - EOF_MARK_SIZE);
    closeSync(this.file.fd!);
    this.file.fd = null;
  }
}
