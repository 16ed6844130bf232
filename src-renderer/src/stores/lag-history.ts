// The last minute of replication lag per master, sampled from the `nodes` pushes. Each point is one
// INFO reading of the master: its master_repl_offset minus the offset a replica last acknowledged
// (its `slaveN:...,offset=N` line), i.e. how many bytes of the stream the replica had not confirmed.
// Both numbers come from the same reading, so the difference is exact for that moment.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { NodeSummary } from '@api/nodes.js';

/** How much history a chart shows. */
export const LAG_WINDOW_MS = 60_000;

export interface LagPoint {
  /** When the master's INFO was read (its sampledAt). */
  time: number;
  bytesBehind: number;
}

export interface LagSeries {
  /** The replica as its master lists it: `ip:port` (port = its listening port). */
  replica: string;
  ip: string;
  port: number;
  points: LagPoint[];
  /** The latest `lag=` of its slaveN line: seconds since its last ACK. */
  lagSeconds: number;
}

export const useLagHistoryStore = defineStore('lagHistory', () => {
  /** master node id -> replica `ip:port` -> series, in the order the master lists its replicas. */
  const byMaster = ref<Record<string, Record<string, LagSeries>>>({});

  function record(nodes: NodeSummary[]): void {
    const next: Record<string, Record<string, LagSeries>> = {};
    const oldest = Date.now() - LAG_WINDOW_MS;
    for (const node of nodes) {
      const info = node.status === 'running' ? node.info : null;
      if (!info || info.replicas.length === 0) continue;
      const previous = byMaster.value[node.id] ?? {};
      const series: Record<string, LagSeries> = {};
      for (const replica of info.replicas) {
        const key = `${replica.ip}:${replica.port}`;
        const earlier = previous[key]?.points.filter((point) => point.time >= oldest) ?? [];
        // Pushes come more often than some INFO readings; a reading is one point, however often it is pushed.
        const isNew = earlier.length === 0 || earlier[earlier.length - 1]!.time < info.sampledAt;
        const point = { time: info.sampledAt, bytesBehind: info.masterReplOffset - replica.offset };
        series[key] = {
          replica: key,
          ip: replica.ip,
          port: replica.port,
          points: isNew ? [...earlier, point] : earlier,
          lagSeconds: replica.lag,
        };
      }
      next[node.id] = series;
    }
    byMaster.value = next;
  }

  function seriesOf(masterId: string): LagSeries[] {
    return Object.values(byMaster.value[masterId] ?? {});
  }

  return { byMaster, record, seriesOf };
});
