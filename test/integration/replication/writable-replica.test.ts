// A writable replica (replica-read-only no): keys written on the replica itself with a TTL are
// never returned once expired, and the replica removes them by itself (Redis's expireSlaveKeys),
// while the master's keys keep waiting for the master's DEL. Each kind of replica, side by side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodesForFile, startNode, startReplica, waitFor, type Kind } from '../../support/replication.js';

const nodes = nodesForFile();

for (const kind of ['ours', 'redis'] as Kind[]) {
  test(`${kind}: keys written on a writable replica with a TTL expire there`, async () => {
    const master = nodes.track(await startNode('redis'));
    const replica = nodes.track(await startReplica(kind, master, ['--replica-read-only', 'no']));
    await master.ok('SET', 'from-master', 'v');
    await waitFor('the master key arrives', async () => (await replica.client.call('EXISTS', 'from-master')) === 1);
    await replica.ok('SET', 'local-short', 'v', 'PX', '100');
    await replica.ok('SET', 'local-long', 'v', 'EX', '1000');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await replica.client.call('GET', 'local-short'), null, 'an expired key is never returned');
    // Removed without being looked up, by the replica's own expiry of the keys it created.
    await replica.ok('SET', 'local-short2', 'v', 'PX', '50');
    await waitFor(`${kind} removes its own expired keys`, async () => (await replica.ok('DBSIZE')) === 2, 5000);
    assert.deepEqual(((await replica.ok('KEYS', '*')) as Buffer[]).map(String).sort(), ['from-master', 'local-long']);
    await nodes.stop(replica);
    await nodes.stop(master);
  });
}
