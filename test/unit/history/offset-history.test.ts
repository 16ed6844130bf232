// Seconds behind master, computed from a master's recorded (time, master_repl_offset) readings, on
// cases whose answers are worked out by hand in the comments.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OffsetHistory } from '../../../src-main/host/history/offset-history.js';

/** A master written at 1000 bytes/s, read every 500 ms from t=0 to t=10 s: offset = t(ms). */
function steadyMaster(): OffsetHistory {
  const history = new OffsetHistory();
  for (let t = 0; t <= 10_000; t += 500) history.add(t, t, 'id');
  return history;
}

describe('OffsetHistory.secondsBehind', () => {
  test('a replica that acknowledged the latest offset is 0 s behind', () => {
    assert.equal(steadyMaster().secondsBehind(10_000, 10_000), 0);
    // ... even if it acknowledged more than the master's latest reading showed (the ACK is newer).
    assert.equal(steadyMaster().secondsBehind(10_200, 10_000), 0);
  });

  test('an offset the master was at on a reading: the time since that reading', () => {
    // The master was at 7000 at t=7000 ms; at t=10 s that is 3 s ago.
    assert.equal(steadyMaster().secondsBehind(7000, 10_000), 3);
  });

  test('between two readings the master is assumed to write evenly', () => {
    // 7250 lies between (7000 ms, 7000) and (7500 ms, 7500): reached at 7250 ms, 2.75 s before 10 s.
    assert.equal(steadyMaster().secondsBehind(7250, 10_000), 2.75);
  });

  test('bursts: the time the master passed the offset, not bytes divided by a rate', () => {
    const history = new OffsetHistory();
    // Idle until 5 s, a 1 MB burst between 5 s and 6 s, idle again until 20 s.
    history.add(0, 100, 'id');
    history.add(5000, 100, 'id');
    history.add(6000, 1_000_100, 'id');
    history.add(20_000, 1_000_100, 'id');
    // Half the burst acknowledged: the master was there at 5.5 s, 14.5 s before 20 s.
    assert.equal(history.secondsBehind(500_100, 20_000), 14.5);
    // Everything before the burst: the master passed 100 at its first reading (0 s), 20 s ago.
    assert.equal(history.secondsBehind(100, 20_000), 20);
  });

  test('an offset older than every reading kept is unknown, not a guess', () => {
    const history = new OffsetHistory();
    history.add(1000, 5000, 'id');
    history.add(2000, 6000, 'id');
    assert.equal(history.secondsBehind(4000, 3000), null);
    assert.equal(new OffsetHistory().secondsBehind(0, 0), null);
  });

  test('readings older than the window are dropped', () => {
    const history = new OffsetHistory(10_000);
    for (let t = 0; t <= 30_000; t += 1000) history.add(t, t, 'id');
    assert.equal(history.secondsBehind(15_000, 30_000), null, 'kept only from 20 s');
    assert.equal(history.secondsBehind(25_000, 30_000), 5);
  });

  test('a new replication ID or an offset that went back starts the history afresh', () => {
    const history = steadyMaster();
    history.add(11_000, 50, 'id'); // restarted without its data: the offset went back
    // The readings before the restart are gone: when the master passed 20 is no longer known.
    assert.equal(history.secondsBehind(20, 11_000), null);
    assert.equal(history.secondsBehind(50, 12_000), 0);
    const switched = steadyMaster();
    switched.add(10_500, 10_500, 'other-id'); // a failover gave the master a new ID
    assert.equal(switched.secondsBehind(7000, 10_500), null);
    assert.equal(switched.secondsBehind(10_500, 10_500), 0);
  });

  test('a long history stays searchable after old points are dropped in batches', () => {
    const history = new OffsetHistory(60_000);
    for (let t = 0; t <= 3_600_000; t += 500) history.add(t, t * 2, 'id');
    // The master was at 7_190_000 at t = 3_595_000 ms: 5 s before the last reading.
    assert.equal(history.secondsBehind(7_190_000, 3_600_000), 5);
  });
});
