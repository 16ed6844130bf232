// The lab's link relay (src-main/host/links/link-relay.ts) between real nodes: a master, and a
// replica whose REPLICAOF names the relay, for our node and for Debian's redis-server alike. Each
// fault is checked by what a user would look at: the nodes' INFO (master_link_status,
// sync_partial_ok, sync_full, offsets), the replica's log, and DEBUG DIGEST on both sides, which
// only agree if every byte of the stream arrived unchanged.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LinkRelay } from '../../../src-main/host/links/link-relay.js';
import { assertSameData, nodesForFile, startNode, waitFor, waitInSync, type Kind, type Node } from '../../support/replication.js';

const nodes = nodesForFile();
const relays: LinkRelay[] = [];
after(async () => {
  await Promise.all(relays.map((relay) => relay.close()));
});

async function field(node: Node, section: string, name: string): Promise<string> {
  return (await node.info(section)).get(name) ?? '';
}

async function counter(node: Node, name: string): Promise<number> {
  return Number(await field(node, 'stats', name));
}

/** A master, a relay to it, and a replica of the relay, linked and in sync with some data. */
async function linkedPair(kind: Kind, masterArgs: string[] = []): Promise<{ master: Node; replica: Node; relay: LinkRelay }> {
  const master = nodes.track(await startNode(kind, masterArgs));
  const relay = await LinkRelay.open(master.port);
  relays.push(relay);
  const replica = nodes.track(await startNode(kind, ['--replicaof', `127.0.0.1 ${relay.port}`]));
  await waitFor('replica linked through the relay', async () => (await field(replica, 'replication', 'master_link_status')) === 'up');
  await writeKeys(master, 'before', 200, 100);
  await waitInSync(master, [replica]);
  return { master, replica, relay };
}

/** `count` string keys of `size` bytes each, in pipelines of 100. */
async function writeKeys(master: Node, prefix: string, count: number, size: number): Promise<void> {
  for (let i = 0; i < count; i += 100) {
    const batch = Array.from({ length: Math.min(100, count - i) }, (_, j) => ['SET', `${prefix}:${i + j}`, `${i + j}:`.padEnd(size, 'x')]);
    await master.client.pipeline(batch);
  }
}

for (const kind of ['ours', 'redis'] as const) {
  describe(`link relay between ${kind} nodes`, () => {
    it('relays the stream unchanged: the replica names the relay as its master and holds the same data', async () => {
      const { master, replica, relay } = await linkedPair(kind);
      assert.equal(await field(replica, 'replication', 'master_port'), String(relay.port));
      // The master sees its replica as it is: 127.0.0.1 and the replica's own listening port.
      assert.match(await field(master, 'replication', 'slave0'), new RegExp(`^ip=127\\.0\\.0\\.1,port=${replica.port},state=online`));
      assert.ok(relay.bytesToReplica > 200 * 100, `bytes relayed to the replica: ${relay.bytesToReplica}`);
      await assertSameData([master, replica]);
    });

    it('cut closes the link and refuses reconnects; after restore the replica resyncs partially', async () => {
      const { master, replica, relay } = await linkedPair(kind);
      const partialBefore = await counter(master, 'sync_partial_ok');
      const fullBefore = await counter(master, 'sync_full');
      relay.setFault({ kind: 'cut' });
      await waitFor('replica link down after the cut', async () => (await field(replica, 'replication', 'master_link_status')) === 'down');
      await writeKeys(master, 'during-cut', 300, 100);
      // Reconnects (once a second) are reset at the relay: the link stays down.
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal(await field(replica, 'replication', 'master_link_status'), 'down');
      assert.equal(relay.connections.size, 0);

      relay.setFault({ kind: 'none' });
      await waitInSync(master, [replica]);
      assert.equal(await counter(master, 'sync_partial_ok'), partialBefore + 1, 'the master accepted one partial resync');
      assert.equal(await counter(master, 'sync_full'), fullBefore, 'and no full sync');
      assert.match(replica.server.output(), /Successful partial resynchronization with master/);
      await assertSameData([master, replica]);
    });

    it('stall keeps the connection open but nothing flows, so repl-timeout fires; after restore the replica catches up', async () => {
      const { master, replica, relay } = await linkedPair(kind);
      await replica.ok('CONFIG', 'SET', 'repl-timeout', '3');
      relay.setFault({ kind: 'stall' });
      assert.equal(relay.connections.size, 1, 'the connection stays open');
      await writeKeys(master, 'during-stall', 300, 100);
      await waitFor(
        'the replica timing out its master',
        () => replica.server.output().includes('MASTER timeout: no data nor PING received'),
        12000,
      );
      assert.equal(await field(replica, 'replication', 'master_link_status'), 'down');
      const offsetDuringStall = Number(await field(replica, 'replication', 'slave_repl_offset'));
      assert.ok(offsetDuringStall < Number(await field(master, 'replication', 'master_repl_offset')), 'nothing of the writes arrived');

      relay.setFault({ kind: 'none' });
      await waitInSync(master, [replica]);
      await assertSameData([master, replica]);
    });

    it('a cut longer than the backlog ends in a full sync', async () => {
      const { master, replica, relay } = await linkedPair(kind, ['--repl-backlog-size', '16kb']);
      const fullBefore = await counter(master, 'sync_full');
      relay.setFault({ kind: 'cut' });
      await waitFor('replica link down after the cut', async () => (await field(replica, 'replication', 'master_link_status')) === 'down');
      await writeKeys(master, 'overflow', 1000, 200); // about 200 KB of stream, the backlog holds 16 KB
      relay.setFault({ kind: 'none' });
      await waitInSync(master, [replica]);
      assert.equal(await counter(master, 'sync_full'), fullBefore + 1, 'the master had to send a full sync');
      assert.match(master.server.output(), /Unable to partial resync with replica .* lack of backlog/);
      await assertSameData([master, replica]);
    });

    it('slow delays the stream measurably, and every byte still arrives unchanged', async () => {
      const { master, replica, relay } = await linkedPair(kind);
      relay.setFault({ kind: 'slow', bandwidthKBps: 64, delayMs: 300 });
      const started = Date.now();
      await writeKeys(master, 'slow', 1000, 200); // about 230 KB of stream: 3.5 s at 64 KB/s
      const masterOffset = Number(await field(master, 'replication', 'master_repl_offset'));
      const replicaOffset = Number(await field(replica, 'replication', 'slave_repl_offset'));
      assert.ok(masterOffset - replicaOffset > 100_000, `the replica lags: master at ${masterOffset}, replica at ${replicaOffset}`);
      await waitInSync(master, [replica]);
      const took = Date.now() - started;
      assert.ok(took > 2500, `catching up took ${took} ms, as 64 KB/s allows`);
      await assertSameData([master, replica]);
      relay.setFault({ kind: 'none' });
    });
  });
}
