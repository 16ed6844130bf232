// ReplicaLab's own version, for the export's manifest: the root package.json's, found by walking up
// from this module, which works both from the bundle (out/main/) and from the sources under tsx.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | null = null;

export function labVersion(): string {
  if (cached !== null) return cached;
  let dir = import.meta.dirname;
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'replica-lab') return (cached = pkg.version ?? 'unknown');
    }
    const parent = dirname(dir);
    if (parent === dir) return (cached = 'unknown');
    dir = parent;
  }
}
