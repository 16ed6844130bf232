// The key -> slot index of a database: which numbered slot holds each key (see database.ts for
// why keys live in stable slots).
//
// Why not a JS Map: V8's Map is slow for what a keyspace does all day, looking up and inserting
// strings it has never seen before (every key arrives as a fresh string from the request parser
// or the RDB reader). Measured here on 1M such keys, Map.set costs about 600 ns per new key and
// Map.get about 650 ns per lookup; this table costs about 250 ns for either, which is most of
// the time it takes to load a large RDB. The table is open addressing with linear probing over
// two typed arrays (bucket -> slot, bucket -> hash), so its memory is outside the JS heap and
// the garbage collector never scans it, and it grows and shrinks by rehashing the stored hashes
// without hashing a key again.
//
// The hash is seeded per process, as Redis seeds siphash and V8 seeds its own string hash, so a
// client cannot prepare keys that collide on every node.
import type { BinaryString } from '../protocol/request-parser.js';

const MIN_BUCKETS = 16;
/** Grow when more than 3/4 of the buckets are used: linear probing degrades quickly past that. */
const MAX_LOAD_NUMERATOR = 3;
const MAX_LOAD_DENOMINATOR = 4;
/** Shrink to half when under 1/8 used (then 1/4): Redis resizes a dict under 10% fill. */
const MIN_LOAD_DIVISOR = 8;

const SEED = (Math.random() * 0x1_0000_0000) >>> 0;

/** The last key hashed and its hash (see hashKey). */
let lastHashedKey: BinaryString | undefined;
let lastHash = 0;

/**
 * A 32-bit hash of a binary string (one char per byte): per char an xor, a multiply by an odd
 * constant and a shift-xor (each step a bijection of the state, so no two chars cancel out),
 * then murmur3's finaliser so that the low bits, which pick the bucket, depend on every char.
 */
function hashKey(key: BinaryString): number {
  // A command usually looks its key up and then inserts or removes it (Database.set, delete):
  // the second call finds the hash here instead of hashing the key again.
  if (key === lastHashedKey) return lastHash;
  let h = SEED ^ key.length;
  for (let i = 0; i < key.length; i++) {
    h = Math.imul(h ^ key.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  lastHashedKey = key;
  lastHash = (h ^ (h >>> 16)) | 0;
  return lastHash;
}

export class SlotTable {
  /** slot -> key; undefined marks a free slot. Slots never move while their key exists. */
  private keysBySlot: (BinaryString | undefined)[] = [];
  /** Free slots below keysBySlot.length, reused before the array grows. */
  private freeSlots: number[] = [];
  /** bucket -> slot + 1 (0: empty bucket, so a fresh array is an empty table). */
  private buckets = new Int32Array(MIN_BUCKETS);
  /** bucket -> the hash of its key: compared before the key, and reused when rehashing. */
  private hashes = new Int32Array(MIN_BUCKETS);
  private mask = MIN_BUCKETS - 1;
  private count = 0;

  /** The number of keys. */
  get size(): number {
    return this.count;
  }

  /** One past the highest slot ever used since the table was last empty. */
  get slotCount(): number {
    return this.keysBySlot.length;
  }

  keyInSlot(slot: number): BinaryString | undefined {
    return this.keysBySlot[slot];
  }

  /** The slot holding `key`, or -1. */
  find(key: BinaryString): number {
    const h = hashKey(key);
    const buckets = this.buckets;
    const hashes = this.hashes;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const entry = buckets[i]!;
      if (entry === 0) return -1;
      if (hashes[i] === h && this.keysBySlot[entry - 1] === key) return entry - 1;
    }
  }

  /** Adds `key`, which must not be present, and returns the slot it was given. */
  insert(key: BinaryString): number {
    if ((this.count + 1) * MAX_LOAD_DENOMINATOR > this.buckets.length * MAX_LOAD_NUMERATOR) this.rehash(this.buckets.length * 2);
    const slot = this.freeSlots.length !== 0 ? this.freeSlots.pop()! : this.keysBySlot.length;
    this.keysBySlot[slot] = key;
    const h = hashKey(key);
    const mask = this.mask;
    let i = h & mask;
    while (this.buckets[i] !== 0) i = (i + 1) & mask;
    this.buckets[i] = slot + 1;
    this.hashes[i] = h;
    this.count++;
    return slot;
  }

  /** Removes `key` and returns the slot it had, or -1 if it was not present. */
  remove(key: BinaryString): number {
    const h = hashKey(key);
    const buckets = this.buckets;
    const hashes = this.hashes;
    const mask = this.mask;
    let i = h & mask;
    for (; ; i = (i + 1) & mask) {
      const entry = buckets[i]!;
      if (entry === 0) return -1;
      if (hashes[i] === h && this.keysBySlot[entry - 1] === key) break;
    }
    const slot = buckets[i]! - 1;
    // Backward-shift deletion instead of tombstones: every later entry of the probe run that
    // would no longer be reachable across the hole moves into it, so lookups stay as short as
    // if the key had never been inserted.
    for (let j = (i + 1) & mask; buckets[j] !== 0; j = (j + 1) & mask) {
      const home = hashes[j]! & mask;
      // The entry at j may move to i unless its home bucket lies cyclically in (i, j].
      const staysPut = i <= j ? i < home && home <= j : i < home || home <= j;
      if (staysPut) continue;
      buckets[i] = buckets[j]!;
      hashes[i] = hashes[j]!;
      i = j;
    }
    buckets[i] = 0;
    this.count--;
    if (this.count === 0) {
      // Slots are never compacted (that would move live keys under a running SCAN); an empty
      // table is the moment to give their memory back.
      this.clear();
      return slot;
    }
    this.keysBySlot[slot] = undefined;
    this.freeSlots.push(slot);
    if (this.buckets.length > MIN_BUCKETS && this.count * MIN_LOAD_DIVISOR < this.buckets.length) {
      this.rehash(this.buckets.length / 2);
    }
    return slot;
  }

  clear(): void {
    this.keysBySlot = [];
    this.freeSlots = [];
    this.buckets = new Int32Array(MIN_BUCKETS);
    this.hashes = new Int32Array(MIN_BUCKETS);
    this.mask = MIN_BUCKETS - 1;
    this.count = 0;
  }

  private rehash(bucketCount: number): void {
    const oldBuckets = this.buckets;
    const oldHashes = this.hashes;
    const buckets = new Int32Array(bucketCount);
    const hashes = new Int32Array(bucketCount);
    const mask = bucketCount - 1;
    for (let j = 0; j < oldBuckets.length; j++) {
      const entry = oldBuckets[j]!;
      if (entry === 0) continue;
      const h = oldHashes[j]!;
      let i = h & mask;
      while (buckets[i] !== 0) i = (i + 1) & mask;
      buckets[i] = entry;
      hashes[i] = h;
    }
    this.buckets = buckets;
    this.hashes = hashes;
    this.mask = mask;
  }
}
