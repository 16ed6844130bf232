// Architecture rules that keep the engine usable from any Node process (CLI, worker, tests),
// and a full type-check of the project.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../support/servers.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

test('the server engine imports nothing from Electron, Vue, the host or the renderer', () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(join(ROOT, 'src-main', 'engine'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      const spec = m[1]!;
      if (/^(electron|vue|pinia)(\/|$)/.test(spec) || /(^|\/)(host|electron|src-renderer)\//.test(spec)) {
        offenders.push(`${relative(ROOT, file)} imports ${spec}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});

test('the project type-checks (strict)', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'test', 'support', 'typecheck.mjs')], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `type errors:\n${r.stdout}\n${r.stderr}`);
});
