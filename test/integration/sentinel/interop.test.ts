// Our Sentinels and Debian's together, and clients through them: redis-sentinel fails over our
// servers; a quorum that mixes our Sentinels and redis-sentinel fails over either kind of server
// and ends on one master and one epoch; ioredis in sentinel mode keeps writing through a
// failover, finding the new master through our Sentinels, and redis-cli's
// SENTINEL get-master-addr-by-name follows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { crashAndFailOver, deploy, fresh, oldMasterReturns } from '../../support/sentinel-failover.js';
import { redisCli } from '../../support/servers.js';
import { waitFor } from '../../support/replication.js';

test('redis-sentinel fails over our servers', async () => {
  const d = await deploy('ours', ['redis', 'redis', 'redis']);
  try {
    const promoted = await crashAndFailOver(d);
    const old = await oldMasterReturns(d, 'ours', promoted);
    await old.stop();
  } finally {
    await d.stop();
  }
});

for (const [serverKind, sentinels] of [
  ['redis', ['ours', 'redis', 'redis']],
  ['ours', ['redis', 'ours', 'ours']],
] as const) {
  test(`a quorum of ${sentinels.join(', ')} Sentinels fails over ${serverKind === 'ours' ? 'our servers' : 'redis-server'}`, async () => {
    const d = await deploy(serverKind, [...sentinels]);
    try {
      await crashAndFailOver(d);
      // Each kind saw the other: ours list redis-sentinel's run ids and the reverse.
      for (const s of d.sentinels) assert.equal((await s.master('mymaster')).get('num-other-sentinels'), '2');
    } finally {
      await d.stop();
    }
  });
}

test('ioredis in sentinel mode keeps writing through a failover found through our Sentinels; redis-cli follows', async () => {
  const d = await deploy('ours', ['ours', 'ours', 'ours']);
  const client = new Redis({
    sentinels: d.sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })),
    name: 'mymaster',
    maxRetriesPerRequest: null,
    retryStrategy: () => 100,
    sentinelRetryStrategy: () => 100,
    lazyConnect: false,
  });
  client.on('error', () => {});
  let written = 0;
  let writing = true;
  const writer = (async () => {
    while (writing) {
      try {
        await client.set(`k:${written}`, String(written));
        written++;
      } catch {
        // READONLY or a closed connection during the switch: ioredis reconnects; try again.
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  try {
    await waitFor('ioredis writes', () => written > 10);
    const before = redisCli(d.sentinels[0]!.port, ['SENTINEL', 'get-master-addr-by-name', 'mymaster']);
    assert.equal(before, `127.0.0.1\n${d.master.port}`);
    const promoted = await crashAndFailOver(d);
    const atSwitch = written;
    await waitFor('ioredis writes to the new master', () => written > atSwitch + 20, 60000);
    writing = false;
    await writer;
    // ioredis's writes after the failover are on the new master.
    assert.equal(String(await fresh(promoted.port, 'GET', `k:${written - 1}`)), String(written - 1));
    assert.equal(await client.get(`k:${written - 1}`), String(written - 1));
    for (const s of d.sentinels) {
      assert.equal(redisCli(s.port, ['SENTINEL', 'get-master-addr-by-name', 'mymaster']), `127.0.0.1\n${promoted.port}`);
    }
  } finally {
    writing = false;
    client.disconnect();
    await d.stop();
  }
});
