// The peer check that `npm test`, `npm run bench` and `npm run soak` run first, as a user on a
// machine without Debian's Redis meets it: one message naming the missing programs and the exact
// command to install them, and nothing run. (The install itself is exercised by CI on a fresh
// machine; here REPLICA_LAB_NO_INSTALL=1 keeps a root test run from installing.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../../support/servers.js';

const PEERS = join(ROOT, 'test', 'support', 'peers.mjs');

/** Runs the check with a PATH that holds node and nothing else. */
function checkWithout(purpose: string) {
  const bin = join(tempDir(), 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  return spawnSync(join(bin, 'node'), [PEERS, purpose], {
    encoding: 'utf8',
    env: { PATH: bin, REPLICA_LAB_NO_INSTALL: '1' },
  });
}

test('with no Redis on PATH, the check stops and says what to install, in one message', () => {
  const r = checkWithout('test');
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^peers: missing redis-server, redis-cli, redis-benchmark, redis-check-rdb, redis-check-aof, redis-sentinel\b/);
  assert.match(r.stderr, /nothing was run/);
  assert.match(r.stderr, /^ {2}sudo apt-get install -y redis-server redis-tools redis-sentinel$/m);
});

test('the benchmarks need only the server, the CLI and redis-benchmark', () => {
  const r = checkWithout('bench');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^peers: missing redis-server, redis-cli, redis-benchmark;/);
  assert.match(r.stderr, /^ {2}sudo apt-get install -y redis-server redis-tools$/m);
});

test('with the peers installed, it names the Redis version the run compares against', () => {
  const r = spawnSync(process.execPath, [PEERS, 'test'], { encoding: 'utf8', env: { ...process.env, REPLICA_LAB_NO_INSTALL: '1' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^peers: comparing against redis-server 7\.0\.\d+ \(redis-cli 7\.0\.\d+\); found redis-server, redis-cli/m);
  assert.doesNotMatch(r.stdout, /warning/);
});

test('a Redis that is not 7.0.x is reported as such, and the run goes on', () => {
  // No Redis 7.2 can be installed here, so stand-ins print what redis-server 7.2.4 prints.
  const bin = join(tempDir(), 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  const say = (text: string) => `#!/bin/sh\necho '${text}'\n`;
  for (const program of ['redis-server', 'redis-sentinel', 'redis-check-rdb', 'redis-check-aof']) {
    writeFileSync(join(bin, program), say('Redis server v=7.2.4 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=1'), { mode: 0o755 });
  }
  writeFileSync(join(bin, 'redis-cli'), say('redis-cli 7.2.4'), { mode: 0o755 });
  writeFileSync(join(bin, 'redis-benchmark'), say('redis-benchmark 7.2.4'), { mode: 0o755 });
  const r = spawnSync(join(bin, 'node'), [PEERS, 'test'], { encoding: 'utf8', env: { PATH: `${bin}:/bin`, REPLICA_LAB_NO_INSTALL: '1' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^peers: comparing against redis-server 7\.2\.4 \(redis-cli 7\.2\.4\)/m);
  assert.match(r.stdout, /^peers: warning: redis-server is 7\.2\.4, not 7\.0\.x: the differential tests compare against it/m);
  assert.match(r.stdout, /^peers: warning: redis-cli is 7\.2\.4, not 7\.0\.x/m);
});
