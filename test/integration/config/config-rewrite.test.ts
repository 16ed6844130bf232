// CONFIG REWRITE states what the node runs with now, including a master set at run time with
// REPLICAOF (which Redis keeps outside its config table), so a restart comes back the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, OUR_SERVER_BIN, redisCli, tempDir } from '../../support/servers.js';

async function startWithConfigFile(confPath: string): Promise<() => Promise<void>> {
  const proc = spawn(OUR_SERVER_BIN, [confPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((ok, fail) => {
    proc.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('Ready to accept connections')) ok();
    });
    proc.once('exit', (code) => fail(new Error(`exited with ${code}:\n${out}`)));
  });
  return () => new Promise<void>((r) => (proc.once('exit', () => r()), proc.kill('SIGTERM')));
}

test('CONFIG REWRITE writes the runtime master, keeps comments, and drops the line after REPLICAOF NO ONE', async () => {
  const dir = tempDir();
  const port = await freePort();
  const [masterA, masterB] = [await freePort(), await freePort()];
  const conf = join(dir, 'redis.conf');
  writeFileSync(conf, `port ${port}\nbind 127.0.0.1\ndir ${dir}\nsave ""\n# where we replicate from\nreplicaof 127.0.0.1 ${masterA}\n`);
  let stop = await startWithConfigFile(conf);
  try {
    assert.equal(redisCli(port, ['REPLICAOF', '127.0.0.1', String(masterB)]), 'OK');
    assert.equal(redisCli(port, ['CONFIG', 'REWRITE']), 'OK');
    const text = readFileSync(conf, 'utf8');
    assert.match(text, /# where we replicate from\nreplicaof 127\.0\.0\.1 (\d+)\n/);
    assert.equal(/replicaof 127\.0\.0\.1 (\d+)/.exec(text)![1], String(masterB));
    // Restarted from the rewritten file, the node is a replica of the same master.
    await stop();
    stop = await startWithConfigFile(conf);
    assert.match(redisCli(port, ['INFO', 'replication']), new RegExp(`master_port:${masterB}`));
    assert.equal(redisCli(port, ['REPLICAOF', 'NO', 'ONE']), 'OK');
    assert.equal(redisCli(port, ['CONFIG', 'REWRITE']), 'OK');
    assert.doesNotMatch(readFileSync(conf, 'utf8'), /replicaof/);
  } finally {
    await stop();
  }
});
