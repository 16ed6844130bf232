// OBJECT FREQ and IDLETIME under each maxmemory-policy (LRU clock or LFU counter), and RESTORE's
// IDLETIME and FREQ, against Debian's redis-server 7.0 side by side.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPair, type Pair } from '../../support/differential.js';
import { show } from '../../support/resp-client.js';

describe('OBJECT FREQ and IDLETIME under each maxmemory-policy', () => {
  let pair: Pair;
  before(async () => {
    // A log factor of 0 makes every access increment the counter, so frequencies are exact.
    pair = await startPair(['--maxmemory-policy', 'allkeys-lfu', '--lfu-log-factor', '0']);
  });
  after(async () => {
    await pair.close();
  });

  test('an LFU policy from the start counts accesses', async () => {
    await pair.same(['SET', 'k', 'v']);
    await pair.same(['OBJECT', 'FREQ', 'k']);
    for (let i = 0; i < 10; i++) await pair.same(['GET', 'k']);
    await pair.same(['OBJECT', 'FREQ', 'k']);
    await pair.same(['OBJECT', 'IDLETIME', 'k']);
    await pair.same(['OBJECT', 'FREQ', 'missing']);
  });

  test('CONFIG SET of the policy and the LFU parameters applies at once', async () => {
    await pair.same(['CONFIG', 'SET', 'maxmemory-policy', 'volatile-lru']);
    await pair.same(['SET', 'lru', 'v']);
    await pair.same(['OBJECT', 'FREQ', 'lru']);
    await pair.same(['OBJECT', 'IDLETIME', 'lru']);
    await pair.same(['CONFIG', 'SET', 'maxmemory-policy', 'volatile-lfu']);
    await pair.same(['CONFIG', 'SET', 'lfu-log-factor', '0']);
    await pair.same(['SET', 'lfu', 'v']);
    for (let i = 0; i < 5; i++) await pair.same(['GET', 'lfu']);
    await pair.same(['OBJECT', 'FREQ', 'lfu']);
    await pair.same(['CONFIG', 'SET', 'lfu-decay-time', '0']);
    await pair.same(['GET', 'lfu']);
    await pair.same(['OBJECT', 'FREQ', 'lfu']);
    await pair.same(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
    await pair.same(['OBJECT', 'FREQ', 'lfu']);
  });

  test('RESTORE IDLETIME and FREQ set what OBJECT reports, each under the policy that tracks it', async () => {
    // cluster.c restoreCommand -> object.c objectSetLRUOrLFU.
    await pair.sameAll([
      ['SET', 'src', 'v'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'],
    ]);
    const payload = (await pair.ours.call('DUMP', 'src')) as Buffer;
    /** OBJECT IDLETIME from both; they may read their clocks a second apart. */
    const idleTimes = async (key: string): Promise<number[]> => {
      const replies = await Promise.all([pair.ours.call('OBJECT', 'IDLETIME', key), pair.redis.call('OBJECT', 'IDLETIME', key)]);
      assert.ok(
        replies.every((r) => typeof r === 'number'),
        `OBJECT IDLETIME ${key}: ${JSON.stringify(replies.map(show))}`,
      );
      assert.ok(
        Math.abs((replies[0] as number) - (replies[1] as number)) <= 1,
        `OBJECT IDLETIME ${key} (ours, then redis-server): ${replies.join(', ')}`,
      );
      return replies as number[];
    };
    await pair.sameAll([
      ['RESTORE', 'idle', '0', payload, 'IDLETIME', '1000'],
      ['RESTORE', 'idle', '0', payload, 'REPLACE', 'IDLETIME', '3600'],
      ['RESTORE', 'ancient', '0', payload, 'IDLETIME', '100000000'],
      ['RESTORE', 'ignored', '0', payload, 'FREQ', '200'],
      ['RESTORE', 'both', '0', payload, 'IDLETIME', '1', 'FREQ', '2'],
      ['RESTORE', 'both', '0', payload, 'IDLETIME', '-1'],
    ]);
    assert.ok((await idleTimes('idle'))[0]! >= 3600);
    // Beyond the 24-bit clock's cycle (about 194 days): what Redis's wrapped field reads back.
    await idleTimes('ancient');
    assert.ok((await idleTimes('ignored'))[0]! <= 1);
    // Under an LFU policy FREQ applies and IDLETIME is ignored (a new key's counter is 5).
    await pair.sameAll([
      ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-lfu'],
      ['RESTORE', 'freq', '0', payload, 'FREQ', '200'],
      ['OBJECT', 'FREQ', 'freq'],
      ['RESTORE', 'freq', '0', payload, 'REPLACE', 'FREQ', '0'],
      ['OBJECT', 'FREQ', 'freq'],
      ['RESTORE', 'idle-lfu', '0', payload, 'IDLETIME', '1000'],
      ['OBJECT', 'FREQ', 'idle-lfu'],
      ['OBJECT', 'IDLETIME', 'idle-lfu'],
      ['RESTORE', 'bad', '0', payload, 'FREQ', '256'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
    ]);
  });
});
