// Each replica's full and partial resynchronizations as spans, read from the nodes' own log lines
// (the same lines redis-server logs), timed by the timestamps in those lines:
//   replica: "MASTER <-> REPLICA sync started"                      a connection attempt begins
//   replica: "MASTER <-> REPLICA sync: receiving N bytes from master" it is a full sync of N bytes
//   replica: "... receiving streamed RDB from master ..."            a full sync, size not known ahead
//   replica: "MASTER <-> REPLICA sync: Finished with success"       the full sync ended
//   replica: "Successful partial resynchronization with master."    a partial sync, done at once
//   master:  "Partial resynchronization request from IP:PORT accepted. Sending N bytes of backlog"
// With a diskless master (repl-diskless-sync yes, the default) the RDB is streamed and no line
// gives its size; then the span's bytes are what the replica's own INFO counter
// total_net_repl_input_bytes grew by from the reading before the sync to the first after it: the
// RDB plus the few commands streamed meanwhile.
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
  /** total_net_repl_input_bytes when the open streamed sync began, and of which run (null: a fresh start, 0). */
  inputBefore: { bytes: number; run: object | null } | null;
  /** A streamed sync that ended, waiting for the next INFO reading to know its bytes. */
  awaitingInput: { span: SyncSpan; inputBefore: { bytes: number; run: object | null } } | null;
}

interface InputReading {
  /** Identifies one run of the node: counters start again from 0 when it restarts. */
  run: object;
  time: number;
  inputBytes: number;
}

/** How long after a partial sync the master's "Sending N bytes" line may still be matched to it. */
const PARTIAL_MATCH_MS = 5000;

export class SyncTimeline {
  private readonly replicas = new Map<string, ReplicaState>();
  /** Partial syncs whose bytes the master has not logged yet, by the replica's port. */
  private readonly partialsAwaitingBytes = new Map<number, SyncSpan>();
  /** Bytes the master logged before the replica logged its success, by the replica's port. */
  private readonly bytesAwaitingPartial = new Map<number, { bytes: number; time: number }>();
  /** Each node's latest total_net_repl_input_bytes reading. */
  private readonly inputs = new Map<string, InputReading>();

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
    // A node that just started counts its traffic from 0 again.
    if (message === 'Ready to accept connections' || message.startsWith('Ready to accept connections ')) this.inputs.delete(nodeId);
    if (!message.includes('MASTER <-> REPLICA') && !message.includes('artial resynchronization')) return;
    const state = this.state(nodeId);
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
      // The reading before the sync, if it is of this run of the node (else the counter began at 0).
      const before = this.inputs.get(nodeId);
      state.inputBefore = span.bytes === null ? (before ? { bytes: before.inputBytes, run: before.run } : { bytes: 0, run: null }) : null;
      this.emit(span);
      return;
    }
    if (message === 'MASTER <-> REPLICA sync: Finished with success' && state.open) {
      const ended = this.store.endSync(state.open.id, time, 'ok');
      if (state.inputBefore !== null) state.awaitingInput = { span: ended, inputBefore: state.inputBefore };
      state.inputBefore = null;
      this.emit(ended);
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

  /** An INFO reading of node `nodeId` (a run of it is identified by `run`). */
  reading(nodeId: string, run: object, time: number, inputBytes: number): void {
    this.inputs.set(nodeId, { run, time, inputBytes });
    const state = this.replicas.get(nodeId);
    const waiting = state?.awaitingInput;
    if (!state || !waiting || time < (waiting.span.endedAt ?? 0)) return;
    state.awaitingInput = null;
    // Counters start again from 0 when a node restarts: a difference across two runs means nothing.
    const before = waiting.inputBefore;
    if (before.run === null || before.run === run) this.emit(this.store.setSyncBytes(waiting.span.id, inputBytes - before.bytes));
  }

  private state(nodeId: string): ReplicaState {
    let state = this.replicas.get(nodeId);
    if (!state) this.replicas.set(nodeId, (state = { attemptStartedAt: null, open: null, inputBefore: null, awaitingInput: null }));
    return state;
  }

  private emit(span: SyncSpan): void {
    this.onSpan(span);
  }
}
