// Messages between the lab host (main thread) and one node's worker thread (node-worker.ts).
// Both sides import these types so that a change to one message is a type error on both ends.

/** `workerData` given to the worker when it is created. */
export interface NodeWorkerData {
  /** redis-server style arguments: the node's config file, then `--directive value` overrides. */
  argv: string[];
}

export type HostToWorker =
  /** Ask for `INFO [section]`; answered by an `info` message carrying the same requestId. */
  | { type: 'info'; requestId: number; section?: string }
  /** Graceful stop, as SHUTDOWN: the worker answers `stopped` when the node has closed. */
  | { type: 'stop'; save?: boolean };

export type WorkerToHost =
  /** The node listens and accepts connections. */
  | { type: 'ready'; port: number }
  | { type: 'log'; line: string }
  | { type: 'info'; requestId: number; text: string }
  /** startNode failed (bad config, busy port, ...): the node never ran. */
  | { type: 'start-failed'; message: string }
  /** The node closed after a `stop` request; saveError says why its final save failed, if it did. */
  | { type: 'stopped'; saveError?: string }
  /** The node ended by itself (SHUTDOWN command, fatal error) with redis-server's exit code. */
  | { type: 'exited'; code: number };
