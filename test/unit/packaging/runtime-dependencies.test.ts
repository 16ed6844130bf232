// The README says why each runtime dependency is there: the "At run time" list of its Dependencies
// section has one item per package that package.json installs for users (dependencies and
// optionalDependencies), so a new one cannot arrive unexplained and a removed one is not left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../support/servers.js';

test("the README's run-time dependency list matches package.json", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  const installed = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})].sort();
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /^## Dependencies\n([\s\S]*?)^## /m.exec(readme)?.[1];
  assert.ok(section, 'the README has a Dependencies section');
  const runTime = section.slice(section.indexOf('At run time'), section.indexOf('For development'));
  const items = [...runTime.matchAll(/^- `([^`]+)`(?: \(optional\))?: \S/gm)].map((m) => m[1]!).sort();
  assert.deepEqual(items, installed);
});
