// The core of one node: configuration, keyspace, command table, clients, listeners and the
// periodic cron. The layers above it (persistence, replication, ACLs) attach through the hooks
// below (command guards, INFO sections, config appliers, shutdown hooks); ../node.ts puts a node
// together and starts it. Everything of the core a command handler needs is reachable from here
// (client.server); the services above the core reach handlers through ../commands/node-services.ts.
import { YieldingCommand } from './yielding-command.js';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config.js';
import type { BinaryString } from '../protocol/request-parser.js';
import { Keyspace } from '../keyspace/keyspace.js';
import { ActiveExpireCycle } from '../keyspace/active-expire.js';
import { CommandTable, type CommandSpec } from './command-table.js';
import { strerror } from '../config/errors.js';
import type { Logger } from '../util/logger.js';
import { Client } from './client.js';
import { attachConnection } from './connection.js';
import { Propagation } from './propagation.js';
import { Eviction } from './eviction.js';
import { InfoRegistry } from './info.js';
import { KeyspaceEvents } from './keyspace-events.js';
import { Transactions } from './transactions.js';
import { PubSub } from './pubsub.js';
import { Monitors } from './monitor.js';
import { Slowlog } from './slowlog.js';
import { LatencyMonitor } from './latency.js';
import { OutputBufferLimits } from './limits.js';
import { InstantaneousMetrics } from './metrics.js';
import type { AccessControl } from './access-control.js';
import { PROTECTED_MODE_DENIED, refusedByProtectedMode } from './protected-mode.js';
import { unbindableAddresses } from './bind-addresses.js';
import { ClientPause } from './pause.js';
import type { CommandGuard } from './executor.js';
import { OutputScheduler } from './output-scheduler.js';
import { WriteFeed } from './write-feed.js';
import { BlockedClients, isBlocked } from './blocking.js';
import { LoadingState } from './loading-state.js';
import { Shutdown, type ShutdownOptions } from './shutdown.js';
import { Tracking } from './tracking.js';
import { MigrateSockets } from './migrate-sockets.js';
import { MemoryParts } from './memory-overhead.js';

/** What RDB files and full syncs need of the function libraries. */
export interface FunctionLibraryStore {
  /** Each library's code, shebang included (what RDB_OPCODE_FUNCTION2 stores). */
  codes(): BinaryString[];
  /** Replaces every library by those of a loaded RDB; the error of the first that fails, or null. */
  replaceAll(codes: BinaryString[]): string | null;
}

export interface ServerStats {
  connectionsReceived: number;
  rejectedConnections: number;
  commandsProcessed: number;
  netInputBytes: number;
  netOutputBytes: number;
  errorReplies: number;
  /** Error replies by error code (INFO errorstats), e.g. ERR, WRONGTYPE. */
  errorCodes: Map<string, number>;
  /** Replication traffic (INFO stats total_net_repl_*_bytes). */
  netReplInputBytes: number;
  netReplOutputBytes: number;
  /** Full syncs served, PSYNCs accepted and refused (INFO stats sync_*). */
  syncFull: number;
  syncPartialOk: number;
  syncPartialErr: number;
  /** Socket reads and writes (INFO total_reads_processed / total_writes_processed): one per read event and per socket write, as Redis counts readQueryFromClient and writeToClient calls. */
  readsProcessed: number;
  writesProcessed: number;
  /** Errors replied to our master or to the AOF being loaded (INFO unexpected_error_replies). */
  unexpectedErrorReplies: number;
  /** RESTORE payload encodings deep-sanitized (INFO dump_payload_sanitizations). */
  dumpPayloadSanitizations: number;
  /**
   * Point-in-time snapshots taken for a background job (INFO total_forks / latest_fork_usec): what
   * Redis forks for (BGSAVE, AOF rewrite, a full sync's RDB); see persistence/rdb/snapshot.ts.
   */
  forks: number;
  latestForkUsec: number;
  /** Client reply buffers grown, and big ones let go (INFO reply_buffer_expands / _shrinks). */
  replyBufferExpands: number;
  replyBufferShrinks: number;
}

/** server.h ERROR_STATS_NUMBER: past this many distinct codes, errorstats stop growing. */
const MAX_ERROR_CODES = 128;

export class Server {
  readonly keyspace: Keyspace;
  readonly commands: CommandTable;
  readonly propagation = new Propagation();
  /** A script past busy-reply-threshold that yields to the event loop (see yielding-command.ts). */
  readonly yielding = new YieldingCommand();
  /** Every write, as the commands that reproduce it: what the AOF and the replicas record. */
  /** Nothing done while a dataset loads is propagated (Redis's shouldPropagate: the AOF replay of DEBUG LOADAOF). */
  readonly writeFeed = new WriteFeed(this.propagation, () => this.loading.current === null);
  readonly clients = new Map<number, Client>();
  readonly info = new InfoRegistry(this);
  readonly keyspaceEvents = new KeyspaceEvents();
  readonly transactions: Transactions;
  /** Client-side caching: who may cache which keys, and their invalidations (tracking.c). */
  readonly tracking: Tracking;
  /** MIGRATE's cached connections to its targets. */
  readonly migrateSockets = new MigrateSockets();
  private lastMigrateSweep = 0;
  /** `latency-tracking`: each command's latencies go to its histogram (INFO latencystats). */
  latencyTracking = true;
  readonly pubsub = new PubSub();
  readonly monitors = new Monitors();
  readonly slowlog = new Slowlog();
  readonly latency = new LatencyMonitor();
  readonly limits: OutputBufferLimits;
  readonly metrics = new InstantaneousMetrics();
  /** What used_memory is made of (INFO memory, MEMORY STATS): the layers above report their parts. */
  readonly memoryParts = new MemoryParts();
  /**
   * Who may run what (../acl/ implements it). The node's composition root installs it right
   * after construction, before the node listens or loads anything.
   */
  accessControl!: AccessControl;
  /**
   * The function libraries (FUNCTION LOAD) as RDB files carry them, their code; persistence saves
   * and loads them through this, scripting (../scripting/) installs the real store.
   */
  functionLibraries: FunctionLibraryStore = { codes: () => [], replaceAll: () => null };
  /** Clients waiting in a blocking command (BLPOP, WAIT, ...). */
  readonly blocked: BlockedClients;
  /** Whether a dataset is being loaded, and how far (Redis's server.loading). */
  readonly loading = new LoadingState();
  readonly pause = new ClientPause();
  /** maxmemory: eviction and the OOM refusal (see eviction.ts). */
  readonly eviction: Eviction;
  /** Rules that refuse commands before they run (see executor.ts CommandGuard). */
  readonly commandGuards: CommandGuard[] = [];
  /** Run when a client disconnects, so every subsystem forgets it (watches, subscriptions...). */
  readonly clientCloseHooks: ((client: Client) => void)[] = [];
  /**
   * Run after CONFIG SET changed a directive (by canonical name), so subsystems that cache a
   * setting apply the new value (Redis's config apply functions).
   */
  readonly configAppliers = new Map<string, (() => void)[]>();
  /**
   * Asked after CONFIG SET stored new values and before the appliers run: an error text refuses
   * the whole CONFIG SET (the values are put back), as Redis's apply functions that can fail do.
   */
  readonly configCheckers = new Map<string, () => string | null>();
  /** Counters other subsystems keep that CONFIG RESETSTAT must zero (sync_full, ...). */
  readonly statResetters: (() => void)[] = [];
  /** stats.errorReplies already attributed to a command (see executor.ts call). */
  errorWatermark = 0;
  /** Writes replies and replication streams once per event-loop turn (Redis's beforeSleep). */
  readonly output = new OutputScheduler();
  /**
   * Run in order during shutdown, before listeners close (persistence saves the final snapshot
   * and flushes the AOF here).
   */
  readonly shutdownHooks: ((options: ShutdownOptions) => Promise<void>)[] = [];
  /** SHUTDOWN's state: waiting for replicas, finishing, or none (see shutdown.ts). */
  readonly shutdownControl = new Shutdown(this, (options) => this.finishShutdown(options));
  readonly stats: ServerStats = {
    connectionsReceived: 0,
    rejectedConnections: 0,
    commandsProcessed: 0,
    netInputBytes: 0,
    netOutputBytes: 0,
    errorReplies: 0,
    errorCodes: new Map(),
    netReplInputBytes: 0,
    netReplOutputBytes: 0,
    syncFull: 0,
    syncPartialOk: 0,
    syncPartialErr: 0,
    readsProcessed: 0,
    writesProcessed: 0,
    unexpectedErrorReplies: 0,
    dumpPayloadSanitizations: 0,
    forks: 0,
    latestForkUsec: 0,
    replyBufferExpands: 0,
    replyBufferShrinks: 0,
  };
  readonly startedAt = Date.now();
  /** INFO server run_id: random per start. */
  readonly runId = randomBytes(20).toString('hex');
  port = 0;
  /** INFO redis_mode: 'sentinel' when the server runs a Sentinel (../sentinel/). */
  mode: 'standalone' | 'sentinel' = 'standalone';
  /** Called once when the node stops by itself or by SHUTDOWN, with the process exit code. */
  onExit: (code: number) => void = () => {};

  private clientIds = 0;
  private listeners: NetServer[] = [];
  /** The `bind` addresses listened on, once listening (CONFIG SET bind moves them). */
  private boundAddresses: readonly string[] | null = null;
  private rebinding: Promise<void> = Promise.resolve();
  /** Set by shutdown (or a failed start): a CONFIG SET bind in flight must not listen again. */
  private stoppedListening = false;
  private cronTimer: NodeJS.Timeout | null = null;
  private lastMetricsSample = 0;
  /** DEBUG SET-ACTIVE-EXPIRE. */
  activeExpireEnabled = true;
  /** The switches DEBUG's knobs set (debug.c's server.* debugging fields); see commands/debug-knobs.ts. */
  readonly debugKnobs = {
    /** DEBUG PAUSE-CRON: the periodic jobs (this cron, persistence's, replication's) skip their turns. */
    cronPaused: false,
    /** DEBUG SET-SKIP-CHECKSUM-VALIDATION: RESTORE payloads and RDB files load without their CRC checked. */
    skipChecksumValidation: false,
    /** DEBUG AOF-FLUSH-SLEEP: microseconds the AOF waits before each write of its buffer. */
    aofFlushSleepMicros: 0,
    /** DEBUG SET-DISABLE-DENY-SCRIPTS: commands flagged noscript may run from scripts. */
    disableDenyScripts: false,
  };
  /** The active expire cycle, and its INFO stats. */
  readonly activeExpire = new ActiveExpireCycle();

  constructor(
    readonly config: Config,
    readonly logger: Logger,
    readonly configFile: string | null,
    /** Every command family the node serves (built by the composition root, ../node.ts). */
    families: readonly (readonly CommandSpec[])[],
  ) {
    this.commands = new CommandTable(families);
    this.blocked = new BlockedClients(this);
    this.keyspace = new Keyspace(config.int('databases'));
    this.keyspace.onExpired = (db, key) => {
      this.propagation.expired(db.id, key, this.config.bool('lazyfree-lazy-expire'));
      this.keyspaceEvents.notify('x', 'expired', key, db.id);
    };
    this.transactions = new Transactions(this.keyspace);
    this.tracking = new Tracking(this);
    this.limits = new OutputBufferLimits(logger);
    this.keyspaceEvents.publish = (head, tail, message) => this.pubsub.publish(head, tail, message);
    this.clientCloseHooks.push(
      (client) => this.transactions.unwatchAll(client),
      (client) => this.pubsub.forget(client),
      (client) => this.monitors.remove(client),
      (client) => this.pause.forget(client),
    );
    this.onConfigSet('slowlog-log-slower-than', () => this.slowlog.configure(config));
    this.onConfigSet('slowlog-max-len', () => this.slowlog.configure(config));
    this.onConfigSet('latency-monitor-threshold', () => (this.latency.thresholdMs = config.int('latency-monitor-threshold')));
    this.onConfigSet('latency-tracking', () => (this.latencyTracking = config.bool('latency-tracking')));
    this.onConfigSet('client-output-buffer-limit', () => this.limits.configure(config));
    this.onConfigSet('notify-keyspace-events', () => this.applyKeyspaceEvents());
    this.configCheckers.set('bind', () => unbindableAddresses(config.bindAddresses()));
    // No active defragmentation here (V8 compacts its own heap): refused as a redis-server built
    // without Redis's jemalloc refuses it (config.c isValidActiveDefrag).
    this.configCheckers.set('activedefrag', () =>
      config.bool('activedefrag')
        ? 'Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution'
        : null,
    );
    this.onConfigSet('bind', () => this.rebind());
    for (const directive of ['maxmemory-policy', 'lfu-log-factor', 'lfu-decay-time']) this.onConfigSet(directive, () => this.applyLfu());
    for (const appliers of this.configAppliers.values()) for (const apply of appliers) apply();
    // After the appliers' first run: a maxmemory from the configuration file is no CONFIG SET.
    this.eviction = new Eviction(this);
  }

  /** notify-keyspace-events: the classes to publish, and the "new key" hook only when 'n' is on. */
  private applyKeyspaceEvents(): void {
    const events = this.keyspaceEvents;
    events.configure(this.config.str('notify-keyspace-events'));
    this.keyspace.onKeyCreated = events.wants('n') ? (db, key) => events.notify('n', 'new', key, db.id) : null;
  }

  /**
   * An LFU maxmemory-policy makes key accesses count frequencies instead of recording an LRU
   * clock (db.c lookupKey's updateLFU), whether or not maxmemory is set, as in Redis.
   */
  private applyLfu(): void {
    const config = this.config;
    this.keyspace.lfu = config.str('maxmemory-policy').endsWith('-lfu')
      ? { logFactor: config.int('lfu-log-factor'), decayTime: config.int('lfu-decay-time') }
      : null;
  }

  /** Registers what to do when CONFIG SET changes `directive` (also run once at construction). */
  onConfigSet(directive: string, apply: () => void): void {
    const appliers = this.configAppliers.get(directive) ?? [];
    appliers.push(apply);
    this.configAppliers.set(directive, appliers);
  }

  /**
   * Counts an error reply (networking.c afterErrorReply): INFO total_error_replies and errorstats.
   * One to our master, to a replica or to the AOF being loaded means the datasets diverged: it is
   * also unexpected_error_replies, and logged loudly as Redis logs it.
   */
  errorReplied(text: string, client?: Client): void {
    this.stats.errorReplies++;
    if (client && (client.isMaster || client.isReplica || client.isAofReplay)) {
      this.stats.unexpectedErrorReplies++;
      const [from, to] = client.isAofReplay
        ? ['server', 'AOF-loading-client']
        : client.isMaster
          ? ['replica', 'master']
          : ['master', 'replica'];
      const command = client.lastCommand === 'NULL' ? '<unknown>' : client.lastCommand;
      this.logger.warning(
        `== CRITICAL == This ${from} is sending an error to its ${to}: '-${text.slice(0, 4095)}' after processing the command '${command}'`,
      );
    }
    const space = text.indexOf(' ');
    const code = space === -1 ? text : text.slice(0, space);
    const codes = this.stats.errorCodes;
    const count = codes.get(code);
    if (count !== undefined) codes.set(code, count + 1);
    else if (codes.size < MAX_ERROR_CODES) codes.set(code, 1);
  }

  /** A client disconnected: forget it everywhere. */
  forgetClient(client: Client): void {
    this.clients.delete(client.id);
    for (const hook of this.clientCloseHooks) hook(client);
  }

  nextClientId(): number {
    return ++this.clientIds;
  }

  /** True when new connections must AUTH first (requirepass set). */
  requiresAuth(): boolean {
    return !this.accessControl.defaultUserAuthenticates;
  }

  /** Opens the listening sockets (Redis's listenToPort); rejects with Redis's log text. */
  async listen(): Promise<void> {
    const port = this.config.int('port');
    this.port = port;
    const addresses = this.config.bindAddresses();
    if (addresses.length === 0) throw new Error('Configured to not listen anywhere, exiting.');
    await this.listenOnAll(addresses, port);
    this.boundAddresses = addresses;
    // Port 0 asks the OS for a free port (the lab host and tests use it); report the real one.
    const addr = this.listeners[0]?.address();
    if (addr && typeof addr === 'object') this.port = addr.port;
  }

  /**
   * config.c changeBindAddr: CONFIG SET bind listens on the new addresses at once; clients already
   * connected stay. Node binds asynchronously, so CONFIG SET has replied by then (addresses that
   * are not this machine's were refused before: bind-addresses.ts); when the new addresses still
   * cannot be bound, the node listens on the old ones again and logs why.
   */
  private rebind(): void {
    if (this.boundAddresses === null) return; // not listening yet (startup runs every applier once)
    this.rebinding = this.rebinding.then(async () => {
      const previous = this.boundAddresses;
      const addresses = this.config.bindAddresses();
      if (previous === null || this.stoppedListening || addresses.join(' ') === previous.join(' ')) return;
      // close() frees the address at once; its callback would wait for every connected client.
      for (const listener of this.listeners.splice(0)) listener.close();
      try {
        await this.listenOnAll(addresses, this.port);
        this.boundAddresses = addresses;
      } catch {
        this.logger.warning('Failed to bind to specified addresses.');
        await this.listenOnAll(previous, this.port).catch(() => undefined);
      }
      // Shut down meanwhile: stop listening again.
      if (this.stoppedListening) for (const listener of this.listeners.splice(0)) listener.close();
    });
  }

  private async listenOnAll(addresses: readonly string[], port: number): Promise<void> {
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
        this.logger.warning(`Warning: Could not create server TCP listening socket ${address}:${port}: bind: ${strerror(err)}`);
        // Nothing is connected to listeners just opened: close them without waiting.
        for (const listener of this.listeners.splice(0)) listener.close();
        throw new Error(`Failed listening on port ${port} (TCP), aborting.`);
      }
    }
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
    if (refusedByProtectedMode(this.config.bool('protected-mode'), this.accessControl.defaultUserHasNoPassword, socket.remoteAddress)) {
      this.stats.rejectedConnections++;
      socket.end(PROTECTED_MODE_DENIED);
      return;
    }
    attachConnection(this, socket);
  }

  startCron(): void {
    const hz = Math.min(Math.max(this.config.int('hz'), 1), 500);
    this.cronTimer = setInterval(() => this.cron(), 1000 / hz);
  }

  /**
   * serverCron: active expiry, instantaneous metrics (every 100 ms), idle-client timeouts, and a
   * shutdown waiting for its replicas.
   */
  private cron(): void {
    if (this.debugKnobs.cronPaused) return;
    this.shutdownControl.cron();
    // processEventsWhileBlocked runs no timers: nothing may change under a yielding script.
    if (this.yielding.active) return;
    if (this.activeExpireEnabled) {
      this.activeExpire.run(this.keyspace, this.config.int('hz'), this.config.int('active-expire-effort'));
    }
    const now = Date.now();
    if (now - this.lastMigrateSweep >= 1000) {
      this.lastMigrateSweep = now;
      this.migrateSockets.closeTimedOut(now);
    }
    if (now - this.lastMetricsSample >= 100) {
      this.lastMetricsSample = now;
      this.metrics.ops.track(this.stats.commandsProcessed, now);
      this.metrics.netInput.track(this.stats.netInputBytes, now);
      this.metrics.netOutput.track(this.stats.netOutputBytes, now);
      this.metrics.netReplInput.track(this.stats.netReplInputBytes, now);
      this.metrics.netReplOutput.track(this.stats.netReplOutputBytes, now);
      // serverCron's stat_peak_memory sample, at the same 100 ms pace as the metrics.
      this.memoryParts.samplePeak(this);
    }
    const timeout = this.config.int('timeout');
    if (timeout > 0) {
      const limit = now - timeout * 1000;
      for (const client of this.clients.values()) {
        // clientsCronHandleTimeout: replicas, masters, subscribers and clients waiting in a
        // blocking command (BLPOP with timeout 0) may stay silent.
        if (client.isReplica || client.isMaster || client.isMonitor || client.inPubSubContext || isBlocked(client)) continue;
        if (client.lastInteraction < limit) {
          this.logger.verbose('Closing idle client');
          client.close();
        }
      }
    }
  }

  /**
   * SHUTDOWN / SIGTERM: waits for lagging replicas (unless options.now), saves, stops accepting,
   * closes clients, then reports exit code 0. Rejects when cancelled (SHUTDOWN ABORT, failed
   * final save): the node keeps serving and a later SHUTDOWN starts over.
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    return this.shutdownControl.request(options);
  }

  /** finishShutdown after the replicas' report: the hooks (final save...), then close and exit. */
  private async finishShutdown(options: ShutdownOptions): Promise<void> {
    for (const hook of this.shutdownHooks) await hook(options);
    if (this.cronTimer) clearInterval(this.cronTimer);
    // A listener's close completes only once its connections are gone, so drop clients first.
    const listenersClosed = this.closeListeners();
    for (const client of this.clients.values()) client.close();
    await listenersClosed;
    this.logger.warning(`${this.mode === 'sentinel' ? 'Sentinel' : 'Redis'} is now ready to exit, bye bye...`);
    this.onExit(0);
  }

  /** Stops accepting connections (shutdown, or a start that failed after listening). */
  async closeListeners(): Promise<void> {
    this.stoppedListening = true;
    const closing = this.listeners.map((l) => new Promise<void>((r) => l.close(() => r())));
    this.listeners = [];
    await Promise.all(closing);
  }
}
