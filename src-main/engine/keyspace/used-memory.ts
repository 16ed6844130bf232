// Redis's used_memory for a node: what its allocator has handed out. Here that is the JS heap in
// use plus the memory V8 holds outside it (`external`: Buffers, typed arrays, and so the pages in
// which the keyspace keeps keys and string values, keyspace/slot-strings.ts), less the part of
// those pages that holds nothing: freed blocks waiting for reuse are memory the process keeps
// but, as with Redis's allocator after a DEL, not memory in use. `arrayBuffers` is a part of
// `external`, not an addition to it.
//
// Two corrections make the figure follow the data rather than the garbage collector, so that
// maxmemory (core/eviction.ts compares this same figure, before every command while a limit is
// set) evicts for data, not for garbage:
//   - V8's young generation is left out. It holds what request handling allocates and drops at
//     once (arguments, replies, strings read from the pages), megabytes between two scavenges;
//     what survives is promoted to the old generation within two scavenges and counted there.
//   - Memory the keyspace let go of is subtracted until the next full garbage collection returns
//     it, as Redis's allocator gets it back at once: the pages of a flushed database, and the
//     aggregates eviction removed (estimated as MEMORY USAGE estimates them). Otherwise
//     FLUSHALL would seem to free nothing, and eviction, seeing nothing freed, would go on
//     evicting until a full collection happened to run.
// The heap and its collections belong to the thread (one node per worker thread, or process), so
// that count is kept per module instance.
// V8's heap space statistics cost a few microseconds, process.memoryUsage() (which reads the
// resident set size) several times more.
import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import type { Keyspace } from './keyspace.js';

export interface HeapFigures {
  heapUsed: number;
  external: number;
}

/** `keyspace` null: the process alone (MEMORY STATS' startup.allocated, before any data). */
export function usedMemory(keyspace: Keyspace | null, memory: HeapFigures = heapFigures()): number {
  if (keyspace === null) return memory.heapUsed + memory.external;
  return memory.heapUsed + memory.external - keyspace.unusedStringBytes - freedAwaitingCollection();
}

/** The heap in use outside the young generation, and the memory V8 holds outside the heap. */
export function heapFigures(): HeapFigures {
  let heapUsed = 0;
  for (const space of getHeapSpaceStatistics()) {
    if (space.space_name !== 'new_space' && space.space_name !== 'new_large_object_space') heapUsed += space.space_used_size;
  }
  return { heapUsed, external: getHeapStatistics().external_memory };
}

// --- memory given back by eviction, waiting for a full collection ---------------------------------

/** Full (mark-sweep) collections seen so far. */
// --- memory given back, waiting for a full collection ---------------------------------------------

/** Full (mark-sweep) collections seen so far. */
let fullCollections = 0;
let observing = false;

function observeFullCollections(): void {
  if (observing) return;
  observing = true;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind ?? 0;
      if (kind & constants.NODE_PERFORMANCE_GC_MAJOR) fullCollections++;
    }
  }).observe({ entryTypes: ['gc'] });
}

let awaiting = { bytes: 0, collections: 0 };

/** Records `bytes` (dropped pages, an evicted aggregate) that the next full collection frees. */
export function freedUntilCollected(bytes: number): void {
  observeFullCollections();
  if (awaiting.collections !== fullCollections) awaiting = { bytes: 0, collections: fullCollections };
  awaiting.bytes += bytes;
}

function freedAwaitingCollection(): number {
  return awaiting.collections === fullCollections ? awaiting.bytes : 0;
}

let fullCollection: (() => void) | null = null;

/**
 * A full garbage collection now (MEMORY PURGE: Redis asks its allocator to give back what it
 * freed; here the collector returns what the keyspace and request handling dropped, and
 * used_memory then counts live memory alone). V8's gc() is exposed for this one call site. The
 * memory of dropped Buffers is normally released later, on a sweeper thread; for this one
 * collection it is released at once, so that the figure read right after it is the new one.
 */
export function collectGarbage(): void {
  if (fullCollection === null) {
    setFlagsFromString('--expose-gc');
    fullCollection = runInNewContext('gc') as () => void;
  }
  setFlagsFromString('--no-concurrent-array-buffer-sweeping');
  try {
    fullCollection();
    // The observer hears of it later; what awaited it is freed now.
    awaiting = { bytes: 0, collections: fullCollections };
  } finally {
    setFlagsFromString('--concurrent-array-buffer-sweeping');
  }
}
