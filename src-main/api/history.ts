// The lab's history: what every node's INFO said, once a second, kept in lab.db (downsampled as it
// ages), and each replica's syncs as spans. The renderer asks for a time range and then follows the
// `history` push, which carries each second's new samples.
import { isRecord, type ParamChecks } from './param-checks.js';

/** One node's readings, column by column (one entry per sample or bucket, oldest first). */
export interface NodeHistory {
  nodeId: string;
  time: number[];
  opsPerSec: number[];
  usedMemory: number[];
  clients: number[];
  keys: number[];
  masterReplOffset: number[];
}

/** One replica as its master lists it (slaveN), column by column. */
export interface ReplicaHistory {
  masterId: string;
  replicaPort: number;
  /** The lab node listening on replicaPort, if there is one. */
  replicaId: string | null;
  time: number[];
  ackedOffset: number[];
  /** The master's master_repl_offset minus the offset the replica acknowledged. */
  lagBytes: number[];
  /** How long ago the master was at the acknowledged offset (null: further back than the readings kept). */
  secondsBehind: Array<number | null>;
  /** Redis's own lag=: seconds since the replica's last ACK. */
  ackLag: number[];
}

/** One full or partial resynchronization of a replica, read from the nodes' logs. */
export interface SyncSpan {
  id: number;
  replicaId: string;
  masterPort: number | null;
  kind: 'full' | 'partial';
  startedAt: number;
  /** null while it runs (or if the lab stopped before it ended). */
  endedAt: number | null;
  /** The RDB's size (full) or the backlog bytes sent (partial); null when the log did not say. */
  bytes: number | null;
  outcome: 'ok' | 'failed' | null;
}

export interface HistoryRange {
  /** ms since the epoch; inclusive. */
  since: number;
  /** ms since the epoch; exclusive. Default: now. */
  until?: number;
}

export interface HistoryData {
  since: number;
  until: number;
  /** The width of one point: 1000 ms, or more when the range is long (about 1000 points at most). */
  bucketMs: number;
  nodes: NodeHistory[];
  replicas: ReplicaHistory[];
  syncs: SyncSpan[];
}

export interface HistoryApi {
  /** The recorded history in a range, downsampled to at most about 1000 points per series. */
  history(range: HistoryRange): Promise<HistoryData>;
}

/** Pushed once a second with the samples just written (each series has one point, or none). */
export type HistoryPush = { type: 'history'; time: number; nodes: NodeHistory[]; replicas: ReplicaHistory[]; syncs: SyncSpan[] };

export function historyRange(value: unknown): HistoryRange {
  if (!isRecord(value)) throw new Error('a history range must be an object { since, until? }');
  const { since, until } = value;
  if (typeof since !== 'number' || !Number.isFinite(since) || since < 0) throw new Error('since must be a time in ms');
  if (until === undefined) return { since };
  if (typeof until !== 'number' || !Number.isFinite(until) || until <= since) throw new Error('until must be a time in ms after since');
  return { since, until };
}

export const HISTORY_PARAM_CHECKS = {
  history: (params) => [historyRange(params[0])],
} satisfies ParamChecks<HistoryApi>;
