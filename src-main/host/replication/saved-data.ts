// What a stopped node would load if it started: its dump.rdb's replication ID and offset (the RDB's
// aux fields, read with the engine's own RDB reader) and key count, and whether its redis.conf turns
// the AOF on (then the AOF is loaded instead, and it says nothing of the replication position).
// The stale-master warning and the backlog view both ask this.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRdbFile } from '../../engine/index.js';
import type { LabNode } from '../nodes/lab-node.js';

/** What a node's dump.rdb holds: the replication history and offset it was saved at, and its key count. */
export interface SavedData {
  replId: string | null;
  offset: number | null;
  keys: number;
}

/** A stopped node with `appendonly yes` in its config loads its AOF, which the RDB says nothing about. */
export function configHasAof(node: LabNode): boolean {
  return existsSync(node.files.configFile) && /^\s*appendonly\s+"?yes"?\s*$/im.test(readFileSync(node.files.configFile, 'utf8'));
}

/** dump.rdb as the engine reads it (the lab writes `dbfilename dump.rdb`); null if absent or unreadable. */
export async function readSavedData(node: LabNode): Promise<SavedData | null> {
  const file = join(node.files.dir, 'dump.rdb');
  if (!existsSync(file)) return null;
  try {
    let keys = 0;
    const result = await readRdbFile(file, () => keys++, { onStringEntry: () => keys++ });
    const offset = result.aux.get('repl-offset');
    return { replId: result.aux.get('repl-id') ?? null, offset: offset === undefined ? null : Number(offset), keys };
  } catch {
    // A node cannot load a file the engine cannot read either: it would start empty.
    return null;
  }
}
