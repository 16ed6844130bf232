// Where the built pieces sit relative to each other in out/ (see electron.config.ts). Entry points
// pass their own directory (out/main) because shared code may be bundled into a chunk elsewhere.
// In the packaged app out/ is inside resources/app.asar; what electron-builder.yml's asarUnpack
// lists sits as real files in resources/app.asar.unpacked (see unpackedFromAsar).
import { join, sep } from 'node:path';

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
    workerScript: unpackedFromAsar(join(mainDir, 'node-worker.js')),
    electronMain: join(mainDir, 'electron-main.js'),
    preloadScript: join(mainDir, '..', 'preload', 'preload.cjs'),
    rendererDir: join(mainDir, '..', 'renderer'),
  };
}

/**
 * The real file of something electron-builder unpacked from the app's asar archive. Electron's file
 * functions read inside app.asar, but a worker thread's module loader only reads real files: the
 * node worker (and the chunks it imports) are unpacked for it, and it must be given that path.
 * Outside a packaged app (npm start, browser mode) the path is returned as it is.
 */
export function unpackedFromAsar(path: string, separator: string = sep): string {
  const inAsar = `${separator}app.asar${separator}`;
  return path.includes(inAsar) ? path.replace(inAsar, `${separator}app.asar.unpacked${separator}`) : path;
}
