// Which key maxmemory evicts next (evict.c): the candidates of each maxmemory-policy.
//
// The LRU, LFU and volatile-ttl policies approximate their ideal as Redis does: each round samples
// `maxmemory-samples` keys of every database (all keys, or only those with a TTL for volatile-*)
// into a pool of the 16 best candidates seen so far, kept in ascending order of a score (idle
// seconds; 255 minus the decayed LFU counter; the sooner the expiry the higher), then takes the
// best one that still exists. The pool survives between evictions, so good candidates found
// earlier are still there. The random policies take a random key, one database after another.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Keyspace } from './keyspace.js';
import type { Database } from './database.js';
import { idleSeconds, lfuCounter } from './object-header.js';

export type MaxmemoryPolicy =
  'volatile-lru' | 'volatile-lfu' | 'volatile-random' | 'volatile-ttl' | 'allkeys-lru' | 'allkeys-lfu' | 'allkeys-random' | 'noeviction';

/** evict.c EVPOOL_SIZE. */
const POOL_SIZE = 16;

interface PoolEntry {
  key: BinaryString;
  db: Database;
  score: number;
}

export interface EvictionCandidate {
  db: Database;
  key: BinaryString;
}

export class EvictionPool {
  /** Ascending by score: the best candidate is last (evictionPoolPopulate's order). */
  private entries: PoolEntry[] = [];
  /** The random policies' next database (performEvictions' static next_db). */
  private nextDb = 0;

  /** The key to evict under `policy`, or null when no key qualifies. */
  next(keyspace: Keyspace, policy: MaxmemoryPolicy, samples: number): EvictionCandidate | null {
    if (policy === 'noeviction') return null;
    const volatileOnly = policy.startsWith('volatile-');
    if (policy.endsWith('-random')) return this.randomCandidate(keyspace, volatileOnly);
    for (;;) {
      let total = 0;
      for (const db of keyspace.dbs) {
        const keys = volatileOnly ? db.volatileCount : db.size;
        if (keys === 0) continue;
        total += keys;
        this.populate(db, policy, samples, volatileOnly, keyspace);
      }
      if (total === 0) return null;
      // From the best down: an entry whose key is gone since it was pooled is a ghost, skipped.
      while (this.entries.length !== 0) {
        const { db, key } = this.entries.pop()!;
        const present = volatileOnly ? db.peekExpire(key) !== undefined : db.peek(key) !== undefined;
        if (present) return { db, key };
      }
    }
  }

  /** Forgets every candidate (the databases were flushed or swapped). */
  clear(): void {
    this.entries = [];
  }

  private populate(db: Database, policy: MaxmemoryPolicy, samples: number, volatileOnly: boolean, keyspace: Keyspace): void {
    const lfu = keyspace.lfu;
    db.sampleForEviction(samples, volatileOnly, (key, header, expireAt) => {
      let score: number;
      if (policy.endsWith('-lru')) score = idleSeconds(header);
      else if (policy.endsWith('-lfu')) score = 255 - (lfu === null ? 0 : lfuCounter(header, lfu));
      else score = -(expireAt ?? Infinity);
      this.insert({ key, db, score });
    });
  }

  /**
   * evictionPoolPopulate's insertion: a candidate worse than every pooled one is dropped when the
   * pool is full; otherwise it goes in its place, pushing out the worst one when full. A key
   * already pooled is scored afresh (Redis may hold it twice; once is enough here).
   */
  private insert(entry: PoolEntry): void {
    const entries = this.entries;
    const existing = entries.findIndex((e) => e.key === entry.key && e.db === entry.db);
    if (existing !== -1) entries.splice(existing, 1);
    let k = 0;
    while (k < entries.length && entries[k]!.score < entry.score) k++;
    if (entries.length >= POOL_SIZE) {
      if (k === 0) return;
      entries.splice(k, 0, entry);
      entries.shift();
    } else {
      entries.splice(k, 0, entry);
    }
  }

  private randomCandidate(keyspace: Keyspace, volatileOnly: boolean): EvictionCandidate | null {
    const dbs = keyspace.dbs;
    for (let i = 0; i < dbs.length; i++) {
      this.nextDb = (this.nextDb + 1) % dbs.length;
      const db = dbs[this.nextDb]!;
      const key = db.randomKeyForEviction(volatileOnly);
      if (key !== undefined) return { db, key };
    }
    return null;
  }
}
