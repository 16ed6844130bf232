// Redis's used_memory for a node: what its allocator holds. Here that is the JS heap in use plus
// the memory V8 holds outside it (`external`: Buffers, typed arrays, and so the keyspace's keys and
// string values, see keyspace/slot-strings.ts). `arrayBuffers` is a part of `external`, not an
// addition to it.
import { memoryUsage } from 'node:process';

export function usedMemory(memory: NodeJS.MemoryUsage = memoryUsage()): number {
  return memory.heapUsed + memory.external;
}
