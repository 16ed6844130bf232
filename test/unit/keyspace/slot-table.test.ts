// The keyspace's key -> slot table (keyspace/slot-table.ts) against a Map doing the same work:
// probe runs that wrap around the end of the buckets, backward-shift deletion, growth and
// shrinking (incremental: lookups, inserts and removals in the middle of a resize), slot reuse,
// and the promise the database builds SCAN on: a key's slot never changes while the key exists.
// Also the chunked arrays by slot (keyspace/slot-array.ts) and the off-heap string store
// (keyspace/slot-strings.ts) the table and the database store keys and values in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SlotTable } from '../../../src-main/engine/keyspace/slot-table.js';
import { SlotArray, SlotInts } from '../../../src-main/engine/keyspace/slot-array.js';
import { INLINE_MAX, SlotStrings, classBytes, sizeClass } from '../../../src-main/engine/keyspace/slot-strings.js';
import { seededRandom } from '../../support/command-families.js';

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
    const usedSlots = new Set<number>();
    let stepsWhileResizing = 0;
    for (let step = 0; step < 40000; step++) {
      if (table.resizing) stepsWhileResizing++;
      // Phases of growth and drain over a universe small enough for long probe runs and wrap-
      // around in small tables, large enough to grow the table several times.
      const growing = Math.floor(step / 5000) % 2 === 0;
      const key = `k${rnd.int(growing ? 6000 : 600)}`;
      const present = model.get(key);
      assert.equal(table.find(key), present ?? -1, `find ${key} at step ${step}`);
      if (present === undefined && (growing || rnd.int(4) === 0)) {
        const slot = table.insert(key);
        assert.ok(!usedSlots.has(slot), `slot ${slot} given while in use`);
        model.set(key, slot);
        usedSlots.add(slot);
      } else if (present !== undefined && (!growing || rnd.int(4) === 0)) {
        assert.equal(table.remove(key), present);
        model.delete(key);
        usedSlots.delete(present);
      }
      if (step % 1000 === 0) assertSameAsModel(table, model);
    }
    assertSameAsModel(table, model);
    // The universe grows the table past the size that is resized at once, both ways.
    assert.ok(stepsWhileResizing >= 20, `only ${stepsWhileResizing} steps ran during a resize`);
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

test('a large table stays exact in the middle of every resize, growing and shrinking', () => {
  const table = new SlotTable();
  const n = 200_000;
  let checkedMidResize = 0;
  const checkAll = (live: (i: number) => boolean) => {
    for (let i = 0; i < n; i++) assert.equal(table.find(`key:${i}`) !== -1, live(i), `key:${i}`);
  };
  for (let i = 0; i < n; i++) {
    assert.equal(table.insert(`key:${i}`), i);
    // Check everything once per resize, right after it started (find moves entries too).
    if (table.resizing && i % 4096 === 0) {
      checkAll((k) => k <= i);
      checkedMidResize++;
    }
  }
  checkAll(() => true);
  for (let i = 0; i < n; i++) {
    if (i % 50 === 0) continue;
    assert.equal(table.remove(`key:${i}`), i);
    if (table.resizing && i % 4096 === 1) {
      checkAll((k) => k % 50 === 0 || k > i);
      checkedMidResize++;
    }
  }
  checkAll((k) => k % 50 === 0);
  assert.equal(table.size, n / 50);
  assert.ok(checkedMidResize >= 4, `checked ${checkedMidResize} resizes`);
  // Freed slots are handed out again, the kept keys keep theirs.
  const reused = new Set<number>();
  for (let i = 0; i < 1000; i++) reused.add(table.insert(`again:${i}`));
  for (const slot of reused) assert.ok(slot % 50 !== 0 && slot < n, `slot ${slot}`);
  for (let i = 0; i < n; i += 50) assert.equal(table.find(`key:${i}`), i);
});

test('an array by slot reads as empty until set, across chunks, and after clear', () => {
  const values = new SlotArray<string | undefined>(undefined);
  const counters = new SlotArray<number>(0);
  assert.equal(values.get(0), undefined);
  assert.equal(counters.get(123_456), 0);
  for (const slot of [0, 4095, 4096, 4097, 100_000]) {
    values.set(slot, `v${slot}`);
    counters.set(slot, slot + 1);
  }
  for (const slot of [0, 4095, 4096, 4097, 100_000]) {
    assert.equal(values.get(slot), `v${slot}`);
    assert.equal(counters.get(slot), slot + 1);
  }
  assert.equal(values.get(4098), undefined);
  assert.equal(values.get(50_000), undefined, 'a chunk added on the way to a far slot is empty');
  assert.equal(counters.get(99_999), 0);
  values.clear();
  assert.equal(values.get(4096), undefined);
});

test('an int array by slot reads as its empty value until set, across chunks, and after clear', () => {
  const ints = new SlotInts(-1);
  assert.equal(ints.get(0), -1);
  for (const slot of [0, 4095, 4096, 100_000]) ints.set(slot, slot);
  for (const slot of [0, 4095, 4096, 100_000]) assert.equal(ints.get(slot), slot);
  assert.equal(ints.get(50_000), -1, 'a chunk added on the way to a far slot is empty');
  ints.clear();
  assert.equal(ints.get(4096), -1);
});

test('the string store agrees with a Map through sets, overwrites and deletes of every size', () => {
  const rnd = seededRandom(7);
  const store = new SlotStrings();
  const model = new Map<number, string>();
  const lengths = [0, 1, 7, 8, 9, 48, 49, 255, 256, 257, 1000, 4096, 4097, 9000, INLINE_MAX, INLINE_MAX + 1, 200_000];
  let base = '';
  for (let i = 0; i < 512; i++) base += String.fromCharCode(rnd.int(256));
  const make = (length: number) => {
    const from = rnd.int(256);
    return base.repeat(Math.ceil((length + from) / base.length)).slice(from, from + length);
  };
  for (let step = 0; step < 20_000; step++) {
    const slot = rnd.int(3000);
    if (rnd.int(3) === 0) {
      store.delete(slot);
      model.delete(slot);
    } else {
      const s = make(lengths[rnd.int(lengths.length)]!);
      store.set(slot, s);
      model.set(slot, s);
    }
    if (step % 2000 === 0 || step === 19_999) {
      for (let slot = 0; slot < 3000; slot++) {
        const expected = model.get(slot);
        assert.equal(store.get(slot), expected, `slot ${slot} at step ${step}`);
        const range = { bytes: new Uint8Array(0), start: 0, end: 0 };
        const asBytes = store.bytesOf(slot, range);
        assert.equal(asBytes, expected !== undefined && expected.length <= INLINE_MAX, `bytesOf slot ${slot}`);
        if (asBytes) assert.equal(Buffer.from(range.bytes.subarray(range.start, range.end)).toString('latin1'), expected);
        if (expected === undefined) continue;
        assert.ok(store.equals(slot, expected));
        assert.ok(!store.equals(slot, `${expected}x`));
        if (expected.length !== 0) {
          const last = expected.charCodeAt(expected.length - 1);
          assert.ok(!store.equals(slot, expected.slice(0, -1) + String.fromCharCode(last ^ 1)), 'one byte differs');
        }
      }
    }
  }
  // Every block is given back, and churn of same-sized strings reuses blocks instead of pages.
  for (const slot of model.keys()) store.delete(slot);
  assert.equal(store.allocatedBytes, 0);
  const fill = (round: number) => {
    for (let slot = 0; slot < 2000; slot++) store.set(slot, `value:${round}:${slot}`.padEnd(100, '.'));
  };
  fill(0);
  const pages = store.pageCount;
  for (let round = 1; round < 50; round++) fill(round);
  assert.equal(store.pageCount, pages, 'overwrites reused the freed blocks');
  assert.equal(store.get(1999), 'value:49:1999'.padEnd(100, '.'));
});

test('size classes: every length gets the smallest class that holds it, at most an eighth over past 256 bytes', () => {
  let previous = 0;
  for (let length = 1; length <= INLINE_MAX; length++) {
    const cls = sizeClass(length);
    const bytes = classBytes(cls);
    assert.ok(bytes >= length, `class ${cls} (${bytes} bytes) holds ${length}`);
    assert.ok(cls === 1 || classBytes(cls - 1) < length, `${length} could use class ${cls - 1}`);
    assert.ok(cls === previous || cls === previous + 1, `classes are consecutive at ${length}`);
    if (length > 256) assert.ok(bytes - length <= length / 8, `${bytes} bytes for ${length}`);
    previous = cls;
  }
});
