// One INFO reading as the history rows it becomes. Every value is a field of the node's own INFO
// text; the only arithmetic is lag in bytes (two fields of the same reading subtracted) and seconds
// behind (offset-history.ts, from the same master's earlier readings).
import { parseNodeInfo } from '../metrics/info-parser.js';
import type { NodeSampleRow, ReplicaSampleRow } from '../store/history-store.js';
import type { OffsetHistory } from './offset-history.js';

/** Every `field:value` line of an INFO text, whatever its section. */
export function infoFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const raw of text.split('\n')) {
    if (raw.startsWith('#')) continue;
    const colon = raw.indexOf(':');
    if (colon > 0) fields.set(raw.slice(0, colon), raw.slice(colon + 1).replace(/\r$/, ''));
  }
  return fields;
}

export interface SampleRows {
  node: NodeSampleRow;
  replicas: ReplicaSampleRow[];
}

/**
 * The rows of one reading of node `nodeId`. `offsets` is this node's own offset history: the
 * reading is added to it first, so that its replicas' seconds behind are measured against it.
 * `labNodeOnPort` names the lab node a replica's port belongs to.
 */
export function sampleRows(
  nodeId: number,
  text: string,
  time: number,
  offsets: OffsetHistory,
  labNodeOnPort: (port: number) => number | null,
): SampleRows {
  const live = parseNodeInfo(text, time);
  const fields = infoFields(text);
  const int = (key: string): number => {
    const value = Number(fields.get(key));
    return Number.isFinite(value) ? value : 0;
  };
  const persistenceOk = fields.get('rdb_last_bgsave_status') !== 'err' && fields.get('aof_last_write_status') !== 'err';
  offsets.add(time, live.masterReplOffset, live.masterReplid);
  const node: NodeSampleRow = {
    nodeId,
    time,
    role: live.role,
    opsPerSec: live.opsPerSec,
    usedMemory: live.usedMemory,
    clients: live.connectedClients,
    keys: live.keys,
    masterReplOffset: live.masterReplOffset,
    linkUp: live.role === 'slave' ? (live.masterLinkStatus === 'up' ? 1 : 0) : null,
    syncFull: int('sync_full'),
    syncPartialOk: int('sync_partial_ok'),
    syncPartialErr: int('sync_partial_err'),
    aofEnabled: int('aof_enabled'),
    aofRewriting: int('aof_rewrite_in_progress'),
    rdbSaving: int('rdb_bgsave_in_progress'),
    rdbChanges: int('rdb_changes_since_last_save'),
    persistenceOk: persistenceOk ? 1 : 0,
  };
  const replicas = live.replicas.map((replica): ReplicaSampleRow => ({
    masterId: nodeId,
    replicaPort: replica.port,
    time,
    replicaId: labNodeOnPort(replica.port),
    state: replica.state,
    ackedOffset: replica.offset,
    // A replica still loading its first RDB has acknowledged nothing of this stream yet.
    lagBytes: Math.max(0, live.masterReplOffset - replica.offset),
    secondsBehind: offsets.secondsBehind(replica.offset, time),
    ackLag: replica.lag,
  }));
  return { node, replicas };
}
