// The lab in browser mode as a real process (`node out/main/launcher.js --headless`, what
// `npm start -- --headless` runs) and the renderer's side of its WebSocket transport, for tests that
// drive the lab as a user's browser tab would.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { LabMethod, LabPush, LabServerFrame } from '../../src-main/api/index.js';
import { ROOT } from './servers.js';

const LAUNCHER = join(ROOT, 'out', 'main', 'launcher.js');

/** One `node out/main/launcher.js --headless` process and what it printed. */
export class LabProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private constructor(
    readonly proc: ChildProcess,
    readonly url: URL,
  ) {
    this.exited = new Promise((resolve) => {
      if (proc.exitCode !== null) resolve(proc.exitCode);
      else proc.once('exit', (code) => resolve(code));
    });
  }

  static async start(dataDir: string, httpPort: number): Promise<LabProcess> {
    const proc = spawn(process.execPath, [LAUNCHER, '--headless', '--http-port', String(httpPort), '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout!.on('data', (d) => (stdout += d));
    proc.stderr!.on('data', (d) => (stderr += d));
    const url = await new Promise<URL>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no UI line in time:\n${stdout}\n${stderr}`)), 30_000);
      proc.stdout!.on('data', () => {
        const line = /^UI: (\S+)$/m.exec(stdout);
        if (line) {
          clearTimeout(timer);
          resolve(new URL(line[1]!));
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the lab exited with ${code} before its UI line:\n${stdout}\n${stderr}`));
      });
    });
    const lab = new LabProcess(proc, url);
    proc.stdout!.on('data', (d) => (lab.stdout += d));
    proc.stderr!.on('data', (d) => (lab.stderr += d));
    lab.stdout = stdout;
    lab.stderr = stderr;
    return lab;
  }

  get token(): string {
    return this.url.searchParams.get('token')!;
  }

  /** SIGTERM (or `signal`: SIGKILL for a crash) and wait for the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill(signal);
    return this.exited;
  }

  /** Starts a lab that is expected to refuse to start: its exit code and what it printed. */
  static async refused(dataDir: string, httpPort: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const proc = spawn(process.execPath, [LAUNCHER, '--headless', '--http-port', String(httpPort), '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout!.on('data', (d) => (stdout += d));
    proc.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
    clearTimeout(timer);
    return { code, stdout, stderr };
  }
}

/** The renderer's side of the WebSocket transport, reduced to what the tests need. */
export class LabClient {
  readonly pushes: LabPush[] = [];
  private nextId = 1;
  private readonly waiting = new Map<number, (frame: LabServerFrame & { kind: 'response' }) => void>();
  private readonly pushWaiters = new Set<() => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as LabServerFrame;
      if (frame.kind === 'response') {
        this.waiting.get(frame.id)?.(frame);
        this.waiting.delete(frame.id);
      } else {
        this.pushes.push(frame.push);
        for (const wake of this.pushWaiters) wake();
      }
    });
  }

  static connect(lab: LabProcess): Promise<LabClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${lab.url.port}/ws?token=${lab.token}`);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new LabClient(ws)));
      ws.once('error', reject);
    });
  }

  /** Sends a raw frame and returns the response frame. */
  send(frame: unknown, id: number): Promise<LabServerFrame & { kind: 'response' }> {
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify(frame));
    });
  }

  async call<T>(method: LabMethod, ...params: unknown[]): Promise<T> {
    const id = this.nextId++;
    const response = await this.send({ id, method, params }, id);
    if (!response.ok) throw new Error(response.error);
    return response.result as T;
  }

  /** Resolves with the first push (already received or coming) that matches. */
  waitForPush<T extends LabPush>(matches: (push: LabPush) => push is T, timeoutMs = 15_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.pushes.find(matches);
        if (!found) return false;
        this.pushWaiters.delete(wake);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const wake = (): void => void check();
      const timer = setTimeout(() => {
        this.pushWaiters.delete(wake);
        reject(new Error('expected push did not arrive'));
      }, timeoutMs);
      if (!check()) this.pushWaiters.add(wake);
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** Resolves with how a TCP connect to 127.0.0.1:port ends: 'connected' or the error code. */
export function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}
