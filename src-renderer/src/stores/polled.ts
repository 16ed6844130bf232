// What a panel asks the host for again and again while it is open (the node panel's INFO, a
// master's backlog): one request at a time, the latest answer kept, the error of a failed one shown
// in its place. Pinia stores built on it start it when their panel mounts and stop it when it goes.
import { ref, type Ref } from 'vue';

export interface Polled<T> {
  data: Ref<T | null>;
  error: Ref<string | null>;
  /** Fetches for `key` now and then every `intervalMs`; a new key drops the previous one's data. */
  start(key: string): void;
  stop(): void;
}

export function polled<T>(fetch: (key: string) => Promise<T>, intervalMs: number): Polled<T> {
  const data = ref<T | null>(null) as Ref<T | null>;
  const error = ref<string | null>(null);
  let key: string | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  async function tick(forKey: string): Promise<void> {
    try {
      const answer = await fetch(forKey);
      if (key !== forKey) return;
      data.value = answer;
      error.value = null;
    } catch (failure) {
      if (key !== forKey) return;
      error.value = failure instanceof Error ? failure.message : String(failure);
    }
    if (key === forKey) timer = setTimeout(() => void tick(forKey), intervalMs);
  }

  function start(next: string): void {
    if (key === next) return;
    stop();
    key = next;
    data.value = null;
    error.value = null;
    void tick(next);
  }

  function stop(): void {
    key = null;
    if (timer) clearTimeout(timer);
    timer = null;
  }

  return { data, error, start, stop };
}
