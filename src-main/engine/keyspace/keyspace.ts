// All databases of a node, the `dirty` counter (Redis's server.dirty: changes since the last save,
// and how the executor knows a command wrote something), and the hooks other subsystems attach to.
import type { BinaryString } from '../protocol/request-parser.js';
import { Database } from './database.js';
import type { LfuSettings } from './object-header.js';

/**
 * Subsystems that must see every change: snapshots (copy-on-write for BGSAVE), WATCH, keyspace
 * notifications. All callbacks run synchronously inside the change.
 */
export interface KeyspaceObserver {
  /** Before `key` in `db` is created, overwritten, modified in place, re-TTL'd or deleted. */
  beforeChange?(db: Database, key: BinaryString): void;
  /** After such a change. */
  afterChange?(db: Database, key: BinaryString): void;
  /**
   * Before `db` is emptied or swapped as a whole (FLUSHDB, FLUSHALL, SWAPDB). `replacedWith` is
   * the database whose contents take its place in a SWAPDB (null for a flush).
   */
  beforeFlush?(db: Database, replacedWith: Database | null): void;
}

export class Keyspace {
  readonly dbs: Database[];
  /** Changes since the last successful save; also incremented per command write (see executor). */
  dirty = 0;
  /** Keys removed because their TTL passed (INFO stats expired_keys). */
  expiredKeys = 0;
  /** Reads that found / did not find their key (INFO stats keyspace_hits / keyspace_misses). */
  hits = 0;
  misses = 0;
  /**
   * A replica never expires keys itself: its master sends DEL. Until then reads treat them as
   * missing (Redis's expireIfNeeded on a replica).
   */
  isReplica = false;
  /**
   * True while a replica executes its master's stream: keys are never expired for it (Redis's
   * expireIfNeeded when current_client is the master), so the master's DEL finds them.
   */
  applyingMasterStream = false;
  /**
   * Set while an LFU maxmemory-policy is selected (from lfu-log-factor / lfu-decay-time): key
   * accesses then count frequencies instead of recording an LRU clock (evict.c).
   */
  lfu: LfuSettings | null = null;
  /**
   * db.c dbAdd's "new" keyspace event, set by the server only while the 'n' class is enabled, so
   * creating a key costs one null check otherwise.
   */
  onKeyCreated: ((db: Database, key: BinaryString) => void) | null = null;
  /**
   * expire.c's slaveKeysWithExpire: keys a writable replica (replica-read-only no) gave a TTL by
   * its own writes, not its master's. Its master never sends a DEL for them, so the replica
   * expires them itself (expireReplicaOwnKeys); every other key waits for the master's DEL.
   */
  private readonly replicaOwnExpires = new Map<Database, Set<BinaryString>>();
  private replicaOwnCursor: { db: Database; keys: Iterator<BinaryString> } | null = null;

  /**
   * After databases were emptied as a whole (FLUSHALL, FLUSHDB, a loaded RDB replacing them):
   * Redis's signalFlushedDb, once per flush whatever the number of databases (client-side
   * caching tells its clients that every key changed).
   */
  onFlushed: () => void = () => {};

  /** Called when a master removes an expired key; the server propagates it as DEL and notifies. */
  onExpired: (db: Database, key: BinaryString) => void = () => {};

  private observers: KeyspaceObserver[] = [];

  constructor(databases: number) {
    this.dbs = Array.from({ length: databases }, (_, i) => new Database(i, this));
  }

  addObserver(observer: KeyspaceObserver): () => void {
    this.observers.push(observer);
    return () => {
      this.observers = this.observers.filter((o) => o !== observer);
    };
  }

  get totalKeys(): number {
    let n = 0;
    for (const db of this.dbs) n += db.size;
    return n;
  }

  /** Bytes of the databases' string pages that hold no key or value (see keyspace/used-memory.ts). */
  get unusedStringBytes(): number {
    let n = 0;
    for (const db of this.dbs) n += db.unusedStringBytes;
    return n;
  }

  /** FLUSHALL: returns how many keys were removed. */
  flushAll(): number {
    let removed = 0;
    for (const db of this.dbs) removed += db.flush(false);
    this.onFlushed();
    return removed;
  }

  // Called by Database only.

  beforeChange(db: Database, key: BinaryString): void {
    for (const o of this.observers) o.beforeChange?.(db, key);
  }

  afterChange(db: Database, key: BinaryString, changes: number): void {
    this.dirty += changes;
    for (const o of this.observers) o.afterChange?.(db, key);
  }

  beforeFlush(db: Database, replacedWith: Database | null): void {
    for (const o of this.observers) o.beforeFlush?.(db, replacedWith);
  }

  /**
   * getSlaveKeyWithExpireCount (INFO slave_expires_tracked_keys): Redis keeps one entry per key
   * name, whatever the databases, so a name in several databases counts once.
   */
  get replicaKeysWithExpireCount(): number {
    if (this.replicaOwnExpires.size <= 1) return this.replicaOwnExpires.values().next().value?.size ?? 0;
    const names = new Set<BinaryString>();
    for (const keys of this.replicaOwnExpires.values()) for (const key of keys) names.add(key);
    return names.size;
  }

  /** rememberSlaveKeyWithExpire: a replica's own write set a TTL on `key` (see Database.setExpire). */
  rememberReplicaKeyWithExpire(db: Database, key: BinaryString): void {
    let keys = this.replicaOwnExpires.get(db);
    if (!keys) this.replicaOwnExpires.set(db, (keys = new Set()));
    keys.add(key);
  }

  /**
   * expireSlaveKeys: on a replica, removes the keys of its own writes whose TTL passed, examining
   * at most `budget` of them per call (the cron calls it each tick); keys that lost their TTL or
   * are gone are forgotten. A node that stops being a replica forgets them all (it then expires
   * every key itself).
   */
  expireReplicaOwnKeys(budget: number): void {
    if (!this.isReplica) {
      this.replicaOwnExpires.clear();
      this.replicaOwnCursor = null;
      return;
    }
    for (let examined = 0; examined < budget; examined++) {
      if (!this.replicaOwnCursor) {
        const next = [...this.replicaOwnExpires.entries()].find(([, keys]) => keys.size > 0);
        if (!next) return;
        this.replicaOwnCursor = { db: next[0], keys: next[1].values() };
      }
      const { db, keys } = this.replicaOwnCursor;
      const step = keys.next();
      if (step.done) {
        this.replicaOwnCursor = null;
        // One pass over this database's keys per turn, then the next database gets its turn.
        const set = this.replicaOwnExpires.get(db)!;
        this.replicaOwnExpires.delete(db);
        if (set.size > 0) this.replicaOwnExpires.set(db, set);
        continue;
      }
      const key = step.value;
      if (db.peekExpire(key) === undefined || db.expireNow(key)) this.replicaOwnExpires.get(db)!.delete(key);
    }
  }

  expired(db: Database, key: BinaryString): void {
    this.expiredKeys++;
    this.onExpired(db, key);
  }
}
