// How the topology draws the lab's Sentinels: the words on each Sentinel's box come from its own
// report (SENTINEL MASTERS through the host), and the line goes to the node it holds as master now.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SentinelSummary, SentinelView } from '../../../src-main/api/sentinels.js';
import { describeSentinels, electedLeader, sentinelMarks } from '../../../src-renderer/src/replication/topology-sentinels.js';

function view(over: Partial<SentinelView> = {}): SentinelView {
  return {
    name: 'node-1',
    ip: '127.0.0.1',
    port: 6379,
    masterNodeId: 'n1',
    flags: ['master'],
    sdown: false,
    odown: false,
    quorum: 2,
    numOtherSentinels: 2,
    numSlaves: 2,
    configEpoch: 0,
    failoverState: 'none',
    ...over,
  };
}

function sentinel(over: Partial<SentinelSummary> = {}): SentinelSummary {
  return {
    id: 's1',
    name: 'sentinel-1',
    port: 26379,
    masterId: 'n1',
    quorum: 2,
    downAfterMs: 1000,
    failoverTimeoutMs: 5000,
    status: 'running',
    lastError: null,
    myid: 'aaa',
    currentEpoch: 3,
    leader: null,
    view: view(),
    dir: '/tmp/x',
    ...over,
  };
}

test('a healthy Sentinel shows its port, epoch and master, with a line to that master', () => {
  const [mark] = sentinelMarks([sentinel()]);
  assert.deepEqual(
    { detail: mark!.detail, state: mark!.state, masterKey: mark!.masterKey, kind: mark!.kind, leader: mark!.leader },
    { detail: ':26379 · epoch 3', state: 'sees master ok', masterKey: 'n1', kind: 'ok', leader: false },
  );
});

test('down states, the failover and the leader come from the Sentinel report, o_down before s_down', () => {
  const marks = sentinelMarks([
    sentinel({ id: 's2', myid: 'x2', view: view({ sdown: true }) }),
    sentinel({ id: 's3', myid: 'x3', view: view({ sdown: true, odown: true }) }),
    sentinel({ leader: 'aaa', view: view({ sdown: true, odown: true, flags: ['master', 'failover_in_progress'] }) }),
    sentinel({ id: 's4', myid: 'bbb', leader: 'aaa' }),
    sentinel({ id: 's5', myid: 'ccc', leader: 'ccc' }),
  ]);
  assert.deepEqual(
    marks.map((m) => [m.kind, m.state, m.leader]),
    [
      ['sdown', 'master s_down', false],
      ['odown', 'master o_down', false],
      ['failover', 'failover in progress', true],
      ['ok', 'sees master ok', false],
      ['ok', 'sees master ok', false],
    ],
  );
  assert.equal(marks[2]!.title, 'sentinel-1 · leader');
});

test('the leader is the Sentinel most of them voted for; a tie names none', () => {
  const votes = (...leaders: string[]) => leaders.map((leader, i) => sentinel({ id: `s${i}`, myid: `id${i}`, leader }));
  assert.equal(electedLeader(votes('id0', 'id0', 'id2')), 'id0');
  assert.equal(electedLeader(votes('id0', 'id1')), null);
  assert.equal(electedLeader(votes('id0', 'id1', 'id2')), null);
  assert.equal(electedLeader([sentinel({ leader: 'aaa' })]), 'aaa');
});

test('a stopped Sentinel has no line and says so; the description names what each watches', () => {
  const marks = sentinelMarks([
    sentinel({ status: 'crashed', view: null }),
    sentinel({ id: 's2', name: 'sentinel-2', view: view({ masterNodeId: 'n2' }) }),
  ]);
  assert.equal(marks[0]!.masterKey, null);
  assert.equal(marks[0]!.state, 'crashed');
  assert.equal(
    describeSentinels(marks, (key) => (key === 'n2' ? 'node-2' : key)),
    'sentinel-1 (26379 · epoch 3) watches no lab node: crashed. sentinel-2 (26379 · epoch 3) watches node-2: sees master ok.',
  );
});
