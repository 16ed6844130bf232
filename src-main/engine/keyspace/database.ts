// One of the numbered databases (SELECT n): keys, their values and their expiry times.
//
// Every change to a key goes through the few mutating methods here (set, delete, setExpire,
// persist, lookupForWrite + changed, flush). That is what lets the rest of the server hook in
// without touching command code:
//   - snapshots (BGSAVE without fork) get `beforeChange` before the first change of a key, while
//     the old value and TTL can still be read with peek()/peekExpire(), and `beforeFlush` before
//     a database is emptied;
//   - WATCH gets `afterChange`;
//   - the master's expired keys are reported once through `onExpired` (propagated as DEL).
//
// Layout: each key lives in a numbered slot that never moves while the key exists (`slots` maps
// key -> slot and slot -> key, slot-table.ts; the values and headers are arrays by slot that grow
// in chunks, slot-array.ts; freed slots are reused). Stable slots give SCAN Redis's guarantee (a
// key present for the whole scan is returned) with a plain integer cursor, and RANDOMKEY O(1)
// sampling, neither of which a JS Map can offer.
//
// Keys and string values are kept as bytes outside the JS heap (slot-strings.ts), so what a node
// stores costs the garbage collector nothing; a read returns a new string. Aggregates stay JS
// objects in `aggregates`, whose chunks only exist where some slot holds one.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Keyspace } from './keyspace.js';
import type { AggregateValue, Value } from './value.js';
import { accessedHeader, newHeader } from './object-header.js';
import { SlotArray, SlotInts } from './slot-array.js';
import { SlotStrings, type ByteRange } from './slot-strings.js';
import { SlotTable } from './slot-table.js';

/** Below one key with a TTL in this many, eviction samples them through a cursor (sampleForEviction). */
const FEW_VOLATILE_DIVISOR = 8;

export class Database {
  private slots = new SlotTable();
  /** Per slot: the value if it is a string... */
  private strings = new SlotStrings();
  /** ...or if it is an aggregate. */
  private aggregates = new SlotArray<AggregateValue | undefined>(undefined);
  /** Per slot: Redis's object header bits (LRU/LFU clock, string encoding); see object-header.ts. */
  private headers = new SlotInts(0);
  /** Absolute expiry time in ms for keys that have one (Redis's db->expires). */
  private expires = new Map<BinaryString, number>();
  /** The active expire cycle's position in `expires`; survives across ticks like Redis's cursor. */
  private expireCursor: Iterator<[BinaryString, number]> | null = null;
  /** Where eviction's samples of `expires` carry on from (see sampleForEviction). */
  private evictionCursor: Iterator<[BinaryString, number]> | null = null;

  constructor(
    readonly id: number,
    private readonly keyspace: Keyspace,
  ) {}

  get size(): number {
    return this.slots.size;
  }

  get volatileCount(): number {
    return this.expires.size;
  }

  /** Bytes of the pages keeping keys and string values that hold them. */
  get stringBytes(): number {
    return this.slots.keyBytes + this.strings.allocatedBytes;
  }

  /** Bytes of the pages keeping keys and string values that hold none (see usedMemory). */
  get unusedStringBytes(): number {
    return this.slots.unusedKeyBytes + this.strings.unusedBytes;
  }

  // --- reads (expired keys are removed first on a master, hidden on a replica) ---------------

  /**
   * The value for reading, or undefined if missing or logically expired. `touch` false is
   * Redis's LOOKUP_NOTOUCH (TYPE, TTL, OBJECT...: the key's idle time is left alone).
   */
  lookupRead(key: BinaryString, touch = true): Value | undefined {
    const value = this.peekLive(key, touch);
    if (value === undefined) this.keyspace.misses++;
    else this.keyspace.hits++;
    return value;
  }

  /**
   * The value if the key exists and is not expired, without counting a hit or miss; `touch`
   * records an access (lookupKeyWrite does).
   */
  peekLive(key: BinaryString, touch = false): Value | undefined {
    if (this.expires.size !== 0 && this.expireIfNeeded(key)) return undefined;
    const slot = this.slots.find(key);
    if (slot === -1) return undefined;
    if (touch) this.headers.set(slot, accessedHeader(this.headers.get(slot), this.keyspace.lfu));
    return this.valueAt(slot);
  }

  /**
   * The value for a command that will modify it in place (an aggregate), or undefined. Tells the
   * observers first; after modifying, the command must call changed(key).
   */
  lookupForWrite(key: BinaryString): Value | undefined {
    if (this.expires.size !== 0 && this.expireIfNeeded(key)) return undefined;
    const slot = this.slots.find(key);
    if (slot === -1) return undefined;
    this.keyspace.beforeChange(this, key);
    this.headers.set(slot, accessedHeader(this.headers.get(slot), this.keyspace.lfu));
    return this.valueAt(slot);
  }

  exists(key: BinaryString): boolean {
    return this.peekLive(key) !== undefined;
  }

  /** Absolute expiry in ms, or undefined when the key has none. Does not check existence. */
  expireAt(key: BinaryString): number | undefined {
    return this.expires.get(key);
  }

  /** The raw stored value, even if logically expired, without side effects (snapshots, DEBUG). */
  peek(key: BinaryString): Value | undefined {
    const slot = this.slots.find(key);
    return slot === -1 ? undefined : this.valueAt(slot);
  }

  peekExpire(key: BinaryString): number | undefined {
    return this.expires.get(key);
  }

  /** The key's object header bits (object-header.ts), undefined when missing. No side effects. */
  objectHeader(key: BinaryString): number | undefined {
    const slot = this.slots.find(key);
    return slot === -1 ? undefined : this.headers.get(slot);
  }

  /** Replaces an existing key's header bits (a string's encoding; a renamed key's clock). */
  setObjectHeader(key: BinaryString, header: number): void {
    const slot = this.slots.find(key);
    if (slot !== -1) this.headers.set(slot, header);
  }

  // --- slots, for point-in-time snapshots (persistence/rdb/snapshot.ts walks them in order) -------

  /** One past the highest slot in use (free slots below it included). */
  get slotCount(): number {
    return this.slots.slotCount;
  }

  /** The key stored in `slot`, undefined for a free slot. */
  keyInSlot(slot: number): BinaryString | undefined {
    return this.slots.keyInSlot(slot);
  }

  /** The value stored in `slot` (raw, like peek), for walks over the slots: no hash lookup. */
  valueInSlot(slot: number): Value | undefined {
    return this.valueAt(slot);
  }

  /**
   * Points `range` at the stored bytes of the key in `slot` and returns true, or returns false
   * (free slot, or a key too long to be kept as bytes). For snapshots, which encode the bytes
   * without making strings of them; valid until the next change.
   */
  keyBytesInSlot(slot: number, range: ByteRange): boolean {
    return this.slots.keyBytesInSlot(slot, range);
  }

  /** The same for the value in `slot`, when it is a string kept as bytes. */
  stringBytesInSlot(slot: number, range: ByteRange): boolean {
    return this.strings.bytesOf(slot, range);
  }

  /** The object header stored in `slot` (objectHeader without the hash lookup). */
  headerInSlot(slot: number): number | undefined {
    return this.headers.get(slot);
  }

  /** The slot of `key`; it never changes while the key exists. */
  slotOf(key: BinaryString): number | undefined {
    const slot = this.slots.find(key);
    return slot === -1 ? undefined : slot;
  }

  // --- writes ----------------------------------------------------------------------------------

  /**
   * Creates or overwrites `key`. `ttl`: undefined clears any TTL (a plain SET), 'keep' keeps it
   * (SET KEEPTTL), a number sets that absolute expiry in ms — one change, as Redis counts it.
   */
  set(key: BinaryString, value: Value, ttl?: number | 'keep'): void {
    let slot = this.slots.find(key);
    // Redis looks the key up for writing before every store (lookupKeyWrite in setKey and the
    // commands): a logically expired key is deleted and reported first, and this one is new.
    if (slot !== -1 && this.expires.size !== 0 && this.expireIfNeeded(key)) slot = this.slots.find(key);
    this.keyspace.beforeChange(this, key);
    const created = slot === -1;
    if (created) {
      const at = this.slots.insert(key);
      this.store(at, value);
      this.headers.set(at, newHeader(this.keyspace.lfu));
    } else {
      this.store(slot, value);
      // A new object, except that an LFU counter survives an overwrite (db.c dbSetValue).
      this.headers.set(slot, this.keyspace.lfu === null ? newHeader(null) : accessedHeader(this.headers.get(slot), this.keyspace.lfu));
    }
    if (typeof ttl === 'number') {
      this.expires.set(key, ttl);
      if (this.keyspace.isReplica && !this.keyspace.applyingMasterStream) this.keyspace.rememberReplicaKeyWithExpire(this, key);
    } else if (ttl === undefined && this.expires.size !== 0) this.expires.delete(key);
    this.changed(key);
    if (created && this.keyspace.onKeyCreated !== null) this.keyspace.onKeyCreated(this, key);
  }

  /**
   * Stores `value` under `key` as a new object even when the key exists: db.c's dbDelete then
   * dbAdd, as RENAME, COPY REPLACE and RESTORE REPLACE do, unlike SET's dbOverwrite. The key gets
   * a fresh header (no LFU counter carried over) and a "new" keyspace event. One change.
   */
  recreate(key: BinaryString, value: Value, ttl?: number): void {
    if (this.slots.find(key) !== -1) {
      this.keyspace.beforeChange(this, key);
      this.remove(key);
    }
    this.set(key, value, ttl);
  }

  /**
   * Removes `key` (and its TTL). False if it did not exist. Expired keys count as missing.
   * `changes`: what the removal adds to the dirty counter (0 when the command counts its whole
   * effect elsewhere, as RENAME and MOVE count one change for the key they move).
   */
  delete(key: BinaryString, changes = 1): boolean {
    if (this.expires.size !== 0 && this.expireIfNeeded(key)) return false;
    if (this.slots.find(key) === -1) return false;
    this.keyspace.beforeChange(this, key);
    this.remove(key);
    this.changed(key, changes);
    return true;
  }

  /**
   * Removes `key` because maxmemory chose it (evict.c: dbSyncDelete / dbAsyncDelete). The key is
   * taken as stored, even if logically expired; observers see the change (snapshots, WATCH) but
   * it adds nothing to the dirty counter, as in Redis. The caller reports it ("evicted", DEL).
   */
  evict(key: BinaryString): boolean {
    if (this.slots.find(key) === -1) return false;
    this.keyspace.beforeChange(this, key);
    this.remove(key);
    this.keyspace.afterChange(this, key, 0);
    return true;
  }

  /** Sets an absolute expiry (ms). The key must exist. */
  setExpire(key: BinaryString, atMs: number): void {
    this.keyspace.beforeChange(this, key);
    this.expires.set(key, atMs);
    if (this.keyspace.isReplica && !this.keyspace.applyingMasterStream) this.keyspace.rememberReplicaKeyWithExpire(this, key);
    this.changed(key);
  }

  /** Deletes `key` as expired if its TTL has passed, on a master or a replica alike; true if it did. */
  expireNow(key: BinaryString): boolean {
    if (!this.isExpired(key)) return false;
    this.deleteExpired(key);
    return true;
  }

  /** Removes the TTL; false if the key had none. */
  persist(key: BinaryString): boolean {
    if (!this.expires.has(key)) return false;
    this.keyspace.beforeChange(this, key);
    this.expires.delete(key);
    this.changed(key);
    return true;
  }

  /** Records an in-place modification (after lookupForWrite): counts it as `changes` dirty writes. */
  changed(key: BinaryString, changes = 1): void {
    this.keyspace.afterChange(this, key, changes);
  }

  /**
   * Empties the database; returns how many keys it held. `signal` false when the caller reports
   * the flush itself (FLUSHALL empties every database, and reports once).
   */
  flush(signal = true): number {
    const removed = this.slots.size;
    this.keyspace.beforeFlush(this, null);
    // Not cleared: a snapshot in progress may still read the old stores (see beforeFlush).
    this.slots.release();
    this.slots = new SlotTable();
    this.strings.release();
    this.strings = new SlotStrings();
    this.aggregates = new SlotArray<AggregateValue | undefined>(undefined);
    this.headers = new SlotInts(0);
    this.expires = new Map();
    this.expireCursor = this.evictionCursor = null;
    if (signal) this.keyspace.onFlushed();
    return removed;
  }

  /**
   * SWAPDB: exchanges contents with another database. Observers see both replaced first, each
   * with the database taking its place (dbSwapDatabases' two touchAllWatchedKeysInDb calls).
   */
  swapWith(other: Database): void {
    this.keyspace.beforeFlush(this, other);
    this.keyspace.beforeFlush(other, this);
    [this.slots, other.slots] = [other.slots, this.slots];
    [this.strings, other.strings] = [other.strings, this.strings];
    [this.aggregates, other.aggregates] = [other.aggregates, this.aggregates];
    [this.headers, other.headers] = [other.headers, this.headers];
    [this.expires, other.expires] = [other.expires, this.expires];
    this.expireCursor = other.expireCursor = null;
    this.evictionCursor = other.evictionCursor = null;
  }

  // --- iteration ---------------------------------------------------------------------------------

  /**
   * SCAN step: visits up to `count` slots from `cursor`, calling `visit` for each live key, and
   * returns the next cursor (0 when done). Expired keys are skipped (and removed on a master).
   */
  scan(cursor: number, count: number, visit: (key: BinaryString) => void): number {
    const end = this.slots.slotCount;
    let slot = cursor;
    for (let seen = 0; slot < end && seen < count; slot++) {
      const key = this.slots.keyInSlot(slot);
      if (key === undefined) continue;
      seen++;
      if (this.expires.size !== 0 && this.expireIfNeeded(key)) continue;
      visit(key);
    }
    return slot >= end ? 0 : slot;
  }

  /** Every live key (KEYS). */
  *allKeys(): IterableIterator<BinaryString> {
    for (const key of this.liveSlotKeys()) {
      if (this.expires.size !== 0 && this.expireIfNeeded(key)) continue;
      yield key;
    }
  }

  /** Every stored entry including logically expired ones, with no side effects (persistence). */
  *entries(): IterableIterator<[BinaryString, Value, number | undefined]> {
    const slots = this.slots;
    for (let slot = 0; slot < slots.slotCount; slot++) {
      const key = slots.keyInSlot(slot);
      if (key !== undefined) yield [key, this.valueAt(slot)!, this.expires.get(key)];
    }
  }

  /** The keys in slot order, copied first: a caller may delete keys while it iterates. */
  private liveSlotKeys(): BinaryString[] {
    const keys: BinaryString[] = [];
    const slots = this.slots;
    for (let slot = 0; slot < slots.slotCount; slot++) {
      const key = slots.keyInSlot(slot);
      if (key !== undefined) keys.push(key);
    }
    return keys;
  }

  /** RANDOMKEY: a random live key, or undefined when empty. */
  randomKey(): BinaryString | undefined {
    for (let tries = 1; ; tries++) {
      const key = this.randomSlotKey();
      if (key === undefined) return undefined;
      if (this.expires.size === 0 || !this.expireIfNeeded(key)) return key;
      // A master deleted that key, so the loop ends. A replica only hides expired keys; when it
      // keeps drawing them, Redis returns one anyway rather than loop forever.
      if (this.keyspace.isReplica && tries >= 100) return key;
    }
  }

  /**
   * dictGetSomeKeys for eviction: up to `count` keys, each with its object header and expiry;
   * `volatileOnly`: keys with a TTL only (db->expires). Like dictGetSomeKeys, consecutive slots
   * from a random one. When few keys have a TTL, walking slots would mostly find keys without
   * one, so those are taken from a cursor over the expiry table instead, which carries on where
   * the previous sample stopped (a Map offers no random access).
   */
  sampleForEviction(
    count: number,
    volatileOnly: boolean,
    visit: (key: BinaryString, header: number, expireAt: number | undefined) => void,
  ): void {
    const keys = volatileOnly ? this.expires.size : this.slots.size;
    if (keys === 0) return;
    const wanted = Math.min(count, keys);
    if (volatileOnly && keys * FEW_VOLATILE_DIVISOR < this.slots.size) {
      this.sampleExpiresCursor(wanted, visit);
      return;
    }
    const slotCount = this.slots.slotCount;
    const start = Math.floor(Math.random() * slotCount);
    let taken = 0;
    for (let step = 0; step < slotCount && taken < wanted; step++) {
      const slot = (start + step) % slotCount;
      const key = this.slots.keyInSlot(slot);
      if (key === undefined) continue;
      const at = this.expires.size === 0 ? undefined : this.expires.get(key);
      if (volatileOnly && at === undefined) continue;
      visit(key, this.headers.get(slot), at);
      taken++;
    }
  }

  private sampleExpiresCursor(wanted: number, visit: (key: BinaryString, header: number, expireAt: number | undefined) => void): void {
    this.evictionCursor ??= this.expires.entries();
    for (let taken = 0, wrapped = false; taken < wanted;) {
      const next = this.evictionCursor.next();
      if (next.done) {
        this.evictionCursor = this.expires.entries();
        if (wrapped) return;
        wrapped = true;
        continue;
      }
      const [key, at] = next.value;
      const slot = this.slots.find(key);
      if (slot === -1) continue;
      visit(key, this.headers.get(slot), at);
      taken++;
    }
  }

  /**
   * A random key for allkeys-random / volatile-random (dictGetRandomKey of db->dict or
   * db->expires), taken as stored, expired or not; undefined when there is none. For a key with
   * a TTL, random slots are probed first; when few keys have one, the expires cursor gives one.
   */
  randomKeyForEviction(volatileOnly: boolean): BinaryString | undefined {
    if (!volatileOnly) return this.randomSlotKey();
    if (this.expires.size === 0) return undefined;
    for (let i = 0; i < 16; i++) {
      const key = this.slots.keyInSlot(Math.floor(Math.random() * this.slots.slotCount));
      if (key !== undefined && this.expires.has(key)) return key;
    }
    let found: BinaryString | undefined;
    this.sampleExpiresCursor(1, (key) => (found = key));
    return found;
  }

  // --- expiry ------------------------------------------------------------------------------------

  isExpired(key: BinaryString): boolean {
    const at = this.expires.get(key);
    return at !== undefined && at <= Date.now();
  }

  /**
   * Redis's expireIfNeeded: true if the key is logically expired. A master deletes it and reports
   * it (so a DEL is propagated); a replica leaves it for its master's DEL and only hides it.
   */
  expireIfNeeded(key: BinaryString): boolean {
    if (!this.isExpired(key)) return false;
    // The master's stream sees keys as the master did: alive until its DEL arrives.
    if (this.keyspace.isReplica) return !this.keyspace.applyingMasterStream;
    this.deleteExpired(key);
    return true;
  }

  /**
   * One slice of the active expire cycle: examines up to `budget` keys with a TTL, continuing
   * where the previous slice stopped, and deletes the expired ones. Returns how many it examined
   * and how many it deleted, so the cycle can decide whether this database needs more time.
   */
  activeExpireSlice(budget: number, now: number): { examined: number; expired: number } {
    let examined = 0;
    let expired = 0;
    if (this.expires.size === 0) return { examined, expired };
    this.expireCursor ??= this.expires.entries();
    while (examined < budget) {
      const next = this.expireCursor.next();
      if (next.done) {
        this.expireCursor = this.expires.entries();
        break;
      }
      examined++;
      const [key, at] = next.value;
      if (at <= now) {
        this.deleteExpired(key);
        expired++;
      }
    }
    return { examined, expired };
  }

  private deleteExpired(key: BinaryString): void {
    this.keyspace.beforeChange(this, key);
    this.remove(key);
    this.keyspace.afterChange(this, key, 0);
    this.keyspace.expired(this, key);
  }

  private remove(key: BinaryString): void {
    const slot = this.slots.remove(key);
    if (this.expires.size !== 0) this.expires.delete(key);
    if (this.slots.size === 0) {
      // The slot table gave its slots back (see SlotTable.remove); so do the arrays by slot.
      this.strings.release();
      this.strings = new SlotStrings();
      this.aggregates.clear();
      this.headers.clear();
    } else {
      this.store(slot, undefined);
    }
  }

  private valueAt(slot: number): Value | undefined {
    return this.strings.get(slot) ?? this.aggregates.get(slot);
  }

  /** Puts `value` in `slot` (undefined empties it), in the store for its kind. */
  private store(slot: number, value: Value | undefined): void {
    if (typeof value === 'string') this.strings.set(slot, value);
    else this.strings.delete(slot);
    // The aggregates' chunks are only made for slots that hold one.
    if (typeof value === 'object') this.aggregates.set(slot, value);
    else if (this.aggregates.get(slot) !== undefined) this.aggregates.set(slot, undefined);
  }

  private randomSlotKey(): BinaryString | undefined {
    const n = this.slots.slotCount;
    // Sample slots; when the table is sparse, fall back to walking from a random point.
    for (let i = 0; i < 16; i++) {
      const key = this.slots.keyInSlot(Math.floor(Math.random() * n));
      if (key !== undefined) return key;
    }
    const start = Math.floor(Math.random() * n);
    for (let i = 0; i < n; i++) {
      const key = this.slots.keyInSlot((start + i) % n);
      if (key !== undefined) return key;
    }
    return undefined;
  }
}
