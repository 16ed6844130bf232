// The candidates each maxmemory-policy offers (keyspace/eviction-pool.ts), on a keyspace in
// memory: the pool of 16 keeps the best keys sampled so far, so a policy's order holds even
// though each round samples only maxmemory-samples keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Keyspace } from '../../../src-main/engine/keyspace/keyspace.js';
import { EvictionPool, type MaxmemoryPolicy } from '../../../src-main/engine/keyspace/eviction-pool.js';
import { withAccessHistory } from '../../../src-main/engine/keyspace/object-header.js';

/** Evicts `count` keys under `policy`; returns their names in order (stops at null). */
function evict(keyspace: Keyspace, policy: MaxmemoryPolicy, count: number): string[] {
  const pool = new EvictionPool();
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const candidate = pool.next(keyspace, policy, 5);
    if (candidate === null) break;
    names.push(candidate.key);
    candidate.db.evict(candidate.key);
  }
  return names;
}

test('volatile-ttl evicts the keys that expire soonest first', () => {
  const keyspace = new Keyspace(16);
  const db = keyspace.dbs[0]!;
  const now = Date.now();
  for (let i = 0; i < 3000; i++) db.set(`k${i}`, 'v', now + 1e7 + i * 1000);
  evict(keyspace, 'volatile-ttl', 1500);
  let soon = 0;
  for (let i = 0; i < 1500; i++) if (db.peek(`k${i}`) !== undefined) soon++;
  assert.ok(soon < 100, `${soon} of the 1500 soonest keys are left`);
});

test('allkeys-lru evicts the keys idle the longest first, across databases', () => {
  const keyspace = new Keyspace(16);
  for (let i = 0; i < 2000; i++) {
    const db = keyspace.dbs[i % 2 === 0 ? 0 : 3]!;
    db.set(`k${i}`, 'v');
    // The first half idle for an hour, the second half just used.
    if (i < 1000) db.setObjectHeader(`k${i}`, withAccessHistory(db.objectHeader(`k${i}`)!, null, { idleSeconds: 3600 }));
  }
  const evicted = evict(keyspace, 'allkeys-lru', 1000);
  const idle = evicted.filter((name) => Number(name.slice(1)) < 1000).length;
  assert.ok(idle > 900, `${idle} of the 1000 evicted keys were the idle ones`);
});

for (const policy of ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl'] as MaxmemoryPolicy[]) {
  test(`${policy} offers only keys with a TTL, then nothing`, () => {
    const keyspace = new Keyspace(16);
    const db = keyspace.dbs[0]!;
    keyspace.lfu = policy === 'volatile-lfu' ? { logFactor: 10, decayTime: 1 } : null;
    for (let i = 0; i < 100; i++) db.set(`persistent${i}`, 'v');
    for (let i = 0; i < 10; i++) db.set(`volatile${i}`, 'v', Date.now() + 1e7);
    const evicted = evict(keyspace, policy, 50);
    assert.deepEqual(evicted.sort(), Array.from({ length: 10 }, (_, i) => `volatile${i}`).sort());
    assert.equal(db.size, 100);
  });
}

test('noeviction offers nothing; allkeys-random offers every key in time', () => {
  const keyspace = new Keyspace(16);
  for (let i = 0; i < 50; i++) keyspace.dbs[i % 16]!.set(`k${i}`, 'v');
  assert.deepEqual(evict(keyspace, 'noeviction', 10), []);
  assert.equal(evict(keyspace, 'allkeys-random', 100).length, 50);
  assert.equal(keyspace.totalKeys, 0);
});
