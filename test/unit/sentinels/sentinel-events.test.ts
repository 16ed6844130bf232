// How the lab reads a Sentinel's events (host/sentinels/sentinel-events.ts): which are recorded,
// and which move a node. The messages are in sentinelEvent's formats, as our Sentinels and
// redis-sentinel 7.0 publish them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSentinelEvent, sentinelMove } from '../../../src-main/host/sentinels/sentinel-events.js';
import { addSentinelOptions } from '../../../src-main/api/sentinels.js';

test('events are recorded, hellos are not', () => {
  assert.equal(isSentinelEvent('+sdown'), true);
  assert.equal(isSentinelEvent('-odown'), true);
  assert.equal(isSentinelEvent('__sentinel__:hello'), false);
  assert.equal(isSentinelEvent('news'), false);
});

test('+switch-master moves the master; +convert-to-slave and +fix-slave-config move a replica; +slave-reconf-done names the old master', () => {
  assert.deepEqual(sentinelMove('+switch-master', 'node-1 127.0.0.1 6379 127.0.0.1 6380'), {
    kind: 'switch',
    oldPort: 6379,
    newPort: 6380,
  });
  assert.deepEqual(sentinelMove('+convert-to-slave', 'slave 127.0.0.1:6379 127.0.0.1 6379 @ node-1 127.0.0.1 6380'), {
    kind: 'replica',
    port: 6379,
    masterPort: 6380,
  });
  assert.deepEqual(sentinelMove('+fix-slave-config', 'slave 127.0.0.1:6381 127.0.0.1 6381 @ node-1 127.0.0.1 6380'), {
    kind: 'replica',
    port: 6381,
    masterPort: 6380,
  });
  assert.equal(sentinelMove('+slave-reconf-done', 'slave 127.0.0.1:6381 127.0.0.1 6381 @ node-1 127.0.0.1 6379'), null);
  assert.equal(sentinelMove('+sdown', 'master node-1 127.0.0.1 6379'), null);
});

test('addSentinel checks its options and says what is allowed', () => {
  assert.deepEqual(addSentinelOptions({ masterId: '1', quorum: 2 }), {
    masterId: '1',
    quorum: 2,
    downAfterMs: undefined,
    failoverTimeoutMs: undefined,
    port: undefined,
  });
  assert.throws(() => addSentinelOptions({ masterId: '1', quorum: 0 }), /the quorum must be a whole number from 1 to 16/);
  assert.throws(() => addSentinelOptions({ masterId: '1', downAfterMs: 5 }), /down-after-milliseconds must be a whole number from 100/);
  assert.throws(() => addSentinelOptions({ quorum: 2 }), /a node id must be a non-empty string/);
});
