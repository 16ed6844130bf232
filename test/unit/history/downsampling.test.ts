// Downsampling of lab.db's history (HistoryStore.compact) on a real SQLite file with rows whose
// buckets' answers are known: 1 s rows for the last hour, 10 s buckets for the last day, 1 min beyond.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { LabStore } from '../../../src-main/host/store/lab-store.js';
import type { NodeSampleRow, ReplicaSampleRow } from '../../../src-main/host/store/history-store.js';
import { tempDir } from '../../support/servers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = 1_700_000_000_000 - (1_700_000_000_000 % 60_000); // a whole minute, to keep buckets readable

function nodeRow(nodeId: number, time: number, i: number): NodeSampleRow {
  return {
    nodeId,
    time,
    role: 'master',
    opsPerSec: i, // mean of a bucket = mean of its i
    usedMemory: 1000 + i,
    clients: 1,
    keys: i,
    masterReplOffset: 100 * i, // last of a bucket = 100 * its largest i
    linkUp: i % 7 === 3 ? 0 : 1, // one down reading makes the bucket down
    syncFull: i,
    syncPartialOk: 0,
    syncPartialErr: 0,
    aofEnabled: 0,
    aofRewriting: 0,
    rdbSaving: i % 10 === 5 ? 1 : 0,
    rdbChanges: i,
    persistenceOk: 1,
  };
}

function replicaRow(time: number, i: number): ReplicaSampleRow {
  return {
    masterId: 1,
    replicaPort: 6380,
    time,
    replicaId: 2,
    state: 'online',
    ackedOffset: 100 * i - (i % 10) * 3,
    lagBytes: (i % 10) * 3, // worst of a bucket of 10 = 27
    secondsBehind: (i % 10) / 10,
    ackLag: i % 2,
  };
}

describe('history downsampling', () => {
  const dir = tempDir('replicalab-downsample-');
  const store = LabStore.open(dir);
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // One row a second over the 2 hours ending now, and over the hour ending 25 h ago.
  const recent = Array.from({ length: 7200 }, (_, i) => NOW - 7200_000 + i * 1000);
  const old = Array.from({ length: 3600 }, (_, i) => NOW - 25 * HOUR - 3600_000 + i * 1000);
  const times = [...old, ...recent];
  store.history.write(
    times.map((t, i) => nodeRow(1, t, i)),
    times.map((t, i) => replicaRow(t, i)),
  );

  test('keeps the last hour at 1 s, the day at 10 s and older at 1 min', () => {
    store.history.compact(NOW);
    const tiers = Object.fromEntries(store.history.counts().map((c) => [`${c.table}/${c.tier}`, c.rows]));
    // 3600 rows of the last hour stay; the hour before becomes 360 buckets; the old hour 60.
    assert.deepEqual(tiers, {
      'node_samples/0': 3600,
      'node_samples/1': 360,
      'node_samples/2': 60,
      'replica_samples/0': 3600,
      'replica_samples/1': 360,
      'replica_samples/2': 60,
    });
  });

  test('a 10 s bucket holds the mean of gauges, the last offset, the worst lag, any flag', () => {
    const start = NOW - 2 * HOUR; // the first 10 s bucket of the recent rows: i = 3600..3609
    const data = store.history.query(start, start + 10_000);
    const node = data.nodes[0]!;
    assert.deepEqual(node.time, [start]);
    assert.equal(node.opsPerSec[0], 3604.5);
    assert.equal(node.masterReplOffset[0], 360_900);
    const replica = data.replicas[0]!;
    assert.equal(replica.lagBytes[0], 27);
    assert.equal(replica.secondsBehind[0], 0.9);
    assert.equal(replica.ackedOffset[0], 360_900 - 27);
  });

  test('a 1 min bucket made from 10 s buckets keeps the same answers', () => {
    const start = NOW - 26 * HOUR; // i = 0..59
    const data = store.history.query(start, start + 60_000);
    assert.equal(data.nodes[0]!.opsPerSec[0], 29.5);
    assert.equal(data.nodes[0]!.masterReplOffset[0], 5900);
    assert.equal(data.replicas[0]!.lagBytes[0], 27);
  });

  test('compacting again changes nothing; the rows of the last hour are untouched', () => {
    const before = store.history.counts();
    store.history.compact(NOW);
    assert.deepEqual(store.history.counts(), before);
    const lastMinute = store.history.query(NOW - 60_000, NOW);
    assert.equal(lastMinute.bucketMs, 1000);
    assert.equal(lastMinute.nodes[0]!.time.length, 60);
  });

  test('a long range is aggregated to about 1000 points per series', () => {
    const all = store.history.query(NOW - 2 * DAY, NOW);
    assert.equal(all.bucketMs, 173_000);
    const points = all.nodes[0]!.time.length;
    // 3 hours of rows in 173 s buckets: 63 points (a few more where a bucket straddles a gap's edge).
    assert.ok(points >= 63 && points <= 70, `${points} points`);
  });

  test('link status: one down reading in a bucket marks the bucket down', () => {
    // A second connection, as the export uses: WAL lets it read while the store's is open.
    const db = new Database(LabStore.file(dir), { readonly: true });
    const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
    // Every run of 10 consecutive i holds one with i % 7 == 3: every 10 s bucket is down.
    assert.equal(count('SELECT COUNT(*) AS n FROM node_samples WHERE tier = 1 AND link_up = 0'), 360);
    // A bucket is saving if any second was (i % 10 == 5 falls in every bucket of 10).
    assert.equal(count('SELECT COUNT(*) AS n FROM node_samples WHERE tier = 1 AND rdb_saving = 1'), 360);
    db.close();
  });
});

describe('the cost of recording, per second and per compaction', () => {
  const dir = tempDir('replicalab-history-cost-');
  const store = LabStore.open(dir);
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a second of 10 nodes (9 replicas) is one short transaction; compacting an hour is quick', () => {
    const ticks: number[] = [];
    const start = NOW - 2 * HOUR;
    for (let s = 0; s < 7200; s++) {
      const time = start + s * 1000;
      const nodes = Array.from({ length: 10 }, (_, n) => nodeRow(n + 1, time + n, s));
      const replicas = Array.from({ length: 9 }, (_, r) => ({ ...replicaRow(time + r, s), replicaPort: 6380 + r, replicaId: r + 2 }));
      const t0 = performance.now();
      store.history.write(nodes, replicas);
      ticks.push(performance.now() - t0);
    }
    ticks.sort((a, b) => a - b);
    const t0 = performance.now();
    store.history.compact(NOW); // the first compaction after two hours: 36,000 + 32,400 rows move
    const compactMs = performance.now() - t0;
    const t1 = performance.now();
    store.history.compact(NOW + 60_000); // the steady state: a minute's rows move
    const steadyMs = performance.now() - t1;
    const median = ticks[ticks.length >> 1]!;
    const p99 = ticks[Math.floor(ticks.length * 0.99)]!;
    console.log(
      `history write of one second (10 nodes, 9 replicas): median ${median.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms; ` +
        `compaction of an hour ${compactMs.toFixed(0)} ms, of a minute ${steadyMs.toFixed(1)} ms`,
    );
    // Bounds far above what this measures on a loaded 2-core machine: they catch a write per row
    // outside a transaction (tens of ms with fsync) or a compaction that scans the whole table.
    assert.ok(median < 5, `median ${median} ms`);
    assert.ok(steadyMs < 100, `steady compaction ${steadyMs} ms`);
  });
});
