// maxmemory against Debian's redis-server 7.0, side by side: the OOM refusal (which commands, in
// MULTI, at EXEC), and what each maxmemory-policy evicts. The policies approximate their ideal by
// sampling, so those tests check loose bounds on both servers, as Redis's own tests do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onBoth, pairForFile, plain } from '../../support/differential.js';
import { RespClient, show } from '../../support/resp-client.js';

const pair = pairForFile();
const OOM = "OOM command not allowed when used memory > 'maxmemory'.";
const VALUE = 'v'.repeat(1000);

async function info(client: RespClient, field: string): Promise<number> {
  const text = String(show(await client.call('INFO', 'everything')));
  const match = new RegExp(`^${field}:(\\d+)`, 'm').exec(text);
  assert.ok(match, `INFO has ${field}`);
  return Number(match[1]);
}

/** Both servers back to no limit and an empty dataset. */
async function reset(): Promise<void> {
  for (const client of [pair.ours, pair.redis]) {
    await client.call('CONFIG', 'SET', 'maxmemory', '0');
    await client.call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    await client.call('CONFIG', 'SET', 'notify-keyspace-events', '');
    await client.call('FLUSHALL');
    await client.call('CONFIG', 'RESETSTAT');
    await client.call('MEMORY', 'PURGE');
  }
}

/** Waits until eviction settles (it may carry on after the command that started it). */
async function settled(client: RespClient): Promise<number> {
  // Eviction may pause for a garbage collection (ours) or a time slice: stable for 600 ms.
  let last = -1;
  for (let stable = 0; stable < 3;) {
    const evicted = await info(client, 'evicted_keys');
    stable = evicted === last ? stable + 1 : 0;
    last = evicted;
    await new Promise((r) => setTimeout(r, 200));
  }
  return last;
}

/** used_memory once freed memory was given back (MEMORY PURGE: jemalloc's purge, our full collection). */
async function usedMemory(client: RespClient): Promise<number> {
  await client.call('MEMORY', 'PURGE');
  return info(client, 'used_memory');
}

/**
 * Writes `count` keys named `${prefix}${i}` with 1000-byte values (`ttl(i)` seconds of TTL when
 * given), and returns the used_memory before and after.
 */
async function fill(
  client: RespClient,
  prefix: string,
  count: number,
  ttl?: (i: number) => number,
): Promise<{ before: number; after: number }> {
  const before = await usedMemory(client);
  const writes = Array.from({ length: count }, (_, i) =>
    ttl ? ['SET', `${prefix}${i}`, VALUE, 'EX', ttl(i)] : ['SET', `${prefix}${i}`, VALUE],
  );
  // Small pipelines: a large one grows the connection's query buffer, counted in used_memory too.
  for (let i = 0; i < writes.length; i += 100) await client.pipeline(writes.slice(i, i + 100));
  return { before, after: await usedMemory(client) };
}

/** How many of `${prefix}${from..to-1}` exist. */
async function present(client: RespClient, prefix: string, from: number, to: number): Promise<number> {
  const keys = Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);
  return Number(await client.call('EXISTS', ...keys));
}

test('noeviction: SET and other denyoom commands get the OOM error, reads and DEL run; in MULTI anything queued is refused and EXEC aborts', async () => {
  await reset();
  await pair.sameAll([
    ['SET', 'kept', 'value'],
    ['RPUSH', 'list', 'a'],
    ['CONFIG', 'SET', 'maxmemory', '1'],
    ['SET', 'a', 'b'],
    ['INCR', 'counter'],
    ['RPUSH', 'list', 'b'],
    ['APPEND', 'kept', 'more'],
    ['GET', 'kept'],
    ['LRANGE', 'list', '0', '-1'],
    ['EXISTS', 'kept'],
    ['PING'],
    ['EXPIRE', 'kept', '100'],
    ['LPOP', 'list'],
    ['DEL', 'kept'],
    ['MULTI'],
    ['GET', 'kept'],
    ['SET', 'a', 'b'],
    ['EXEC'],
    ['MULTI'],
    ['DISCARD'],
    ['DBSIZE'],
  ]);
  for (const client of [pair.ours, pair.redis]) {
    assert.deepEqual(show(await client.call('SET', 'x', 'y')), { error: OOM });
    assert.equal(await info(client, 'evicted_keys'), 0);
  }
  await reset();
});

test('noeviction: EXEC of a transaction with a denyoom command is refused with EXECABORT once over the limit; one of reads only runs', async () => {
  await reset();
  const replies = await onBoth(pair, async (_port, open) => {
    const [client, admin] = [await open(), await open()];
    const seen: unknown[] = [];
    await client.call('SET', 'k', 'v');
    for (const queued of [
      ['SET', 'k', 'w'],
      ['GET', 'k'],
    ]) {
      seen.push(await client.call('MULTI'));
      seen.push(await client.call(...queued));
      seen.push(await admin.call('CONFIG', 'SET', 'maxmemory', '1'));
      seen.push(await client.call('EXEC'));
      seen.push(await admin.call('CONFIG', 'SET', 'maxmemory', '0'));
    }
    return seen;
  });
  assert.deepEqual(replies, [
    'OK',
    'QUEUED',
    'OK',
    { error: `EXECABORT Transaction discarded because of: ${OOM}` },
    'OK',
    'OK',
    'QUEUED',
    'OK',
    ['v'],
    'OK',
  ]);
  await reset();
});

/**
 * Sets maxmemory so that a good part of what `fill` added no longer fits, and waits for eviction
 * to settle. Not all of a key's memory comes back when it is deleted (on either server: tables
 * keep their size), so evicting down to the limit removes more than that part; the bounds below
 * allow for it.
 */
async function halve(client: RespClient, used: { before: number; after: number }): Promise<number> {
  // From a collected heap: what eviction must free is then the data's share, not garbage's.
  await client.call('MEMORY', 'PURGE');
  await client.call('CONFIG', 'SET', 'maxmemory', String(Math.round(used.before + (used.after - used.before) * 0.6)));
  await client.call('SET', 'trigger', 'x'); // a write after the limit, as eviction runs before each command
  return settled(client);
}

const KEYS = 3000;
const HALF = KEYS / 2;

test('allkeys-lru: keys read since the others were written survive eviction far more often', async () => {
  await reset();
  for (const client of [pair.ours, pair.redis]) {
    const server = client === pair.ours ? 'ours' : 'redis-server';
    await client.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    const used = await fill(client, 'k', KEYS);
    // The LRU clock counts seconds: let the keys age, then read the first half.
    await new Promise((r) => setTimeout(r, 2100));
    await client.pipeline(Array.from({ length: HALF }, (_, i) => ['GET', `k${i}`]));
    const evicted = await halve(client, used);
    const recent = await present(client, 'k', 0, HALF);
    const idle = await present(client, 'k', HALF, KEYS);
    const what = `${server}: evicted ${evicted}, recent keys left ${recent}/${HALF}, idle keys left ${idle}/${HALF}`;
    assert.ok(evicted > KEYS / 5, what);
    assert.ok(recent > HALF * 0.5, what);
    assert.ok(idle < recent / 2, what);
  }
  await reset();
});

test('allkeys-lfu: keys read often survive eviction far more often than keys never read', async () => {
  await reset();
  for (const client of [pair.ours, pair.redis]) {
    const server = client === pair.ours ? 'ours' : 'redis-server';
    await client.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
    const used = await fill(client, 'k', KEYS);
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < HALF; i += 100) await client.pipeline(Array.from({ length: 100 }, (_, j) => ['GET', `k${HALF + i + j}`]));
    }
    const evicted = await halve(client, used);
    const frequent = await present(client, 'k', HALF, KEYS);
    const never = await present(client, 'k', 0, HALF);
    const what = `${server}: evicted ${evicted}, frequent keys left ${frequent}/${HALF}, keys never read left ${never}/${HALF}`;
    assert.ok(evicted > KEYS / 5, what);
    assert.ok(frequent > HALF * 0.5, what);
    assert.ok(never < frequent / 2, what);
  }
  await reset();
});

test('volatile-ttl: the keys that expire soonest go first', async () => {
  await reset();
  for (const client of [pair.ours, pair.redis]) {
    const server = client === pair.ours ? 'ours' : 'redis-server';
    await client.call('CONFIG', 'SET', 'maxmemory-policy', 'volatile-ttl');
    const used = await fill(client, 'k', KEYS, (i) => 10_000 + i * 10);
    const evicted = await halve(client, used);
    const soon = await present(client, 'k', 0, HALF);
    const late = await present(client, 'k', HALF, KEYS);
    const what = `${server}: evicted ${evicted}, short TTLs left ${soon}/${HALF}, long TTLs left ${late}/${HALF}`;
    assert.ok(evicted > KEYS / 5, what);
    assert.ok(late > HALF * 0.5, what);
    assert.ok(soon < late / 2, what);
  }
  await reset();
});

for (const policy of ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl']) {
  test(`${policy}: keys without a TTL are never evicted; with no key with a TTL left, writes get OOM`, async () => {
    await reset();
    const result = await onBoth(pair, async (_port, open) => {
      const client = await open();
      await client.call('CONFIG', 'SET', 'maxmemory-policy', policy);
      const { before } = await fill(client, 'persistent', 1000);
      const { after } = await fill(client, 'volatile', 1000, () => 10_000);
      // Room for about half the keys without a TTL: evicting every key with one is not enough.
      await client.call('MEMORY', 'PURGE');
      await client.call('CONFIG', 'SET', 'maxmemory', String(Math.round(before + (after - before) / 4)));
      await settled(client);
      const refused = show(await client.call('SET', 'one-more', 'x'));
      return {
        refused,
        persistent: await present(client, 'persistent', 0, 1000),
        volatile: await present(client, 'volatile', 0, 1000),
        evicted: await info(client, 'evicted_keys'),
      };
    });
    assert.deepEqual(result, { refused: { error: OOM }, persistent: 1000, volatile: 0, evicted: 1000 });
    await reset();
  });
}

test('allkeys-random evicts keys; INFO evicted_keys counts them and each is published as an "evicted" keyspace event', async () => {
  await reset();
  for (const client of [pair.ours, pair.redis]) {
    const server = client === pair.ours ? 'ours' : 'redis-server';
    const listener = await RespClient.open((client === pair.ours ? pair.servers[0]! : pair.servers[1]!).port);
    try {
      await client.call('CONFIG', 'SET', 'notify-keyspace-events', 'Ee');
      await listener.call('SUBSCRIBE', '__keyevent@0__:evicted');
      await client.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random');
      const used = await fill(client, 'k', KEYS);
      await halve(client, used);
      // Every command may evict (INFO's reply takes memory too): count what is left first.
      const left = await present(client, 'k', 0, KEYS);
      const evicted = await info(client, 'evicted_keys');
      // (the key written to start eviction may be among those evicted)
      assert.ok(evicted > KEYS / 5 && left < KEYS && left + evicted >= KEYS, `${server}: evicted ${evicted}, ${left} of ${KEYS} left`);
      await client.call('PUBLISH', '__keyevent@0__:evicted', 'done');
      for (let i = 0; i < 500 && (plain(listener.unsolicited.at(-1)) as string[] | undefined)?.[2] !== 'done'; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const messages = (plain(listener.unsolicited) as string[][]).filter((m) => m[0] === 'message' && m[2] !== 'done');
      const evictedNow = await info(client, 'evicted_keys');
      assert.ok(
        messages.length >= evicted && messages.length <= evictedNow,
        `${server}: ${messages.length} evicted events, ${evicted}..${evictedNow} keys evicted`,
      );
      assert.ok(
        messages.every((m) => /^(k\d+|trigger)$/.test(m[2]!)),
        `${server}: the events name the keys`,
      );
    } finally {
      listener.close();
    }
  }
  await reset();
});
