// Shared test helpers: free ports, and real server processes (ours and Debian's redis-server)
// started on 127.0.0.1 and always stopped again.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
/** The installed bin, exactly as a user runs it after `npm install`. */
export const OUR_SERVER_BIN = join(ROOT, 'node_modules', '.bin', 'replica-lab-server');

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

export function tempDir(prefix = 'replicalab-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface RunningServer {
  port: number;
  dir: string;
  proc: ChildProcess;
  /** Everything the process printed so far (stdout + stderr). */
  output(): string;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Start a server process and wait for `Ready to accept connections` (both redis-server and ours
 * print it). `kind` picks the binary; extra args are `--directive value` pairs.
 */
export async function startServer(
  kind: 'ours' | 'redis',
  args: string[] = [],
  opts: { port?: number; dir?: string; timeoutMs?: number; configFile?: string } = {},
): Promise<RunningServer> {
  const port = opts.port ?? (await freePort());
  const dir = opts.dir ?? tempDir();
  const bin = kind === 'ours' ? OUR_SERVER_BIN : 'redis-server';
  const base = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--logfile', ''];
  // A config file comes first, as redis-server requires; the arguments after it override it.
  const proc = spawn(bin, [...(opts.configFile ? [opts.configFile] : []), ...base, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${bin} on ${port} not ready in time:\n${out}`)), opts.timeoutMs ?? 15000);
    const check = () => {
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        ok();
      }
    };
    proc.stdout!.on('data', check);
    proc.stderr!.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${bin} exited with ${code} before ready:\n${out}`));
    });
  });
  return {
    port,
    dir,
    proc,
    output: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const code = await exited;
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

/** Run Debian's redis-cli synchronously; returns stdout (trimmed of the final newline). */
export function redisCli(port: number, args: string[], input?: string): string {
  const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
    input,
    encoding: 'utf8',
    timeout: 20000,
  });
  if (r.error) throw r.error;
  return r.stdout.replace(/\n$/, '');
}
