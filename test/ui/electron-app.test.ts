// The Electron window, driven by Playwright's Electron support: the app starts its lab with three
// running nodes, the sandboxed renderer sees only the preload's bridge, the menu has the lab's
// items, a second launch on the same data hands over to the first, the window's place is
// remembered, and quitting stops the nodes. Where Electron's binary could not be downloaded (as on
// our CI machine) these tests are skipped and say so; what they rely on is tested without Electron
// too (test/unit/host/window-state.test.ts, about.test.ts, shutdown-order.test.ts,
// test/integration/host/quit-order.test.ts), and browser mode in test/integration/host/browser-mode.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { _electron } from 'playwright-core';
import type { LabBridge, NodeSummary } from '../../src-main/api/index.js';
import { findElectronBinary } from '../../src-main/host/app/electron-binary.js';
import { redisCli, ROOT, tempDir } from '../support/servers.js';

const electronBinary = findElectronBinary();
const skip = electronBinary
  ? false
  : 'skipped: Electron binary is not installed here (npm could not download it, so the optional dependency is absent)';

function portRefuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

test('the Electron window runs the lab: three live nodes behind a sandboxed bridge', { skip }, async () => {
  const dataDir = tempDir('replicalab-electron-');
  const app = await _electron.launch({
    executablePath: electronBinary!,
    args: [join(ROOT, 'out', 'main', 'electron-main.js'), '--data-dir', dataDir],
  });
  try {
    const window = await app.firstWindow();
    await window.waitForLoadState('domcontentloaded');

    // The renderer has no Node, and the bridge has exactly the two functions of LabBridge.
    const surface = await window.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys((globalThis as unknown as { replicaLab: LabBridge }).replicaLab).sort(),
    }));
    assert.deepEqual(surface, { require: 'undefined', process: 'undefined', bridge: ['call', 'onPush'] });

    const nodes = await window.evaluate(
      () => (globalThis as unknown as { replicaLab: LabBridge }).replicaLab.call('listNodes', []) as Promise<NodeSummary[]>,
    );
    assert.equal(nodes.length, 3);
    for (const node of nodes) {
      assert.equal(node.status, 'running', `${node.name}: ${node.lastError}`);
      assert.equal(redisCli(node.port, ['PING']), 'PONG');
    }
    await assert.rejects(
      window.evaluate(() => (globalThis as unknown as { replicaLab: LabBridge }).replicaLab.call('eval' as never, [])),
      /unknown method/,
    );

    await app.close();
    for (const node of nodes) assert.ok(await portRefuses(node.port), `${node.name} still listens on ${node.port} after quit`);
  } finally {
    await app.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

const launch = (dataDir: string) =>
  _electron.launch({ executablePath: electronBinary!, args: [join(ROOT, 'out', 'main', 'electron-main.js'), '--data-dir', dataDir] });

test('the menu: Export Logs…, Open Data Folder, About ReplicaLab', { skip }, async () => {
  const dataDir = tempDir('replicalab-electron-menu-');
  const app = await launch(dataDir);
  try {
    await app.firstWindow();
    const labels = await app.evaluate(({ Menu }) => {
      const walk = (items: Electron.MenuItem[]): string[] =>
        items.flatMap((item) => [item.label, ...(item.submenu ? walk(item.submenu.items) : [])]);
      return walk(Menu.getApplicationMenu()!.items);
    });
    for (const label of ['Export Logs…', 'Open Data Folder', 'About ReplicaLab'])
      assert.ok(labels.includes(label), `${label} in ${labels.join(', ')}`);
  } finally {
    await app.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a second launch on the same data exits at once and leaves the first window running', { skip }, async () => {
  const dataDir = tempDir('replicalab-electron-single-');
  const app = await launch(dataDir);
  try {
    await app.firstWindow();
    const second = spawn(electronBinary!, [join(ROOT, 'out', 'main', 'electron-main.js'), '--data-dir', dataDir], { stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    assert.equal(code, 0, 'the second instance quits by itself');
    assert.equal(app.windows().length, 1, 'still one window');
    assert.equal(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.isVisible()), true);
  } finally {
    await app.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('the window opens where it was left', { skip }, async () => {
  const dataDir = tempDir('replicalab-electron-window-');
  try {
    const first = await launch(dataDir);
    await first.firstWindow();
    await first.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.setBounds({ x: 40, y: 50, width: 900, height: 640 }));
    await first.close();
    const file = join(dataDir, 'window-state.json');
    assert.ok(existsSync(file));
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).bounds, { x: 40, y: 50, width: 900, height: 640 });
    const again = await launch(dataDir);
    try {
      await again.firstWindow();
      const bounds = await again.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.getBounds());
      assert.deepEqual({ width: bounds.width, height: bounds.height }, { width: 900, height: 640 });
    } finally {
      await again.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
