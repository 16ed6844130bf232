// The Electron window, driven by Playwright's Electron support: the app starts its lab with three
// running nodes, the sandboxed renderer sees only the preload's bridge, and quitting stops the
// nodes. Where Electron's binary could not be downloaded (as on our CI machine) the test is skipped
// and says so; browser mode is covered by test/integration/host/browser-mode.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { rmSync } from 'node:fs';
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
