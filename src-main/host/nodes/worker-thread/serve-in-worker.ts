// The body of a worker thread that runs one engine process (a data node or a Sentinel): start it,
// forward its log lines, answer INFO and stop requests, report how it ended. The worker is
// deliberately dumb; the host (node-thread.ts) decides what each outcome means for the lab, and
// ends the thread itself after a final message so that no message can be lost to an early exit.
import { parentPort, workerData } from 'node:worker_threads';
import { ConfigError, type LogSink } from '../../../engine/index.js';
import type { HostToWorker, NodeWorkerData, WorkerToHost } from './worker-protocol.js';

/** What the worker needs of a started node or Sentinel. */
export interface ServedProcess {
  readonly port: number;
  info(section?: string): string;
  shutdown(options: { save?: boolean }): Promise<void>;
}

export type StartInWorker = (options: { argv: string[]; logSink: LogSink; onExit: (code: number) => void }) => Promise<ServedProcess>;

export async function serveInWorker(entry: string, start: StartInWorker): Promise<void> {
  if (!parentPort) throw new Error(`${entry} runs only as a worker thread of the lab host`);
  const host = parentPort;
  const post = (message: WorkerToHost): void => host.postMessage(message);
  const { argv } = workerData as NodeWorkerData;
  try {
    const served = await start({
      argv,
      logSink: (line) => post({ type: 'log', line }),
      onExit: (code) => post({ type: 'exited', code }),
    });
    // Attached only now: the port queues any request that arrives while it is starting.
    host.on('message', (message: HostToWorker) => {
      switch (message.type) {
        case 'info':
          post({ type: 'info', requestId: message.requestId, text: served.info(message.section) });
          break;
        case 'stop':
          served.shutdown({ save: message.save }).then(
            () => post({ type: 'stopped' }),
            (error: unknown) => post({ type: 'stopped', saveError: errorText(error) }),
          );
          break;
      }
    });
    post({ type: 'ready', port: served.port });
  } catch (error) {
    // A config error's report is redis-server's full "FATAL CONFIG FILE ERROR" text: show people that.
    post({ type: 'start-failed', message: error instanceof ConfigError ? error.report.trim() : errorText(error) });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
