// Whether a node is loading a dataset (Redis's server.loading and its progress fields): set while
// an RDB or AOF is read at start, by DEBUG RELOAD, and by a replica's full sync. Commands without
// the `loading` flag are refused with -LOADING meanwhile, and INFO persistence shows the progress.
import type { Server } from './server.js';

export const LOADING_ERROR = 'LOADING Redis is loading the dataset in memory';

export interface LoadingProgress {
  startedAtMs: number;
  /** Size of what is being loaded, 0 when unknown (a diskless transfer). */
  totalBytes: number;
  loadedBytes: number;
  /** used-mem of the RDB aux fields, when read. */
  rdbUsedMemory: number;
}

const active = new WeakMap<Server, LoadingProgress[]>();

/** Marks the node as loading until the returned function is called. */
export function beginLoading(server: Server, totalBytes: number): { progress: LoadingProgress; end: () => void } {
  const progress: LoadingProgress = { startedAtMs: Date.now(), totalBytes, loadedBytes: 0, rdbUsedMemory: 0 };
  const list = active.get(server) ?? [];
  list.push(progress);
  active.set(server, list);
  let ended = false;
  return {
    progress,
    end: () => {
      if (ended) return;
      ended = true;
      list.splice(list.indexOf(progress), 1);
    },
  };
}

/** The load in progress (the most recent when several overlap), or null. */
export function loadingProgress(server: Server): LoadingProgress | null {
  const list = active.get(server);
  return list && list.length !== 0 ? list[list.length - 1]! : null;
}
