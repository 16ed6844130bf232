// A master restarted from its own RDB keeps its replication history (Redis 7.0's loadDataFromDisk):
// the repl-id and repl-offset the RDB recorded become its replid2 and offset, under a new replid,
// so its replicas continue with +CONTINUE instead of copying the dataset again. Keys that expired
// while it was down are not loaded; their DELs enter its stream right after the RDB's offset, so
// the replicas drop them too, unless they are more than the backlog holds: then the replica is
// told to sync in full. DEBUG RELOAD changes none of this. Each case runs on our master and on
// Debian's redis-server, with replicas of both kinds, and is compared on what a user sees: INFO
// replication and stats, the log lines, and DEBUG DIGEST.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../support/servers.js';
import {
  assertSameData,
  expireShortKeys,
  nodesForFile,
  randomWrites,
  startNode,
  startReplica,
  waitFor,
  waitInSync,
  type Kind,
  type Node,
} from '../../support/replication.js';

const { track, stop: stopNode } = nodesForFile();
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** No PING in the stream (it would move the offset between the save and the checks). */
const MASTER_ARGS = ['--repl-ping-replica-period', '3600', '--save', '3600 1'];

const KINDS: Array<[Kind, Kind]> = [
  ['ours', 'ours'],
  ['ours', 'redis'],
  ['redis', 'ours'],
  ['redis', 'redis'],
];

async function stats(node: Node): Promise<{ full: number; ok: number; err: number }> {
  const s = await node.info('stats');
  return { full: Number(s.get('sync_full')), ok: Number(s.get('sync_partial_ok')), err: Number(s.get('sync_partial_err')) };
}

function count(text: string, pattern: RegExp): number {
  return text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
}

/**
 * Stops `master` the way `how` says (both save: SHUTDOWN, and SIGTERM with a save point), then
 * starts it again on the same port from the same directory. Returns the new node and the offset
 * its RDB recorded, read from the replica while the master is down (SHUTDOWN may add a REPLCONF
 * GETACK to the stream before the final save).
 */
async function restart(master: Node, replica: Node, how: 'SHUTDOWN' | 'SIGTERM', dir: string): Promise<{ master: Node; saved: number }> {
  const port = master.port;
  if (how === 'SHUTDOWN') await master.client.call('SHUTDOWN').catch(() => {});
  await stopNode(master); // SIGTERM, or, after SHUTDOWN, waits for the exit
  await waitFor('replica sees its master gone', async () => (await replica.info()).get('master_link_status') === 'down');
  const saved = Number((await replica.info()).get('master_repl_offset'));
  const restarted = track(await startNode(master.kind, MASTER_ARGS, { dir, port }));
  await waitFor('replica linked again', async () => (await replica.info()).get('master_link_status') === 'up', 20000);
  return { master: restarted, saved };
}

/** What both logs say after the `restarts`-th restart (ours and redis-server print the same lines). */
function assertContinuedLog(master: Node, replica: Node, restarts: number, newReplid: string, from: number, bytes: number): void {
  // The restarted master's own log starts at its restart: one PSYNC, accepted.
  const log = master.server.output();
  assert.equal(count(log, /Partial resynchronization request from /), 1, log);
  assert.match(
    log,
    new RegExp(
      `Partial resynchronization request from 127\\.0\\.0\\.1:${replica.port} accepted\\. Sending ${bytes} bytes of backlog starting from offset ${from}\\.`,
    ),
  );
  assert.equal(count(log, /Starting BGSAVE for SYNC/), 0, 'no full sync');
  const out = replica.server.output();
  assert.equal(count(out, /Successful partial resynchronization with master\./), restarts, out);
  assert.match(out, new RegExp(`Master replication ID changed to ${newReplid}`));
}

for (const [masterKind, replicaKind] of KINDS) {
  test(`${masterKind} master restarted from its RDB (empty, with data, with keys that expired meanwhile): its ${replicaKind} replica continues with +CONTINUE`, async () => {
    const dir = tempDir('replicalab-master-');
    dirs.push(dir);
    let master = track(await startNode(masterKind, MASTER_ARGS, { dir }));
    const replica = track(await startReplica(replicaKind, master));

    // 1. Nothing written yet: offset 0 is a position like any other.
    await waitInSync(master, [replica]);
    let replid = (await master.info()).get('master_replid')!;
    let saved: number;
    ({ master, saved } = await restart(master, replica, 'SHUTDOWN', dir));
    let info = await master.info();
    assert.equal(saved, 0);
    assert.notEqual(info.get('master_replid'), replid);
    assert.equal(info.get('master_replid2'), replid);
    assert.equal(info.get('master_repl_offset'), '0');
    assert.equal(info.get('second_repl_offset'), '1');
    assert.equal(info.get('repl_backlog_active'), '1');
    assert.equal(info.get('repl_backlog_first_byte_offset'), '1');
    assert.equal(info.get('repl_backlog_histlen'), '0');
    assert.deepEqual(await stats(master), { full: 0, ok: 1, err: 0 });
    assertContinuedLog(master, replica, 1, info.get('master_replid')!, 1, 0);

    // 2. With data, stopped by SIGTERM (which saves, as there is a save point).
    await randomWrites(master, 300, 51, [replica]);
    await expireShortKeys(master); // none may expire while it is down: that is case 3
    await waitInSync(master, [replica]);
    replid = info.get('master_replid')!;
    ({ master, saved } = await restart(master, replica, 'SIGTERM', dir));
    info = await master.info();
    assert.ok(saved > 0);
    assert.equal(info.get('master_replid2'), replid);
    assert.equal(info.get('master_repl_offset'), String(saved));
    assert.equal(info.get('second_repl_offset'), String(saved + 1));
    assert.deepEqual(await stats(master), { full: 0, ok: 1, err: 0 });
    assertContinuedLog(master, replica, 2, info.get('master_replid')!, saved + 1, 0);
    await assertSameData([master, replica]);

    // 3. Keys that expire while the master is down: it does not load them, and the DELs it puts
    // in its stream reach the replica, which still had them, through the +CONTINUE.
    await master.ok('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    const expiring: Array<Array<string | number>> = [];
    for (let j = 0; j < 200; j++) expiring.push(['SELECT', j % 16], ['SET', `exp:${j}`, 'v', 'PX', 10]);
    await master.client.pipeline([...expiring, ['SELECT', 0]]);
    await new Promise((r) => setTimeout(r, 30));
    await waitInSync(master, [replica]);
    replid = info.get('master_replid')!;
    ({ master, saved } = await restart(master, replica, 'SHUTDOWN', dir));
    info = await master.info();
    const histlen = Number(info.get('repl_backlog_histlen'));
    assert.ok(histlen > 200 * 20, `the DELs are in the backlog (${histlen} bytes)`);
    assert.equal((await master.info('persistence')).get('rdb_last_load_keys_expired'), '200');
    assert.equal(info.get('master_replid2'), replid);
    assert.equal(info.get('second_repl_offset'), String(saved + 1));
    assert.equal(info.get('repl_backlog_first_byte_offset'), String(saved + 1));
    assert.equal(info.get('master_repl_offset'), String(saved + histlen));
    assert.deepEqual(await stats(master), { full: 0, ok: 1, err: 0 });
    await waitInSync(master, [replica]);
    assertContinuedLog(master, replica, 3, info.get('master_replid')!, saved + 1, histlen);
    // The replica deleted them (not just hides them): its key count is the master's.
    const keys = async (n: Node) => /keys=\d+/.exec((await n.info('keyspace')).get('db1') ?? '')?.[0];
    assert.equal(await keys(replica), await keys(master));
    await assertSameData([master, replica]);
    await stopNode(replica);
    await stopNode(master);
  });
}

for (const [masterKind, replicaKind] of KINDS) {
  test(`${masterKind} master restarted with more expired keys than its backlog holds: its ${replicaKind} replica syncs in full`, async () => {
    const dir = tempDir('replicalab-master-');
    dirs.push(dir);
    const args = ['--repl-backlog-size', '16384'];
    let master = track(await startNode(masterKind, [...MASTER_ARGS, ...args], { dir }));
    const replica = track(await startReplica(replicaKind, master));
    await master.ok('SET', 'stays', 'here');
    await master.ok('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    const expiring: Array<Array<string | number>> = [];
    for (let j = 0; j < 2048; j++) expiring.push(['SELECT', j % 16], ['SET', `exp:${j}`, 'v', 'PX', 10]);
    await master.client.pipeline([...expiring, ['SELECT', 0]]);
    await new Promise((r) => setTimeout(r, 30));
    await waitInSync(master, [replica]);
    await master.client.call('SHUTDOWN').catch(() => {});
    await stopNode(master);
    master = track(await startNode(masterKind, [...MASTER_ARGS, ...args], { dir, port: master.port }));
    await waitInSync(master, [replica]);

    const info = await master.info();
    assert.ok(Number(info.get('repl_backlog_first_byte_offset')) > Number(info.get('second_repl_offset')), 'the backlog lost its head');
    assert.equal((await master.info('persistence')).get('rdb_last_load_keys_expired'), '2048');
    assert.deepEqual(await stats(master), { full: 1, ok: 0, err: 1 });
    // The replica tried to continue, was refused, and loaded the master's RDB a second time.
    assert.equal(count(replica.server.output(), /Trying a partial resynchronization/), 1);
    assert.equal(count(replica.server.output(), /Full resync from master: /), 2);
    assert.match(
      master.server.output(),
      /Unable to partial resync with replica 127\.0\.0\.1:\d+ for lack of backlog \(Replica request was: \d+\)\./,
    );
    await assertSameData([master, replica]);
    await stopNode(replica);
    await stopNode(master);
  });
}

for (const kind of ['ours', 'redis'] as const) {
  test(`DEBUG RELOAD on a ${kind} master keeps its replid, offset and replica link`, async () => {
    const master = track(await startNode(kind, MASTER_ARGS));
    const replica = track(await startReplica(kind === 'ours' ? 'redis' : 'ours', master));
    await randomWrites(master, 200, 61, [replica]);
    // A master's DEBUG RELOAD drops keys whose TTL passed without a DEL for its replicas (rdbLoad
    // without RDBFLAGS_FEED_REPL): none may be left for it to drop.
    await expireShortKeys(master);
    await waitInSync(master, [replica]);
    const before = await master.info();
    assert.equal(await master.ok('DEBUG', 'RELOAD'), 'OK');
    const after = await master.info();
    for (const field of ['master_replid', 'master_replid2', 'master_repl_offset', 'second_repl_offset', 'connected_slaves']) {
      assert.equal(after.get(field), before.get(field), field);
    }
    assert.equal(count(master.server.output(), /DB reloaded by DEBUG RELOAD/), 1);
    await randomWrites(master, 100, 62, [replica]);
    await expireShortKeys(master);
    await waitInSync(master, [replica]);
    assert.deepEqual(await stats(master), { full: 1, ok: 0, err: 0 });
    await assertSameData([master, replica]);
    await stopNode(replica);
    await stopNode(master);
  });
}

/** What INFO replication says after a restart of `kind` from `dir` that `prepare` left behind. */
async function afterRestart(kind: Kind, args: string[], prepare: (master: Node) => Promise<void>): Promise<Map<string, string>> {
  const dir = tempDir('replicalab-master-');
  dirs.push(dir);
  const master = track(await startNode(kind, args, { dir }));
  await prepare(master);
  await stopNode(master);
  const restarted = track(await startNode(kind, args, { dir, port: master.port }));
  const info = await restarted.info();
  await stopNode(restarted);
  return info;
}

test('an RDB saved without a backlog records no history: the DELs of expired keys still move the offset, as in redis-server', async () => {
  const fields = ['master_repl_offset', 'master_replid2', 'second_repl_offset', 'repl_backlog_active'];
  const results = [];
  for (const kind of ['ours', 'redis'] as const) {
    const info = await afterRestart(kind, MASTER_ARGS, async (master) => {
      await master.ok('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
      await master.client.pipeline(Array.from({ length: 10 }, (_, j) => ['SET', `exp:${j}`, 'v', 'PX', 10]));
      await new Promise((r) => setTimeout(r, 30));
    });
    results.push(Object.fromEntries(fields.map((f) => [f, info.get(f)])));
  }
  // loadDataFromDisk frees the backlog the DELs went to, but master_repl_offset keeps their bytes.
  assert.deepEqual(results[0], results[1]);
  assert.deepEqual(results[0], {
    master_repl_offset: '263',
    master_replid2: '0'.repeat(40),
    second_repl_offset: '-1',
    repl_backlog_active: '0',
  });
});

for (const [masterKind, replicaKind] of [
  ['ours', 'redis'],
  ['redis', 'ours'],
] as Array<[Kind, Kind]>) {
  test(`${masterKind} master restarted from its AOF (appendonly yes) starts a new history: its ${replicaKind} replica syncs in full`, async () => {
    // Redis 7.0's loadDataFromDisk restores replication info from an RDB only, not from an AOF.
    const dir = tempDir('replicalab-master-');
    dirs.push(dir);
    const args = ['--repl-ping-replica-period', '3600', '--appendonly', 'yes'];
    let master = track(await startNode(masterKind, args, { dir }));
    const replica = track(await startReplica(replicaKind, master));
    await randomWrites(master, 200, 71, [replica]);
    // A base rewritten while the replica is attached, then more writes in the incr file: the
    // base records no replication position (rdbSaveRio without rdbSaveInfo), and nothing in
    // the AOF is used as one.
    await master.ok('BGREWRITEAOF');
    await waitFor('rewrite done', async () => (await master.info('persistence')).get('aof_rewrite_in_progress') === '0');
    await waitFor('rewrite done', async () => (await master.info('persistence')).get('aof_rewrite_scheduled') === '0');
    const bases = readdirSync(join(dir, 'appendonlydir')).filter((f) => f.endsWith('.base.rdb'));
    assert.ok(bases.length > 0);
    for (const base of bases) assert.equal(readFileSync(join(dir, 'appendonlydir', base)).includes('repl-id'), false, `repl-id in ${base}`);
    await randomWrites(master, 200, 72, [replica]);
    await expireShortKeys(master);
    await waitInSync(master, [replica]);
    await stopNode(master);
    master = track(await startNode(masterKind, args, { dir, port: master.port }));
    await waitInSync(master, [replica]);
    const info = await master.info();
    assert.equal(info.get('master_replid2'), '0'.repeat(40));
    assert.deepEqual(await stats(master), { full: 1, ok: 0, err: 1 });
    await assertSameData([master, replica]);
    await stopNode(replica);
    await stopNode(master);
  });
}

for (const [masterKind, replicaKind] of [
  ['ours', 'redis'],
  ['redis', 'ours'],
] as Array<[Kind, Kind]>) {
  test(`${masterKind} master with lazyfree-lazy-expire: the keys that expired while it was down reach its ${replicaKind} replica as UNLINK`, async () => {
    const dir = tempDir('replicalab-master-');
    dirs.push(dir);
    const args = [...MASTER_ARGS, '--lazyfree-lazy-expire', 'yes'];
    let master = track(await startNode(masterKind, args, { dir }));
    const replica = track(await startReplica(replicaKind, master));
    await master.ok('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    await master.client.pipeline(Array.from({ length: 20 }, (_, j) => ['SET', `exp:${j}`, 'v', 'PX', 10]));
    await new Promise((r) => setTimeout(r, 30));
    await waitInSync(master, [replica]);
    await replica.ok('CONFIG', 'RESETSTAT');
    await stopNode(master);
    master = track(await startNode(masterKind, args, { dir, port: master.port }));
    await waitInSync(master, [replica]);
    assert.deepEqual(await stats(master), { full: 0, ok: 1, err: 0 });
    const commandstats = await replica.info('commandstats');
    assert.match(commandstats.get('cmdstat_unlink') ?? '', /^calls=20,/);
    assert.equal(commandstats.get('cmdstat_del'), undefined);
    assert.equal((await replica.info('keyspace')).get('db0'), undefined, 'the replica deleted them all');
    await stopNode(replica);
    await stopNode(master);
  });
}

for (const [top, middle, leaf] of [
  ['ours', 'redis', 'ours'],
  ['redis', 'ours', 'redis'],
] as Array<[Kind, Kind, Kind]>) {
  test(`a chain ${top} -> ${middle} -> ${leaf}: after the top restarts, both below continue with +CONTINUE`, async () => {
    const dir = tempDir('replicalab-master-');
    dirs.push(dir);
    let master = track(await startNode(top, MASTER_ARGS, { dir }));
    const replica = track(await startReplica(middle, master));
    const subReplica = track(await startReplica(leaf, replica));
    await randomWrites(master, 300, 81, [replica, subReplica]);
    await expireShortKeys(master);
    await waitInSync(master, [replica]);
    await waitInSync(replica, [subReplica]);
    const replid = (await master.info()).get('master_replid');
    await stopNode(master);
    master = track(await startNode(top, MASTER_ARGS, { dir, port: master.port }));
    await waitInSync(master, [replica]);
    await waitInSync(replica, [subReplica]);
    const info = await master.info();
    assert.equal(info.get('master_replid2'), replid);
    // The middle node learns the new replid from +CONTINUE and makes its replica reconnect, which
    // continues too (replicationCron's "Master replication ID changed" path): no full sync anywhere.
    assert.deepEqual(await stats(master), { full: 0, ok: 1, err: 0 });
    assert.deepEqual(await stats(replica), { full: 1, ok: 1, err: 0 });
    assert.equal((await subReplica.info()).get('master_replid'), info.get('master_replid'));
    await randomWrites(master, 100, 82, [replica, subReplica]);
    await expireShortKeys(master);
    await waitInSync(master, [replica]);
    await waitInSync(replica, [subReplica]);
    await assertSameData([master, replica, subReplica]);
  });
}
