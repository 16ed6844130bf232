// maxmemory (Redis 7.0 evict.c performEvictions and server.c processCommand's OOM check).
//
// Before each command, when maxmemory is set, the node compares its used memory with the limit.
// The figure is INFO's used_memory (keyspace/used-memory.ts) less what Redis does not count for
// eviction (freeMemoryGetNotCountedMemory: replicas' output beyond the backlog, the AOF buffer),
// which the layers owning those buffers report through `notCountedMemory`. Over the limit, keys
// are evicted as maxmemory-policy says (keyspace/eviction-pool.ts picks them), measuring what
// each deletion gave back, until enough is freed or maxmemory-eviction-tenacity's time is spent;
// then eviction carries on in later event-loop turns (evictionTimeProc). When nothing can be
// evicted (noeviction, or no key qualifies), commands flagged denyoom, and any command queued
// inside MULTI, are refused with the OOM error.
//
// An evicted key goes through the Database API (snapshots and WATCH see it), is published as
// the "evicted" keyspace event, and reaches the AOF and replicas as DEL (UNLINK with
// lazyfree-lazy-eviction) on its own, outside any transaction. A replica with
// replica-ignore-maxmemory yes (the default) never evicts: its master's DELs keep it in line.
import type { BinaryString } from '../protocol/request-parser.js';
import { collectGarbage, freedUntilCollected, usedMemory } from '../keyspace/used-memory.js';
import { DEFAULT_SAMPLES, memoryUsage, packingSettings } from '../keyspace/memory-usage.js';
import { EvictionPool, type MaxmemoryPolicy } from '../keyspace/eviction-pool.js';
import type { Command } from './command-table.js';
import type { Client } from './client.js';
import type { Server } from './server.js';

/** server.c shared.oomerr. */
export const OOM_ERROR = "OOM command not allowed when used memory > 'maxmemory'.";

/** performEvictions' results: EVICT_OK, EVICT_RUNNING, EVICT_FAIL. */
export type EvictionResult = 'ok' | 'running' | 'fail';

/** Commands that stay allowed in MULTI while over the limit (processCommand). */
const MULTI_ALLOWED_ON_OOM = new Set(['exec', 'discard', 'quit', 'reset']);
/**
 * The shortest time between two collections eviction asks for (see perform), and how many times
 * the last one's duration it is at least, so that collecting takes at most 5% of the time.
 */
const MIN_COLLECTION_INTERVAL_MS = 100;
const COLLECTION_INTERVAL_FACTOR = 20;
/** Commands at whose start the OOM state is saved for the scripts they run (server.script_oom). */
const SCRIPT_STARTERS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro', 'exec']);

export class Eviction {
  /** INFO stats evicted_keys. */
  evictedKeys = 0;
  /** INFO stats total_eviction_exceeded_time (ms) and when the current stretch began (0: none). */
  private exceededTotalMs = 0;
  private exceededSince = 0;
  /**
   * Memory not counted against maxmemory (freeMemoryGetNotCountedMemory): each layer that keeps
   * such a buffer (replication's output to replicas, the AOF's) pushes a function reporting it.
   */
  readonly notCountedMemory: (() => number)[] = [];
  /**
   * server.script_oom: whether the node was out of memory when the running script (or EXEC)
   * started; see scriptOomError.
   */
  scriptOom = false;
  private readonly pool = new EvictionPool();
  /** evictionTimeProc is scheduled. */
  private continuing = false;
  /** Bytes eviction freed since it last had the garbage collected (see perform). */
  private freedSinceCollection = 0;
  private lastCollection = 0;
  /** The wait before the next collection: longer when collections take long (a large heap). */
  private collectionInterval = MIN_COLLECTION_INTERVAL_MS;

  constructor(private readonly server: Server) {
    server.onConfigSet('maxmemory', () => this.maxmemoryChanged());
    server.statResetters.push(() => {
      this.evictedKeys = 0;
      this.exceededTotalMs = 0;
    });
    server.keyspace.addObserver({ beforeFlush: () => this.pool.clear() });
  }

  /**
   * processCommand's OOM check, in its place among the refusals: evicts if needed, then
   * returns the OOM error if `command` may not run, or null. Also records scriptOom.
   */
  admissionError(client: Client, command: Command, argv: BinaryString[]): string | null {
    if (this.server.config.int('maxmemory') === 0) return null;
    const outOfMemory = this.perform() === 'fail';
    const name = (command.parent ?? command).name;
    const flags = command.argvFlags?.(argv) ?? command.flags;
    let refuse =
      flags.includes('denyoom') ||
      (name === 'exec' && client.multi !== null && client.multi.some((queued) => queued.command.flags.includes('denyoom')));
    // Queueing in MULTI takes memory too, so nothing is queued over the limit.
    if (client.multi !== null && !MULTI_ALLOWED_ON_OOM.has(name)) refuse = true;
    if (outOfMemory && refuse) return OOM_ERROR;
    if (SCRIPT_STARTERS.has(name)) this.scriptOom = outOfMemory;
    return null;
  }

  /**
   * script.c scriptVerifyOOM, for the scripting work: the OOM error for a command a script calls,
   * or null. Refused only while the script has written nothing yet (it cannot stop half way),
   * only for denyoom commands, only if the node was out of memory when the script started, and
   * never for a script its master or the AOF runs (they must be obeyed).
   */
  scriptOomError(command: Command, scriptHasWritten: boolean, callerMustBeObeyed: boolean): string | null {
    if (this.server.config.int('maxmemory') === 0 || callerMustBeObeyed || scriptHasWritten || !this.scriptOom) return null;
    return command.flags.includes('denyoom') ? OOM_ERROR : null;
  }

  /** freeMemoryGetNotCountedMemory (INFO memory mem_not_counted_for_evict). */
  notCounted(): number {
    let bytes = 0;
    for (const report of this.notCountedMemory) bytes += report();
    return bytes;
  }

  /** INFO stats total_eviction_exceeded_time / current_eviction_exceeded_time, in ms. */
  exceededTime(): { total: number; current: number } {
    const current = this.exceededSince === 0 ? 0 : Date.now() - this.exceededSince;
    return { total: this.exceededTotalMs + current, current };
  }

  /** performEvictions: brings used memory under maxmemory if it may and can. */
  perform(): EvictionResult {
    const server = this.server;
    if (!this.mayEvict()) return 'ok';
    let toFree = this.bytesToFree();
    let result: EvictionResult;
    if (toFree > 0 && this.freedSinceCollection >= toFree) {
      // Eviction already freed more than the excess since the last collection: the excess is
      // then most likely garbage (the buffers the evicted keys' DELs went out in, replies),
      // which Redis's allocator would have had back at once. A full collection settles it
      // before more keys go, not too often (collectionInterval); until the next one is
      // allowed, eviction waits rather than feed on its own garbage.
      const started = performance.now();
      const sinceLast = started - this.lastCollection;
      if (sinceLast < this.collectionInterval) {
        this.continueLater(this.collectionInterval - sinceLast);
        this.trackExceeded('running');
        return 'running';
      }
      collectGarbage();
      this.lastCollection = performance.now();
      this.collectionInterval = Math.max(MIN_COLLECTION_INTERVAL_MS, (this.lastCollection - started) * COLLECTION_INTERVAL_FACTOR);
      this.freedSinceCollection = 0;
      toFree = this.bytesToFree();
    }
    if (toFree <= 0) result = 'ok';
    else if (server.config.str('maxmemory-policy') === 'noeviction') result = 'fail';
    else result = this.evict(toFree);
    this.trackExceeded(result);
    return result;
  }

  /** isPerformEvictions: not while loading, not on a replica ignoring maxmemory, not while clients are paused. */
  private mayEvict(): boolean {
    const server = this.server;
    if (server.loading.current !== null) return false;
    if (server.keyspace.isReplica && server.config.bool('replica-ignore-maxmemory')) return false;
    return !server.pause.active;
  }

  /** getMaxmemoryState's mem_tofree: 0 or less when within the limit. */
  private bytesToFree(): number {
    const maxmemory = this.server.config.int('maxmemory');
    if (maxmemory === 0) return 0;
    const reported = usedMemory(this.server.keyspace);
    if (reported <= maxmemory) return 0;
    return reported - this.notCounted() - maxmemory;
  }

  private evict(toFree: number): EvictionResult {
    const server = this.server;
    const config = server.config;
    const policy = config.str('maxmemory-policy') as MaxmemoryPolicy;
    const samples = config.int('maxmemory-samples');
    const lazy = config.bool('lazyfree-lazy-eviction');
    const limitUs = evictionTimeLimitUs(config.int('maxmemory-eviction-tenacity'));
    const started = performance.now();
    let freed = 0;
    let keysFreed = 0;
    while (freed < toFree) {
      const candidate = this.pool.next(server.keyspace, policy, samples);
      if (candidate === null) {
        this.addLatency('eviction-cycle', started);
        return 'fail';
      }
      const { db, key } = candidate;
      // What the deletion gives back, measured on the keyspace's own pages (the bytes of the key
      // and a string value) rather than on the heap, whose figure moves with what eviction
      // itself allocates. An aggregate is JS objects, whose memory only a full collection
      // returns: its estimated size counts as freed until then (see keyspace/used-memory.ts).
      const stringBytes = db.stringBytes;
      const value = db.peek(key);
      let aggregateBytes = 0;
      if (typeof value === 'object') {
        aggregateBytes = memoryUsage(key, value, db.objectHeader(key)!, DEFAULT_SAMPLES, packingSettings(config));
        freedUntilCollected(aggregateBytes);
      }
      const deleteStarted = performance.now();
      db.evict(key);
      this.addLatency('eviction-del', deleteStarted);
      const keyBytes = stringBytes - db.stringBytes + aggregateBytes;
      freed += keyBytes;
      this.freedSinceCollection += keyBytes;
      this.evictedKeys++;
      this.announce(db.id, key, lazy);
      keysFreed++;
      // Every 16 keys: stop when the time is spent and carry on in the next turns.
      if (keysFreed % 16 === 0 && (performance.now() - started) * 1000 > limitUs) {
        this.continueLater();
        break;
      }
    }
    this.addLatency('eviction-cycle', started);
    return this.continuing ? 'running' : 'ok';
  }

  /** The "evicted" keyspace event and the DEL (or UNLINK) for the AOF and replicas, on its own. */
  private announce(dbId: number, key: BinaryString, lazy: boolean): void {
    this.server.keyspaceEvents.notify('e', 'evicted', key, dbId);
    this.server.propagation.propagateAlone(dbId, [lazy ? 'UNLINK' : 'DEL', key]);
  }

  /** evictionTimeProc: keeps evicting in later event-loop turns until within the limit or nothing is left. */
  private continueLater(delayMs = 0): void {
    if (this.continuing) return;
    this.continuing = true;
    const step = () => {
      this.continuing = false;
      // Over the limit still and time spent again: perform schedules the next turn itself.
      this.perform();
    };
    if (delayMs > 0) setTimeout(step, delayMs).unref();
    else setImmediate(step);
  }

  private trackExceeded(result: EvictionResult): void {
    if (result !== 'ok') {
      if (this.exceededSince === 0) this.exceededSince = Date.now();
    } else if (this.exceededSince !== 0) {
      this.exceededTotalMs += Date.now() - this.exceededSince;
      this.exceededSince = 0;
    }
  }

  private addLatency(event: string, started: number): void {
    if (this.server.latency.thresholdMs !== 0) this.server.latency.addSampleIfNeeded(event, performance.now() - started);
  }

  /** config.c updateMaxmemory: warns when the new limit is already exceeded, then evicts. */
  private maxmemoryChanged(): void {
    const maxmemory = this.server.config.int('maxmemory');
    if (maxmemory === 0) return;
    const used = usedMemory(this.server.keyspace) - this.notCounted();
    if (maxmemory < used) {
      this.server.logger.warning(
        `WARNING: the new maxmemory value set via CONFIG SET (${maxmemory}) is smaller than the current memory usage (${used}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.`,
      );
    }
    this.perform();
  }
}

/** evictionTimeLimitUs: tenacity 0-10 is 0-500 us, then 15% more per step, unlimited at 100. */
export function evictionTimeLimitUs(tenacity: number): number {
  if (tenacity <= 10) return 50 * tenacity;
  if (tenacity < 100) return 500 * 1.15 ** (tenacity - 10);
  return Infinity;
}
