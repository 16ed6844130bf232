// The lab's Sentinels as the host reports them (listSentinels: what each one says over the
// protocol), read once a second while a view that shows them is mounted.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SentinelSummary } from '@api/sentinels.js';
import { lab } from '../api/lab-client.js';

const REFRESH_MS = 1000;

export const useSentinelsStore = defineStore('sentinels', () => {
  const sentinels = ref<SentinelSummary[]>([]);
  let watchers = 0;
  let timer: ReturnType<typeof setInterval> | undefined;

  async function refresh(): Promise<void> {
    try {
      sentinels.value = await lab.listSentinels();
    } catch {
      // The connection banner says when the host is unreachable.
    }
  }

  /** Starts reading while at least one view watches; returns the function that stops watching. */
  function watch(): () => void {
    if (watchers++ === 0) {
      void refresh();
      timer = setInterval(() => void refresh(), REFRESH_MS);
    }
    return () => {
      if (--watchers === 0) clearInterval(timer);
    };
  }

  /** The running Sentinels that hold the lab node `masterId` as their master now. */
  function watching(masterId: string | undefined): SentinelSummary[] {
    return sentinels.value.filter((s) => s.status === 'running' && s.view?.masterNodeId === masterId);
  }

  return { sentinels, refresh, watch, watching };
});
