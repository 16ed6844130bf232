// A `sync` event for each full or partial resynchronization that ends, with its bytes and duration.
// The spans themselves are read from the nodes' logs by history/sync-timeline.ts and pushed with the
// history every second; this only turns each finished span into one event. A streamed full sync's
// bytes are known one INFO reading after it ends, so a finished span waits up to BYTES_WAIT_MS for them.
import type { HistoryPush, SyncSpan } from '../../api/index.js';
import type { EventRecorder } from '../events/event-recorder.js';
import type { NodeRegistry } from '../nodes/node-registry.js';

const BYTES_WAIT_MS = 3_000;

export class SyncEvents {
  private readonly recorded = new Set<number>();
  /** Spans seen with an outcome but not recorded yet (waiting for their bytes), by id. */
  private readonly ended = new Map<number, SyncSpan>();

  constructor(
    private readonly registry: NodeRegistry,
    private readonly events: EventRecorder,
  ) {}

  /** Every `history` push: records the spans that have ended since. */
  history(push: HistoryPush, now = Date.now()): void {
    for (const span of push.syncs) {
      if (span.outcome !== null && span.endedAt !== null && !this.recorded.has(span.id)) this.ended.set(span.id, span);
    }
    for (const span of [...this.ended.values()]) {
      if (span.bytes === null && span.outcome === 'ok' && now - span.endedAt! < BYTES_WAIT_MS) continue;
      this.ended.delete(span.id);
      this.recorded.add(span.id);
      const replica = this.registry.find(span.replicaId);
      if (replica) this.events.record(replica.stored, 'sync', describe(span));
    }
  }
}

function describe(span: SyncSpan): string {
  const seconds = ((span.endedAt! - span.startedAt) / 1000).toFixed(1);
  const bytes = span.bytes === null ? 'size not logged' : `${span.bytes} bytes`;
  const from = span.masterPort === null ? '' : ` from port ${span.masterPort}`;
  const outcome = span.outcome === 'ok' ? 'done' : 'failed';
  return `${span.kind} sync${from} ${outcome}: ${bytes} in ${seconds} s (from the node logs)`;
}
