// Seconds behind master, the way MySQL means it and Redis has no field for: how long ago the master
// was at the offset a replica has acknowledged. Redis's own `lag=` in a master's slaveN line is only
// the seconds since that replica's last REPLCONF ACK, which stays 0-1 on a replica that acks on time
// however far behind it is; this answers "how old is the data the replica has".
//
// The answer comes from the master's own sampled master_repl_offset: each INFO reading adds a point
// (time, offset). The offset only grows while the replication ID stays the same, so the points are
// sorted both ways and a binary search finds the two readings between which the master passed the
// acknowledged offset; between them the master is assumed to have written at an even rate.

/** How long the master's readings are kept: a replica further behind than this reads as unknown. */
export const OFFSET_HISTORY_MS = 60 * 60 * 1000;

export class OffsetHistory {
  private times: number[] = [];
  private offsets: number[] = [];
  /** Index of the first point still kept (old points are dropped in batches, not one shift() each). */
  private start = 0;
  private replid = '';

  constructor(private readonly keepMs = OFFSET_HISTORY_MS) {}

  /** Adds one of the master's readings. A new replication ID or a smaller offset starts afresh. */
  add(time: number, offset: number, replid = ''): void {
    const lastOffset = this.offsets[this.offsets.length - 1];
    if (replid !== this.replid || (lastOffset !== undefined && offset < lastOffset)) this.clear();
    this.replid = replid;
    const lastTime = this.times[this.times.length - 1];
    if (lastTime !== undefined && time <= lastTime) return;
    this.times.push(time);
    this.offsets.push(offset);
    while (this.start < this.times.length && this.times[this.start]! < time - this.keepMs) this.start++;
    if (this.start > 1024 && this.start * 2 > this.times.length) {
      this.times = this.times.slice(this.start);
      this.offsets = this.offsets.slice(this.start);
      this.start = 0;
    }
  }

  clear(): void {
    this.times = [];
    this.offsets = [];
    this.start = 0;
  }

  /**
   * Seconds since the master was at `acked`, seen from `now` (ms). 0 when the replica has
   * acknowledged everything the master had at its latest reading; null when the master passed that
   * offset before the oldest reading kept (or there are none), because no reading says when.
   */
  secondsBehind(acked: number, now: number): number | null {
    const end = this.times.length;
    if (end === this.start) return null;
    if (acked >= this.offsets[end - 1]!) return 0;
    // The first reading at or past `acked`.
    let lo = this.start;
    let hi = end - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsets[mid]! >= acked) hi = mid;
      else lo = mid + 1;
    }
    if (lo === this.start) {
      // The oldest reading is already at or past it: only exact equality says when.
      return this.offsets[lo] === acked ? Math.max(0, (now - this.times[lo]!) / 1000) : null;
    }
    const t0 = this.times[lo - 1]!;
    const o0 = this.offsets[lo - 1]!;
    const t1 = this.times[lo]!;
    const o1 = this.offsets[lo]!;
    const reachedAt = t0 + ((acked - o0) / (o1 - o0)) * (t1 - t0);
    return Math.max(0, (now - reachedAt) / 1000);
  }

  /**
   * The master's write rate in bytes of replication stream per second, over its readings of the
   * last `windowMs` before the latest (at least the two latest readings); null with fewer than two.
   */
  bytesPerSecond(windowMs: number): number | null {
    const end = this.times.length;
    if (end - this.start < 2) return null;
    const lastTime = this.times[end - 1]!;
    let first = end - 2;
    while (first > this.start && this.times[first - 1]! >= lastTime - windowMs) first--;
    const seconds = (lastTime - this.times[first]!) / 1000;
    return seconds > 0 ? (this.offsets[end - 1]! - this.offsets[first]!) / seconds : null;
  }
}
