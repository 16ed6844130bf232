// XREAD BLOCK with real waiting clients, against our node and Debian's redis-server 7.0: each
// scenario runs with several connections on both servers and what every client saw must be the
// same. It covers "$" and explicit IDs, every waiter of a stream being served (nothing is
// consumed), changes that add no entry (XDEL, XTRIM, XSETID, a key of another type) leaving
// waiters blocked, several keys, COUNT, deadlines, and what stream writes propagate, read back
// from each server's AOF (generated IDs, "~" trimming rewritten as "=").
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { blockingPairForFile, readAofAfterFlush } from '../../support/blocking-pair.js';
import { show } from '../../support/resp-client.js';

const pair = blockingPairForFile();
const onBoth = pair.onBoth;

describe('XREAD BLOCK', () => {
  test('"$" waits for the next entry; every waiter of the stream gets it', async () => {
    const seen = await onBoth(async (node) => {
      const [a, b, writer] = [await node.open(), await node.open(), await node.open()];
      await writer.call('XADD', 's', '1-0', 'f', 'old');
      const first = a.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      await node.blocked(1);
      const second = b.call('XREAD', 'COUNT', '5', 'BLOCK', '0', 'STREAMS', 'other', 's', '0-5', '1-0');
      await node.blocked(2);
      const added = await writer.call('XADD', 's', '2-0', 'f', 'new', 'g', 'x');
      await node.blocked(0);
      return { first: await first, second: await second, added, after: await a.call('PING') };
    });
    assert.deepEqual(seen, {
      first: [['s', [['2-0', ['f', 'new', 'g', 'x']]]]],
      second: [['s', [['2-0', ['f', 'new', 'g', 'x']]]]],
      added: '2-0',
      after: 'PONG',
    });
  });

  test('changes that add no entry past the ID leave the waiter blocked; a deadline answers null', async () => {
    const seen = await onBoth(async (node) => {
      const [waiter, writer] = [await node.open(), await node.open()];
      await writer.call('XADD', 's', '5-0', 'f', 'v');
      await writer.call('XADD', 's', '6-0', 'f', 'v');
      const read = waiter.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', 'missing', '6-0', '$');
      await node.blocked(1);
      const changes = [
        await writer.call('XDEL', 's', '5-0'),
        await writer.call('XTRIM', 's', 'MAXLEN', '0'),
        await writer.call('XSETID', 's', '9-0'),
        await writer.call('SET', 'missing', 'string'),
        await writer.call('DEL', 'missing'),
      ];
      const still = Number(/blocked_clients:(\d+)/.exec(String(show(await writer.call('INFO', 'clients'))))![1]);
      await writer.call('XADD', 'missing', '1-0', 'f', 'v');
      const timedOut = await writer.call('XREAD', 'BLOCK', '30', 'STREAMS', 'missing', 's', '$', '$');
      return { changes, still, timedOut, read: await read };
    });
    assert.deepEqual(seen, {
      changes: [1, 1, 'OK', 'OK', 1],
      still: 1,
      timedOut: null,
      read: [['missing', [['1-0', ['f', 'v']]]]],
    });
  });

  test('a waiter on several keys is served by the first that gets entries, with its COUNT', async () => {
    const seen = await onBoth(async (node) => {
      const [waiter, writer] = [await node.open(), await node.open()];
      const read = waiter.call('XREAD', 'COUNT', '2', 'BLOCK', '10000', 'STREAMS', 'a', 'b', '$', '$');
      await node.blocked(1);
      await writer.pipeline([
        ['MULTI'],
        ['XADD', 'b', '1-0', 'n', '1'],
        ['XADD', 'b', '2-0', 'n', '2'],
        ['XADD', 'b', '3-0', 'n', '3'],
        ['XADD', 'a', '1-0', 'n', '1'],
        ['EXEC'],
      ]);
      return { read: await read };
    });
    assert.deepEqual(seen, {
      read: [
        [
          'b',
          [
            ['1-0', ['n', '1']],
            ['2-0', ['n', '2']],
          ],
        ],
      ],
    });
  });

  test('what stream writes propagate, as Redis writes them to its AOF', async () => {
    const effects = await Promise.all(
      pair.nodes.map(async (node) => {
        const [a, b] = [await node.open(), await node.open()];
        await b.call('FLUSHALL');
        await b.call('CONFIG', 'SET', 'stream-node-max-entries', '3');
        const read = a.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
        await node.blocked(1);
        for (let i = 1; i <= 8; i++) await b.call('XADD', 's', `${i}-0`, 'f', String(i));
        await read;
        await b.pipeline([
          ['XADD', 's', 'MAXLEN', '~', '4', '9-*', 'f', 'v'],
          ['XADD', 's', 'MINID', '~', '8', 'LIMIT', '3', '10-*', 'f', 'v'],
          ['XADD', 's', 'NOMKSTREAM', 'MINID', '=', '2', '10-*', 'f', 'v'],
          ['XTRIM', 's', 'MAXLEN', '~', '1'],
          ['XTRIM', 's', 'MAXLEN', '~', '1'],
          ['XTRIM', 's', 'MINID', '11-0'],
          ['XDEL', 's', '1-0', '10-1'], // nothing left to delete: not propagated
          ['XSETID', 's', '20-0', 'ENTRIESADDED', '40', 'MAXDELETEDID', '15-0'],
          ['XADD', 'none', 'NOMKSTREAM', '*', 'f', 'v'],
          ['XREAD', 'STREAMS', 's', '0'],
          ['CONFIG', 'SET', 'stream-node-max-entries', '100'],
          ['SET', 'done', '1'],
        ]);
        return readAofAfterFlush(node);
      }),
    );
    assert.deepEqual(effects[0], effects[1], 'propagated commands differ (ours, then redis-server)');
    // Nodes of 3 entries: [1 2 3] [4 5 6] [7 8 9] when "~ 4" can drop only the first.
    assert.deepEqual(effects[1]!.slice(8), [
      ['XADD', 's', 'MAXLEN', '=', '6', '9-0', 'f', 'v'],
      ['XADD', 's', 'MINID', '=', '7-0', 'LIMIT', '3', '10-0', 'f', 'v'],
      ['XADD', 's', 'NOMKSTREAM', 'MINID', '=', '2', '10-1', 'f', 'v'],
      ['XTRIM', 's', 'MAXLEN', '=', '2'],
      ['XTRIM', 's', 'MINID', '11-0'],
      ['XSETID', 's', '20-0', 'ENTRIESADDED', '40', 'MAXDELETEDID', '15-0'],
      ['SET', 'done', '1'],
    ]);
  });
});
