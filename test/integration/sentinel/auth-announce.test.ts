// Sentinels where everything wants a password: a master and replica with requirepass (the
// Sentinels use `auth-pass`), and Sentinels with requirepass that talk to each other with
// `sentinel-pass`: ours and redis-sentinel fail the master over together. And `announce-ip` /
// `announce-port`: the address other Sentinels learn for ours is the announced one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startNode, waitFor } from '../../support/replication.js';
import { monitorLines, startSentinel, type SentinelProcess } from '../../support/sentinel.js';
import { RespClient, type Reply } from '../../support/resp-client.js';
import { freePort } from '../../support/servers.js';

async function authed(port: number, password: string, ...argv: string[]): Promise<Reply> {
  const c = await RespClient.open(port);
  try {
    await c.call('AUTH', password);
    return await c.call(...argv);
  } finally {
    c.close();
  }
}

test('auth-pass and sentinel-pass: ours and redis-sentinel fail over a password-protected master together', async () => {
  const pass = ['--requirepass', 'secret', '--masterauth', 'secret'];
  const master = await startNode('redis', pass);
  const replica = await startNode('redis', [...pass, '--replicaof', `127.0.0.1 ${master.port}`]);
  const lines = [
    ...monitorLines('mymaster', master.port, 2),
    'sentinel auth-pass mymaster secret',
    'requirepass spass',
    'sentinel sentinel-pass spass',
  ];
  const sentinels: SentinelProcess[] = [];
  try {
    for (const kind of ['ours', 'redis'] as const) {
      const s = await startSentinel(kind, lines);
      assert.deepEqual(await s.sentinel('MASTERS'), { error: 'NOAUTH Authentication required.' });
      await s.client.call('AUTH', 'spass');
      sentinels.push(s);
    }
    await waitFor('both Sentinels see the replica and each other', async () => {
      for (const s of sentinels) {
        const m = await s.master('mymaster');
        if (m.get('num-slaves') !== '1' || m.get('num-other-sentinels') !== '1' || m.get('flags') !== 'master') return false;
      }
      return true;
    });
    master.server.proc.kill('SIGKILL');
    await waitFor(
      'both report the replica as master',
      async () => (await Promise.all(sentinels.map((s) => s.masterAddr('mymaster')))).every((a) => a === `127.0.0.1:${replica.port}`),
      60000,
    );
    await waitFor(
      'the replica is a master',
      async () => /role:master/.test(String(await authed(replica.port, 'secret', 'INFO', 'replication'))),
      30000,
    );
  } finally {
    await Promise.all(sentinels.map((s) => s.stop()));
    await replica.stop();
    await master.stop();
  }
});

test('announce-ip and announce-port are what the other Sentinels learn', async () => {
  const master = await startNode('redis');
  const announced = await freePort();
  const ours = await startSentinel('ours', [
    ...monitorLines('mymaster', master.port, 1),
    'sentinel announce-ip 127.0.0.1',
    `sentinel announce-port ${announced}`,
  ]);
  const theirs = await startSentinel('redis', monitorLines('mymaster', master.port, 1));
  try {
    await waitFor('redis-sentinel learns our announced address', async () => {
      const peers = (await theirs.sentinel('SENTINELS', 'mymaster')) as Reply[];
      return peers.some((p) => Array.isArray(p) && String(p[5]) === String(announced) && String(p[3]) === '127.0.0.1');
    });
    assert.deepEqual(await ours.sentinel('CONFIG', 'GET', 'announce-port'), [Buffer.from('announce-port'), Buffer.from(String(announced))]);
  } finally {
    await ours.stop();
    await theirs.stop();
    await master.stop();
  }
});
