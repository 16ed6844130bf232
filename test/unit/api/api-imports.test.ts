// src-main/api is imported by the host (Node), the Electron preload and the renderer (browser) alike,
// so it may import only its own files: no Node built-ins, no Electron, no Vue, no host code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../support/servers.js';

test('the API files import only each other', () => {
  const dir = join(ROOT, 'src-main', 'api');
  const offenders: string[] = [];
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.ts'))) {
    const text = readFileSync(join(dir, name), 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      if (!/^\.\/[\w-]+\.js$/.test(m[1]!)) offenders.push(`${name} imports ${m[1]}`);
    }
  }
  assert.deepEqual(offenders, []);
});
