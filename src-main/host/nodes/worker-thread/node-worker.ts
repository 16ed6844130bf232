// Entry point of the worker thread that runs ONE node (bundled to out/main/node-worker.js).
//
// Each node gets its own thread so that a node that blocks its event loop (DEBUG SLEEP, a huge
// command) or dies of an uncaught exception cannot freeze the UI or the other nodes: the host keeps
// answering, notices, and can terminate the thread. What the thread does is serve-in-worker.ts.
import { startNode } from '../../../engine/index.js';
import { serveInWorker } from './serve-in-worker.js';

await serveInWorker('node-worker.js', startNode);
