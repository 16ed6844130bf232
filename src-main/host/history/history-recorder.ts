// Records the lab's history in lab.db: every node's INFO once a second, its replicas' lag in bytes
// and seconds, and their syncs (sync-timeline.ts). The INFO poller reads each node every 500 ms;
// this keeps the latest reading of each node in memory and once a second writes what arrived, in
// one transaction, so the host's per-second work is a handful of inserts (about 0.1 ms per node;
// see the integration test's event-loop figures). Old rows are downsampled once a minute.
import type { HistoryData, HistoryPush, NodeHistory, ReplicaHistory, SyncSpan } from '../../api/index.js';
import type { InfoPoller } from '../metrics/info-poller.js';
import type { LabNode } from '../nodes/lab-node.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import type { HistoryStore, NodeSampleRow, ReplicaSampleRow } from '../store/history-store.js';
import { OffsetHistory } from './offset-history.js';
import { infoFields, sampleRows } from './history-sample.js';
import { SyncTimeline } from './sync-timeline.js';

export const HISTORY_WRITE_INTERVAL_MS = 1000;
export const COMPACTION_INTERVAL_MS = 60_000;

export class HistoryRecorder {
  private readonly offsets = new Map<string, OffsetHistory>();
  /** The latest reading of each node since the last write. */
  private readonly pending = new Map<string, { node: NodeSampleRow; replicas: ReplicaSampleRow[] }>();
  private readonly pendingSpans: SyncSpan[] = [];
  private readonly timeline: SyncTimeline;
  /** The run_id last recorded per node, so a run is written once, not every second. */
  private readonly runs = new Map<string, string>();
  private writeTimer: NodeJS.Timeout | null = null;
  private compactTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly store: HistoryStore,
    private readonly registry: NodeRegistry,
    private readonly poller: InfoPoller,
    private readonly push: (push: HistoryPush) => void,
  ) {
    this.timeline = new SyncTimeline(store, (span) => this.pendingSpans.push(span));
  }

  start(): void {
    this.unsubscribe ??= this.poller.onSample((node, text, time) => this.reading(node, text, time));
    this.writeTimer ??= setInterval(() => this.flush(), HISTORY_WRITE_INTERVAL_MS);
    this.compactTimer ??= setInterval(() => this.compact(), COMPACTION_INTERVAL_MS);
    // A lab that was closed for a while has rows to move down a tier before anyone asks.
    this.compact();
  }

  /** Stops recording, writing what is still pending first. */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.writeTimer) clearInterval(this.writeTimer);
    if (this.compactTimer) clearInterval(this.compactTimer);
    this.writeTimer = this.compactTimer = null;
    this.flush();
  }

  /** A log line of a lab node (sync spans are read from the logs). */
  logLine(nodeId: string, line: string): void {
    const node = this.registry.find(nodeId);
    if (!node) return;
    const masterPort = node.info?.masterPort ?? null;
    this.timeline.line(nodeId, node.stored.port, masterPort, line);
  }

  /** A master's write rate (bytes of replication stream a second) over its readings of the last `windowMs`; null if unknown. */
  writeRate(id: string, windowMs: number): number | null {
    return this.offsets.get(id)?.bytesPerSecond(windowMs) ?? null;
  }

  history(since: number, until = Date.now()): HistoryData {
    // What is still pending would be missing from a reload that lands between two writes.
    this.flush();
    return this.store.query(since, until);
  }

  private reading(node: LabNode, text: string, time: number): void {
    const id = node.stored.id;
    let offsets = this.offsets.get(id);
    if (!offsets) this.offsets.set(id, (offsets = new OffsetHistory()));
    const rows = sampleRows(Number(id), text, time, offsets, (port) => {
      const onPort = this.registry.all().find((candidate) => candidate.stored.port === port);
      return onPort ? Number(onPort.stored.id) : null;
    });
    this.pending.set(id, rows);
    const fields = infoFields(text);
    if (node.running) this.timeline.reading(id, node.running, time, Number(fields.get('total_net_repl_input_bytes') ?? 0) || 0);
    const runId = fields.get('run_id');
    if (runId && this.runs.get(id) !== runId) {
      this.runs.set(id, runId);
      try {
        this.store.recordRun(Number(id), runId, fields.get('redis_version') ?? '', time);
      } catch (error) {
        console.error(`history: could not record a node run: ${(error as Error).message}`);
      }
    }
  }

  /** Writes the pending readings in one transaction and pushes them. */
  flush(): void {
    if (this.pending.size === 0 && this.pendingSpans.length === 0) return;
    const readings = [...this.pending.values()];
    this.pending.clear();
    const spans = this.pendingSpans.splice(0);
    try {
      this.store.write(
        readings.map((r) => r.node),
        readings.flatMap((r) => r.replicas),
      );
    } catch (error) {
      // A full disk or a locked file loses this second, not the host: the next write tries again.
      console.error(`history: could not write samples: ${(error as Error).message}`);
      return;
    }
    this.push({
      type: 'history',
      time: Date.now(),
      nodes: readings.map(({ node }) => nodePoint(node)),
      replicas: readings.flatMap((r) => r.replicas.map(replicaPoint)),
      syncs: spans,
    });
  }

  private compact(): void {
    try {
      this.store.compact(Date.now());
    } catch (error) {
      console.error(`history: could not downsample: ${(error as Error).message}`);
    }
  }
}

function nodePoint(row: NodeSampleRow): NodeHistory {
  return {
    nodeId: String(row.nodeId),
    time: [row.time],
    opsPerSec: [row.opsPerSec],
    usedMemory: [row.usedMemory],
    clients: [row.clients],
    keys: [row.keys],
    masterReplOffset: [row.masterReplOffset],
  };
}

function replicaPoint(row: ReplicaSampleRow): ReplicaHistory {
  return {
    masterId: String(row.masterId),
    replicaPort: row.replicaPort,
    replicaId: row.replicaId === null ? null : String(row.replicaId),
    time: [row.time],
    ackedOffset: [row.ackedOffset],
    lagBytes: [row.lagBytes],
    secondsBehind: [row.secondsBehind],
    ackLag: [row.ackLag],
  };
}
