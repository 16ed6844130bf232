// Each node's own directory under the lab's data dir, and the redis.conf the host writes there.
//
// The config file is written once, when the node is created, and is then the node's own: the node
// starts from it exactly as redis-server would, so a CONFIG REWRITE made by a user survives restarts
// and the file can be copied to a real Redis. Paths are absolute because worker threads share the
// lab's working directory (they cannot chdir), so a relative `dir` would not mean the node's folder.
import { existsSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { StoredNode } from '../store/lab-store.js';
import { catRepr, needsRepr } from '../../engine/index.js';

/** `save 3600 1 300 100 60 10000`: redis.conf's default (after 1 h and 1 change, 5 min and 100, 1 min and 10000). */
export const REDIS_DEFAULT_SAVE_POINTS = ['3600', '1', '300', '100', '60', '10000'] as const;

export interface NodeFiles {
  dir: string;
  configFile: string;
  logFile: string;
}

export function nodeFiles(dataDir: string, nodeId: string): NodeFiles {
  const dir = join(dataDir, 'nodes', nodeId);
  return { dir, configFile: join(dir, 'redis.conf'), logFile: join(dir, 'node.log') };
}

/** Deletes a node's directory, refusing anything that is not inside the lab's own nodes/ folder. */
export function removeNodeDir(dataDir: string, dir: string): void {
  const inside = relative(join(dataDir, 'nodes'), dir);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) throw new Error(`refusing to delete ${dir}`);
  rmSync(dir, { recursive: true, force: true });
}

/** Creates the node's directory and writes its redis.conf unless it already has one. */
export function ensureNodeConfig(files: NodeFiles, node: StoredNode): void {
  mkdirSync(files.dir, { recursive: true });
  if (existsSync(files.configFile)) return;
  const lines: string[][] = [
    ['port', String(node.port)],
    ['bind', '127.0.0.1'],
    ['dir', files.dir],
    ['dbfilename', 'dump.rdb'],
    ['logfile', files.logFile],
    // DEBUG DIGEST is how people check that a replica holds its master's data; Redis 7.0 turns
    // DEBUG off by default, so a lab node allows it for local connections only.
    ['enable-debug-command', 'local'],
    // Redis's own default save points, written out so the file says when the node snapshots (and a
    // graceful stop saves) and a real redis-server given this file behaves the same.
    ['save', ...REDIS_DEFAULT_SAVE_POINTS],
    ...node.directives,
  ];
  const header =
    `# ${node.name}: written by ReplicaLab when the node was created. It is this node's own config\n` +
    `# from now on, as for redis-server: edit it, or use CONFIG SET + CONFIG REWRITE.\n`;
  writeFileSync(files.configFile, header + lines.map((args) => args.map(quoteConfigArg).join(' ')).join('\n') + '\n');
}

/**
 * Quotes one argument the way redis.conf's parser (sdssplitargs) reads it back: sdscatrepr's
 * escapes, in text mode, because the file is UTF-8 text that this engine and a real redis-server
 * must both read as the same paths (a byte escape such as \xe9 would be one byte to redis-server).
 * A single quote also needs quoting (sdssplitargs starts a quoted string at one), and "" states
 * an empty argument.
 */
export function quoteConfigArg(arg: string): string {
  if (arg !== '' && !arg.includes("'") && !needsRepr(arg, { text: true })) return arg;
  return catRepr(arg, { text: true });
}
