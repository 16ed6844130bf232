// The append only file against Debian's redis-server 7.0 and redis-check-aof: redis-server starts
// from the appendonlydir our node writes (before and after a BGREWRITEAOF) and we start from the
// one it writes (base + incr with MULTI) and from an old single-file appendonly.aof; the
// datasets are compared with DEBUG DIGEST. Broken directories (a missing file, garbage in the
// middle, a truncated tail) are given to both servers, which must agree on refusing or loading,
// with Redis's log line, and without touching the files.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUR_SERVER_BIN, freePort, startServer, tempDir as newTempDir, type RunningServer } from '../../support/servers.js';
import { RespClient, type Reply } from '../../support/resp-client.js';

const AOF_ON = ['--appendonly', 'yes', '--enable-debug-command', 'yes'];
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = newTempDir('replicalab-aof-');
  dirs.push(dir);
  return dir;
}

const aofDir = (dir: string): string => join(dir, 'appendonlydir');

async function ok(c: RespClient, ...args: Array<string | Buffer | number>): Promise<Reply> {
  const reply = await c.call(...args);
  if (typeof reply === 'object' && reply !== null && 'error' in reply) throw new Error(`${args.join(' ')}: ${reply.error}`);
  return reply;
}

/** Writes of every type our engine and Redis share, TTLs, binary data, a transaction, two dbs. */
async function writeAllTypes(c: RespClient, tag: string): Promise<void> {
  await ok(c, 'SET', `str-${tag}`, 'hello');
  await ok(c, 'SET', `bin-${tag}`, Buffer.from([0, 13, 10, 255, 36, 42]));
  await ok(c, 'INCRBYFLOAT', `float-${tag}`, '1.5');
  await ok(c, 'SET', `ttl-${tag}`, 'x', 'EX', 100000);
  await ok(c, 'RPUSH', `list-${tag}`, 'a', '1', 'b'.repeat(100));
  await ok(c, 'RPUSH', `biglist-${tag}`, ...Array.from({ length: 300 }, (_, i) => `item${i}`));
  await ok(c, 'SADD', `intset-${tag}`, '3', '-1', '70000');
  await ok(c, 'SADD', `bigset-${tag}`, ...Array.from({ length: 600 }, (_, i) => `m${i}`));
  await ok(c, 'ZADD', `zset-${tag}`, '1.5', 'a', '-inf', 'b', '0.1', 'c');
  await ok(c, 'ZADD', `bigzset-${tag}`, ...Array.from({ length: 200 }, (_, i) => [String(i / 7), `m${i}`]).flat());
  await ok(c, 'HSET', `hash-${tag}`, 'f', 'v', 'n', '42');
  await ok(c, 'HSET', `bighash-${tag}`, ...Array.from({ length: 200 }, (_, i) => [`f${i}`, `v${i}`]).flat());
  await ok(c, 'EXPIRE', `hash-${tag}`, 100000);
  await ok(c, 'MULTI');
  await ok(c, 'INCR', `counter-${tag}`);
  await ok(c, 'LPOP', `list-${tag}`);
  await ok(c, 'DEL', `str-${tag}`);
  await ok(c, 'EXEC');
  await ok(c, 'SELECT', 5);
  await ok(c, 'SET', `in-db-5-${tag}`, 'v');
  await ok(c, 'SELECT', 0);
}

async function digest(c: RespClient): Promise<string> {
  return String(await ok(c, 'DEBUG', 'DIGEST'));
}

async function infoField(c: RespClient, field: string): Promise<string> {
  const info = String(await ok(c, 'INFO', 'persistence'));
  return new RegExp(`^${field}:(.*)\r$`, 'm').exec(info)?.[1] ?? '';
}

async function waitForRewrite(c: RespClient): Promise<void> {
  while ((await infoField(c, 'aof_rewrite_in_progress')) !== '0' || (await infoField(c, 'aof_rewrite_scheduled')) !== '0') {
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(await infoField(c, 'aof_last_bgrewrite_status'), 'ok');
}

/** redis-check-aof on the manifest must call every file and the manifest valid. */
function assertAofValid(dir: string, step: string): void {
  const check = spawnSync('redis-check-aof', [join(aofDir(dir), 'appendonly.aof.manifest')], { encoding: 'utf8' });
  assert.equal(check.status, 0, `${step}:\n${check.stdout}${check.stderr}`);
  assert.match(check.stdout, /All AOF files and manifest are valid/, step);
}

function snapshotFiles(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(p.slice(dir.length), readFileSync(p));
    }
  };
  walk(dir);
  return files;
}

/** Starts a server on `dir` with the AOF on, runs `body`, and always stops it. */
async function withServer<T>(
  kind: 'ours' | 'redis',
  dir: string,
  body: (c: RespClient, s: RunningServer) => Promise<T>,
  args: string[] = [],
): Promise<T> {
  const server = await startServer(kind, [...AOF_ON, ...args], { dir });
  const c = await RespClient.open(server.port);
  try {
    return await body(c, server);
  } finally {
    c.close();
    await server.stop();
  }
}

test('redis-server starts from our appendonlydir (writes, BGREWRITEAOF, more writes) with our digest', async () => {
  const dir = tempDir();
  const ours = await withServer('ours', dir, async (c) => {
    await writeAllTypes(c, 'before');
    assertAofValid(dir, 'after the first writes');
    assert.equal(await ok(c, 'BGREWRITEAOF'), 'Background append only file rewriting started');
    await waitForRewrite(c);
    assertAofValid(dir, 'after BGREWRITEAOF');
    await writeAllTypes(c, 'after');
    await ok(c, 'PING'); // a round trip after the last write: its everysec buffer has been written
    assertAofValid(dir, 'after more writes');
    return digest(c);
  });
  assertAofValid(dir, 'after shutdown');
  const manifest = readFileSync(join(aofDir(dir), 'appendonly.aof.manifest'), 'latin1');
  assert.match(manifest, /^file appendonly\.aof\.2\.base\.rdb seq 2 type b\nfile appendonly\.aof\.2\.incr\.aof seq 2 type i\n$/);
  const theirs = await withServer('redis', dir, async (c, s) => {
    assert.match(s.output(), /DB loaded from base file appendonly\.aof\.2\.base\.rdb/);
    assert.match(s.output(), /DB loaded from incr file appendonly\.aof\.2\.incr\.aof/);
    return digest(c);
  });
  assert.notEqual(ours, '0'.repeat(40));
  assert.equal(theirs, ours);
});

test("we start from redis-server's appendonlydir (RDB base + incr with MULTI) with its digest, and keep it valid", async () => {
  const dir = tempDir();
  const theirs = await withServer('redis', dir, async (c) => {
    await writeAllTypes(c, 'before');
    await ok(c, 'XADD', 'stream', '1-1', 'a', '1'); // in the base only: the rewrite turns it into RDB
    await ok(c, 'BGREWRITEAOF');
    await waitForRewrite(c);
    await writeAllTypes(c, 'after');
    return digest(c);
  });
  assert.match(readFileSync(join(aofDir(dir), 'appendonly.aof.manifest'), 'latin1'), /type i/);
  const ours = await withServer('ours', dir, async (c) => {
    const loaded = await digest(c);
    await ok(c, 'SET', 'written-by-us', '1');
    await ok(c, 'PING');
    assertAofValid(dir, 'after our writes');
    return loaded;
  });
  assert.equal(ours, theirs);
  assertAofValid(dir, 'after our shutdown');
});

/** An AOF as Redis 6 wrote it: one file of RESP commands, SELECT first, MULTI/EXEC kept. */
function redis6Aof(): Buffer {
  const command = (...argv: string[]): string => `*${argv.length}\r\n${argv.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
  return Buffer.from(
    [
      command('SELECT', '0'),
      command('SET', 'greeting', 'hello'),
      command('RPUSH', 'list', 'a', 'b', 'c'),
      command('MULTI'),
      command('HSET', 'hash', 'f', 'v'),
      command('ZADD', 'zset', '2', 'two'),
      command('EXEC'),
      command('PEXPIREAT', 'greeting', String(Date.now() + 100_000_000)),
      command('SELECT', '2'),
      command('SADD', 'set', '1', '2', 'x'),
    ].join(''),
  );
}

test('an old single-file appendonly.aof is upgraded into appendonlydir exactly as redis-server does it', async () => {
  const oursDir = tempDir();
  const redisDir = tempDir();
  for (const dir of [oursDir, redisDir]) writeFileSync(join(dir, 'appendonly.aof'), redis6Aof());
  const args = ['--appendfilename', 'appendonly.aof'];
  const theirs = await withServer('redis', redisDir, digest, args);
  const ours = await withServer(
    'ours',
    oursDir,
    async (c, s) => {
      assert.match(
        s.output(),
        /Successfully migrated an old-style AOF file \(appendonly\.aof\) into the AOF directory \(appendonlydir\)\./,
      );
      return digest(c);
    },
    args,
  );
  assert.notEqual(ours, '0'.repeat(40));
  assert.equal(ours, theirs);
  // aofUpgradePrepare moves the file in as the base; a new incr file follows it.
  for (const dir of [oursDir, redisDir]) assert.deepEqual(readdirSync(dir).sort(), ['appendonlydir']);
  assert.deepEqual(readdirSync(aofDir(oursDir)).sort(), readdirSync(aofDir(redisDir)).sort());
  const manifestOf = (dir: string) => readFileSync(join(aofDir(dir), 'appendonly.aof.manifest'), 'latin1');
  assert.equal(manifestOf(oursDir), manifestOf(redisDir));
  assertAofValid(oursDir, 'after the upgrade');
});

// --- broken directories ----------------------------------------------------------------------

/** A small AOF directory written by redis-server: an RDB base and an incr file with 3 commands. */
async function redisAofDir(): Promise<string> {
  const dir = tempDir();
  await withServer('redis', dir, async (c) => {
    await ok(c, 'SET', 'a', '1');
    await ok(c, 'RPUSH', 'l', 'x', 'y');
    await ok(c, 'SET', 'b', '2');
  });
  return dir;
}

const INCR = 'appendonly.aof.1.incr.aof';

/** Runs a server that is expected to refuse to start; returns its exit code and log. */
async function failedStart(kind: 'ours' | 'redis', dir: string, args: string[] = []): Promise<{ status: number | null; log: string }> {
  const bin = kind === 'ours' ? OUR_SERVER_BIN : 'redis-server';
  const port = await freePort();
  const run = spawnSync(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--logfile', '', ...AOF_ON, ...args],
    {
      encoding: 'utf8',
      timeout: 15000,
    },
  );
  return { status: run.status, log: run.stdout + run.stderr };
}

/** Both servers refuse `broken` (a copy each), log `expectedLine`, and leave every file as it was. */
async function assertBothRefuse(broken: string, expectedLine: RegExp, args: string[] = []): Promise<string> {
  let ourLog = '';
  for (const kind of ['redis', 'ours'] as const) {
    const dir = tempDir();
    cpSync(broken, dir, { recursive: true });
    const before = snapshotFiles(dir);
    const { status, log } = await failedStart(kind, dir, args);
    assert.equal(status, 1, `${kind}:\n${log}`);
    assert.match(log, expectedLine, kind);
    assert.deepEqual(snapshotFiles(dir), before, `${kind} changed the files`);
    if (kind === 'ours') ourLog = log;
  }
  return ourLog;
}

test('a manifest naming a missing file: both refuse to start, name the file, and touch nothing', async () => {
  const dir = await redisAofDir();
  unlinkSync(join(aofDir(dir), INCR));
  await assertBothRefuse(dir, /Unable to obtain the AOF file appendonly\.aof\.1\.incr\.aof length\. stat: No such file or directory/);
});

test('garbage in the middle of an incr file: both refuse to start; we also log the offset', async () => {
  const dir = await redisAofDir();
  const path = join(aofDir(dir), INCR);
  const data = readFileSync(path);
  const secondCommand = data.indexOf('*3\r\n$3\r\nSET', 1);
  const offset = data.indexOf('*', secondCommand + 1);
  writeFileSync(path, Buffer.concat([data.subarray(0, offset), Buffer.from('garbage!\r\n'), data.subarray(offset)]));
  const log = await assertBothRefuse(
    dir,
    /Bad file format reading the append only file appendonly\.aof\.1\.incr\.aof: make a backup of your AOF file, then use \.\/redis-check-aof --fix <filename\.manifest>/,
  );
  assert.match(log, new RegExp(`appendonly\\.aof\\.1\\.incr\\.aof, offset ${offset}: `));
});

test('a truncated last command: refused with aof-load-truncated no, cut back with a warning with yes', async () => {
  const dir = await redisAofDir();
  const path = join(aofDir(dir), INCR);
  const data = readFileSync(path);
  const lastComplete = data.lastIndexOf('*3\r\n$3\r\nSET');
  writeFileSync(path, data.subarray(0, data.length - 3));
  await assertBothRefuse(dir, /Unexpected end of file reading the append only file appendonly\.aof\.1\.incr\.aof\./, [
    '--aof-load-truncated',
    'no',
  ]);
  const digests: string[] = [];
  for (const kind of ['redis', 'ours'] as const) {
    const copy = tempDir();
    cpSync(dir, copy, { recursive: true });
    digests.push(
      await withServer(
        kind,
        copy,
        async (c, s) => {
          assert.match(s.output(), /!!! Warning: short read while loading the AOF file appendonly\.aof\.1\.incr\.aof!!!/);
          assert.match(s.output(), new RegExp(`!!! Truncating the AOF appendonly\\.aof\\.1\\.incr\\.aof at offset ${lastComplete} !!!`));
          assert.equal(await c.call('GET', 'b'), null);
          assert.deepEqual(((await c.call('LRANGE', 'l', 0, -1)) as Buffer[]).map(String), ['x', 'y']);
          return digest(c);
        },
        ['--aof-load-truncated', 'yes'],
      ),
    );
    assert.equal(statSync(join(aofDir(copy), INCR)).size, lastComplete, `${kind} truncates to the last complete command`);
  }
  assert.equal(digests[1], digests[0]);
});
