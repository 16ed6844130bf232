// Type-checks the whole project (main, renderer with .vue files, tests) with vue-tsc.
// Electron's own type definitions ship inside the electron package, which is absent wherever its
// binary could not be downloaded; there the Electron shell and its test are left out of the check
// and we say so, rather than stubbing Electron's types.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
let project = 'tsconfig.json';
let temp = null;
if (!existsSync(join(root, 'node_modules', 'electron', 'electron.d.ts'))) {
  console.error('typecheck: Electron is not installed here; src-main/electron and test/ui/electron-* are not checked.');
  temp = join(root, 'tsconfig.no-electron.tmp.json');
  writeFileSync(temp, JSON.stringify({ extends: './tsconfig.json', exclude: ['src-main/electron/**', 'test/ui/electron-*'] }));
  project = temp;
}
const r = spawnSync(join(root, 'node_modules', '.bin', 'vue-tsc'), ['--noEmit', '-p', project], { cwd: root, stdio: 'inherit' });
if (temp) rmSync(temp, { force: true });
process.exit(r.status ?? 1);
