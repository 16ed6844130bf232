// The NodeBackend the lab uses: each node is our TypeScript server in its own worker thread.
import type { NodeBackend, NodeStartOptions, RunningNode } from '../node-backend.js';
import { NodeThread } from './node-thread.js';

export class WorkerThreadBackend implements NodeBackend {
  /** `workerScript`: the bundled worker entry, out/main/node-worker.js. */
  constructor(private readonly workerScript: string) {}

  start(options: NodeStartOptions): Promise<RunningNode> {
    return NodeThread.start({ script: this.workerScript, ...options });
  }
}
