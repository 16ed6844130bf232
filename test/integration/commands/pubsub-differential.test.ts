// Pub/Sub and keyspace notifications against Debian's redis-server 7.0: the same subscribers and
// publishers on both servers must receive exactly the same replies and messages, in RESP2 (with
// its subscribed-mode restrictions) and RESP3 (push messages).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPair, type Pair } from '../../support/differential.js';
import { RespClient, show, type Reply } from '../../support/resp-client.js';

type Arg = string | number;

let pair: Pair;
/** A subscriber connection on each server. */
let sub: { ours: RespClient; redis: RespClient };

before(async () => {
  pair = await startPair();
  sub = await openSubscribers();
});
after(async () => {
  sub?.ours.close();
  sub?.redis.close();
  await pair?.close();
});

async function openSubscribers() {
  const [ours, redis] = await Promise.all(pair.servers.map((s) => RespClient.open(s.port)));
  return { ours: ours!, redis: redis! };
}

/** Waits until `client` has received `n` unsolicited replies (or a second passed), and takes them. */
async function takeUnsolicited(client: RespClient, n: number): Promise<unknown[]> {
  for (let i = 0; i < 100 && client.unsolicited.length < n; i++) await sleep(10);
  return client.unsolicited.splice(0).map(show);
}

/**
 * The subscriber sends argv on both servers; its direct reply plus `more` further replies
 * (multi-channel confirmations, messages) must be identical.
 */
async function subSame(argv: Arg[], more = 0): Promise<Reply> {
  const [a, b] = await Promise.all([sub.ours.call(...argv), sub.redis.call(...argv)]);
  assert.deepEqual(show(a), show(b), `subscriber reply to ${argv.join(' ')} differs`);
  const [ma, mb] = await Promise.all([takeUnsolicited(sub.ours, more), takeUnsolicited(sub.redis, more)]);
  assert.deepEqual(ma, mb, `subscriber's further replies after ${argv.join(' ')} differ`);
  assert.equal(ma.length, more, `expected ${more} further replies after ${argv.join(' ')}, got ${JSON.stringify(ma)}`);
  return a;
}

/** Messages the subscriber received since the last check: the same on both servers. */
async function messagesSame(expected: number): Promise<unknown[]> {
  const [a, b] = await Promise.all([takeUnsolicited(sub.ours, expected), takeUnsolicited(sub.redis, expected)]);
  assert.deepEqual(a, b, 'messages received differ (ours, then redis-server)');
  assert.equal(a.length, expected, `expected ${expected} messages, got ${JSON.stringify(a)}`);
  return a;
}

describe('RESP2 subscribers', () => {
  test('SUBSCRIBE, PUBLISH, counts, UNSUBSCRIBE', async () => {
    await subSame(['SUBSCRIBE', 'news', 'sport'], 1);
    await subSame(['SUBSCRIBE', 'news'], 0); // already subscribed: confirmed again, count unchanged
    await pair.same(['PUBLISH', 'news', 'hello']);
    await pair.same(['PUBLISH', 'nobody', 'x']);
    await pair.same(['PUBLISH', 'sport', Buffer.from([0, 255, 13, 10]).toString('latin1')]);
    await messagesSame(2);
    await pair.same(['PUBSUB', 'NUMSUB', 'news', 'sport', 'none']);
    await pair.same(['PUBSUB', 'CHANNELS'], { unordered: true });
    await pair.same(['PUBSUB', 'CHANNELS', 'n*']);
    await subSame(['UNSUBSCRIBE', 'news', 'never'], 1);
    await subSame(['UNSUBSCRIBE'], 0);
    await subSame(['UNSUBSCRIBE'], 0); // nothing left: one reply with a null channel
    await pair.same(['PUBSUB', 'CHANNELS']);
  });

  test('sharded: SSUBSCRIBE, SPUBLISH, smessage, their own counts, SUNSUBSCRIBE', async () => {
    await subSame(['SSUBSCRIBE', 'orders', 'stock'], 1);
    await subSame(['SUBSCRIBE', 'orders'], 0); // a plain channel of the same name is another one
    await pair.same(['SPUBLISH', 'orders', 'o1']);
    await pair.same(['PUBLISH', 'orders', 'plain']);
    await pair.same(['SPUBLISH', 'nobody', 'x']);
    await messagesSame(2);
    await pair.same(['PUBSUB', 'SHARDNUMSUB', 'orders', 'stock', 'none']);
    await pair.same(['PUBSUB', 'SHARDCHANNELS'], { unordered: true });
    await pair.same(['PUBSUB', 'SHARDCHANNELS', 'o*']);
    await pair.same(['PUBSUB', 'NUMSUB', 'orders']);
    await pair.same(['COMMAND', 'GETKEYS', 'SPUBLISH', 'orders', 'x']);
    const info = (reply: unknown) => /pubsubshard_channels:\d+/.exec(String(reply))?.[0];
    assert.equal(info(await pair.ours.call('INFO', 'stats')), info(await pair.redis.call('INFO', 'stats')));
    await subSame(['SUNSUBSCRIBE', 'orders', 'never'], 1);
    await subSame(['SUNSUBSCRIBE'], 0);
    await subSame(['SUNSUBSCRIBE'], 0); // none left: one reply with a null channel
    await subSame(['UNSUBSCRIBE'], 0);
    await pair.same(['PUBSUB', 'SHARDCHANNELS']);
  });

  test('patterns: PSUBSCRIBE, pmessage, NUMPAT, PUNSUBSCRIBE', async () => {
    await subSame(['PSUBSCRIBE', 'h?llo', 'news.*'], 1);
    await subSame(['SUBSCRIBE', 'hello'], 0);
    await pair.same(['PUBLISH', 'hello', 'both']); // channel and pattern: two deliveries
    await pair.same(['PUBLISH', 'news.tech', 'pattern only']);
    await messagesSame(3);
    // Patterns added or dropped between two publishes count from the next one.
    await subSame(['PSUBSCRIBE', 'sp*rt'], 0);
    await pair.same(['PUBLISH', 'sport', 'new pattern']);
    await messagesSame(1);
    await subSame(['PUNSUBSCRIBE', 'news.*'], 0);
    await pair.same(['PUBLISH', 'news.tech', 'nobody now']);
    await pair.same(['PUBLISH', 'sport', 'still there']);
    await messagesSame(1);
    await pair.same(['PUBSUB', 'NUMPAT']);
    await subSame(['PUNSUBSCRIBE', 'h?llo'], 0);
    await subSame(['PUNSUBSCRIBE'], 0);
    await subSame(['PUNSUBSCRIBE'], 0);
    await subSame(['UNSUBSCRIBE'], 0);
    await pair.same(['PUBSUB', 'NUMPAT']);
  });

  test('only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET while subscribed', async () => {
    await subSame(['SUBSCRIBE', 'c'], 0);
    await subSame(['GET', 'k'], 0);
    await subSame(['CLIENT', 'LIST'], 0);
    await subSame(['PING'], 0);
    await subSame(['PING', 'hi'], 0);
    await subSame(['NOSUCHCOMMAND'], 0);
    await subSame(['UNSUBSCRIBE', 'c'], 0);
    await subSame(['PING'], 0);
    await subSame(['GET', 'k'], 0);
  });

  test('RESET leaves subscribed mode', async () => {
    await subSame(['SUBSCRIBE', 'r1', 'r2'], 1);
    await subSame(['PSUBSCRIBE', 'r*'], 0);
    await subSame(['RESET'], 0);
    await pair.same(['PUBSUB', 'NUMSUB', 'r1']);
    await pair.same(['PUBSUB', 'NUMPAT']);
    await subSame(['GET', 'k'], 0);
  });

  test('PUBSUB errors, shard subcommands and help', async () => {
    for (const argv of [
      ['PUBSUB'],
      ['PUBSUB', 'NOPE'],
      ['PUBSUB', 'CHANNELS', 'a', 'b'],
      ['PUBSUB', 'NUMPAT', 'x'],
      ['PUBSUB', 'NUMSUB'],
      ['PUBSUB', 'SHARDCHANNELS'],
      ['PUBSUB', 'SHARDNUMSUB', 'a'],
      ['PUBSUB', 'HELP'],
      ['PUBLISH', 'a'],
      ['SUBSCRIBE'],
      ['PSUBSCRIBE'],
    ]) {
      await pair.same(argv);
    }
  });

  test('subscribing inside MULTI', async () => {
    await subSame(['MULTI'], 0);
    await subSame(['SUBSCRIBE', 'm1'], 0);
    await subSame(['EXEC'], 0);
    await subSame(['UNSUBSCRIBE'], 0);
  });
});

describe('RESP3 subscribers', () => {
  test('confirmations and messages are pushes; other commands still work', async () => {
    await Promise.all([sub.ours.call('HELLO', '3'), sub.redis.call('HELLO', '3')]);
    await subSame(['SUBSCRIBE', 'p3', 'q3'], 1);
    await subSame(['PSUBSCRIBE', 'p*'], 0);
    await subSame(['SET', 'k3', 'v'], 0);
    await subSame(['GET', 'k3'], 0);
    await subSame(['PING'], 0);
    await pair.same(['PUBLISH', 'p3', 'm']);
    await messagesSame(2);
    // (UNSUBSCRIBE without arguments goes through Redis's channel dict in hash order: name them.)
    await subSame(['UNSUBSCRIBE', 'p3', 'q3'], 1);
    await subSame(['PUNSUBSCRIBE'], 0);
    await subSame(['UNSUBSCRIBE'], 0);
    await Promise.all([sub.ours.call('HELLO', '2'), sub.redis.call('HELLO', '2')]);
  });
});

describe('keyspace notifications', () => {
  test('notify-keyspace-events: flags as CONFIG GET shows them, and bad ones', async () => {
    for (const flags of ['KEA', 'lgKx', 'Em', 'nK', 'Am', '$g', 'AKE', '']) {
      await pair.same(['CONFIG', 'SET', 'notify-keyspace-events', flags]);
      await pair.same(['CONFIG', 'GET', 'notify-keyspace-events']);
    }
    await pair.same(['CONFIG', 'SET', 'notify-keyspace-events', 'Q']);
  });

  test('events of every family reach __keyspace@ and __keyevent@ subscribers', async () => {
    await pair.same(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
    await subSame(['PSUBSCRIBE', '__key*__:*'], 0);
    // Each command with the number of messages it causes (keyspace + keyevent per event; a
    // removal that empties a hash, set or zset adds a "del").
    const commands: [Arg[], number][] = [
      [['SET', 'ks', '1'], 2],
      [['INCR', 'ks'], 2],
      [['APPEND', 'ks', 'x'], 2],
      [['EXPIRE', 'ks', '100'], 2],
      [['PERSIST', 'ks'], 2],
      [['DEL', 'ks'], 2],
      [['HSET', 'kh', 'f', 'v'], 2],
      [['HDEL', 'kh', 'f'], 4],
      [['SADD', 'kset', 'a', 'b'], 2],
      [['SREM', 'kset', 'a', 'b'], 4],
      [['ZADD', 'kz', '1', 'm'], 2],
      [['ZINCRBY', 'kz', '2', 'm'], 2],
      [['ZREM', 'kz', 'm'], 4],
      [['SET', 'kx', 'v', 'PX', '20'], 4],
    ];
    let expected = 0;
    for (const [argv, messages] of commands) {
      await pair.same(argv);
      expected += messages;
    }
    await messagesSame(expected);
    await sleep(150); // kx expires (active expiry on both servers)
    await messagesSame(2);
    await pair.same(['SET', 'ks', '1']); // single class only
    await pair.same(['CONFIG', 'SET', 'notify-keyspace-events', 'Eg']);
    await pair.same(['SET', 'ks', '2']);
    await pair.same(['DEL', 'ks']);
    await messagesSame(3);
    await pair.same(['CONFIG', 'SET', 'notify-keyspace-events', '']);
    await subSame(['PUNSUBSCRIBE'], 0);
  });

  test('keyspace channels by exact name and by prefix patterns, in two databases', async () => {
    // Our node matches a notification's channel as its prefix and key apart (never joined), so
    // patterns end inside the prefix, at its end and inside the key, and a plain SUBSCRIBE.
    await pair.same(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
    await subSame(['SUBSCRIBE', '__keyspace@0__:kn'], 0);
    await subSame(['PSUBSCRIBE', '__keyspace@0__:kn*', '__keyevent@0__:*', '__keyspace@1__:*', '__keysp*'], 3);
    await pair.same(['SET', 'kn', '1']); // kn, kn*, keyevent, __keysp*: 4
    await pair.same(['SET', 'kno', '1']); // kn*, keyevent, __keysp*: 3
    await pair.same(['SET', 'k', '1']); // keyevent, __keysp*: 2
    await pair.same(['SELECT', '1']);
    await pair.same(['SET', 'kn', '1']); // __keyspace@1__:*, __keysp*: 2
    await pair.same(['SELECT', '0']);
    await pair.same(['PUBLISH', '__keyspace@0__:kn', 'by hand']); // kn, kn*, __keysp*: 3
    // Redis 7.0 walks its patterns as a dict, in the order of their seeded hashes: which of two
    // matching patterns delivers first differs from run to run, so the order is not compared.
    const [ours, redis] = await Promise.all([takeUnsolicited(sub.ours, 14), takeUnsolicited(sub.redis, 14)]);
    const sorted = (messages: unknown[]) => messages.map((m) => JSON.stringify(m)).sort();
    assert.deepEqual(sorted(ours), sorted(redis), 'messages received differ (ours, then redis-server)');
    assert.equal(ours.length, 14, `expected 14 messages, got ${JSON.stringify(ours)}`);
    await subSame(['UNSUBSCRIBE'], 0);
    await subSame(['PUNSUBSCRIBE'], 3);
    await pair.same(['CONFIG', 'SET', 'notify-keyspace-events', '']);
    await pair.sameAll([
      ['DEL', 'kn', 'kno', 'k'],
      ['SELECT', '1'],
      ['DEL', 'kn'],
      ['SELECT', '0'],
    ]);
  });
});

describe('subscriber connections going away', () => {
  test('a closed subscriber is no longer counted', async () => {
    const extra = await openSubscribers();
    await Promise.all([extra.ours.call('SUBSCRIBE', 'gone'), extra.redis.call('SUBSCRIBE', 'gone')]);
    await pair.same(['PUBSUB', 'NUMSUB', 'gone']);
    extra.ours.close();
    extra.redis.close();
    // Each server notices the close when it reads the connection's end: wait for both (5 s at most).
    for (let i = 0; i < 100; i++) {
      const counts = await Promise.all([pair.ours, pair.redis].map(async (c) => (await c.call('PUBSUB', 'NUMSUB', 'gone')) as unknown[]));
      if (counts.every((c) => c[1] === 0)) break;
      await sleep(50);
    }
    await pair.same(['PUBSUB', 'NUMSUB', 'gone']);
    await pair.same(['PUBLISH', 'gone', 'x']);
  });
});
