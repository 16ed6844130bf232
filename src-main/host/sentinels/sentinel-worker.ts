// Entry point of the worker thread that runs ONE Sentinel (bundled to out/main/sentinel-worker.js).
// The same worker as a data node's (nodes/worker-thread/serve-in-worker.ts), so the host runs it
// through the same NodeThread: a Sentinel starts, stops, crashes and ends like a data node. Only
// the engine entry differs: startSentinel instead of startNode.
import { startSentinel } from '../../engine/index.js';
import { serveInWorker } from '../nodes/worker-thread/serve-in-worker.js';

await serveInWorker('sentinel-worker.js', startSentinel);
