// The lab host: the LabApi that the renderer calls over either transport, as a thin facade over
// services with one job each:
//   nodes/        the node registry, their lifecycle (start, stop, crash, remove), files and logs,
//                 run through a NodeBackend (today: one worker thread per node, nodes/worker-thread/);
//                 external nodes (nodes/external/): Redis servers attached by address, never started
//                 or stopped by the lab
//   replication/  links made in the lab, FAILOVER and its progress, the stale-master warning, and
//                 the topology and REPLICAOF loops read from INFO
//   metrics/      INFO polling (every 500 ms) and parsing
//   events/       the push stream, and events recorded in the store and pushed
//   store/        lab.db: nodes, events, settings and history across restarts
//   access/       browser mode's token (stored, rotatable) and last HTTP port
//   history/      every node's INFO once a second in lab.db, lag in bytes and seconds, sync spans
//   export/       the log archive of a time range (also `replica-lab export` for a stopped lab)
//   links/        the lab-owned TCP relay on each link the lab makes, and the faults applied there
//   load/         the write load generator: a worker thread per master under load
//   console/      a redis-cli-like console per node, over a client connection of its own
//   node-panel/   a node's INFO everything and the files in its directory, on request
//   backlog/      a master's backlog range, its replicas' offsets in it and whether each could resume
//   settings/     per-node settings: CONFIG SET + CONFIG REWRITE, all or nothing, copied into lab.db
//   observed/     events from what the nodes do (role, link, failover states, config, syncs), by the lab or not
//   sentinels/    Sentinels on a chosen master (a worker thread each, like nodes), their events, the failover demo
//   stream-view/  the replication stream of a link, read by a passive tap at its relay while a view watches
// It pushes the node list with fresh INFO every 500 ms, and every event and log line as it happens.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type {
  AddNodeOptions,
  AttachNodeOptions,
  AddSentinelOptions,
  BacklogView,
  ClientListEntry,
  ConsoleReplyLines,
  ApplySettingsResult,
  ExportedArchive,
  ExportRequest,
  HistoryData,
  HistoryRange,
  LabApi,
  LabEvent,
  LabPush,
  NodePanelData,
  LoadOptions,
  LoadStatus,
  NodeSettingsView,
  NodeSettingValues,
  NodeSummary,
  RemoveNodeOptions,
  SentinelDemoResult,
  SentinelSummary,
  SlowLinkLimits,
  StaleStartWarning,
  StartAction,
  StreamWatchStatus,
} from '../api/index.js';
import { BrowserAccess } from './access/browser-access.js';
import { BacklogService } from './backlog/backlog-service.js';
import { ConsoleService } from './console/console-service.js';
import { EventRecorder } from './events/event-recorder.js';
import { LabPushes } from './events/lab-pushes.js';
import { ExportService } from './export/export-service.js';
import { HistoryRecorder } from './history/history-recorder.js';
import { LinkFaults } from './links/link-faults.js';
import { LinkRelays } from './links/link-relays.js';
import { LoadGenerators } from './load/load-generators.js';
import { InfoPoller } from './metrics/info-poller.js';
import { NodePanelService } from './node-panel/node-panel-service.js';
import { DEFAULT_LOG_ROTATION, type LogRotationOptions } from './nodes/log-rotation.js';
import { ExternalNodes } from './nodes/external/external-nodes.js';
import { NodeLifecycle } from './nodes/node-lifecycle.js';
import { NodeRegistry } from './nodes/node-registry.js';
import { NodeSummaries } from './nodes/node-summary.js';
import { WorkerThreadBackend } from './nodes/worker-thread/worker-thread-backend.js';
import { Failovers } from './replication/failover.js';
import { ReplicationLinks } from './replication/replication-links.js';
import { StaleMasterCheck } from './replication/stale-master.js';
import { NodeSettings } from './settings/node-settings.js';
import { ConfigWatch } from './observed/config-watch.js';
import { LabIntents } from './observed/lab-intents.js';
import { RoleWatch } from './observed/role-watch.js';
import { SyncEvents } from './observed/sync-events.js';
import { SentinelService } from './sentinels/sentinel-service.js';
import { LabStore } from './store/lab-store.js';
import { StreamViews } from './stream-view/stream-views.js';

export interface LabHostOptions {
  /** Where lab.db and the nodes' directories live. Created if missing. */
  dataDir: string;
  /** The bundled worker entry, out/main/node-worker.js (the caller knows where the bundle is). */
  workerScript: string;
  /** The Sentinels' worker entry; by default sentinel-worker.js beside `workerScript`. */
  sentinelWorkerScript?: string;
  /** The load generator's worker entry; by default load-worker.js beside `workerScript`. */
  loadWorkerScript?: string;
  /** Browser mode: exported archives are offered as downloads (else they stay in <dataDir>/exports). */
  offersDownloads?: boolean;
  /** When node logs rotate and how many parts are kept (default: DEFAULT_LOG_ROTATION). */
  logRotation?: Partial<LogRotationOptions>;
}

const DEFAULT_EVENT_LIMIT = 100;
const DEFAULT_LOG_LIMIT = 200;

export class LabHost implements LabApi {
  private constructor(
    private readonly store: LabStore,
    private readonly registry: NodeRegistry,
    private readonly pushes: LabPushes,
    private readonly summaries: NodeSummaries,
    private readonly info: InfoPoller,
    private readonly links: ReplicationLinks,
    private readonly lifecycle: NodeLifecycle,
    private readonly failovers: Failovers,
    private readonly staleMaster: StaleMasterCheck,
    /** Browser mode's token and port; browser mode's server reads and watches it. */
    readonly access: BrowserAccess,
    private readonly recorder: HistoryRecorder,
    private readonly exports: ExportService,
    private readonly consoles: ConsoleService,
    private readonly panels: NodePanelService,
    private readonly backlogs: BacklogService,
    private readonly relays: LinkRelays,
    private readonly faults: LinkFaults,
    private readonly loads: LoadGenerators,
    private readonly settings: NodeSettings,
    private readonly externals: ExternalNodes,
    /** What the lab itself asked of each node lately, to tell its changes from anyone else's. */
    private readonly intents: LabIntents,
    private readonly configWatch: ConfigWatch,
    private readonly sentinels: SentinelService,
    private readonly streams: StreamViews,
  ) {}

  /** Where exported archives are written (browser mode serves its downloads from here). */
  get exportsDir(): string {
    return this.exports.dir;
  }

  /**
   * Opens the lab in `dataDir`. A brand-new lab gets a master and two replicas from port 6379 up; an existing lab
   * starts the nodes that were meant to be running when it last closed. Resolves once they are up
   * (or have failed, which the events record).
   */
  static async open(options: LabHostOptions): Promise<LabHost> {
    mkdirSync(options.dataDir, { recursive: true });
    const store = LabStore.open(options.dataDir);
    const registry = new NodeRegistry();
    const pushes = new LabPushes();
    const events = new EventRecorder(store.events, pushes);
    const relays = new LinkRelays(registry);
    // What the lab itself asks of each node, to tell its changes from anyone else's (observed/).
    const intents = new LabIntents();
    const settings = new NodeSettings(registry, store.nodes, intents);
    const summaries = new NodeSummaries(registry, pushes, relays);
    const info = new InfoPoller(registry, () => summaries.push());
    const links = new ReplicationLinks(registry, store.nodes, events, info, summaries, relays, settings);
    const faults = new LinkFaults(registry, relays, events, info, summaries);
    const loads = new LoadGenerators(
      options.loadWorkerScript ?? join(dirname(options.workerScript), 'load-worker.js'),
      registry,
      events,
      pushes,
    );
    const lifecycle = new NodeLifecycle({
      dataDir: options.dataDir,
      backend: new WorkerThreadBackend(options.workerScript),
      registry,
      store: store.nodes,
      events,
      pushes,
      summaries,
      info,
      links,
      relays,
      logRotation: { ...DEFAULT_LOG_ROTATION, ...options.logRotation },
      settings,
    });
    const externals = new ExternalNodes(registry, store.nodes, events, info, summaries, (stored) => lifecycle.track(stored));
    for (const stored of store.nodes.list()) {
      const node = lifecycle.track(stored);
      if (stored.external) externals.connect(node);
    }
    const recorder = new HistoryRecorder(store.history, registry, info, (push) => pushes.emit(push));
    pushes.subscribe((push) => {
      if (push.type === 'log') {
        recorder.logLine(push.nodeId, push.line);
        faults.logLine(push.nodeId, push.line);
      }
    });
    recorder.start();
    const roleWatch = new RoleWatch(events, intents, (node) => {
      const masterId = summaries.of(node).master?.nodeId;
      return masterId ? (registry.find(masterId)?.stored.name ?? null) : null;
    });
    info.onSample((node, text) => roleWatch.sample(node, text));
    const syncEvents = new SyncEvents(registry, events);
    pushes.subscribe((push) => {
      if (push.type === 'history') syncEvents.history(push);
    });
    const configWatch = new ConfigWatch(registry, events, intents);
    configWatch.start();
    summaries.setWarningSources({
      settings: (node) => configWatch.settings(node),
      writeRate: (id, windowMs) => recorder.writeRate(id, windowMs),
      reachedWithoutPassword: (node) => configWatch.reachedWithoutPassword(node),
    });
    info.start();
    const failovers = new Failovers(registry, store.nodes, events, info, summaries, relays);
    const staleMaster = new StaleMasterCheck(registry, store.nodes, summaries, links, lifecycle, events);
    const access = new BrowserAccess(store.settings);
    const exports = new ExportService(
      options.dataDir,
      () => options.offersDownloads === true,
      () => recorder.flush(),
    );
    const consoles = new ConsoleService(registry, pushes);
    const host = new LabHost(
      store,
      registry,
      pushes,
      summaries,
      info,
      links,
      lifecycle,
      failovers,
      staleMaster,
      access,
      recorder,
      exports,
      consoles,
      new NodePanelService(registry),
      new BacklogService(registry, recorder),
      relays,
      faults,
      loads,
      settings,
      externals,
      intents,
      configWatch,
      new SentinelService({
        dataDir: options.dataDir,
        backend: new WorkerThreadBackend(options.sentinelWorkerScript ?? join(dirname(options.workerScript), 'sentinel-worker.js')),
        store: store.sentinels,
        nodes: registry,
        events,
        failovers,
        crash: (id) => lifecycle.crash(id),
      }),
      new StreamViews(registry, relays, pushes, summaries),
    );
    const toStart = store.nodes.everHadNodes()
      ? registry.all().filter((node) => node.stored.shouldRun)
      : await lifecycle.createInitialNodes();
    await lifecycle.startInOrder(toStart);
    await host.sentinels.startStored();
    return host;
  }

  /** Subscribes to pushes; returns the unsubscribe function. */
  onPush(listener: (push: LabPush) => void): () => void {
    return this.pushes.subscribe(listener);
  }

  async listNodes(): Promise<NodeSummary[]> {
    return this.summaries.all();
  }

  addNode(options: AddNodeOptions = {}): Promise<NodeSummary> {
    return this.lifecycle.add(options);
  }

  attachNode(options: AttachNodeOptions): Promise<NodeSummary> {
    return this.externals.attach(options);
  }

  startNode(id: string): Promise<NodeSummary> {
    return this.lifecycle.start(id);
  }

  stopNode(id: string): Promise<NodeSummary> {
    return this.lifecycle.stop(id);
  }

  restartNode(id: string): Promise<NodeSummary> {
    return this.lifecycle.restart(id);
  }

  async removeNode(id: string, options: RemoveNodeOptions): Promise<void> {
    await this.loads.forget(id);
    return this.lifecycle.remove(id, options);
  }

  async listEvents(limit = DEFAULT_EVENT_LIMIT): Promise<LabEvent[]> {
    return this.store.events.listRecent(limit);
  }

  async nodeLog(id: string, limit = DEFAULT_LOG_LIMIT): Promise<string[]> {
    return this.registry.get(id).log.tail(limit);
  }

  linkNode(id: string, masterId: string | null): Promise<NodeSummary> {
    this.intents.expect(id, 'role', masterId === null ? 'master' : 'replica');
    return this.links.link(id, masterId);
  }

  failover(masterId: string, replicaId: string): Promise<NodeSummary> {
    this.intents.expect(masterId, 'role', 'replica');
    this.intents.expect(replicaId, 'role', 'master');
    return this.failovers.failover(masterId, replicaId);
  }

  abortFailover(masterId: string): Promise<NodeSummary> {
    this.intents.expect(masterId, 'role', 'master');
    return this.failovers.abort(masterId);
  }

  startWarning(id: string, action: StartAction): Promise<StaleStartWarning | null> {
    return this.staleMaster.warning(id, action);
  }

  promoteInstead(id: string, replicaId: string, action: StartAction): Promise<NodeSummary> {
    this.intents.expect(replicaId, 'role', 'master');
    return this.staleMaster.promoteInstead(id, replicaId, action);
  }

  crashNode(id: string): Promise<NodeSummary> {
    return this.lifecycle.crash(id);
  }

  async history(range: HistoryRange): Promise<HistoryData> {
    return this.recorder.history(range.since, range.until);
  }

  exportLogs(request?: ExportRequest): Promise<ExportedArchive> {
    return this.exports.export(request);
  }

  consoleRun(id: string, line: string): Promise<ConsoleReplyLines> {
    return this.consoles.run(id, line);
  }

  consoleCancel(id: string): Promise<{ cancelled: boolean }> {
    return this.consoles.cancel(id);
  }

  nodePanel(id: string): Promise<NodePanelData> {
    return this.panels.panel(id);
  }

  nodeClients(id: string): Promise<ClientListEntry[]> {
    return this.panels.clients(id);
  }

  backlog(masterId: string): Promise<BacklogView> {
    return this.backlogs.backlog(masterId);
  }

  cutLink(replicaId: string): Promise<NodeSummary> {
    return this.faults.cut(replicaId);
  }

  restoreLink(replicaId: string): Promise<NodeSummary> {
    return this.faults.restore(replicaId);
  }

  stallLink(replicaId: string): Promise<NodeSummary> {
    return this.faults.stall(replicaId);
  }

  slowLink(replicaId: string, limits: SlowLinkLimits): Promise<NodeSummary> {
    return this.faults.slow(replicaId, limits);
  }

  startLoad(masterId: string, options: LoadOptions): Promise<LoadStatus> {
    return this.loads.start(masterId, options);
  }

  stopLoad(masterId: string): Promise<LoadStatus | null> {
    return this.loads.stop(masterId);
  }

  async listLoads(): Promise<LoadStatus[]> {
    return this.loads.list();
  }

  nodeSettings(id: string): Promise<NodeSettingsView> {
    return this.settings.view(id);
  }

  applyNodeSettings(id: string, changes: NodeSettingValues): Promise<ApplySettingsResult> {
    return this.settings.apply(id, changes);
  }

  listSentinels(): Promise<SentinelSummary[]> {
    return this.sentinels.list();
  }

  addSentinel(options: AddSentinelOptions): Promise<SentinelSummary> {
    return this.sentinels.add(options);
  }

  startSentinel(id: string): Promise<SentinelSummary> {
    return this.sentinels.start(id);
  }

  stopSentinel(id: string): Promise<SentinelSummary> {
    return this.sentinels.stop(id);
  }

  restartSentinel(id: string): Promise<SentinelSummary> {
    return this.sentinels.restart(id);
  }

  crashSentinel(id: string): Promise<SentinelSummary> {
    return this.sentinels.crash(id);
  }

  removeSentinel(id: string): Promise<void> {
    return this.sentinels.remove(id);
  }

  sentinelFailoverDemo(masterId: string, timeoutMs?: number): Promise<SentinelDemoResult> {
    return this.sentinels.failoverDemo(masterId, timeoutMs);
  }

  streamWatch(replicaId: string): Promise<StreamWatchStatus> {
    return this.streams.watch(replicaId);
  }

  async streamUnwatch(replicaId: string): Promise<void> {
    this.streams.unwatch(replicaId);
  }

  async rotateToken(): Promise<{ token: string }> {
    return { token: this.access.rotate() };
  }

  /**
   * Stops every node gracefully (masters before their replicas, with `closing` pushes as it goes)
   * and closes the store. Nodes keep their "should run" flag for next time.
   */
  async close(): Promise<void> {
    if (this.registry.isClosing) return;
    this.registry.markClosing();
    this.info.stop();
    this.configWatch.stop();
    this.consoles.closeAll();
    this.streams.closeAll();
    await this.loads.stopAll();
    // Sentinels first: stopping the masters next must not look like a failure to fail over from.
    await this.sentinels.stopAll();
    await this.lifecycle.stopAll('stopped because the lab is closing', ({ total, stopped, stopping }) =>
      this.pushes.emit({ type: 'closing', total, stopped, stopping: stopping.map((node) => node.stored.name) }),
    );
    await this.relays.closeAll();
    this.recorder.stop();
    this.pushes.clear();
    this.store.close();
  }
}
