// Persistence of a running node, checked with real tools: the dump a node saves passes
// redis-check-rdb and Debian's redis-server loads it with the same DEBUG DIGEST; a corrupt dump
// stops the node without touching the file; with appendfsync always, kill -9 loses nothing that
// was acknowledged; a BGSAVE of a large dataset keeps answering a reading client.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUR_SERVER_BIN, freePort, startServer, tempDir as newTempDir } from '../../support/servers.js';
import { RespClient } from '../../support/resp-client.js';

const DEBUG = ['--enable-debug-command', 'yes'];
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A data directory shared by the servers of one test, removed after the suite. */
function tempDir(): string {
  const dir = newTempDir();
  dirs.push(dir);
  return dir;
}

async function populate(c: RespClient): Promise<void> {
  await c.call('SET', 'str', 'hello');
  await c.call('SET', 'ttl', 'x', 'PX', 100000000);
  await c.call('RPUSH', 'list', 'a', '1', 'b'.repeat(100));
  await c.call('SADD', 'intset', '3', '-1', '70000');
  await c.call('SADD', 'bigset', ...Array.from({ length: 600 }, (_, i) => `m${i}`));
  await c.call('ZADD', 'zset', '1.5', 'a', '-inf', 'b', '0.1', 'c');
  await c.call('HSET', 'hash', 'f', 'v', 'n', '42');
  await c.call('SELECT', 3);
  await c.call('SET', 'in-db-3', 'v3');
  await c.call('SELECT', 0);
}

test('a SAVEd dump passes redis-check-rdb and redis-server loads it with the same digest', async () => {
  const dir = tempDir();
  const ours = await startServer('ours', DEBUG, { dir });
  const c = await RespClient.open(ours.port);
  await populate(c);
  const digest = String(await c.call('DEBUG', 'DIGEST'));
  assert.notEqual(digest, '0'.repeat(40));
  assert.equal(await c.call('SAVE'), 'OK');
  c.close();
  await ours.stop();

  const check = spawnSync('redis-check-rdb', [join(dir, 'dump.rdb')], { encoding: 'utf8' });
  assert.match(check.stdout, /RDB looks OK!/);

  const redis = await startServer('redis', DEBUG, { dir });
  const r = await RespClient.open(redis.port);
  assert.equal(await r.call('DEBUG', 'DIGEST'), digest);
  r.close();
  await redis.stop();
});

test('a corrupt dump stops the node with exit code 1, says why as redis-server does, and is left as it was', async () => {
  const dir = tempDir();
  const ours = await startServer('ours', DEBUG, { dir });
  const c = await RespClient.open(ours.port);
  await populate(c);
  await c.call('SAVE');
  c.close();
  await ours.stop();
  const path = join(dir, 'dump.rdb');
  const corrupt = readFileSync(path);
  corrupt[corrupt.length - 3]! ^= 0xff; // inside the CRC-64 trailer
  writeFileSync(path, corrupt);

  const port = await freePort();
  const run = spawnSync(OUR_SERVER_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--logfile', ''], {
    encoding: 'utf8',
    timeout: 15000,
  });
  assert.equal(run.status, 1);
  // redis-server's lines (rdbLoadRioWithLoadingCtx, rdbReportError); corrupt-rdb.test.ts compares them.
  assert.match(run.stdout, /# Wrong RDB checksum expected: \([0-9a-f]+\) but got \([0-9a-f]+\)\. Aborting now\.\n/);
  assert.match(run.stdout, /# Internal error in RDB reading offset 0, function at rdb\.c:3225 -> RDB CRC error\n/);
  assert.deepEqual(readFileSync(path), corrupt);
});

test('appendfsync always: kill -9 during writes loses nothing acknowledged', async () => {
  const dir = tempDir();
  const args = ['--appendonly', 'yes', '--appendfsync', 'always', ...DEBUG];
  const ours = await startServer('ours', args, { dir });
  const c = await RespClient.open(ours.port);
  let acknowledged = 0;
  const writer = (async () => {
    for (let i = 0; ; i++) {
      const reply = await c.call('RPUSH', 'log', String(i)).catch(() => null);
      if (reply === null) return;
      acknowledged = i + 1;
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 500));
  ours.proc.kill('SIGKILL');
  await writer;
  await ours.stop();
  assert.ok(acknowledged > 0);

  const restarted = await startServer('ours', args, { dir });
  const r = await RespClient.open(restarted.port);
  const length = Number(await r.call('LLEN', 'log'));
  assert.ok(length >= acknowledged, `${length} items survived, ${acknowledged} were acknowledged`);
  const check = spawnSync('redis-check-aof', [join(dir, 'appendonlydir', 'appendonly.aof.manifest')], { encoding: 'utf8' });
  assert.match(check.stdout, /All AOF files and manifest are valid/);
  r.close();
  await restarted.stop();
});

test('BGSAVE of a large dataset: a reading client keeps getting answers while it runs', async () => {
  const dir = tempDir();
  const ours = await startServer('ours', DEBUG, { dir });
  const c = await RespClient.open(ours.port);
  const batch: Array<Array<string>> = [];
  for (let i = 0; i < 300000; i++) {
    batch.push(['SET', `key:${i}`, 'v'.repeat(100)]);
    if (batch.length === 10000) await c.pipeline(batch.splice(0));
  }
  const reader = await RespClient.open(ours.port);
  assert.equal(await c.call('BGSAVE'), 'Background saving started');
  let replies = 0;
  let worstMs = 0;
  let repliesDuringSave = 0;
  for (;;) {
    const started = performance.now();
    assert.equal(String(await reader.call('GET', `key:${replies % 300000}`)), 'v'.repeat(100));
    worstMs = Math.max(worstMs, performance.now() - started);
    replies++;
    const info = String(await reader.call('INFO', 'persistence'));
    if (info.includes('rdb_bgsave_in_progress:0')) break;
    repliesDuringSave++;
  }
  assert.ok(repliesDuringSave > 0, 'no read was answered while the snapshot was written');
  const info = String(await reader.call('INFO', 'persistence'));
  assert.match(info, /rdb_last_bgsave_status:ok/);
  console.log(`reads answered during BGSAVE: ${repliesDuringSave}, worst GET latency ${worstMs.toFixed(1)} ms`);
  assert.ok(existsSync(join(dir, 'dump.rdb')));
  c.close();
  reader.close();
  await ours.stop();
});
