// kill -9 in the middle of the node's file work: a BGSAVE, an AOF rewrite, a full sync as master
// and as replica (disk-based and diskless). Each node is our real `replica-lab-server` process,
// slowed with the hidden debug directives (rdb-key-save-delay, key-load-delay) so the kill lands
// while the work runs. After the restart on the same directory the files must be valid (the node
// starts and loads without error; a temp file left behind is never taken as the real one; the AOF
// manifest names only files that exist) and the data must be consistent:
//   - RDB only: exactly the dataset of the last completed save;
//   - AOF with appendfsync always: every write that was acknowledged is there;
//   - a replica killed while loading a full sync: either its old dataset or the master's whole
//     snapshot, never a part of it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../support/servers.js';
import { digest, nodesForFile, startNode, waitFor, type Node } from '../../support/replication.js';

const { track, stop } = nodesForFile();
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function newDir(): string {
  const dir = tempDir('replicalab-kill-');
  dirs.push(dir);
  return dir;
}

/** Writes keys `prefix:from` .. `prefix:to-1` in pipelines of 500 (each one acknowledged). */
async function writeKeys(node: Node, prefix: string, from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += 500) {
    const batch: string[][] = [];
    for (let i = start; i < Math.min(to, start + 500); i++) batch.push(['SET', `${prefix}:${i}`, `value-${i}`]);
    const replies = await node.client.pipeline(batch);
    for (const r of replies) assert.equal(r, 'OK');
  }
}

async function dbsize(node: Node): Promise<number> {
  return Number(await node.ok('DBSIZE'));
}

/** SIGKILL, as the kernel's OOM killer or `kill -9` would: no shutdown step runs. */
async function killNow(node: Node): Promise<void> {
  node.server.proc.kill('SIGKILL');
  await stop(node);
}

function files(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** Every file the AOF manifest names exists, and no temp file is named in it. */
function assertManifestConsistent(dir: string): string[] {
  const aofDir = join(dir, 'appendonlydir');
  const manifestName = readdirSync(aofDir).find((f) => f.endsWith('.manifest'));
  assert.ok(manifestName, `a manifest in ${readdirSync(aofDir).join(', ')}`);
  const named = readFileSync(join(aofDir, manifestName), 'latin1')
    .split('\n')
    .filter(Boolean)
    .map((line) => /^file (\S+) /.exec(line)?.[1]);
  for (const name of named) {
    assert.ok(name, 'each manifest line names a file');
    assert.ok(!name.startsWith('temp-'), `the manifest names a temp file: ${name}`);
    assert.ok(existsSync(join(aofDir, name)), `the manifest names ${name}, which does not exist`);
  }
  return named as string[];
}

async function restart(dir: string, args: string[] = []): Promise<Node> {
  const node = track(await startNode('ours', args, { dir }));
  assert.doesNotMatch(node.server.output(), /Bad file format|Short read|Unexpected EOF|corrupt|Unrecoverable/i, node.server.output());
  return node;
}

test('kill -9 during BGSAVE: the restart loads the last completed save, not the temp file', async () => {
  const dir = newDir();
  const node = track(await startNode('ours', [], { dir }));
  await writeKeys(node, 'saved', 0, 3000);
  await node.ok('SAVE');
  await writeKeys(node, 'unsaved', 0, 3000);
  // 1 ms a key: the 6000-key snapshot takes about 6 s, the kill lands in the middle.
  await node.ok('CONFIG', 'SET', 'rdb-key-save-delay', '1000');
  await node.ok('BGSAVE');
  await waitFor('the temp file is being written', () => files(dir).some((f) => f.startsWith('temp-') && f.endsWith('.rdb')));
  assert.equal((await node.info('persistence')).get('rdb_bgsave_in_progress'), '1');
  await killNow(node);

  const again = await restart(dir);
  assert.equal(await dbsize(again), 3000, 'exactly the keys of the completed SAVE');
  assert.equal(String(await again.ok('GET', 'saved:2999')), 'value-2999');
  assert.equal(await again.ok('EXISTS', 'unsaved:0'), 0);
  // A new BGSAVE over the leftover temp file completes and the next restart loads it.
  await writeKeys(again, 'later', 0, 10);
  await again.ok('SAVE');
  await stop(again);
  const third = await restart(dir);
  assert.equal(await dbsize(third), 3010);
});

test('kill -9 during an AOF rewrite with appendfsync always: every acknowledged write survives', async () => {
  const dir = newDir();
  const args = ['--appendonly', 'yes', '--appendfsync', 'always'];
  const node = track(await startNode('ours', args, { dir }));
  await writeKeys(node, 'before', 0, 3000);
  // 3 ms a key: about 9 s of rewrite, ample for the writes below on a loaded machine.
  await node.ok('CONFIG', 'SET', 'rdb-key-save-delay', '3000');
  await node.ok('BGREWRITEAOF');
  await waitFor('the rewrite runs', async () => (await node.info('persistence')).get('aof_rewrite_in_progress') === '1');
  // Writes acknowledged while the rewrite runs go to the new INCR file.
  await writeKeys(node, 'during', 0, 1000);
  await node.ok('INCRBY', 'counter', 7);
  assert.equal((await node.info('persistence')).get('aof_rewrite_in_progress'), '1', 'the kill must land during the rewrite');
  await killNow(node);

  const before = assertManifestConsistent(dir);
  const again = await restart(dir, args);
  assert.equal(await dbsize(again), 4001, 'every acknowledged write');
  assert.equal(String(await again.ok('GET', 'during:999')), 'value-999');
  assert.equal(String(await again.ok('GET', 'counter')), '7');
  // The restarted node rewrites cleanly and still has everything after another restart.
  await again.ok('BGREWRITEAOF');
  await waitFor('the rewrite completes', async () => (await again.info('persistence')).get('aof_rewrite_in_progress') === '0', 30000);
  await again.ok('SET', 'after', 'x');
  await killNow(again);
  assert.notDeepEqual(assertManifestConsistent(dir), before, 'the new rewrite replaced the base');
  const third = await restart(dir, args);
  assert.equal(await dbsize(third), 4002);
});

for (const diskless of ['no', 'yes'] as const) {
  test(`kill -9 of a master during a full sync (repl-diskless-sync ${diskless}): restart is whole, the replica converges`, async () => {
    const dir = newDir();
    const args = ['--appendonly', 'yes', '--appendfsync', 'always', '--repl-diskless-sync', diskless];
    const master = track(await startNode('ours', args, { dir }));
    await writeKeys(master, 'k', 0, 4000);
    await master.ok('CONFIG', 'SET', 'rdb-key-save-delay', '1000');
    const replica = track(await startNode('ours', ['--replicaof', `127.0.0.1 ${master.port}`]));
    await waitFor('the full sync runs', async () => (await replica.info()).get('master_sync_in_progress') === '1');
    await writeKeys(master, 'during', 0, 200);
    await killNow(master);

    const again = track(await startNode('ours', args, { dir, port: master.port }));
    assert.doesNotMatch(again.server.output(), /Bad file format|Short read|corrupt/i);
    if (diskless === 'no') assertManifestConsistent(dir);
    assert.equal(await dbsize(again), 4200, 'every acknowledged write');
    await waitFor(
      'the replica syncs with the restarted master',
      async () => (await replica.info()).get('master_link_status') === 'up' && (await dbsize(replica)) === 4200,
      60000,
    ).catch(async (error: Error) => {
      const state = `replica: ${[...(await replica.info())].join(' ')} keys ${await dbsize(replica)}`;
      throw new Error(`${error.message}\n${state}\nreplica log:\n${replica.server.output()}\nmaster log:\n${again.server.output()}`);
    });
    assert.equal(await digest(replica), await digest(again));
  });

  test(`kill -9 of a replica while it loads a full sync (repl-diskless-sync ${diskless}): old data or the whole snapshot`, async () => {
    const master = track(await startNode('ours', ['--repl-diskless-sync', diskless]));
    await writeKeys(master, 'k', 0, 3000);
    const masterDigest = await digest(master);
    const dir = newDir();
    // The replica's previous dataset, saved: it must either keep it or take the whole snapshot.
    const replica = track(await startNode('ours', [], { dir }));
    await writeKeys(replica, 'old', 0, 50);
    await replica.ok('SAVE');
    const oldDigest = await digest(replica);
    await replica.ok('CONFIG', 'SET', 'key-load-delay', '1000');
    await replica.ok('REPLICAOF', '127.0.0.1', String(master.port));
    // While it loads, the node answers nothing (Redis serves events only every 2 MB loaded): its log says it.
    await waitFor('the replica loads the snapshot', () =>
      replica.server.output().includes('MASTER <-> REPLICA sync: Loading DB in memory'),
    );
    await killNow(replica);

    const leftovers = files(dir).filter((f) => f.startsWith('temp-'));
    const again = await restart(dir);
    const d = await digest(again);
    assert.ok(
      d === oldDigest || d === masterDigest,
      `the restarted replica holds a partial dataset (${await dbsize(again)} keys; leftovers ${leftovers.join(', ')})`,
    );
    await again.ok('REPLICAOF', '127.0.0.1', String(master.port));
    await waitFor('the restarted replica syncs', async () => (await again.info()).get('master_link_status') === 'up', 60000);
    await waitFor('same data', async () => (await digest(again)) === masterDigest, 30000);
  });
}
