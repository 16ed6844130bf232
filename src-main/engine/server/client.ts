// Per-client state: the selected database, protocol version, name, authentication, and the output
// buffer. A Client does not need a socket: replication links, AOF loading and tests drive the same
// command path with a client whose output goes nowhere or somewhere else.
import type { Socket } from 'node:net';
import { ReplyWriter } from '../protocol/reply-writer.js';
import type { Database } from '../keyspace/database.js';
import type { Server } from './server.js';

export class Client {
  readonly id: number;
  readonly reply = new ReplyWriter();
  readonly createdAt = Date.now();
  db: Database;
  name = '';
  authenticated: boolean;
  /** ACL user name (the default user until AUTH with a username). */
  user = 'default';
  /** Reply to what was already read, then disconnect (QUIT, protocol errors). */
  closeAfterReply = false;
  /** Last time a command arrived, for `timeout` and CLIENT LIST idle=. */
  lastInteraction = Date.now();
  /** Name of the last command executed (CLIENT LIST cmd=). */
  lastCommand = 'NULL';
  private flushScheduled = false;

  constructor(
    readonly server: Server,
    /** The TCP connection, or null for a socket-less client (AOF loading, tests). */
    readonly socket: Socket | null,
  ) {
    this.id = server.nextClientId();
    this.db = server.keyspace.dbs[0]!;
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

  /** Writes pending replies to the socket. Called at the end of each read event. */
  flush(): void {
    this.flushScheduled = false;
    const out = this.reply.take();
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    if (out) {
      this.server.stats.netOutputBytes += out.length;
      socket.write(out);
    }
    if (this.closeAfterReply) socket.end();
  }

  /**
   * For replies produced outside this client's own read event (pub/sub messages, unblocked
   * pops): flush once the current event is over, so several messages still share one write.
   */
  scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  close(): void {
    this.socket?.destroy();
  }
}
