// Who replicates from whom, read from the nodes' own INFO (never from what the lab asked for: a
// user may have typed REPLICAOF into redis-cli, or a node may have a `replicaof` line in its config).
// A replica's master_host:master_port names its master; when that address is a loopback address
// and the port of one of the lab's nodes, the master is that node; when it is the port of one of the
// lab's link relays (host/links/), the master is the node behind that relay.
import type { LinkRelayInfo, MasterPointer, NodeLiveInfo } from '../../api/index.js';

/** What this module needs to know about a node: its port, and its INFO if it is running. */
export interface TopologyNode {
  id: string;
  /** 127.0.0.1 for a lab node; an external node's address (host/nodes/external/). Default 127.0.0.1. */
  host?: string;
  port: number;
  info: NodeLiveInfo | null;
}

/** Lab nodes bind 127.0.0.1; a replica may name it in any of these ways and still mean a lab node. */
function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

function sameHost(a: string, b: string): boolean {
  return isLoopback(a) ? isLoopback(b) : a.toLowerCase() === b.toLowerCase();
}

/** The lab's link relays, looked up by the port they listen on. */
export interface RelayLookup {
  infoByPort(port: number): LinkRelayInfo | null;
}

const NO_RELAYS: RelayLookup = { infoByPort: () => null };

/** The master a running replica reports, matched to a lab node where its address is one (or a relay to one); null for a master. */
export function masterPointer(
  info: NodeLiveInfo | null,
  nodes: readonly TopologyNode[],
  relays: RelayLookup = NO_RELAYS,
): MasterPointer | null {
  if (!info || info.role !== 'slave' || info.masterHost === undefined || info.masterPort === undefined) return null;
  const host = info.masterHost;
  const port = info.masterPort;
  const relay = isLoopback(host) ? relays.infoByPort(port) : null;
  const labNode = relay
    ? nodes.find((node) => node.id === relay.masterId)
    : nodes.find((node) => node.port === port && sameHost(node.host ?? '127.0.0.1', host));
  return { host, port, nodeId: labNode?.id ?? null, linkStatus: info.masterLinkStatus ?? 'down', relay };
}
