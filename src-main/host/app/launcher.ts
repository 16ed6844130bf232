// What `npm start` runs (out/main/launcher.js): the Electron window where Electron is installed,
// else browser mode in this process. `--headless` forces browser mode. Other arguments pass through.
import { spawn } from 'node:child_process';
import { bundlePaths } from './bundle-paths.js';
import { runBrowserMode } from './browser-mode.js';
import { findElectronBinary } from './electron-binary.js';
import { ensureElectronSqliteBinding, installedElectronVersion, SQLITE_BINDING_ENV } from './electron-sqlite.js';
import { parseLabArgs } from './lab-args.js';

const argv = process.argv.slice(2);
let headless: boolean;
try {
  headless = parseLabArgs(argv, true).headless;
} catch (error) {
  process.stderr.write(`ReplicaLab: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
const electron = headless ? null : findElectronBinary();

if (electron) {
  runElectron(electron);
} else {
  if (!headless) {
    process.stderr.write('Electron is not installed (its binary could not be downloaded); starting browser mode\n');
  }
  await runBrowserMode(argv, import.meta.dirname);
}

function runElectron(binary: string): void {
  const env = { ...process.env };
  // Inherited from some tools; it would make Electron behave as plain Node and ignore the app.
  delete env.ELECTRON_RUN_AS_NODE;
  const version = installedElectronVersion();
  if (version) {
    try {
      env[SQLITE_BINDING_ENV] = ensureElectronSqliteBinding(version, (line) => process.stderr.write(`${line}\n`));
    } catch (err) {
      process.stderr.write(`${(err as Error).message}\nStarting browser mode instead (npm start -- --headless skips this check).\n`);
      void runBrowserMode(argv, import.meta.dirname);
      return;
    }
  }
  const child = spawn(binary, [bundlePaths(import.meta.dirname).electronMain, ...argv], { stdio: 'inherit', env });
  // The app stops its nodes gracefully on these signals; pass them on and wait for it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
