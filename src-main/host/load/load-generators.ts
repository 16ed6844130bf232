// LabApi's write load: one load worker (load-worker.ts, a worker thread) per master under load.
// The host only starts and stops workers and passes their reports on: the writes themselves are
// made in the worker, on its own connection to the node, so they show in the node's INFO (ops,
// master_repl_offset, and the replicas' offsets) like any client's. Starting again on the same
// master replaces its worker with one running the new options. Recorded as `load` events.
import { Worker } from 'node:worker_threads';
import type { LoadOptions, LoadStatus } from '../../api/index.js';
import type { EventRecorder } from '../events/event-recorder.js';
import type { LabPushes } from '../events/lab-pushes.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import type { LoadReport, LoadWorkerData } from './load-protocol.js';

/** How long Stop waits for the worker's last report before terminating it anyway. */
const STOP_REPORT_TIMEOUT_MS = 1000;

interface Generator {
  worker: Worker;
  status: LoadStatus;
}

export class LoadGenerators {
  private readonly generators = new Map<string, Generator>();

  constructor(
    /** out/main/load-worker.js, the bundled worker entry. */
    private readonly workerScript: string,
    private readonly registry: NodeRegistry,
    private readonly events: EventRecorder,
    private readonly pushes: LabPushes,
  ) {}

  async start(masterId: string, options: LoadOptions): Promise<LoadStatus> {
    const node = this.registry.get(masterId);
    if (!node.running) throw new Error(`${node.stored.name} is not running; start it first`);
    // The worker writes to 127.0.0.1 without AUTH; an external server is reached only at its own
    // address, with its credentials, so the generator is kept to the lab's own nodes.
    if (node.stored.external)
      throw new Error(`${node.stored.name} is an external node: the write load generator runs on the lab's own nodes`);
    if (node.info?.role === 'slave') throw new Error(`${node.stored.name} is a replica and refuses writes: start the load on its master`);
    await this.stopWorker(masterId);
    const data: LoadWorkerData = { port: node.running.port, options };
    const worker = new Worker(this.workerScript, { workerData: data });
    const status: LoadStatus = {
      masterId,
      masterName: node.stored.name,
      options,
      state: 'connecting',
      achievedRate: 0,
      acknowledged: 0,
      errors: 0,
      lastError: null,
      startedAt: Date.now(),
    };
    const generator: Generator = { worker, status };
    this.generators.set(masterId, generator);
    worker.on('message', (report: LoadReport) => {
      status.state = report.state;
      status.achievedRate = report.intervalMs > 0 ? Math.round((report.acknowledgedInInterval * 1000) / report.intervalMs) : 0;
      status.acknowledged = report.acknowledged;
      status.errors = report.errors;
      status.lastError = report.lastError;
      this.push();
    });
    worker.on('error', (error) => {
      status.lastError = error.message;
      if (this.generators.get(masterId) === generator) {
        this.generators.delete(masterId);
        this.events.record(node.stored, 'error', `the write load stopped: ${error.message}`);
        this.push();
      }
    });
    const mix = options.mix.join(', ');
    const ttl = options.ttlSeconds > 0 ? `, TTL ${options.ttlSeconds} s` : '';
    this.events.record(
      node.stored,
      'load',
      `write load started: ${options.rate} writes/s over ${options.keys} keys, ${options.valueSize}-byte values, ${mix}${ttl}`,
    );
    this.push();
    return { ...status };
  }

  async stop(masterId: string): Promise<LoadStatus | null> {
    const node = this.registry.get(masterId);
    const last = await this.stopWorker(masterId);
    if (last) {
      this.events.record(node.stored, 'load', `write load stopped after ${last.acknowledged} acknowledged writes (${last.errors} errors)`);
      this.push();
    }
    return last;
  }

  /** The node is being removed: its generator stops with it (nothing could reach it any more). */
  async forget(masterId: string): Promise<void> {
    if (await this.stopWorker(masterId)) this.push();
  }

  list(): LoadStatus[] {
    return [...this.generators.values()].map((generator) => ({ ...generator.status }));
  }

  /** Stops every generator (the lab is closing). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.generators.keys()].map((id) => this.stopWorker(id)));
  }

  private async stopWorker(masterId: string): Promise<LoadStatus | null> {
    const generator = this.generators.get(masterId);
    if (!generator) return null;
    this.generators.delete(masterId);
    // The worker answers 'stop' with a last report (its message handler above updates the status).
    const lastReport = new Promise<void>((resolve) => {
      generator.worker.once('message', () => resolve());
      setTimeout(resolve, STOP_REPORT_TIMEOUT_MS);
    });
    generator.worker.postMessage('stop');
    await lastReport;
    await generator.worker.terminate();
    return { ...generator.status, state: generator.status.state, achievedRate: 0 };
  }

  private push(): void {
    this.pushes.emit({ type: 'load', loads: this.list() });
  }
}
