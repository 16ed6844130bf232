// The history tables (node_samples, replica_samples, sync_spans; see migration 2 -> 3). Writes come
// in one transaction per second from host/history/history-recorder.ts; downsampling is compact(),
// which the recorder runs once a minute; reads aggregate into buckets so a long range stays small.
import type Database from 'better-sqlite3';
import type { HistoryData, NodeHistory, ReplicaHistory, SyncSpan } from '../../api/index.js';

export interface NodeSampleRow {
  nodeId: number;
  time: number;
  role: 'master' | 'slave';
  opsPerSec: number;
  usedMemory: number;
  clients: number;
  keys: number;
  masterReplOffset: number;
  linkUp: 0 | 1 | null;
  syncFull: number;
  syncPartialOk: number;
  syncPartialErr: number;
  aofEnabled: number;
  aofRewriting: number;
  rdbSaving: number;
  rdbChanges: number;
  persistenceOk: number;
}

export interface ReplicaSampleRow {
  masterId: number;
  replicaPort: number;
  time: number;
  replicaId: number | null;
  state: string;
  ackedOffset: number;
  lagBytes: number;
  secondsBehind: number | null;
  ackLag: number;
}

/** A resolution tier: rows older than `after` (ms before now) move into buckets of `bucketMs`. */
export interface Tier {
  tier: number;
  bucketMs: number;
  after: number;
}

/** 1 s for the last hour, 10 s buckets for the last day, 1 min buckets beyond. */
export const TIERS: readonly Tier[] = [
  { tier: 1, bucketMs: 10_000, after: 60 * 60 * 1000 },
  { tier: 2, bucketMs: 60_000, after: 24 * 60 * 60 * 1000 },
];

/** About this many points per series at most, whatever the range. */
const MAX_POINTS = 1000;

interface SpanRow {
  id: number;
  replica_id: number;
  master_port: number | null;
  kind: 'full' | 'partial';
  started_at: number;
  ended_at: number | null;
  bytes: number | null;
  outcome: 'ok' | 'failed' | null;
}

export class HistoryStore {
  private readonly insertNode: Database.Statement;
  private readonly insertReplica: Database.Statement;
  private readonly writeBatch: (nodes: NodeSampleRow[], replicas: ReplicaSampleRow[]) => void;

  constructor(private readonly db: Database.Database) {
    // OR REPLACE: two readings of one node in the same ms would otherwise throw and lose the batch.
    this.insertNode = db.prepare(
      `INSERT OR REPLACE INTO node_samples VALUES (@nodeId, 0, @time, @role, @opsPerSec, @usedMemory, @clients, @keys,
         @masterReplOffset, @linkUp, @syncFull, @syncPartialOk, @syncPartialErr, @aofEnabled, @aofRewriting, @rdbSaving,
         @rdbChanges, @persistenceOk)`,
    );
    this.insertReplica = db.prepare(
      `INSERT OR REPLACE INTO replica_samples VALUES (@masterId, @replicaPort, 0, @time, @replicaId, @state, @ackedOffset,
         @lagBytes, @secondsBehind, @ackLag)`,
    );
    this.writeBatch = db.transaction((nodes: NodeSampleRow[], replicas: ReplicaSampleRow[]) => {
      for (const row of nodes) this.insertNode.run(row);
      for (const row of replicas) this.insertReplica.run(row);
    });
  }

  /** Remembers a run of a node (its INFO's run_id) and the version it reported; once per run. */
  recordRun(nodeId: number, runId: string, redisVersion: string, time: number): void {
    this.db.prepare('INSERT OR IGNORE INTO node_runs VALUES (?, ?, ?, ?)').run(nodeId, runId, redisVersion, time);
  }

  /** Writes one second's samples in one transaction (one fsync-free WAL commit). */
  write(nodes: NodeSampleRow[], replicas: ReplicaSampleRow[]): void {
    if (nodes.length + replicas.length > 0) this.writeBatch(nodes, replicas);
  }

  /**
   * Downsampling: moves every row older than each tier's age into that tier's buckets, in one
   * transaction. The cutoff is aligned to the bucket, so a bucket is made once from all its rows
   * and never merged again. Gauges are averaged, offsets and counters keep their last (largest)
   * value, lags their worst, and a flag is set if it was set at any moment of the bucket.
   */
  compact(now: number): void {
    this.db.transaction(() => {
      let from = 0;
      for (const { tier, bucketMs, after } of TIERS) {
        const cutoff = Math.floor((now - after) / bucketMs) * bucketMs;
        this.db
          .prepare(
            `INSERT OR REPLACE INTO node_samples
             SELECT node_id, ${tier}, (time / ${bucketMs}) * ${bucketMs}, MAX(role), AVG(ops_per_sec), AVG(used_memory),
                    AVG(clients), AVG(keys), MAX(master_repl_offset), MIN(link_up), MAX(sync_full), MAX(sync_partial_ok),
                    MAX(sync_partial_err), MAX(aof_enabled), MAX(aof_rewriting), MAX(rdb_saving), MAX(rdb_changes),
                    MIN(persistence_ok)
             FROM node_samples WHERE tier = ? AND time < ? GROUP BY node_id, time / ${bucketMs}`,
          )
          .run(from, cutoff);
        this.db.prepare('DELETE FROM node_samples WHERE tier = ? AND time < ?').run(from, cutoff);
        this.db
          .prepare(
            `INSERT OR REPLACE INTO replica_samples
             SELECT master_id, replica_port, ${tier}, (time / ${bucketMs}) * ${bucketMs}, MAX(replica_id), MIN(state),
                    MAX(acked_offset), MAX(lag_bytes), MAX(seconds_behind), MAX(ack_lag)
             FROM replica_samples WHERE tier = ? AND time < ? GROUP BY master_id, replica_port, time / ${bucketMs}`,
          )
          .run(from, cutoff);
        this.db.prepare('DELETE FROM replica_samples WHERE tier = ? AND time < ?').run(from, cutoff);
        from = tier;
      }
    })();
  }

  /** Rows per tier, for tests and the export's manifest. */
  counts(): Array<{ table: string; tier: number; rows: number }> {
    return this.db
      .prepare(
        `SELECT 'node_samples' AS "table", tier, COUNT(*) AS rows FROM node_samples GROUP BY tier
         UNION ALL SELECT 'replica_samples', tier, COUNT(*) FROM replica_samples GROUP BY tier ORDER BY 1, 2`,
      )
      .all() as Array<{ table: string; tier: number; rows: number }>;
  }

  // better-sqlite3 binds a JS number as REAL, and time / 173000.0 would not group at all: hence the CASTs.
  /** The range, aggregated into equal buckets (at least 1 s) so that no series exceeds MAX_POINTS. */
  query(since: number, until: number): HistoryData {
    const bucketMs = Math.max(1000, Math.ceil((until - since) / MAX_POINTS / 1000) * 1000);
    // At 1 s every row is its own point: the recorder writes about one a second per node, but not
    // on the second, so grouping by whole seconds would merge some neighbours and leave gaps.
    const groupMs = bucketMs === 1000 ? 1 : bucketMs;
    const nodes = new Map<string, NodeHistory>();
    const nodeRows = this.db
      .prepare(
        `SELECT node_id, MIN(time) AS t, AVG(ops_per_sec) AS ops, AVG(used_memory) AS mem, AVG(clients) AS clients,
                AVG(keys) AS keys, MAX(master_repl_offset) AS offset
         FROM node_samples WHERE time >= ? AND time < ? GROUP BY node_id, time / CAST(? AS INTEGER) ORDER BY node_id, t`,
      )
      .raw()
      .iterate(since, until, groupMs) as IterableIterator<[number, number, number, number, number, number, number]>;
    for (const [nodeId, t, ops, mem, clients, keys, offset] of nodeRows) {
      const id = String(nodeId);
      let series = nodes.get(id);
      if (!series) {
        series = { nodeId: id, time: [], opsPerSec: [], usedMemory: [], clients: [], keys: [], masterReplOffset: [] };
        nodes.set(id, series);
      }
      series.time.push(t);
      series.opsPerSec.push(ops);
      series.usedMemory.push(mem);
      series.clients.push(clients);
      series.keys.push(keys);
      series.masterReplOffset.push(offset);
    }
    const replicas = new Map<string, ReplicaHistory>();
    const replicaRows = this.db
      .prepare(
        `SELECT master_id, replica_port, MAX(replica_id), MIN(time) AS t, MAX(acked_offset), MAX(lag_bytes),
                MAX(seconds_behind), MAX(ack_lag)
         FROM replica_samples WHERE time >= ? AND time < ? GROUP BY master_id, replica_port, time / CAST(? AS INTEGER) ORDER BY 1, 2, t`,
      )
      .raw()
      .iterate(since, until, groupMs) as IterableIterator<[number, number, number | null, number, number, number, number | null, number]>;
    for (const [masterId, port, replicaId, t, acked, lagBytes, behind, ackLag] of replicaRows) {
      const key = `${masterId}:${port}`;
      let series = replicas.get(key);
      if (!series) {
        series = {
          masterId: String(masterId),
          replicaPort: port,
          replicaId: replicaId === null ? null : String(replicaId),
          time: [],
          ackedOffset: [],
          lagBytes: [],
          secondsBehind: [],
          ackLag: [],
        };
        replicas.set(key, series);
      }
      series.time.push(t);
      series.ackedOffset.push(acked);
      series.lagBytes.push(lagBytes);
      series.secondsBehind.push(behind);
      series.ackLag.push(ackLag);
    }
    return { since, until, bucketMs, nodes: [...nodes.values()], replicas: [...replicas.values()], syncs: this.syncs(since, until) };
  }

  // --- sync spans -------------------------------------------------------------------------------

  /** Spans that overlap the range (a running one overlaps everything after its start). */
  syncs(since: number, until: number): SyncSpan[] {
    const rows = this.db
      .prepare('SELECT * FROM sync_spans WHERE started_at < ? AND (ended_at IS NULL OR ended_at >= ?) ORDER BY started_at, id')
      .all(until, since) as SpanRow[];
    return rows.map(toSpan);
  }

  startSync(span: Omit<SyncSpan, 'id' | 'endedAt' | 'outcome'>): SyncSpan {
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO sync_spans (replica_id, master_port, kind, started_at, bytes) VALUES (?, ?, ?, ?, ?)')
      .run(Number(span.replicaId), span.masterPort, span.kind, span.startedAt, span.bytes);
    return { ...span, id: Number(lastInsertRowid), endedAt: null, outcome: null };
  }

  endSync(id: number, endedAt: number, outcome: 'ok' | 'failed'): SyncSpan {
    this.db.prepare('UPDATE sync_spans SET ended_at = ?, outcome = ? WHERE id = ?').run(endedAt, outcome, id);
    return this.span(id);
  }

  setSyncBytes(id: number, bytes: number): SyncSpan {
    this.db.prepare('UPDATE sync_spans SET bytes = ? WHERE id = ?').run(bytes, id);
    return this.span(id);
  }

  /** Spans left running when the lab last stopped: their end was not seen. */
  closeUnfinishedSyncs(): void {
    this.db.prepare("UPDATE sync_spans SET outcome = 'failed' WHERE ended_at IS NULL AND outcome IS NULL").run();
  }

  private span(id: number): SyncSpan {
    return toSpan(this.db.prepare('SELECT * FROM sync_spans WHERE id = ?').get(id) as SpanRow);
  }
}

function toSpan(row: SpanRow): SyncSpan {
  return {
    id: row.id,
    replicaId: String(row.replica_id),
    masterPort: row.master_port,
    kind: row.kind,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    bytes: row.bytes,
    outcome: row.outcome,
  };
}
