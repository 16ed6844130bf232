// The NodeSummary the renderer sees for each node, and the `nodes` push that carries the whole list.
// The replication fields are read from the running nodes' INFO (replication/), not from what the lab
// stored, so the screen shows what the nodes really do.
import type { NodeSummary, NodeWarning } from '../../api/index.js';
import type { LabPushes } from '../events/lab-pushes.js';
import { replicationWarnings, type WarningSources } from '../replication/replication-warnings.js';
import { findReplicationCycles } from '../replication/replication-cycles.js';
import { masterPointer, type RelayLookup, type TopologyNode } from '../replication/topology.js';
import type { LabNode } from './lab-node.js';
import type { NodeRegistry } from './node-registry.js';
import { exposureWarning } from './exposure-warning.js';

export class NodeSummaries {
  constructor(
    private readonly registry: NodeRegistry,
    private readonly pushes: LabPushes,
    /** The lab's link relays: a replica whose master_port is a relay's reaches the node behind it. */
    private readonly relays: RelayLookup,
  ) {}

  /** Where warnings come from (set by LabHost once the config watch and the history exist). */
  private warningSources: WarningSources | null = null;

  setWarningSources(sources: WarningSources): void {
    this.warningSources = sources;
  }

  all(): NodeSummary[] {
    const cycles = this.replicationCycles();
    const warnings = this.warnings();
    return this.registry.all().map((node) => this.of(node, cycles, warnings));
  }

  /** Pushes the whole list: after every INFO poll and every change the list shows. */
  push(): void {
    this.pushes.emit({ type: 'nodes', nodes: this.all() });
  }

  of(node: LabNode, cycles = this.replicationCycles(), warnings = this.warnings()): NodeSummary {
    const external = node.stored.external;
    return {
      id: node.stored.id,
      name: node.stored.name,
      port: node.stored.port,
      status: node.status,
      // An external node's directory is on its own machine: its INFO and CONFIG GET dir say where.
      dir: external ? '' : node.files.dir,
      cliCommand: external
        ? `redis-cli -h ${external.host} -p ${node.stored.port}${external.user ? ` --user ${external.user}` : ''}${external.password ? ' --askpass' : ''}`
        : `redis-cli -p ${node.stored.port}`,
      info: node.info,
      master: masterPointer(node.running ? node.info : null, this.topologyNodes(), this.relays),
      replicaOf: node.stored.replicaOf,
      replicationCycle: cycles.get(node.stored.id) ?? null,
      lastError: node.lastError,
      external: external ? { host: external.host, user: external.user, hasPassword: external.password !== null } : null,
      warnings: warnings.get(node.stored.id) ?? [],
    };
  }

  private warnings(): Map<string, NodeWarning[]> {
    const sources = this.warningSources;
    if (!sources) return new Map();
    const warnings = replicationWarnings(this.registry.all(), sources);
    for (const node of this.registry.all()) {
      const exposed = node.running ? exposureWarning(sources.settings(node), sources.reachedWithoutPassword(node)) : null;
      if (exposed) warnings.set(node.stored.id, [exposed, ...(warnings.get(node.stored.id) ?? [])]);
    }
    return warnings;
  }

  /** Read from the INFO of every running node: only a running node replicates from anything. */
  private topologyNodes(): TopologyNode[] {
    return this.registry.all().map((node) => ({
      id: node.stored.id,
      host: node.stored.external?.host ?? '127.0.0.1',
      port: node.stored.port,
      info: node.running ? node.info : null,
    }));
  }

  private replicationCycles(): Map<string, string[]> {
    return findReplicationCycles(this.topologyNodes(), this.relays);
  }
}
