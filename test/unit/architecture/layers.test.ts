// The architecture's rules, checked on every import of the source tree, so the shape in
// docs/architecture.md stays true as the code grows:
//  - the engine's layers only import downward (or within their own folder);
//  - the engine imports nothing from Electron, Vue, the lab host or the renderer;
//  - the lab host reaches the engine only through its public face, src-main/engine/index.ts;
//  - the API shared by host and renderer imports nothing but itself.
// And a full type-check of the project.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../../support/servers.js';

const ENGINE = join(ROOT, 'src-main', 'engine');

/**
 * The engine's layers, lowest first. A file may import files of its own folder and of any lower
 * layer; `mayAlsoUse` names the few folders of the same layer it may use too.
 */
const ENGINE_LAYERS: { folders: string[]; mayAlsoUse?: Record<string, string[]> }[] = [
  { folders: ['protocol', 'util'] },
  { folders: ['keyspace', 'config'] },
  { folders: ['core'] },
  // Replication sends and receives RDB snapshots, so it builds on persistence; never the reverse.
  // Scripting runs commands through the core's executor, beside the ACLs.
  { folders: ['persistence', 'acl', 'replication', 'scripting'], mayAlsoUse: { replication: ['persistence'] } },
  { folders: ['commands'] },
  // Sentinel mode: the core Server with a Sentinel's command table (some families of commands/),
  // the ACLs, and Sentinel's own monitoring and failover. Nothing below may import it.
  { folders: ['sentinel'] },
  // The composition root (node.ts), the public face (index.ts) and the CLI: files at the top.
  { folders: ['.'] },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(ts|vue)$/.test(p) ? [p] : [];
  });
}

/** Every import specifier of a file: static, re-exports, side-effect and dynamic imports. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|[\s;])(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]/g)].map(
    (m) => (m[1] ?? m[2])!,
  );
}

/** The engine folder a path belongs to ('.' for files at the engine's top). */
function engineFolder(path: string): string {
  const rel = relative(ENGINE, path);
  return rel.includes(sep) ? rel.split(sep)[0]! : '.';
}

function layerOf(folder: string): number {
  const layer = ENGINE_LAYERS.findIndex((l) => l.folders.includes(folder));
  if (layer < 0) throw new Error(`src-main/engine/${folder}/ is in no layer: add it to ENGINE_LAYERS (and docs/architecture.md)`);
  return layer;
}

/** Why `file` may not import `target`, or null when it may. Both absolute, both in the engine. */
export function engineLayerViolation(file: string, target: string): string | null {
  const from = engineFolder(file);
  const to = engineFolder(target);
  if (from === to) return null;
  const a = layerOf(from);
  const b = layerOf(to);
  if (b < a) return null;
  if (b === a && ENGINE_LAYERS[a]!.mayAlsoUse?.[from]?.includes(to)) return null;
  return `${from}/ (layer ${a}) may not import ${to}/ (layer ${b})`;
}

const resolveSpec = (file: string, spec: string) => resolve(dirname(file), spec.replace(/\.js$/, '.ts'));

test('the engine layers only import downward', () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(ENGINE)) {
    for (const spec of importsOf(file)) {
      if (!spec.startsWith('.')) continue;
      const target = resolveSpec(file, spec);
      if (!target.startsWith(ENGINE + sep)) {
        offenders.push(`${relative(ROOT, file)} imports ${spec}, outside the engine`);
        continue;
      }
      const why = engineLayerViolation(file, target);
      if (why) offenders.push(`${relative(ROOT, file)} imports ${spec}: ${why}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the layer rule itself refuses an upward import and allows a downward one', () => {
  const f = (p: string) => join(ENGINE, p);
  assert.match(engineLayerViolation(f('core/server.ts'), f('commands/keys.ts')) ?? '', /core\/ \(layer 2\) may not import commands\//);
  assert.match(engineLayerViolation(f('persistence/digest.ts'), f('replication/backlog.ts')) ?? '', /may not import replication/);
  assert.match(engineLayerViolation(f('keyspace/database.ts'), f('node.ts')) ?? '', /may not import \.\//);
  assert.equal(engineLayerViolation(f('commands/keys.ts'), f('core/server.ts')), null);
  assert.equal(engineLayerViolation(f('replication/replication.ts'), f('persistence/rdb/rdb-reader.ts')), null);
  assert.equal(engineLayerViolation(f('node.ts'), f('commands/index.ts')), null);
});

test('the server engine imports nothing from Electron, Vue, the host or the renderer', () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(ENGINE)) {
    for (const spec of importsOf(file)) {
      if (/^(electron|vue|pinia)(\/|$)/.test(spec) || /(^|\/)(host|electron|src-renderer)\//.test(spec)) {
        offenders.push(`${relative(ROOT, file)} imports ${spec}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});

test('the lab host and the Electron shell use the engine only through src-main/engine/index.ts', () => {
  const offenders: string[] = [];
  for (const dir of ['host', 'electron', 'api']) {
    for (const file of sourceFiles(join(ROOT, 'src-main', dir))) {
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const target = resolveSpec(file, spec);
        if (target.startsWith(ENGINE + sep) && target !== join(ENGINE, 'index.ts'))
          offenders.push(`${relative(ROOT, file)} imports ${spec}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});

test('the API shared by the host and the renderer imports nothing but itself', () => {
  const api = join(ROOT, 'src-main', 'api');
  const offenders: string[] = [];
  for (const file of sourceFiles(api)) {
    for (const spec of importsOf(file)) {
      if (!spec.startsWith('.') || !resolveSpec(file, spec).startsWith(api + sep))
        offenders.push(`${relative(ROOT, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the project type-checks (strict)', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'test', 'support', 'typecheck.mjs')], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `type errors:\n${r.stdout}\n${r.stderr}`);
});
