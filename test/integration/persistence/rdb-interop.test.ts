// Our RDB, DUMP and DEBUG DIGEST code against Debian's redis-server 7.0 and its tools: we read
// the dump it writes (every type, small and large encodings, TTLs, several dbs), it loads the
// dump we write (and redis-check-rdb accepts it), DUMP/RESTORE payloads go both ways, the
// digests agree key by key, and the LRU idle times / LFU counters saved under those
// maxmemory-policies load on the other side.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, tempDir, type RunningServer } from '../../support/servers.js';
import { RespClient, type Reply } from '../../support/resp-client.js';
import { readRdbFile, readRdbBuffer } from '../../../src-main/engine/persistence/rdb/rdb-reader.js';
import { standardAuxFields, writeRdbToBuffer } from '../../../src-main/engine/persistence/rdb/rdb-writer.js';
import { DatasetDigest, digestValueHex } from '../../../src-main/engine/persistence/digest.js';
import { createDumpPayload, parseDumpPayload } from '../../../src-main/engine/persistence/rdb/dump-payload.js';
import { formatAofManifest, parseAofManifest } from '../../../src-main/engine/persistence/aof/aof-manifest.js';
import { AofCommandReader, formatAofCommand } from '../../../src-main/engine/persistence/aof/aof-commands.js';
import type { RdbEntry } from '../../../src-main/engine/persistence/value-model.js';

const DEBUG = ['--enable-debug-command', 'yes'];
let redis: RunningServer;
let client: RespClient;

function isError(r: Reply): r is { error: string } {
  return typeof r === 'object' && r !== null && 'error' in r;
}

async function ok(...args: Array<string | Buffer | number>): Promise<Reply> {
  const r = await client.call(...args);
  if (isError(r)) throw new Error(`${args.slice(0, 2).join(' ')}: ${r.error}`);
  return r;
}

/** Every type in its small and large encodings, TTLs, binary data, several dbs. */
async function populate(): Promise<void> {
  await ok('DEBUG', 'POPULATE', 500, 'pop', 30);
  await ok('SET', 'str', 'hello');
  await ok('SET', 'int', '-12345');
  await ok('SET', 'bigint', '9223372036854775807');
  await ok('SET', 'empty', '');
  await ok('SET', 'long', 'abc'.repeat(300));
  await ok('SET', 'binary', Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
  await ok('SET', 'ttl', 'x', 'PX', 100000000);
  await ok('RPUSH', 'list', 'a', '1', '-7', 'b'.repeat(100));
  await ok('RPUSH', 'biglist', ...Array.from({ length: 3000 }, (_, i) => (i % 2 ? `item${i}` : String(i))));
  await ok('RPUSH', 'fatlist', ...Array.from({ length: 5 }, (_, i) => String(i).repeat(10000)));
  await ok('SADD', 'intset', '3', '-1', '5000000000', '70000');
  await ok('SADD', 'strset', 'a', 'b', '3');
  await ok('SADD', 'bigintset', ...Array.from({ length: 600 }, (_, i) => String(i * 3)));
  await ok('SADD', 'bigstrset', ...Array.from({ length: 300 }, (_, i) => `m${i}`));
  await ok('ZADD', 'zset', '1.5', 'a', '-inf', 'b', '+inf', 'c', '0.1', 'd', '3', 'e', '1e-300', 'f');
  await ok('ZADD', 'bigzset', ...Array.from({ length: 200 }, (_, i) => [String(i / 7), `m${i}`]).flat());
  await ok('ZADD', 'longmember', '1', 'x'.repeat(100));
  await ok('HSET', 'hash', 'f', 'v', 'n', '42');
  await ok('HSET', 'bighash', ...Array.from({ length: 200 }, (_, i) => [`f${i}`, `v${i}`]).flat());
  await ok('HSET', 'longvalue', 'f', 'y'.repeat(100));
  await ok('EXPIRE', 'hash', 100000);
  await ok('XADD', 'stream', '1-1', 'a', '1', 'b', '2');
  await ok('XADD', 'stream', '1-2', 'a', '3', 'b', '4');
  await ok('XADD', 'stream', '2-0', 'c', '5');
  await ok('XADD', 'stream', '3-0', 'a', '1', 'b', '2');
  await ok('XDEL', 'stream', '1-2');
  await ok('XGROUP', 'CREATE', 'stream', 'g1', '0');
  await ok('XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '2', 'STREAMS', 'stream', '>');
  for (let i = 0; i < 250; i++) await client.call('XADD', 'bigstream', '*', 'f1', `v${i}`, 'f2', String(i));
  await ok('SELECT', 3);
  await ok('SET', 'in-db-3', 'v3');
  await ok('SELECT', 15);
  await ok('RPUSH', 'in-db-15', 'x');
  await ok('SELECT', 0);
}

async function serverDigest(c: RespClient): Promise<string> {
  return String(await c.call('DEBUG', 'DIGEST'));
}

const saved: RdbEntry[] = [];
const scratch: string[] = [];

before(async () => {
  redis = await startServer('redis', ['--dbfilename', 'dump.rdb', ...DEBUG]);
  client = await RespClient.open(redis.port);
  await populate();
  await ok('SAVE');
  await readRdbFile(join(redis.dir, 'dump.rdb'), (e) => saved.push(e), { readSize: 4096 });
});

after(async () => {
  client?.close();
  await redis?.stop();
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

test("we read redis-server's dump: DEBUG DIGEST of what we read equals the server's", async () => {
  assert.ok(saved.length > 500);
  const digest = new DatasetDigest();
  for (const e of saved) digest.add(e);
  assert.equal(digest.hex(), await serverDigest(client));
});

test('DEBUG DIGEST-VALUE of every key we read equals the server’s', async () => {
  for (const db of [0, 3, 15]) {
    await ok('SELECT', db);
    for (const e of saved.filter((x) => x.db === db)) {
      const theirs = (await ok('DEBUG', 'DIGEST-VALUE', e.key)) as Reply[];
      assert.equal(digestValueHex(e.value, e.expireAtMs !== null), String(theirs[0]), `${e.key} (${e.value.type})`);
    }
  }
  await ok('SELECT', 0);
  assert.deepEqual(await ok('DEBUG', 'DIGEST-VALUE', 'no-such-key'), ['0'.repeat(40)]);
});

test('our dump of the same data passes redis-check-rdb and redis-server loads it to the same digest', async () => {
  const dir = tempDir('replicalab-ours-');
  scratch.push(dir);
  const file = writeRdbToBuffer(standardAuxFields({ usedMemory: 1000000 }), saved);
  writeFileSync(join(dir, 'dump.rdb'), file);
  const check = spawnSync('redis-check-rdb', [join(dir, 'dump.rdb')], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /RDB looks OK/);
  const loaded = await startServer('redis', ['--dbfilename', 'dump.rdb', ...DEBUG], { dir });
  try {
    assert.match(loaded.output(), /Done loading RDB, keys loaded: \d+, keys expired: 0/);
    const c = await RespClient.open(loaded.port);
    assert.equal(await serverDigest(c), await serverDigest(client));
    c.close();
  } finally {
    await loaded.stop();
  }
});

test('redis-check-rdb and our reader both reject our dump with a flipped byte', () => {
  const dir = tempDir('replicalab-bad-');
  scratch.push(dir);
  const file = writeRdbToBuffer(standardAuxFields({ usedMemory: 1 }), saved.slice(0, 50));
  const mid = Math.floor(file.length / 2);
  file[mid] ^= 0xff;
  writeFileSync(join(dir, 'bad.rdb'), file);
  const check = spawnSync('redis-check-rdb', [join(dir, 'bad.rdb')], { encoding: 'utf8' });
  assert.notEqual(check.status, 0);
  assert.throws(() => readRdbBuffer(file, () => {}), /offset \d+/);
});

test('DUMP from redis-server parses to the same value; our payload RESTOREs on redis-server', async () => {
  const keys = saved.filter((e) => e.db === 0 && !e.key.toString().startsWith('pop'));
  for (const e of keys) {
    const payload = (await ok('DUMP', e.key)) as Buffer;
    const parsed = parseDumpPayload(payload);
    assert.ok(parsed.ok, `DUMP ${e.key}: ${parsed.ok ? '' : `${parsed.error} (${parsed.detail})`}`);
    assert.equal(digestValueHex(parsed.value, false), digestValueHex(e.value, false), `DUMP ${e.key}`);

    const copy = Buffer.concat([Buffer.from('copy:'), e.key]);
    assert.equal(await ok('RESTORE', copy, 0, createDumpPayload(e.value)), 'OK', `RESTORE ${e.key}`);
    const [theirs] = (await ok('DEBUG', 'DIGEST-VALUE', copy)) as Reply[];
    assert.equal(String(theirs), digestValueHex(e.value, false), `RESTORE ${e.key}`);
    await ok('DEL', copy);
  }
  const bad = createDumpPayload({ type: 'string', value: Buffer.from('x') });
  bad[1] ^= 1;
  const reply = await client.call('RESTORE', 'bad', 0, bad);
  assert.ok(isError(reply));
  assert.equal(reply.error, (parseDumpPayload(bad) as { error: string }).error);
});

test("redis-server's multi-part AOF: our manifest parser and command reader read it", async () => {
  const dir = tempDir('replicalab-aof-');
  scratch.push(dir);
  const aofServer = await startServer('redis', ['--appendonly', 'yes', ...DEBUG], { dir });
  try {
    const c = await RespClient.open(aofServer.port);
    await c.call('SET', 'a', '1');
    await c.call('MULTI');
    await c.call('INCR', 'a');
    await c.call('RPUSH', 'l', Buffer.from([0, 13, 10, 255]));
    await c.call('EXEC');
    await c.call('SELECT', 2);
    await c.call('SET', 'b', '2');
    c.close();
  } finally {
    await aofServer.stop();
  }
  const aofDir = join(dir, 'appendonlydir');
  const manifest = parseAofManifest(readFileSync(join(aofDir, 'appendonly.aof.manifest'), 'latin1'));
  assert.ok(manifest.base && manifest.base.fileName.endsWith('.base.rdb'));
  assert.ok(readdirSync(aofDir).includes(manifest.base.fileName));
  const base = readRdbBuffer(readFileSync(join(aofDir, manifest.base.fileName)), () => {});
  assert.equal(base.aux.get('aof-base'), '1');
  const commands: string[] = [];
  const reader = new AofCommandReader((argv) => commands.push(argv[0]!.toString().toUpperCase()));
  reader.push(readFileSync(join(aofDir, manifest.incr.at(-1)!.fileName)));
  assert.equal(reader.end().status, 'complete');
  assert.deepEqual(commands, ['SELECT', 'SET', 'MULTI', 'INCR', 'RPUSH', 'EXEC', 'SELECT', 'SET']);
});

test('an AOF directory we write (manifest, RDB-preamble base, incr) passes redis-check-aof and loads in redis-server', async () => {
  const dir = tempDir('replicalab-ouraof-');
  scratch.push(dir);
  const aofDir = join(dir, 'appendonlydir');
  mkdirSync(aofDir);
  writeFileSync(join(aofDir, 'appendonly.aof.1.base.rdb'), writeRdbToBuffer(standardAuxFields({ usedMemory: 1, aofBase: true }), saved));
  writeFileSync(
    join(aofDir, 'appendonly.aof.1.incr.aof'),
    Buffer.concat([formatAofCommand(['SELECT', '0']), formatAofCommand(['SET', 'extra', 'from-incr'])]),
  );
  writeFileSync(
    join(aofDir, 'appendonly.aof.manifest'),
    formatAofManifest({
      base: { fileName: 'appendonly.aof.1.base.rdb', seq: 1, type: 'b' },
      history: [],
      incr: [{ fileName: 'appendonly.aof.1.incr.aof', seq: 1, type: 'i' }],
    }),
  );
  const check = spawnSync('redis-check-aof', [join(aofDir, 'appendonly.aof.manifest')], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /is valid/);

  const expected = new DatasetDigest();
  for (const e of saved) expected.add(e);
  expected.add({ db: 0, key: Buffer.from('extra'), value: { type: 'string', value: Buffer.from('from-incr') }, expireAtMs: null });
  const loaded = await startServer('redis', ['--appendonly', 'yes', ...DEBUG], { dir });
  try {
    const c = await RespClient.open(loaded.port);
    assert.equal(await serverDigest(c), expected.hex());
    c.close();
  } finally {
    await loaded.stop();
  }
});

test('the access history a maxmemory-policy tracks travels in the dump, both ways (IDLE / FREQ opcodes)', async () => {
  const stringPayload = await ok('DUMP', 'str');
  const listPayload = await ok('DUMP', 'list');
  assert.ok(Buffer.isBuffer(stringPayload) && Buffer.isBuffer(listPayload));
  // No LFU decay, so a minute boundary between the two servers cannot change a counter.
  const policies = [
    { args: ['--maxmemory-policy', 'allkeys-lru'], history: ['IDLETIME', '5000'], read: 'IDLETIME' },
    { args: ['--maxmemory-policy', 'allkeys-lfu', '--lfu-decay-time', '0'], history: ['FREQ', '100'], read: 'FREQ' },
  ];
  for (const { args, history, read } of policies) {
    // Each kind of server writes a dump of keys restored with that history...
    const dirs = { ours: tempDir('replicalab-history-'), redis: tempDir('replicalab-history-') };
    scratch.push(dirs.ours, dirs.redis);
    for (const kind of ['ours', 'redis'] as const) {
      const writer = await startServer(kind, args, { dir: dirs[kind] });
      const c = await RespClient.open(writer.port);
      await c.call('RESTORE', 's', '0', stringPayload as Buffer, ...history);
      await c.call('RESTORE', 'l', '0', listPayload as Buffer, ...history);
      assert.equal(await c.call('SAVE'), 'OK');
      c.close();
      await writer.stop();
    }
    // ...and the other kind loads it under the same policy and reports the same history.
    const readers = [await startServer('redis', args, { dir: dirs.ours }), await startServer('ours', args, { dir: dirs.redis })];
    try {
      for (const reader of readers) {
        const c = await RespClient.open(reader.port);
        for (const key of ['s', 'l']) {
          const reported = (await c.call('OBJECT', read, key)) as number;
          if (read === 'FREQ') assert.equal(reported, 100, `OBJECT FREQ ${key} after loading`);
          else assert.ok(reported >= 5000 && reported <= 5005, `OBJECT IDLETIME ${key} after loading: ${reported}`);
        }
        c.close();
      }
    } finally {
      for (const reader of readers) await reader.stop();
    }
  }
});
