// Streams between our node and redis-server 7.0 through replication, both ways: what a master
// holds before a replica attaches arrives in the full sync's RDB (listpack nodes, groups, PELs,
// consumers), what it does afterwards in the command stream (generated IDs, "~" trims rewritten,
// XREADGROUP as XCLAIM / XGROUP SETID / CREATECONSUMER, XCLAIM and XAUTOCLAIM as XCLAIM). Each
// master gets one replica of each kind: ours must show exactly what redis-server's shows
// (entries, XINFO STREAM, groups, every pending entry with its delivery time and count; the
// consumers' seen-time is each replica's own clock), and both what the master holds, but for
// the groups' read counters, which Redis's own replica does not keep as its master does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { show } from '../../support/resp-client.js';
import { assertSameData, nodesForFile, startNode, startReplica, waitInSync, type Kind, type Node } from '../../support/replication.js';

const nodes = nodesForFile();

async function workload(master: Node, part: 1 | 2): Promise<void> {
  const key = `s${part}`;
  for (let i = 0; i < 30; i++) await master.ok('XADD', key, '*', 'n', String(i), 'pad', 'x'.repeat(i % 9));
  await master.ok('XADD', key, 'MAXLEN', '~', '12', '*', 'f', 'v');
  await master.ok('XTRIM', key, 'MINID', '~', '0');
  const [first] = show(await master.ok('XRANGE', key, '-', '+', 'COUNT', '1')) as string[][];
  await master.ok('XDEL', key, first![0]!);
  await master.ok('XGROUP', 'CREATE', key, 'g', '0');
  await master.ok('XGROUP', 'CREATE', key, 'h', '$');
  await master.ok('XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '5', 'STREAMS', key, '>');
  await master.ok('XREADGROUP', 'GROUP', 'g', 'bob', 'NOACK', 'COUNT', '2', 'STREAMS', key, '>');
  await master.ok('XREADGROUP', 'GROUP', 'g', 'carol', 'COUNT', '3', 'STREAMS', key, '>');
  const pending = show(await master.ok('XPENDING', key, 'g', '-', '+', '3')) as string[][];
  await master.ok('XACK', key, 'g', pending[0]![0]!);
  await master.ok('XCLAIM', key, 'g', 'dave', '0', pending[1]![0]!, 'RETRYCOUNT', '9');
  await master.ok('XAUTOCLAIM', key, 'g', 'erin', '0', '0', 'COUNT', '2');
  await master.ok('XADD', key, '*', 'late', 'entry');
  await master.ok('XGROUP', 'CREATECONSUMER', key, 'h', 'idle');
  await master.ok('XSETID', key, `${Date.now() + 100000}-0`, 'ENTRIESADDED', '1000');
}

/** What a replica must show as its master does: everything but the consumers' seen-time. */
async function streamState(node: Node, key: string): Promise<unknown> {
  const full = show(await node.ok('XINFO', 'STREAM', key, 'FULL', 'COUNT', '0')) as unknown[];
  const groups = full[full.indexOf('groups') + 1] as unknown[][];
  for (const group of groups) {
    const consumers = group[group.indexOf('consumers') + 1] as unknown[][];
    for (const consumer of consumers) consumer[consumer.indexOf('seen-time') + 1] = '<time>';
  }
  return { full, info: show(await node.ok('XINFO', 'STREAM', key)), groups: show(await node.ok('XINFO', 'GROUPS', key)) };
}

/** Without the groups' entries-read and lag, which a Redis replica does not keep as its master does. */
function withoutReadCounters(state: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(state)) as { full: unknown[]; groups: unknown[][] };
  const groups = copy.full[copy.full.indexOf('groups') + 1] as unknown[][];
  for (const group of [...groups, ...copy.groups]) {
    group[group.indexOf('entries-read') + 1] = '<counter>';
    group[group.indexOf('lag') + 1] = '<counter>';
  }
  return copy;
}

for (const masterKind of ['ours', 'redis'] as Kind[]) {
  test(`a ${masterKind} master's streams reach both kinds of replica by full sync and by the command stream`, async () => {
    const master = nodes.track(await startNode(masterKind));
    await workload(master, 1);
    const ours = nodes.track(await startReplica('ours', master));
    const redis = nodes.track(await startReplica('redis', master));
    await workload(master, 2);
    await waitInSync(master, [ours, redis]);
    await assertSameData([master, ours, redis]);
    for (const key of ['s1', 's2']) {
      const expected = await streamState(redis, key);
      assert.deepEqual(await streamState(ours, key), expected, `${key} on our replica, then on redis-server's`);
      // Redis's own replica keeps another read counter once groups advanced by XCLAIM ... LASTID
      // (the propagated form of XREADGROUP carries no ENTRIESREAD): all the rest is the master's.
      assert.deepEqual(
        withoutReadCounters(expected),
        withoutReadCounters(await streamState(master, key)),
        `${key} on the replicas, then on the master`,
      );
    }
  });
}
