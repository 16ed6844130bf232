// A disk too small for the AOF rewrite (a 1 MB tmpfs): each BGREWRITEAOF fails with Redis's line,
// opens a new incr file all the same (so no write is lost), reports err in INFO, and the node keeps
// serving and appending; after three failures in a row the automatic rewrite backs off (1 minute,
// then 2, 4, ... 60), opening no more files; the files and the lines match redis-server's. Mounting needs root (and
// permission to mount): where that is missing the test says so and skips.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDIS_SERVER_VERSION } from '../../support/differential.js';
import { nodesForFile, startNode, waitFor, type Kind } from '../../support/replication.js';

const nodes = nodesForFile();
const mounts: string[] = [];
after(() => {
  for (const dir of mounts) {
    spawnSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A fresh 1 MB tmpfs, or null where this process may not mount one. */
function smallDisk(): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'replicalab-tmpfs-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  mounts.push(dir);
  return dir;
}

test('a rewrite that runs out of disk fails as in redis-server, and writes keep going to the AOF', async (t) => {
  const results: unknown[] = [];
  for (const kind of ['ours', 'redis'] as Kind[]) {
    const dir = smallDisk();
    if (!dir) {
      t.skip('cannot mount a tmpfs here (needs root and permission to mount): skipped, not run');
      return;
    }
    const node = nodes.track(await startNode(kind, ['--appendonly', 'yes', '--aof-use-rdb-preamble', 'yes'], { dir }));
    // 3 MB in memory, none of it in the AOF (DEBUG POPULATE is not propagated): only a rewrite would write it.
    await node.ok('DEBUG', 'POPULATE', '30000', 'x', '100');
    for (let i = 0; i < 3; i++) {
      await node.ok('BGREWRITEAOF');
      await waitFor(`${kind} rewrite ${i} ends`, async () => (await node.info('persistence')).get('aof_rewrite_in_progress') === '0');
      await node.ok('SET', `after-${i}`, 'v');
    }
    // Three failures in a row: the cron's automatic rewrite is now held back (aofRewriteLimited),
    // saying so once, and opens no further incr file meanwhile.
    await node.ok('CONFIG', 'SET', 'auto-aof-rewrite-min-size', '0');
    await node.ok('CONFIG', 'SET', 'auto-aof-rewrite-percentage', '1');
    for (let i = 0; i < 100; i++) await node.ok('SET', `grow-${i}`, 'x'.repeat(200)); // a few % over the base
    await waitFor(`${kind} holds the automatic rewrite back`, () =>
      /triggered the limit, will retry in 1 minutes/.test(node.server.output()),
    );
    const filesWhenLimited = readdirSync(join(dir, 'appendonlydir')).sort();
    await new Promise((r) => setTimeout(r, 1500)); // more cron turns: no second line, no new file
    assert.deepEqual(readdirSync(join(dir, 'appendonlydir')).sort(), filesWhenLimited, kind);
    const info = await node.info('persistence');
    const log = node.server
      .output()
      .split('\n')
      .map((line) => line.replace(/^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ /, '').replace(/bg-\d+/, 'bg-PID'))
      .filter((line) => /rewrite|append only file|AOF|history|limit/.test(line) && !/started by pid|Fork CoW|on server start/.test(line));
    const manifest = readFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1');
    results.push({ files: readdirSync(join(dir, 'appendonlydir')).sort(), manifest, status: info.get('aof_last_bgrewrite_status'), log });
    assert.ok(log.includes('# Write error writing append only file on disk: No space left on device'), `${kind}: a rewrite failed`);
    assert.equal(info.get('aof_last_bgrewrite_status'), 'err', kind);
    assert.equal(String(await node.ok('GET', 'after-2')), 'v');
    await nodes.stop(node);
  }
  assert.deepEqual(results[0], results[1], `ours, then redis-server ${REDIS_SERVER_VERSION}`);
});
