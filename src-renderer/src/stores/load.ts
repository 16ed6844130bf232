// The write load generators the host runs (one per master at most), as its `load` pushes report
// them about once a second, and the calls that start and stop one.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { LoadOptions, LoadStatus } from '@api/load.js';
import type { NodeSummary } from '@api/nodes.js';
import { lab } from '../api/lab-client.js';
import { nodeLabel } from '../format/node-labels.js';
import { useNoticesStore } from './notices.js';

export const useLoadStore = defineStore('load', () => {
  const notices = useNoticesStore();
  const loads = ref<LoadStatus[]>([]);
  /** Masters with a start or stop on its way to the host. */
  const pending = ref<Set<string>>(new Set());

  function of(masterId: string): LoadStatus | undefined {
    return loads.value.find((load) => load.masterId === masterId);
  }

  function replaceAll(next: LoadStatus[]): void {
    loads.value = next;
  }

  async function load(): Promise<void> {
    try {
      replaceAll(await lab.listLoads());
    } catch (error) {
      notices.reportError('Could not load the write load generators', error);
    }
  }

  async function run(master: NodeSummary, failure: string, call: () => Promise<void>): Promise<void> {
    if (pending.value.has(master.id)) return;
    pending.value = new Set([...pending.value, master.id]);
    try {
      await call();
    } catch (error) {
      notices.reportError(failure, error);
    } finally {
      const next = new Set(pending.value);
      next.delete(master.id);
      pending.value = next;
    }
  }

  return {
    loads,
    pending,
    of,
    replaceAll,
    load,
    start: (master: NodeSummary, options: LoadOptions) =>
      run(master, `Could not start the write load on ${nodeLabel(master)}`, async () => {
        const status = await lab.startLoad(master.id, options);
        replaceAll([...loads.value.filter((load) => load.masterId !== master.id), status]);
      }),
    stop: (master: NodeSummary) =>
      run(master, `Could not stop the write load on ${nodeLabel(master)}`, async () => {
        await lab.stopLoad(master.id);
        replaceAll(loads.value.filter((load) => load.masterId !== master.id));
      }),
  };
});
