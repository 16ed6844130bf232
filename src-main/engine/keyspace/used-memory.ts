// Redis's used_memory for a node: what its allocator has handed out. Here that is the JS heap in
// use plus the memory V8 holds outside it (`external`: Buffers, typed arrays, and so the pages in
// which the keyspace keeps keys and string values, keyspace/slot-strings.ts), less the part of
// those pages that holds nothing: freed blocks waiting for reuse are memory the process keeps
// but, as with Redis's allocator after a DEL, not memory in use. `arrayBuffers` is a part of
// `external`, not an addition to it.
import { memoryUsage } from 'node:process';
import type { Keyspace } from './keyspace.js';

/** `keyspace` null: the process alone (MEMORY STATS' startup.allocated, before any data). */
export function usedMemory(keyspace: Keyspace | null, memory: NodeJS.MemoryUsage = memoryUsage()): number {
  return memory.heapUsed + memory.external - (keyspace?.unusedStringBytes ?? 0);
}
