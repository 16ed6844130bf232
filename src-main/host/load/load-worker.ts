// A load worker: one worker thread per master under load, so the pacing, encoding and reply
// counting never run on the host's event loop (which serves the UI) nor in the node's own thread.
// It opens its own TCP connection to the node, as any client would, and every 10 ms sends the
// writes its rate allows as one pipelined write. It never has more than MAX_IN_FLIGHT_SECONDS of
// writes unanswered: a node that cannot keep up gets them more slowly, and the achieved rate says
// so. A lost connection is retried every second. Reports go to the host about once a second.
import { connect, type Socket } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadReport, LoadWorkerData } from './load-protocol.js';
import { ReplyCounter } from './reply-counter.js';
import { WriteMix } from './write-mix.js';

const TICK_MS = 10;
const REPORT_MS = 1000;
const RECONNECT_MS = 1000;
/** Unanswered writes allowed, in seconds of the target rate (at least 100). */
const MAX_IN_FLIGHT_SECONDS = 0.5;
/** Writes owed after a pause are forgiven beyond this many seconds' worth: no burst to catch up. */
const MAX_DEBT_SECONDS = 0.1;

const { port, options } = workerData as LoadWorkerData;
const mix = new WriteMix(options);
const maxInFlight = Math.max(100, Math.ceil(options.rate * MAX_IN_FLIGHT_SECONDS));

let socket: Socket | null = null;
let connected = false;
const counter = new ReplyCounter();
/** Replies still expected for each unanswered write, oldest first (from `head`). */
let pending: number[] = [];
let head = 0;
let owed = 0;
let lastTick = Date.now();
let acknowledged = 0;
let acknowledgedAtReport = 0;
let reportedAt = Date.now();
let errors = 0;
let lastError: string | null = null;

function open(): void {
  const s = connect({ host: '127.0.0.1', port });
  socket = s;
  s.setNoDelay(true);
  s.on('connect', () => {
    connected = true;
    lastTick = Date.now();
  });
  s.on('data', (chunk: Buffer) => counter.feed(chunk, onReply));
  s.on('error', (error) => {
    lastError = error.message;
  });
  s.on('close', () => {
    connected = false;
    socket = null;
    pending = [];
    head = 0;
    counter.reset();
    setTimeout(open, RECONNECT_MS);
  });
}

function onReply(error: string | null): void {
  if (error !== null) {
    errors++;
    lastError = error;
  }
  if (head >= pending.length) return;
  if (--pending[head]! === 0) {
    head++;
    acknowledged++;
    if (head > 4096) {
      pending = pending.slice(head);
      head = 0;
    }
  }
}

function tick(): void {
  const now = Date.now();
  owed = Math.min(owed + (options.rate * (now - lastTick)) / 1000, options.rate * MAX_DEBT_SECONDS + 1);
  lastTick = now;
  if (!connected || !socket) return;
  const room = maxInFlight - (pending.length - head);
  const count = Math.min(Math.floor(owed), room);
  if (count <= 0) return;
  owed -= count;
  let batch = '';
  for (let i = 0; i < count; i++) {
    const write = mix.nextWrite();
    batch += write.resp;
    pending.push(write.replies);
  }
  socket.write(batch);
}

function report(): void {
  const now = Date.now();
  const message: LoadReport = {
    state: connected ? 'running' : 'connecting',
    acknowledgedInInterval: acknowledged - acknowledgedAtReport,
    intervalMs: now - reportedAt,
    acknowledged,
    errors,
    lastError,
  };
  acknowledgedAtReport = acknowledged;
  reportedAt = now;
  parentPort!.postMessage(message);
}

open();
const ticking = setInterval(tick, TICK_MS);
setInterval(report, REPORT_MS);
// Stop: no more writes; a last report with every reply counted so far, then the host terminates the thread.
parentPort!.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  clearInterval(ticking);
  report();
});
