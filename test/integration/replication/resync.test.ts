// Partial resynchronization: after a dropped link, a restart, or a promotion, a replica continues
// from the backlog (+CONTINUE) instead of copying the whole dataset again — and when the backlog
// no longer covers what it missed, it falls back to a full sync. Each case is checked the way a
// user would: the master's sync_full / sync_partial_ok / sync_partial_err counters, its log lines,
// and the same DEBUG DIGEST everywhere.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { tempDir } from '../../support/servers.js';
import {
  nodesForFile,
  assertSameData,
  commonCommands,
  expireShortKeys,
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

async function syncStats(node: Node): Promise<{ full: number; ok: number; err: number }> {
  const stats = await node.info('stats');
  return { full: Number(stats.get('sync_full')), ok: Number(stats.get('sync_partial_ok')), err: Number(stats.get('sync_partial_err')) };
}

const KINDS: Array<[Kind, Kind]> = [
  ['ours', 'redis'],
  ['redis', 'ours'],
  ['ours', 'ours'],
];

for (const [masterKind, replicaKind] of KINDS) {
  test(`${replicaKind} replica of ${masterKind}: CLIENT KILL TYPE master is followed by a partial resync`, async () => {
    const master = track(await startNode(masterKind));
    await randomWrites(master, 300, 11);
    const replica = track(await startReplica(replicaKind, master));
    await randomWrites(master, 300, 12, [replica]);
    await waitInSync(master, [replica]);
    await replica.ok('CLIENT', 'KILL', 'TYPE', 'master');
    await randomWrites(master, 300, 13, [replica]);
    await expireShortKeys(master);
    await waitInSync(master, [replica]);
    assert.deepEqual(await syncStats(master), { full: 1, ok: 1, err: 0 });
    await assertSameData([master, replica]);
    if (masterKind === 'ours') {
      assert.match(
        master.server.output(),
        new RegExp(
          `Partial resynchronization request from 127\\.0\\.0\\.1:${replica.port} accepted\\. Sending \\d+ bytes of backlog starting from offset \\d+\\.`,
        ),
      );
    }
    if (replicaKind === 'ours') {
      assert.match(replica.server.output(), /Trying a partial resynchronization \(request [0-9a-f]{40}:\d+\)\./);
      assert.match(replica.server.output(), /MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization\./);
    }
    await stopNode(replica);
    await stopNode(master);
  });
}

for (const [masterKind, replicaKind] of KINDS) {
  test(`${replicaKind} replica of ${masterKind} restarted from its RDB resumes with a partial resync; too far behind, with a full one`, async () => {
    const master = track(await startNode(masterKind, ['--repl-backlog-size', '64kb']));
    const dir = tempDir('replicalab-replica-');
    dirs.push(dir);
    const args = ['--replicaof', `127.0.0.1 ${master.port}`, '--save', '3600 1', '--dbfilename', 'replica.rdb'];
    let replica = track(await startNode(replicaKind, args, { dir }));
    await waitFor('linked', async () => (await replica.info()).get('master_link_status') === 'up');
    const commands = await commonCommands([master, replica]);
    await randomWrites(master, 300, 21, commands);
    await waitInSync(master, [replica]);
    const port = replica.port;

    // A short absence: the backlog still holds what it missed.
    await stopNode(replica);
    await randomWrites(master, 100, 22, commands);
    replica = track(await startNode(replicaKind, args, { dir, port }));
    await waitInSync(master, [replica]);
    assert.deepEqual(await syncStats(master), { full: 1, ok: 1, err: 0 });
    await expireShortKeys(master);
    await waitInSync(master, [replica]);
    await assertSameData([master, replica]);

    // A long one: more than the 64 KB backlog was written meanwhile.
    await stopNode(replica);
    for (let i = 0; i < 40; i++) await master.ok('SET', `filler:${i}`, 'x'.repeat(4000));
    replica = track(await startNode(replicaKind, args, { dir, port }));
    await waitInSync(master, [replica]);
    assert.deepEqual(await syncStats(master), { full: 2, ok: 1, err: 1 });
    await assertSameData([master, replica]);
    if (masterKind === 'ours')
      assert.match(
        master.server.output(),
        /Unable to partial resync with replica 127\.0\.0\.1:\d+ for lack of backlog \(Replica request was: \d+\)\./,
      );
    await stopNode(replica);
    await stopNode(master);
  });
}

for (const promotedKind of ['ours', 'redis'] as const) {
  test(`promoting a ${promotedKind} replica: the old master and a sibling continue from it with PSYNC2 (replid2)`, async () => {
    // No PING from the old master between the promotion and its own switch: that would move its
    // offset past what the promoted node can serve (Redis's FAILOVER pauses writes for this).
    const master = track(await startNode('ours', ['--repl-ping-replica-period', '3600']));
    const promoted = track(await startReplica(promotedKind, master));
    const sibling = track(await startReplica(promotedKind === 'ours' ? 'redis' : 'ours', master));
    await randomWrites(master, 500, 31, [promoted, sibling]);
    await expireShortKeys(master);
    await waitInSync(master, [promoted, sibling]);
    const before = await master.info();

    await promoted.ok('REPLICAOF', 'NO', 'ONE');
    const info = await promoted.info();
    assert.equal(info.get('role'), 'master');
    assert.equal(info.get('master_replid2'), before.get('master_replid'));
    assert.equal(info.get('second_repl_offset'), String(Number(before.get('master_repl_offset')) + 1));
    assert.notEqual(info.get('master_replid'), before.get('master_replid'));

    await sibling.ok('REPLICAOF', '127.0.0.1', promoted.port);
    await master.ok('REPLICAOF', '127.0.0.1', promoted.port);
    await waitFor(
      'both follow the promoted node',
      async () => (await master.info()).get('master_link_status') === 'up' && (await sibling.info()).get('master_link_status') === 'up',
    );
    await randomWrites(promoted, 300, 32, [master, sibling]);
    await expireShortKeys(promoted);
    await waitInSync(promoted, [master, sibling]);
    const stats = await syncStats(promoted);
    assert.equal(stats.ok, 2, 'both continued with +CONTINUE');
    assert.equal(stats.full, 0);
    await assertSameData([promoted, master, sibling]);
    for (const n of [sibling, promoted, master]) await stopNode(n);
  });
}

test('a chained replica keeps its place when the middle node reconnects to the top', async () => {
  const top = track(await startNode('redis'));
  const middle = track(await startReplica('ours', top));
  const leaf = track(await startReplica('redis', middle));
  await randomWrites(top, 300, 41, [middle, leaf]);
  await waitInSync(top, [middle]);
  await waitInSync(middle, [leaf]);
  await middle.ok('CLIENT', 'KILL', 'TYPE', 'master');
  await randomWrites(top, 300, 42, [middle, leaf]);
  await expireShortKeys(top);
  await waitInSync(top, [middle]);
  await waitInSync(middle, [leaf]);
  assert.deepEqual(await syncStats(top), { full: 1, ok: 1, err: 0 });
  assert.deepEqual(await syncStats(middle), { full: 1, ok: 0, err: 0 }, 'the leaf never had to resync');
  await assertSameData([top, middle, leaf]);
});

test('a replica moved to a master with another history flushes its data and syncs in full', async () => {
  const first = track(await startNode('redis'));
  const second = track(await startNode('ours'));
  await first.ok('SET', 'only-in-first', '1');
  await second.ok('SET', 'only-in-second', '2');
  const replica = track(await startReplica('ours', first));
  await replica.ok('REPLICAOF', '127.0.0.1', String(second.port));
  await waitFor(
    'linked to the second',
    async () =>
      (await replica.info()).get('master_port') === String(second.port) && (await replica.info()).get('master_link_status') === 'up',
  );
  assert.equal(await replica.client.call('GET', 'only-in-first'), null);
  assert.equal(String(await replica.client.call('GET', 'only-in-second')), '2');
  assert.deepEqual(await syncStats(second), { full: 1, ok: 0, err: 1 });
  assert.match(replica.server.output(), /Partial resynchronization not possible|Trying a partial resynchronization/);
});

test('repl-backlog-ttl: a master left without replicas frees its backlog and starts a new history', async () => {
  const master = track(await startNode('ours', ['--repl-backlog-ttl', '1']));
  const replica = track(await startReplica('redis', master));
  const replid = (await master.info()).get('master_replid');
  assert.equal((await master.info()).get('repl_backlog_active'), '1');
  await stopNode(replica);
  await waitFor('backlog freed', async () => (await master.info()).get('repl_backlog_active') === '0', 10000);
  assert.notEqual((await master.info()).get('master_replid'), replid);
  assert.match(master.server.output(), /Replication backlog freed after 1 seconds without connected replicas\./);
});

/**
 * After each full sync a replica with appendonly yes rewrites its AOF; until that is in place
 * redis-server refuses to exit ("Writing initial AOF, can't exit."), so a SIGTERM then is lost.
 */
async function initialAofWritten(replica: Node): Promise<void> {
  if (replica.kind !== 'redis') return;
  const count = (pattern: string) => replica.server.output().split(pattern).length - 1;
  await waitFor('initial AOF written', () => {
    const started = count('Background append only file rewriting started');
    return started > 0 && count('Background AOF rewrite finished successfully') === started;
  });
}

for (const [masterKind, replicaKind] of [
  ['redis', 'ours'],
  ['ours', 'redis'],
] as Array<[Kind, Kind]>) {
  test(`${replicaKind} replica with appendonly yes restarted: its AOF holds no position, it asks for a full sync (PSYNC ? -1)`, async () => {
    // loadDataFromDisk takes a replication position from an RDB only.
    const master = track(await startNode(masterKind));
    const dir = tempDir('replicalab-replica-');
    dirs.push(dir);
    const args = ['--replicaof', `127.0.0.1 ${master.port}`, '--appendonly', 'yes'];
    let replica = track(await startNode(replicaKind, args, { dir }));
    await randomWrites(master, 200, 91, await commonCommands([master, replica]));
    await expireShortKeys(master);
    await waitInSync(master, [replica]);
    await initialAofWritten(replica);
    const port = replica.port;
    await stopNode(replica);
    await master.ok('SET', 'while-away', '1');
    replica = track(await startNode(replicaKind, args, { dir, port }));
    await waitInSync(master, [replica]);
    assert.deepEqual(await syncStats(master), { full: 2, ok: 0, err: 0 });
    await assertSameData([master, replica]);
    await initialAofWritten(replica);
    await stopNode(replica);
    await stopNode(master);
  });
}
