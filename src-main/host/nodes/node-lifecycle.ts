// Creating, starting, stopping, crashing and removing nodes, and recording how each one ended.
// Every operation on a node runs on that node's queue, so clicks that arrive together act in order
// instead of racing over the same node; addNode calls run one at a time on their own queue so that
// two of them never pick the same free port.
import type { AddNodeOptions, NodeStatus, NodeSummary, RemoveNodeOptions } from '../../api/index.js';
import { messageOf } from '../error-message.js';
import type { EventRecorder } from '../events/event-recorder.js';
import type { LabPushes } from '../events/lab-pushes.js';
import type { InfoPoller } from '../metrics/info-poller.js';
import type { ReplicationLinks } from '../replication/replication-links.js';
import type { StoredNode } from '../store/lab-store.js';
import type { NodeStore } from '../store/node-store.js';
import { labNode, type LabNode } from './lab-node.js';
import type { LogRotationOptions } from './log-rotation.js';
import type { NodeBackend, NodeEnd } from './node-backend.js';
import { ensureNodeConfig, removeNodeDir } from './node-files.js';
import type { NodeRegistry } from './node-registry.js';
import type { NodeSummaries } from './node-summary.js';
import { portForNewNode } from './ports.js';
import { shutdownOrder, type StopProgress } from './shutdown-order.js';
import type { RelayLookup } from '../replication/topology.js';
import type { NodeSettings } from '../settings/node-settings.js';
import { SerialQueue } from './serial-queue.js';

/** A brand-new lab's master has this many replicas: enough to fail over and still have a replica. */
const INITIAL_REPLICA_COUNT = 2;

export interface NodeLifecycleDeps {
  dataDir: string;
  backend: NodeBackend;
  registry: NodeRegistry;
  store: NodeStore;
  events: EventRecorder;
  pushes: LabPushes;
  summaries: NodeSummaries;
  info: InfoPoller;
  links: ReplicationLinks;
  /** The lab's link relays: a replica's master_port may be one (see shutdownOrder). */
  relays: RelayLookup;
  logRotation: LogRotationOptions;
  /** Applies a new node's settings and keeps lab.db's copy of every node's settings current. */
  settings: NodeSettings;
}

export class NodeLifecycle {
  private readonly addQueue = new SerialQueue();

  constructor(private readonly deps: NodeLifecycleDeps) {}

  /** Registers a node found in the store, stopped. */
  track(stored: StoredNode): LabNode {
    const node = labNode(stored, this.deps.dataDir, this.deps.logRotation);
    this.deps.registry.add(node);
    return node;
  }

  /**
   * A brand-new lab's first nodes, on the first free ports from 6379 up, not started yet: a master
   * and two replicas linked to it in the lab (stored like any link made with the controls), so the
   * first thing a user sees is replication working, and every later action (cut a link, crash the
   * master, fail over) starts from there.
   */
  async createInitialNodes(): Promise<LabNode[]> {
    const master = this.create({ port: await this.portFor() });
    const created = [master];
    for (let i = 0; i < INITIAL_REPLICA_COUNT; i++) {
      const replica = this.create({ port: await this.portFor() });
      this.deps.store.setReplicaOf(replica.stored.id, master.stored.id);
      replica.stored.replicaOf = master.stored.id;
      created.push(replica);
    }
    return created;
  }

  /**
   * Starts nodes masters first: a replica started together with its master would find the port
   * closed and retry a second later, so the lab would come up with its links down for a moment.
   * Resolves when every start has ended either way (failures are recorded as events).
   */
  async startInOrder(nodes: readonly LabNode[]): Promise<void> {
    const starting = new Set(nodes);
    const waitsForMaster = (node: LabNode): boolean => {
      const master = this.deps.links.storedMaster(node);
      return master !== undefined && starting.has(master);
    };
    await Promise.allSettled(nodes.filter((node) => !waitsForMaster(node)).map((node) => this.start(node.stored.id)));
    await Promise.allSettled(nodes.filter(waitsForMaster).map((node) => this.start(node.stored.id)));
  }

  async add(options: AddNodeOptions = {}): Promise<NodeSummary> {
    if (this.deps.registry.isClosing) throw new Error('the lab is closing');
    const node = await this.addQueue.run(async () => {
      const port = await this.portFor(options.port);
      return this.create({ name: options.name, port });
    });
    let summary: NodeSummary;
    try {
      summary = await this.start(node.stored.id);
    } catch {
      throw new Error(`${node.stored.name} was created on port ${node.stored.port}, but could not start: ${node.lastError}`);
    }
    if (!options.settings) return summary;
    // The settings are applied as applyNodeSettings would (checked by the node itself); a value the
    // node refuses undoes the whole add, so bad input leaves no half-made node behind.
    const refusal = await node.queue.run(() => this.deps.settings.applyNow(node, options.settings!));
    if (!refusal) return this.deps.summaries.of(node);
    await this.remove(node.stored.id, { deleteDir: true });
    throw new Error(`the node refused ${refusal.name ?? 'the settings'}: ${refusal.error} (nothing was created)`);
  }

  async start(id: string): Promise<NodeSummary> {
    const node = this.deps.registry.get(id);
    refuseExternal(node, 'starts');
    return node.queue.run(() => this.startNow(node));
  }

  /**
   * A graceful stop (SHUTDOWN as the node is configured: with save points it saves its RDB first),
   * then a start from the same config and files, as `redis-cli shutdown` followed by redis-server
   * would. Both halves run in one turn of the node's queue, so no other click lands in between.
   */
  async restart(id: string): Promise<NodeSummary> {
    const node = this.deps.registry.get(id);
    refuseExternal(node, 'restarts');
    return node.queue.run(async () => {
      if (!node.running) throw new Error(`${node.stored.name} is not running; start it instead`);
      await this.stopRunning(node, 'stopped to restart');
      return this.startNow(node);
    });
  }

  /** Starts the node now; the caller holds its queue. */
  private async startNow(node: LabNode): Promise<NodeSummary> {
    const { store, backend, events, links, info, summaries } = this.deps;
    const id = node.stored.id;
    store.setShouldRun(id, true);
    node.stored.shouldRun = true;
    if (node.running) return summaries.of(node);
    this.setStatus(node, 'starting');
    let link: Awaited<ReturnType<ReplicationLinks['startArgs']>> = null;
    try {
      link = await links.startArgs(node);
      ensureNodeConfig(node.files, node.stored);
      node.running = await backend.start({
        // Later directives win, so the lab's link overrides a `replicaof` in the node's own config.
        argv: [node.files.configFile, ...(link?.argv ?? [])],
        onLog: (line) => this.onLog(node, line),
        onEnd: (end) => this.onEnd(node, end),
      });
    } catch (error) {
      node.lastError = messageOf(error);
      events.record(node.stored, 'error', `could not start: ${node.lastError}`);
      this.setStatus(node, 'stopped');
      throw new Error(`${node.stored.name} could not start: ${node.lastError}`);
    }
    node.lastError = null;
    const asReplica = link
      ? `, replicating from ${link.master.stored.name} (port ${link.master.stored.port}) through the lab's relay (${link.argv.join(' ')})`
      : '';
    events.record(node.stored, 'started', `listening on 127.0.0.1:${node.running.port}${asReplica}`);
    this.setStatus(node, 'running');
    await info.refresh(node);
    await this.deps.settings.refresh(node);
    return summaries.of(node);
  }

  async stop(id: string): Promise<NodeSummary> {
    const node = this.deps.registry.get(id);
    refuseExternal(node, 'stops');
    return node.queue.run(async () => {
      this.deps.store.setShouldRun(id, false);
      node.stored.shouldRun = false;
      await this.stopRunning(node, 'stopped');
      return this.deps.summaries.of(node);
    });
  }

  /** Stops the node if it runs and forgets it; deletes its directory (data, config and log) if asked to. */
  async remove(id: string, options: RemoveNodeOptions): Promise<void> {
    const { registry, store, links, events, summaries } = this.deps;
    const node = registry.get(id);
    if (node.stored.external && options.deleteDir) {
      throw new Error(`${node.stored.name} is an external node: the lab only detaches it and never touches its files`);
    }
    return node.queue.run(async () => {
      await this.stopRunning(node, 'stopped before being removed');
      node.running = null;
      store.delete(id);
      registry.delete(id);
      links.forgetMaster(id);
      if (node.stored.external) {
        events.record(
          node.stored,
          'detached',
          `detached; the server at ${node.stored.external.host}:${node.stored.port} keeps running as it is`,
        );
      } else if (options.deleteDir) {
        removeNodeDir(this.deps.dataDir, node.files.dir);
        events.record(node.stored, 'removed', `removed with its directory ${node.files.dir}`);
      } else {
        events.record(node.stored, 'removed', `removed; its directory ${node.files.dir} was kept`);
      }
      summaries.push();
    });
  }

  /** The `crashed` event is recorded by onEnd, as for a crash nobody asked for. */
  async crash(id: string): Promise<NodeSummary> {
    const node = this.deps.registry.get(id);
    refuseExternal(node, 'crashes');
    return node.queue.run(async () => {
      if (!node.running) throw new Error(`${node.stored.name} is not running`);
      await node.running.crash();
      return this.deps.summaries.of(node);
    });
  }

  /**
   * Stops every node gracefully, each after whatever its queue already holds: masters first, then
   * their replicas, then theirs (stopShutdownOrder). A master's SHUTDOWN waits, up to its
   * shutdown-timeout, for replicas that have not acknowledged everything; stopping the replicas
   * meanwhile would leave them without the last writes. `progress` hears each step.
   */
  async stopAll(reason: string, progress?: (step: StopProgress) => void): Promise<void> {
    const steps = shutdownOrder(
      this.deps.registry.all().filter((node) => node.running && !node.stored.external),
      this.deps.relays,
    );
    const total = steps.reduce((n, step) => n + step.length, 0);
    let stopped = 0;
    for (const step of steps) {
      progress?.({ total, stopped, stopping: step });
      await Promise.allSettled(step.map((node) => node.queue.run(() => this.stopRunning(node, reason))));
      stopped += step.length;
    }
    // Nodes that were starting when the lab began to close: after their queue's start, stop them too.
    await Promise.allSettled(this.deps.registry.all().map((node) => node.queue.run(() => this.stopRunning(node, reason))));
    progress?.({ total, stopped, stopping: [] });
  }

  private create(settings: { name?: string; port: number }): LabNode {
    const stored = this.deps.store.insert({ ...settings, directives: [], shouldRun: true });
    const node = this.track(stored);
    ensureNodeConfig(node.files, stored);
    this.deps.events.record(node.stored, 'created', `port ${stored.port}, directory ${node.files.dir}`);
    this.deps.summaries.push();
    return node;
  }

  private portFor(requested?: number): Promise<number> {
    return portForNewNode(
      this.deps.registry.all().map((node) => node.stored),
      requested,
    );
  }

  /** Graceful stop if the node runs; its `stopped` event is recorded by onEnd with `reason`. */
  private async stopRunning(node: LabNode, reason: string): Promise<void> {
    if (!node.running || node.stored.external) return;
    node.stopReason = reason;
    this.setStatus(node, 'stopping');
    await node.running.stop();
  }

  private onLog(node: LabNode, line: string): void {
    try {
      node.logRotator.written(line);
    } catch (error) {
      // A log that cannot be rotated (a read-only directory, a file held open elsewhere) keeps
      // growing; the node and the lab carry on.
      this.deps.events.record(node.stored, 'error', `could not rotate ${node.files.logFile}: ${messageOf(error)}`);
    }
    node.log.add(line);
    this.deps.pushes.emit({ type: 'log', nodeId: node.stored.id, line });
  }

  /** The node is gone: record how it ended. */
  private onEnd(node: LabNode, end: NodeEnd): void {
    const { store, events } = this.deps;
    node.running = null;
    node.info = null;
    if (end.kind === 'stopped') {
      node.lastError = end.problem ?? null;
      events.record(node.stored, 'stopped', end.problem ? `${node.stopReason}; ${end.problem}` : node.stopReason);
      this.setStatus(node, 'stopped');
    } else if (end.kind === 'shutdown' && end.code === 0) {
      // A client sent SHUTDOWN: that is the user's wish too, so the lab does not restart it.
      store.setShouldRun(node.stored.id, false);
      node.stored.shouldRun = false;
      node.lastError = null;
      events.record(node.stored, 'stopped', 'stopped by a SHUTDOWN command');
      this.setStatus(node, 'stopped');
    } else {
      node.lastError = end.kind === 'crashed' ? end.reason : (node.log.tail(1)[0] ?? `exited with code ${end.code}`);
      events.record(node.stored, 'crashed', node.lastError);
      this.setStatus(node, 'crashed');
    }
  }

  private setStatus(node: LabNode, status: NodeStatus): void {
    node.status = status;
    this.deps.summaries.push();
  }
}

/** Start, stop, restart and crash are the lab's own nodes' controls: an external node runs on its own. */
function refuseExternal(node: LabNode, what: string): void {
  if (node.stored.external) throw new Error(`${node.stored.name} is an external node: the lab never ${what} it`);
}
