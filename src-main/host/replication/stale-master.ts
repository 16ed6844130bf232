// The warning before Start or Restart of a master that would come back with older data than its
// replicas hold. A master that crashed (or never saves) restarts from whatever dump.rdb it has;
// its replicas then ask to continue from a later offset than it has, get a full resync, and throw
// their newer writes away for its older data. This service says so before it happens, from the
// real sources only: the replicas' own INFO (master_replid, master_repl_offset, keys) and the
// master's dump.rdb as the engine reads it (its repl-id and repl-offset aux fields), or, for a
// running master, its CONFIG (whether a graceful stop will save). It also offers the way out: the
// most advanced replica is promoted and the old master started as its replica.
import type { NodeSummary, StaleStartWarning, StartAction } from '../../api/index.js';
import type { EventRecorder } from '../events/event-recorder.js';
import type { LabNode } from '../nodes/lab-node.js';
import { queryNode } from '../nodes/node-command.js';
import { nodeAddress } from '../nodes/node-address.js';
import type { NodeLifecycle } from '../nodes/node-lifecycle.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import type { NodeSummaries } from '../nodes/node-summary.js';
import type { NodeStore } from '../store/node-store.js';
import type { ReplicationLinks } from './replication-links.js';
import { configHasAof, readSavedData, type SavedData } from './saved-data.js';

export class StaleMasterCheck {
  constructor(
    private readonly registry: NodeRegistry,
    private readonly store: NodeStore,
    private readonly summaries: NodeSummaries,
    private readonly links: ReplicationLinks,
    private readonly lifecycle: NodeLifecycle,
    private readonly events: EventRecorder,
  ) {}

  /** LabApi.startWarning: null when starting (or restarting) the node loses nothing its replicas hold. */
  async warning(id: string, action: StartAction): Promise<StaleStartWarning | null> {
    const node = this.registry.get(id);
    // A node the lab starts as a replica takes its data from its master, whatever it had.
    if (this.links.storedMaster(node)) return null;
    const replicas = this.summaries.all().filter((s) => s.status === 'running' && s.info?.role === 'slave' && s.master?.nodeId === id);
    if (replicas.length === 0) return null;
    if (action === 'restart' ? !(await this.restartLoadsOldData(node)) : node.running || configHasAof(node)) return null;

    const saved = await readSavedData(node);
    const ahead = replicas.filter((replica) => this.holdsNewer(replica, saved));
    if (ahead.length === 0) return null;
    const best = ahead.reduce((a, b) => (b.info!.masterReplOffset > a.info!.masterReplOffset ? b : a));
    const name = node.stored.name;
    const loads = saved
      ? `its dump.rdb, saved at replication offset ${saved.offset ?? 'unknown'} with ${saved.keys} keys`
      : 'no dump.rdb, so it would start empty';
    const holders = ahead.map((r) => `${r.name} is at offset ${r.info!.masterReplOffset} with ${r.info!.keys} keys`).join('; ');
    return {
      nodeId: id,
      loadsOffset: saved?.offset ?? null,
      loadsKeys: saved?.keys ?? 0,
      replicas: ahead.map((r) => ({ id: r.id, name: r.name, offset: r.info!.masterReplOffset, keys: r.info!.keys })),
      promote: { id: best.id, name: best.name },
      message:
        `${name} would load ${loads}, while ${holders}. Its replicas would then resynchronise from ${name} ` +
        `and lose the newer writes. Promote ${best.name} instead, and ${name} starts as its replica with the newer data.`,
    };
  }

  /** LabApi.promoteInstead: REPLICAOF NO ONE on the replica, then (re)start the node as its replica. */
  async promoteInstead(id: string, replicaId: string, action: StartAction): Promise<NodeSummary> {
    const node = this.registry.get(id);
    const replica = this.registry.get(replicaId);
    await this.links.link(replicaId, null);
    this.store.setReplicaOf(id, replicaId);
    node.stored.replicaOf = replicaId;
    this.events.record(node.stored, 'linked', `to start as a replica of ${replica.stored.name}, promoted because it held newer data`);
    return action === 'restart' ? this.lifecycle.restart(id) : this.lifecycle.start(id);
  }

  /** A running master restarts from its own final save, unless it has no save points and no AOF. */
  private async restartLoadsOldData(node: LabNode): Promise<boolean> {
    if (!node.running) return false;
    const [, save] = await queryNode(nodeAddress(node), ['CONFIG', 'GET', 'save']);
    const [, appendonly] = await queryNode(nodeAddress(node), ['CONFIG', 'GET', 'appendonly']);
    return save === '' && appendonly !== 'yes';
  }

  /** Whether this replica has writes the master would not have after loading `saved`. */
  private holdsNewer(replica: NodeSummary, saved: SavedData | null): boolean {
    const info = replica.info!;
    if (!saved) return info.keys > 0 || info.masterReplOffset > 0;
    if (saved.replId !== info.masterReplid || saved.offset === null) return info.keys > 0;
    return info.masterReplOffset > saved.offset;
  }
}
