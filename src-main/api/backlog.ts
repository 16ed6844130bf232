// A master's replication backlog: the range of stream bytes it still holds, each replica's position
// in it, and whether a replica that disconnected now could resume with a partial resync.
import { nodeId, type ParamChecks } from './param-checks.js';

/** Where a replica's offset was read from. */
export type ReplicaOffsetSource =
  /** The master's `slaveN` line: the offset the replica last acknowledged (REPLCONF ACK). */
  | 'ack'
  /** The replica's own INFO (its link is down): the offset it has processed. */
  | 'replica-info'
  /** A stopped replica's dump.rdb (repl-id, repl-offset): where it would ask to continue from. */
  | 'rdb'
  /** Nothing says: it has no dump.rdb, or loads an AOF. */
  | 'none';

export interface BacklogReplica {
  /** The lab node, or null for a replica the lab did not make (found only in the master's INFO). */
  id: string | null;
  name: string;
  port: number;
  /** The slaveN line's state (online, wait_bgsave, send_bulk), `link down`, or `stopped`. */
  state: string;
  source: ReplicaOffsetSource;
  offset: number | null;
  replid: string | null;
  /** Whether PSYNC <replid> <offset+1> sent now would be accepted (+CONTINUE), by Redis 7.0's rule. */
  canResume: boolean;
  /** Why, in words. */
  reason: string;
  /** Bytes the master can surely still write before this replica's position leaves the backlog (Redis trims in blocks, so often a little more); null if it cannot resume now. */
  bytesLeft: number | null;
  /** The same at the current write rate, in seconds; null when nothing is written (it lasts while that holds) or it cannot resume. */
  secondsLeft: number | null;
}

/** A master's backlog as its INFO replication fields state it, verbatim. */
export interface MasterBacklog {
  active: boolean;
  size: number;
  firstByteOffset: number;
  histlen: number;
  masterReplOffset: number;
  replid: string;
  replid2: string;
  secondReplOffset: number;
}

export interface BacklogView extends MasterBacklog {
  masterId: string;
  /** Bytes of replication stream per second over the last seconds of the master's INFO readings; null if unknown yet. */
  writeRate: number | null;
  /** How long a full backlog covers at that rate (size / rate), in seconds; null when nothing is written. */
  backlogSeconds: number | null;
  replicas: BacklogReplica[];
  /** When the master's INFO was read, ms since the epoch. */
  sampledAt: number;
}

export interface BacklogApi {
  /** The backlog of a running master; rejects for a node that is not running or is a replica. */
  backlog(masterId: string): Promise<BacklogView>;
}

export const BACKLOG_PARAM_CHECKS = {
  backlog: (params) => [nodeId(params[0])],
} satisfies ParamChecks<BacklogApi>;
