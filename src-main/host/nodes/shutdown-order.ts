// In which order the lab stops its nodes when it closes: a master before its replicas, so that its
// SHUTDOWN can wait for them to catch up (Redis's shutdown-timeout) while they are still connected,
// and each replica stops only after it has received all its master had. Who replicates from whom
// is read from the nodes' INFO (a REPLICAOF typed into redis-cli counts), else from the lab's link.
import { masterPointer, type RelayLookup } from '../replication/topology.js';
import type { LabNode } from './lab-node.js';

export interface StopProgress {
  total: number;
  stopped: number;
  /** The nodes stopping in this step. */
  stopping: LabNode[];
}

/**
 * The nodes in steps: first those with no master among them, then their replicas, and so on. A
 * replica that reaches its master through a lab relay names the relay's port; `relays` maps it back.
 */
export function shutdownOrder(nodes: readonly LabNode[], relays?: RelayLookup): LabNode[][] {
  const topology = nodes.map((node) => ({ id: node.stored.id, port: node.stored.port, info: node.info }));
  const masterOf = new Map<LabNode, LabNode>();
  for (const node of nodes) {
    const masterId = masterPointer(node.info, topology, relays)?.nodeId ?? (node.info ? null : node.stored.replicaOf);
    const master = nodes.find((other) => other.stored.id === masterId && other !== node);
    if (master) masterOf.set(node, master);
  }
  const depth = new Map<LabNode, number>();
  const depthOf = (node: LabNode, seen: Set<LabNode>): number => {
    const known = depth.get(node);
    if (known !== undefined) return known;
    const master = masterOf.get(node);
    // A loop (A replicates from B, B from A: possible for a moment during a switch) stops together.
    const d = master && !seen.has(master) ? depthOf(master, seen.add(node)) + 1 : 0;
    depth.set(node, d);
    return d;
  };
  const steps: LabNode[][] = [];
  for (const node of nodes) (steps[depthOf(node, new Set())] ??= []).push(node);
  return steps.filter((step) => step !== undefined);
}
