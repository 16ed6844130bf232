// Engine core behaviours that cut across command families, each checked against Debian's
// redis-server 7.0 side by side: CLIENT UNBLOCK and what blocked clients look like (CLIENT LIST's
// `b` flag, the idle timeout), clients blocked on keys that SWAPDB or a master's stream fill,
// REPLICAOF disconnecting blocked clients, and the `n` (new key) keyspace events.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startPair, type Pair } from '../support/differential.js';
import { startServer, type RunningServer } from '../support/servers.js';
import { RespClient, show, type Reply } from '../support/resp-client.js';

/** Runs the same scenario against our node and redis-server and asserts both saw the same. */
async function onBoth<T>(pair: Pair, scenario: (port: number, open: () => Promise<RespClient>) => Promise<T>): Promise<T> {
  const opened: RespClient[] = [];
  const run = async (server: RunningServer) => {
    const open = async () => {
      const client = await RespClient.open(server.port);
      opened.push(client);
      return client;
    };
    return scenario(server.port, open);
  };
  try {
    const [ours, redis] = await Promise.all(pair.servers.map(run));
    assert.deepEqual(plain(ours), plain(redis), 'ours, then redis-server');
    return plain(ours) as T;
  } finally {
    for (const client of opened) client.close();
  }
}

/** A scenario's result with every reply made readable (bulk strings as text), recursively. */
function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => {
      const buffer = v as { type?: string; data?: number[] };
      return buffer?.type === 'Buffer' && Array.isArray(buffer.data) ? Buffer.from(buffer.data).toString('latin1') : v;
    }),
  );
}

/** Waits until INFO clients says `count` clients are blocked. */
async function blockedClients(admin: RespClient, count: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const info = String(show(await admin.call('INFO', 'clients')));
    if (Number(/blocked_clients:(\d+)/.exec(info)?.[1]) === count) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never saw ${count} blocked clients`);
}

/** What a subscriber received until a PUBLISH done, which the server sends after everything before. */
async function messagesUntilDone(subscriber: RespClient, publisher: RespClient): Promise<unknown[]> {
  await publisher.call('PUBLISH', 'done', '.');
  for (let attempt = 0; attempt < 500; attempt++) {
    const last = plain(subscriber.unsolicited.at(-1)) as string[] | undefined;
    if (last?.[1] === 'done') return plain(subscriber.unsolicited.slice(0, -1)) as unknown[];
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the subscriber never received the done message');
}

/** The flags= field CLIENT LIST shows for client `id`. */
async function clientFlags(admin: RespClient, id: Reply): Promise<string> {
  const list = String(show(await admin.call('CLIENT', 'LIST', 'ID', String(id))));
  return /flags=(\S+)/.exec(list)?.[1] ?? '(not listed)';
}

describe('blocked clients', () => {
  let pair: Pair;
  before(async () => {
    pair = await startPair();
  });
  after(async () => {
    await pair.close();
  });

  test('CLIENT UNBLOCK argument errors and unknown or idle clients', async () => {
    await pair.same(['CLIENT', 'UNBLOCK']);
    await pair.same(['CLIENT', 'UNBLOCK', '1', 'TIMEOUT', 'x']);
    await pair.same(['CLIENT', 'UNBLOCK', 'abc', 'sometimes']);
    await pair.same(['CLIENT', 'UNBLOCK', 'abc']);
    await pair.same(['CLIENT', 'UNBLOCK', '99999999999999999999']);
    await pair.same(['CLIENT', 'UNBLOCK', '-5', 'ERROR']);
    await pair.same(['CLIENT', 'UNBLOCK', '999999', 'timeout']);
    const selfId = await pair.ours.call('CLIENT', 'ID');
    assert.equal(await pair.ours.call('CLIENT', 'UNBLOCK', String(selfId)), 0);
  });

  test('a blocked client shows the b flag, and CLIENT UNBLOCK ends a WAIT too', async () => {
    const seen = await onBoth(pair, async (_port, open) => {
      const [waiter, admin] = [await open(), await open()];
      const id = await waiter.call('CLIENT', 'ID');
      const before = await clientFlags(admin, id);
      const popped = waiter.call('BRPOP', 'nothing', '0');
      await blockedClients(admin, 1);
      const whileBlocked = await clientFlags(admin, id);
      const unblocked = await admin.call('CLIENT', 'UNBLOCK', String(id));
      const reply = await popped;
      const waited = waiter.call('WAIT', '1', '0');
      await blockedClients(admin, 1);
      const waitUnblocked = await admin.call('CLIENT', 'UNBLOCK', String(id), 'TIMEOUT');
      return { before, whileBlocked, unblocked, reply, waitUnblocked, waitReply: await waited, after: await clientFlags(admin, id) };
    });
    assert.deepEqual(seen, { before: 'N', whileBlocked: 'b', unblocked: 1, reply: null, waitUnblocked: 1, waitReply: 0, after: 'N' });
  });

  test('SWAPDB serves the clients waiting on keys the swap filled, in their own database', async () => {
    const seen = await onBoth(pair, async (_port, open) => {
      const [waiter, other, admin] = [await open(), await open(), await open()];
      await admin.call('FLUSHALL');
      await admin.pipeline([['SELECT', '1'], ['RPUSH', 'q', 'from-db1'], ['ZADD', 'z', '1', 'm'], ['SELECT', '0']]);
      const popped = waiter.call('BLPOP', 'q', '0');
      const zpopped = other.call('BZPOPMIN', 'z', '0');
      await blockedClients(admin, 2);
      const swapped = await admin.call('SWAPDB', '0', '1');
      return { swapped, popped: await popped, zpopped: await zpopped, left: await admin.call('EXISTS', 'q', 'z') };
    });
    assert.deepEqual(seen, { swapped: 'OK', popped: ['q', 'from-db1'], zpopped: ['z', 'm', '1'], left: 0 });
  });

  test('SWAPDB does not wake a client waiting for another type', async () => {
    await onBoth(pair, async (_port, open) => {
      const [waiter, admin] = [await open(), await open()];
      await admin.call('FLUSHALL');
      await admin.pipeline([['SELECT', '1'], ['SET', 'q', 'string'], ['SELECT', '0']]);
      const popped = waiter.call('BLPOP', 'q', '1');
      await blockedClients(admin, 1);
      const swapped = await admin.call('SWAPDB', '0', '1');
      return [swapped, await popped];
    });
  });
});

describe('idle timeout', () => {
  let pair: Pair;
  before(async () => {
    pair = await startPair(['--timeout', '1']);
  });
  after(async () => {
    await pair.close();
  });

  test('closes idle clients but not clients waiting in a blocking command', async () => {
    const seen = await onBoth(pair, async (_port, open) => {
      const [waiter, idle] = [await open(), await open()];
      await idle.call('PING');
      const popped = waiter.call('BLPOP', 'k', '0');
      const idleClosed = idle.closed().then(() => 'closed');
      await new Promise((r) => setTimeout(r, 2500));
      await (await open()).call('RPUSH', 'k', 'v');
      return { popped: await popped, idle: await Promise.race([idleClosed, Promise.resolve('open')]) };
    });
    assert.deepEqual(seen, { popped: ['k', 'v'], idle: 'closed' });
  });
});

describe('REPLICAOF and blocked clients', () => {
  let master: RunningServer;
  let pair: Pair;
  before(async () => {
    master = await startServer('ours');
    pair = await startPair(['--replica-read-only', 'no']);
  });
  after(async () => {
    await pair.close();
    await master.stop();
  });

  test('becoming a replica disconnects blocked clients with -UNBLOCKED', async () => {
    await onBoth(pair, async (_port, open) => {
      const [waiter, admin] = [await open(), await open()];
      const popped = waiter.call('BLPOP', 'k', '0');
      await blockedClients(admin, 1);
      const replicaof = await admin.call('REPLICAOF', '127.0.0.1', String(master.port));
      const reply = await popped;
      await waiter.closed();
      return { replicaof, reply, blocked: /blocked_clients:(\d+)/.exec(String(show(await admin.call('INFO', 'clients'))))?.[1] };
    });
  });

  test("a replica serves its clients blocked on keys its master's stream fills", async () => {
    const masterClient = await RespClient.open(master.port);
    const opened: RespClient[] = [masterClient];
    try {
      const waits = await Promise.all(
        pair.servers.map(async (server) => {
          const [waiter, admin] = await Promise.all([RespClient.open(server.port), RespClient.open(server.port)]);
          opened.push(waiter, admin);
          await linkUp(admin);
          const popped = waiter.call('BLPOP', 'fed', '0');
          await blockedClients(admin, 1);
          // Wrapped: an async function returning the pending reply would wait for it.
          return { popped };
        }),
      );
      await masterClient.call('RPUSH', 'fed', 'a', 'b');
      const [ours, redis] = await Promise.all(waits.map((w) => w.popped));
      assert.deepEqual(show(ours!), show(redis!));
      assert.deepEqual(show(ours!), ['fed', 'a']);
    } finally {
      for (const client of opened) client.close();
    }
  });
});

async function linkUp(admin: RespClient): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    if (String(show(await admin.call('INFO', 'replication'))).includes('master_link_status:up')) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the replica never linked to its master');
}

describe('keyspace notifications for new keys (class n)', () => {
  let pair: Pair;
  before(async () => {
    pair = await startPair();
  });
  after(async () => {
    await pair.close();
  });

  test('CONFIG GET shows n except under A, which hides it', async () => {
    for (const flags of ['AKEn', 'nAKE', 'KEn', 'gnE', 'n', 'KA', 'Enx', '']) {
      await pair.same(['CONFIG', 'SET', 'notify-keyspace-events', flags]);
      await pair.same(['CONFIG', 'GET', 'notify-keyspace-events']);
    }
  });

  for (const flags of ['AKEn', 'En', 'Kg']) {
    test(`the events published with notify-keyspace-events ${flags}`, async () => {
      await onBoth(pair, async (_port, open) => {
        const [subscriber, writer] = [await open(), await open()];
        await writer.call('FLUSHALL');
        await writer.call('CONFIG', 'SET', 'notify-keyspace-events', flags);
        await subscriber.call('PSUBSCRIBE', '__key*__:*');
        await subscriber.call('SUBSCRIBE', 'done');
        const dumped = await writer.call('DUMP', (await writer.call('SET', 'dumpme', 'v'), 'dumpme'));
        await writer.pipeline([
          ['SET', 'a', '1'],
          ['SET', 'a', '2'],
          ['LPUSH', 'l', 'x'],
          ['SET', 'b', '1'],
          ['RENAME', 'a', 'b'],
          ['RENAME', 'b', 'c'],
          ['COPY', 'c', 'd'],
          ['COPY', 'c', 'd', 'REPLACE'],
          ['RESTORE', 'r', '0', dumped as Buffer],
          ['RESTORE', 'r', '0', dumped as Buffer, 'REPLACE'],
          ['SET', 'px', '1', 'PX', '1'],
          ['INCR', 'n1'],
          ['APPEND', 'ap', 'z'],
          ['HSET', 'h', 'f', 'v'],
          ['SADD', 's1', 'm'],
          ['SINTERSTORE', 'dst', 's1'],
          ['SINTERSTORE', 'dst', 's1'],
          ['SMOVE', 's1', 's2', 'm'],
          ['ZADD', 'z', '1', 'm'],
          ['LMOVE', 'l', 'l2', 'LEFT', 'RIGHT'],
          ['SETRANGE', 'sr', '2', 'x'],
          ['MOVE', 'c', '1'],
        ]);
        await new Promise((r) => setTimeout(r, 5));
        await writer.pipeline([['SET', 'px', 'again'], ['SELECT', '1'], ['SET', 'in1', 'v'], ['CONFIG', 'SET', 'notify-keyspace-events', '']]);
        return messagesUntilDone(subscriber, writer);
      });
    });
  }
});

describe('OBJECT FREQ and IDLETIME under each maxmemory-policy', () => {
  let pair: Pair;
  before(async () => {
    // A log factor of 0 makes every access increment the counter, so frequencies are exact.
    pair = await startPair(['--maxmemory-policy', 'allkeys-lfu', '--lfu-log-factor', '0']);
  });
  after(async () => {
    await pair.close();
  });

  test('an LFU policy from the start counts accesses', async () => {
    await pair.same(['SET', 'k', 'v']);
    await pair.same(['OBJECT', 'FREQ', 'k']);
    for (let i = 0; i < 10; i++) await pair.same(['GET', 'k']);
    await pair.same(['OBJECT', 'FREQ', 'k']);
    await pair.same(['OBJECT', 'IDLETIME', 'k']);
    await pair.same(['OBJECT', 'FREQ', 'missing']);
  });

  test('CONFIG SET of the policy and the LFU parameters applies at once', async () => {
    await pair.same(['CONFIG', 'SET', 'maxmemory-policy', 'volatile-lru']);
    await pair.same(['SET', 'lru', 'v']);
    await pair.same(['OBJECT', 'FREQ', 'lru']);
    await pair.same(['OBJECT', 'IDLETIME', 'lru']);
    await pair.same(['CONFIG', 'SET', 'maxmemory-policy', 'volatile-lfu']);
    await pair.same(['CONFIG', 'SET', 'lfu-log-factor', '0']);
    await pair.same(['SET', 'lfu', 'v']);
    for (let i = 0; i < 5; i++) await pair.same(['GET', 'lfu']);
    await pair.same(['OBJECT', 'FREQ', 'lfu']);
    await pair.same(['CONFIG', 'SET', 'lfu-decay-time', '0']);
    await pair.same(['GET', 'lfu']);
    await pair.same(['OBJECT', 'FREQ', 'lfu']);
    await pair.same(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
    await pair.same(['OBJECT', 'FREQ', 'lfu']);
  });

  test('RESTORE IDLETIME and FREQ set what OBJECT reports, each under the policy that tracks it', async () => {
    // cluster.c restoreCommand -> object.c objectSetLRUOrLFU.
    await pair.sameAll([['SET', 'src', 'v'], ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru']]);
    const payload = (await pair.ours.call('DUMP', 'src')) as Buffer;
    /** OBJECT IDLETIME from both; they may read their clocks a second apart. */
    const idleTimes = async (key: string): Promise<number[]> => {
      const replies = await Promise.all([pair.ours.call('OBJECT', 'IDLETIME', key), pair.redis.call('OBJECT', 'IDLETIME', key)]);
      assert.ok(replies.every((r) => typeof r === 'number'), `OBJECT IDLETIME ${key}: ${JSON.stringify(replies.map(show))}`);
      assert.ok(Math.abs((replies[0] as number) - (replies[1] as number)) <= 1, `OBJECT IDLETIME ${key} (ours, then redis-server): ${replies.join(', ')}`);
      return replies as number[];
    };
    await pair.sameAll([
      ['RESTORE', 'idle', '0', payload, 'IDLETIME', '1000'],
      ['RESTORE', 'idle', '0', payload, 'REPLACE', 'IDLETIME', '3600'],
      ['RESTORE', 'ancient', '0', payload, 'IDLETIME', '100000000'],
      ['RESTORE', 'ignored', '0', payload, 'FREQ', '200'],
      ['RESTORE', 'both', '0', payload, 'IDLETIME', '1', 'FREQ', '2'],
      ['RESTORE', 'both', '0', payload, 'IDLETIME', '-1'],
    ]);
    assert.ok((await idleTimes('idle'))[0]! >= 3600);
    // Beyond the 24-bit clock's cycle (about 194 days): what Redis's wrapped field reads back.
    await idleTimes('ancient');
    assert.ok((await idleTimes('ignored'))[0]! <= 1);
    // Under an LFU policy FREQ applies and IDLETIME is ignored (a new key's counter is 5).
    await pair.sameAll([
      ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-lfu'],
      ['RESTORE', 'freq', '0', payload, 'FREQ', '200'],
      ['OBJECT', 'FREQ', 'freq'],
      ['RESTORE', 'freq', '0', payload, 'REPLACE', 'FREQ', '0'],
      ['OBJECT', 'FREQ', 'freq'],
      ['RESTORE', 'idle-lfu', '0', payload, 'IDLETIME', '1000'],
      ['OBJECT', 'FREQ', 'idle-lfu'],
      ['OBJECT', 'IDLETIME', 'idle-lfu'],
      ['RESTORE', 'bad', '0', payload, 'FREQ', '256'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
    ]);
  });
});

describe('enable-debug-command', () => {
  let pair: Pair;
  before(async () => {
    // The default ("no"), with a password so that the order of the checks shows.
    pair = await startPair(['--requirepass', 'secret']);
  });
  after(async () => {
    await pair.close();
  });

  test('DEBUG is refused by default, before authentication and inside MULTI', async () => {
    await pair.same(['DEBUG']);
    await pair.same(['DEBUG', 'HELP']);
    await pair.same(['AUTH', 'secret']);
    await pair.same(['DEBUG', 'DIGEST']);
    await pair.same(['DEBUG', 'no-such-subcommand']);
    await pair.same(['CONFIG', 'SET', 'enable-debug-command', 'yes']);
    await pair.same(['MULTI']);
    await pair.same(['DEBUG', 'DIGEST']);
    await pair.same(['EXEC']);
  });
});

describe('enable-debug-command local', () => {
  let pair: Pair;
  before(async () => {
    // Protected mode would refuse 127.0.0.2 before DEBUG is even tried (Redis 7.0 counts only
    // 127.0.0.1 and ::1 as local, for both rules).
    pair = await startPair(['--enable-debug-command', 'local', '--bind', '127.0.0.1 127.0.0.2', '--protected-mode', 'no']);
  });
  after(async () => {
    await pair.close();
  });

  test('allows DEBUG from 127.0.0.1 only', async () => {
    await pair.same(['DEBUG', 'DIGEST']);
    const fromElsewhere = await Promise.all(pair.servers.map((server) => rawReply(server.port, '127.0.0.2', 'DEBUG DIGEST\r\n')));
    assert.equal(fromElsewhere[0], fromElsewhere[1]);
    assert.match(fromElsewhere[0]!, /^-ERR DEBUG command not allowed/);
  });
});

/** The first reply line to `request` over a connection made from (and to) `address`. */
function rawReply(port: number, address: string, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: address, localAddress: address }, () => socket.write(request));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n')) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('error', reject);
  });
}

describe('MEMORY', () => {
  let pair: Pair;
  before(async () => {
    pair = await startPair();
  });
  after(async () => {
    await pair.close();
  });

  test('HELP, argument errors and missing keys', async () => {
    for (const sub of ['HELP', 'PURGE', 'NOTHING']) await pair.same(['MEMORY', sub]);
    await pair.same(['MEMORY']);
    await pair.same(['MEMORY', 'STATS', 'extra']);
    await pair.same(['MEMORY', 'USAGE']);
    await pair.same(['MEMORY', 'USAGE', 'missing']);
    await pair.same(['SET', 'foo', 'bar']);
    for (const options of [['SAMPLES'], ['SAMPLES', '-1'], ['SAMPLES', 'x'], ['bar', '1'], ['SAMPLES', '0', 'SAMPLES']]) {
      await pair.same(['MEMORY', 'USAGE', 'foo', ...options]);
    }
    await pair.same(['MEMORY', 'USAGE', 'missing', 'SAMPLES', '0']);
  });

  test('USAGE is what redis-server allocates for strings, listpacks, intsets and quicklists', async () => {
    const long = (n: number, c = 'x') => c.repeat(n);
    const setup: Array<Array<string | number>> = [
      ['SET', 'i', '12345'],
      ['SET', 'e', 'bar'],
      ['SET', long(52, 'k'), long(30)],
      ['SET', 'raw', long(105)],
      ['SET', 'raw2', long(300)],
      ['RPUSH', 'l', 'a', 'b', 'c', '1', '2', '300', '70000', '-5000000', '12345678901'],
      ['HSET', 'h', 'f', 'v', 'f2', '12345', 'f3', long(60)],
      ['SADD', 's16', '1', '2', '3'],
      ['SADD', 's32', '1', '100000'],
      ['SADD', 's64', '1', '10000000000'],
      ['ZADD', 'z', '1', 'a', '2.5', 'b', '-3', 'c', '1e100', 'd'],
      ['HSET', 'hh', 'f', long(70)],
    ];
    for (let i = 0; i < 2000; i++) setup.push(['RPUSH', 'ql', `value-${long(40, 'z')}-${i}`]);
    for (let i = 0; i < 300; i++) setup.push(['SADD', 'intset', String(i * 7)]);
    await Promise.all([pair.ours.pipeline(setup), pair.redis.pipeline(setup)]);
    for (const key of ['i', 'e', long(52, 'k'), 'raw', 'raw2', 'l', 'h', 's16', 's32', 's64', 'z', 'hh', 'ql', 'intset']) {
      await pair.same(['MEMORY', 'USAGE', key]);
      await pair.same(['MEMORY', 'USAGE', key, 'SAMPLES', '0']);
    }
  });

  test('USAGE of hashtables and skiplists is close to redis-server (a rehash in progress and random levels vary)', async () => {
    const setup: Array<Array<string | number>> = [];
    for (let i = 0; i < 300; i++) {
      setup.push(['HSET', 'bh', `field${i}`, `value${i}`], ['SADD', 'bs', `member${i}`], ['ZADD', 'bz', i, `m${i}`]);
    }
    await Promise.all([pair.ours.pipeline(setup), pair.redis.pipeline(setup)]);
    for (const key of ['bh', 'bs', 'bz']) {
      const [ours, redis] = await Promise.all([pair.ours.call('MEMORY', 'USAGE', key), pair.redis.call('MEMORY', 'USAGE', key)]);
      // redis-server counts a second bucket table while an incremental rehash is in progress
      // (for 300 entries: 256 + 512 buckets, 6 KB more), which depends on how many dict steps
      // ran; ours counts the settled table. 25% covers that, not a wrong estimate.
      assert.ok(Math.abs(Number(ours) - Number(redis)) <= Number(redis) * 0.25, `${key}: ours ${ours}, redis-server ${redis}`);
    }
  });

  test('used_memory follows the data as redis-server\'s does: up by the dataset, down again when its keys are deleted', async () => {
    // Our keys and string values live in pages outside the JS heap (keyspace/slot-strings.ts);
    // a deleted value's block stays in its page for reuse, and used_memory must not count it,
    // as Redis's does not count memory its allocator got back from a DEL.
    const usedMemory = async (client: RespClient) => Number(/used_memory:(\d+)/.exec(String(await client.call('INFO', 'memory')))![1]);
    const value = 'v'.repeat(1000);
    const writes: Array<Array<string>> = [];
    const deletes: Array<Array<string>> = [];
    for (let i = 0; i < 30_000; i++) {
      writes.push(['SET', `mem:${i}`, value]);
      if (i !== 0) deletes.push(['DEL', `mem:${i}`]);
    }
    for (const client of [pair.ours, pair.redis]) {
      await client.call('FLUSHALL');
      const empty = await usedMemory(client);
      await client.pipeline(writes);
      const full = await usedMemory(client);
      await client.pipeline(deletes);
      const deleted = await usedMemory(client);
      const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
      const what = `${client === pair.ours ? 'ours' : 'redis-server'}: empty ${mb(empty)}, 30,000 keys ${mb(full)}, one left ${mb(deleted)}`;
      assert.ok(full - empty > 25 * 2 ** 20, what);
      assert.ok(full - deleted > (full - empty) / 2, what);
    }
  });

  test('STATS has redis-server fields in its order, DOCTOR a report', async () => {
    const names = async (client: RespClient) => ((await client.call('MEMORY', 'STATS')) as Reply[]).filter((_, i) => i % 2 === 0).map(String);
    assert.deepEqual(await names(pair.ours), await names(pair.redis));
    assert.match(String(show(await pair.ours.call('MEMORY', 'DOCTOR'))), /^Hi Sam, /);
  });
});
