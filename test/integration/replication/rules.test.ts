// The rules around replication that users meet as errors, refusals and timeouts, checked on our
// node and, where Redis has the same rule, against redis-server's exact answer:
// READONLY, MASTERDOWN, NOREPLICAS (min-replicas), WAIT, NOMASTERLINK when a node replicates from
// itself, repl-timeout on both sides (a process paused with SIGSTOP), masterauth, several replicas
// sharing one diskless RDB, and FAILOVER.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { nodesForFile, startNode, startReplica, waitFor, waitInSync, parseInfo, type Kind, type Node } from '../../support/replication.js';
import { RespClient, show } from '../../support/resp-client.js';

const { track, stop: stopNode } = nodesForFile();

/** The same command on a node of each kind: the replies must be identical. */
async function sameReply(ours: Node, redis: Node, ...argv: string[]): Promise<unknown> {
  const [a, b] = [await ours.client.call(...argv), await redis.client.call(...argv)];
  assert.deepEqual(a, b, `${argv.join(' ')}: ours vs redis-server`);
  return a;
}

const count = (text: string, pattern: RegExp) => (text.match(new RegExp(pattern, 'g')) ?? []).length;

test('READONLY on a replica, and local writes on a writable one stay local', async () => {
  const master = track(await startNode('redis'));
  const ours = track(await startReplica('ours', master));
  const theirs = track(await startReplica('redis', master));
  assert.deepEqual(await sameReply(ours, theirs, 'SET', 'k', 'v'), { error: "READONLY You can't write against a read only replica." });
  await sameReply(ours, theirs, 'GET', 'k');
  // replica-read-only no: the write applies here only; the master never hears of it.
  const writable = track(await startReplica('ours', master, ['--replica-read-only', 'no']));
  await writable.ok('SET', 'local', '1');
  assert.equal(String(await writable.ok('GET', 'local')), '1');
  assert.equal(await master.client.call('GET', 'local'), null);
  assert.equal((await writable.info()).get('slave_read_only'), '0');
});

test('MASTERDOWN while the link is down with replica-serve-stale-data no', async () => {
  const master = track(await startNode('ours'));
  await master.ok('SET', 'k', 'v');
  const args = ['--replica-serve-stale-data', 'no'];
  const ours = track(await startReplica('ours', master, args));
  const theirs = track(await startReplica('redis', master, args));
  await sameReply(ours, theirs, 'GET', 'k');
  await stopNode(master);
  await waitFor(
    'links down',
    async () => (await ours.info()).get('master_link_status') === 'down' && (await theirs.info()).get('master_link_status') === 'down',
  );
  assert.deepEqual(await sameReply(ours, theirs, 'GET', 'k'), {
    error: "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
  });
  // Commands flagged `stale` still answer.
  await sameReply(ours, theirs, 'PING');
  assert.equal((await ours.info()).get('role'), 'slave');
});

test('min-replicas-to-write: NOREPLICAS until enough replicas acknowledge, again when one stops', async () => {
  const args = ['--min-replicas-to-write', '1', '--min-replicas-max-lag', '2'];
  const ours = track(await startNode('ours', args));
  const theirs = track(await startNode('redis', args));
  assert.deepEqual(await sameReply(ours, theirs, 'SET', 'k', 'v'), { error: 'NOREPLICAS Not enough good replicas to write.' });
  await sameReply(ours, theirs, 'GET', 'k'); // reads are fine
  const replica = track(await startReplica('redis', ours));
  await waitFor('a good replica', async () => (await ours.info()).get('min_slaves_good_slaves') === '1');
  assert.equal(await ours.client.call('SET', 'k', 'v'), 'OK');
  // A replica that stops acknowledging for longer than min-replicas-max-lag no longer counts.
  replica.server.proc.kill('SIGSTOP');
  try {
    await waitFor('no good replica', async () => (await ours.info()).get('min_slaves_good_slaves') === '0', 10000);
    assert.deepEqual(await ours.client.call('SET', 'k', 'w'), { error: 'NOREPLICAS Not enough good replicas to write.' });
  } finally {
    replica.server.proc.kill('SIGCONT');
  }
  await waitFor('good again', async () => (await ours.info()).get('min_slaves_good_slaves') === '1');
  assert.equal(await ours.client.call('SET', 'k', 'w'), 'OK');
});

for (const kind of ['ours', 'redis'] as const) {
  test(`${kind}: CONFIG SET min-replicas-to-write / min-replicas-max-lag count the good replicas at once; a replica ignores them`, async () => {
    const NOREPLICAS = { error: 'NOREPLICAS Not enough good replicas to write.' };
    const master = track(await startNode(kind));
    // Each setting and the write right after it go in one pipeline: no cron tick in between.
    const setThenWrite = async (name: string, value: string) =>
      (
        await master.client.pipeline([
          ['CONFIG', 'SET', name, value],
          ['SET', 'k', value],
        ])
      )[1];
    assert.deepEqual(await setThenWrite('min-replicas-to-write', '1'), NOREPLICAS);
    assert.equal(await setThenWrite('min-replicas-to-write', '0'), 'OK');

    // A replica that came while the rule was off is counted the moment it is turned on
    // (refreshGoodSlavesCount in the setting's apply function), not at the next cron tick.
    const replica = track(await startReplica(kind === 'ours' ? 'redis' : 'ours', master, ['--replica-read-only', 'no']));
    await waitInSync(master, [replica]);
    // After a diskless sync redis-server counts the replica online at its first ACK only.
    await waitFor('replica online on the master', async () => /state=online/.test((await master.info()).get('slave0') ?? ''));
    assert.equal(await setThenWrite('min-replicas-to-write', '1'), 'OK');
    assert.equal((await master.info()).get('min_slaves_good_slaves'), '1');
    assert.deepEqual(await setThenWrite('min-replicas-to-write', '2'), NOREPLICAS);
    assert.equal(await setThenWrite('min-replicas-max-lag', '0'), 'OK', 'a max lag of 0 turns the rule off');
    assert.deepEqual(await setThenWrite('min-replicas-max-lag', '10'), NOREPLICAS);
    assert.equal(await setThenWrite('min-replicas-to-write', '1'), 'OK');

    // A replica ignores both: its own writes (replica-read-only no) are never refused for them.
    assert.deepEqual(
      await replica.client.pipeline([
        ['CONFIG', 'SET', 'min-replicas-to-write', '3'],
        ['SET', 'local', '1'],
      ]),
      ['OK', 'OK'],
    );
  });
}

test('WAIT counts the replicas that acknowledged, within its timeout', async () => {
  const master = track(await startNode('ours'));
  const a = track(await startReplica('redis', master));
  const b = track(await startReplica('ours', master));
  await master.ok('SET', 'k', 'v');
  assert.equal(await master.client.call('WAIT', '2', '0'), 2);
  await master.ok('SET', 'k', 'w');
  const started = Date.now();
  assert.equal(await master.client.call('WAIT', '3', '300'), 2);
  assert.ok(Date.now() - started >= 250, 'WAIT waited for its timeout');
  assert.deepEqual(await b.client.call('WAIT', '1', '10'), {
    error:
      'ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.',
  });
  const plain = track(await startNode('redis'));
  await sameReply(master, plain, 'WAIT', 'x', '10');
  assert.deepEqual(await sameReply(master, plain, 'WAIT', '1', '-1'), { error: 'ERR timeout is negative' });
  await sameReply(b, a, 'WAIT', '1', '10');
});

for (const kind of ['ours', 'redis'] as Kind[]) {
  test(`${kind}: a client in WAIT is blocked: what it pipelined after WAIT runs only once WAIT replied`, async () => {
    const master = track(await startNode(kind));
    track(await startReplica(kind, master));
    // The replica's link being up is not yet the master counting it: redis-server puts a replica
    // online when its first ACK arrives. Once a WAIT has seen it acknowledge, the one below
    // measures blocking alone (without this, redis-server's WAIT once answered 0 here).
    assert.equal(await master.client.call('WAIT', '1', '5000'), 1);
    const other = await RespClient.open(master.port);
    try {
      // Two replicas wanted, one attached: WAIT holds the client for its whole timeout.
      const replies = master.client.pipeline([
        ['SET', 'k', 'before'],
        ['WAIT', '2', '1000'],
        ['GET', 'k'],
      ]);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(parseInfo(String(await other.call('INFO', 'clients'))).get('blocked_clients'), '1');
      await other.call('SET', 'k', 'during');
      // WAIT answers first, with the one replica that acknowledged; the GET ran after it.
      assert.deepEqual(show(await replies), ['OK', 1, 'during']);
      assert.equal(parseInfo(String(await other.call('INFO', 'clients'))).get('blocked_clients'), '0');
      // A WAIT the replica satisfies releases the client as soon as it acknowledged.
      assert.deepEqual(
        show(
          await master.client.pipeline([
            ['SET', 'k', 'x'],
            ['WAIT', '1', '0'],
            ['GET', 'k'],
          ]),
        ),
        ['OK', 1, 'x'],
      );
    } finally {
      other.close();
    }
  });

  test(`${kind}: REPLICAOF itself answers PSYNC with NOMASTERLINK and retries once a second, no busy loop`, async () => {
    const node = track(await startNode(kind));
    await node.ok('SET', 'k', 'v');
    await node.ok('REPLICAOF', '127.0.0.1', String(node.port));
    await new Promise((r) => setTimeout(r, 3500));
    const log = node.server.output();
    assert.match(
      log,
      /Master is currently unable to PSYNC but should be in the future: -NOMASTERLINK Can't SYNC while not connected with my master/,
    );
    const attempts = count(log, /MASTER <-> REPLICA sync started/);
    assert.ok(attempts >= 2 && attempts <= 6, `${attempts} attempts in 3.5 s`);
    assert.equal((await node.info()).get('master_link_status'), 'down');
    assert.equal(String(await node.ok('GET', 'k')), 'v', 'the data is kept');
    await node.ok('REPLICAOF', 'NO', 'ONE');
  });
}

test('two of our nodes replicating from each other: neither spins, both report the link down', async () => {
  const a = track(await startNode('ours'));
  const b = track(await startNode('ours'));
  await a.ok('REPLICAOF', '127.0.0.1', String(b.port));
  await b.ok('REPLICAOF', '127.0.0.1', String(a.port));
  await new Promise((r) => setTimeout(r, 3000));
  for (const n of [a, b]) {
    assert.equal((await n.info()).get('master_link_status'), 'down');
    assert.ok(count(n.server.output(), /MASTER <-> REPLICA sync started/) <= 6);
  }
});

test('repl-timeout: the master drops a replica that stops acking; the replica detects a silent master', async () => {
  const master = track(await startNode('ours', ['--repl-timeout', '2']));
  const replica = track(await startReplica('redis', master));
  replica.server.proc.kill('SIGSTOP');
  try {
    await waitFor(
      'replica dropped',
      () => /Disconnecting timedout replica \(streaming sync\): 127\.0\.0\.1:\d+/.test(master.server.output()),
      10000,
    );
    assert.equal((await master.info()).get('connected_slaves'), '0');
  } finally {
    replica.server.proc.kill('SIGCONT');
  }
  await waitFor('replica back', async () => (await master.info()).get('connected_slaves') === '1');

  const top = track(await startNode('redis'));
  const ours = track(await startReplica('ours', top, ['--repl-timeout', '2']));
  top.server.proc.kill('SIGSTOP');
  try {
    await waitFor('master timeout', () => ours.server.output().includes('MASTER timeout: no data nor PING received...'), 10000);
    assert.equal((await ours.info()).get('master_link_status'), 'down');
  } finally {
    top.server.proc.kill('SIGCONT');
  }
  await waitFor('link up again', async () => (await ours.info()).get('master_link_status') === 'up');
  // Attempts made while the master was stopped queue up in its listen backlog and may each be
  // served once it resumes: partial resyncs, never a second full one.
  const stats = await top.info('stats');
  assert.equal(stats.get('sync_full'), '1');
  assert.ok(Number(stats.get('sync_partial_ok')) >= 1);
});

// A dataset far larger than the socket buffers of a loopback connection (uncompressed: DEBUG
// POPULATE's padding would shrink to nothing), so that a replica that stops reading stalls its
// transfer instead of swallowing it whole.
const LARGE = { keys: 200000, args: ['--rdbcompression', 'no'] };

async function populateLarge(master: Node): Promise<void> {
  await master.ok('DEBUG', 'POPULATE', String(LARGE.keys), 'key', '200');
}

/** Polls the log without a round trip: for catching a moment that lasts a few hundred ms. */
async function logShows(node: Node, pattern: RegExp): Promise<void> {
  await waitFor(String(pattern), () => pattern.test(node.server.output()));
}

test('diskless full sync: a replica that stops reading is dropped after repl-timeout; the replica sharing its RDB gets it', async () => {
  // Two replicas share one diskless RDB, started when the second arrives; the first is stopped
  // before that. The master must not wait for it forever: its cron drops it ("full sync"
  // timeout, from the last write the socket could not take), and the transfer goes on.
  const master = track(
    await startNode('ours', [
      ...LARGE.args,
      '--repl-timeout',
      '2',
      '--repl-diskless-sync-delay',
      '60',
      '--repl-diskless-sync-max-replicas',
      '2',
    ]),
  );
  await populateLarge(master);
  const stuck = track(await startNode('redis', ['--replicaof', `127.0.0.1 ${master.port}`]));
  await waitFor('first replica waits for the RDB', async () => (await master.info()).get('slave0')?.includes('state=wait_bgsave') === true);
  stuck.server.proc.kill('SIGSTOP');
  try {
    const healthy = track(await startNode('ours', ['--replicaof', `127.0.0.1 ${master.port}`]));
    await logShows(master, /Starting BGSAVE for SYNC with target: replicas sockets/);
    await waitFor(
      'stuck replica dropped',
      () => new RegExp(`# Disconnecting timedout replica \\(full sync\\): 127\\.0\\.0\\.1:${stuck.port}\n`).test(master.server.output()),
      30000,
    );
    assert.ok(String(await master.client.call('GET', 'key:7')).startsWith('value:7'), 'the master keeps serving');
    await waitFor('healthy replica synced', async () => (await healthy.info()).get('master_link_status') === 'up', 30000);
    assert.equal(await healthy.client.call('DBSIZE'), LARGE.keys);
    assert.match(master.server.output(), new RegExp(`Connection with replica 127\\.0\\.0\\.1:${stuck.port} lost\\.`));
    // Its next sync must not wait a minute for company.
    await master.ok('CONFIG', 'SET', 'repl-diskless-sync-delay', '0');
  } finally {
    stuck.server.proc.kill('SIGCONT');
  }
  await waitFor('stuck replica synced again', async () => (await stuck.info()).get('master_link_status') === 'up', 30000);
  assert.equal(await stuck.client.call('DBSIZE'), LARGE.keys);
});

test('our replica gives up on a master that stops sending in the middle of the RDB, then syncs again', async () => {
  // rdb-key-save-delay (microseconds per key) makes redis-server's transfer last ~10 s; the
  // master is stopped once the transfer started.
  const master = track(await startNode('redis', ['--rdb-key-save-delay', '2000']));
  await master.ok('DEBUG', 'POPULATE', '5000');
  const replica = track(await startNode('ours', ['--replicaof', `127.0.0.1 ${master.port}`, '--repl-timeout', '2']));
  await waitFor('transfer started', async () => (await replica.info()).get('master_sync_in_progress') === '1');
  master.server.proc.kill('SIGSTOP');
  try {
    await waitFor(
      'bulk timeout',
      () =>
        replica.server
          .output()
          .includes(
            "# Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.",
          ),
      15000,
    );
    assert.equal((await replica.info()).get('master_link_status'), 'down');
  } finally {
    master.server.proc.kill('SIGCONT');
  }
  await master.ok('CONFIG', 'SET', 'rdb-key-save-delay', '0');
  await waitFor('synced again', async () => (await replica.info()).get('master_link_status') === 'up', 30000);
  assert.equal(await replica.client.call('DBSIZE'), 5000);
});

test('disk-based full sync: the master keeps serving while a stopped replica has not taken the RDB file', async () => {
  const master = track(await startNode('ours', [...LARGE.args, '--repl-diskless-sync', 'no']));
  await populateLarge(master);
  const replica = track(await startNode('redis', ['--replicaof', `127.0.0.1 ${master.port}`]));
  // Stopped while the master still saves the RDB (a few hundred ms for this dataset), so that
  // the file is then sent to a replica that reads nothing.
  await logShows(master, /Starting BGSAVE for SYNC with target: disk/);
  replica.server.proc.kill('SIGSTOP');
  try {
    await waitFor('sending the file', async () => (await master.info()).get('slave0')?.includes('state=send_bulk') === true);
    assert.ok(String(await master.client.call('GET', 'key:7')).startsWith('value:7'), 'GET answered during the transfer');
    await master.ok('SET', 'during', '1');
    assert.match((await master.info()).get('slave0')!, /state=send_bulk/, 'the transfer is still pending');
  } finally {
    replica.server.proc.kill('SIGCONT');
  }
  await waitFor('replica synced', async () => (await replica.info()).get('master_link_status') === 'up', 30000);
  await waitInSync(master, [replica]);
  assert.equal(await replica.client.call('DBSIZE'), LARGE.keys + 1);
  assert.equal(String(await replica.client.call('GET', 'during')), '1');
});

test('masterauth: the handshake authenticates; a wrong password stops at AUTH with a clear log line', async () => {
  const master = track(await startNode('redis', ['--requirepass', 'secret']));
  const good = track(await startReplica('ours', master, ['--masterauth', 'secret']));
  assert.equal((await good.info()).get('master_link_status'), 'up');
  const bad = track(await startNode('ours', ['--replicaof', `127.0.0.1 ${master.port}`, '--masterauth', 'wrong']));
  await waitFor('auth refused', () =>
    bad.server.output().includes('Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair or user is disabled.'),
  );
  assert.equal((await bad.info()).get('master_link_status'), 'down');
});

test('replicas arriving during repl-diskless-sync-delay share one RDB', async () => {
  const master = track(await startNode('ours', ['--repl-diskless-sync-delay', '2']));
  for (let i = 0; i < 100; i++) await master.ok('SET', `k${i}`, String(i));
  const replicas = await Promise.all([
    startNode('redis', ['--replicaof', `127.0.0.1 ${master.port}`]),
    startNode('ours', ['--replicaof', `127.0.0.1 ${master.port}`]),
  ]);
  replicas.forEach(track);
  await waitInSync(master, replicas);
  const log = master.server.output();
  assert.equal(count(log, /Starting BGSAVE for SYNC with target: replicas sockets/), 1, log);
  assert.equal(count(log, /Synchronization with replica 127\.0\.0\.1:\d+ succeeded/), 2);
  assert.match(log, /Delay next BGSAVE for diskless SYNC/);
});

for (const [masterKind, targetKind] of [
  ['ours', 'redis'],
  ['ours', 'ours'],
  ['redis', 'ours'],
] as Array<[Kind, Kind]>) {
  test(`FAILOVER TO: ${masterKind} master hands its role to a ${targetKind} replica without a full sync`, async () => {
    const master = track(await startNode(masterKind));
    const target = track(await startReplica(targetKind, master));
    const other = track(await startReplica('ours', master));
    for (let i = 0; i < 50; i++) await master.ok('SET', `k${i}`, String(i));
    await waitInSync(master, [target, other]);
    assert.equal(await master.client.call('FAILOVER', 'TO', '127.0.0.1', String(target.port)), 'OK');
    await waitFor(
      'roles swapped',
      async () => (await target.info()).get('role') === 'master' && (await master.info()).get('master_link_status') === 'up',
    );
    assert.equal((await master.info()).get('master_failover_state'), 'no-failover');
    assert.equal((await target.info('stats')).get('sync_full'), '0');
    assert.deepEqual(await master.client.call('SET', 'k', 'v'), { error: "READONLY You can't write against a read only replica." });
    assert.deepEqual(await master.client.call('FAILOVER', 'ABORT'), { error: 'ERR No failover in progress.' });
    assert.match(master.server.output(), /Failover target 127\.0\.0\.1:\d+ is synced, failing over\./);
    if (targetKind === 'ours') assert.match(target.server.output(), /Failover request received for replid [0-9a-f]{40}\./);
    for (const n of [other, target, master]) await stopNode(n);
  });
}

test('INFO and ROLE during a transfer read as redis-server reads them (a master that stalls mid-RDB)', async () => {
  // A master that sends half of a 1000-byte RDB and then nothing: the replica stays in the
  // transfer state, with stable numbers to compare.
  const sockets: Socket[] = [];
  const fake = createServer((socket) => {
    sockets.push(socket);
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (;;) {
        const end = buffered.indexOf('\r\n');
        if (end === -1) return;
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        // Only the command names matter here (the replica's requests are RESP multibulk).
        const name = line.toUpperCase();
        if (name === 'PING') socket.write('+PONG\r\n');
        else if (name === 'REPLCONF') socket.write('+OK\r\n');
        else if (name === 'PSYNC') {
          socket.write(`+FULLRESYNC ${'a'.repeat(40)} 100\r\n$1000\r\nREDIS0010`);
          socket.write(Buffer.alloc(491, 0));
        }
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  const port = (fake.address() as AddressInfo).port;
  try {
    const replicas = [track(await startNode('ours')), track(await startNode('redis'))];
    for (const r of replicas) await r.ok('REPLICAOF', '127.0.0.1', String(port));
    await waitFor('both in transfer', async () => {
      for (const r of replicas) if ((await r.info()).get('master_sync_read_bytes') !== '500') return false;
      return true;
    });
    const stable = async (n: Node) => {
      const text = String(await n.ok('INFO', 'replication'));
      return text.replace(/(master_replid|master_sync_last_io_seconds_ago|master_link_down_since_seconds):.*\r\n/g, '');
    };
    assert.equal(await stable(replicas[0]!), await stable(replicas[1]!));
    assert.match(
      await stable(replicas[0]!),
      /master_sync_in_progress:1\r\n.*master_sync_total_bytes:1000\r\nmaster_sync_read_bytes:500\r\nmaster_sync_left_bytes:500\r\nmaster_sync_perc:50\.00\r\n/s,
    );
    await sameReply(replicas[0]!, replicas[1]!, 'ROLE');
    for (const r of replicas) await r.ok('REPLICAOF', 'NO', 'ONE');
  } finally {
    for (const s of sockets) s.destroy();
    fake.close();
  }
});

test('replica-announce-ip and replica-announce-port are what the master shows', async () => {
  const master = track(await startNode('ours'));
  const replica = track(await startReplica('ours', master, ['--replica-announce-ip', '10.1.2.3', '--replica-announce-port', '7777']));
  await waitFor('online', async () => (await master.info()).get('slave0')?.includes('state=online') === true);
  assert.match((await master.info()).get('slave0')!, /^ip=10\.1\.2\.3,port=7777,state=online,/);
  assert.match(master.server.output(), /Replica 10\.1\.2\.3:7777 asks for synchronization/);
  await stopNode(replica);
});
