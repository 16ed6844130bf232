// SHUTDOWN (and SIGTERM) on a master with replicas, as Redis 7.0 does it: writes are paused and
// the master waits, up to shutdown-timeout, until every replica acknowledged its whole stream, so
// a replica that was briefly stopped still ends up with every write the master accepted.
// SHUTDOWN NOW skips the wait; SHUTDOWN ABORT cancels it. Replicas are paused with SIGSTOP: a
// stopped process cannot acknowledge anything, so the master has to wait for it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { nodesForFile, startNode, startReplica, waitFor, waitInSync, type Kind, type Node } from '../../support/replication.js';
import { RespClient } from '../../support/resp-client.js';

const { track } = nodesForFile();
const clients: RespClient[] = [];
after(() => {
  for (const c of clients) c.close();
});

async function openClient(node: Node): Promise<RespClient> {
  const client = await RespClient.open(node.port);
  clients.push(client);
  return client;
}

/** Resolves with the exit code once the node's process is gone (without signalling it). */
function exited(node: Node): Promise<number | null> {
  const proc = node.server.proc;
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
}

const running = (node: Node) => node.server.proc.exitCode === null && node.server.proc.signalCode === null;

/** A stopped replica, and 300 writes on the master that it has not seen. */
async function laggingReplica(master: Node, replicaKind: Kind): Promise<Node> {
  const replica = track(await startReplica(replicaKind, master));
  await master.ok('SET', 'before', '1');
  await waitInSync(master, [replica]);
  replica.server.proc.kill('SIGSTOP');
  const writes = Array.from({ length: 300 }, (_, i) => ['SET', `k:${i}`, `v${i}`]);
  await master.client.pipeline(writes);
  return replica;
}

for (const [replicaKind, trigger] of [
  ['ours', 'SHUTDOWN'],
  ['redis', 'SIGTERM'],
] as Array<[Kind, 'SHUTDOWN' | 'SIGTERM']>) {
  test(`${trigger} on our master waits until its paused ${replicaKind} replica has every write`, async () => {
    const master = track(await startNode('ours'));
    const replica = await laggingReplica(master, replicaKind);

    const shutdownReply =
      trigger === 'SHUTDOWN'
        ? master.client.call('SHUTDOWN').then(
            (r) => ({ reply: r }),
            () => 'closed',
          )
        : null;
    if (trigger === 'SIGTERM') master.server.proc.kill('SIGTERM');
    await waitFor('waiting for replicas', () => master.server.output().includes('Waiting for replicas before shutting down.'));

    // The replica is stopped, so it cannot have acknowledged: the master must still be here,
    // answering reads, and holding writes back (they would never reach the replica).
    const other = await openClient(master);
    assert.equal(String(await other.call('GET', 'k:299')), 'v299');
    assert.ok(running(master), 'the master waits for its stopped replica');
    const heldWrite = other.call('SET', 'late', '1').then(
      (r) => ({ reply: r }),
      () => 'closed',
    );

    replica.server.proc.kill('SIGCONT');
    assert.equal(await exited(master), 0);
    if (shutdownReply) assert.equal(await shutdownReply, 'closed', 'SHUTDOWN is not answered: the connection closes');
    assert.equal(await heldWrite, 'closed', 'a write paused by the shutdown never ran');
    assert.match(
      master.server.output(),
      /\* 1 of 1 replicas are in sync when shutting down\.\n.*Redis is now ready to exit, bye bye\.\.\./s,
    );
    assert.doesNotMatch(master.server.output(), /Lagging replica/);

    assert.equal(await replica.client.call('DBSIZE'), 301);
    assert.equal(String(await replica.client.call('GET', 'k:299')), 'v299');
    assert.equal(await replica.client.call('GET', 'late'), null);
  });
}

test('SHUTDOWN NOW and shutdown-on-sigterm now do not wait; shutdown-timeout bounds the wait; all report the lagging replica', async () => {
  const master = track(await startNode('ours'));
  const replica = await laggingReplica(master, 'ours');
  await master.client.call('SHUTDOWN', 'NOW').catch(() => 'closed');
  // Exits while the replica is still stopped: it did not wait for an acknowledgement.
  assert.equal(await exited(master), 0);
  const log = master.server.output();
  assert.doesNotMatch(log, /Waiting for replicas/);
  assert.match(
    log,
    new RegExp(`# Lagging replica 127\\.0\\.0\\.1:${replica.port} reported offset \\d+ behind master, lag=\\d+, state=online\\.`),
  );
  assert.match(log, /\* 0 of 1 replicas are in sync when shutting down\./);
  replica.server.proc.kill('SIGCONT');

  const bounded = track(await startNode('ours', ['--shutdown-timeout', '1']));
  const stopped = await laggingReplica(bounded, 'redis');
  bounded.server.proc.kill('SIGTERM');
  // The replica stays stopped: only the timeout can end the wait.
  assert.equal(await exited(bounded), 0);
  assert.match(
    bounded.server.output(),
    /Waiting for replicas before shutting down\.\n.*# Lagging replica 127\.0\.0\.1:\d+ reported offset \d+ behind master.*\n.*\* 0 of 1 replicas are in sync when shutting down\./s,
  );
  stopped.server.proc.kill('SIGCONT');

  // shutdown-on-sigterm now: SIGTERM means SHUTDOWN NOW.
  const impatient = track(await startNode('ours', ['--shutdown-on-sigterm', 'now']));
  const left = await laggingReplica(impatient, 'ours');
  impatient.server.proc.kill('SIGTERM');
  assert.equal(await exited(impatient), 0);
  assert.doesNotMatch(impatient.server.output(), /Waiting for replicas/);
  assert.match(impatient.server.output(), /\* 0 of 1 replicas are in sync when shutting down\./);
  left.server.proc.kill('SIGCONT');
});

for (const masterKind of ['ours', 'redis'] as Kind[]) {
  test(`SHUTDOWN ABORT on a ${masterKind} master: the waiting SHUTDOWN fails, held writes run, the node stays`, async () => {
    const master = track(await startNode(masterKind));
    const replica = await laggingReplica(master, 'ours');
    assert.deepEqual(await master.client.call('SHUTDOWN', 'ABORT'), { error: 'ERR No shutdown in progress.' });
    assert.deepEqual(await master.client.call('SHUTDOWN', 'ABORT', 'NOW'), { error: 'ERR syntax error' });
    assert.deepEqual(await master.client.call('SHUTDOWN', 'SAVE', 'NOSAVE'), { error: 'ERR syntax error' });

    // Its own connection: redis-server 7.0.15 crashes (networking.c assertion 'c->argc == 0')
    // when the client whose SHUTDOWN was aborted sends another command. Ours does not.
    const shutdownClient = await openClient(master);
    const shutdownReply = shutdownClient.call('SHUTDOWN', 'NOSAVE');
    await waitFor('waiting for replicas', () => master.server.output().includes('Waiting for replicas before shutting down.'));
    const writer = await openClient(master);
    const heldWrite = writer.call('SET', 'during', '1');
    const admin = await openClient(master);
    assert.equal(String(await admin.call('GET', 'k:0')), 'v0');
    assert.equal(await admin.call('SHUTDOWN', 'ABORT'), 'OK');

    assert.deepEqual(await shutdownReply, { error: 'ERR Errors trying to SHUTDOWN. Check logs.' });
    if (masterKind === 'ours') assert.equal(await shutdownClient.call('PING'), 'PONG');
    shutdownClient.close();
    assert.equal(await heldWrite, 'OK');
    assert.match(master.server.output(), /\* Shutdown manually aborted\./);
    assert.ok(running(master));
    replica.server.proc.kill('SIGCONT');
    await waitInSync(master, [replica]);
    assert.equal(String(await replica.client.call('GET', 'during')), '1');
  });
}

for (const kind of ['ours', 'redis'] as Kind[]) {
  test(`a second SIGINT while ${kind === 'ours' ? 'our' : "redis-server's"} master waits for its replica exits at once with status 1`, async () => {
    const master = track(await startNode(kind));
    const replica = await laggingReplica(master, 'ours');
    master.server.proc.kill('SIGINT');
    await waitFor('waiting for replicas', () => master.server.output().includes('Waiting for replicas before shutting down.'));
    assert.ok(running(master), 'the first SIGINT waits for the stopped replica');
    master.server.proc.kill('SIGINT');
    assert.equal(await exited(master), 1);
    assert.match(master.server.output(), /signal-handler \(\d+\) You insist\.\.\. exiting now\./);
    replica.server.proc.kill('SIGCONT');
  });
}
