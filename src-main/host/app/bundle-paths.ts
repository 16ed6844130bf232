// Where the built pieces sit relative to each other in out/ (see electron.config.ts). Entry points
// pass their own directory (out/main) because shared code may be bundled into a chunk elsewhere.
import { join } from 'node:path';

export interface BundlePaths {
  /** out/main/node-worker.js: the worker thread entry that runs one node. */
  workerScript: string;
  /** out/main/electron-main.js: the Electron app's main module. */
  electronMain: string;
  /** out/preload/preload.cjs */
  preloadScript: string;
  /** out/renderer: the built Vue app (index.html and assets/). */
  rendererDir: string;
}

export function bundlePaths(mainDir: string): BundlePaths {
  return {
    workerScript: join(mainDir, 'node-worker.js'),
    electronMain: join(mainDir, 'electron-main.js'),
    preloadScript: join(mainDir, '..', 'preload', 'preload.cjs'),
    rendererDir: join(mainDir, '..', 'renderer'),
  };
}
