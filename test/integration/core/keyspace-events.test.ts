// Keyspace notifications for new keys (the `n` class) against Debian's redis-server 7.0 side by side.
import { after, before, describe, test } from 'node:test';
import { startPair, onBoth, plain, type Pair } from '../../support/differential.js';
import { RespClient } from '../../support/resp-client.js';

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
        await writer.pipeline([
          ['SET', 'px', 'again'],
          ['SELECT', '1'],
          ['SET', 'in1', 'v'],
          ['CONFIG', 'SET', 'notify-keyspace-events', ''],
        ]);
        return messagesUntilDone(subscriber, writer);
      });
    });
  }
});
