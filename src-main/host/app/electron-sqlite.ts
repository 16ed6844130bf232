// For `npm start` in a checkout only: the packaged app (`npm run dist`) has better-sqlite3 rebuilt
// for Electron by electron-builder and loads it normally, without any of this.
//
// better-sqlite3 is a native addon, and a native addon is built for one ABI: `npm install` builds it
// for the Node that ran npm, which is what browser mode, the CLI and the tests use. Electron embeds
// a different Node ABI, so the Electron window needs its own build of the same addon. Rebuilding
// node_modules in place (what @electron/rebuild and electron-builder's install-app-deps do) would
// break browser mode and the tests, so
// the launcher keeps the Electron build beside it, in node_modules/.cache, and tells Electron's main
// process where it is (REPLICALAB_SQLITE_BINDING, read by store/lab-store.ts as better-sqlite3's
// `nativeBinding`). It is made once per Electron version: first from better-sqlite3's published
// Electron prebuild (prebuild-install, the same tool its own install script uses), else compiled
// against Electron's headers with node-gyp.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const SQLITE_BINDING_ENV = 'REPLICALAB_SQLITE_BINDING';

/** Returns the path of an Electron-ABI better_sqlite3.node, building it if needed; throws with the tools' output if it cannot. */
export function ensureElectronSqliteBinding(electronVersion: string, log: (line: string) => void): string {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('better-sqlite3/package.json'));
  const modulesDir = dirname(packageDir);
  const cacheDir = join(
    modulesDir,
    '.cache',
    'replica-lab',
    `better-sqlite3-electron-${electronVersion}-${process.platform}-${process.arch}`,
  );
  const binding = join(cacheDir, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return binding;

  log(`Preparing better-sqlite3 for Electron ${electronVersion} (once per Electron version) in ${cacheDir}`);
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(dirname(cacheDir), { recursive: true });
  cpSync(packageDir, cacheDir, { recursive: true, filter: (src) => !src.startsWith(join(packageDir, 'build')) });

  const attempts: Array<{ what: string; args: () => string[] }> = [
    {
      what: 'prebuild-install',
      args: () => [
        require.resolve('prebuild-install/bin.js'),
        '--runtime',
        'electron',
        '--target',
        electronVersion,
        '--arch',
        process.arch,
      ],
    },
    {
      what: 'node-gyp',
      args: () => [
        nodeGypScript(),
        'rebuild',
        '--release',
        '--runtime=electron',
        `--target=${electronVersion}`,
        '--dist-url=https://electronjs.org/headers',
      ],
    },
  ];
  const failures: string[] = [];
  for (const attempt of attempts) {
    try {
      // nodedir would point node-gyp at the system Node's headers instead of Electron's.
      const r = spawnSync(process.execPath, attempt.args(), {
        cwd: cacheDir,
        encoding: 'utf8',
        env: { ...process.env, npm_config_nodedir: '' },
      });
      if (r.status === 0 && existsSync(binding)) return binding;
      failures.push(`${attempt.what}: ${(r.error?.message ?? `${r.stderr}${r.stdout}`).trim().split('\n').slice(-5).join('\n')}`);
    } catch (err) {
      failures.push(`${attempt.what}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`could not build better-sqlite3 for Electron ${electronVersion}:\n${failures.join('\n')}`);
}

/** node-gyp as npm ships it: npm tells scripts it runs where, else it sits beside npm itself. */
function nodeGypScript(): string {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found) throw new Error('node-gyp not found (it ships with npm)');
  return found;
}

/** The installed Electron's version (its package.json), or null. */
export function installedElectronVersion(): string | null {
  try {
    const require = createRequire(import.meta.url);
    return (JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}
