// Blocking list commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP) with real waiting clients:
// each scenario runs with several connections against our node and against Debian's
// redis-server 7.0, and what every client saw must be the same. It covers who is woken and in
// which order, what the pushing client sees after the wake-up, timeouts, BLMOVE chains, types
// that cannot serve, transactions, pipelined commands behind a wait, disconnects, CLIENT
// UNBLOCK, and what a served command propagates (read back from each server's AOF).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { blockingPairForFile, readAofAfterFlush } from '../../support/blocking-pair.js';
import { RespClient, show, type Reply } from '../../support/resp-client.js';

const pair = blockingPairForFile();
const onBoth = pair.onBoth;

describe('blocking list commands', () => {
  test('a push wakes a waiting BLPOP before the pusher runs its next command', async () => {
    const seen = await onBoth(async (node) => {
      const [waiter, pusher] = [await node.open(), await node.open()];
      const popped = waiter.call('BLPOP', 'k', '0');
      await node.blocked(1);
      const pushed = await pusher.call('RPUSH', 'k', 'x', 'y', 'z');
      const length = await pusher.call('LLEN', 'k');
      await node.blocked(0);
      return { popped: await popped, pushed, length, after: await waiter.call('PING') };
    });
    assert.deepEqual(seen, { popped: ['k', 'x'], pushed: 3, length: 2, after: 'PONG' });
  });

  test('clients are served in the order they blocked; the emptied list is deleted', async () => {
    const seen = await onBoth(async (node) => {
      const waiters = [await node.open(), await node.open(), await node.open()];
      const pusher = await node.open();
      const pops: Promise<Reply>[] = [];
      for (const [i, waiter] of waiters.entries()) {
        pops.push(waiter.call('BLPOP', 'k', '0'));
        await node.blocked(i + 1);
      }
      const firstPush = await pusher.call('RPUSH', 'k', 'a', 'b');
      await node.blocked(1);
      const exists = await pusher.call('EXISTS', 'k');
      const secondPush = await pusher.call('LPUSH', 'k', 'c');
      return { firstPush, exists, secondPush, pops: await Promise.all(pops), left: await pusher.call('EXISTS', 'k') };
    });
    assert.deepEqual(seen, {
      firstPush: 2,
      exists: 0,
      secondPush: 1,
      pops: [
        ['k', 'a'],
        ['k', 'b'],
        ['k', 'c'],
      ],
      left: 0,
    });
  });

  test('BRPOP takes from the tail of whichever of its keys gets data', async () => {
    const seen = await onBoth(async (node) => {
      const [waiter, pusher] = [await node.open(), await node.open()];
      const popped = waiter.call('BRPOP', 'k1', 'k2', 'k3', '0');
      await node.blocked(1);
      await pusher.call('RPUSH', 'k2', 'a', 'b', 'c');
      return { popped: await popped, rest: await pusher.call('LRANGE', 'k2', '0', '-1') };
    });
    assert.deepEqual(seen, { popped: ['k2', 'c'], rest: ['a', 'b'] });
  });

  test('a deadline reached answers a null array, for every blocking list command', async () => {
    const seen = await onBoth(async (node) => {
      const waiter = await node.open();
      return [
        await waiter.call('BLPOP', 'k', '0.05'),
        await waiter.call('BRPOP', 'k', 'k2', '0.01'),
        await waiter.call('BLMOVE', 'k', 'd', 'LEFT', 'RIGHT', '0.02'),
        await waiter.call('BRPOPLPUSH', 'k', 'd', '0.001'),
        await waiter.call('BLMPOP', '0.03', '1', 'k', 'LEFT', 'COUNT', '2'),
        await waiter.call('EXISTS', 'd'),
      ];
    });
    assert.deepEqual(seen, [null, null, null, null, null, 0]);
  });

  test('BLMOVE pushes what it took, which wakes a client waiting on the destination', async () => {
    const seen = await onBoth(async (node) => {
      const [mover, rpoplpusher, popper, pusher] = [await node.open(), await node.open(), await node.open(), await node.open()];
      const moved = mover.call('BLMOVE', 'src', 'mid', 'RIGHT', 'LEFT', '0');
      await node.blocked(1);
      const moved2 = rpoplpusher.call('BRPOPLPUSH', 'mid', 'dst', '0');
      await node.blocked(2);
      const popped = popper.call('BLPOP', 'dst', '0');
      await node.blocked(3);
      const pushed = await pusher.call('RPUSH', 'src', 'a', 'b');
      const lists = await pusher.pipeline([
        ['LRANGE', 'src', '0', '-1'],
        ['LRANGE', 'mid', '0', '-1'],
        ['LRANGE', 'dst', '0', '-1'],
      ]);
      return { pushed, moved: await moved, moved2: await moved2, popped: await popped, lists };
    });
    assert.deepEqual(seen, { pushed: 2, moved: 'b', moved2: 'b', popped: ['dst', 'b'], lists: [['a'], [], []] });
  });

  test('BLMOVE whose destination holds another type by then gets WRONGTYPE; the element stays', async () => {
    const seen = await onBoth(async (node) => {
      const [mover, pusher] = [await node.open(), await node.open()];
      const moved = mover.call('BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', '0');
      await node.blocked(1);
      await pusher.call('SET', 'dst', 'string');
      await pusher.call('RPUSH', 'src', 'x');
      return { moved: await moved, src: await pusher.call('LRANGE', 'src', '0', '-1'), dst: await pusher.call('GET', 'dst') };
    });
    assert.deepEqual(seen, {
      moved: { error: 'WRONGTYPE Operation against a key holding the wrong kind of value' },
      src: ['x'],
      dst: 'string',
    });
  });

  test('BLMPOP is served up to its COUNT from the key that got data', async () => {
    const seen = await onBoth(async (node) => {
      const [left, right, pusher] = [await node.open(), await node.open(), await node.open()];
      const fromLeft = left.call('BLMPOP', '0', '2', 'k1', 'k2', 'LEFT', 'COUNT', '2');
      await node.blocked(1);
      const fromRight = right.call('BLMPOP', '0', '1', 'k2', 'RIGHT', 'COUNT', '5');
      await node.blocked(2);
      await pusher.call('RPUSH', 'k2', 'a', 'b', 'c');
      return { fromLeft: await fromLeft, fromRight: await fromRight, exists: await pusher.call('EXISTS', 'k2') };
    });
    assert.deepEqual(seen, { fromLeft: ['k2', ['a', 'b']], fromRight: ['k2', ['c']], exists: 0 });
  });

  test('commands pipelined behind a blocking one wait for it, then run in order', async () => {
    const seen = await onBoth(async (node) => {
      const [waiter, pusher] = [await node.open(), await node.open()];
      const replies = waiter.pipeline([['BLPOP', 'k', '0'], ['PING'], ['LLEN', 'k'], ['RPOP', 'k']]);
      await node.blocked(1);
      const pushed = await pusher.call('RPUSH', 'k', 'v', 'w');
      return { pushed, replies: await replies };
    });
    assert.deepEqual(seen, { pushed: 2, replies: [['k', 'v'], 'PONG', 1, 'w'] });
  });

  test('a transaction wakes clients with what is left at EXEC, not what it pushed', async () => {
    const seen = await onBoth(async (node) => {
      const [waiter, pusher] = [await node.open(), await node.open()];
      const popped = waiter.call('BLPOP', 'k', '0');
      await node.blocked(1);
      const gone = await pusher.pipeline([['MULTI'], ['RPUSH', 'k', 'a'], ['DEL', 'k'], ['EXEC']]);
      await pusher.call('PING');
      const stillWaiting = await pusher.call('INFO', 'clients').then((r) => /blocked_clients:1/.test(String(show(r))));
      const exec = await pusher.pipeline([['MULTI'], ['RPUSH', 'k', 'a', 'b', 'c'], ['LPOP', 'k'], ['EXEC']]);
      return { gone, stillWaiting, exec, popped: await popped, rest: await pusher.call('LRANGE', 'k', '0', '-1') };
    });
    assert.deepEqual(seen, {
      gone: ['OK', 'QUEUED', 'QUEUED', [1, 1]],
      stillWaiting: true,
      exec: ['OK', 'QUEUED', 'QUEUED', [3, 'a']],
      popped: ['k', 'b'],
      rest: ['c'],
    });
  });

  test('a key of another type, or the same key in another database, does not wake the client', async () => {
    const seen = await onBoth(async (node) => {
      const [waiter, other] = [await node.open(), await node.open()];
      const popped = waiter.call('BLPOP', 'k', '0');
      await node.blocked(1);
      await other.call('SET', 'k', 'string');
      await other.call('SELECT', '1');
      await other.call('RPUSH', 'k', 'elsewhere');
      await node.blocked(1);
      await other.call('SELECT', '0');
      await other.call('DEL', 'k');
      await other.call('RPUSH', 'k', 'here');
      return {
        popped: await popped,
        db1: await other.pipeline([
          ['SELECT', '1'],
          ['LLEN', 'k'],
        ]),
      };
    });
    assert.deepEqual(seen, { popped: ['k', 'here'], db1: ['OK', 1] });
  });

  test('a client that disconnects while waiting is forgotten: the element stays in the list', async () => {
    const seen = await onBoth(async (node) => {
      const [waiter, pusher] = [await node.open(), await node.open()];
      void waiter.call('BLPOP', 'k', '0').catch(() => {});
      await node.blocked(1);
      waiter.close();
      await node.blocked(0);
      await pusher.call('RPUSH', 'k', 'kept');
      return pusher.call('LRANGE', 'k', '0', '-1');
    });
    assert.deepEqual(seen, ['kept']);
  });

  test('CLIENT UNBLOCK ends a wait as a timeout or with an error', async () => {
    const seen = await onBoth(async (node) => {
      const [waiter, admin] = [await node.open(), await node.open()];
      const id = await waiter.call('CLIENT', 'ID');
      const first = waiter.call('BLPOP', 'k', '0');
      await node.blocked(1);
      const unblocked = await admin.call('CLIENT', 'UNBLOCK', String(id), 'TIMEOUT');
      const timedOut = await first;
      const second = waiter.call('BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0');
      await node.blocked(1);
      const withError = await admin.call('CLIENT', 'UNBLOCK', String(id), 'ERROR');
      return { unblocked, timedOut, withError, errored: await second, again: await admin.call('CLIENT', 'UNBLOCK', String(id)) };
    });
    assert.deepEqual(seen, {
      unblocked: 1,
      timedOut: null,
      withError: 1,
      errored: { error: 'UNBLOCKED client unblocked via CLIENT UNBLOCK' },
      again: 0,
    });
  });

  test('what a served command propagates: the command it amounted to, as Redis writes it to its AOF', async (t) => {
    if (!existsSync(join(pair.nodes[0]!.server.dir, 'appendonlydir'))) {
      t.skip('our node does not write an AOF yet');
      return;
    }
    const effects = await Promise.all(
      pair.nodes.map(async (node) => {
        const clients = await Promise.all([1, 2, 3, 4].map(() => node.open()));
        const [a, b, c, d] = clients as [RespClient, RespClient, RespClient, RespClient];
        await b.call('FLUSHALL');
        const waits = [a.call('BLMOVE', 'src', 'dst', 'RIGHT', 'left', '0')];
        await node.blocked(1);
        waits.push(c.call('BRPOPLPUSH', 'src', 'dst2', '0'));
        await node.blocked(2);
        waits.push(d.call('BLMPOP', '0', '2', 'x', 'src', 'LEFT', 'COUNT', '5'));
        await node.blocked(3);
        await b.call('RPUSH', 'src', 'a', 'b', 'c', 'd');
        await Promise.all(waits);
        const popped = a.call('BLPOP', 'q', '0');
        await node.blocked(1);
        await b.pipeline([['MULTI'], ['RPUSH', 'q', '1', '2'], ['EXEC']]);
        await popped;
        // Served at once: rewritten by the command itself.
        await b.pipeline([
          ['RPUSH', 'k', '1', '2'],
          ['BLMOVE', 'k', 'd', 'left', 'RIGHT', '0'],
          ['BRPOPLPUSH', 'd', 'e', '1'],
          ['BLMPOP', '1', '1', 'e', 'right'],
          ['BLPOP', 'e', 'k', 'q', '0'],
          ['SET', 'done', '1'],
        ]);
        return readAofAfterFlush(node);
      }),
    );
    assert.deepEqual(effects[0], effects[1], 'propagated commands differ (ours, then redis-server)');
    assert.deepEqual(effects[1], [
      ['RPUSH', 'src', 'a', 'b', 'c', 'd'],
      ['LMOVE', 'src', 'dst', 'right', 'left'],
      ['RPOPLPUSH', 'src', 'dst2'],
      ['LPOP', 'src', '2'],
      ['RPUSH', 'q', '1', '2'],
      ['LPOP', 'q'],
      ['RPUSH', 'k', '1', '2'],
      ['LMOVE', 'k', 'd', 'left', 'RIGHT'],
      ['RPOPLPUSH', 'd', 'e'],
      ['RPOP', 'e', '1'],
      ['LPOP', 'k'],
      ['SET', 'done', '1'],
    ]);
  });
});
