// Whether a node is loading a dataset (Redis's server.loading and its progress fields): set while
// an RDB or AOF is read at start, by DEBUG RELOAD, and by a replica's full sync. Commands without
// the `loading` flag are refused with -LOADING meanwhile, and INFO persistence shows the progress.
export const LOADING_ERROR = 'LOADING Redis is loading the dataset in memory';

export interface LoadingProgress {
  startedAtMs: number;
  /** Size of what is being loaded, 0 when unknown (a diskless transfer). */
  totalBytes: number;
  loadedBytes: number;
  /** used-mem of the RDB aux fields, when read. */
  rdbUsedMemory: number;
}

/** The loads in progress of one node (server.loading); several may overlap, e.g. DEBUG RELOAD during a sync. */
export class LoadingState {
  private readonly active: LoadingProgress[] = [];

  /** Marks the node as loading until the returned function is called. */
  begin(totalBytes: number): { progress: LoadingProgress; end: () => void } {
    const progress: LoadingProgress = { startedAtMs: Date.now(), totalBytes, loadedBytes: 0, rdbUsedMemory: 0 };
    this.active.push(progress);
    let ended = false;
    return {
      progress,
      end: () => {
        if (ended) return;
        ended = true;
        this.active.splice(this.active.indexOf(progress), 1);
      },
    };
  }

  /** The load in progress (the most recent when several overlap), or null. */
  get current(): LoadingProgress | null {
    return this.active.length !== 0 ? this.active[this.active.length - 1]! : null;
  }
}
