// Real libraries built on Lua scripts, run against our node as an application would run them:
// BullMQ (a job queue whose every operation is an EVALSHA of its Lua scripts, with cmsgpack and
// cjson inside) adds jobs, a worker processes them, one fails and is retried, a delayed job waits;
// Redlock (the distributed lock) acquires, extends, refuses a second holder and releases. Every
// scenario also runs against Debian's redis-server, so each expectation is one real Redis meets.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import Redlock from 'redlock';
import { startServer, type RunningServer } from '../../support/servers.js';

for (const kind of ['ours', 'redis'] as const) {
  describe(`script-based libraries against ${kind === 'ours' ? 'our node' : "Debian's redis-server"}`, () => {
    let server: RunningServer;
    const closers: (() => Promise<unknown>)[] = [];

    before(async () => {
      server = await startServer(kind, ['--maxmemory-policy', 'noeviction']);
    });
    after(async () => {
      for (const close of closers.reverse()) await close().catch(() => {});
      await server.stop();
    });

    const connection = () => ({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null });

    test('BullMQ: jobs are added, processed in order, retried after a failure, delayed', async () => {
      const queue = new Queue('lab', { connection: connection() });
      closers.push(() => queue.close());
      const events = new QueueEvents('lab', { connection: connection() });
      closers.push(() => events.close());
      await events.waitUntilReady();

      const seen: string[] = [];
      let failedOnce = false;
      const worker = new Worker(
        'lab',
        async (job: Job) => {
          seen.push(job.name);
          if (job.name === 'flaky' && !failedOnce) {
            failedOnce = true;
            throw new Error('first attempt fails');
          }
          return { doubled: (job.data as { n: number }).n * 2 };
        },
        { connection: connection() },
      );
      closers.push(() => worker.close());

      const completed = new Map<string, unknown>();
      const allDone = new Promise<void>((resolve) => {
        events.on('completed', ({ jobId, returnvalue }) => {
          completed.set(jobId, returnvalue);
          if (completed.size === 4) resolve();
        });
      });

      const a = await queue.add('a', { n: 1 });
      const b = await queue.add('b', { n: 2 });
      const flaky = await queue.add('flaky', { n: 3 }, { attempts: 2 });
      const later = await queue.add('later', { n: 4 }, { delay: 300 });
      assert.equal(await later.getState(), 'delayed');
      await allDone;

      assert.deepEqual(seen.slice(0, 2), ['a', 'b']);
      assert.equal(seen.filter((name) => name === 'flaky').length, 2, 'the flaky job ran twice');
      assert.deepEqual((await queue.getJob(a.id!))!.returnvalue, { doubled: 2 });
      assert.deepEqual((await queue.getJob(b.id!))!.returnvalue, { doubled: 4 });
      const flakyJob = (await queue.getJob(flaky.id!))!;
      assert.equal(flakyJob.attemptsMade, 2);
      assert.equal(await flakyJob.getState(), 'completed');
      assert.deepEqual(await queue.getJobCounts('completed', 'failed', 'waiting', 'delayed'), {
        completed: 4,
        failed: 0,
        waiting: 0,
        delayed: 0,
      });
    });

    test('Redlock: acquire, extend, a second holder refused, release', async () => {
      const client = new Redis(connection());
      closers.push(() => client.quit());
      // Redlock 4's types predate ioredis 5, whose eval it calls the same way at run time.
      const redlock = new Redlock([client as unknown as Redlock.CompatibleRedisClient], { retryCount: 0 });
      const lock = await redlock.lock('locks:report', 2000);
      assert.equal(await client.get('locks:report'), lock.value);
      await assert.rejects(redlock.lock('locks:report', 2000), /unable to achieve a quorum|attempts to lock/i);
      const extended = await lock.extend(5000);
      assert.ok((await client.pttl('locks:report')) > 2000, 'the lock was extended');
      await extended.unlock();
      assert.equal(await client.exists('locks:report'), 0);
      const again = await redlock.lock('locks:report', 1000);
      await again.unlock();
    });
  });
}
