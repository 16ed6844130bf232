// Blocked clients against Debian's redis-server 7.0 side by side: CLIENT UNBLOCK, CLIENT LIST's `b`
// flag, the idle timeout (which spares blocked clients), clients blocked on keys that SWAPDB or a
// master's stream fill, and REPLICAOF disconnecting blocked clients.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPair, onBoth, type Pair } from '../../support/differential.js';
import { startServer, type RunningServer } from '../../support/servers.js';
import { RespClient, show, type Reply } from '../../support/resp-client.js';

/** Waits until INFO clients says `count` clients are blocked. */
async function blockedClients(admin: RespClient, count: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const info = String(show(await admin.call('INFO', 'clients')));
    if (Number(/blocked_clients:(\d+)/.exec(info)?.[1]) === count) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never saw ${count} blocked clients`);
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
      await admin.pipeline([
        ['SELECT', '1'],
        ['RPUSH', 'q', 'from-db1'],
        ['ZADD', 'z', '1', 'm'],
        ['SELECT', '0'],
      ]);
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
      await admin.pipeline([
        ['SELECT', '1'],
        ['SET', 'q', 'string'],
        ['SELECT', '0'],
      ]);
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
