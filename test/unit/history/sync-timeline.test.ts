// Sync spans read from log lines as our nodes (and redis-server) write them, on a real lab.db: a
// full sync with its size in the log, a streamed (diskless) one sized by the replica's INFO counter,
// a partial sync whose bytes the master logs before or after the replica, a failed full sync, and
// connection attempts that never became a sync.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { SyncSpan } from '../../../src-main/api/index.js';
import { parseLogLine, SyncTimeline } from '../../../src-main/host/history/sync-timeline.js';
import { LabStore } from '../../../src-main/host/store/lab-store.js';
import { tempDir } from '../../support/servers.js';

/** A log line at 7 Dec 2026 13:00:<s> local time, as the engine's logger formats it. */
function line(role: 'M' | 'S', seconds: number, message: string): string {
  const s = Math.floor(seconds);
  const ms = Math.round((seconds - s) * 1000);
  return `4242:${role} 07 Dec 2026 13:00:${String(s).padStart(2, '0')}.${String(ms).padStart(3, '0')} * ${message}`;
}
const at = (seconds: number): number => new Date(2026, 11, 7, 13, 0, 0, 0).getTime() + seconds * 1000;

describe('SyncTimeline', () => {
  const dir = tempDir('replicalab-syncs-');
  const store = LabStore.open(dir);
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const seen: SyncSpan[] = [];
  const timeline = new SyncTimeline(store.history, (span) => seen.push(span));
  const spansOf = (replicaId: string): SyncSpan[] =>
    store.history.syncs(0, Number.MAX_SAFE_INTEGER).filter((s) => s.replicaId === replicaId);

  test('parses the time and message of a log line', () => {
    assert.deepEqual(parseLogLine(line('S', 5.25, 'MASTER <-> REPLICA sync started')), {
      time: at(5.25),
      message: 'MASTER <-> REPLICA sync started',
    });
    assert.equal(parseLogLine('not a log line'), null);
  });

  test('a full sync with its size in the log: from the attempt to the success', () => {
    timeline.line('2', 6380, 6379, line('S', 1, 'MASTER <-> REPLICA sync started'));
    timeline.line('2', 6380, 6379, line('S', 1.2, 'MASTER <-> REPLICA sync: receiving 12345 bytes from master to disk'));
    timeline.line('2', 6380, 6379, line('S', 3.5, 'MASTER <-> REPLICA sync: Finished with success'));
    assert.deepEqual(
      spansOf('2').map(({ id: _id, ...span }) => span),
      [{ replicaId: '2', masterPort: 6379, kind: 'full', startedAt: at(1), endedAt: at(3.5), bytes: 12345, outcome: 'ok' }],
    );
  });

  test('attempts that never reach a sync leave no span; a full sync cut off by a new attempt failed', () => {
    for (let s = 10; s < 15; s++) timeline.line('3', 6381, 6379, line('S', s, 'MASTER <-> REPLICA sync started'));
    assert.deepEqual(spansOf('3'), []);
    timeline.line('3', 6381, 6379, line('S', 15.1, 'MASTER <-> REPLICA sync: receiving 999 bytes from master to disk'));
    timeline.line('3', 6381, 6379, line('S', 16, 'MASTER <-> REPLICA sync started'));
    const [span] = spansOf('3');
    assert.equal(span!.startedAt, at(14));
    assert.equal(span!.endedAt, at(16));
    assert.equal(span!.outcome, 'failed');
  });

  test("a streamed full sync is sized by the replica's total_net_repl_input_bytes", () => {
    const run = {};
    timeline.reading('4', run, at(19.5), 1000);
    timeline.line('4', 6382, 6379, line('S', 20, 'MASTER <-> REPLICA sync started'));
    timeline.line('4', 6382, 6379, line('S', 20.1, 'MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk'));
    timeline.line('4', 6382, 6379, line('S', 21, 'MASTER <-> REPLICA sync: Finished with success'));
    assert.equal(spansOf('4')[0]!.bytes, null, 'unknown until the next reading');
    timeline.reading('4', run, at(21.4), 51_000);
    assert.equal(spansOf('4')[0]!.bytes, 50_000);
  });

  test('a partial sync takes the backlog bytes the master logged, before or after the replica', () => {
    timeline.line(
      '1',
      6379,
      null,
      line('M', 30, 'Partial resynchronization request from 127.0.0.1:6380 accepted. Sending 777 bytes of backlog starting from offset 5.'),
    );
    timeline.line('2', 6380, 6379, line('S', 29.9, 'MASTER <-> REPLICA sync started'));
    timeline.line('2', 6380, 6379, line('S', 30.1, 'Successful partial resynchronization with master.'));
    timeline.line('3', 6381, 6379, line('S', 31, 'MASTER <-> REPLICA sync started'));
    timeline.line('3', 6381, 6379, line('S', 31.1, 'Successful partial resynchronization with master.'));
    timeline.line(
      '1',
      6379,
      null,
      line(
        'M',
        31.2,
        'Partial resynchronization request from 127.0.0.1:6381 accepted. Sending 55 bytes of backlog starting from offset 9.',
      ),
    );
    const partial2 = spansOf('2').find((s) => s.kind === 'partial')!;
    const partial3 = spansOf('3').find((s) => s.kind === 'partial')!;
    assert.deepEqual([partial2.startedAt, partial2.endedAt, partial2.bytes, partial2.outcome], [at(29.9), at(30.1), 777, 'ok']);
    assert.deepEqual([partial3.startedAt, partial3.endedAt, partial3.bytes], [at(31), at(31.1), 55]);
    // Every change was handed on (to the history push) as it happened.
    assert.ok(seen.some((s) => s.id === partial3.id && s.bytes === 55));
  });
});
