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
// Resizing is incremental, as in Redis's dict (dictRehash): a resize allocates the new buckets
// and then each lookup, insert or removal moves a few dozen entries from the old buckets, while
// lookups try both. Rehashing a large table at once stops the node: 1-3 ms at 100k keys (most of
// it page faults in the new arrays), tens of ms at a million, which a replica applying its
// master's stream shows as replication lag. Entries move a whole probe run at a time (see
// migrateStep), so the old buckets stay a valid table until they are empty.
//
// The hash is seeded per process, as Redis seeds siphash and V8 seeds its own string hash, so a
// client cannot prepare keys that collide on every node.
import type { BinaryString } from '../protocol/request-parser.js';
import { SlotStrings, type ByteRange } from './slot-strings.js';

const MIN_BUCKETS = 16;
/** Grow when more than 3/4 of the buckets are used: linear probing degrades quickly past that. */
const MAX_LOAD_NUMERATOR = 3;
const MAX_LOAD_DENOMINATOR = 4;
/** Shrink to half when under 1/8 used (then 1/4): Redis resizes a dict under 10% fill. */
const MIN_LOAD_DIVISOR = 8;
/** A resize of at most this many old buckets is done at once: it takes microseconds. */
const RESIZE_AT_ONCE = 1024;
/**
 * Old buckets each operation moves while resizing (at least: it finishes the probe run it is
 * in). Enough for a resize to end long before the new buckets need one: a growth from n to 2n
 * buckets starts with 3n/4 keys and leaves room for 3n/4 more inserts, and moving the n old
 * buckets takes at most n/32 operations. (If one ever is needed first, it finishes the move.)
 */
const RESIZE_STEP = 32;

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
  /**
   * slot -> key, as bytes outside the JS heap (slot-strings.ts); a free slot holds none. Slots
   * never move while their key exists.
   */
  private keysBySlot = new SlotStrings();
  /** One past the highest slot used since the table was last empty. */
  private slotEnd = 0;
  /** Free slots below slotEnd, reused before new ones. */
  private freeSlots: number[] = [];
  /** bucket -> slot + 1 (0: empty bucket, so a fresh array is an empty table). */
  private buckets = new Int32Array(MIN_BUCKETS);
  /** bucket -> the hash of its key: compared before the key, and reused when rehashing. */
  private hashes = new Int32Array(MIN_BUCKETS);
  private mask = MIN_BUCKETS - 1;
  private count = 0;
  /** While resizing: the buckets being emptied into `buckets` (null otherwise), and their hashes. */
  private oldBuckets: Int32Array | null = null;
  private oldHashes = new Int32Array(0);
  /** While resizing: the next old bucket to move (always the start of a probe run)... */
  private moveAt = 0;
  /** ...and how many old buckets are still to visit. */
  private moveLeft = 0;

  /** The number of keys. */
  get size(): number {
    return this.count;
  }

  /** One past the highest slot ever used since the table was last empty. */
  get slotCount(): number {
    return this.slotEnd;
  }

  /** Bytes of the key store's pages that hold keys. */
  get keyBytes(): number {
    return this.keysBySlot.allocatedBytes;
  }

  /** Bytes of the key store's pages that hold no key (see SlotStrings.unusedBytes). */
  get unusedKeyBytes(): number {
    return this.keysBySlot.unusedBytes;
  }

  /** True while a resize is moving entries to the new buckets (for tests). */
  get resizing(): boolean {
    return this.oldBuckets !== null;
  }

  /** The key in `slot` (a new string each call), undefined for a free slot. */
  keyInSlot(slot: number): BinaryString | undefined {
    return this.keysBySlot.get(slot);
  }

  /** Points `range` at the bytes of the key in `slot` (see SlotStrings.bytesOf); false if none. */
  keyBytesInSlot(slot: number, range: ByteRange): boolean {
    return this.keysBySlot.bytesOf(slot, range);
  }

  /** The slot holding `key`, or -1. */
  find(key: BinaryString): number {
    const h = hashKey(key);
    if (this.oldBuckets === null) return this.probe(this.buckets, this.hashes, this.mask, h, key);
    this.migrateStep();
    const slot = this.probe(this.buckets, this.hashes, this.mask, h, key);
    if (slot !== -1 || this.oldBuckets === null) return slot;
    return this.probe(this.oldBuckets, this.oldHashes, this.oldBuckets.length - 1, h, key);
  }

  /** Adds `key`, which must not be present, and returns the slot it was given. */
  insert(key: BinaryString): number {
    if (this.oldBuckets !== null) this.migrateStep();
    if ((this.count + 1) * MAX_LOAD_DENOMINATOR > this.buckets.length * MAX_LOAD_NUMERATOR) this.resize(this.buckets.length * 2);
    const slot = this.freeSlots.length !== 0 ? this.freeSlots.pop()! : this.slotEnd++;
    this.keysBySlot.set(slot, key);
    this.place(slot + 1, hashKey(key));
    this.count++;
    return slot;
  }

  /** Removes `key` and returns the slot it had, or -1 if it was not present. */
  remove(key: BinaryString): number {
    const h = hashKey(key);
    if (this.oldBuckets !== null) this.migrateStep();
    let slot = this.removeFrom(this.buckets, this.hashes, this.mask, h, key);
    if (slot === -1 && this.oldBuckets !== null)
      slot = this.removeFrom(this.oldBuckets, this.oldHashes, this.oldBuckets.length - 1, h, key);
    if (slot === -1) return -1;
    this.count--;
    if (this.count === 0) {
      // Slots are never compacted (that would move live keys under a running SCAN); an empty
      // table is the moment to give their memory back.
      this.clear();
      return slot;
    }
    this.keysBySlot.delete(slot);
    this.freeSlots.push(slot);
    if (this.oldBuckets === null && this.buckets.length > MIN_BUCKETS && this.count * MIN_LOAD_DIVISOR < this.buckets.length) {
      this.resize(this.buckets.length / 2);
    }
    return slot;
  }

  /** The owner drops this table: its key pages are no longer in use (SlotStrings.release). */
  release(): void {
    this.keysBySlot.release();
  }

  clear(): void {
    this.keysBySlot.release();
    this.keysBySlot = new SlotStrings();
    this.slotEnd = 0;
    this.freeSlots = [];
    this.buckets = new Int32Array(MIN_BUCKETS);
    this.hashes = new Int32Array(MIN_BUCKETS);
    this.mask = MIN_BUCKETS - 1;
    this.count = 0;
    this.oldBuckets = null;
    this.oldHashes = new Int32Array(0);
  }

  private probe(buckets: Int32Array, hashes: Int32Array, mask: number, h: number, key: BinaryString): number {
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const entry = buckets[i]!;
      if (entry === 0) return -1;
      if (hashes[i] === h && this.keysBySlot.equals(entry - 1, key)) return entry - 1;
    }
  }

  /** Puts slot + 1 (`entry`) with hash `h` into the first free bucket of its probe run. */
  private place(entry: number, h: number): void {
    const buckets = this.buckets;
    const mask = this.mask;
    let i = h & mask;
    while (buckets[i] !== 0) i = (i + 1) & mask;
    buckets[i] = entry;
    this.hashes[i] = h;
  }

  /** Removes `key` from one set of buckets; returns its slot, or -1 if it is not there. */
  private removeFrom(buckets: Int32Array, hashes: Int32Array, mask: number, h: number, key: BinaryString): number {
    let i = h & mask;
    for (; ; i = (i + 1) & mask) {
      const entry = buckets[i]!;
      if (entry === 0) return -1;
      if (hashes[i] === h && this.keysBySlot.equals(entry - 1, key)) break;
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
    return slot;
  }

  /** Starts moving every entry into `bucketCount` new buckets (a small table moves at once). */
  private resize(bucketCount: number): void {
    if (this.oldBuckets !== null) this.migrateAll();
    const old = this.buckets;
    // Moving starts after an empty bucket, where a probe run begins; one exists, as the table
    // is never full.
    let empty = 0;
    while (old[empty] !== 0) empty++;
    this.oldBuckets = old;
    this.oldHashes = this.hashes;
    this.moveAt = (empty + 1) & (old.length - 1);
    this.moveLeft = old.length - 1;
    this.buckets = new Int32Array(bucketCount);
    this.hashes = new Int32Array(bucketCount);
    this.mask = bucketCount - 1;
    if (old.length <= RESIZE_AT_ONCE) this.migrateAll();
  }

  private migrateAll(): void {
    while (this.oldBuckets !== null) this.migrateStep();
  }

  /**
   * Moves at least RESIZE_STEP old buckets' entries, and always whole probe runs: it stops only
   * just after an empty old bucket. Why: a lookup in the old buckets starts at the key's home
   * bucket and stops at the first empty one, so emptying part of a run would hide the rest of
   * it. A run's keys all have their home bucket inside the run, so once whole runs are gone the
   * old buckets still answer correctly for every key left in them.
   */
  private migrateStep(): void {
    const old = this.oldBuckets!;
    const oldHashes = this.oldHashes;
    const oldMask = old.length - 1;
    let at = this.moveAt;
    let left = this.moveLeft;
    let visited = 0;
    let atRunStart = true;
    while (left > 0 && (visited < RESIZE_STEP || !atRunStart)) {
      const entry = old[at]!;
      if (entry !== 0) {
        this.place(entry, oldHashes[at]!);
        old[at] = 0;
        atRunStart = false;
      } else {
        atRunStart = true;
      }
      at = (at + 1) & oldMask;
      left--;
      visited++;
    }
    if (left === 0) {
      this.oldBuckets = null;
      this.oldHashes = new Int32Array(0);
    } else {
      this.moveAt = at;
      this.moveLeft = left;
    }
  }
}
