// Instantaneous metrics for INFO stats (Redis's trackInstantaneousMetric, run every 100 ms from
// serverCron): each sample is the rate since the previous one, and the reported value is the
// mean of the last 16 samples.
const SAMPLES = 16; // STATS_METRIC_SAMPLES

class InstantaneousMetric {
  private readonly samples = new Array<number>(SAMPLES).fill(0);
  private index = 0;
  private lastReading = 0;
  private lastTime = 0;

  track(reading: number, nowMs: number): void {
    if (this.lastTime !== 0) {
      const elapsed = nowMs - this.lastTime;
      this.samples[this.index] = elapsed > 0 ? ((reading - this.lastReading) * 1000) / elapsed : 0;
      this.index = (this.index + 1) % SAMPLES;
    }
    this.lastReading = reading;
    this.lastTime = nowMs;
  }

  get value(): number {
    let sum = 0;
    for (const s of this.samples) sum += s;
    return sum / SAMPLES;
  }

  reset(): void {
    this.samples.fill(0);
    this.lastTime = 0;
  }
}

export class InstantaneousMetrics {
  readonly ops = new InstantaneousMetric();
  readonly netInput = new InstantaneousMetric();
  readonly netOutput = new InstantaneousMetric();
  /** Bytes read from our master and written to our replicas (STATS_METRIC_NET_*_REPLICATION). */
  readonly netReplInput = new InstantaneousMetric();
  readonly netReplOutput = new InstantaneousMetric();

  reset(): void {
    this.ops.reset();
    this.netInput.reset();
    this.netOutput.reset();
    this.netReplInput.reset();
    this.netReplOutput.reset();
  }
}
