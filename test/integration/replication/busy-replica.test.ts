// A replica busy with a long command (DEBUG SLEEP blocks its event loop, as a slow script would)
// while its master keeps writing: afterwards it applies the whole stream in order, ends at the
// master's offset and holds the master's data, and its link never dropped. Each kind of replica,
// under each kind of master.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertSameData, nodesForFile, randomWrites, startNode, startReplica, waitInSync, type Kind } from '../../support/replication.js';

const nodes = nodesForFile();

for (const masterKind of ['ours', 'redis'] as Kind[]) {
  for (const replicaKind of ['ours', 'redis'] as Kind[]) {
    test(`${replicaKind} replica busy for 1.5 s under a ${masterKind} master catches up with the same offset`, async () => {
      const master = nodes.track(await startNode(masterKind));
      const replica = nodes.track(await startReplica(replicaKind, master));
      const busy = replica.client.call('DEBUG', 'SLEEP', '1.5');
      await randomWrites(master, 2000, 7, [replica]);
      assert.equal(await busy, 'OK');
      // Caught up: its offset reaches the master's (read together; the master may move on after).
      await waitInSync(master, [replica]);
      assert.equal((await master.info('stats')).get('sync_full'), '1', 'no new full sync: the link held');
      await assertSameData([master, replica]);
      await nodes.stop(replica);
      await nodes.stop(master);
    });
  }
}
