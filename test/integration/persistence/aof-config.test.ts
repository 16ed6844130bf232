// The AOF's settings, each checked next to Debian's redis-server doing the same steps:
// `aof-use-rdb-preamble no` (a RESP base), automatic rewrites (auto-aof-rewrite-percentage /
// -min-size), CONFIG SET appendonly yes/no at run time, and INFO persistence's field names.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, tempDir as newTempDir, type RunningServer } from '../../support/servers.js';
import { RespClient, type Reply } from '../../support/resp-client.js';

const DEBUG = ['--enable-debug-command', 'yes'];
const KINDS = ['redis', 'ours'] as const;
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = newTempDir('replicalab-aofcfg-');
  dirs.push(dir);
  return dir;
}

const aofDir = (dir: string): string => join(dir, 'appendonlydir');
const manifestOf = (dir: string): string => readFileSync(join(aofDir(dir), 'appendonly.aof.manifest'), 'latin1');

async function ok(c: RespClient, ...args: Array<string | Buffer | number>): Promise<Reply> {
  const reply = await c.call(...args);
  if (typeof reply === 'object' && reply !== null && 'error' in reply) throw new Error(`${args.join(' ')}: ${reply.error}`);
  return reply;
}

async function infoPersistence(c: RespClient): Promise<Map<string, string>> {
  const text = String(await ok(c, 'INFO', 'persistence'));
  return new Map(
    text
      .split('\r\n')
      .filter((l) => l.includes(':'))
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]),
  );
}

async function waitUntil(c: RespClient, done: (info: Map<string, string>) => boolean): Promise<Map<string, string>> {
  for (;;) {
    const info = await infoPersistence(c);
    if (done(info)) return info;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const rewriteIdle = (info: Map<string, string>): boolean =>
  info.get('aof_rewrite_in_progress') === '0' && info.get('aof_rewrite_scheduled') === '0';

async function writeSome(c: RespClient, tag: string): Promise<void> {
  await ok(c, 'SET', `s-${tag}`, 'v', 'EX', 100000);
  await ok(c, 'RPUSH', `l-${tag}`, ...Array.from({ length: 150 }, (_, i) => `e${i}`));
  await ok(c, 'SADD', `set-${tag}`, '1', '2', 'x');
  await ok(c, 'ZADD', `z-${tag}`, '0.1', 'a', '-inf', 'b', '1e300', 'c');
  await ok(c, 'HSET', `h-${tag}`, 'f', 'v', 'g', Buffer.from([0, 255, 13, 10]));
  await ok(c, 'SELECT', 3);
  await ok(c, 'SET', `db3-${tag}`, 'x');
  await ok(c, 'SELECT', 0);
}

async function withServer<T>(
  kind: 'ours' | 'redis',
  dir: string,
  args: string[],
  body: (c: RespClient, s: RunningServer) => Promise<T>,
): Promise<T> {
  const server = await startServer(kind, [...DEBUG, ...args], { dir });
  const c = await RespClient.open(server.port);
  try {
    return await body(c, server);
  } finally {
    c.close();
    await server.stop();
  }
}

function assertAofValid(dir: string): void {
  const check = spawnSync('redis-check-aof', [join(aofDir(dir), 'appendonly.aof.manifest')], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
}

test('aof-use-rdb-preamble no: the rewrite writes a RESP .base.aof that redis-server loads to our digest', async () => {
  const dir = tempDir();
  const args = ['--appendonly', 'yes', '--aof-use-rdb-preamble', 'no'];
  const ours = await withServer('ours', dir, args, async (c) => {
    await writeSome(c, 'before');
    await ok(c, 'BGREWRITEAOF');
    await waitUntil(c, rewriteIdle);
    await writeSome(c, 'after');
    return String(await ok(c, 'DEBUG', 'DIGEST'));
  });
  assert.equal(manifestOf(dir), 'file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
  const base = readFileSync(join(aofDir(dir), 'appendonly.aof.2.base.aof'), 'latin1');
  assert.ok(base.startsWith('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n'), base.slice(0, 40));
  assert.match(base, /\r\nPEXPIREAT\r\n/);
  assertAofValid(dir);
  for (const kind of KINDS) {
    const loaded = await withServer(kind, dir, args, async (c) => String(await ok(c, 'DEBUG', 'DIGEST')));
    assert.equal(loaded, ours, `${kind} loads the RESP base`);
  }
});

test('aof-use-rdb-preamble no: a stream (groups, consumers, pending entries) is rewritten as commands redis-server replays', async () => {
  // Streams reach our node only through an RDB, so redis-server makes one and we DEBUG RELOAD it.
  const dir = tempDir();
  await withServer('redis', dir, [], async (c) => {
    await ok(c, 'XADD', 'stream', '1-1', 'a', '1', 'b', '2');
    await ok(c, 'XADD', 'stream', '2-0', 'c', '3');
    await ok(c, 'XADD', 'stream', '3-0', 'd', '4');
    await ok(c, 'XDEL', 'stream', '2-0');
    await ok(c, 'XGROUP', 'CREATE', 'stream', 'g1', '0');
    await ok(c, 'XGROUP', 'CREATECONSUMER', 'stream', 'g1', 'idle');
    await ok(c, 'XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '1', 'STREAMS', 'stream', '>');
    await ok(c, 'XADD', 'empty', 'MAXLEN', '0', '5-0', 'x', 'y');
    await ok(c, 'SAVE');
  });
  const args = ['--appendonly', 'yes', '--aof-use-rdb-preamble', 'no'];
  const ours = await withServer('ours', dir, args, async (c) => {
    assert.equal(await ok(c, 'DEBUG', 'RELOAD', 'NOSAVE'), 'OK');
    await ok(c, 'BGREWRITEAOF');
    await waitUntil(c, rewriteIdle);
    return String(await ok(c, 'DEBUG', 'DIGEST'));
  });
  const base = readFileSync(join(aofDir(dir), 'appendonly.aof.2.base.aof'), 'latin1');
  for (const command of ['XADD', 'XSETID', 'XGROUP', 'XCLAIM']) assert.ok(base.includes(`\r\n${command}\r\n`), command);
  assertAofValid(dir);
  const theirs = await withServer('redis', dir, args, async (c) => String(await ok(c, 'DEBUG', 'DIGEST')));
  assert.notEqual(ours, '0'.repeat(40));
  assert.equal(theirs, ours);
});

test('automatic rewrite: past auto-aof-rewrite-min-size and the growth percentage, both servers rewrite', async () => {
  const args = ['--appendonly', 'yes', '--auto-aof-rewrite-min-size', '64kb', '--auto-aof-rewrite-percentage', '50'];
  for (const kind of KINDS) {
    await withServer(kind, tempDir(), args, async (c, s) => {
      assert.equal((await infoPersistence(c)).get('aof_rewrites'), '0');
      assert.match(manifestOf(s.dir), /^file appendonly\.aof\.1\.base\.rdb seq 1 type b\n/, kind);
      // 100 bytes of value per SET: well past 64 KB, and past 50% growth of the tiny base.
      for (let i = 0; i < 1000; i++) await ok(c, 'SET', `k${i}`, 'v'.repeat(100));
      const info = await waitUntil(c, (i) => i.get('aof_rewrites') === '1' && rewriteIdle(i));
      assert.equal(info.get('aof_last_bgrewrite_status'), 'ok');
      assert.match(s.output(), /Starting automatic rewriting of AOF on \d+% growth/, kind);
      assert.match(manifestOf(s.dir), /^file appendonly\.aof\.2\.base\.rdb seq 2 type b\n/, kind);
    });
  }
});

test('CONFIG SET appendonly yes writes a base of the current data, then records writes; no stops it', async () => {
  const results = [];
  for (const kind of KINDS) {
    const dir = tempDir();
    const digestAtDisable = await withServer(kind, dir, [], async (c) => {
      await writeSome(c, 'before');
      assert.equal(await ok(c, 'CONFIG', 'SET', 'appendonly', 'yes'), 'OK');
      await waitUntil(c, (i) => rewriteIdle(i) && i.get('aof_enabled') === '1');
      await writeSome(c, 'while-on');
      await ok(c, 'PING');
      assertAofValid(dir);
      const digest = String(await ok(c, 'DEBUG', 'DIGEST'));
      assert.equal(await ok(c, 'CONFIG', 'SET', 'appendonly', 'no'), 'OK');
      assert.equal((await infoPersistence(c)).get('aof_enabled'), '0');
      await writeSome(c, 'after-off');
      return digest;
    });
    const files = readdirSync(aofDir(dir)).sort();
    const manifest = manifestOf(dir);
    // Restarted with the AOF on, the node has exactly what was written while it was on.
    const reloaded = await withServer(kind, dir, ['--appendonly', 'yes'], async (c) => String(await ok(c, 'DEBUG', 'DIGEST')));
    assert.equal(reloaded, digestAtDisable, kind);
    results.push({ files, manifest, digest: reloaded });
  }
  const [theirs, ours] = results;
  assert.deepEqual(ours!.files, theirs!.files);
  assert.equal(ours!.manifest, theirs!.manifest);
  assert.equal(ours!.digest, theirs!.digest);
});

test('INFO persistence lists the same fields in the same order as redis-server, AOF off and on', async () => {
  const fieldsIn = async (kind: 'ours' | 'redis', args: string[], steps: (c: RespClient) => Promise<void>): Promise<string[]> =>
    withServer(kind, tempDir(), args, async (c) => {
      await steps(c);
      return [...(await infoPersistence(c)).keys()];
    });
  const states: Array<[string, string[], (c: RespClient) => Promise<void>]> = [
    ['AOF off', [], async () => {}],
    ['AOF on', ['--appendonly', 'yes'], async (c) => void (await ok(c, 'SET', 'k', 'v'))],
    [
      'after a rewrite and a BGSAVE',
      ['--appendonly', 'yes'],
      async (c) => {
        await ok(c, 'BGREWRITEAOF');
        await waitUntil(c, rewriteIdle);
        await ok(c, 'BGSAVE');
        await waitUntil(c, (i) => i.get('rdb_bgsave_in_progress') === '0');
      },
    ],
  ];
  for (const [state, args, steps] of states) {
    assert.deepEqual(await fieldsIn('ours', args, steps), await fieldsIn('redis', args, steps), state);
  }
});
