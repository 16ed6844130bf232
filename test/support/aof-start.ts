// Starts a server (ours or Debian's redis-server) on an appendonlydir made by the test, and reports
// how the start went: whether it started, the keys it then serves, its log lines (without their
// pid and time prefix; AOF timing figures replaced), and the directory's files afterwards. Used to
// give both servers the same damaged AOF files and compare what they do.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUR_SERVER_BIN, freePort, redisCli, tempDir } from './servers.js';

export interface AofStart {
  started: boolean;
  /** KEYS *, sorted, space-separated ('' when it did not start). */
  keys: string;
  /** Log lines after the prefix, e.g. "# Unknown AOF file type". */
  log: string[];
  /** The appendonlydir's files and their contents after the server stopped. */
  files: Record<string, string>;
}

/**
 * `files` are the appendonlydir's contents (latin1); after a successful start, `afterStart` runs
 * redis-cli commands (e.g. a write appended to the files) before SHUTDOWN NOSAVE.
 */
export async function startOnAofDir(
  kind: 'ours' | 'redis',
  files: Record<string, string>,
  args: string[] = [],
  afterStart: string[][] = [],
): Promise<AofStart> {
  const dir = tempDir();
  const aofDir = join(dir, 'appendonlydir');
  mkdirSync(aofDir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(aofDir, name), content, 'latin1');
  const port = await freePort();
  const base = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes'];
  const proc = spawn(kind === 'ours' ? OUR_SERVER_BIN : 'redis-server', [...base, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const started = await new Promise<boolean>((resolve) => {
    const check = setInterval(() => {
      if (out.includes('Ready to accept connections')) {
        clearInterval(check);
        resolve(true);
      }
    }, 10);
    void exited.then(() => {
      clearInterval(check);
      resolve(false);
    });
  });
  let keys = '';
  if (started) {
    keys = redisCli(port, ['KEYS', '*']).split('\n').filter(Boolean).sort().join(' ');
    for (const command of afterStart) redisCli(port, command);
    redisCli(port, ['SHUTDOWN', 'NOSAVE']);
  }
  await exited;
  const log = out
    .split('\n')
    .map((line) => line.replace(/^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ /, ''))
    .map((line) => line.replace(/\d+\.\d+ seconds/, 'N seconds'));
  const after: Record<string, string> = {};
  for (const name of readdirSync(aofDir).sort()) after[name] = readFileSync(join(aofDir, name), 'latin1');
  return { started, keys, log, files: after };
}
