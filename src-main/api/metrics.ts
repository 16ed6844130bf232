// What the lab reads from a node's own INFO. These travel inside NodeSummary (see nodes.ts) with
// every `nodes` push, so this slice has types only and no methods.

/** Live fields read from the node's own INFO output (never computed by the host). */
export interface NodeLiveInfo {
  /** When the host read this INFO, ms since the epoch. */
  sampledAt: number;
  role: 'master' | 'slave';
  uptimeSeconds: number;
  connectedClients: number;
  usedMemory: number;
  keys: number;
  opsPerSec: number;
  connectedSlaves: number;
  masterReplOffset: number;
  masterReplid: string;
  masterHost?: string;
  masterPort?: number;
  masterLinkStatus?: 'up' | 'down';
  /** The master's `slaveN:ip=..,port=..,state=..,offset=..,lag=..` lines, parsed, in the node's order. */
  replicas: AttachedReplicaInfo[];
  /** Every field of `INFO replication`, verbatim, in the node's order. */
  replication: Array<[string, string]>;
}

/** One `slaveN` line of a master's INFO replication: a replica as the master sees it. */
export interface AttachedReplicaInfo {
  ip: string;
  /** The replica's listening port (REPLCONF listening-port), which for a lab node is its lab port. */
  port: number;
  /** wait_bgsave, send_bulk or online. */
  state: string;
  /** The replication offset the replica last acknowledged (REPLCONF ACK). */
  offset: number;
  /** Seconds since the replica's last ACK. */
  lag: number;
}
