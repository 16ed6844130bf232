// ioredis, as an application would use it, against our node: connecting, pipelines, MULTI/EXEC,
// WATCH conflicts, pub/sub, blocking pops served by another connection, HGETALL as an object,
// scanStream, keyspace notifications and Redis's error replies as ReplyError. Every scenario also
// runs against Debian's redis-server, so each expectation written here is one real Redis meets too.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis, ReplyError } from 'ioredis';
import { startServer, type RunningServer } from '../../support/servers.js';

for (const kind of ['ours', 'redis'] as const) {
  describe(`ioredis against ${kind === 'ours' ? 'our node' : "Debian's redis-server"}`, () => {
    let server: RunningServer;
    const clients: Redis[] = [];

    /** A connected client that fails fast instead of retrying, closed after the suite. */
    async function connect(): Promise<Redis> {
      const client = new Redis({
        host: '127.0.0.1',
        port: server.port,
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      clients.push(client);
      await client.connect();
      return client;
    }

    /** Waits until the server counts `count` clients blocked in BLPOP, BZPOPMIN... */
    async function blockedClients(client: Redis, count: number): Promise<void> {
      for (let attempt = 0; attempt < 500; attempt++) {
        const info = await client.info('clients');
        if (new RegExp(`^blocked_clients:${count}\\r?$`, 'm').test(info)) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.fail(`the server never reported ${count} blocked clients`);
    }

    /** Resolves with the first `count` values `emitter` sends for `event`. */
    function collect<T extends unknown[]>(client: Redis, event: string, count: number): Promise<T[]> {
      return new Promise((resolve) => {
        const seen: T[] = [];
        const onEvent = (...args: T) => {
          seen.push(args);
          if (seen.length === count) {
            client.off(event, onEvent as never);
            resolve(seen);
          }
        };
        client.on(event, onEvent as never);
      });
    }

    before(async () => {
      server = await startServer(kind);
    });
    after(async () => {
      for (const client of clients) client.disconnect();
      await server?.stop();
    });

    test('connects, and plain commands return what applications expect', async () => {
      const client = await connect();
      assert.equal(await client.ping(), 'PONG');
      assert.equal(await client.flushall(), 'OK');
      assert.equal(await client.set('greeting', 'hello', 'EX', 1000), 'OK');
      assert.equal(await client.get('greeting'), 'hello');
      assert.equal(await client.get('missing'), null);
      assert.equal(await client.incrby('counter', 5), 5);
      assert.equal(await client.incrbyfloat('counter', '0.25'), '5.25');
      assert.deepEqual(await client.mget('greeting', 'missing', 'counter'), ['hello', null, '5.25']);
      const binary = Buffer.from([0, 1, 2, 0xfe, 0xff, 0x0d, 0x0a]);
      await client.set('binary', binary);
      assert.deepEqual(await client.getBuffer('binary'), binary);
      assert.equal(await client.exists('greeting', 'missing', 'binary'), 2);
      const ttl = await client.ttl('greeting');
      assert.ok(ttl > 990 && ttl <= 1000, `TTL ${ttl}`);
    });

    test('HGETALL arrives as an object; lists, sets and sorted sets as arrays', async () => {
      const client = await connect();
      await client.hset('user:1', { name: 'Ada', lang: 'en', visits: '3' });
      assert.deepEqual(await client.hgetall('user:1'), { name: 'Ada', lang: 'en', visits: '3' });
      assert.deepEqual(await client.hgetall('no-such-hash'), {});
      assert.equal(await client.hincrby('user:1', 'visits', 2), 5);
      assert.equal(await client.rpush('queue', 'a', 'b', 'c'), 3);
      assert.deepEqual(await client.lrange('queue', 0, -1), ['a', 'b', 'c']);
      await client.sadd('tags', 'x', 'y', 'z');
      assert.deepEqual((await client.smembers('tags')).sort(), ['x', 'y', 'z']);
      await client.zadd('board', 3, 'c', 1, 'a', 2, 'b');
      assert.deepEqual(await client.zrange('board', 0, -1, 'WITHSCORES'), ['a', '1', 'b', '2', 'c', '3']);
      assert.equal(await client.zscore('board', 'b'), '2');
    });

    test('a pipeline sends many commands in one go; an error stays with its own command', async () => {
      const client = await connect();
      const results = await client.pipeline().set('pipe:a', '1').incr('pipe:a').lpush('pipe:a', 'x').get('pipe:a').del('pipe:a').exec();
      assert.ok(results);
      assert.deepEqual(
        results.map(([, value]) => value),
        ['OK', 2, undefined, '2', 1],
      );
      const failure = results[2]![0];
      assert.ok(failure instanceof ReplyError);
      assert.equal((failure as Error).message, 'WRONGTYPE Operation against a key holding the wrong kind of value');
      assert.deepEqual(
        results.map(([err]) => err === null),
        [true, true, false, true, true],
      );
    });

    test("multi() runs a transaction; a queued command's syntax error aborts it with EXECABORT", async () => {
      const client = await connect();
      const results = await client.multi().set('tx:a', '10').incrby('tx:a', 5).rpush('tx:list', 'x', 'y').lrange('tx:list', 0, -1).exec();
      assert.deepEqual(results, [
        [null, 'OK'],
        [null, 15],
        [null, 2],
        [null, ['x', 'y']],
      ]);
      // A runtime error inside EXEC fails that command only.
      const mixed = await client.multi().incr('tx:list').get('tx:a').exec();
      assert.ok(mixed);
      assert.ok(mixed[0]![0] instanceof ReplyError);
      assert.match((mixed[0]![0] as Error).message, /^WRONGTYPE /);
      assert.deepEqual(mixed[1], [null, '15']);
      // A wrong number of arguments is caught while queueing: nothing runs.
      await assert.rejects(client.multi().set('tx:a', '99').call('get').exec(), (err: Error) => {
        assert.ok(err instanceof ReplyError);
        assert.equal(err.message, 'EXECABORT Transaction discarded because of previous errors.');
        return true;
      });
      assert.equal(await client.get('tx:a'), '15');
    });

    test('WATCH: a write from another connection makes exec() return null', async () => {
      const client = await connect();
      const other = await connect();
      await client.set('watched', '1');
      assert.equal(await client.watch('watched'), 'OK');
      await other.set('watched', '2');
      assert.equal(await client.multi().set('watched', '3').exec(), null);
      assert.equal(await client.get('watched'), '2');
      // Without a conflicting write the same transaction goes through.
      await client.watch('watched');
      assert.deepEqual(await client.multi().set('watched', '3').exec(), [[null, 'OK']]);
      assert.equal(await client.get('watched'), '3');
    });

    test('pub/sub: subscribe and psubscribe deliver message and pmessage events', async () => {
      const subscriber = await connect();
      const publisher = await connect();
      assert.equal(await subscriber.subscribe('news', 'alerts'), 2);
      assert.equal(await subscriber.psubscribe('news.*'), 3);
      const messages = collect<[string, string]>(subscriber, 'message', 2);
      const patternMessages = collect<[string, string, string]>(subscriber, 'pmessage', 1);
      assert.equal(await publisher.publish('news', 'first'), 1);
      assert.equal(await publisher.publish('news.sport', 'goal'), 1);
      assert.equal(await publisher.publish('alerts', 'second'), 1);
      assert.equal(await publisher.publish('nobody-listens', 'x'), 0);
      assert.deepEqual(await messages, [
        ['news', 'first'],
        ['alerts', 'second'],
      ]);
      assert.deepEqual(await patternMessages, [['news.*', 'news.sport', 'goal']]);
      assert.deepEqual(await publisher.pubsub('NUMSUB', 'news', 'none'), ['news', 1, 'none', 0]);
      assert.equal(await publisher.pubsub('NUMPAT'), 1);
      await subscriber.unsubscribe('news', 'alerts');
      await subscriber.punsubscribe();
      assert.equal(await publisher.publish('news', 'after'), 0);
    });

    test('BLPOP is served by a push from another connection; BZPOPMIN by a ZADD', async () => {
      const waiter = await connect();
      const pusher = await connect();
      await pusher.del('jobs', 'tasks');
      const popped = waiter.blpop('jobs', 'tasks', 10);
      await blockedClients(pusher, 1);
      assert.equal(await pusher.rpush('tasks', 'job-1', 'job-2'), 2);
      assert.deepEqual(await popped, ['tasks', 'job-1']);
      assert.deepEqual(await pusher.lrange('tasks', 0, -1), ['job-2']);

      const zpopped = waiter.bzpopmin('prio', 10);
      await blockedClients(pusher, 1);
      assert.equal(await pusher.zadd('prio', 7, 'late', 2.5, 'early'), 2);
      assert.deepEqual(await zpopped, ['prio', 'early', '2.5']);
      assert.equal(await pusher.zcard('prio'), 1);

      // A timeout answers null, not an error.
      assert.equal(await waiter.blpop('never-pushed', 0.05), null);
    });

    test('scanStream visits every key, and each exactly once with a MATCH pattern', async () => {
      const client = await connect();
      const expected = Array.from({ length: 1000 }, (_, i) => `scan:${i}`);
      const pipeline = client.pipeline();
      for (const key of expected) pipeline.set(key, 'x');
      await pipeline.exec();
      await client.set('other-key', 'x');
      const seen: string[] = [];
      for await (const batch of client.scanStream({ match: 'scan:*', count: 50 })) seen.push(...(batch as string[]));
      // SCAN may return a key twice across a resize; here nothing writes during the scan.
      assert.equal(seen.length, expected.length);
      assert.deepEqual(seen.sort(), expected.sort());
      const fields: string[] = [];
      await client.hset('big-hash', Object.fromEntries(expected.map((k) => [k, 'v'])));
      for await (const batch of client.hscanStream('big-hash', { count: 100 })) fields.push(...(batch as string[]));
      assert.equal(fields.length, 2000, 'HSCAN returns field, value pairs');
    });

    test('keyspace notifications arrive as pmessage events', async () => {
      const client = await connect();
      const listener = await connect();
      assert.equal(await client.config('SET', 'notify-keyspace-events', 'KEA'), 'OK');
      try {
        await listener.psubscribe('__keyspace@0__:note:*', '__keyevent@0__:expire');
        const keyspace = collect<[string, string, string]>(listener, 'pmessage', 5);
        await client.set('note:1', 'a');
        await client.expire('note:1', 1000);
        await client.rpush('note:list', 'x');
        await client.del('note:1');
        assert.deepEqual(await keyspace, [
          ['__keyspace@0__:note:*', '__keyspace@0__:note:1', 'set'],
          ['__keyspace@0__:note:*', '__keyspace@0__:note:1', 'expire'],
          ['__keyevent@0__:expire', '__keyevent@0__:expire', 'note:1'],
          ['__keyspace@0__:note:*', '__keyspace@0__:note:list', 'rpush'],
          ['__keyspace@0__:note:*', '__keyspace@0__:note:1', 'del'],
        ]);
      } finally {
        await client.config('SET', 'notify-keyspace-events', '');
      }
    });

    test("error replies reject with ReplyError carrying Redis's message", async () => {
      const client = await connect();
      await client.set('plain', 'text');
      const cases: Array<[Promise<unknown>, string]> = [
        [client.lpush('plain', 'x'), 'WRONGTYPE Operation against a key holding the wrong kind of value'],
        [client.incr('plain'), 'ERR value is not an integer or out of range'],
        [client.call('get'), "ERR wrong number of arguments for 'get' command"],
        [client.call('nosuchcommand', 'a'), "ERR unknown command 'nosuchcommand', with args beginning with: 'a' "],
        [client.call('set', 'k', 'v', 'NX', 'XX'), 'ERR syntax error'],
        [client.expire('plain', 'soon' as unknown as number), 'ERR value is not an integer or out of range'],
        [client.zadd('z', 'not-a-score', 'm'), 'ERR value is not a valid float'],
        [client.call('select', '99'), 'ERR DB index is out of range'],
      ];
      for (const [pending, message] of cases) {
        await assert.rejects(pending, (err: Error) => {
          assert.ok(err instanceof ReplyError, `${err} is a ReplyError`);
          assert.equal(err.message, message);
          return true;
        });
      }
      // The connection is still usable after errors.
      assert.equal(await client.get('plain'), 'text');
    });
  });
}
