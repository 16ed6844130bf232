// used_memory (INFO memory, MEMORY STATS, the RDB's used-mem aux field) counts memory outside the
// JS heap once: the keyspace keeps its keys and string values in Buffers (keyspace/slot-strings.ts),
// so a double count would report twice the dataset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usedMemory } from '../../../src-main/engine/keyspace/used-memory.js';

test('a 64 MiB Buffer adds 64 MiB to used_memory, not twice that', () => {
  const before = usedMemory(null);
  const buffer = Buffer.alloc(64 << 20, 1);
  const grown = usedMemory(null) - before;
  assert.ok(grown > 60 << 20 && grown < 72 << 20, `used_memory grew by ${(grown / 2 ** 20).toFixed(1)} MiB`);
  assert.equal(buffer[0], 1);
});
