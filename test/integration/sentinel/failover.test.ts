// Failovers run by our Sentinels: three of ours (quorum 2) watching a master and two replicas,
// of Debian's redis-server and of our own server. The master crashes; the Sentinels elect a
// leader, promote a replica, re-point the other and agree on the new master and epoch; the old
// master comes back as a replica of the new one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crashAndFailOver, deploy, oldMasterReturns } from '../../support/sentinel-failover.js';

for (const serverKind of ['redis', 'ours'] as const) {
  test(`our Sentinels fail over a crashed master (${serverKind === 'ours' ? 'our servers' : 'redis-server'})`, async () => {
    const d = await deploy(serverKind, ['ours', 'ours', 'ours']);
    try {
      const promoted = await crashAndFailOver(d);
      const logs = d.sentinels.map((s) => s.output()).join('\n');
      for (const event of [
        '+sdown master mymaster',
        '+odown master mymaster',
        '+try-failover',
        '+elected-leader',
        '+selected-slave',
        '+promoted-slave',
        '+switch-master mymaster',
      ]) {
        assert.ok(logs.includes(event), `logged ${event}`);
      }
      const old = await oldMasterReturns(d, serverKind, promoted);
      await old.stop();
      // The new master, healthy all along, was never judged down (a switched master once could
      // be, before anyone reconnected to it, and was failed over again).
      const after = d.sentinels.map((s) => s.output()).join('\n');
      assert.ok(!after.includes(`+odown master mymaster 127.0.0.1 ${promoted.port}`), after);
    } finally {
      await d.stop();
    }
  });
}
