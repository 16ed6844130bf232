// The replication stream view of one link (the replica's): the host reads it at the link's relay
// only while this store watches (a lease renewed every STREAM_RENEW_MS), and pushes entries. The
// store keeps the last KEEP_ENTRIES; while paused, new entries wait (bounded the same way) and are
// shown on resume. Filtering (by command name, and REPLCONF ACKs from the replica on or off) is done
// here, on what was received.
import { STREAM_RENEW_MS, type StreamEntry, type StreamWatchStatus } from '@api/index.js';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { lab } from '../api/lab-client.js';

export const KEEP_ENTRIES = 2000;

export const useStreamViewStore = defineStore('streamView', () => {
  const replicaId = ref<string | null>(null);
  const status = ref<StreamWatchStatus | null>(null);
  const error = ref<string | null>(null);
  const entries = shallowRef<StreamEntry[]>([]);
  const paused = ref(false);
  /** Entries received while paused, shown on resume. */
  const held = shallowRef<StreamEntry[]>([]);
  const filter = ref('');
  const showAcks = ref(false);
  let timer: ReturnType<typeof setTimeout> | null = null;

  async function renew(id: string): Promise<void> {
    try {
      const answer = await lab.streamWatch(id);
      if (replicaId.value !== id) return;
      status.value = answer;
      error.value = null;
    } catch (failure) {
      if (replicaId.value !== id) return;
      error.value = failure instanceof Error ? failure.message : String(failure);
    }
    if (replicaId.value === id) timer = setTimeout(() => void renew(id), STREAM_RENEW_MS);
  }

  /** Watches `id`'s link (a replica); another link's entries are cleared. */
  function watch(id: string): void {
    if (replicaId.value === id) return;
    stop();
    replicaId.value = id;
    clear();
    void renew(id);
  }

  function stop(): void {
    const id = replicaId.value;
    replicaId.value = null;
    status.value = null;
    error.value = null;
    if (timer) clearTimeout(timer);
    timer = null;
    if (id !== null) void lab.streamUnwatch(id).catch(() => {});
  }

  /** A `stream` push. */
  function received(id: string, batch: StreamEntry[]): void {
    if (id !== replicaId.value) return;
    if (paused.value) held.value = held.value.concat(batch).slice(-KEEP_ENTRIES);
    else entries.value = entries.value.concat(batch).slice(-KEEP_ENTRIES);
  }

  function pause(): void {
    paused.value = true;
  }

  function resume(): void {
    paused.value = false;
    entries.value = entries.value.concat(held.value).slice(-KEEP_ENTRIES);
    held.value = [];
  }

  function clear(): void {
    entries.value = [];
    held.value = [];
  }

  const shown = computed(() => {
    const wanted = filter.value.trim().toUpperCase();
    return entries.value.filter((entry) => {
      if (entry.direction === 'to-master' && !showAcks.value) return false;
      return wanted === '' || entry.name.includes(wanted);
    });
  });

  /** The last offset the master's side showed: the master's master_repl_offset after it. */
  const lastOffset = computed(() => {
    for (let i = entries.value.length - 1; i >= 0; i--) {
      const entry = entries.value[i]!;
      if (entry.direction === 'to-replica' && entry.offset !== null) return entry.offset;
    }
    return null;
  });

  return {
    replicaId,
    status,
    error,
    entries,
    held,
    paused,
    filter,
    showAcks,
    shown,
    lastOffset,
    watch,
    stop,
    received,
    pause,
    resume,
    clear,
  };
});
