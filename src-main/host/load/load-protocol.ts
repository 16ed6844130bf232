// The messages between the host (load-generators.ts) and a load worker (load-worker.ts).
import type { LoadOptions } from '../../api/index.js';

/** What the worker is started with (workerData). */
export interface LoadWorkerData {
  port: number;
  options: LoadOptions;
}

/** The worker's report, about once a second. */
export interface LoadReport {
  state: 'running' | 'connecting';
  /** Writes acknowledged in this report's interval, and its length in ms. */
  acknowledgedInInterval: number;
  intervalMs: number;
  acknowledged: number;
  errors: number;
  lastError: string | null;
}
