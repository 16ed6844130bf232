// The file fuzzer (test/support/file-fuzz/) in the suite: a fixed number of seeded mutations of
// real RDB files, AOF files, AOF manifests and DUMP payloads (written by Debian's redis-server and
// by our node) through the loaders in process, then a few of them through real node processes
// (a start on a damaged dump.rdb or AOF: status 1, the file and byte offset in the log, the files
// untouched) and RESTORE over TCP (Redis's replies, DEBUG DIGEST unchanged by a refusal, the node
// serving on, an accepted key usable), compared with redis-server on the same payloads.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUR_SERVER_BIN, freePort, startServer, tempDir } from '../../support/servers.js';
import { RespClient, type Reply } from '../../support/resp-client.js';
import { Random, buildSeedCorpus, fuzzRun, makeInput, runInput, type FuzzFormat, type SeedCorpus } from '../../support/file-fuzz/index.js';
import { parseDumpPayload } from '../../../src-main/engine/persistence/rdb/dump-payload.js';

const SEED = 20261207;
/** Inputs per format in process: 10-40 s on two shared cores, depending on what else runs. */
const PER_FORMAT = 2000;

let corpus: SeedCorpus;
const dirs: string[] = [];
before(async () => {
  corpus = await buildSeedCorpus();
});
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function newDir(): string {
  const dir = tempDir();
  dirs.push(dir);
  return dir;
}

/** The first `n` inputs of `format` (from index `from`) that the loader refuses in process, with the outcome. */
function refusedInputs(format: FuzzFormat, n: number, accept: (from: string) => boolean = () => true) {
  const found: Array<{ bytes: Buffer; offset: number | null; message: string; from: string }> = [];
  for (let i = 0; found.length < n && i < 5000; i++) {
    const input = makeInput(corpus, format, SEED, i);
    if (!accept(input.from)) continue;
    const outcome = runInput(format, input.bytes, new Random(i));
    if (outcome.kind === 'refused') found.push({ bytes: input.bytes, offset: outcome.offset, message: outcome.message, from: input.from });
  }
  assert.equal(found.length, n);
  return found;
}

test(`in process: ${PER_FORMAT} mutations of each format, every one refused cleanly or accepted, none crashing, hanging or over-allocating`, () => {
  const report = fuzzRun(corpus, SEED, PER_FORMAT);
  assert.deepEqual(report.failures, [], JSON.stringify(report.failures, null, 1));
  assert.equal(report.crashes, 0);
  assert.equal(report.hangs, 0);
  assert.equal(report.inputsTried, 4 * PER_FORMAT);
  // The mutations reach the loaders: each format sees both outcomes, refusals the most.
  for (const [format, counts] of Object.entries(report.byFormat)) {
    assert.ok(counts.refused > counts.tried / 2, `${format}: ${JSON.stringify(counts)}`);
    assert.ok(counts.accepted > 0, `${format}: ${JSON.stringify(counts)}`);
  }
});

/** Runs our server on `dir` until it exits (it must not start); its status and log. */
function runUntilExit(dir: string, args: string[], port: number): { status: number | null; log: string } {
  const run = spawnSync(OUR_SERVER_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...args], {
    encoding: 'utf8',
    timeout: 20000,
  });
  return { status: run.status, log: run.stdout + run.stderr };
}

function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    try {
      out[name] = readFileSync(join(dir, name)).toString('hex');
    } catch {
      // a directory
    }
  }
  return out;
}

test('a node started on a damaged dump.rdb exits with status 1, names the file and the byte offset, and leaves the file as it was', async () => {
  const port = await freePort();
  for (const input of refusedInputs('rdb', 4, (from) => from.endsWith('dump.rdb'))) {
    const dir = newDir();
    const path = join(dir, 'dump.rdb');
    writeFileSync(path, input.bytes);
    const { status, log } = runUntilExit(dir, [], port);
    assert.equal(status, 1, log);
    assert.ok(log.includes(`Damaged RDB file ${path} at byte offset ${input.offset}: `), `${input.message}\n${log}`);
    assert.ok(!log.includes('Ready to accept connections'), log);
    assert.deepEqual(readFileSync(path), input.bytes);
  }
});

test('DEBUG RELOAD of a damaged dump.rdb: Redis error, the file named with its byte offset in the log, the dataset and the file unchanged', async () => {
  const dir = newDir();
  const node = await startServer('ours', ['--enable-debug-command', 'yes'], { dir });
  const c = await RespClient.open(node.port);
  try {
    for (const [name, payload] of corpus.payloads) await c.call('RESTORE', `seed:${name}`, '0', payload);
    const digest = await c.call('DEBUG', 'DIGEST');
    const path = join(dir, 'dump.rdb');
    for (const input of refusedInputs('rdb', 3, (from) => from.endsWith('dump.rdb'))) {
      writeFileSync(path, input.bytes);
      assert.deepEqual(await c.call('DEBUG', 'RELOAD', 'NOSAVE'), { error: 'ERR Error trying to load the RDB dump' });
      assert.deepEqual(await c.call('DEBUG', 'DIGEST'), digest);
      assert.deepEqual(readFileSync(path), input.bytes);
      assert.ok(node.output().includes(`Damaged RDB file ${path} at byte offset ${input.offset}: `), node.output().slice(-2000));
    }
    assert.equal(await c.call('PING'), 'PONG');
  } finally {
    c.close();
    await node.stop();
  }
});

test('a node started on a damaged AOF or manifest exits with status 1, names the file (and offset or line), and changes no file', async () => {
  const port = await freePort();
  const base = corpus.aofFiles.get('ours:commands:appendonly.aof.4.base.aof')!;
  const manifest = 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n';
  const cases: Array<{ files: Record<string, Buffer>; expect: RegExp }> = [];
  // Corrupt (not merely truncated) incr files: truncation is repaired by aof-load-truncated, as in Redis.
  for (const input of refusedInputs('aof', 3)) {
    cases.push({
      files: {
        'appendonly.aof.manifest': Buffer.from(manifest),
        'appendonly.aof.1.base.aof': base,
        'appendonly.aof.1.incr.aof': input.bytes,
      },
      expect: new RegExp(`appendonly\\.aof\\.1\\.incr\\.aof, offset ${input.offset}: Bad file format`),
    });
  }
  for (const input of refusedInputs('manifest', 2)) {
    cases.push({
      files: { 'appendonly.aof.manifest': input.bytes, 'appendonly.aof.1.base.aof': base, 'appendonly.aof.1.incr.aof': Buffer.alloc(0) },
      expect: /The AOF manifest is .*appendonly\.aof\.manifest/,
    });
  }
  for (const { files, expect } of cases) {
    const dir = newDir();
    mkdirSync(join(dir, 'appendonlydir'));
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, 'appendonlydir', name), bytes);
    const before = filesOf(dir);
    const { status, log } = runUntilExit(dir, ['--appendonly', 'yes'], port);
    assert.equal(status, 1, log);
    assert.match(log, expect);
    assert.deepEqual(filesOf(dir), before);
  }
});

/** Read commands for an accepted key of each type: each must get a reply (an error is fine). */
const READS: Record<string, string[][]> = {
  string: [
    ['GET', 'fz'],
    ['STRLEN', 'fz'],
    ['GETRANGE', 'fz', '0', '-1'],
  ],
  list: [
    ['LRANGE', 'fz', '0', '-1'],
    ['LLEN', 'fz'],
    ['LPOP', 'fz'],
    ['RPUSH', 'fz', 'x'],
  ],
  set: [
    ['SMEMBERS', 'fz'],
    ['SCARD', 'fz'],
    ['SISMEMBER', 'fz', '1'],
    ['SADD', 'fz', 'new'],
  ],
  zset: [
    ['ZRANGE', 'fz', '0', '-1', 'WITHSCORES'],
    ['ZCARD', 'fz'],
    ['ZREVRANGEBYSCORE', 'fz', '+inf', '-inf'],
    ['ZADD', 'fz', '1', 'n'],
  ],
  hash: [
    ['HGETALL', 'fz'],
    ['HLEN', 'fz'],
    ['HSET', 'fz', 'nf', 'nv'],
  ],
  stream: [
    ['XRANGE', 'fz', '-', '+'],
    ['XLEN', 'fz'],
    ['XINFO', 'STREAM', 'fz', 'FULL'],
    ['XINFO', 'GROUPS', 'fz'],
    ['XADD', 'fz', '*', 'a', 'b'],
  ],
};

const isError = (r: Reply): r is { error: string } => typeof r === 'object' && r !== null && 'error' in r;

test('RESTORE of mutated payloads over TCP, sanitize-dump-payload yes and no: Redis replies, the digest unchanged by a refusal, accepted keys usable', async () => {
  for (const sanitize of ['yes', 'no']) {
    const node = await startServer('ours', ['--sanitize-dump-payload', sanitize, '--enable-debug-command', 'yes']);
    const c = await RespClient.open(node.port);
    try {
      // A dataset for the digest to cover: every seed payload, restored.
      for (const [name, payload] of corpus.payloads) assert.equal(await c.call('RESTORE', `seed:${name}`, '0', payload), 'OK');
      // Each input leaves the dataset as it found it (a refusal changes nothing; an accepted key is
      // deleted after its reads), so one digest taken first covers them all.
      const digest = await c.call('DEBUG', 'DIGEST');
      let accepted = 0;
      for (let i = 0; i < 150; i++) {
        const input = makeInput(corpus, 'restore', SEED + 1, i);
        const reply = await c.call('RESTORE', 'fz', '0', input.bytes, 'REPLACE');
        const expected = parseDumpPayload(input.bytes);
        if (isError(reply)) {
          assert.ok(!expected.ok, `${input.from} ${input.how}: refused over TCP but accepted in process`);
          assert.equal(reply.error, expected.error);
          assert.deepEqual(await c.call('DEBUG', 'DIGEST'), digest, `${input.from} ${input.how}`);
          continue;
        }
        assert.equal(reply, 'OK');
        accepted++;
        const type = String(await c.call('TYPE', 'fz'));
        for (const read of READS[type] ?? []) {
          const r = await c.call(...read);
          assert.notEqual(r, undefined, read.join(' '));
        }
        assert.equal(await c.call('DEL', 'fz'), 1);
        assert.deepEqual(await c.call('DEBUG', 'DIGEST'), digest, `${input.from} ${input.how}`);
      }
      assert.ok(accepted > 0);
      assert.equal(await c.call('PING'), 'PONG');
    } finally {
      c.close();
      await node.stop();
    }
  }
});

/**
 * Where redis-server (deep sanitization) and our node may differ on purpose: Redis accepts a
 * zset listpack score that is not a number (its check is for duplicate members; strtod later
 * reads it as 0), and a stream whose stored length differs from its entries; our node refuses both.
 */
const DELIBERATE = [/Zset listpack integrity check failed: bad score/, /Stream length \d+ does not match/];

test('differential: redis-server with sanitize-dump-payload yes accepts and refuses the same payloads as our node', async () => {
  const [redis, ours] = [
    await startServer('redis', ['--sanitize-dump-payload', 'yes']),
    await startServer('ours', ['--sanitize-dump-payload', 'yes']),
  ];
  const [rc, oc] = [await RespClient.open(redis.port), await RespClient.open(ours.port)];
  const differences: string[] = [];
  let compared = 0;
  try {
    for (let i = 0; i < 500; i++) {
      const input = makeInput(corpus, 'restore', SEED + 2, i);
      const [r, o] = [
        await rc.call('RESTORE', 'fz', '0', input.bytes, 'REPLACE'),
        await oc.call('RESTORE', 'fz', '0', input.bytes, 'REPLACE'),
      ];
      compared++;
      await rc.call('DEL', 'fz');
      await oc.call('DEL', 'fz');
      const show = (x: Reply) => (isError(x) ? x.error : String(x));
      if (show(r) === show(o)) continue;
      const parsed = parseDumpPayload(input.bytes);
      const detail = parsed.ok ? 'accepted' : (parsed.detail ?? '');
      if (show(r) === 'OK' && DELIBERATE.some((d) => d.test(detail))) continue;
      differences.push(
        `${input.from} ${input.how}: redis ${show(r)}, ours ${show(o)} (${detail}) ${input.bytes.toString('hex').slice(0, 200)}`,
      );
    }
    assert.equal(await rc.call('PING'), 'PONG');
  } finally {
    rc.close();
    oc.close();
    await redis.stop();
    await ours.stop();
  }
  assert.equal(compared, 500);
  assert.deepEqual(differences, []);
});

/** Starts `kind` on a copy of `file` as dump.rdb: whether it came up (then it is stopped again). */
async function startsOn(kind: 'ours' | 'redis', file: Buffer, args: string[]): Promise<boolean> {
  const dir = newDir();
  writeFileSync(join(dir, 'dump.rdb'), file);
  try {
    const server = await startServer(kind, args, { dir });
    await server.stop();
    return true;
  } catch (err) {
    assert.match(String(err), /exited with 1 before ready/);
    return false;
  }
}

test('differential: redis-server with sanitize-dump-payload yes starts on the same damaged RDB files as our node', async () => {
  const differences: string[] = [];
  for (let i = 0; i < 16; i++) {
    const input = makeInput(corpus, 'rdb', SEED + 3, i);
    const [redis, ours] = [
      await startsOn('redis', input.bytes, ['--sanitize-dump-payload', 'yes']),
      await startsOn('ours', input.bytes, []),
    ];
    if (redis === ours) continue;
    const outcome = runInput('rdb', input.bytes, new Random(i));
    const message = outcome.kind === 'refused' ? outcome.message : outcome.kind;
    if (redis && DELIBERATE.some((d) => d.test(message))) continue;
    differences.push(`${input.from} ${input.how}: redis ${redis ? 'starts' : 'refuses'}, ours ${ours ? 'starts' : 'refuses'} (${message})`);
  }
  assert.deepEqual(differences, []);
});
