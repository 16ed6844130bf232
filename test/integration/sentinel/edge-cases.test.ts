// What a Sentinel must not do, and how it protects itself: a replica with replica-priority 0 is
// never promoted; a replica that lags loses to a more advanced one; without the quorum the
// master is only SDOWN and without a majority no leader is elected, so nothing fails over; a
// Sentinel whose timer was stopped enters TILT, as redis-sentinel does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crashAndFailOver, deploy, fresh, freshInfo } from '../../support/sentinel-failover.js';
import { waitFor } from '../../support/replication.js';
import { monitorLines, startSentinel } from '../../support/sentinel.js';
import { startNode } from '../../support/replication.js';

test('a replica with replica-priority 0 is never promoted', async () => {
  const d = await deploy('redis', ['ours', 'ours', 'ours'], { replicaArgs: [['--replica-priority', '0'], []] });
  try {
    const promoted = await crashAndFailOver(d);
    assert.equal(promoted, d.replicas[1]);
  } finally {
    await d.stop();
  }
});

test('a lagging replica loses to a more advanced one', async () => {
  const d = await deploy('ours', ['ours', 'ours', 'ours']);
  const [lagging, advanced] = d.replicas as [(typeof d.replicas)[0], (typeof d.replicas)[0]];
  try {
    // The lagging replica stops reading; the master writes more than the socket buffers hold,
    // the other replica gets all of it, then the master crashes with the rest unsent.
    lagging.server.proc.kill('SIGSTOP');
    const value = 'x'.repeat(100_000);
    for (let i = 0; i < 300; i++) await d.master.ok('SET', `big:${i}`, value);
    await waitFor('the advanced replica has everything', async () => {
      const [m, a] = [await d.master.info('replication'), await freshInfo(advanced.port)];
      return a.get('slave_repl_offset') === m.get('master_repl_offset');
    });
    d.master.server.proc.kill('SIGKILL');
    lagging.server.proc.kill('SIGCONT');
    await waitFor(
      'a replica is promoted',
      async () => (await d.sentinels[0]!.masterAddr('mymaster')) !== `127.0.0.1:${d.master.port}`,
      60000,
    );
    assert.equal(await d.sentinels[0]!.masterAddr('mymaster'), `127.0.0.1:${advanced.port}`);
    assert.equal(String(await fresh(advanced.port, 'EXISTS', 'big:299')), '1');
  } finally {
    await d.stop();
  }
});

test('no failover without the quorum, nor without a majority to elect a leader', async () => {
  // Quorum 3, one Sentinel left: SDOWN, never ODOWN.
  const d = await deploy('ours', ['ours', 'ours', 'ours'], { quorum: 3 });
  try {
    await Promise.all(d.sentinels.slice(1).map((s) => s.stop()));
    const [s] = d.sentinels as [(typeof d.sentinels)[0]];
    d.master.server.proc.kill('SIGKILL');
    await waitFor('+sdown', () => s.output().includes('+sdown master mymaster'));
    await new Promise((r) => setTimeout(r, 4000));
    assert.ok(!s.output().includes('+odown'), s.output());
    assert.ok(!s.output().includes('+try-failover'));
    assert.equal(await s.masterAddr('mymaster'), `127.0.0.1:${d.master.port}`);
    const ck = await s.sentinel('CKQUORUM', 'mymaster');
    assert.match((ck as { error: string }).error, /^NOQUORUM 1 usable Sentinels/);
  } finally {
    await d.stop();
  }
  // Quorum 1: ODOWN alone, but one vote of three is no majority: the election times out.
  const e = await deploy('ours', ['ours', 'ours', 'ours'], { quorum: 1 });
  try {
    await Promise.all(e.sentinels.slice(1).map((s) => s.stop()));
    const [s] = e.sentinels as [(typeof e.sentinels)[0]];
    e.master.server.proc.kill('SIGKILL');
    await waitFor('the failover attempt is abandoned', () => s.output().includes('-failover-abort-not-elected master mymaster'), 30000);
    assert.ok(s.output().includes('+odown master mymaster'));
    assert.ok(!s.output().includes('+elected-leader'));
    assert.equal(await s.masterAddr('mymaster'), `127.0.0.1:${e.master.port}`);
  } finally {
    await e.stop();
  }
});

test('a Sentinel whose timer stalled enters TILT, as redis-sentinel does', async () => {
  const master = await startNode('redis');
  const sentinels = [
    await startSentinel('ours', monitorLines('mymaster', master.port, 1)),
    await startSentinel('redis', monitorLines('mymaster', master.port, 1)),
  ];
  try {
    for (const s of sentinels) {
      const pid = Number(/^(\d+):X/m.exec(s.output())![1]);
      process.kill(pid, 'SIGSTOP');
      await new Promise((r) => setTimeout(r, 3000));
      process.kill(pid, 'SIGCONT');
      await waitFor(`${s.kind} enters TILT`, () => s.output().includes('+tilt #tilt mode entered'));
      const info = String(await s.client.call('INFO', 'sentinel'));
      assert.match(info, /sentinel_tilt:1/);
      assert.match(info, /sentinel_tilt_since_seconds:\d+/);
    }
  } finally {
    await Promise.all(sentinels.map((s) => s.stop()));
    await master.stop();
  }
});

test('master-reboot-down-after-period: a master that restarts (new run id) is down for that period, and fails over', async () => {
  const d = await deploy('redis', ['ours', 'ours', 'ours']);
  try {
    for (const s of d.sentinels) {
      assert.equal(
        String(await s.sentinel('SET', 'mymaster', 'down-after-milliseconds', '20000', 'master-reboot-down-after-period', '10000')),
        'OK',
      );
    }
    // A restart far quicker than down-after-milliseconds: only the new run id tells. The port
    // is free again once the killed process is gone.
    const gone = new Promise((resolve) => d.master.server.proc.once('exit', resolve));
    d.master.server.proc.kill('SIGKILL');
    await gone;
    const restarted = await startNode('redis', [], { port: d.master.port });
    try {
      await waitFor(
        '+reboot',
        () => d.sentinels.every((s) => s.output().includes(`+reboot master mymaster 127.0.0.1 ${d.master.port}`)),
        30000,
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n${d.sentinels.map((s) => s.output().split('\n').slice(-25).join('\n')).join('\n---\n')}`);
      });
      await waitFor(
        'a replica is promoted',
        async () => (await d.sentinels[0]!.masterAddr('mymaster')) !== `127.0.0.1:${d.master.port}`,
        60000,
      );
      assert.ok(d.sentinels.some((s) => s.output().includes('+odown master mymaster')));
    } finally {
      await restarted.stop();
    }
  } finally {
    await d.stop();
  }
});

test('the leader re-points the other replicas parallel-syncs (1) at a time', async () => {
  const d = await deploy('redis', ['ours', 'ours', 'ours'], { replicaArgs: [[], [], []] });
  try {
    // Time enough for both replicas one after the other (each needs two INFO periods of 1 s),
    // so that the failover does not end by its timeout instead.
    for (const s of d.sentinels) assert.equal(String(await s.sentinel('SET', 'mymaster', 'failover-timeout', '30000')), 'OK');
    await crashAndFailOver(d);
    const leader = d.sentinels.find((s) => s.output().includes('+elected-leader'))!;
    // The others learn the new master from its hellos; the leader ends once every replica is done.
    await waitFor('the leader ends the failover', () => leader.output().includes('+failover-end master mymaster'), 60000);
    // Between a replica's +slave-reconf-sent and its +slave-reconf-done, no other is sent.
    let inProgress = 0;
    let reconfigured = 0;
    for (const line of leader.output().split('\n')) {
      if (line.includes('+slave-reconf-sent ')) {
        inProgress++;
        assert.ok(inProgress <= 1, `two replicas re-pointed at once:\n${leader.output()}`);
      } else if (line.includes('+slave-reconf-done ') || line.includes('-slave-reconf-sent-timeout ')) {
        inProgress--;
        reconfigured++;
      } else if (line.includes('+sdown slave ') && inProgress > 0) {
        // sentinelFailoverDetectEnd counts a replica gone S_DOWN as done (a loaded machine can
        // keep a syncing replica from answering PING within down-after-milliseconds).
        inProgress--;
        reconfigured++;
      }
    }
    assert.equal(reconfigured, 2, leader.output());
  } finally {
    await d.stop();
  }
});
