// The lab's Sentinels: added on a chosen master, started, stopped, crashed, restarted and removed
// like data nodes, through the same NodeBackend (one worker thread each, running the engine's
// startSentinel: sentinel-worker.ts). A small registry of its own because a Sentinel is no data
// node: no INFO polling, history, links or console. What each Sentinel sees is read from it over
// the protocol when the list is asked for; its events come from its pub/sub (sentinel-events.ts).
import type { AddSentinelOptions, NodeStatus, SentinelDemoResult, SentinelSummary, SentinelView } from '../../api/index.js';
import { messageOf } from '../error-message.js';
import type { EventRecorder } from '../events/event-recorder.js';
import type { LabNode } from '../nodes/lab-node.js';
import type { NodeBackend, NodeEnd, RunningNode } from '../nodes/node-backend.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import { nextFreePort, portForNewNode } from '../nodes/ports.js';
import { SerialQueue } from '../nodes/serial-queue.js';
import type { Failovers } from '../replication/failover.js';
import type { SentinelStore, StoredSentinel } from '../store/sentinel-store.js';
import { querySentinel, replyFields, replyText, SentinelSubscriber } from './sentinel-client.js';
import { sentinelFailoverDemo } from './failover-demo.js';
import { isSentinelEvent, sentinelMove } from './sentinel-events.js';
import { ensureSentinelConfig, removeSentinelDir, savedCurrentEpoch, sentinelFiles, type SentinelFiles } from './sentinel-files.js';

/** Redis Sentinel's well-known port: the lab's Sentinels count up from here. */
const FIRST_SENTINEL_PORT = 26379;

export const SENTINEL_DEFAULTS = { quorum: 2, downAfterMs: 1000, failoverTimeoutMs: 10_000 } as const;

interface LabSentinel {
  stored: StoredSentinel;
  files: SentinelFiles;
  status: NodeStatus;
  running: RunningNode | null;
  subscriber: SentinelSubscriber | null;
  lastError: string | null;
  leader: string | null;
  queue: SerialQueue;
}

export interface SentinelServiceDeps {
  dataDir: string;
  backend: NodeBackend;
  store: SentinelStore;
  nodes: NodeRegistry;
  events: EventRecorder;
  failovers: Failovers;
  /** The node lifecycle's Crash, for the failover demo. */
  crash(id: string): Promise<unknown>;
}

export class SentinelService {
  private readonly sentinels = new Map<string, LabSentinel>();

  constructor(private readonly deps: SentinelServiceDeps) {
    for (const stored of deps.store.list()) this.track(stored);
  }

  /** The Sentinels that were running when the lab last closed. */
  async startStored(): Promise<void> {
    for (const sentinel of this.sentinels.values()) {
      if (sentinel.stored.shouldRun) await sentinel.queue.run(() => this.startNow(sentinel)).catch(() => undefined);
    }
  }

  async list(): Promise<SentinelSummary[]> {
    return Promise.all([...this.sentinels.values()].map((sentinel) => this.summary(sentinel)));
  }

  async add(options: AddSentinelOptions): Promise<SentinelSummary> {
    const master = this.deps.nodes.get(options.masterId);
    const owners = [
      ...this.deps.nodes.all().map((node) => ({ port: node.stored.port, name: node.stored.name })),
      ...[...this.sentinels.values()].map((s) => ({ port: s.stored.port, name: s.stored.name })),
    ];
    const port =
      options.port === undefined
        ? await nextFreePort(new Set(owners.map((owner) => owner.port)), FIRST_SENTINEL_PORT)
        : await portForNewNode(owners, options.port);
    const stored = this.deps.store.add({
      port,
      masterId: master.stored.id,
      quorum: options.quorum ?? SENTINEL_DEFAULTS.quorum,
      downAfterMs: options.downAfterMs ?? SENTINEL_DEFAULTS.downAfterMs,
      failoverTimeoutMs: options.failoverTimeoutMs ?? SENTINEL_DEFAULTS.failoverTimeoutMs,
    });
    const sentinel = this.track(stored);
    ensureSentinelConfig(sentinel.files, stored, master.stored);
    this.deps.events.record(
      stored,
      'sentinel',
      `created on port ${port}: sentinel monitor ${master.stored.name} 127.0.0.1 ${master.stored.port} ${stored.quorum}`,
    );
    return sentinel.queue.run(() => this.startNow(sentinel));
  }

  start(id: string): Promise<SentinelSummary> {
    const sentinel = this.get(id);
    return sentinel.queue.run(() => this.startNow(sentinel));
  }

  stop(id: string): Promise<SentinelSummary> {
    const sentinel = this.get(id);
    return sentinel.queue.run(async () => {
      this.deps.store.setShouldRun(id, false);
      sentinel.stored.shouldRun = false;
      if (sentinel.running) {
        sentinel.status = 'stopping';
        await sentinel.running.stop();
      }
      return this.summary(sentinel);
    });
  }

  restart(id: string): Promise<SentinelSummary> {
    const sentinel = this.get(id);
    return sentinel.queue.run(async () => {
      if (sentinel.running) await sentinel.running.stop();
      return this.startNow(sentinel);
    });
  }

  crash(id: string): Promise<SentinelSummary> {
    const sentinel = this.get(id);
    return sentinel.queue.run(async () => {
      if (!sentinel.running) throw new Error(`${sentinel.stored.name} is not running`);
      await sentinel.running.crash();
      return this.summary(sentinel);
    });
  }

  async remove(id: string): Promise<void> {
    const sentinel = this.get(id);
    await sentinel.queue.run(async () => {
      if (sentinel.running) await sentinel.running.stop();
      this.deps.store.remove(id);
      this.sentinels.delete(id);
      removeSentinelDir(this.deps.dataDir, sentinel.files.dir);
      this.deps.events.record(sentinel.stored, 'sentinel', 'removed (its directory deleted)');
    });
  }

  /** The running Sentinels that monitor the lab node `masterId` now (by what each reports). */
  async watching(masterId: string): Promise<SentinelSummary[]> {
    return (await this.list()).filter((s) => s.status === 'running' && s.view?.masterNodeId === masterId);
  }

  /** LabApi.sentinelFailoverDemo (failover-demo.ts). */
  failoverDemo(masterId: string, timeoutMs?: number): Promise<SentinelDemoResult> {
    return sentinelFailoverDemo({ ...this.deps, sentinels: this }, masterId, timeoutMs);
  }

  /** Stops every Sentinel (the lab is closing); each keeps its "should run" flag. */
  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.sentinels.values()].map((sentinel) =>
        sentinel.queue.run(async () => {
          if (sentinel.running) await sentinel.running.stop();
        }),
      ),
    );
  }

  private track(stored: StoredSentinel): LabSentinel {
    const sentinel: LabSentinel = {
      stored,
      files: sentinelFiles(this.deps.dataDir, stored.id),
      status: 'stopped',
      running: null,
      subscriber: null,
      lastError: null,
      leader: null,
      queue: new SerialQueue(),
    };
    this.sentinels.set(stored.id, sentinel);
    return sentinel;
  }

  private get(id: string): LabSentinel {
    const sentinel = this.sentinels.get(id);
    if (!sentinel) throw new Error(`no sentinel with id ${id}`);
    return sentinel;
  }

  private async startNow(sentinel: LabSentinel): Promise<SentinelSummary> {
    if (sentinel.running) return this.summary(sentinel);
    this.deps.store.setShouldRun(sentinel.stored.id, true);
    sentinel.stored.shouldRun = true;
    const master = this.deps.nodes.find(sentinel.stored.masterId);
    if (master) ensureSentinelConfig(sentinel.files, sentinel.stored, master.stored);
    sentinel.status = 'starting';
    sentinel.lastError = null;
    try {
      const running = await this.deps.backend.start({
        argv: [sentinel.files.configFile],
        onLog: () => undefined, // the Sentinel writes its own sentinel.log
        onEnd: (end) => this.ended(sentinel, running, end),
      });
      sentinel.running = running;
      sentinel.status = 'running';
      sentinel.subscriber = new SentinelSubscriber(running.port, (channel, message) => this.heard(sentinel, channel, message));
      this.deps.events.record(sentinel.stored, 'started', `Sentinel listening on port ${running.port}`);
    } catch (error) {
      sentinel.status = 'crashed';
      sentinel.lastError = messageOf(error);
      this.deps.events.record(sentinel.stored, 'error', `could not start: ${sentinel.lastError}`);
      throw error;
    }
    return this.summary(sentinel);
  }

  private ended(sentinel: LabSentinel, running: RunningNode, end: NodeEnd): void {
    if (sentinel.running !== running) return;
    sentinel.running = null;
    sentinel.subscriber?.close();
    sentinel.subscriber = null;
    if (end.kind === 'crashed') {
      sentinel.status = 'crashed';
      sentinel.lastError = end.reason;
      this.deps.events.record(sentinel.stored, 'crashed', end.reason);
    } else {
      sentinel.status = 'stopped';
      this.deps.events.record(
        sentinel.stored,
        'stopped',
        end.kind === 'stopped' ? (end.problem ?? 'stopped') : `SHUTDOWN (exit code ${end.code})`,
      );
    }
  }

  /** One message from the Sentinel's pub/sub: recorded if it is an event, followed if it moves a node. */
  private heard(sentinel: LabSentinel, channel: string, message: string): void {
    if (!isSentinelEvent(channel)) return;
    this.deps.events.record(sentinel.stored, 'sentinel', `${channel} ${message}`);
    if (channel === '+vote-for-leader') sentinel.leader = message.split(' ')[0] ?? null;
    const move = sentinelMove(channel, message);
    if (!move) return;
    const byPort = (port: number): LabNode | undefined => this.deps.nodes.all().find((node) => node.stored.port === port);
    if (move.kind === 'switch') {
      const newMaster = byPort(move.newPort);
      const oldMaster = byPort(move.oldPort);
      if (!newMaster) return;
      // The Sentinels send REPLICAOF to every replica of the old master, and the old master itself
      // when it returns (+convert-to-slave): the stored links say so at once.
      const followers = oldMaster ? [oldMaster, ...this.deps.nodes.all().filter((n) => n.stored.replicaOf === oldMaster.stored.id)] : [];
      this.deps.failovers.follow(newMaster, followers);
    } else {
      const master = byPort(move.masterPort);
      const replica = byPort(move.port);
      if (master && replica && replica.stored.replicaOf !== master.stored.id) this.deps.failovers.follow(master, [replica]);
    }
  }

  private async summary(sentinel: LabSentinel): Promise<SentinelSummary> {
    const { stored } = sentinel;
    let myid: string | null = null;
    let view: SentinelView | null = null;
    if (sentinel.running) {
      try {
        myid = replyText(await querySentinel(sentinel.running.port, ['SENTINEL', 'MYID']));
        view = this.view(await querySentinel(sentinel.running.port, ['SENTINEL', 'MASTERS']));
      } catch {
        // Busy or just ended: shown without what it sees until the next read.
      }
    }
    return {
      id: stored.id,
      name: stored.name,
      port: stored.port,
      masterId: stored.masterId,
      quorum: stored.quorum,
      downAfterMs: stored.downAfterMs,
      failoverTimeoutMs: stored.failoverTimeoutMs,
      status: sentinel.status,
      lastError: sentinel.lastError,
      myid,
      currentEpoch: sentinel.running ? savedCurrentEpoch(sentinel.files) : null,
      leader: sentinel.leader,
      view,
      dir: sentinel.files.dir,
    };
  }

  /** The first master of a SENTINEL MASTERS reply (a lab Sentinel monitors one). */
  private view(reply: Awaited<ReturnType<typeof querySentinel>>): SentinelView | null {
    if (reply.type !== 'array' || !reply.items[0]) return null;
    const f = replyFields(reply.items[0]);
    const port = Number(f.get('port'));
    const flags = (f.get('flags') ?? '').split(',').filter(Boolean);
    return {
      name: f.get('name') ?? '',
      ip: f.get('ip') ?? '',
      port,
      masterNodeId: this.deps.nodes.all().find((node) => node.stored.port === port)?.stored.id ?? null,
      flags,
      sdown: flags.includes('s_down'),
      odown: flags.includes('o_down'),
      quorum: Number(f.get('quorum') ?? 0),
      numOtherSentinels: Number(f.get('num-other-sentinels') ?? 0),
      numSlaves: Number(f.get('num-slaves') ?? 0),
      configEpoch: Number(f.get('config-epoch') ?? 0),
      failoverState: f.get('failover-state') ?? 'none',
    };
  }
}
