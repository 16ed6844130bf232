// The script-based libraries of script-libraries.test.ts across a failover, as an application
// lives through one: BullMQ jobs and a Redlock lock are written to a master, the master is killed,
// its replica is promoted (REPLICAOF NO ONE, what Sentinel sends), and the application, pointed
// at the new master, finds its queue and its lock there and goes on. Our nodes and Debian's
// redis-server alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import Redlock from 'redlock';
import { nodesForFile, startNode, startReplica, type Kind, type Node } from '../../support/replication.js';

const nodes = nodesForFile();

const connection = (node: Node) => ({ host: '127.0.0.1', port: node.port, maxRetriesPerRequest: null });

/** Redlock 4's types predate ioredis 5, whose eval it calls the same way at run time. */
const redlockOn = (client: Redis) => new Redlock([client as unknown as Redlock.CompatibleRedisClient], { retryCount: 0 });

for (const kind of ['ours', 'redis'] as Kind[]) {
  test(`${kind}: BullMQ and Redlock go on against the replica promoted after their master was killed`, async () => {
    const master = nodes.track(await startNode(kind, ['--maxmemory-policy', 'noeviction']));
    const replica = nodes.track(await startReplica(kind, master, ['--maxmemory-policy', 'noeviction']));

    // Before: three jobs queued (nobody works yet) and a lock held, on the master.
    const queue = new Queue('orders', { connection: connection(master) });
    for (const name of ['a', 'b', 'c']) await queue.add(name, { name });
    await queue.close();
    const masterClient = new Redis(connection(master));
    const lock = await redlockOn(masterClient).lock('locks:orders', 60_000);
    // Acknowledged by the replica before the crash (what WAIT 1 is for).
    assert.equal(await masterClient.call('WAIT', '1', '5000'), 1);
    masterClient.disconnect();

    // The failover.
    master.server.proc.kill('SIGKILL');
    await nodes.stop(master);
    await replica.ok('REPLICAOF', 'NO', 'ONE');

    // After: a worker on the new master processes the queued jobs in order, and a new one.
    const events = new QueueEvents('orders', { connection: connection(replica) });
    await events.waitUntilReady();
    const seen: string[] = [];
    const worker = new Worker(
      'orders',
      async (job: Job) => {
        seen.push(job.name);
        return `done ${job.name}`;
      },
      { connection: connection(replica) },
    );
    const newQueue = new Queue('orders', { connection: connection(replica) });
    try {
      const allDone = new Promise<void>((resolve) => {
        let completed = 0;
        events.on('completed', () => {
          if (++completed === 4) resolve();
        });
      });
      await newQueue.add('d', { name: 'd' });
      await allDone;
      assert.deepEqual(seen, ['a', 'b', 'c', 'd']);
      assert.deepEqual(await newQueue.getJobCounts('completed', 'waiting', 'active', 'failed'), {
        completed: 4,
        waiting: 0,
        active: 0,
        failed: 0,
      });

      // The lock came across with its owner's value and TTL: a second holder is refused, the
      // owner releases it, and then it can be taken again.
      const client = new Redis(connection(replica));
      try {
        assert.equal(await client.get('locks:orders'), lock.value);
        assert.ok((await client.pttl('locks:orders')) > 30_000);
        const redlock = redlockOn(client);
        await assert.rejects(redlock.lock('locks:orders', 2000), /unable to achieve a quorum|attempts to lock/i);
        await redlock.unlock(lock);
        assert.equal(await client.exists('locks:orders'), 0);
        const again = await redlock.lock('locks:orders', 2000);
        await again.unlock();
      } finally {
        client.disconnect();
      }
    } finally {
      await worker.close();
      await newQueue.close();
      await events.close();
    }
  });
}
