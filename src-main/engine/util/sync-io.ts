// Blocking TCP I/O for the few commands that, in Redis, stop the server while they talk to another
// one (syncio.c: MIGRATE's connSyncWrite / connSyncReadLine). Node has no blocking sockets, so the
// sockets live in a helper thread and the caller waits for each operation with Atomics.wait: the
// node does nothing else meanwhile, exactly as redis-server does nothing else during a MIGRATE,
// which is what makes MIGRATE atomic (no other client sees the key between its transfer and its
// deletion).
//
// The helper's code is a plain-JavaScript string run with `eval` (it imports nothing of ours), so
// the same module works from the bundle and from TypeScript sources alike.
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** The outcome of one operation: a line read, or the errno-like reason it failed. */
export type SyncResult = { ok: true; line?: string; id?: number } | { ok: false; error: 'ETIMEDOUT' | 'ECLOSED' | string };

const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const net = require('node:net');
const { port, flag } = workerData;
const connections = new Map();
let nextId = 1;

port.on('message', (request) => {
  let answered = false;
  let timer = null;
  const answer = (result) => {
    if (answered) return;
    answered = true;
    if (timer) clearTimeout(timer);
    port.postMessage({ seq: request.seq, result });
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  };
  timer = setTimeout(() => {
    if (request.op === 'connect' && connecting) connecting.destroy();
    const c = connections.get(request.id);
    if (c) c.waiter = null;
    answer({ ok: false, error: 'ETIMEDOUT' });
  }, Math.max(1, request.timeout));
  let connecting = null;
  if (request.op === 'connect') {
    const socket = (connecting = net.connect({ host: request.host, port: request.port }));
    socket.setNoDelay(true);
    socket.once('error', (err) => {
      // Like connBlockingConnect, only a name that does not resolve fails the connect itself; a
      // refused or unreachable peer shows up at the first write.
      const code = err.code || 'ECONNREFUSED';
      if (answered || code === 'ENOTFOUND' || code.startsWith('EAI_')) return answer({ ok: false, error: code });
      const id = nextId++;
      connections.set(id, { socket, buffer: Buffer.alloc(0), closed: true, waiter: null });
      answer({ ok: true, id });
    });
    socket.once('connect', () => {
      if (answered) return socket.destroy();
      const id = nextId++;
      const c = { socket, buffer: Buffer.alloc(0), closed: false, waiter: null };
      connections.set(id, c);
      socket.on('data', (data) => {
        c.buffer = c.buffer.length ? Buffer.concat([c.buffer, data]) : data;
        if (c.waiter) c.waiter();
      });
      socket.on('close', () => {
        c.closed = true;
        if (c.waiter) c.waiter();
      });
      socket.on('error', () => {});
      answer({ ok: true, id });
    });
    return;
  }
  const c = connections.get(request.id);
  if (!c) return answer({ ok: false, error: 'ECLOSED' });
  if (request.op === 'close') {
    c.socket.destroy();
    connections.delete(request.id);
    return answer({ ok: true });
  }
  if (request.op === 'write') {
    if (c.closed) return answer({ ok: false, error: 'ECLOSED' });
    c.socket.write(Buffer.from(request.data), (err) => answer(err ? { ok: false, error: err.code || 'EPIPE' } : { ok: true }));
    return;
  }
  if (request.op === 'readLine') {
    const attempt = () => {
      const eol = c.buffer.indexOf(10);
      if (eol !== -1) {
        let end = eol;
        if (end > 0 && c.buffer[end - 1] === 13) end--;
        const line = c.buffer.toString('latin1', 0, end);
        c.buffer = c.buffer.subarray(eol + 1);
        c.waiter = null;
        return answer({ ok: true, line });
      }
      if (c.closed) {
        c.waiter = null;
        return answer({ ok: false, error: 'ECLOSED' });
      }
      c.waiter = attempt;
    };
    attempt();
  }
});
`;

interface Helper {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
  seq: number;
}

let helper: Helper | null = null;

function getHelper(): Helper {
  if (helper) return helper;
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(HELPER_SOURCE, { eval: true, workerData: { port: port2, flag }, transferList: [port2] });
  // The helper never keeps a node's process alive by itself.
  worker.unref();
  port1.unref();
  helper = { worker, port: port1, flag, seq: 0 };
  return helper;
}

/**
 * Runs one operation in the helper and blocks until it answers. The helper enforces `timeout`;
 * the wait allows for its start-up on first use.
 */
function run(request: { op: string; timeout: number; [field: string]: unknown }): SyncResult {
  const h = getHelper();
  const seq = ++h.seq;
  Atomics.store(h.flag, 0, 0);
  h.port.postMessage({ ...request, seq });
  const deadline = Date.now() + request.timeout + 5000;
  for (;;) {
    const message = receiveMessageOnPort(h.port) as { message: { seq: number; result: SyncResult } } | undefined;
    if (message) {
      // An answer to an operation this side gave up on is dropped.
      if (message.message.seq === seq) return message.message.result;
      continue;
    }
    const left = deadline - Date.now();
    if (left <= 0) return { ok: false, error: 'ETIMEDOUT' };
    Atomics.wait(h.flag, 0, 0, left);
    Atomics.store(h.flag, 0, 0);
  }
}

/** A blocking connection (Redis's connBlockingConnect + connSync*). */
export class SyncConnection {
  private constructor(private readonly id: number) {}

  /** Connects within `timeoutMs`; the error when it could not. */
  static connect(host: string, port: number, timeoutMs: number): SyncConnection | { error: string } {
    const result = run({ op: 'connect', host, port, timeout: timeoutMs });
    return result.ok ? new SyncConnection(result.id!) : { error: result.error };
  }

  /** Writes all of `data` within `timeoutMs` (connSyncWrite); false on error or timeout. */
  write(data: Buffer, timeoutMs: number): SyncResult {
    return run({ op: 'write', id: this.id, data, timeout: timeoutMs });
  }

  /** Reads one line, without its CR LF, within `timeoutMs` (connSyncReadLine). */
  readLine(timeoutMs: number): SyncResult {
    return run({ op: 'readLine', id: this.id, timeout: timeoutMs });
  }

  close(): void {
    run({ op: 'close', id: this.id, timeout: 1000 });
  }
}
