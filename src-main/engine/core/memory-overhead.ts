// What the node's memory is made of, for INFO memory and MEMORY STATS (Redis's
// getMemoryOverheadData, object.c, and the allocator figures serverCron samples). One computation
// serves both, so the two never disagree.
//
// used_memory is keyspace/used-memory.ts's figure. Its parts that belong to layers above the core
// (the replication backlog, the AOF buffer, the Lua states and script caches) are reported through
// the functions of `MemoryParts`, which those layers install, as they install what
// eviction.notCountedMemory asks them.
//
// The allocator figures: Redis reads them from jemalloc (allocated <= active <= resident). Our
// allocator is V8, so they are V8's equivalents, measured:
//   - allocator_allocated: used_memory (the bytes in use);
//   - allocator_active: that plus what V8 and the string pages hold committed but empty (the JS
//     heap's committed-but-unused bytes, the free blocks of the keyspace's string pages), as
//     jemalloc's active pages hold their free slots;
//   - allocator_resident: the JS heap's physically resident bytes plus the memory held outside it
//     (Buffers, the string pages), at least allocator_active;
//   - process_rss (used_memory_rss): the process's resident set. With one node per worker thread
//     (the lab), several nodes share one process, and so its RSS.
import { memoryUsage } from 'node:process';
import { getHeapStatistics } from 'node:v8';
import { heapFigures, usedMemory } from '../keyspace/used-memory.js';
import { dictSlots } from '../keyspace/memory-usage.js';
import type { Server } from './server.js';
import type { Client } from './client.js';

// Sizes of Redis's C structures on a 64-bit build, for the per-database hash table overhead.
const DICT_ENTRY = 24;
const POINTER = 8;
const ROBJ = 16;
/** The reply buffer every client has (CLIENT LIST rbs=), counted in its tot-mem. */
export const CLIENT_REPLY_BUFFER_BYTES = 1024;

/** CLIENT LIST's tot-mem: the client's reply buffer and what it has yet to send. */
export function clientMemory(client: Client, outputBytes = client.outputBytes): number {
  return CLIENT_REPLY_BUFFER_BYTES + outputBytes;
}

/** INFO memory's scripting figures (evalMemory, evalScriptsMemory, functionsMemory, functionsMemoryOverhead). */
export interface ScriptingMemory {
  /** EVAL's Lua state (used_memory_vm_eval). */
  evalVm(): number;
  /** EVAL's script cache (used_memory_scripts_eval). */
  evalCaches(): number;
  cachedScripts(): number;
  /** FUNCTION's Lua state (used_memory_vm_functions). */
  functionsVm(): number;
  /** The function libraries and their functions (used_memory_functions). */
  functionsCaches(): number;
  functions(): number;
  libraries(): number;
}

/** Memory parts that layers above the core own and report. */
export class MemoryParts {
  /** The replication backlog's allocated bytes (../replication/backlog.ts). */
  replicationBacklog: () => number = () => 0;
  /** Each replica client's stream and RDB bytes not yet sent, by client id. */
  replicaOutput: (client: Client) => number = (client) => client.outputBytes;
  /** The AOF's buffer, while the AOF is on. */
  aofBuffer: () => number = () => 0;
  /** EVAL's and FUNCTION's Lua states and what they hold (../scripting/, installed by the node). */
  scripting: ScriptingMemory = {
    evalVm: () => 0,
    evalCaches: () => 0,
    cachedScripts: () => 0,
    functionsVm: () => 0,
    functionsCaches: () => 0,
    functions: () => 0,
    libraries: () => 0,
  };

  /** used_memory right after the server was initialized, before any data (initial_memory_usage). */
  startup = usedMemory(null);
  /** The highest used_memory seen (stat_peak_memory), sampled by the cron and by each report. */
  peak = 0;

  /** InitServerLast: the baseline used_memory_startup and dataset_perc are measured from. */
  markStartup(): void {
    this.startup = usedMemory(null);
  }

  /** Samples used_memory into the peak; returns it. */
  samplePeak(server: Server): number {
    const used = usedMemory(server.keyspace);
    if (used > this.peak) this.peak = used;
    return used;
  }
}

export interface DatabaseOverhead {
  id: number;
  main: number;
  expires: number;
}

export interface MemoryOverhead {
  used: number;
  peak: number;
  peakPerc: number;
  startup: number;
  replBacklog: number;
  /** All memory holding the replication stream: the backlog and what replicas are owed. */
  replBuffers: number;
  clientsSlaves: number;
  clientsNormal: number;
  aofBuffer: number;
  luaCaches: number;
  functionsCaches: number;
  dbs: DatabaseOverhead[];
  overheadTotal: number;
  dataset: number;
  datasetPerc: number;
  totalKeys: number;
  bytesPerKey: number;
  allocatorAllocated: number;
  allocatorActive: number;
  allocatorResident: number;
  rss: number;
}

/** getMemoryOverheadData, with the allocator figures of the moment. */
export function memoryOverhead(server: Server): MemoryOverhead {
  const parts = server.memoryParts;
  const heap = heapFigures();
  const used = usedMemory(server.keyspace, heap);
  if (used > parts.peak) parts.peak = used;
  const startup = parts.startup;

  let clientsSlaves = 0;
  let clientsNormal = 0;
  let replicaOutput = 0;
  for (const client of server.clients.values()) {
    if (client.isReplica && !client.isMonitor) {
      const output = parts.replicaOutput(client);
      replicaOutput += output;
      clientsSlaves += clientMemory(client, output);
    } else {
      clientsNormal += clientMemory(client);
    }
  }
  const replBacklog = parts.replicationBacklog();
  const aofBuffer = parts.aofBuffer();
  const luaCaches = parts.scripting.evalCaches();
  const functionsCaches = parts.scripting.functionsCaches();
  const dbs: DatabaseOverhead[] = [];
  let totalKeys = 0;
  for (const db of server.keyspace.dbs) {
    if (db.size === 0) continue;
    totalKeys += db.size;
    dbs.push({
      id: db.id,
      main: db.size * (DICT_ENTRY + ROBJ) + dictSlots(db.size) * POINTER,
      expires: db.volatileCount * DICT_ENTRY + dictSlots(db.volatileCount) * POINTER,
    });
  }
  let overheadTotal = startup + replBacklog + clientsSlaves + clientsNormal + aofBuffer + luaCaches + functionsCaches;
  for (const o of dbs) overheadTotal += o.main + o.expires;
  // size_t arithmetic in Redis; here the overhead can exceed a used_memory read between two
  // collections, and a dataset of 0 says so better than a wrapped number.
  const dataset = Math.max(used - overheadTotal, 0);
  const netUsage = used > startup ? used - startup : 1;

  const v8 = getHeapStatistics();
  const rss = memoryUsage.rss();
  const allocatorActive = used + Math.max(v8.total_heap_size - v8.used_heap_size, 0) + server.keyspace.unusedStringBytes;
  const allocatorResident = Math.max(v8.total_physical_size + heap.external, allocatorActive);
  return {
    used,
    peak: parts.peak,
    peakPerc: (used * 100) / parts.peak,
    startup,
    replBacklog,
    replBuffers: replBacklog + replicaOutput,
    clientsSlaves,
    clientsNormal,
    aofBuffer,
    luaCaches,
    functionsCaches,
    dbs,
    overheadTotal,
    dataset,
    datasetPerc: (dataset * 100) / netUsage,
    totalKeys,
    bytesPerKey: totalKeys ? Math.floor(netUsage / totalKeys) : 0,
    allocatorAllocated: used,
    allocatorActive,
    allocatorResident,
    rss,
  };
}
