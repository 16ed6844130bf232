// Failover driven from the lab: Redis's own FAILOVER command, sent to the master over a client
// connection as redis-cli would (FAILOVER TO 127.0.0.1 <replica port>, FAILOVER ABORT). The master
// does the work; the lab only watches its INFO replication (master_failover_state) and records each
// state it passes through as an event, and when the master ends up a replica of the target the lab
// stores the new links, so the next start of either node keeps the roles the failover gave them.
// The screen shows progress from the same field in the nodes' INFO, never from this watcher.
import type { NodeSummary } from '../../api/index.js';
import { messageOf } from '../error-message.js';
import type { EventRecorder } from '../events/event-recorder.js';
import type { LinkRelays } from '../links/link-relays.js';
import type { InfoPoller } from '../metrics/info-poller.js';
import type { LabNode } from '../nodes/lab-node.js';
import { nodeAddress } from '../nodes/node-address.js';
import { sendNodeCommand } from '../nodes/node-command.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import type { NodeSummaries } from '../nodes/node-summary.js';
import type { NodeStore } from '../store/node-store.js';

/** master_failover_state is read this often while a failover runs: its states can last milliseconds. */
const WATCH_INTERVAL_MS = 50;

/** Fields of an `INFO replication` text. */
function fields(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) map.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return map;
}

export class Failovers {
  /** Masters whose failover is being watched, so a second watcher is never started. */
  private readonly watching = new Set<LabNode>();

  constructor(
    private readonly registry: NodeRegistry,
    private readonly store: NodeStore,
    private readonly events: EventRecorder,
    private readonly info: InfoPoller,
    private readonly summaries: NodeSummaries,
    private readonly relays: LinkRelays,
  ) {}

  /** LabApi.failover: FAILOVER TO the replica, sent to the master; resolves once the master accepted it. */
  async failover(masterId: string, replicaId: string): Promise<NodeSummary> {
    const master = this.registry.get(masterId);
    const target = this.registry.get(replicaId);
    return master.queue.run(async () => {
      if (!master.running) throw new Error(`${master.stored.name} is not running`);
      if (!target.running) throw new Error(`${target.stored.name} is not running`);
      const command = ['FAILOVER', 'TO', nodeAddress(target).host, String(target.stored.port)];
      const reply = await this.send(master, command);
      this.events.record(master.stored, 'failover', `to ${target.stored.name}: ${command.join(' ')} -> ${reply}`);
      this.watch(master, target);
      await this.info.refresh(master);
      return this.summaries.of(master);
    });
  }

  /** LabApi.abortFailover: FAILOVER ABORT, sent to the master; rejects with the node's own error. */
  async abort(masterId: string): Promise<NodeSummary> {
    const master = this.registry.get(masterId);
    // Not on the node's queue: the abort must not wait behind anything, it is the way out.
    if (!master.running) throw new Error(`${master.stored.name} is not running`);
    const reply = await this.send(master, ['FAILOVER', 'ABORT']);
    this.events.record(master.stored, 'failover', `aborted: FAILOVER ABORT -> ${reply}`);
    await this.info.refresh(master);
    return this.summaries.of(master);
  }

  private async send(node: LabNode, command: string[]): Promise<string> {
    try {
      return await sendNodeCommand(nodeAddress(node), command);
    } catch (error) {
      throw new Error(`${node.stored.name} answered ${command.join(' ')} with: ${messageOf(error)}`);
    }
  }

  /**
   * Stores what a failover did (FAILOVER here, or a Sentinel's, host/sentinels/): `newMaster` is a
   * master, each of `replicas` replicates from it. The relays of the old links are no links any
   * more; the new ones were made directly (FAILOVER and Sentinels name real ports), and the lab
   * routes them through a relay the next time it starts the node.
   */
  follow(newMaster: LabNode, replicas: readonly LabNode[]): void {
    const set = (node: LabNode, masterId: string | null): void => {
      if (node.stored.replicaOf === masterId) return;
      this.store.setReplicaOf(node.stored.id, masterId);
      node.stored.replicaOf = masterId;
    };
    set(newMaster, null);
    for (const replica of replicas) if (replica !== newMaster) set(replica, newMaster.stored.id);
    this.relays.prune();
    void this.info.refresh(newMaster);
    for (const replica of replicas) void this.info.refresh(replica);
  }

  /** Records each master_failover_state until the failover ends, then how it ended. */
  private watch(master: LabNode, target: LabNode): void {
    if (this.watching.has(master)) return;
    this.watching.add(master);
    const running = master.running;
    let last = 'no-failover';
    const tick = async (): Promise<void> => {
      if (!running || master.running !== running) {
        // The master stopped or crashed meanwhile: its own end is recorded by the node lifecycle.
        this.watching.delete(master);
        return;
      }
      let replication: Map<string, string>;
      try {
        replication = fields(await running.info('replication'));
      } catch {
        setTimeout(() => void tick(), WATCH_INTERVAL_MS);
        return;
      }
      const state = replication.get('master_failover_state') ?? 'no-failover';
      if (state !== last && state !== 'no-failover') {
        this.events.record(master.stored, 'failover', `master_failover_state:${state}`);
      }
      last = state;
      if (state !== 'no-failover') {
        setTimeout(() => void tick(), WATCH_INTERVAL_MS);
        return;
      }
      this.watching.delete(master);
      this.finish(master, target, replication);
    };
    void tick();
  }

  /** The failover is over: if the master now replicates from the target, the lab's links follow. */
  private finish(master: LabNode, target: LabNode, replication: Map<string, string>): void {
    const switched = replication.get('role') === 'slave' && replication.get('master_port') === String(target.stored.port);
    if (!switched) {
      this.events.record(master.stored, 'failover', `ended without a switch: ${master.stored.name} is still a master`);
      return;
    }
    this.follow(target, [master]);
    this.events.record(
      master.stored,
      'failover',
      `done: ${target.stored.name} is the master, ${master.stored.name} replicates from it (master_failover_state:no-failover)`,
    );
    void this.info.refresh(master);
    void this.info.refresh(target);
  }
}
