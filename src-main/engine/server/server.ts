// One node: configuration, keyspace, command table, clients, listeners and the periodic cron.
// Created and started by server/start.ts; everything a command handler needs is reachable from
// here (client.server).
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config.js';
import { Keyspace } from '../keyspace/keyspace.js';
import { ActiveExpireCycle } from '../keyspace/active-expire.js';
import { CommandTable } from '../commands/table.js';
import { ALL_FAMILIES } from '../commands/index.js';
import { strerror } from '../config/errors.js';
import type { Logger } from './logger.js';
import { Client } from './client.js';
import { attachConnection } from './connection.js';
import { Propagation } from './propagation.js';
import { InfoRegistry } from './info.js';
import { KeyspaceEvents } from './keyspace-events.js';

export interface ServerStats {
  connectionsReceived: number;
  rejectedConnections: number;
  commandsProcessed: number;
  netInputBytes: number;
  netOutputBytes: number;
  errorReplies: number;
}

export interface ShutdownOptions {
  /** SHUTDOWN SAVE / NOSAVE; undefined = save when save points are configured. */
  save?: boolean;
}

export class Server {
  readonly keyspace: Keyspace;
  readonly commands = new CommandTable(ALL_FAMILIES);
  readonly propagation = new Propagation();
  readonly clients = new Map<number, Client>();
  readonly info = new InfoRegistry(this);
  readonly keyspaceEvents = new KeyspaceEvents();
  /**
   * Run in order during shutdown, before listeners close (persistence saves the final snapshot
   * and flushes the AOF here).
   */
  readonly shutdownHooks: ((options: ShutdownOptions) => Promise<void>)[] = [];
  readonly stats: ServerStats = {
    connectionsReceived: 0,
    rejectedConnections: 0,
    commandsProcessed: 0,
    netInputBytes: 0,
    netOutputBytes: 0,
    errorReplies: 0,
  };
  readonly startedAt = Date.now();
  /** INFO server run_id: random per start. */
  readonly runId = randomBytes(20).toString('hex');
  /** Replication id (master_replid): random per start, as in Redis. */
  replid = randomBytes(20).toString('hex');
  port = 0;
  /** Called once when the node stops by itself or by SHUTDOWN, with the process exit code. */
  onExit: (code: number) => void = () => {};

  private clientIds = 0;
  private listeners: NetServer[] = [];
  private cronTimer: NodeJS.Timeout | null = null;
  private readonly activeExpire = new ActiveExpireCycle();
  private stopping: Promise<void> | null = null;

  constructor(
    readonly config: Config,
    readonly logger: Logger,
    readonly configFile: string | null,
  ) {
    this.keyspace = new Keyspace(config.int('databases'));
    this.keyspace.onExpired = (db, key) => this.propagation.expired(db.id, key);
  }

  nextClientId(): number {
    return ++this.clientIds;
  }

  /** True when new connections must AUTH first (requirepass set). */
  requiresAuth(): boolean {
    return this.config.str('requirepass') !== '';
  }

  /** Opens the listening sockets (Redis's listenToPort); rejects with Redis's log text. */
  async listen(): Promise<void> {
    const port = this.config.int('port');
    this.port = port;
    const addresses = this.config.bindAddresses();
    if (addresses.length === 0) throw new Error('Configured to not listen anywhere, exiting.');
    for (const spec of addresses) {
      // A leading '-' marks an optional address: skipped when unavailable (e.g. no IPv6).
      const optional = spec.startsWith('-');
      const address = optional ? spec.slice(1) : spec;
      const host = address === '*' ? '0.0.0.0' : address === '::*' ? '::' : address;
      try {
        this.listeners.push(await this.listenOn(host, port));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (optional && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT' || code === 'EPROTONOSUPPORT')) continue;
        this.logger.warning(
          `Warning: Could not create server TCP listening socket ${address}:${port}: bind: ${strerror(err)}`,
        );
        await this.closeListeners();
        throw new Error(`Failed listening on port ${port} (TCP), aborting.`);
      }
    }
    // Port 0 asks the OS for a free port (the lab host and tests use it); report the real one.
    const addr = this.listeners[0]?.address();
    if (addr && typeof addr === 'object') this.port = addr.port;
  }

  private listenOn(host: string, port: number): Promise<NetServer> {
    return new Promise((resolve, reject) => {
      const srv = createServer({ noDelay: true }, (socket) => this.accept(socket));
      srv.once('error', reject);
      srv.listen({ host, port, ipv6Only: host.includes(':'), backlog: this.config.int('tcp-backlog') }, () => {
        srv.off('error', reject);
        srv.on('error', (err) => this.logger.warning(`Listening socket error: ${err.message}`));
        resolve(srv);
      });
    });
  }

  private accept(socket: Socket): void {
    this.stats.connectionsReceived++;
    if (this.clients.size >= this.config.int('maxclients')) {
      this.stats.rejectedConnections++;
      socket.end('-ERR max number of clients reached\r\n');
      return;
    }
    attachConnection(this, socket);
  }

  startCron(): void {
    const hz = Math.min(Math.max(this.config.int('hz'), 1), 500);
    this.cronTimer = setInterval(() => this.cron(), 1000 / hz);
  }

  /** serverCron: active expiry and idle-client timeouts. */
  private cron(): void {
    this.activeExpire.run(this.keyspace, this.config.int('hz'), this.config.int('active-expire-effort'));
    const timeout = this.config.int('timeout');
    if (timeout > 0) {
      const limit = Date.now() - timeout * 1000;
      for (const client of this.clients.values()) {
        if (client.lastInteraction < limit) {
          this.logger.verbose('Closing idle client');
          client.close();
        }
      }
    }
  }

  /** SHUTDOWN / SIGTERM: stop accepting, close clients, then report exit code 0. */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    this.stopping ??= this.doShutdown(options);
    return this.stopping;
  }

  private async doShutdown(options: ShutdownOptions): Promise<void> {
    this.logger.warning('User requested shutdown...');
    for (const hook of this.shutdownHooks) await hook(options);
    if (this.cronTimer) clearInterval(this.cronTimer);
    // A listener's close completes only once its connections are gone, so drop clients first.
    const listenersClosed = this.closeListeners();
    for (const client of this.clients.values()) client.close();
    await listenersClosed;
    this.logger.warning('Redis is now ready to exit, bye bye...');
    this.onExit(0);
  }

  private async closeListeners(): Promise<void> {
    const closing = this.listeners.map((l) => new Promise<void>((r) => l.close(() => r())));
    this.listeners = [];
    await Promise.all(closing);
  }
}
