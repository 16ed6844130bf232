// The stream view's tap at a real link relay: a master (ours, and Debian's redis-server to see what
// real Redis sends) and our replica linked through the relay. What the tap shows must be what the
// master sent, with the master's own offsets: a full sync's +FULLRESYNC and RDB line (diskless
// `$EOF:` and disk `$<len>` forms), a partial resync's +CONTINUE, a `SET demo 1` typed with
// redis-cli with its exact RESP size and offset, and after writes stop and a PING period the last
// offset shown equals the master's master_repl_offset. The tap must stay passive: the replica ends
// with the same data (DEBUG DIGEST) and the same offset.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LinkRelay } from '../../../src-main/host/links/link-relay.js';
import type { TapEntry } from '../../../src-main/host/stream-view/link-tap.js';
import { assertSameData, nodesForFile, startNode, waitFor, waitInSync, type Kind, type Node } from '../../support/replication.js';
import { redisCli } from '../../support/servers.js';

const nodes = nodesForFile();
const relays: LinkRelay[] = [];
after(async () => {
  await Promise.all(relays.map((relay) => relay.close()));
});

async function masterOffset(master: Node): Promise<number> {
  return Number((await master.info()).get('master_repl_offset'));
}

/** A master of `kind`, a relay watched from the start (or not), and our replica linked through it. */
async function watchedLink(
  kind: Kind,
  masterArgs: string[],
  watchFromStart = true,
): Promise<{ master: Node; replica: Node; relay: LinkRelay; entries: TapEntry[] }> {
  // A PING a second, so a quiet link still shows its offset moving.
  const master = nodes.track(await startNode(kind, ['--repl-ping-replica-period', '1', ...masterArgs]));
  const relay = await LinkRelay.open(master.port);
  relays.push(relay);
  const entries: TapEntry[] = [];
  if (watchFromStart) relay.watch((batch) => entries.push(...batch));
  const replica = nodes.track(await startNode('ours', ['--replicaof', `127.0.0.1 ${relay.port}`]));
  await waitFor('replica linked through the relay', async () => (await replica.info()).get('master_link_status') === 'up');
  return { master, replica, relay, entries };
}

function toReplica(entries: TapEntry[]): TapEntry[] {
  return entries.filter((entry) => entry.direction === 'to-replica');
}

/** Writes stop; a PING period passes; the last offset shown must reach the master's master_repl_offset. */
async function lastOffsetMatches(master: Node, entries: TapEntry[]): Promise<void> {
  await new Promise((r) => setTimeout(r, 1500));
  let seen: { shown: number | null; master: number } = { shown: null, master: -1 };
  await waitFor(
    'the last offset shown to equal master_repl_offset',
    async () => {
      const shown = toReplica(entries).at(-1)?.offset ?? null;
      seen = { shown, master: await masterOffset(master) };
      return shown === seen.master;
    },
    5000,
  ).catch(() => assert.fail(`last offset shown ${seen.shown}, master_repl_offset ${seen.master}`));
}

/** `SET demo 1` typed with redis-cli shows as one command of its RESP size at the master's offset after it. */
async function setDemoShows(master: Node, entries: TapEntry[]): Promise<void> {
  const before = entries.length;
  assert.equal(redisCli(master.port, ['SET', 'demo', '1']), 'OK');
  const offsetAfter = await masterOffset(master);
  await waitFor('SET demo 1 in the view', () => entries.slice(before).some((entry) => entry.name === 'SET'));
  const set = entries.slice(before).find((entry) => entry.name === 'SET')!;
  assert.equal(set.text, '"SET" "demo" "1"');
  assert.equal(set.bytes, Buffer.byteLength('*3\r\n$3\r\nSET\r\n$4\r\ndemo\r\n$1\r\n1\r\n'));
  // A PING may have been sent between the SET and the INFO that read the offset; nothing else was.
  const pingsBetween = toReplica(entries.slice(before)).filter((e) => e.name === 'PING' && (e.offset ?? 0) > set.offset!).length;
  assert.equal(set.offset, offsetAfter - pingsBetween * Buffer.byteLength('*1\r\n$4\r\nPING\r\n'), 'the offset after SET');
}

for (const kind of ['ours', 'redis'] as const) {
  describe(`stream tap, ${kind} master`, () => {
    it('a diskless full sync: +FULLRESYNC, one RDB line, then the stream with the master offsets', async () => {
      const { master, replica, entries } = await watchedLink(kind, ['--repl-diskless-sync', 'yes']);
      const shown = toReplica(entries);
      const full = shown.find((entry) => entry.name === '+FULLRESYNC');
      assert.ok(full, `entries: ${shown.map((e) => e.text).join(' | ')}`);
      const announced = Number(full.text.split(' ')[2]);
      assert.equal(full.offset, announced);
      const rdb = shown.find((entry) => entry.kind === 'rdb')!;
      assert.match(rdb.text, /^RDB payload, \d+ bytes \(diskless/);
      assert.equal(rdb.offset, announced);
      await setDemoShows(master, entries);
      // The replica's side: its handshake and REPLCONF ACKs naming offsets.
      const fromReplica = entries.filter((entry) => entry.direction === 'to-master').map((entry) => entry.name);
      assert.ok(fromReplica.includes('PSYNC') && fromReplica.includes('REPLCONF'), fromReplica.join(' '));
      await lastOffsetMatches(master, entries);
      await waitFor('an ACK of the latest offset', async () => {
        const ack = entries.filter((e) => e.direction === 'to-master' && e.text.startsWith('"REPLCONF" "ACK"')).at(-1);
        return ack?.offset === (await masterOffset(master));
      });
      await waitInSync(master, [replica]);
      await assertSameData([master, replica]);
    });

    it('a disk-based full sync: the RDB skipped by its $<len>; MULTI/EXEC and SELECT shown with offsets', async () => {
      const { master, replica, entries } = await watchedLink(kind, ['--repl-diskless-sync', 'no']);
      const rdb = toReplica(entries).find((entry) => entry.kind === 'rdb');
      assert.ok(rdb && /^RDB payload, \d+ bytes$/.test(rdb.text), rdb?.text);
      await master.client.pipeline([['SELECT', 3], ['MULTI'], ['SET', 'a', 'x'], ['INCR', 'n'], ['EXEC'], ['SELECT', 0]]);
      await waitFor('EXEC in the view', () => entries.some((entry) => entry.name === 'EXEC'));
      const names = toReplica(entries)
        .filter((entry) => entry.kind === 'command' && entry.name !== 'PING')
        .map((entry) => entry.name);
      assert.deepEqual(names.slice(-5), ['SELECT', 'MULTI', 'SET', 'INCR', 'EXEC']);
      await setDemoShows(master, entries);
      await lastOffsetMatches(master, entries);
      await waitInSync(master, [replica]);
      await assertSameData([master, replica]);
    });

    it('a view opened on a live link, then a partial resync: +CONTINUE resumes at the PSYNC offset', async () => {
      const { master, replica, relay, entries } = await watchedLink(kind, [], false);
      await master.client.pipeline(Array.from({ length: 50 }, (_, i) => ['SET', `k${i}`, 'v'.repeat(100)]));
      await waitInSync(master, [replica]);
      relay.watch((batch) => entries.push(...batch));
      await setDemoShows(master, entries);
      relay.setFault({ kind: 'cut' });
      await waitFor('link down', async () => (await replica.info()).get('master_link_status') === 'down');
      await master.client.pipeline(Array.from({ length: 20 }, (_, i) => ['SET', `during${i}`, 'x']));
      relay.setFault({ kind: 'none' });
      await waitInSync(master, [replica]);
      const resumed = toReplica(entries).find((entry) => entry.name === '+CONTINUE');
      assert.ok(resumed, 'a +CONTINUE line');
      const psync = entries.filter((entry) => entry.name === 'PSYNC').at(-1)!;
      assert.equal(resumed.offset, psync.offset! - 1);
      await lastOffsetMatches(master, entries);
      await assertSameData([master, replica]);
    });
  });
}
