// Redis's activeExpireCycle (expire.c, "slow" cycle): on every cron tick, spend at most a share of
// the tick removing keys whose TTL passed, so memory is reclaimed even for keys nobody reads.
// Each database is sampled in turn; while a sample finds many expired keys (more than the
// acceptable stale share), the same database gets another round, until the time budget runs out.
import type { Keyspace } from './keyspace.js';

// expire.c: ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP, _ACCEPTABLE_STALE, _SLOW_TIME_PERC.
const KEYS_PER_LOOP = 20;
const ACCEPTABLE_STALE_PERCENT = 10;
const SLOW_TIME_PERCENT = 25;
/** Keys of a writable replica's own examined per tick (expireSlaveKeys' bounded loop). */
const REPLICA_KEYS_PER_TICK = 64;

export class ActiveExpireCycle {
  private nextDb = 0;
  /**
   * INFO stats: the share of sampled keys found expired, averaged over cycles as Redis does
   * (stat_expired_stale_perc: 5% of the last cycle, 95% of the history), the cycles that ran out
   * of time, and the time spent in cycles (µs).
   */
  staleFraction = 0;
  timeCapReachedCount = 0;
  timeUsedMicros = 0;

  /** CONFIG RESETSTAT. */
  resetStats(): void {
    this.staleFraction = this.timeCapReachedCount = this.timeUsedMicros = 0;
  }

  /**
   * @param hz   server cron frequency (the tick is 1000/hz ms)
   * @param effort  `active-expire-effort` 1..10: more keys per round and less tolerated staleness
   */
  run(keyspace: Keyspace, hz: number, effort: number): void {
    // databasesCron: a replica waits for its master's DELs, except for the keys its own writes
    // gave a TTL (a writable replica), which it expires itself.
    keyspace.expireReplicaOwnKeys(REPLICA_KEYS_PER_TICK);
    if (keyspace.isReplica) return;
    const extra = effort - 1;
    const keysPerLoop = KEYS_PER_LOOP + (KEYS_PER_LOOP / 4) * extra;
    const acceptableStale = ACCEPTABLE_STALE_PERCENT - extra;
    const budgetMs = (1000 * (SLOW_TIME_PERCENT + 2 * extra)) / 100 / Math.max(hz, 1);
    const start = performance.now();
    const deadline = start + budgetMs;
    let sampled = 0;
    let expiredTotal = 0;
    const dbs = keyspace.dbs;
    scan: for (let i = 0; i < dbs.length; i++) {
      const db = dbs[this.nextDb]!;
      this.nextDb = (this.nextDb + 1) % dbs.length;
      for (;;) {
        const { examined, expired } = db.activeExpireSlice(keysPerLoop, Date.now());
        sampled += examined;
        expiredTotal += expired;
        if (examined === 0) break;
        if (performance.now() > deadline) {
          this.timeCapReachedCount++;
          break scan;
        }
        if ((expired * 100) / examined <= acceptableStale) break;
      }
    }
    this.timeUsedMicros += Math.round((performance.now() - start) * 1000);
    const current = sampled ? expiredTotal / sampled : 0;
    this.staleFraction = current * 0.05 + this.staleFraction * 0.95;
  }
}
