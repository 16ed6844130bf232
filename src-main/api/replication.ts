// Replication between lab nodes: the call that links a node to a master (or promotes it), FAILOVER
// and its abort, and how a replica's master is reported.
import type { LinkRelayInfo } from './links.js';
import type { NodeSummary } from './nodes.js';
import { nodeId, type ParamChecks } from './param-checks.js';

/**
 * Where a replica's INFO says its master is. `nodeId` is set when master_host:master_port is a node of
 * this lab (matched by loopback address and port); otherwise the master is outside the lab.
 */
export interface MasterPointer {
  host: string;
  port: number;
  nodeId: string | null;
  linkStatus: 'up' | 'down';
  /**
   * Set when master_host:master_port is one of the lab's link relays rather than the master itself:
   * the replica reaches `nodeId` through it, and `port` above is the relay's.
   */
  relay: LinkRelayInfo | null;
}

/** Start a stopped node, or restart a running one. */
export type StartAction = 'start' | 'restart';

/** Said before Start or Restart of a master that would come back with older data than its replicas hold. */
export interface StaleStartWarning {
  nodeId: string;
  /** The repl-offset in the dump.rdb it would load; null with no (readable) dump.rdb or none recorded. */
  loadsOffset: number | null;
  loadsKeys: number;
  /** Its replicas (from their own INFO) holding writes it would not have. */
  replicas: Array<{ id: string; name: string; offset: number; keys: number }>;
  /** The replica with the most of the stream: the one to promote instead. */
  promote: { id: string; name: string };
  /** What will happen, for people. */
  message: string;
}

export interface ReplicationApi {
  /**
   * Sends the running node `REPLICAOF 127.0.0.1 <port of masterId>`, or `REPLICAOF NO ONE` when
   * masterId is null (promote), over a client connection as redis-cli would, and stores the choice
   * so the lab applies it again whenever it starts the node. Rejects with the node's own error.
   */
  linkNode(id: string, masterId: string | null): Promise<NodeSummary>;
  /**
   * Sends the running master `FAILOVER TO 127.0.0.1 <port of replicaId>` and resolves once it
   * accepted. The master then goes through master_failover_state (waiting-for-sync,
   * failover-in-progress, no-failover) in its INFO, ending as a replica of the target; each state is
   * recorded as a `failover` event, and the lab's stored links follow the switch.
   */
  failover(masterId: string, replicaId: string): Promise<NodeSummary>;
  /** Sends the master `FAILOVER ABORT`: it stays (or becomes again) a master. Rejects with the node's own error. */
  abortFailover(masterId: string): Promise<NodeSummary>;
  /**
   * Asked before Start (a stopped node) or Restart (a running one): null if that loses nothing, else
   * what the node would load against what its replicas hold (read from their INFO and its dump.rdb).
   */
  startWarning(id: string, action: StartAction): Promise<StaleStartWarning | null>;
  /** The way out of a StaleStartWarning: REPLICAOF NO ONE on the replica, then (re)start the node as its replica. */
  promoteInstead(id: string, replicaId: string, action: StartAction): Promise<NodeSummary>;
}

export const REPLICATION_PARAM_CHECKS = {
  // null, not a missing argument, means "promote": a dropped parameter must not promote by accident.
  linkNode: (params) => {
    if (params[1] !== null && typeof params[1] !== 'string') throw new Error('linkNode needs a master node id, or null to promote');
    return [nodeId(params[0]), params[1] === null ? null : nodeId(params[1])];
  },
  failover: (params) => [nodeId(params[0]), nodeId(params[1])],
  abortFailover: (params) => [nodeId(params[0])],
  startWarning: (params) => [nodeId(params[0]), startAction(params[1])],
  promoteInstead: (params) => [nodeId(params[0]), nodeId(params[1]), startAction(params[2])],
} satisfies ParamChecks<ReplicationApi>;

function startAction(value: unknown): StartAction {
  if (value !== 'start' && value !== 'restart') throw new Error("the action must be 'start' or 'restart'");
  return value;
}
