// The lab's recorded history for the charts: a range is loaded from lab.db through `history`, then
// each second's `history` push is appended, so the charts follow the lab live and show the same
// history after a page reload or a lab restart (it is the host's lab.db, not this page's memory).
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { HistoryData, HistoryPush, NodeHistory, ReplicaHistory, SyncSpan } from '@api/history.js';
import { lab } from '../api/lab-client.js';
import { useNoticesStore } from './notices.js';

export type HistoryRangeName = '1m' | '15m' | '1h' | '24h' | 'all';

export const HISTORY_RANGES: ReadonlyArray<{ name: HistoryRangeName; label: string; ms: number | null }> = [
  { name: '1m', label: '1 min', ms: 60_000 },
  { name: '15m', label: '15 min', ms: 15 * 60_000 },
  { name: '1h', label: '1 h', ms: 60 * 60_000 },
  { name: '24h', label: '24 h', ms: 24 * 60 * 60_000 },
  { name: 'all', label: 'All', ms: null },
];

export const useHistoryStore = defineStore('history', () => {
  const notices = useNoticesStore();
  const range = ref<HistoryRangeName>('15m');
  // Shallow: thousands of numbers per series need no proxies; `version` says when they changed (a
  // deep ref made every splice of a second's trimming a storm of reactive index writes).
  const data = shallowRef<HistoryData | null>(null);
  const loading = ref(false);
  /** Bumped on every change, so charts redraw once per change instead of deep-watching big arrays. */
  const version = ref(0);
  let request = 0;

  function rangeMs(): number | null {
    return HISTORY_RANGES.find((r) => r.name === range.value)!.ms;
  }

  async function load(): Promise<void> {
    const mine = ++request;
    loading.value = true;
    try {
      const ms = rangeMs();
      const loaded = await lab.history({ since: ms === null ? 0 : Date.now() - ms });
      if (mine !== request) return;
      data.value = loaded;
      version.value++;
    } catch (error) {
      notices.reportError('Could not load the history', error);
    } finally {
      if (mine === request) loading.value = false;
    }
  }

  function setRange(name: HistoryRangeName): void {
    if (range.value === name && data.value) return;
    range.value = name;
    void load();
  }

  /** One second's samples. At a coarse resolution a point is a bucket, so a new second only updates the range's end. */
  function add(push: HistoryPush): void {
    const current = data.value;
    if (!current || loading.value) return;
    const ms = rangeMs();
    const since = ms === null ? current.since : push.time - ms;
    if (current.bucketMs === 1000) {
      for (const point of push.nodes) appendNode(current.nodes, point, since);
      for (const point of push.replicas) appendReplica(current.replicas, point, since);
    }
    mergeSyncs(current.syncs, push.syncs);
    current.until = push.time;
    current.since = since;
    version.value++;
  }

  return { range, data, loading, version, load, setRange, add };
});

function trimFront(time: number[], since: number): number {
  let cut = 0;
  while (cut < time.length && time[cut]! < since) cut++;
  return cut;
}

function appendNode(list: NodeHistory[], point: NodeHistory, since: number): void {
  const series = list.find((s) => s.nodeId === point.nodeId);
  if (!series) return void list.push(point);
  const cut = trimFront(series.time, since);
  for (const key of ['time', 'opsPerSec', 'usedMemory', 'clients', 'keys', 'masterReplOffset'] as const) {
    series[key].push(...point[key]);
    if (cut > 0) series[key].splice(0, cut);
  }
}

function appendReplica(list: ReplicaHistory[], point: ReplicaHistory, since: number): void {
  const series = list.find((s) => s.masterId === point.masterId && s.replicaPort === point.replicaPort);
  if (!series) return void list.push(point);
  const cut = trimFront(series.time, since);
  for (const key of ['time', 'ackedOffset', 'lagBytes', 'secondsBehind', 'ackLag'] as const) {
    (series[key] as Array<number | null>).push(...point[key]);
    if (cut > 0) series[key].splice(0, cut);
  }
  series.replicaId = point.replicaId;
}

function mergeSyncs(list: SyncSpan[], spans: SyncSpan[]): void {
  for (const span of spans) {
    const at = list.findIndex((s) => s.id === span.id);
    if (at >= 0) list[at] = span;
    else list.push(span);
  }
}
