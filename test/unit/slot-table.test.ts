// The keyspace's key -> slot table (keyspace/slot-table.ts) against a Map doing the same work:
// probe runs that wrap around the end of the buckets, backward-shift deletion, growth and
// shrinking, slot reuse, and the promise the database builds SCAN on: a key's slot never
// changes while the key exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SlotTable } from '../../src-main/engine/keyspace/slot-table.js';
import { seededRandom } from '../support/command-families.js';

function assertSameAsModel(table: SlotTable, model: Map<string, number>): void {
  assert.equal(table.size, model.size);
  for (const [key, slot] of model) {
    assert.equal(table.find(key), slot, `slot of ${key}`);
    assert.equal(table.keyInSlot(slot), key);
  }
  let live = 0;
  for (let slot = 0; slot < table.slotCount; slot++) {
    const key = table.keyInSlot(slot);
    if (key === undefined) continue;
    live++;
    assert.equal(model.get(key), slot, `slot ${slot} holds ${key}`);
  }
  assert.equal(live, model.size);
}

test('a random mix of inserts, lookups and removals agrees with a Map, slots never move', () => {
  for (const seed of [1, 2, 3, 4]) {
    const rnd = seededRandom(seed);
    const table = new SlotTable();
    const model = new Map<string, number>();
    for (let step = 0; step < 40000; step++) {
      // Phases of growth and drain over a universe small enough for long probe runs and wrap-
      // around in small tables, large enough to grow the table several times.
      const growing = Math.floor(step / 5000) % 2 === 0;
      const key = `k${rnd.int(growing ? 3000 : 300)}`;
      const present = model.get(key);
      assert.equal(table.find(key), present ?? -1, `find ${key} at step ${step}`);
      if (present === undefined && (growing || rnd.int(4) === 0)) {
        const slot = table.insert(key);
        assert.ok(![...model.values()].includes(slot), `slot ${slot} given while in use`);
        model.set(key, slot);
      } else if (present !== undefined && (!growing || rnd.int(4) === 0)) {
        assert.equal(table.remove(key), present);
        model.delete(key);
      }
      if (step % 1000 === 0) assertSameAsModel(table, model);
    }
    assertSameAsModel(table, model);
    for (const key of [...model.keys()]) {
      assert.equal(table.remove(key), model.get(key));
      model.delete(key);
    }
    assert.equal(table.size, 0);
    assert.equal(table.slotCount, 0, 'an emptied table gives its slots back');
    assert.equal(table.remove('k1'), -1);
  }
});

test('keys are binary strings: any byte, empty, long, and keys differing in one byte', () => {
  const table = new SlotTable();
  const keys = ['', '\x00', '\x00\x00', '\xff', 'a'.repeat(100_000), `${'a'.repeat(99_999)}b`, 'é', '\u00e9'.repeat(3)];
  for (let b = 0; b < 256; b++) keys.push(`x${String.fromCharCode(b)}`);
  const slots = keys.map((key) => table.insert(key));
  keys.forEach((key, i) => assert.equal(table.find(key), slots[i], JSON.stringify(key.slice(0, 8))));
  assert.equal(table.find('a'.repeat(99_999)), -1);
  assert.equal(table.find('x'), -1);
});

test('freed slots are reused before the slot array grows', () => {
  const table = new SlotTable();
  for (let i = 0; i < 10; i++) table.insert(`key${i}`);
  const freed = table.remove('key3');
  assert.equal(table.insert('new'), freed);
  assert.equal(table.slotCount, 10);
});
