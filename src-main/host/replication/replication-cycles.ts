// REPLICAOF loops: nodes told to replicate from themselves or from each other in a circle. Such
// replication cannot work (see NodeSummary.replicationCycle), so the UI warns about it. Read from
// the nodes' INFO like the rest of the topology.
import { masterPointer, type RelayLookup, type TopologyNode } from './topology.js';

/**
 * For every node caught in a replication cycle (itself included, as REPLICAOF to its own port),
 * the cycle in replication order starting from that node. Nodes that merely replicate from a member
 * of a cycle are not in it: promoting one member frees them too.
 */
export function findReplicationCycles(nodes: readonly TopologyNode[], relays?: RelayLookup): Map<string, string[]> {
  const masterOf = new Map<string, string>();
  for (const node of nodes) {
    const master = masterPointer(node.info, nodes, relays);
    if (master?.nodeId) masterOf.set(node.id, master.nodeId);
  }

  const cycles = new Map<string, string[]>();
  for (const start of masterOf.keys()) {
    if (cycles.has(start)) continue;
    // Follow the chain of masters; each node has at most one, so a walk either ends or revisits.
    const path: string[] = [];
    let current: string | undefined = start;
    while (current !== undefined && !path.includes(current)) {
      path.push(current);
      current = masterOf.get(current);
    }
    if (current === undefined) continue;
    const cycle = path.slice(path.indexOf(current));
    cycle.forEach((member, i) => cycles.set(member, [...cycle.slice(i), ...cycle.slice(0, i)]));
  }
  return cycles;
}
