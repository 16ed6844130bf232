// Problems found while loading an AOF, reported exactly as redis-server 7.0 reports them, each line
// once: a transaction the file cuts off (reverted), a short read at the end (refused, or cut back
// with aof-load-truncated yes, new writes then appended after the cut so the file stays valid), an
// unknown command (refused). Both servers get the same files; their log lines about the AOF, their
// exit, the data they serve and the files they leave must agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { OUR_SERVER_BIN, freePort, redisCli, tempDir } from '../../support/servers.js';
import { REDIS_SERVER_VERSION } from '../../support/differential.js';

const HEAD = '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n';
const CASES: Record<string, string> = {
  'an unfinished MULTI': '*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n',
  'a short read inside a command': '*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$5\r\nab',
  'an unknown command': '*2\r\n$7\r\nFOOBAR1\r\n$1\r\nx\r\n',
};

interface Outcome {
  started: boolean;
  keys: string;
  log: string[];
  file: string;
}

async function run(kind: 'ours' | 'redis', tail: string, truncated: 'yes' | 'no'): Promise<Outcome> {
  const dir = tempDir();
  mkdirSync(join(dir, 'appendonlydir'));
  writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'file appendonly.aof.1.incr.aof seq 1 type i\n');
  const incr = join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
  writeFileSync(incr, HEAD + tail, 'latin1');
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'yes',
    '--aof-load-truncated',
    truncated,
  ];
  const proc = spawn(kind === 'ours' ? OUR_SERVER_BIN : 'redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const started = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => {
      const check = setInterval(() => {
        if (out.includes('Ready to accept connections')) {
          clearInterval(check);
          resolve(true);
        }
      }, 10);
      void exited.then(() => clearInterval(check));
    }),
  ]);
  let keys = '';
  if (started) {
    keys = redisCli(port, ['KEYS', '*']).split('\n').sort().join(' ');
    redisCli(port, ['SET', 'after', 'restart']); // appended after the cut
    redisCli(port, ['SHUTDOWN', 'NOSAVE']);
  }
  await exited;
  const log = out
    .split('\n')
    .map((line) => /^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ ([*#] .*)$/.exec(line)?.[1])
    .filter((line): line is string => line !== undefined && /AOF|append only|MULTI|[Tt]runcat/.test(line))
    .map((line) => line.replace(/\d+\.\d+ seconds/, 'N seconds'));
  return { started, keys, log, file: readFileSync(incr, 'latin1') };
}

for (const [name, tail] of Object.entries(CASES)) {
  for (const truncated of ['yes', 'no'] as const) {
    test(`${name}, aof-load-truncated ${truncated}: the same lines, data and file as redis-server`, async () => {
      const [ours, redis] = [await run('ours', tail, truncated), await run('redis', tail, truncated)];
      assert.deepEqual(ours, redis, `ours, then redis-server ${REDIS_SERVER_VERSION}`);
    });
  }
}
