// A BGSAVE (or AOF rewrite) in progress shows in INFO persistence as Redis's fork child reports it:
// the keys to write (current_save_keys_total, the dataset's size when it started), the keys
// written so far and the percentage; all back to 0 when it ends. FLUSHALL stops a running BGSAVE.
// rdb-key-save-delay makes the save last long enough to watch, as Redis's own tests do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodesForFile, startNode, waitFor, type Kind } from '../../support/replication.js';

const nodes = nodesForFile();

for (const kind of ['ours', 'redis'] as Kind[]) {
  test(`${kind}: INFO persistence follows a slow BGSAVE, and FLUSHALL stops one`, async () => {
    const node = nodes.track(await startNode(kind));
    await node.ok('DEBUG', 'POPULATE', '200');
    assert.equal((await node.info('persistence')).get('rdb_changes_since_last_save'), '0', 'DEBUG POPULATE counts no change');
    await node.ok('CONFIG', 'SET', 'rdb-key-save-delay', '5000'); // 5 ms a key: 1 s for 200
    await node.ok('BGSAVE');
    const during = await node.info('persistence');
    assert.equal(during.get('rdb_bgsave_in_progress'), '1');
    assert.equal(during.get('current_save_keys_total'), '200');
    const processed = Number(during.get('current_save_keys_processed'));
    assert.ok(processed >= 0 && processed < 200, `processed ${processed}`);
    assert.equal(during.get('current_fork_perc'), ((processed / 200) * 100).toFixed(2));
    await waitFor('the BGSAVE ends', async () => (await node.info('persistence')).get('rdb_bgsave_in_progress') === '0', 20000);
    const after = await node.info('persistence');
    assert.equal(after.get('current_save_keys_total'), '0');
    assert.equal(after.get('current_save_keys_processed'), '0');
    assert.equal(after.get('rdb_last_bgsave_status'), 'ok');

    await node.ok('BGSAVE');
    assert.equal((await node.info('persistence')).get('rdb_bgsave_in_progress'), '1');
    await node.ok('FLUSHALL');
    await waitFor('FLUSHALL stops the BGSAVE', async () => (await node.info('persistence')).get('rdb_bgsave_in_progress') === '0', 5000);
    // Stopped on purpose, not failed: writes are still accepted.
    assert.equal((await node.info('persistence')).get('rdb_last_bgsave_status'), 'ok');
    assert.equal(await node.ok('SET', 'k', 'v'), 'OK');
  });
}
