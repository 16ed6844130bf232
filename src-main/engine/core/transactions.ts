// MULTI/EXEC/WATCH (Redis's multi.c). A client in MULTI has its commands queued by the executor
// (core/executor.ts) instead of run; EXEC runs the queue through the ordinary call() path, so
// each queued command is counted, shown to MONITOR and propagated like any other, and the
// propagation layer hands the whole EXEC to the write feed as one unit (wrapped in MULTI ... EXEC
// when it holds more than one write, as Redis 7.0's propagatePendingCommands does).
//
// WATCH is optimistic locking: every key a client watches is registered per database; the
// keyspace observer below marks those clients "dirty CAS" when the key changes, expires or is
// flushed, and their next EXEC answers a null array. As in Redis 7.0, a key that was already
// logically expired when watched only counts as changed if it comes back.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Database } from '../keyspace/database.js';
import type { Keyspace } from '../keyspace/keyspace.js';
import type { Client, QueuedCommand } from './client.js';
import { call, deferCall } from './executor.js';
import type { DeferredCall } from './yielding-command.js';

export interface WatchedKey {
  db: Database;
  key: BinaryString;
  client: Client;
  /** The key was logically expired when WATCH ran (Redis's watchedKey.expired). */
  expired: boolean;
}

export const EXECABORT = 'EXECABORT Transaction discarded because of previous errors.';

export class Transactions {
  /** Per database: watched key -> the watches on it. */
  private readonly watches = new Map<Database, Map<BinaryString, Set<WatchedKey>>>();
  private watchCount = 0;
  /**
   * True while EXEC runs its queue (Redis's server.in_exec): BGSAVE then only schedules its save,
   * which starts once the transaction is over.
   */
  executing = false;

  constructor(keyspace: Keyspace) {
    keyspace.addObserver({
      afterChange: (db, key) => {
        if (this.watchCount !== 0) this.touch(db, key);
      },
      beforeFlush: (db, replacedWith) => {
        if (this.watchCount !== 0) this.touchAllInDb(db, replacedWith);
      },
    });
  }

  /** WATCH key: multi.c watchForKey. */
  watch(client: Client, key: BinaryString): void {
    const db = client.db;
    if (client.watchedKeys.some((w) => w.db === db && w.key === key)) return;
    let byKey = this.watches.get(db);
    if (!byKey) this.watches.set(db, (byKey = new Map()));
    let set = byKey.get(key);
    if (!set) byKey.set(key, (set = new Set()));
    const watched: WatchedKey = { db, key, client, expired: db.isExpired(key) };
    set.add(watched);
    client.watchedKeys.push(watched);
    this.watchCount++;
  }

  /** multi.c unwatchAllKeys (also run when a client disconnects). */
  unwatchAll(client: Client): void {
    for (const w of client.watchedKeys) {
      const byKey = this.watches.get(w.db)!;
      const set = byKey.get(w.key)!;
      set.delete(w);
      if (set.size === 0) byKey.delete(w.key);
      this.watchCount--;
    }
    client.watchedKeys.length = 0;
  }

  /** multi.c discardTransaction: leaves MULTI and forgets every watch. */
  discard(client: Client): void {
    client.multi = null;
    client.dirtyExec = false;
    client.dirtyCas = false;
    this.unwatchAll(client);
  }

  /** multi.c execCommand. */
  exec(client: Client): void {
    const queue = client.multi!;
    if (this.watchedKeyExpired(client)) client.dirtyCas = true;
    if (client.dirtyExec || client.dirtyCas) {
      if (client.dirtyExec) client.reply.error(EXECABORT);
      else client.reply.nullArray();
      this.discard(client);
      return;
    }
    this.unwatchAll(client);
    // EXEC's own argv is never propagated: its queued commands propagate their effects, which the
    // propagation layer collects into one unit.
    client.server.propagation.prevent();
    const denied = client.denyBlocking;
    client.denyBlocking = true;
    client.reply.arrayHeader(queue.length);
    this.executing = true;
    this.runQueue(client, queue, 0, denied, null);
  }

  /**
   * Runs EXEC's queue from `from`. A script in it that passes busy-reply-threshold ends in a later
   * event-loop turn (core/yielding-command.ts): EXEC then defers its own call() too (`outer`), and
   * goes on with the next queued command when the script's call ends. Meanwhile the node stays
   * "busy" for every other client, so nothing runs between EXEC's commands, as in Redis where the
   * script re-enters the event loop from inside EXEC.
   */
  private runQueue(client: Client, queue: QueuedCommand[], from: number, denied: boolean, outer: DeferredCall | null): void {
    let waiting = false;
    try {
      for (let i = from; i < queue.length; i++) {
        const { command, argv } = queue[i]!;
        // ACL rules may have changed since the command was queued (execCommand checks again).
        const refusal = client.server.accessControl.checkQueued(client, command, argv);
        if (refusal === null) call(client, command, argv);
        else client.reply.error(refusal);
        const inner = client.deferredCall;
        if (inner !== null) {
          // The connection holds the client's next commands on client.deferredCall and sets its
          // resume: that slot must hold EXEC's own deferral (made at the first script), not the
          // script's.
          const self = (outer ??= deferCall(client));
          client.deferredCall = self;
          const resumeAt = i + 1;
          inner.resume = () => this.runQueue(client, queue, resumeAt, denied, self);
          waiting = true;
          return;
        }
      }
    } finally {
      if (!waiting) {
        this.executing = false;
        client.denyBlocking = denied;
        this.discard(client);
        // A script of this EXEC kept the node busy until the whole transaction was done.
        const yielding = client.server.yielding;
        if (yielding.caller === client) yielding.end();
        outer?.finish();
      }
    }
  }
  /** multi.c isWatchedKeyExpired: a watched key expired since WATCH (without being accessed). */
  private watchedKeyExpired(client: Client): boolean {
    return client.watchedKeys.some((w) => !w.expired && w.db.isExpired(w.key));
  }

  /** multi.c touchWatchedKey. */
  private touch(db: Database, key: BinaryString): void {
    const set = this.watches.get(db)?.get(key);
    if (!set) return;
    for (const w of [...set]) {
      if (w.expired) {
        // Watched while already expired: its deletion is no logical change.
        if (db.peek(key) === undefined) w.expired = false;
        continue;
      }
      this.markDirty(w.client);
    }
  }

  /**
   * multi.c touchAllWatchedKeysInDb, for FLUSHDB / FLUSHALL (`replacedWith` null) and SWAPDB
   * (the database whose contents take `emptied`'s place). A watched key changes when it is
   * stored in either database, logically expired or not, with Redis 7.0's exceptions for keys
   * watched while expired (their removal is no change) and for expired keys swapped in (the
   * watch then treats the key as one watched while expired).
   */
  private touchAllInDb(emptied: Database, replacedWith: Database | null): void {
    const byKey = this.watches.get(emptied);
    if (!byKey) return;
    for (const [key, set] of [...byKey]) {
      const inEmptied = emptied.peek(key) !== undefined;
      const inReplacement = replacedWith !== null && replacedWith.peek(key) !== undefined;
      if (!inEmptied && !inReplacement) continue;
      for (const w of [...set]) {
        if (w.expired) {
          if (!inReplacement) {
            w.expired = false;
            continue;
          }
          if (replacedWith!.isExpired(key)) continue;
        } else if (!inEmptied && replacedWith!.isExpired(key)) {
          w.expired = true;
          continue;
        }
        this.markDirty(w.client);
      }
    }
  }

  /** A dirty client's watches are useless: drop them now rather than at EXEC (as Redis does). */
  private markDirty(client: Client): void {
    client.dirtyCas = true;
    this.unwatchAll(client);
  }
}
