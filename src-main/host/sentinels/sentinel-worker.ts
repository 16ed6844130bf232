// Entry point of the worker thread that runs ONE Sentinel (bundled to out/main/sentinel-worker.js).
// The same protocol as a data node's worker (nodes/worker-thread/worker-protocol.ts), so the host
// runs it through the same NodeThread: a Sentinel starts, stops, crashes and ends like a data node.
// Only the engine entry differs: startSentinel instead of startNode.
import { parentPort, workerData } from 'node:worker_threads';
import { ConfigError, startSentinel } from '../../engine/index.js';
import type { HostToWorker, NodeWorkerData, WorkerToHost } from '../nodes/worker-thread/worker-protocol.js';

if (!parentPort) throw new Error('sentinel-worker.js runs only as a worker thread of the lab host');
const host = parentPort;
const post = (message: WorkerToHost): void => host.postMessage(message);
const { argv } = workerData as NodeWorkerData;

try {
  const sentinel = await startSentinel({
    argv,
    logSink: (line) => post({ type: 'log', line }),
    onExit: (code) => post({ type: 'exited', code }),
  });
  host.on('message', (message: HostToWorker) => {
    switch (message.type) {
      case 'info':
        post({ type: 'info', requestId: message.requestId, text: sentinel.info(message.section) });
        break;
      case 'stop':
        sentinel.shutdown().then(
          () => post({ type: 'stopped' }),
          (error: unknown) => post({ type: 'stopped', saveError: errorText(error) }),
        );
        break;
    }
  });
  post({ type: 'ready', port: sentinel.port });
} catch (error) {
  post({ type: 'start-failed', message: error instanceof ConfigError ? error.report.trim() : errorText(error) });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
