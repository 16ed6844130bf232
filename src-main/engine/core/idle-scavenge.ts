// A young-generation GC (a scavenge) a millisecond after a busy event-loop turn, instead of in
// the middle of the next command.
//
// Why: V8 collects the young generation when it fills, which is whenever an allocation finds it
// full, usually in the middle of applying a command. Every key and value a node stores starts
// young and has to be copied out, so on a node taking writes each scavenge costs about 1 ms per
// few thousand new keys, and V8 lets the young generation grow to 16 MB: scavenges of 2-6 ms,
// twice a second, on a replica taking 20k SETs/s. While one runs, the node applies nothing, and
// those pauses were the largest part of the replication lag's p99 (docs/benchmarks.md). Asking
// for a scavenge once 256 KB are young keeps each one short (about 0.4-0.6 ms) and puts it where
// the node would otherwise wait for input, the way Chrome runs GC in the idle time between
// frames. (512 KB, 0.6-0.8 ms each, gave a higher lag p99 in six interleaved runs of six; 128 KB
// and 64 KB cost more CPU than they saved.)
//
// Why a millisecond later and not at the turn's end: the turn's writes have just woken its peers
// (the replicas a master fed, the clients it answered, a replica's subscribers), and they need a
// core now. A scavenge at that moment is one more busy thread on a machine that, in a lab, runs
// several nodes on two cores, and a peer may wait for a core meanwhile. A millisecond later they
// have usually finished.
// The lag bench's p99 against the build that scavenged at the turn's end, interleaved rounds: with
// its writer sending a batch every millisecond, median 0.82 ms against 0.92, lower in 7 rounds of
// 11; with a batch every 2 ms or every 1-2 ms at random, lower in 5 rounds of 6 (docs/benchmarks.md).
// Node's timers have millisecond resolution, so this is the shortest delay there is; 2 ms and
// the next loop iteration (setImmediate) were no better than the turn's end.
//
// Only when the node has idle time: when its event loop was busy more than half of the time
// since the last check, there is no idle moment to use, and frequent small scavenges would only
// add their fixed costs (a saturated node under redis-benchmark -P 16 measured 5-15% slower that
// way in one A/B, within the noise of others). V8 then collects on its own schedule.
//
// Scavenges run on the event loop's thread alone (V8's --no-parallel-scavenge, set when this
// module starts): for young generations this small, handing work to helper threads costs more
// than it saves (scavenges p50 0.59-0.65 ms serial against 0.71-0.79 ms parallel, p90 0.73-0.82
// against 1.03-1.06, same runs), and the helpers would take the core another node is about to
// run on. redis-benchmark throughput did not change either way.
//
// The scavenge function is V8's `gc` (what `node --expose-gc` gives), taken from a fresh context
// so that no global appears in the node's own. Where it cannot be had, nothing happens: V8 then
// collects on its own schedule, as before. REPLICA_LAB_IDLE_SCAVENGE=0 leaves V8 at its defaults.
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { runInNewContext } from 'node:vm';

/** Young bytes at which a turn's end asks for a scavenge. */
export const YOUNG_BYTES_TRIGGER = 256 * 1024;
/**
 * At most one check per this many ms. A check reads the heap's statistics and the loop's
 * utilisation, which allocates about a kilobyte: once a millisecond, that was a fifth of all the
 * young memory a replica under 20k writes/s allocated, and so of its scavenges.
 */
export const CHECK_INTERVAL_MS = 4;
/** From a turn's end to its scavenge: time for the peers its writes woke. */
export const SCAVENGE_DELAY_MS = 1;
/** Above this event-loop utilisation since the last check, the node has no idle time to use. */
const BUSY_UTILIZATION = 0.5;

type Gc = (options: { type: 'minor' }) => void;

let scavenge: Gc | null | undefined;

function scavengeFunction(): Gc | null {
  if (scavenge !== undefined) return scavenge;
  // REPLICA_LAB_IDLE_SCAVENGE=0 leaves GC to V8 alone (to compare, in benchmarks).
  if (process.env.REPLICA_LAB_IDLE_SCAVENGE === '0') return (scavenge = null);
  try {
    setFlagsFromString('--no-parallel-scavenge');
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('typeof gc === "function" ? gc : null');
    scavenge = typeof gc === 'function' ? (gc as Gc) : null;
  } catch {
    scavenge = null;
  }
  return scavenge;
}

export class IdleScavenger {
  private readonly gc = scavengeFunction();
  private lastCheck = 0;
  private lastUtilization: EventLoopUtilization | undefined;
  /** The scavenge asked for and not yet run. */
  private pending: NodeJS.Timeout | undefined;
  /** Scavenges run so far (INFO does not show it; the tests read it). */
  count = 0;

  /**
   * Call at the end of a turn that did work: asks for a scavenge SCAVENGE_DELAY_MS later if enough
   * young memory piled up.
   */
  afterTurn(): void {
    if (this.gc === null || this.pending !== undefined) return;
    const now = performance.now();
    if (now - this.lastCheck < CHECK_INTERVAL_MS) return;
    this.lastCheck = now;
    const total = performance.eventLoopUtilization();
    const recent = this.lastUtilization === undefined ? total : performance.eventLoopUtilization(total, this.lastUtilization);
    this.lastUtilization = total;
    if (recent.utilization > BUSY_UTILIZATION) return;
    // The young generation is the second space V8 lists; looked up by name in case that moves.
    const spaces = getHeapSpaceStatistics();
    const young = spaces[1]?.space_name === 'new_space' ? spaces[1] : spaces.find((s) => s.space_name === 'new_space');
    if (young === undefined || young.space_used_size < YOUNG_BYTES_TRIGGER) return;
    // unref: a node that is closing must not be kept alive by its last scavenge.
    this.pending = setTimeout(this.collect, SCAVENGE_DELAY_MS).unref();
  }

  private readonly collect = (): void => {
    this.pending = undefined;
    this.gc!({ type: 'minor' });
    this.count++;
  };
}
