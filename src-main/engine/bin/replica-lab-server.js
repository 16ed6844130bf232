#!/usr/bin/env node
// The `replica-lab-server` command. npm links this file into node_modules/.bin (the engine is a
// workspace package; npm never links a root package's own bins). It runs the bundle that
// `npm install` builds (the root package's `prepare` script), so start-up costs no TypeScript compile.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { existsSync, realpathSync } from 'node:fs';

const root = join(dirname(realpathSync(fileURLToPath(import.meta.url))), '..', '..', '..');
const cli = join(root, 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  console.error(`replica-lab-server: ${cli} is missing; run "npm run build" in ${root} first.`);
  process.exit(1);
}
await import(pathToFileURL(cli).href);
