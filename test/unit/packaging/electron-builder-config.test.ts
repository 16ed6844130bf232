// electron-builder.yml as electron-builder itself reads and checks it: loaded with its own config
// loader, validated against its own schema (what `npm run dist` does before building), and its
// asarUnpack patterns run through its own file matcher against the built files. Needs `npm run build`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bundlePaths, unpackedFromAsar } from '../../../src-main/host/app/bundle-paths.js';
import { ROOT } from '../../support/servers.js';

// app-builder-lib is electron-builder's library (the `electron-builder` CLI is a thin wrapper of it).
const require = createRequire(join(ROOT, 'node_modules', 'electron-builder', 'package.json'));
const appBuilderLib = dirname(require.resolve('app-builder-lib/package.json'));
type Config = Record<string, unknown> & { asarUnpack: string[]; files: string[] };
const { getConfig, validateConfiguration } = require(join(appBuilderLib, 'out', 'util', 'config', 'config.js')) as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<Config>;
  validateConfiguration(config: Config, logger: unknown): Promise<void>;
};
const { getFileMatchers } = require(join(appBuilderLib, 'out', 'fileMatcher.js')) as {
  getFileMatchers(
    config: Config,
    name: string,
    destination: string,
    options: { macroExpander: (s: string) => string; customBuildOptions: object; globalOutDir: string; defaultSrc: string },
  ): Array<{ createFilter(): (file: string, stat: ReturnType<typeof statSync>) => boolean }> | null;
};
const builderUtil = createRequire(join(appBuilderLib, 'package.json'))('builder-util') as {
  DebugLogger: new (enabled: boolean) => unknown;
  log: { stream: NodeJS.WritableStream };
};
const { DebugLogger } = builderUtil;
// electron-builder logs ("loaded configuration") to stdout, which the test runner reserves for itself.
builderUtil.log.stream = process.stderr;

const loadConfig = (): Promise<Config> => getConfig(ROOT, null, null);

test('electron-builder.yml passes electron-builder’s own validation, and a wrong option would not', async () => {
  const config = await loadConfig();
  await validateConfiguration(config, new DebugLogger(false));
  await assert.rejects(
    validateConfiguration({ ...config, linux: { target: ['AppImage'], iconn: 'x' } }, new DebugLogger(false)),
    /configuration/,
  );
  await assert.rejects(validateConfiguration({ ...config, asarUnpak: [] }, new DebugLogger(false)), /asarUnpak/);
});

test('the targets are AppImage and deb on Linux, dmg on macOS, nsis on Windows, with the generated icons', async () => {
  const config = (await loadConfig()) as Config & Record<'linux' | 'mac' | 'win', { target: unknown; icon: string }>;
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  assert.equal(config.mac.target, 'dmg');
  assert.equal(config.win.target, 'nsis');
  assert.equal(config.linux.icon, 'build/icons');
  assert.equal(config.mac.icon, 'build/icon.icns');
  assert.equal(config.win.icon, 'build/icon.ico');
  for (const icon of [config.linux.icon, config.mac.icon, config.win.icon]) assert.ok(existsSync(join(ROOT, icon)), icon);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };
  assert.equal(pkg.main, 'out/main/electron-main.js', 'the packaged app starts the Electron shell');
  assert.match(pkg.scripts.dist!, /scripts\/dist\.ts/);
});

/** The modules the node worker loads: its own file and every chunk it imports, transitively. */
function workerModules(): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from\s+"(\.[^"]+)"/g)) visit(join(dirname(file), spec!));
  };
  visit(join(ROOT, 'out', 'main', 'node-worker.js'));
  return [...seen];
}

test('asarUnpack covers better-sqlite3’s native addon and the node worker with every chunk it imports', async () => {
  const config = await loadConfig();
  const [matcher] = getFileMatchers(config, 'asarUnpack', join(ROOT, 'dist'), {
    macroExpander: (s) => s,
    customBuildOptions: {},
    globalOutDir: join(ROOT, 'dist'),
    defaultSrc: ROOT,
  })!;
  const unpacked = matcher!.createFilter();
  const addon = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
  const mustUnpack = [addon, ...workerModules()];
  assert.ok(mustUnpack.length >= 2 && mustUnpack.some((f) => f.includes('chunks')), `the worker imports chunks: ${mustUnpack.join(', ')}`);
  for (const file of mustUnpack) assert.ok(unpacked(file, statSync(file)), `${file} would stay inside app.asar`);
  // and not everything: the renderer and the Electron main bundle stay packed
  for (const file of [join(ROOT, 'out', 'main', 'electron-main.js'), join(ROOT, 'package.json')])
    assert.ok(!unpacked(file, statSync(file)), `${file} needlessly unpacked`);
});

test('in a packaged app the worker is loaded from app.asar.unpacked; elsewhere from where it is', () => {
  const packaged = '/opt/ReplicaLab/resources/app.asar/out/main';
  assert.equal(bundlePaths(packaged).workerScript, '/opt/ReplicaLab/resources/app.asar.unpacked/out/main/node-worker.js');
  assert.equal(bundlePaths('/home/me/replica-lab/out/main').workerScript, '/home/me/replica-lab/out/main/node-worker.js');
  assert.equal(
    unpackedFromAsar('C:\\Program Files\\ReplicaLab\\resources\\app.asar\\out\\main\\node-worker.js', '\\'),
    'C:\\Program Files\\ReplicaLab\\resources\\app.asar.unpacked\\out\\main\\node-worker.js',
  );
});
