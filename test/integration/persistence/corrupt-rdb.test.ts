// A node never starts from a corrupt RDB: a wrong checksum, a truncated file, an unknown type
// byte or an unknown string encoding each stop it with exit status 1 before it accepts a
// connection (so no client ever sees part of the data), and the file is left exactly as it was.
// The log lines it prints about the file are redis-server's own (rdbLoadRioWithLoadingCtx and
// rdbReportError in rdb.c), compared line by line with Debian's redis-server on the same file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUR_SERVER_BIN, freePort, startServer, tempDir } from '../../support/servers.js';
import { RespClient } from '../../support/resp-client.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function newDir(): string {
  const dir = tempDir();
  dirs.push(dir);
  return dir;
}

/** A dump saved by redis-server: 50 strings, a list and a hash, all in database 0. */
let dump: Buffer;
before(async () => {
  const dir = newDir();
  const redis = await startServer('redis', [], { dir });
  const c = await RespClient.open(redis.port);
  await c.pipeline(Array.from({ length: 50 }, (_, i) => ['SET', `key:${i}`, `value-${i}`]));
  await c.call('RPUSH', 'list', 'a', 'b', 'c');
  await c.call('HSET', 'hash', 'f', 'v');
  assert.equal(await c.call('SAVE'), 'OK');
  c.close();
  await redis.stop();
  dump = readFileSync(join(dir, 'dump.rdb'));
});

/** Where the first key's type byte is: after SELECTDB 0 and RESIZEDB's two (small) lengths. */
function firstTypeByte(file: Buffer): number {
  const selectDb = file.indexOf(Buffer.from([0xfe, 0x00, 0xfb]));
  assert.ok(selectDb > 0);
  return selectDb + 5;
}

const CORRUPTIONS: Array<[string, (file: Buffer) => Buffer]> = [
  [
    'a wrong checksum',
    (file) => {
      const bad = Buffer.from(file);
      bad[bad.length - 3]! ^= 0xff;
      return bad;
    },
  ],
  ['a file cut in the middle', (file) => Buffer.from(file.subarray(0, file.length >> 1))],
  [
    'an unknown type byte',
    (file) => {
      const bad = Buffer.from(file);
      bad[firstTypeByte(bad)] = 63;
      return bad;
    },
  ],
  ['a wrong signature', (file) => Buffer.concat([Buffer.from('X'), file.subarray(1)])],
  ['a version Redis 7.0 cannot read', (file) => Buffer.concat([file.subarray(0, 5), Buffer.from('0012'), file.subarray(9)])],
  [
    'an unknown string encoding',
    (file) => {
      const bad = Buffer.from(file);
      bad[firstTypeByte(bad) + 1] = 0xc5; // the key's length byte: "encoded", type 5
      return bad;
    },
  ],
];

/** Runs `kind` on a copy of `file` until it exits; its status, its log lines and the file after. */
async function runOn(kind: 'ours' | 'redis', file: Buffer): Promise<{ status: number | null; lines: string[]; after: Buffer }> {
  const dir = newDir();
  writeFileSync(join(dir, 'dump.rdb'), file);
  const port = await freePort();
  const bin = kind === 'ours' ? OUR_SERVER_BIN : 'redis-server';
  const run = spawnSync(bin, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--logfile', ''], {
    encoding: 'utf8',
    timeout: 15000,
  });
  // Log lines only ("pid:role date time level message"), as level + message: redis-server also
  // prints redis-check-rdb's report on stdout, which is not in its log format.
  const lines = run.stdout
    .split('\n')
    .map((l) => /^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ ([.*#-] .*)$/.exec(l)?.[1])
    .filter((l): l is string => l !== undefined)
    .map((l) => l.replace(/^\* RDB age \d+ seconds$/, '* RDB age N seconds')); // the two runs are seconds apart
  return { status: run.status, lines, after: readFileSync(join(dir, 'dump.rdb')) };
}

/**
 * Everything logged after "Server initialized": what the node said about the file and why it
 * stops (redis-server's warning about the kernel's overcommit setting aside). Whether
 * "Terminating server after rdb file reading failure." is among them depends on the kind of
 * damage (see CorruptReport.terminatingLine), so ours must follow.
 */
function aboutTheFile(lines: string[]): string[] {
  const from = lines.indexOf('# Server initialized');
  assert.ok(from !== -1, lines.join('\n'));
  // Our node adds one line naming the file and the byte offset of the damage (describeDamagedFile).
  return lines.slice(from + 1).filter((l) => !l.includes('WARNING Memory overcommit') && !l.startsWith('# Damaged RDB file '));
}

for (const [what, corrupt] of CORRUPTIONS) {
  test(`${what}: both refuse to start with status 1, log the same lines, and leave the file as it was`, async () => {
    const file = corrupt(dump);
    const [ours, redis] = [await runOn('ours', file), await runOn('redis', file)];
    assert.equal(redis.status, 1);
    assert.equal(ours.status, 1);
    assert.deepEqual(ours.after, file);
    assert.deepEqual(redis.after, file);
    assert.deepEqual(aboutTheFile(ours.lines), aboutTheFile(redis.lines));
    // Never serving, never loaded, and one last line saying why it stops.
    for (const never of ['Ready to accept connections', 'DB loaded from disk', 'Done loading RDB']) {
      assert.ok(!ours.lines.some((l) => l.includes(never)), never);
    }
  });
}

test('the lines after the aux notices (version, age, memory), kind by kind', async () => {
  const lines = async (corruption: number) => aboutTheFile((await runOn('ours', CORRUPTIONS[corruption]![1](dump))).lines).slice(3);
  assert.match(
    (await lines(0)).join('\n'),
    /^# Wrong RDB checksum expected: \([0-9a-f]+\) but got \([0-9a-f]+\)\. Aborting now\.\n# Internal error in RDB reading offset 0, function at rdb\.c:\d+ -> RDB CRC error$/,
  );
  assert.deepEqual(await lines(1), [
    '# Short read or OOM loading DB. Unrecoverable error, aborting now.',
    '# Internal error in RDB reading offset 0, function at rdb.c:3249 -> Unexpected EOF reading RDB file',
  ]);
  assert.deepEqual(await lines(2), ['# Internal error in RDB reading offset 0, function at rdb.c:2681 -> Unknown RDB encoding type 63']);
  // The header is checked before any aux field: rdbLoad fails with EINVAL, no rdbReportError.
  assert.deepEqual((await runOn('ours', CORRUPTIONS[3]![1](dump))).lines.slice(-2), [
    '# Wrong signature trying to load DB from file',
    '# Fatal error loading the DB: Invalid argument. Exiting.',
  ]);
  assert.deepEqual((await runOn('ours', CORRUPTIONS[4]![1](dump))).lines.slice(-2), [
    "# Can't handle RDB format version 12",
    '# Fatal error loading the DB: Invalid argument. Exiting.',
  ]);
  assert.deepEqual(await lines(5), [
    '# Internal error in RDB reading offset 0, function at rdb.c:529 -> Unknown RDB string encoding type 5',
    '# Terminating server after rdb file reading failure.',
  ]);
});

test('a dump the node saved itself, corrupted, is refused the same way', async () => {
  const dir = newDir();
  const ours = await startServer('ours', [], { dir });
  const c = await RespClient.open(ours.port);
  await c.call('SET', 'k', 'v');
  await c.call('SAVE');
  c.close();
  await ours.stop();
  const saved = readFileSync(join(dir, 'dump.rdb'));
  const run = await runOn('ours', CORRUPTIONS[0]![1](saved));
  assert.equal(run.status, 1);
  assert.ok(run.lines.includes('# Internal error in RDB reading offset 0, function at rdb.c:3225 -> RDB CRC error'), run.lines.join('\n'));
});

test('DEBUG RELOAD of a damaged file: the same error and warnings as redis-server, and the node keeps running', async () => {
  const logs: string[][] = [];
  for (const kind of ['ours', 'redis'] as const) {
    const dir = newDir();
    const server = await startServer(kind, ['--enable-debug-command', 'yes'], { dir });
    const c = await RespClient.open(server.port);
    await c.call('SET', 'before', '1');
    for (const [, corrupt] of CORRUPTIONS) {
      writeFileSync(join(dir, 'dump.rdb'), corrupt(dump));
      assert.deepEqual(await c.call('DEBUG', 'RELOAD', 'NOSAVE'), { error: 'ERR Error trying to load the RDB dump' });
    }
    // redis-server keeps the keys it read before the damage; ours keeps the dataset it had (the
    // load is all or nothing), so there the key set before is still all there is.
    if (kind === 'ours') assert.equal(await c.call('DBSIZE'), 1);
    assert.equal(await c.call('PING'), 'PONG');
    c.close();
    await server.stop();
    const lines = server
      .output()
      .split('\n')
      .map((l) => /^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ ([*#] .*)$/.exec(l)?.[1]);
    logs.push(
      aboutTheFile(lines.filter((l): l is string => l !== undefined && !/RDB age|RDB memory/.test(l))).filter(
        (l) => !/Ready to accept|SIGTERM|shutdown|Shutting|Removing|exiting|bye/i.test(l),
      ),
    );
  }
  assert.deepEqual(logs[0], logs[1]);
  assert.equal(logs[0]!.filter((l) => l.startsWith('# ')).length, CORRUPTIONS.length, logs[0]!.join('\n'));
});
