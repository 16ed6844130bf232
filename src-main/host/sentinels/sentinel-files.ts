// Each Sentinel's own directory under the lab's data dir (sentinels/<id>/), and the sentinel.conf
// the host writes there once, when the Sentinel is created. From then on the file is the Sentinel's:
// it rewrites it with what it learns (current-epoch, known replicas and Sentinels, a new master's
// address), exactly as redis-sentinel does, so a restart resumes from there.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { quoteConfigArg } from '../nodes/node-files.js';
import type { StoredSentinel } from '../store/sentinel-store.js';

export interface SentinelFiles {
  dir: string;
  configFile: string;
  logFile: string;
}

export function sentinelFiles(dataDir: string, id: string): SentinelFiles {
  const dir = join(dataDir, 'sentinels', id);
  return { dir, configFile: join(dir, 'sentinel.conf'), logFile: join(dir, 'sentinel.log') };
}

/** A Sentinel's name for the master it monitors: the node's name, in the characters Sentinel accepts everywhere. */
export function monitoredName(nodeName: string): string {
  return nodeName.replace(/[^A-Za-z0-9_.-]/g, '_');
}

export function ensureSentinelConfig(files: SentinelFiles, sentinel: StoredSentinel, master: { name: string; port: number }): void {
  mkdirSync(files.dir, { recursive: true });
  if (existsSync(files.configFile)) return;
  const name = monitoredName(master.name);
  const lines = [
    `# ${sentinel.name}: written by ReplicaLab when the Sentinel was created; the Sentinel rewrites it.`,
    `port ${sentinel.port}`,
    'bind 127.0.0.1',
    `dir ${quoteConfigArg(files.dir)}`,
    `logfile ${quoteConfigArg(files.logFile)}`,
    // The master's real port: a Sentinel talks to nodes directly, never through the lab's relays.
    `sentinel monitor ${name} 127.0.0.1 ${master.port} ${sentinel.quorum}`,
    `sentinel down-after-milliseconds ${name} ${sentinel.downAfterMs}`,
    `sentinel failover-timeout ${name} ${sentinel.failoverTimeoutMs}`,
    `sentinel parallel-syncs ${name} 1`,
  ];
  writeFileSync(files.configFile, lines.join('\n') + '\n');
}

/** `sentinel current-epoch N` as the Sentinel last wrote it in its config file (it flushes on every change). */
export function savedCurrentEpoch(files: SentinelFiles): number | null {
  try {
    const match = /^sentinel current-epoch (\d+)$/m.exec(readFileSync(files.configFile, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export function removeSentinelDir(dataDir: string, dir: string): void {
  const inside = relative(join(dataDir, 'sentinels'), dir);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) throw new Error(`refusing to delete ${dir}`);
  rmSync(dir, { recursive: true, force: true });
}
