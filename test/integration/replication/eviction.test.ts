// Keys our master evicts reach its replicas (ours and Debian's redis-server 7.0) and its AOF as DEL
// (UNLINK with lazyfree-lazy-eviction yes), so every copy ends with the same data; a replica
// ignores its own maxmemory (replica-ignore-maxmemory yes, the default) and follows its master.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertSameData,
  nodesForFile,
  startNode,
  startReplica,
  waitFor,
  waitInSync,
  type Kind,
  type Node,
} from '../../support/replication.js';

const nodes = nodesForFile();
const VALUE = 'v'.repeat(1000);

async function stat(node: Node, field: string): Promise<number> {
  return Number((await node.info('everything')).get(field));
}

/** How many times `command` (a one-key command) appears in the node's AOF increment files. */
function aofCount(node: Node, command: string): number {
  const dir = join(node.server.dir, 'appendonlydir');
  const text = readdirSync(dir)
    .filter((name) => name.endsWith('.incr.aof'))
    .map((name) => readFileSync(join(dir, name), 'latin1'))
    .join('');
  return text.split(`*2\r\n$${command.length}\r\n${command}\r\n`).length - 1;
}

async function fill(node: Node, prefix: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 100) {
    await node.client.pipeline(Array.from({ length: Math.min(100, count - i) }, (_, j) => ['SET', `${prefix}${i + j}`, VALUE]));
  }
}

/** used_memory once freed memory was given back (MEMORY PURGE). */
async function usedMemory(node: Node): Promise<number> {
  await node.ok('MEMORY', 'PURGE');
  return stat(node, 'used_memory');
}

async function settled(node: Node): Promise<number> {
  // Eviction may pause for a garbage collection (ours) or a time slice: stable for 600 ms.
  let last = -1;
  for (let stable = 0; stable < 3;) {
    const evicted = await stat(node, 'evicted_keys');
    stable = evicted === last ? stable + 1 : 0;
    last = evicted;
    await new Promise((r) => setTimeout(r, 200));
  }
  return last;
}

test("our master's evictions reach its replicas (ours, redis-server) and its AOF as DEL: the same data everywhere", async () => {
  const master = nodes.track(await startNode('ours', ['--appendonly', 'yes', '--maxmemory-policy', 'allkeys-random']));
  const replicas = [nodes.track(await startReplica('ours', master)), nodes.track(await startReplica('redis', master))];
  // The backlog fills up to its size with the first writes: let it, so it is in both figures.
  await fill(master, 'warm-up', 1500);
  await master.ok('FLUSHALL');
  await waitInSync(master, replicas);
  const before = await usedMemory(master);
  await fill(master, 'k', 3000);
  await waitInSync(master, replicas); // what is on its way to them is in used_memory too
  const after = await usedMemory(master);
  await master.ok('CONFIG', 'SET', 'maxmemory', String(Math.round(before + (after - before) * 0.6)));
  await fill(master, 'more', 500); // writes go on while keys are evicted
  await settled(master);
  // No limit from here: every command may evict while over it, and the copies are compared now.
  await master.ok('CONFIG', 'SET', 'maxmemory', '0');
  const evicted = await stat(master, 'evicted_keys');
  assert.ok(evicted > 500, `the master evicted ${evicted} keys`);
  await waitInSync(master, replicas);
  await assertSameData([master, ...replicas]);
  const size = await master.ok('DBSIZE');
  for (const replica of replicas) {
    assert.equal(await replica.ok('DBSIZE'), size);
    assert.equal(await stat(replica, 'evicted_keys'), 0, `${replica.kind}: a replica evicts nothing itself`);
  }
  await waitFor('every eviction is in the AOF as DEL', () => aofCount(master, 'DEL') === evicted, 5000);

  // lazyfree-lazy-eviction yes: UNLINK instead. A limit of 1 byte evicts every key.
  await master.ok('CONFIG', 'SET', 'lazyfree-lazy-eviction', 'yes');
  const left = Number(await master.ok('DBSIZE'));
  await master.ok('CONFIG', 'SET', 'maxmemory', '1');
  await waitFor('the master evicted every key', async () => (await master.ok('DBSIZE')) === 0, 5000);
  await waitInSync(master, replicas);
  for (const replica of replicas) assert.equal(await replica.ok('DBSIZE'), 0, `${replica.kind}: the UNLINKs applied`);
  await waitFor('the UNLINKs are in the AOF', () => aofCount(master, 'UNLINK') === left, 5000);
});

for (const kind of ['ours', 'redis'] as Kind[]) {
  test(`${kind}: a replica over its maxmemory evicts nothing while replica-ignore-maxmemory is yes, and evicts once it is no`, async () => {
    const master = nodes.track(await startNode('ours'));
    const replica = nodes.track(await startReplica(kind, master, ['--maxmemory-policy', 'allkeys-random']));
    await replica.ok('CONFIG', 'SET', 'maxmemory', '1');
    await fill(master, 'k', 200);
    await waitInSync(master, [replica]);
    assert.equal(String(await replica.ok('GET', 'k0')), VALUE);
    assert.equal(await replica.ok('DBSIZE'), 200);
    assert.equal(await stat(replica, 'evicted_keys'), 0);
    await replica.ok('CONFIG', 'SET', 'replica-ignore-maxmemory', 'no');
    await replica.ok('GET', 'k0'); // eviction runs before a command, and goes on in the next turns
    await waitFor(`${kind} evicted every key`, async () => (await replica.ok('DBSIZE')) === 0, 5000);
    assert.equal(await stat(replica, 'evicted_keys'), 200);
    await nodes.stop(replica);
    await nodes.stop(master);
  });
}
