// Entry point of the worker thread that runs ONE node (bundled to out/main/node-worker.js).
//
// Each node gets its own thread so that a node that blocks its event loop (DEBUG SLEEP, a huge
// command) or dies of an uncaught exception cannot freeze the UI or the other nodes: the host keeps
// answering, notices, and can terminate the thread. The worker is deliberately dumb: it starts the
// node, forwards log lines, answers INFO and stop requests, and reports how the node ended. The host
// (node-thread.ts) decides what each outcome means for the lab, and ends the thread itself after a
// final message so that no message can be lost to an early exit.
import { parentPort, workerData } from 'node:worker_threads';
import { ConfigError, startNode } from '../../../engine/index.js';
import type { HostToWorker, NodeWorkerData, WorkerToHost } from './worker-protocol.js';

if (!parentPort) throw new Error('node-worker.js runs only as a worker thread of the lab host');
const host = parentPort;
const post = (message: WorkerToHost): void => host.postMessage(message);
const { argv } = workerData as NodeWorkerData;

try {
  const node = await startNode({
    argv,
    logSink: (line) => post({ type: 'log', line }),
    onExit: (code) => post({ type: 'exited', code }),
  });
  // Attached only now: the port queues any request that arrives while the node is starting.
  host.on('message', (message: HostToWorker) => {
    switch (message.type) {
      case 'info':
        post({ type: 'info', requestId: message.requestId, text: node.info(message.section) });
        break;
      case 'stop':
        node.shutdown({ save: message.save }).then(
          () => post({ type: 'stopped' }),
          (error: unknown) => post({ type: 'stopped', saveError: errorText(error) }),
        );
        break;
    }
  });
  post({ type: 'ready', port: node.port });
} catch (error) {
  // A config error's report is redis-server's full "FATAL CONFIG FILE ERROR" text: show people that.
  post({ type: 'start-failed', message: error instanceof ConfigError ? error.report.trim() : errorText(error) });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
