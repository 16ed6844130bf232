// Per-client state: the selected database, protocol version, name, authentication, and the output
// buffer. A Client does not need a socket: replication links, AOF loading and tests drive the same
// command path with a client whose output goes nowhere or somewhere else.
import type { DeferredCall } from './yielding-command.js';
import type { Socket } from 'node:net';
import { ReplyWriter } from '../protocol/reply-writer.js';
import type { BinaryString } from '../protocol/request-parser.js';
import type { Database } from '../keyspace/database.js';
import type { Command } from './command-table.js';
import type { Server } from './server.js';
import type { WatchedKey } from './transactions.js';
import type { ClientUser } from './access-control.js';
import type { TrackingState } from './tracking.js';

/** A command queued between MULTI and EXEC. */
export interface QueuedCommand {
  command: Command;
  argv: BinaryString[];
}

/** CLIENT REPLY: ON, OFF, or SKIP (the next command's reply only). */
export type ReplyMode = 'on' | 'off' | 'skip';

/** A ReplyWriter that reports every error reply (INFO errorstats, failed_calls). */
class CountingReplyWriter extends ReplyWriter {
  constructor(
    private readonly onError: (text: string) => void,
    private readonly onResize: (expanded: boolean) => void,
  ) {
    super();
  }

  override error(text: string): void {
    super.error(text);
    this.onError(text);
  }

  /** INFO reply_buffer_expands / reply_buffer_shrinks. */
  protected override resized(expanded: boolean): void {
    this.onResize(expanded);
  }
}

export class Client {
  readonly id: number;
  readonly reply: ReplyWriter;
  readonly createdAt = Date.now();
  db: Database;
  name = '';
  authenticated: boolean;
  /**
   * The ACL user (the default user until AUTH with a username); null for a connection that may run
   * anything, like our master's link (Redis's NULL user).
   */
  user: ClientUser | null;
  /** Reply to what was already read, then disconnect (QUIT, protocol errors). */
  closeAfterReply = false;
  /** Last time a command arrived, for `timeout` and CLIENT LIST idle=. */
  lastInteraction = Date.now();
  /** Name of the last command executed (CLIENT LIST cmd=). */
  lastCommand = 'NULL';

  // --- transactions (core/transactions.ts) ---
  /** Commands queued since MULTI; null when not in a transaction. */
  multi: QueuedCommand[] | null = null;
  /** A command was rejected while queueing: EXEC answers EXECABORT (Redis's CLIENT_DIRTY_EXEC). */
  dirtyExec = false;
  /** A WATCHed key changed: EXEC answers a null array (CLIENT_DIRTY_CAS). */
  dirtyCas = false;
  readonly watchedKeys: WatchedKey[] = [];
  /** Set while EXEC runs its queue: blocking commands must not block (CLIENT_DENY_BLOCKING). */
  denyBlocking = false;
  /** A command of this client that ends in a later turn (a script past busy-reply-threshold). */
  deferredCall: DeferredCall | null = null;
  /**
   * The command that blocked this client and how long its call took (Redis's lastcmd and
   * c->duration): its stats are completed when it is served (Blocking.statsOnUnblock).
   */
  blockedCall: { command: Command; argv: BinaryString[]; usec: number } | null = null;

  // --- pub/sub (core/pubsub.ts) ---
  readonly channels = new Set<BinaryString>();
  readonly patterns = new Set<BinaryString>();
  readonly shardChannels = new Set<BinaryString>();

  // --- client-side caching (core/tracking.ts) ---
  /** CLIENT TRACKING's options while tracking is on; null when off. */
  tracking: TrackingState | null = null;

  // --- roles and modes shown by CLIENT LIST and used for output buffer limits ---
  /** This connection is our master's link (flag M). */
  isMaster = false;
  /** The client that replays the AOF (Redis's CLIENT_ID_AOF): some commands trust its arguments. */
  isAofReplay = false;
  /** The client a script's commands run as (Redis's CLIENT_SCRIPT): some commands refuse it options. */
  isScript = false;
  /** A replica attached to us (flag S). */
  isReplica = false;
  /** In MONITOR mode (flag O). */
  isMonitor = false;
  /** CLIENT NO-EVICT on (flag e). */
  noEvict = false;
  replyMode: ReplyMode = 'on';
  /** When the output buffer first went over the soft limit, or 0 (checkClientOutputBufferLimits). */
  softLimitReachedAt = 0;

  private flushScheduled = false;
  /** Output already produced while replies are being suppressed (CLIENT REPLY OFF/SKIP). */
  private held: Buffer[] = [];
  /** Between suppressReplies() and discardSuppressed(): only pushes get through. */
  private suppressing = false;

  constructor(
    readonly server: Server,
    /** The TCP connection, or null for a socket-less client (AOF loading, tests). */
    readonly socket: Socket | null,
  ) {
    this.id = server.nextClientId();
    this.reply = new CountingReplyWriter(
      (text) => server.errorReplied(text, this),
      (expanded) => (expanded ? server.stats.replyBufferExpands++ : server.stats.replyBufferShrinks++),
    );
    this.db = server.keyspace.dbs[0]!;
    this.user = server.accessControl.defaultUser;
    this.authenticated = !server.requiresAuth();
  }

  /** Redis's `addr` field: ip:port of the peer. */
  get address(): string {
    const s = this.socket;
    if (!s || !s.remoteAddress) return '';
    return s.remoteFamily === 'IPv6' ? `[${s.remoteAddress}]:${s.remotePort}` : `${s.remoteAddress}:${s.remotePort}`;
  }

  get localAddress(): string {
    const s = this.socket;
    if (!s || !s.localAddress) return '';
    return s.localFamily === 'IPv6' ? `[${s.localAddress}]:${s.localPort}` : `${s.localAddress}:${s.localPort}`;
  }

  /** SELECT: false when the index is out of range. */
  select(index: number): boolean {
    const db = this.server.keyspace.dbs[index];
    if (!db) return false;
    this.db = db;
    return true;
  }

  /** Subscribed to at least one channel, pattern or shard channel (Redis's CLIENT_PUBSUB flag). */
  get inPubSubContext(): boolean {
    return this.channels.size + this.patterns.size + this.shardChannels.size > 0;
  }

  /** This client's subscriptions of one kind. */
  subscriptions(kind: 'channel' | 'pattern' | 'shard'): Set<BinaryString> {
    return kind === 'channel' ? this.channels : kind === 'pattern' ? this.patterns : this.shardChannels;
  }

  /** Bytes produced but not yet accepted by the kernel (Redis's reply list plus unsent buffer). */
  get outputBytes(): number {
    return this.reply.pendingBytes + (this.socket?.writableLength ?? 0);
  }

  /** Stops what follows from reaching the client (CLIENT REPLY OFF/SKIP); see releaseReplies. */
  suppressReplies(): void {
    const out = this.reply.take();
    if (out) this.held.push(out);
    this.suppressing = true;
  }

  /** Drops whatever was replied since suppressReplies(). */
  discardSuppressed(): void {
    this.reply.clear();
    this.suppressing = false;
  }

  /**
   * Writes a push (Redis's CLIENT_PUSHING: pub/sub confirmations and messages), which reaches the
   * client even while its replies are suppressed by CLIENT REPLY OFF/SKIP. The command's other
   * replies written so far are dropped here rather than later; the push is kept.
   */
  push(write: () => void): void {
    if (!this.suppressing) {
      write();
      return;
    }
    this.reply.clear();
    write();
    const out = this.reply.take();
    if (out) this.held.push(out);
  }

  /** Writes pending replies to the socket now (normally through scheduleFlush). */
  flush(): void {
    this.flushScheduled = false;
    let out = this.reply.take();
    if (this.held.length !== 0) {
      if (out) this.held.push(out);
      out = Buffer.concat(this.held);
      this.held = [];
    }
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    if (out) {
      this.server.stats.netOutputBytes += out.length;
      this.server.stats.writesProcessed++;
      socket.write(out);
      if (!this.closeAfterReply) this.server.limits.checkOutputBuffer(this);
    }
    if (this.closeAfterReply) socket.end();
  }

  /**
   * Writes pending replies at the end of this event-loop turn (core/output-scheduler.ts): the
   * replies to what a read brought, and those produced by other clients' commands (pub/sub
   * messages, unblocked pops) share one socket write.
   */
  scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.server.output.client(this);
  }

  close(): void {
    this.socket?.destroy();
  }
}
