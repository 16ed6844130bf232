// The latency monitor (Redis's latency.c): when latency-monitor-threshold is set, events that took
// at least that many milliseconds ("command", "fast-command", ...) are sampled, one sample per
// second per event (the worst one), keeping the last 160 seconds.
const HISTORY_LEN = 160; // LATENCY_TS_LEN

export interface LatencySample {
  time: number;
  latencyMs: number;
}

export interface LatencyEvent {
  samples: LatencySample[];
  /** Worst latency ever recorded for the event. */
  maxMs: number;
}

export class LatencyMonitor {
  readonly events = new Map<string, LatencyEvent>();
  /** latency-monitor-threshold in ms; 0 disables the monitor. */
  thresholdMs = 0;

  /** latencyAddSampleIfNeeded. */
  addSampleIfNeeded(event: string, latencyMs: number): void {
    if (this.thresholdMs === 0 || latencyMs < this.thresholdMs) return;
    const now = Math.floor(Date.now() / 1000);
    let entry = this.events.get(event);
    if (!entry) this.events.set(event, (entry = { samples: [], maxMs: 0 }));
    latencyMs = Math.floor(latencyMs);
    entry.maxMs = Math.max(entry.maxMs, latencyMs);
    const last = entry.samples[entry.samples.length - 1];
    if (last && last.time === now) {
      last.latencyMs = Math.max(last.latencyMs, latencyMs);
      return;
    }
    entry.samples.push({ time: now, latencyMs });
    if (entry.samples.length > HISTORY_LEN) entry.samples.shift();
  }

  /** LATENCY RESET [event ...]: how many events were reset. */
  reset(events: string[]): number {
    if (events.length === 0) {
      const n = this.events.size;
      this.events.clear();
      return n;
    }
    let n = 0;
    for (const e of events) if (this.events.delete(e)) n++;
    return n;
  }
}
