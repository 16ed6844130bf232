// A replica's connection to its master once synchronized (Redis's server.master client): the
// master's write stream arrives here and is executed like commands from any client, except that
// the master is obeyed (no READONLY, no authentication) and never answered — only REPLCONF ACK
// goes back.
//
// Offsets: `readOffset` counts the stream bytes received, `offset` those fully applied (Redis's
// read_reploff and reploff). Only applied bytes count: a command is part of the dataset when it
// ran, not when its first bytes arrived, and the replica's master_repl_offset, its ACKs and its
// own sub-replicas all follow `offset`. Applied bytes are handed on verbatim (proxied) to this
// node's backlog and sub-replicas, so a chain of replicas shares one stream, one replid and one
// offset space.
import type { Socket } from 'node:net';
import { Client } from '../core/client.js';
import { executeCommand } from '../core/executor.js';
import { ProtocolError, RequestParser } from '../protocol/request-parser.js';
import type { Server } from '../core/server.js';
import { readIntoSharedBuffer } from '../core/shared-read-buffer.js';
import { encodeCommand } from '../core/write-feed.js';

/**
 * What survives of a master link that broke (Redis's cached_master): enough to ask the master
 * for the rest of the stream with PSYNC <replid> <offset+1>.
 */
export interface CachedMaster {
  replid: string;
  offset: number;
  /** The database the stream had selected (the master does not repeat SELECT on +CONTINUE). */
  dbIndex: number;
}

export interface MasterClientEvents {
  /** Bytes of stream that were applied, in order: to be proxied to the backlog and sub-replicas. */
  applied(bytes: Buffer): void;
  /** The connection ended (closed by either side or by an error). */
  lost(master: MasterClient): void;
}

const NOTHING = Buffer.alloc(0);

export class MasterClient {
  readonly client: Client;
  replid: string;
  /** Stream bytes applied (reploff). */
  offset: number;
  /** Stream bytes received (read_reploff). */
  readOffset: number;
  /** A master that does not support PSYNC (answered our SYNC): it wants no ACKs. */
  readonly preSync: boolean;
  /** Last time anything arrived from the master, ms (for repl-timeout and INFO). */
  lastInteraction = Date.now();
  private readonly parser: RequestParser;
  /**
   * Received bytes not applied yet (the start of an incomplete command, or of a MULTI), as the
   * pieces they arrived in: a big value comes in many reads, and joining them at every read
   * would copy it again each time (a 100 MB SET took 50 s to reach a replica that way).
   */
  private readonly unapplied: Buffer[] = [];
  private readonly stopHolding: () => void;
  private closed = false;

  constructor(
    private readonly server: Server,
    readonly socket: Socket,
    state: CachedMaster,
    private readonly events: MasterClientEvents,
  ) {
    this.replid = state.replid;
    this.offset = state.offset;
    this.readOffset = state.offset;
    this.preSync = state.offset === -1;
    this.client = new Client(server, socket);
    this.client.isMaster = true;
    this.client.authenticated = true;
    // replicationCreateMasterClient: the master's stream runs whatever the user rules say.
    this.client.user = null;
    this.client.select(Math.max(state.dbIndex, 0));
    this.parser = new RequestParser({ maxBulkLength: server.config.int('proto-max-bulk-len'), authenticated: () => true });
    this.stopHolding = server.yielding.onEnd(() => this.applyHeld());
  }

  /** Starts reading the stream; `initial` is what arrived together with the end of the sync. */
  start(initial: Buffer | null): void {
    this.server.clients.set(this.client.id, this.client);
    this.socket.on('error', () => {});
    this.socket.once('close', () => this.end());
    if (initial && initial.length) this.receive(initial);
    // The socket was paused while the RDB loaded, but it may have read on until its stream
    // buffer filled: that comes first, then every later read goes into the shared read buffer.
    for (let buffered: Buffer | null; !this.closed && (buffered = this.socket.read() as Buffer | null) !== null;) {
      this.receive(buffered);
    }
    const onChunk = (chunk: Buffer): void => this.receive(chunk);
    if (!readIntoSharedBuffer(this.socket, onChunk)) this.socket.on('data', onChunk);
    this.socket.resume();
  }

  /** What a later PSYNC needs (replicationCacheMaster). */
  toCached(): CachedMaster {
    return { replid: this.replid, offset: this.offset, dbIndex: this.client.db.id };
  }

  /** replicationSendAck: REPLCONF ACK <applied offset>, the only thing a replica says to its master. */
  sendAck(): void {
    if (this.closed) return;
    const ack = encodeCommand(['REPLCONF', 'ACK', String(this.offset)]);
    this.server.stats.netOutputBytes += ack.length;
    this.server.stats.writesProcessed++;
    this.socket.write(ack);
  }

  /**
   * Drops the master (repl-timeout, REPLICAOF). The loss is reported at once, as freeClient does in
   * Redis: INFO must not show the link up between the decision and the socket's close event.
   */
  close(): void {
    this.socket.destroy();
    this.end();
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    const stats = this.server.stats;
    stats.netInputBytes += chunk.length;
    stats.netReplInputBytes += chunk.length;
    stats.readsProcessed++;
    this.readOffset += chunk.length;
    this.lastInteraction = this.client.lastInteraction = Date.now();
    this.parser.feed(chunk);
    const before = this.offset;
    this.apply();
    this.passOn(this.offset - before, chunk);
    this.parser.releaseChunk();
    this.server.output.inputHandled();
  }

  /** After a yielding script: the stream held meanwhile is applied (queueClientForReprocessing). */
  private applyHeld(): void {
    if (this.closed) return;
    const before = this.offset;
    this.apply();
    this.passOn(this.offset - before, NOTHING);
    this.server.output.inputHandled();
  }

  /** Runs the commands read so far; while a script yields, holds them (Redis accumulates the stream). */
  private apply(): void {
    const keyspace = this.server.keyspace;
    const yielding = this.server.yielding;
    keyspace.applyingMasterStream = true;
    try {
      let now = performance.now();
      for (;;) {
        if (yielding.active) break;
        const argv = this.parser.next();
        if (argv === null) break;
        if (argv.length !== 0) {
          now = executeCommand(this.client, argv, now);
          // Replies to the master are dropped (an error was logged: Server.errorReplied).
          this.client.reply.clear();
        }
        // Inside MULTI nothing is applied until EXEC: the offset stays before the MULTI, so
        // an ACK never claims half a transaction.
        if (this.client.multi === null) this.offset = this.readOffset - this.parser.bufferedBytes;
        if (this.closed) break;
      }
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      this.server.logger.warning(`Protocol error (${err.message}) from client: id=${this.client.id} addr=${this.client.address} (master)`);
      // freeClientAsync: the loss is reported from the close event, after this chunk is done.
      this.socket.destroy();
    } finally {
      keyspace.applyingMasterStream = false;
    }
  }

  /**
   * Hands the `applied` bytes that begin the held pieces followed by `chunk` on to this node's
   * backlog and sub-replicas (which copy them), and holds the rest until it is applied.
   */
  private passOn(applied: number, chunk: Buffer): void {
    const held = this.unapplied;
    let left = applied;
    let done = 0;
    while (left > 0 && done < held.length) {
      const piece = held[done]!;
      if (piece.length > left) {
        this.events.applied(piece.subarray(0, left));
        held[done] = piece.subarray(left);
        left = 0;
      } else {
        this.events.applied(piece);
        left -= piece.length;
        done++;
      }
    }
    if (done > 0) held.splice(0, done);
    if (left > 0) this.events.applied(chunk.subarray(0, left));
    // The chunk is the shared read buffer, which the next read overwrites: its rest is copied.
    if (left < chunk.length) held.push(Buffer.from(chunk.subarray(left)));
  }

  private end(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopHolding();
    this.server.clients.delete(this.client.id);
    this.events.lost(this);
  }
}
