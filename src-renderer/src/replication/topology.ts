// The replication graph as the nodes' INFO describes it, and where to draw it. Edges come from each
// running replica's own master_host:master_port (resolved to a lab node by the host), plus replicas
// outside the lab that a lab master lists in its `slaveN` lines (a real redis-server, say). Masters
// outside the lab appear too, so an interop setup is drawn as it really is.
import type { NodeStatus, NodeSummary } from '@api/nodes.js';
import { faultText } from '../format/link-fault.js';

export interface TopologyVertex {
  /** A lab node id, or `ext:<host>:<port>` for a server outside the lab. */
  key: string;
  name: string;
  detail: string;
  /** Null for a server outside the lab: the lab does not know its status. */
  status: NodeStatus | null;
  /** Column (replication depth) and row, in grid units; the view scales them. */
  column: number;
  row: number;
}

export interface TopologyEdge {
  /** Data flows from master to replica; the arrow points at the replica. */
  masterKey: string;
  replicaKey: string;
  linkUp: boolean;
  /** Part of a REPLICAOF cycle (including a node replicating from itself). */
  inCycle: boolean;
  /** The lab's relay the replica reaches its master through (its INFO's master_port), if any. */
  relayPort: number | null;
  /** The fault on that relay in words, when there is one. */
  fault: string | null;
}

export interface Topology {
  vertices: TopologyVertex[];
  edges: TopologyEdge[];
  columns: number;
  rows: number;
}

const externalKey = (host: string, port: number): string => `ext:${host}:${port}`;

/** The lab replica a master's `slaveN` line stands for: it listens on that port and names this master. */
export function labReplicaOf(master: NodeSummary, port: number, nodes: readonly NodeSummary[]): NodeSummary | undefined {
  return nodes.find((node) => node.port === port && node.master?.nodeId === master.id);
}

export function buildTopology(nodes: readonly NodeSummary[]): Topology {
  const vertices = new Map<string, Omit<TopologyVertex, 'column' | 'row'>>();
  const edges: TopologyEdge[] = [];
  for (const node of nodes) {
    const role = node.status === 'running' && node.info ? (node.info.role === 'slave' ? 'replica' : 'master') : node.status;
    vertices.set(node.id, { key: node.id, name: node.name, detail: `${node.port} · ${role}`, status: node.status });
  }
  for (const node of nodes) {
    const master = node.master;
    if (master) {
      const masterKey = master.nodeId ?? externalKey(master.host, master.port);
      if (!master.nodeId) vertices.set(masterKey, external(masterKey, master.host, master.port));
      const relay = master.relay;
      edges.push({
        masterKey,
        replicaKey: node.id,
        linkUp: master.linkStatus === 'up',
        inCycle: node.replicationCycle !== null,
        relayPort: relay?.port ?? null,
        fault: relay && relay.fault.kind !== 'none' ? faultText(relay.fault) : null,
      });
    }
    if (node.status !== 'running') continue;
    for (const replica of node.info?.replicas ?? []) {
      if (labReplicaOf(node, replica.port, nodes)) continue;
      const replicaKey = externalKey(replica.ip, replica.port);
      vertices.set(replicaKey, external(replicaKey, replica.ip, replica.port));
      edges.push({ masterKey: node.id, replicaKey, linkUp: replica.state === 'online', inCycle: false, relayPort: null, fault: null });
    }
  }
  return { ...place([...vertices.values()], edges), edges };
}

function external(key: string, host: string, port: number): Omit<TopologyVertex, 'column' | 'row'> {
  return { key, name: `${host}:${port}`, detail: 'outside the lab', status: null };
}

/**
 * A tidy-tree layout, left to right: masters in column 0, each replica one column right of its
 * master, leaves on consecutive rows and every master centred on its replicas. A cycle has no
 * natural root, so it is entered at its first member in list order and drawn with a back edge.
 */
function place(
  vertices: Array<Omit<TopologyVertex, 'column' | 'row'>>,
  edges: TopologyEdge[],
): { vertices: TopologyVertex[]; columns: number; rows: number } {
  const replicasOf = new Map<string, string[]>();
  const hasMaster = new Set<string>();
  for (const edge of edges) {
    if (edge.masterKey === edge.replicaKey) continue;
    replicasOf.set(edge.masterKey, [...(replicasOf.get(edge.masterKey) ?? []), edge.replicaKey]);
    hasMaster.add(edge.replicaKey);
  }
  const placed = new Map<string, { column: number; row: number }>();
  let nextRow = 0;
  let columns = 1;
  const visit = (key: string, column: number): number => {
    placed.set(key, { column, row: -1 });
    columns = Math.max(columns, column + 1);
    const rows = (replicasOf.get(key) ?? []).filter((replica) => !placed.has(replica)).map((replica) => visit(replica, column + 1));
    const row = rows.length === 0 ? nextRow++ : (rows[0]! + rows[rows.length - 1]!) / 2;
    placed.set(key, { column, row });
    return row;
  };
  for (const vertex of vertices) if (!hasMaster.has(vertex.key) && !placed.has(vertex.key)) visit(vertex.key, 0);
  // Whatever is left only has masters inside a cycle.
  for (const vertex of vertices) if (!placed.has(vertex.key)) visit(vertex.key, 0);
  return {
    vertices: vertices.map((vertex) => ({ ...vertex, ...placed.get(vertex.key)! })),
    columns,
    rows: Math.max(nextRow, 1),
  };
}
