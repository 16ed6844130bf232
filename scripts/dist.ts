// `npm run dist [-- <electron-builder options>]`: the desktop packages, after `npm run build`.
// Without options, the targets of electron-builder.yml for this platform (Linux: AppImage and deb;
// macOS: dmg; Windows: nsis); `npm run dist -- --linux dir` makes only the unpacked app.
//
// electron-builder rebuilds better-sqlite3 for Electron's ABI where it finds it, in this project's
// node_modules (@electron/rebuild in place). That build is right for the package and wrong for
// everything else here: browser mode, the CLI and the tests run in plain Node and could no longer
// load the addon. So the Node build is set aside first and put back afterwards, whatever happens.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const require = createRequire(join(root, 'package.json'));
const sqliteBuild = join(dirname(require.resolve('better-sqlite3/package.json')), 'build');
const builderCli = join(dirname(require.resolve('electron-builder/package.json')), 'cli.js');

const saved = mkdtempSync(join(tmpdir(), 'replicalab-sqlite-node-build-'));
cpSync(sqliteBuild, saved, { recursive: true });
let status: number;
try {
  status = spawnSync(process.execPath, [builderCli, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' }).status ?? 1;
} finally {
  rmSync(sqliteBuild, { recursive: true, force: true });
  cpSync(saved, sqliteBuild, { recursive: true });
  rmSync(saved, { recursive: true, force: true });
}
if (status !== 0 && !existsSync(join(root, 'node_modules', 'electron', 'package.json'))) {
  console.error(
    '\ndist: Electron is not installed here (npm could not download its binary, so the optional dependency was dropped).\n' +
      'electron-builder needs the Electron release it packages: install Electron (npm install), or pass\n' +
      '-c.electronVersion=<version> on a machine that can download it from GitHub.',
  );
}
process.exit(status);
