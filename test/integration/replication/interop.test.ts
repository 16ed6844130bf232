// Replication between our nodes and Debian's redis-server 7.0, in both directions and in chains:
// after a full sync and a stream of random writes of every type, every node holds the same
// dataset (DEBUG DIGEST), the offsets agree, and INFO replication reads as Redis's does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  nodesForFile,
  assertSameData,
  expireShortKeys,
  infoFieldNames,
  randomWrites,
  startNode,
  startReplica,
  waitFor,
  waitInSync,
  type Node,
} from '../../support/replication.js';

const { track, stop: stopNode } = nodesForFile();

async function node(kind: 'ours' | 'redis', args: string[] = []): Promise<Node> {
  return track(await startNode(kind, args));
}

async function replica(kind: 'ours' | 'redis', master: Node, args: string[] = []): Promise<Node> {
  return track(await startReplica(kind, master, args));
}

for (const [masterKind, replicaKind] of [
  ['ours', 'redis'],
  ['redis', 'ours'],
  ['ours', 'ours'],
] as const) {
  for (const diskless of ['yes', 'no']) {
    test(`${masterKind} master -> ${replicaKind} replica (repl-diskless-sync ${diskless}): full sync, then the stream`, async () => {
      const master = await node(masterKind, ['--repl-diskless-sync', diskless]);
      await randomWrites(master, 400, 1);
      const r = await replica(replicaKind, master);
      await randomWrites(master, 1500, 2, [r]);
      await expireShortKeys(master);
      await waitInSync(master, [r]);
      await assertSameData([master, r]);
      // Same history, same position (the master's PINGs may move it: compare until they agree).
      await waitFor('same replid and offset', async () => {
        const [m, s] = [await master.info(), await r.info()];
        return s.get('master_replid') === m.get('master_replid') && s.get('master_repl_offset') === m.get('master_repl_offset');
      });
      const m = await master.info();
      assert.equal((await master.info('stats')).get('sync_full'), '1');
      assert.match(m.get('slave0') ?? '', new RegExp(`^ip=127\\.0\\.0\\.1,port=${r.port},state=online,offset=\\d+,lag=\\d+$`));
      assert.deepEqual(await r.client.call('SET', 'k', 'v'), { error: "READONLY You can't write against a read only replica." });
      await stopNode(r);
      await stopNode(master);
    });
  }
}

for (const masterKind of ['redis', 'ours'] as const) {
  for (const load of ['swapdb', 'on-empty-db']) {
    test(`ours replica with repl-diskless-load ${load} parses the RDB of a ${masterKind} master off the socket`, async () => {
      const master = await node(masterKind);
      await randomWrites(master, 400, 5);
      const r = await replica('ours', master, ['--repl-diskless-load', load]);
      assert.match(r.server.output(), /MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to parser/);
      await randomWrites(master, 500, 6, [r]);
      await expireShortKeys(master);
      await waitInSync(master, [r]);
      await assertSameData([master, r]);
    });
  }
}

test('chains forward the exact stream: redis -> ours -> redis -> ours share replid, offsets and data', async () => {
  const top = await node('redis');
  const a = await replica('ours', top);
  const b = await replica('redis', a);
  const c = await replica('ours', b);
  await randomWrites(top, 2000, 3, [a, b, c]);
  await expireShortKeys(top);
  await waitFor('chain in sync', async () => {
    const offsets = await Promise.all([top, a, b, c].map(async (n) => (await n.info()).get('master_repl_offset')));
    return offsets.every((o) => o === offsets[0]);
  });
  await assertSameData([top, a, b, c]);
  const ids = await Promise.all([top, a, b, c].map(async (n) => (await n.info()).get('master_replid')));
  assert.deepEqual(new Set(ids).size, 1, 'one replication id along the chain');
});

test('values and transactions bigger than a socket read cross a chain intact: redis -> ours -> ours -> redis', async () => {
  // The middle replicas receive these in many reads (64 KB each) and hand the applied bytes on to
  // their own replicas piece by piece; a MULTI is held back until its EXEC arrives.
  const top = await node('redis');
  const a = await replica('ours', top);
  const b = await replica('ours', a);
  const c = await replica('redis', b);
  const big = (seed: number, bytes: number) => Buffer.alloc(bytes, `${seed}:abcdefghijklmnopqrstuvwxyz0123456789`);
  await top.ok('SET', 'big:1', big(1, 3_000_000));
  await top.client.pipeline([
    ['MULTI'],
    ['SET', 'big:2', big(2, 2_000_000)],
    ['INCR', 'counter'],
    ['RPUSH', 'list', big(3, 700_000), 'small', big(4, 150_000)],
    ['APPEND', 'big:1', 'tail'],
    ['EXEC'],
  ]);
  await top.ok('HSET', 'hash', 'f', big(5, 1_000_001));
  await waitFor('chain in sync', async () => {
    const offsets = await Promise.all([top, a, b, c].map(async (n) => (await n.info()).get('master_repl_offset')));
    return offsets.every((o) => o === offsets[0]);
  });
  await assertSameData([top, a, b, c]);
  assert.equal(await b.ok('STRLEN', 'big:1'), 3_000_004);
  assert.equal(await c.ok('LLEN', 'list'), 3);
});

test('INFO replication lists the same fields in the same order as redis-server, in both roles', async () => {
  const ours = await node('ours');
  const redis = await node('redis');
  const sectionOf = async (n: Node) => infoFieldNames(String(await n.ok('INFO', 'replication')));
  assert.deepEqual(await sectionOf(ours), await sectionOf(redis), 'a master without replicas');
  // Both as replicas of a redis-server master that has min-replicas set.
  const redisMaster = await node('redis', ['--min-replicas-to-write', '1']);
  const bothOnline = async (master: Node) => {
    const info = await master.info();
    return info.get('slave0')?.includes('state=online') === true && info.get('slave1')?.includes('state=online') === true;
  };
  for (const n of [ours, redis]) await n.ok('REPLICAOF', '127.0.0.1', redisMaster.port);
  await waitFor('both online', () => bothOnline(redisMaster));
  assert.deepEqual(await sectionOf(ours), await sectionOf(redis), 'a linked replica');
  const redisMasterFields = await sectionOf(redisMaster);
  // The same two replicas attached to our master with the same settings.
  const oursMaster = await node('ours', ['--min-replicas-to-write', '1']);
  for (const n of [ours, redis]) await n.ok('REPLICAOF', '127.0.0.1', oursMaster.port);
  await waitFor('both online with ours', () => bothOnline(oursMaster));
  assert.deepEqual(await sectionOf(oursMaster), redisMasterFields, 'a master with two replicas');
  // Replicas of a master that is gone: the link is down.
  await stopNode(oursMaster);
  await waitFor(
    'both down',
    async () => (await ours.info()).has('master_link_down_since_seconds') && (await redis.info()).has('master_link_down_since_seconds'),
  );
  assert.deepEqual(await sectionOf(ours), await sectionOf(redis), 'a replica whose link is down');
  for (const n of [ours, redis]) await n.ok('REPLICAOF', 'NO', 'ONE');
});

test('ROLE in both roles, as redis-server answers it', async () => {
  const master = await node('ours');
  const r = await replica('redis', master);
  await master.ok('SET', 'x', '1');
  await waitInSync(master, [r]);
  // The replica acknowledges every second; the master's PINGs move the offset meanwhile.
  let role: [Buffer, number, Buffer[][]] = [Buffer.alloc(0), 0, []];
  await waitFor('the replica acknowledged everything', async () => {
    role = (await master.ok('ROLE')) as typeof role;
    return String(role[2][0]?.[2]) === String(role[1]);
  });
  assert.equal(String(role[0]), 'master');
  assert.equal(role[1], Number((await master.info()).get('master_repl_offset')));
  assert.deepEqual(
    role[2].map((e) => e.map(String)),
    [['127.0.0.1', String(r.port), String(role[1])]],
  );
  const ours = await replica('ours', master);
  const replicaRole = (await ours.ok('ROLE')) as [Buffer, Buffer, number, Buffer, number];
  assert.deepEqual(replicaRole.map((x) => (Buffer.isBuffer(x) ? String(x) : x)).slice(0, 4), [
    'slave',
    '127.0.0.1',
    master.port,
    'connected',
  ]);
  const theirs = (await r.ok('ROLE')) as unknown[];
  assert.equal(theirs.length, replicaRole.length);
});

test('redis-cli --replica against our node shows the full sync and then the live stream', async () => {
  const master = await node('ours');
  await master.ok('SET', 'before', '1');
  // stdbuf: redis-cli's stdout is a pipe here, which C would otherwise buffer until exit.
  const cli = spawn('stdbuf', ['-oL', 'redis-cli', '-h', '127.0.0.1', '-p', String(master.port), '--replica'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  // Its progress lines go to stderr, the commands to stdout.
  cli.stdout.on('data', (d) => (out += d));
  cli.stderr.on('data', (d) => (out += d));
  try {
    await waitFor('sync done', () => out.includes('SYNC done'));
    await master.ok('SET', 'live', 'value');
    await waitFor('stream shown', () => out.includes('"SET","live","value"'));
    // A write in another database comes after a SELECT. (The first command after the sync is
    // not shown: redis-cli takes it as the reply to its REPLCONF ACK, with redis-server too.)
    await master.client.pipeline([
      ['SELECT', 5],
      ['SET', 'in5', 'x'],
      ['SELECT', 0],
    ]);
    await waitFor('SELECT shown', () => out.includes('"SELECT","5"\n"SET","in5","x"'));
    assert.equal((await master.info()).get('connected_slaves'), '1');
  } finally {
    cli.kill();
  }
});
