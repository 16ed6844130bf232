// Replication between lab nodes: the one call that links a node to a master (or promotes it), and
// how a replica's master is reported.
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
}

export interface ReplicationApi {
  /**
   * Sends the running node `REPLICAOF 127.0.0.1 <port of masterId>`, or `REPLICAOF NO ONE` when
   * masterId is null (promote), over a client connection as redis-cli would, and stores the choice
   * so the lab applies it again whenever it starts the node. Rejects with the node's own error.
   */
  linkNode(id: string, masterId: string | null): Promise<NodeSummary>;
}

export const REPLICATION_PARAM_CHECKS = {
  // null, not a missing argument, means "promote": a dropped parameter must not promote by accident.
  linkNode: (params) => {
    if (params[1] !== null && typeof params[1] !== 'string') throw new Error('linkNode needs a master node id, or null to promote');
    return [nodeId(params[0]), params[1] === null ? null : nodeId(params[1])];
  },
} satisfies ParamChecks<ReplicationApi>;
