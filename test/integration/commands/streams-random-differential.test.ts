// Streams against Debian's redis-server 7.0, the long way: the keyspace events of every stream
// command in order, and a seeded random stream of XADD / XDEL / XTRIM / XSETID / XRANGE / group
// commands with small nodes, checking replies, XINFO STREAM (node and radix-tree counts, 7.0's
// counters) and XINFO GROUPS (entries-read, lag) as it goes, and the uncompressed DUMP payloads
// byte for byte at the end.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pairForFile } from '../../support/differential.js';
import { RespClient, show } from '../../support/resp-client.js';
import { seededRandom } from '../../support/command-families.js';

const pair = pairForFile(['--stream-node-max-entries', '5', '--stream-node-max-bytes', '200', '--rdbcompression', 'no']);

type Arg = string | number;

async function messagesUntilEnd(listener: RespClient): Promise<unknown[]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const messages = listener.unsolicited.map(show) as unknown[][];
    if (messages.at(-1)?.at(-1) === 'end') return messages.slice(0, -1);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the final message never arrived');
}

describe('streams at length', () => {
  test('keyspace events: the same events in the same order', async () => {
    await pair.same(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
    const listeners = await Promise.all(pair.servers.map((s) => RespClient.open(s.port)));
    try {
      for (const listener of listeners) await listener.call('PSUBSCRIBE', '__key*__:*');
      await pair.sameAll([
        ['FLUSHALL'],
        ['XADD', 's', '1-0', 'f', 'v'],
        ['XADD', 's', '2-0', 'f', 'v'],
        ['XADD', 's', 'MAXLEN', '1', '3-0', 'f', 'v'],
        ['XADD', 's', 'MAXLEN', '5', '4-0', 'f', 'v'],
        ['XADD', 'none', 'NOMKSTREAM', '1-0', 'f', 'v'],
        ['XADD', 's', '1-0', 'f', 'v'],
        ['XDEL', 's', '3-0', '9-0'],
        ['XDEL', 's', '9-0'],
        ['XTRIM', 's', 'MAXLEN', '0'],
        ['XTRIM', 's', 'MAXLEN', '0'],
        ['XSETID', 's', '10-0'],
        ['XADD', 's', '11-0', 'f', 'v'],
        ['XGROUP', 'CREATE', 's', 'g', '0'],
        ['XGROUP', 'CREATE', 'm', 'g', '0', 'MKSTREAM'],
        ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c'],
        ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c'],
        ['XREADGROUP', 'GROUP', 'g', 'new', 'STREAMS', 's', '>'],
        ['XREADGROUP', 'GROUP', 'g', 'new', 'STREAMS', 's', '>'],
        ['XCLAIM', 's', 'g', 'other', '0', '11-0'],
        ['XAUTOCLAIM', 's', 'g', 'third', '0', '0'],
        ['XACK', 's', 'g', '11-0'],
        ['XGROUP', 'SETID', 's', 'g', '0'],
        ['XGROUP', 'DELCONSUMER', 's', 'g', 'c'],
        ['XGROUP', 'DESTROY', 's', 'g'],
      ]);
      await pair.same(['PUBLISH', '__key__:end', 'end']);
      const events = await Promise.all(listeners.map((listener) => messagesUntilEnd(listener)));
      assert.ok((events[1] as unknown[]).length > 30, 'redis-server published the events');
      assert.deepEqual(events[0], events[1], 'keyspace events differ (ours, then redis-server)');
    } finally {
      for (const listener of listeners) listener.close();
      await pair.same(['CONFIG', 'SET', 'notify-keyspace-events', '']);
    }
  });

  for (const seed of [1, 2, 3]) {
    test(`a seeded random stream of stream commands (seed ${seed}) gets the same replies and the same nodes`, async () => {
      await pair.same(['FLUSHALL']);
      const rnd = seededRandom(seed);
      const keys = ['s0', 's1'];
      const next = new Map<string, number>(keys.map((k) => [k, 1]));
      const value = () => (rnd.int(4) === 0 ? String(rnd.int(100000) - 50) : 'v'.repeat(rnd.int(30)));
      const fields = () => (rnd.int(3) === 0 ? ['a', value(), 'b', value(), 'c', value()] : ['a', value(), 'b', value()]);
      const someId = (key: string) => `${1 + rnd.int(next.get(key)!)}-${rnd.int(3)}`;
      for (let step = 0; step < 400; step++) {
        const key = rnd.pick(keys);
        let argv: Arg[];
        switch (rnd.int(12)) {
          case 0:
          case 1:
          case 2:
          case 3: {
            const ms = next.get(key)!;
            next.set(key, ms + rnd.int(3));
            const id = rnd.int(4) === 0 ? `${ms}-*` : `${ms}-${rnd.int(3)}`;
            const trim = rnd.int(5) === 0 ? ['MAXLEN', rnd.pick(['~', '=']), String(rnd.int(40))] : [];
            argv = ['XADD', key, ...trim, id, ...fields()];
            break;
          }
          case 4:
            argv = ['XDEL', key, someId(key), someId(key)];
            break;
          case 5:
            argv = ['XTRIM', key, 'MAXLEN', rnd.pick(['~', '=']), String(10 + rnd.int(40))];
            break;
          case 6:
            argv = ['XTRIM', key, 'MINID', rnd.pick(['~', '=']), someId(key), ...(rnd.int(2) ? ['LIMIT', String(rnd.int(12))] : [])];
            if (argv[3] === '=' && argv.length > 5) argv = argv.slice(0, 5);
            break;
          case 7:
            argv = ['XRANGE', key, someId(key), '+', 'COUNT', String(rnd.int(5))];
            break;
          case 8:
            argv = ['XGROUP', 'CREATE', key, rnd.pick(['g1', 'g2']), rnd.pick(['0', '$', someId(key)]), 'MKSTREAM'];
            break;
          case 9:
            argv = [
              'XREADGROUP',
              'GROUP',
              rnd.pick(['g1', 'g2']),
              rnd.pick(['c1', 'c2']),
              'COUNT',
              String(1 + rnd.int(4)),
              'STREAMS',
              key,
              '>',
            ];
            break;
          case 10:
            argv = ['XACK', key, rnd.pick(['g1', 'g2']), someId(key), someId(key)];
            break;
          default:
            argv = ['XREVRANGE', key, '+', '-', 'COUNT', '3'];
        }
        await pair.same(argv);
        if (step % 20 === 19) {
          for (const k of keys) {
            await pair.same(['XINFO', 'STREAM', k]);
            await pair.same(['XINFO', 'GROUPS', k]);
          }
        }
      }
      for (const k of keys) {
        await pair.same(['XRANGE', k, '-', '+']);
        await pair.same(['DEBUG', 'DIGEST-VALUE', k]);
        // Without groups, whose times differ, the payload is the same byte for byte.
        await pair.same(['XGROUP', 'DESTROY', k, 'g1']);
        await pair.same(['XGROUP', 'DESTROY', k, 'g2']);
        await pair.same(['DUMP', k]);
      }
    });
  }
});
