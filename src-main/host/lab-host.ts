// The lab host: owns the lab's nodes (each in its own worker thread, see node-thread.ts), keeps them
// in the store, and implements the LabApi that the renderer calls over either transport. It pushes
// the node list with fresh INFO twice a second, and every event and log line as it happens.
//
// Replication links follow Redis's own rule with one lab-level addition. A REPLICAOF sent to a node
// (by linkNode, or by anyone with redis-cli) changes only the running node, and is gone when it
// restarts, unless CONFIG REWRITE saved it. But a link made with the lab's controls is the lab's
// configuration, like the node's port: it is stored in lab.db and given to the node as
// `--replicaof 127.0.0.1 <port>` every time the lab starts it, as one would start redis-server, so
// a restarted replica comes back as a replica and can resume with a partial resync from its RDB.
// What the screen shows as the topology is always what the nodes' INFO says, not what was stored.
import { mkdirSync, rmSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import type {
  AddNodeOptions,
  LabApi,
  LabEvent,
  LabEventKind,
  LabPush,
  NodeLiveInfo,
  NodeStatus,
  NodeSummary,
} from '../api/index.js';
import { parseNodeInfo } from './metrics/info-parser.js';
import { LabStore, type StoredNode } from './store/lab-store.js';
import { sendNodeCommand } from './nodes/node-command.js';
import { ensureNodeConfig, nodeFiles, type NodeFiles } from './nodes/node-files.js';
import { NodeLog } from './nodes/node-log.js';
import { NodeThread, type ThreadEnd } from './nodes/worker-thread/node-thread.js';
import { isPortFree, nextFreePort } from './nodes/ports.js';
import { findReplicationCycles, masterPointer, type TopologyNode } from './replication/topology.js';
import { SerialQueue } from './nodes/serial-queue.js';

export interface LabHostOptions {
  /** Where lab.db and the nodes' directories live. Created if missing. */
  dataDir: string;
  /** The bundled worker entry, out/main/node-worker.js (the caller knows where the bundle is). */
  workerScript: string;
}

/** How many nodes a brand-new lab starts with: enough for a master and two replicas. */
const INITIAL_NODE_COUNT = 3;
/** INFO is polled and the node list pushed this often: the UI promises fresh numbers every second. */
const POLL_INTERVAL_MS = 500;
const DEFAULT_EVENT_LIMIT = 100;
const DEFAULT_LOG_LIMIT = 200;

/** Everything the host knows about one node: its stored settings plus what is happening to it now. */
interface LabNode {
  stored: StoredNode;
  files: NodeFiles;
  status: NodeStatus;
  thread: NodeThread | null;
  info: NodeLiveInfo | null;
  lastError: string | null;
  log: NodeLog;
  /** Start/stop/remove of this node, one at a time. */
  queue: SerialQueue;
  /** Why the host is stopping it, for the `stopped` event. */
  stopReason: string;
  infoInFlight: boolean;
}

export class LabHost implements LabApi {
  private readonly nodes = new Map<string, LabNode>();
  private readonly listeners = new Set<(push: LabPush) => void>();
  /** addNode calls one at a time, so that two of them never pick the same free port. */
  private readonly addQueue = new SerialQueue();
  private readonly poller: NodeJS.Timeout;
  private closed = false;

  private constructor(
    private readonly store: LabStore,
    private readonly options: LabHostOptions,
  ) {
    for (const stored of store.listNodes()) this.track(stored);
    this.poller = setInterval(() => this.poll(), POLL_INTERVAL_MS);
  }

  /**
   * Opens the lab in `dataDir`. A brand-new lab gets three nodes from port 6379 up; an existing lab
   * starts the nodes that were meant to be running when it last closed. Resolves once they are up
   * (or have failed, which the events record).
   */
  static async open(options: LabHostOptions): Promise<LabHost> {
    mkdirSync(options.dataDir, { recursive: true });
    const store = LabStore.open(options.dataDir);
    const host = new LabHost(store, options);
    const toStart = store.everHadNodes()
      ? [...host.nodes.values()].filter((node) => node.stored.shouldRun)
      : await host.createInitialNodes();
    await Promise.allSettled(toStart.map((node) => host.startNode(node.stored.id)));
    return host;
  }

  /** Subscribes to pushes; returns the unsubscribe function. */
  onPush(listener: (push: LabPush) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async listNodes(): Promise<NodeSummary[]> {
    return this.summaries();
  }

  async addNode(options: AddNodeOptions = {}): Promise<NodeSummary> {
    if (this.closed) throw new Error('the lab is closing');
    const node = await this.addQueue.run(async () => {
      const port = await this.portForNewNode(options.port);
      return this.createNode({ name: options.name, port });
    });
    try {
      return await this.startNode(node.stored.id);
    } catch {
      throw new Error(`${node.stored.name} was created on port ${node.stored.port}, but could not start: ${node.lastError}`);
    }
  }

  async startNode(id: string): Promise<NodeSummary> {
    const node = this.node(id);
    return node.queue.run(async () => {
      this.store.setShouldRun(id, true);
      node.stored.shouldRun = true;
      if (node.thread) return this.summary(node);
      this.setStatus(node, 'starting');
      const master = this.storedMaster(node);
      try {
        ensureNodeConfig(node.files, node.stored);
        node.thread = await NodeThread.start({
          script: this.options.workerScript,
          // Later directives win, so the lab's link overrides a `replicaof` in the node's own config.
          argv: master ? [node.files.configFile, '--replicaof', '127.0.0.1', String(master.stored.port)] : [node.files.configFile],
          onLog: (line) => this.onNodeLog(node, line),
          onEnd: (end) => this.onNodeEnd(node, end),
        });
      } catch (error) {
        node.lastError = messageOf(error);
        this.record(node, 'error', `could not start: ${node.lastError}`);
        this.setStatus(node, 'stopped');
        throw new Error(`${node.stored.name} could not start: ${node.lastError}`);
      }
      node.lastError = null;
      const asReplica = master ? `, replicating from ${master.stored.name} (--replicaof 127.0.0.1 ${master.stored.port})` : '';
      this.record(node, 'started', `listening on 127.0.0.1:${node.thread.port}${asReplica}`);
      this.setStatus(node, 'running');
      await this.refreshInfo(node);
      return this.summary(node);
    });
  }

  async stopNode(id: string): Promise<NodeSummary> {
    const node = this.node(id);
    return node.queue.run(async () => {
      this.store.setShouldRun(id, false);
      node.stored.shouldRun = false;
      await this.stopThread(node, 'stopped');
      return this.summary(node);
    });
  }

  /** Stops the node if it runs, forgets it and deletes its directory (data, config and log). */
  async removeNode(id: string): Promise<void> {
    const node = this.node(id);
    return node.queue.run(async () => {
      await this.stopThread(node, 'stopped before being removed');
      this.store.deleteNode(id);
      this.nodes.delete(id);
      for (const other of this.nodes.values()) if (other.stored.replicaOf === id) other.stored.replicaOf = null;
      removeNodeDir(this.options.dataDir, node.files.dir);
      this.record(node, 'removed', `removed with its directory ${node.files.dir}`);
      this.pushNodes();
    });
  }

  async listEvents(limit = DEFAULT_EVENT_LIMIT): Promise<LabEvent[]> {
    return this.store.listEvents(limit);
  }

  async nodeLog(id: string, limit = DEFAULT_LOG_LIMIT): Promise<string[]> {
    return this.node(id).log.tail(limit);
  }

  async linkNode(id: string, masterId: string | null): Promise<NodeSummary> {
    const node = this.node(id);
    const master = masterId === null ? null : this.node(masterId);
    return node.queue.run(async () => {
      if (!node.thread) throw new Error(`${node.stored.name} is not running; start it first`);
      const command = master ? ['REPLICAOF', '127.0.0.1', String(master.stored.port)] : ['REPLICAOF', 'NO', 'ONE'];
      let reply: string;
      try {
        reply = await sendNodeCommand(node.thread.port, command);
      } catch (error) {
        throw new Error(`${node.stored.name} answered ${command.join(' ')} with: ${messageOf(error)}`);
      }
      this.store.setReplicaOf(id, masterId);
      node.stored.replicaOf = masterId;
      if (master) this.record(node, 'linked', `replicates from ${master.stored.name}: ${command.join(' ')} -> ${reply}`);
      else this.record(node, 'promoted', `promoted to master: ${command.join(' ')} -> ${reply}`);
      await this.refreshInfo(node);
      return this.summary(node);
    });
  }

  /** The `crashed` event is recorded by onNodeEnd, as for a crash nobody asked for. */
  async crashNode(id: string): Promise<NodeSummary> {
    const node = this.node(id);
    return node.queue.run(async () => {
      if (!node.thread) throw new Error(`${node.stored.name} is not running`);
      await node.thread.crash();
      return this.summary(node);
    });
  }

  /** Stops every node gracefully and closes the store. Nodes keep their "should run" flag for next time. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.poller);
    await Promise.allSettled(
      [...this.nodes.values()].map((node) => node.queue.run(() => this.stopThread(node, 'stopped because the lab is closing'))),
    );
    this.listeners.clear();
    this.store.close();
  }

  // ---- internals ----

  private async createInitialNodes(): Promise<LabNode[]> {
    const created: LabNode[] = [];
    for (let i = 0; i < INITIAL_NODE_COUNT; i++) created.push(this.createNode({ port: await this.portForNewNode() }));
    return created;
  }

  private createNode(settings: { name?: string; port: number }): LabNode {
    const stored = this.store.insertNode({ ...settings, directives: [], shouldRun: true });
    const node = this.track(stored);
    ensureNodeConfig(node.files, stored);
    this.record(node, 'created', `port ${stored.port}, directory ${node.files.dir}`);
    this.pushNodes();
    return node;
  }

  private track(stored: StoredNode): LabNode {
    const files = nodeFiles(this.options.dataDir, stored.id);
    const node: LabNode = {
      stored,
      files,
      status: 'stopped',
      thread: null,
      info: null,
      lastError: null,
      log: new NodeLog(files.logFile),
      queue: new SerialQueue(),
      stopReason: 'stopped',
      infoInFlight: false,
    };
    this.nodes.set(stored.id, node);
    return node;
  }

  /** The lab node this one is linked to, if that node still exists. */
  private storedMaster(node: LabNode): LabNode | undefined {
    return node.stored.replicaOf === null ? undefined : this.nodes.get(node.stored.replicaOf);
  }

  private async portForNewNode(requested?: number): Promise<number> {
    const owned = new Set([...this.nodes.values()].map((node) => node.stored.port));
    if (requested === undefined) return nextFreePort(owned);
    const owner = [...this.nodes.values()].find((node) => node.stored.port === requested);
    if (owner) throw new Error(`port ${requested} already belongs to ${owner.stored.name}`);
    if (!(await isPortFree(requested))) throw new Error(`port ${requested} is in use by another program on 127.0.0.1`);
    return requested;
  }

  /** Graceful stop if the node runs; its `stopped` event is recorded by onNodeEnd with `reason`. */
  private async stopThread(node: LabNode, reason: string): Promise<void> {
    if (!node.thread) return;
    node.stopReason = reason;
    this.setStatus(node, 'stopping');
    await node.thread.stop();
  }

  private onNodeLog(node: LabNode, line: string): void {
    node.log.add(line);
    this.emit({ type: 'log', nodeId: node.stored.id, line });
  }

  /** The node's thread is gone: record how it ended. */
  private onNodeEnd(node: LabNode, end: ThreadEnd): void {
    node.thread = null;
    node.info = null;
    if (end.kind === 'stopped') {
      node.lastError = end.problem ?? null;
      this.record(node, 'stopped', end.problem ? `${node.stopReason}; ${end.problem}` : node.stopReason);
      this.setStatus(node, 'stopped');
    } else if (end.kind === 'shutdown' && end.code === 0) {
      // A client sent SHUTDOWN: that is the user's wish too, so the lab does not restart it.
      this.store.setShouldRun(node.stored.id, false);
      node.stored.shouldRun = false;
      node.lastError = null;
      this.record(node, 'stopped', 'stopped by a SHUTDOWN command');
      this.setStatus(node, 'stopped');
    } else {
      node.lastError = end.kind === 'crashed' ? end.reason : (node.log.tail(1)[0] ?? `exited with code ${end.code}`);
      this.record(node, 'crashed', node.lastError);
      this.setStatus(node, 'crashed');
    }
  }

  /** One poll tick: ask every running node for INFO (a busy node is skipped), push the list. */
  private poll(): void {
    for (const node of this.nodes.values()) {
      if (node.thread && !node.infoInFlight) void this.refreshInfo(node);
    }
    this.pushNodes();
  }

  private async refreshInfo(node: LabNode): Promise<void> {
    const thread = node.thread;
    if (!thread) return;
    node.infoInFlight = true;
    try {
      const text = await thread.info();
      if (node.thread === thread) node.info = parseNodeInfo(text, Date.now());
    } catch {
      // No answer in time (the node is blocked) or it just ended: the last sample stays, and its
      // sampledAt shows how old it is; an end is reported by onNodeEnd.
    } finally {
      node.infoInFlight = false;
    }
  }

  private record(node: LabNode, kind: LabEventKind, message: string): void {
    const event = this.store.addEvent({ nodeId: node.stored.id, nodeName: node.stored.name, kind, message });
    this.emit({ type: 'event', event });
  }

  private setStatus(node: LabNode, status: NodeStatus): void {
    node.status = status;
    this.pushNodes();
  }

  private pushNodes(): void {
    this.emit({ type: 'nodes', nodes: this.summaries() });
  }

  private emit(push: LabPush): void {
    for (const listener of this.listeners) listener(push);
  }

  private summaries(): NodeSummary[] {
    const cycles = this.replicationCycles();
    return [...this.nodes.values()].map((node) => this.summary(node, cycles));
  }

  /** Read from the INFO of every running node: only a running node replicates from anything. */
  private topologyNodes(): TopologyNode[] {
    return [...this.nodes.values()].map((node) => ({
      id: node.stored.id,
      port: node.stored.port,
      info: node.thread ? node.info : null,
    }));
  }

  private replicationCycles(): Map<string, string[]> {
    return findReplicationCycles(this.topologyNodes());
  }

  private summary(node: LabNode, cycles = this.replicationCycles()): NodeSummary {
    return {
      id: node.stored.id,
      name: node.stored.name,
      port: node.stored.port,
      status: node.status,
      dir: node.files.dir,
      cliCommand: `redis-cli -p ${node.stored.port}`,
      info: node.info,
      master: masterPointer(node.thread ? node.info : null, this.topologyNodes()),
      replicaOf: node.stored.replicaOf,
      replicationCycle: cycles.get(node.stored.id) ?? null,
      lastError: node.lastError,
    };
  }

  private node(id: string): LabNode {
    if (this.closed) throw new Error('the lab is closing');
    const node = this.nodes.get(id);
    if (!node) throw new Error(`there is no node with id ${JSON.stringify(id)}`);
    return node;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Deletes a node's directory, refusing anything that is not inside the lab's own nodes/ folder. */
function removeNodeDir(dataDir: string, dir: string): void {
  const inside = relative(join(dataDir, 'nodes'), dir);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) throw new Error(`refusing to delete ${dir}`);
  rmSync(dir, { recursive: true, force: true });
}
