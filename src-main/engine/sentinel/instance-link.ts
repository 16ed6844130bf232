// The connections Sentinel keeps to an instance (sentinel.c's instanceLink): a command connection
// for PING, INFO, PUBLISH, REPLICAOF and the votes, and, to masters and replicas, a second one
// subscribed to the hello channel. Replies are read with the engine's RESP reply parser and
// handed to the callback of the command they answer, in order, as hiredis does.
import { connect, type Socket } from 'node:net';
import { ReplyParser, type Reply } from '../protocol/reply-parser.js';
import { encodeCommand } from '../core/write-feed.js';

export type ReplyCallback = (reply: Reply) => void;

/** One TCP connection speaking RESP: commands out, replies (or pub/sub messages) in. */
export class RespConnection {
  private readonly socket: Socket;
  private readonly parser = new ReplyParser();
  private readonly callbacks: (ReplyCallback | null)[] = [];
  closed = false;
  /** Called for every reply with no command waiting for it (pub/sub messages). */
  onPush: (reply: Reply) => void = () => {};

  constructor(host: string, port: number, onClose: (conn: RespConnection) => void) {
    this.socket = connect({ host, port });
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.socket.on('error', () => {});
    this.socket.once('close', () => {
      if (this.closed) return;
      this.closed = true;
      onClose(this);
    });
  }

  /** Commands waiting for their reply (link-pending-commands). */
  get pending(): number {
    return this.callbacks.length;
  }

  send(argv: readonly string[], callback: ReplyCallback | null = null): void {
    if (this.closed) return;
    this.callbacks.push(callback);
    this.socket.write(encodeCommand(argv));
  }

  /** A command in a subscribed context: its replies arrive as pushes. */
  sendNoReply(argv: readonly string[]): void {
    if (!this.closed) this.socket.write(encodeCommand(argv));
  }

  /** Our end's IP on this connection (the address a hello announces by default). */
  get localAddress(): string | undefined {
    return this.socket.localAddress;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.parser.feed(chunk);
    for (;;) {
      let reply: Reply | undefined;
      try {
        reply = this.parser.next();
      } catch {
        this.socket.destroy();
        return;
      }
      if (reply === undefined) return;
      if (this.callbacks.length > 0) this.callbacks.shift()?.(reply);
      else this.onPush(reply);
      if (this.closed) return;
    }
  }
}

/** instanceLink: the two connections and the times the health checks read. */
export class InstanceLink {
  cc: RespConnection | null = null;
  pc: RespConnection | null = null;
  ccConnTime = 0;
  pcConnTime = 0;
  /** Last time anything arrived on the pub/sub connection. */
  pcLastActivity = 0;
  /** Last time the instance answered PING with an acceptable reply. */
  lastAvailTime = Date.now();
  /** When the PING still unanswered was sent (0: none pending). */
  actPingTime = Date.now();
  /** When the last PING was sent (to avoid flooding a slow instance). */
  lastPingTime = 0;
  /** Last time the instance answered PING, whatever the reply. */
  lastPongTime = Date.now();
  /** Last reconnection attempt. */
  lastReconnTime = 0;
  disconnected = true;

  get pendingCommands(): number {
    return (this.cc?.pending ?? 0) + (this.pc?.pending ?? 0);
  }

  /** instanceLinkCloseConnection for both: the cron reconnects. */
  closeAll(): void {
    this.cc?.close();
    this.pc?.close();
    this.cc = this.pc = null;
    this.disconnected = true;
  }
}
