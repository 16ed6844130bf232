// One replica as its master sees it: a client connection that sent SYNC or PSYNC, and from then
// on receives the replication stream instead of replies.
//
// Its life, in Redis's replstate names (INFO shows them as state=):
//
//   wait_bgsave_start  waiting for an RDB to be started for it (diskless sync waits
//                      repl-diskless-sync-delay seconds for more replicas to share it).
//   wait_bgsave_end    the RDB it will receive is being produced. Writes made after the RDB's
//                      point in time are buffered here, to be sent after the RDB.
//   send_bulk          a disk-made RDB is being sent from the file.
//   online             the RDB was delivered; the stream flows. After a diskless transfer the
//                      buffered writes are held back until the replica's first REPLCONF ACK: a
//                      replica detects the end of an EOF-framed RDB by its last 40 bytes, which
//                      is only reliable when nothing follows them in the same read.
import { ReplyWriter } from '../protocol/reply-writer.js';
import type { Client } from '../core/client.js';

export type ReplicaState = 'wait_bgsave_start' | 'wait_bgsave_end' | 'send_bulk' | 'online';

/** What a connection declared with REPLCONF before it asked for SYNC/PSYNC. */
export interface ReplicaCapabilities {
  /** REPLCONF listening-port (0 when never sent). */
  listeningPort: number;
  /** REPLCONF ip-address (replica-announce-ip), or null to use the peer address. */
  announcedIp: string | null;
  /** capa eof: understands the EOF-marked framing of a diskless RDB. */
  eof: boolean;
  /** capa psync2: understands "+CONTINUE <replid>". */
  psync2: boolean;
  /** REPLCONF rdb-only 1 (redis-cli --rdb): wants the RDB and nothing after it. */
  rdbOnly: boolean;
  /**
   * REPLCONF rdb-filter-only (redis-cli --replica sends it empty): wants an RDB without the
   * keys. The only part it may keep is "functions", which this server does not have.
   */
  withoutData: boolean;
}

export function defaultCapabilities(): ReplicaCapabilities {
  return { listeningPort: 0, announcedIp: null, eof: false, psync2: false, rdbOnly: false, withoutData: false };
}

/** client-output-buffer-limit for the replica class (hard bytes, soft bytes, soft seconds). */
export interface OutputLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}

export class AttachedReplica {
  state: ReplicaState = 'wait_bgsave_start';
  /** Offset the replica acknowledged with REPLCONF ACK (repl_ack_off). */
  ackOffset = 0;
  /** When the last REPLCONF ACK (or the sync's completion) arrived, ms (repl_ack_time). */
  ackTime = Date.now();
  /** The master offset its RDB corresponds to (psync_initial_offset). */
  initialOffset = 0;
  /** After a diskless RDB: start the stream when the first ACK arrives. */
  startStreamOnAck = false;
  /** Stream bytes held until the RDB is delivered (or the first ACK after a diskless one). */
  private held: Buffer[] | null = [];
  private heldBytes = 0;
  /** When the output first exceeded the soft limit (ms), 0 when under it. */
  private softLimitSince = 0;
  /**
   * What was written during the current event-loop iteration, sent as one buffer once the
   * iteration's I/O events were handled (core/output-scheduler.ts; Redis writes to replicas in
   * beforeSleep): the writes of every client served in that iteration then cost one socket write
   * per replica. Socket writes were most of a busy master's time with replicas attached: flushing
   * after each client's read event instead tripled the write calls of a pipelined benchmark.
   * Stream bytes are copied in (the encoder reuses its buffer), so a command costs no allocation.
   */
  private readonly pending = new ReplyWriter();

  constructor(
    readonly client: Client,
    readonly capa: ReplicaCapabilities,
    /** Came with the old SYNC command (redis-cli --replica): never sends ACKs. */
    readonly preSync: boolean,
    private readonly onOutputLimit: (replica: AttachedReplica) => void,
  ) {}

  get socket() {
    return this.client.socket!;
  }

  /** replicationGetSlaveName: "ip:listening-port", the way Redis names a replica in its log. */
  get name(): string {
    const ip = this.ip;
    if (!ip) return `client id #${this.client.id}`;
    const host = ip.includes(':') ? `[${ip}]` : ip;
    return this.capa.listeningPort ? `${host}:${this.capa.listeningPort}` : `${host}:<unknown-replica-port>`;
  }

  /** The address INFO and ROLE show: the announced one, else the connection's peer address. */
  get ip(): string {
    return this.capa.announcedIp ?? this.client.socket?.remoteAddress ?? '';
  }

  /** Queued or written but not yet sent to the socket: what output buffer limits are checked against. */
  get outputBytes(): number {
    return this.heldBytes + this.pending.pendingBytes + (this.client.socket?.writableLength ?? 0);
  }

  /** Takes over the stream buffered by another replica attached to the same RDB (copyReplicaOutputBuffer). */
  copyHeldStreamOf(other: AttachedReplica): void {
    this.held = other.held ? [...other.held] : [];
    this.heldBytes = other.heldBytes;
  }

  /** Appends stream bytes bytes[0, length): written this turn when the stream flows, held otherwise. */
  feed(bytes: Buffer, length: number, limit: OutputLimit): void {
    if (this.state === 'wait_bgsave_start') return; // its RDB is not taken yet: these writes will be in it
    if (this.held) {
      this.held.push(Buffer.from(bytes.subarray(0, length)));
      this.heldBytes += length;
    } else {
      this.queue(bytes, length);
    }
    this.checkOutputLimit(limit);
  }

  /** Writes bytes that are not part of the stream (RDB payload, +FULLRESYNC, keepalive newlines). */
  write(bytes: Buffer | string): void {
    const data = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    this.queue(data, data.length);
  }

  private queue(data: Buffer, length: number): void {
    const socket = this.client.socket;
    if (!socket || socket.destroyed) return;
    this.client.server.stats.netOutputBytes += length;
    this.client.server.stats.netReplOutputBytes += length;
    if (this.pending.pendingBytes === 0) this.client.server.output.replica(this);
    this.pending.encoded(data, 0, length);
  }

  /** Hands what write() gathered to the socket now (before writing to the socket directly). */
  flush(): void {
    const out = this.pending.take();
    if (out === null) return;
    const socket = this.client.socket;
    if (socket && !socket.destroyed) {
      this.client.server.stats.writesProcessed++;
      socket.write(out);
    }
  }

  /** replicaStartCommandStream: send what was held and let the stream flow from now on. */
  startStream(): void {
    this.startStreamOnAck = false;
    const held = this.held ?? [];
    this.held = null;
    this.heldBytes = 0;
    if (held.length !== 0) this.write(held.length === 1 ? held[0]! : Buffer.concat(held));
  }

  close(): void {
    this.client.close();
  }

  /** checkClientOutputBufferLimits for the replica class: a replica that cannot keep up is dropped. */
  private checkOutputLimit(limit: OutputLimit): void {
    const used = this.outputBytes;
    let exceeded = limit.hard > 0 && used >= limit.hard;
    if (limit.soft > 0 && used >= limit.soft) {
      const now = Date.now();
      if (this.softLimitSince === 0) this.softLimitSince = now;
      else if (now - this.softLimitSince >= limit.softSeconds * 1000) exceeded = true;
    } else {
      this.softLimitSince = 0;
    }
    if (exceeded) this.onOutputLimit(this);
  }
}
