// A lab-owned TCP relay on one replication link, as toxiproxy puts one between services: it listens
// on 127.0.0.1 (a free port) and the replica's REPLICAOF names it instead of the master, so every
// connection the replica opens to its master passes through here and a fault can be applied to it.
// Bytes pass unchanged in both directions (RelayPipe), and a passive tap per connection
// (stream-view/link-tap.ts) reads them for the replication stream view; the nodes speak to each other exactly as
// they would directly, so what their INFO says stays true: the replica's master_port is the relay's
// (the UI says so), and the master sees a replica at 127.0.0.1 announcing its own listening port.
//
// Faults:
//   cut    every open connection is closed, and each new one is reset as soon as it arrives,
//          until restore: the replica sees its link drop and its reconnects fail;
//   stall  connections stay open but nothing flows either way; a connection that arrives meanwhile
//          is held without reaching the master (as if its SYN were lost), so repl-timeout fires;
//   slow   bandwidth (bytes per second, each direction) and added delay;
//   none   everything flows again; a stalled or slowed connection carries on from where it was.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { LinkFault } from '../../api/index.js';
import { LinkTap, type TapEntry } from '../stream-view/link-tap.js';
import { RelayPipe, type PipeMode } from './relay-pipe.js';

/** One replica connection through the relay: the replica's socket and the one to the master. */
class RelayedConnection {
  private upstream: Socket | null = null;
  private readonly pipes: RelayPipe[] = [];
  private tap: LinkTap | null = null;
  private gone = false;

  constructor(
    private readonly downstream: Socket,
    private readonly relay: LinkRelay,
  ) {
    downstream.on('error', () => this.destroy());
    downstream.on('close', (hadError) => this.onClose(hadError));
  }

  /** Connects to the master and starts both pipes in `mode` (a stalled relay waits for restore first). */
  open(mode: PipeMode): void {
    if (this.gone || this.upstream) return;
    const upstream = connect({ host: this.relay.upstreamHost, port: this.relay.upstreamPort, allowHalfOpen: true });
    this.upstream = upstream;
    upstream.setNoDelay(true);
    upstream.on('error', () => this.destroy());
    upstream.on('close', (hadError) => this.onClose(hadError));
    const tap = this.relay.openTap();
    this.tap = tap;
    this.pipes.push(
      new RelayPipe(upstream, this.downstream, (chunk) => {
        this.relay.bytesToReplica += chunk.length;
        tap.fromMaster(chunk);
      }),
      new RelayPipe(this.downstream, upstream, (chunk) => {
        this.relay.bytesToMaster += chunk.length;
        tap.fromReplica(chunk);
      }),
    );
    for (const pipe of this.pipes) pipe.start(mode);
  }

  get connected(): boolean {
    return this.upstream !== null;
  }

  setMode(mode: PipeMode): void {
    for (const pipe of this.pipes) pipe.setMode(mode);
  }

  /** Either side failed, or the link is cut: both sockets go at once, whatever is in flight. */
  destroy(): void {
    if (this.gone) return;
    this.downstream.destroy();
    this.upstream?.destroy();
    this.forget();
  }

  /**
   * A socket closed. After an error the other goes too; after a graceful close (FIN both ways) the
   * other is left to its pipe, which ends it once everything queued for it is written: a master's
   * last bytes before it closes still reach the replica, as they would directly.
   */
  private onClose(hadError: boolean): void {
    if (hadError) this.destroy();
    else if (this.downstream.destroyed && (this.upstream === null || this.upstream.destroyed)) this.forget();
  }

  private forget(): void {
    if (this.gone) return;
    this.gone = true;
    for (const pipe of this.pipes) pipe.close();
    if (this.tap) this.relay.closeTap(this.tap);
    this.relay.connections.delete(this);
  }
}

export class LinkRelay {
  readonly connections = new Set<RelayedConnection>();
  private fault: LinkFault = { kind: 'none' };
  /** Bytes read from the master and passed to the replica, and the other way, since the relay opened. */
  bytesToReplica = 0;
  bytesToMaster = 0;
  /** The stream taps of the open connections, and the stream view watching them (stream-view/). */
  private readonly taps = new Set<LinkTap>();
  private tapsOpened = 0;
  private watcher: ((entries: TapEntry[]) => void) | null = null;

  private constructor(
    private readonly server: Server,
    /** The port the relay listens on: the one the replica's REPLICAOF names. */
    readonly port: number,
    /** The master's port, where each connection is relayed to. */
    readonly upstreamPort: number,
    /** 127.0.0.1 for a lab node; an external node's own address (nodes/external/). */
    readonly upstreamHost: string,
  ) {
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Listens on a free port of 127.0.0.1, relaying to the master at `upstreamHost`:`upstreamPort`. */
  static async open(upstreamPort: number, upstreamHost = '127.0.0.1'): Promise<LinkRelay> {
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the relay has no TCP address');
    return new LinkRelay(server, address.port, upstreamPort, upstreamHost);
  }

  get currentFault(): LinkFault {
    return this.fault;
  }

  /** Applies a fault (or none) to every connection now and to every new one. */
  setFault(fault: LinkFault): void {
    this.fault = fault;
    if (fault.kind === 'cut') {
      for (const connection of [...this.connections]) connection.destroy();
      return;
    }
    const mode = pipeMode(fault);
    for (const connection of this.connections) {
      if (connection.connected) connection.setMode(mode);
      else if (mode.kind !== 'stall') connection.open(mode);
    }
  }

  /** A stream view watches the link: every connection's entries go to `listener`, until unwatch. */
  watch(listener: (entries: TapEntry[]) => void): void {
    this.watcher = listener;
    for (const tap of this.taps) {
      // Where each open connection's stream began, before what it carries from now on.
      if (!tap.watched) listener(tap.opening());
      tap.watched = true;
    }
  }

  unwatch(): void {
    this.watcher = null;
    for (const tap of this.taps) tap.watched = false;
  }

  get watched(): boolean {
    return this.watcher !== null;
  }

  /** A tap for a new connection, numbered from 1 in the order they open. */
  openTap(): LinkTap {
    const tap = new LinkTap(++this.tapsOpened, (entries) => this.watcher?.(entries));
    tap.watched = this.watcher !== null;
    this.taps.add(tap);
    return tap;
  }

  closeTap(tap: LinkTap): void {
    this.taps.delete(tap);
  }

  /** Closes the relay: its port and every connection through it. */
  async close(): Promise<void> {
    for (const connection of [...this.connections]) connection.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    if (this.fault.kind === 'cut') {
      // A reset, not a polite close: to the replica the path is broken, not the master shutting down.
      socket.on('error', () => {});
      socket.resetAndDestroy();
      return;
    }
    const connection = new RelayedConnection(socket, this);
    this.connections.add(connection);
    const mode = pipeMode(this.fault);
    if (mode.kind !== 'stall') connection.open(mode);
  }
}

function pipeMode(fault: LinkFault): PipeMode {
  switch (fault.kind) {
    case 'none':
    case 'cut':
      return { kind: 'open' };
    case 'stall':
      return { kind: 'stall' };
    case 'slow':
      return { kind: 'slow', bytesPerSecond: fault.bandwidthKBps * 1024, delayMs: fault.delayMs };
  }
}
