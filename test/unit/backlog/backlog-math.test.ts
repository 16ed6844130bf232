// The backlog's arithmetic on INFO fields worked out by hand: Redis 7.0 accepts PSYNC <replid>
// <offset+1> when the replid is the master's (or its previous one, up to second_repl_offset) and
// offset+1 lies within [repl_backlog_first_byte_offset, first byte + repl_backlog_histlen].
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { masterBacklog, resumeVerdict, secondsAt } from '../../../src-main/host/backlog/backlog-math.js';
import { OffsetHistory } from '../../../src-main/host/history/offset-history.js';

const REPLID = 'a'.repeat(40);
const OLD = 'b'.repeat(40);

/** A master that wrote 5000 bytes with a 1000-byte backlog: it holds offsets 4001..5000. */
const fullBacklog = masterBacklog([
  ['role', 'master'],
  ['master_replid', REPLID],
  ['master_replid2', '0000000000000000000000000000000000000000'],
  ['master_repl_offset', '5000'],
  ['second_repl_offset', '-1'],
  ['repl_backlog_active', '1'],
  ['repl_backlog_size', '1000'],
  ['repl_backlog_first_byte_offset', '4001'],
  ['repl_backlog_histlen', '1000'],
]);

describe('resumeVerdict', () => {
  test('a replica with every byte resumes, and may stay away for a whole backlog of writes', () => {
    assert.deepEqual(resumeVerdict(fullBacklog, REPLID, 5000), {
      canResume: true,
      reason: 'it has every byte, so it would continue at once',
      bytesLeft: 1000,
    });
  });

  test('a replica whose next byte is the first one kept still resumes, with nothing to spare', () => {
    // It has up to 4000 and asks for 4001, the backlog's first byte.
    const verdict = resumeVerdict(fullBacklog, REPLID, 4000);
    assert.equal(verdict.canResume, true);
    assert.equal(verdict.bytesLeft, 0);
  });

  test('one byte further back is overwritten: full sync', () => {
    const verdict = resumeVerdict(fullBacklog, REPLID, 3999);
    assert.equal(verdict.canResume, false);
    assert.match(verdict.reason, /needs the bytes from offset 4000, but the backlog starts at 4001: 1 bytes were overwritten/);
  });

  test('another history is a full sync, unless it is the previous one up to second_repl_offset', () => {
    assert.equal(resumeVerdict(fullBacklog, OLD, 4500).canResume, false);
    const promoted = { ...fullBacklog, replid2: OLD, secondReplOffset: 4501 };
    assert.equal(resumeVerdict(promoted, OLD, 4500).canResume, true, 'asks for 4501 = second_repl_offset');
    assert.equal(resumeVerdict(promoted, OLD, 4501).canResume, false, 'asks for 4502, past it');
  });

  test('no backlog, an unknown position, or a replica ahead of the master: full sync', () => {
    assert.equal(resumeVerdict({ ...fullBacklog, active: false }, REPLID, 5000).canResume, false);
    assert.equal(resumeVerdict(fullBacklog, null, null).canResume, false);
    assert.equal(resumeVerdict(fullBacklog, REPLID, 5001).canResume, false);
  });

  test('a backlog not yet full keeps everything from offset 1', () => {
    const young = { ...fullBacklog, masterReplOffset: 300, firstByteOffset: 1, histlen: 300 };
    const verdict = resumeVerdict(young, REPLID, 0);
    assert.equal(verdict.canResume, true);
    // 300 behind; 700 more bytes and the backlog's first byte passes offset 1.
    assert.equal(verdict.bytesLeft, 700);
  });
});

describe('how long the backlog lasts', () => {
  test('bytes at a rate; nothing written lasts indefinitely', () => {
    assert.equal(secondsAt(1000, 250), 4);
    assert.equal(secondsAt(1000, 0), null);
    assert.equal(secondsAt(1000, null), null);
  });

  test("the master's write rate from its offset readings over the last window", () => {
    const history = new OffsetHistory();
    // 100 bytes/s for 20 s, then 1000 bytes/s for the last 5 s; read every 500 ms.
    let offset = 0;
    for (let t = 0; t <= 25_000; t += 500) {
      history.add(t, offset, REPLID);
      offset += t < 20_000 ? 50 : 500;
    }
    assert.equal(history.bytesPerSecond(5000), 1000);
    // Over 10 s: 5 s at 100 and 5 s at 1000 = 5500 bytes in 10 s.
    assert.equal(history.bytesPerSecond(10_000), 550);
    assert.equal(new OffsetHistory().bytesPerSecond(5000), null);
  });
});
