// The host's side of one node's worker thread (the other side is node-worker.ts): starts it, asks
// it for INFO, stops it gracefully or kills it, and turns whatever happened into one NodeEnd.
import { Worker } from 'node:worker_threads';
import type { NodeEnd, NodeStartOptions, RunningNode } from '../node-backend.js';
import type { HostToWorker, NodeWorkerData, WorkerToHost } from './worker-protocol.js';

export interface NodeThreadOptions extends NodeStartOptions {
  /** Path of the bundled worker entry (out/main/node-worker.js). */
  script: string;
}

/** A graceful stop may have a large dataset to save; past this the thread is terminated. */
const STOP_TIMEOUT_MS = 30_000;
/** A node that does not answer INFO this fast is busy (or blocked); the caller keeps its last sample. */
const INFO_TIMEOUT_MS = 2_000;

interface PendingInfo {
  resolve(text: string): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class NodeThread implements RunningNode {
  private readonly pendingInfo = new Map<number, PendingInfo>();
  private nextRequestId = 1;
  /** Set by whatever learns first how the node ended; the worker's `exit` event reports it. */
  private end: NodeEnd | null = null;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    readonly port: number,
  ) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
  }

  /** Starts the node; resolves once it accepts connections, rejects with the node's reason if it cannot start. */
  static start(options: NodeThreadOptions): Promise<NodeThread> {
    return new Promise((resolve, reject) => {
      const workerData: NodeWorkerData = { argv: options.argv };
      // stdout/stderr are captured so that nothing a node prints can reach the lab's own stdout
      // (browser mode promises exactly one line there); they go to the lab's stderr instead.
      const worker = new Worker(options.script, { workerData, stdout: true, stderr: true });
      // Copied chunk by chunk rather than piped: a pipe adds listeners to process.stderr per worker,
      // and a lab with nodes and Sentinels has more than Node's 10 (MaxListenersExceededWarning).
      const toStderr = (chunk: Buffer): boolean => process.stderr.write(chunk);
      worker.stdout.on('data', toStderr);
      worker.stderr.on('data', toStderr);

      let thread: NodeThread | null = null;
      let startError: string | null = null;
      let uncaught: string | null = null;
      // A node that cannot start usually says why in its last log line ("Failed listening on port ...").
      let lastLogLine: string | null = null;

      worker.on('message', (message: WorkerToHost) => {
        switch (message.type) {
          case 'ready':
            thread = new NodeThread(worker, message.port);
            resolve(thread);
            break;
          case 'log':
            lastLogLine = message.line;
            options.onLog(message.line);
            break;
          case 'info':
            thread?.settleInfo(message.requestId, message.text);
            break;
          case 'start-failed':
            startError = message.message;
            void worker.terminate();
            break;
          case 'stopped':
            thread?.ended({ kind: 'stopped', problem: message.saveError && `final save failed: ${message.saveError}` });
            void worker.terminate();
            break;
          case 'exited':
            if (thread) thread.ended({ kind: 'shutdown', code: message.code });
            else startError = lastLogLine ?? `the node exited with code ${message.code} while starting`;
            void worker.terminate();
            break;
        }
      });
      worker.on('error', (error) => {
        uncaught = error.message;
      });
      worker.once('exit', (code) => {
        if (!thread) {
          reject(new Error(startError ?? uncaught ?? lastLogLine ?? `the node's thread exited with code ${code} while starting`));
          return;
        }
        thread.rejectAllInfo();
        options.onEnd(thread.end ?? { kind: 'crashed', reason: uncaught ?? `the node's thread exited with code ${code}` });
      });
    });
  }

  /** The node's own `INFO [section]` text. */
  info(section?: string): Promise<string> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingInfo.delete(requestId);
        reject(new Error(`no INFO answer within ${INFO_TIMEOUT_MS} ms`));
      }, INFO_TIMEOUT_MS);
      this.pendingInfo.set(requestId, { resolve, reject, timer });
      this.send({ type: 'info', requestId, section });
    });
  }

  /** Graceful stop (SHUTDOWN semantics); resolves when the thread is gone. */
  async stop(options: { save?: boolean } = {}): Promise<void> {
    this.send({ type: 'stop', save: options.save });
    const timer = setTimeout(() => {
      this.ended({ kind: 'stopped', problem: `did not stop within ${STOP_TIMEOUT_MS / 1000} s; its thread was terminated` });
      void this.worker.terminate();
    }, STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills the node as a power cut would: no save, no goodbye to clients. Resolves when the thread is gone. */
  async crash(): Promise<void> {
    this.ended({ kind: 'crashed', reason: 'crashed on request: its thread was terminated without saving' });
    await this.worker.terminate();
    await this.exited;
  }

  private send(message: HostToWorker): void {
    this.worker.postMessage(message);
  }

  /** The first explanation wins: a later one is a consequence of it (e.g. terminate after `stopped`). */
  private ended(end: NodeEnd): void {
    this.end ??= end;
  }

  private settleInfo(requestId: number, text: string): void {
    const pending = this.pendingInfo.get(requestId);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pendingInfo.delete(requestId);
    pending.resolve(text);
  }

  private rejectAllInfo(): void {
    for (const pending of this.pendingInfo.values()) {
      clearTimeout(pending.timer);
      pending.reject(new Error('the node has ended'));
    }
    this.pendingInfo.clear();
  }
}
