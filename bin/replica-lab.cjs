#!/usr/bin/env node
// The `replica-lab` command (today: `replica-lab export ...`). It runs the bundle that `npm install`
// builds, like replica-lab-server. npm never links a root package's own bins into its own
// node_modules/.bin, so inside the repository run it as `npm run replica-lab -- export ...`.
const { existsSync, realpathSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { pathToFileURL } = require('node:url');

const root = join(dirname(realpathSync(__filename)), '..');
const entry = join(root, 'out', 'main', 'replica-lab.js');
if (!existsSync(entry)) {
  console.error(`replica-lab: ${entry} is missing; run "npm run build" in ${root} first.`);
  process.exit(1);
}
import(pathToFileURL(entry).href);
