// Build configuration for the three parts of ReplicaLab (read by electron-vite):
//  - main:     everything that runs in Node. Several entries, because the same engine and host are
//              started in different ways: the Electron shell, browser mode, the launcher that picks
//              one of the two, the `replica-lab-server` CLI, the worker thread that hosts a node, the load generator's worker, and
//              the `replica-lab` command (export of a lab's logs).
//  - preload:  the Electron preload script (CommonJS, because sandboxed preloads cannot be ES modules).
//  - renderer: the Vue app, served by Electron from disk or by the browser-mode HTTP server.
import { resolve } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

const here = import.meta.dirname;

// electron-vite picks the Node target from the installed Electron's version. Where Electron's binary
// could not be downloaded (npm drops the optional dependency), tell it the major version we pin in
// package.json instead, so the same build still produces browser mode and the CLI.
if (!process.env.ELECTRON_MAJOR_VER && !existsSync(resolve(here, 'node_modules/electron/package.json'))) {
  const pkg = JSON.parse(readFileSync(resolve(here, 'package.json'), 'utf8'));
  process.env.ELECTRON_MAJOR_VER = String(pkg.optionalDependencies.electron)
    .replace(/^[^0-9]*/, '')
    .split('.')[0];
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Native and runtime dependencies stay in node_modules (better-sqlite3 is a native addon).
      externalizeDeps: true,
      rollupOptions: {
        input: {
          'electron-main': resolve(here, 'src-main/electron/main.ts'),
          launcher: resolve(here, 'src-main/host/app/launcher.ts'),
          'browser-main': resolve(here, 'src-main/host/app/browser-main.ts'),
          'node-worker': resolve(here, 'src-main/host/nodes/worker-thread/node-worker.ts'),
          'sentinel-worker': resolve(here, 'src-main/host/sentinels/sentinel-worker.ts'),
          'load-worker': resolve(here, 'src-main/host/load/load-worker.ts'),
          cli: resolve(here, 'src-main/engine/cli.ts'),
          'replica-lab': resolve(here, 'src-main/host/export/replica-lab-main.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { preload: resolve(here, 'src-main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(here, 'src-renderer'),
    plugins: [vue()],
    // `@api/...` is the typed LabApi contract in src-main/api, shared with the host; the same alias
    // is in tsconfig.json `paths` so that vue-tsc resolves it too.
    resolve: { alias: { '@api': resolve(here, 'src-main/api') } },
    build: {
      outDir: resolve(here, 'out/renderer'),
      rollupOptions: { input: resolve(here, 'src-renderer/index.html') },
    },
  },
});
