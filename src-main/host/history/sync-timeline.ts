// Each replica's full and partial resynchronizations as spans, read from the nodes' own log lines
// (the same lines redis-server logs), timed by the timestamps in those lines:
//   replica: "MASTER <-> REPLICA sync started"                      a connection attempt begins
//   replica: "MASTER <-> REPLICA sync: receiving N bytes from master" it is a full sync of N bytes
//   replica: "... receiving streamed RDB from master ..."            a full sync, size not known ahead
//   replica: "MASTER <-> REPLICA sync: Finished with success"       the full sync ended
//   replica: "Successful partial resynchronization with master."    a partial sync, done at once
//   master:  "Partial resynchronization request from IP:PORT accepted. Sending N bytes of backlog"
// An attempt that never gets as far as a full or partial sync (the master is down, say) is not a
// sync and leaves no span; a full sync followed by a new attempt before it finished failed.
import type { SyncSpan } from '../../api/index.js';
import type { HistoryStore } from '../store/history-store.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LINE = /^\d+:[MSCX] (\d{2}) (\w{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) [.\-*#] (.*)$/;

/** A Redis log line's time (local time, as the logger writes it) and message; null if not one. */
export function parseLogLine(line: string): { time: number; message: string } | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2]!);
  if (month < 0) return null;
  const time = new Date(+m[3]!, month, +m[1]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!).getTime();
  return { time, message: m[8]! };
}

interface ReplicaState {
  attemptStartedAt: number | null;
  open: SyncSpan | null;
}

/** How long after a partial sync the master's "Sending N bytes" line may still be matched to it. */
const PARTIAL_MATCH_MS = 5000;

export class SyncTimeline {
  private readonly replicas = new Map<string, ReplicaState>();
  /** Partial syncs whose bytes the master has not logged yet, by the replica's port. */
  private readonly partialsAwaitingBytes = new Map<number, SyncSpan>();
  /** Bytes the master logged before the replica logged its success, by the replica's port. */
  private readonly bytesAwaitingPartial = new Map<number, { bytes: number; time: number }>();

  constructor(
    private readonly store: HistoryStore,
    private readonly onSpan: (span: SyncSpan) => void,
  ) {
    store.closeUnfinishedSyncs();
  }

  /** A log line of node `nodeId`, which listens on `port` and (if a replica) replicates from `masterPort`. */
  line(nodeId: string, port: number, masterPort: number | null, line: string): void {
    const parsed = parseLogLine(line);
    if (!parsed) return;
    const { time, message } = parsed;
    if (!message.includes('MASTER <-> REPLICA') && !message.includes('artial resynchronization')) return;
    const state = this.replicas.get(nodeId) ?? { attemptStartedAt: null, open: null };
    this.replicas.set(nodeId, state);

    if (message === 'MASTER <-> REPLICA sync started') {
      if (state.open) this.emit(this.store.endSync(state.open.id, time, 'failed'));
      state.open = null;
      state.attemptStartedAt = time;
      return;
    }
    const full = /^MASTER <-> REPLICA sync: receiving (?:(\d+) bytes from master|streamed RDB from master)/.exec(message);
    if (full) {
      const span = this.store.startSync({
        replicaId: nodeId,
        masterPort,
        kind: 'full',
        startedAt: state.attemptStartedAt ?? time,
        bytes: full[1] === undefined ? null : Number(full[1]),
      });
      state.open = span;
      this.emit(span);
      return;
    }
    if (message === 'MASTER <-> REPLICA sync: Finished with success' && state.open) {
      this.emit(this.store.endSync(state.open.id, time, 'ok'));
      state.open = null;
      state.attemptStartedAt = null;
      return;
    }
    if (message === 'Successful partial resynchronization with master.') {
      const early = this.bytesAwaitingPartial.get(port);
      const bytes = early && Math.abs(early.time - time) < PARTIAL_MATCH_MS ? early.bytes : null;
      this.bytesAwaitingPartial.delete(port);
      let span = this.store.startSync({ replicaId: nodeId, masterPort, kind: 'partial', startedAt: state.attemptStartedAt ?? time, bytes });
      span = this.store.endSync(span.id, time, 'ok');
      if (bytes === null) this.partialsAwaitingBytes.set(port, span);
      state.attemptStartedAt = null;
      this.emit(span);
      return;
    }
    // The master's side: which replica port, and how many bytes of backlog it sent.
    const sent = /^Partial resynchronization request from [^ ]*:(\d+) accepted\. Sending (\d+) bytes/.exec(message);
    if (sent) {
      const replicaPort = Number(sent[1]);
      const bytes = Number(sent[2]);
      const waiting = this.partialsAwaitingBytes.get(replicaPort);
      this.partialsAwaitingBytes.delete(replicaPort);
      if (waiting && Math.abs((waiting.endedAt ?? time) - time) < PARTIAL_MATCH_MS) this.emit(this.store.setSyncBytes(waiting.id, bytes));
      else this.bytesAwaitingPartial.set(replicaPort, { bytes, time });
    }
  }

  private emit(span: SyncSpan): void {
    this.onSpan(span);
  }
}
