// The Electron window's security, checked without Electron (it cannot run in CI): the settings and
// guards main.ts applies (host/app/window-security.ts), the CSP its pages get, the IPC channels main
// and the preload use, and the request checks both sides run on what the renderer sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  denyPermissionCheck,
  denyPermissionRequest,
  guardWebContents,
  IPC_CHANNELS,
  isLabFrame,
  LAB_PAGE_URL,
  labWebPreferences,
  type GuardedContents,
} from '../../../src-main/host/app/window-security.js';
import { rendererCsp } from '../../../src-main/host/transport/renderer-files.js';
import { checkedLabRequest, LAB_METHODS } from '../../../src-main/api/index.js';
import { dispatchLabRequest } from '../../../src-main/host/transport/api-dispatch.js';
import type { LabApi } from '../../../src-main/api/index.js';
import { ROOT } from '../../support/servers.js';

const source = (file: string): string => readFileSync(join(ROOT, 'src-main', file), 'utf8');

test('the window is sandboxed, context-isolated, without Node, webviews or insecure content', () => {
  const prefs = labWebPreferences('/app/preload.cjs');
  assert.equal(prefs.preload, '/app/preload.cjs');
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.nodeIntegrationInWorker, false);
  assert.equal(prefs.nodeIntegrationInSubFrames, false);
  assert.equal(prefs.webSecurity, true);
  assert.equal(prefs.allowRunningInsecureContent, false);
  assert.equal(prefs.webviewTag, false);
  // main.ts uses these, and enables the sandbox for every renderer.
  const main = source('electron/main.ts');
  assert.match(main, /webPreferences: labWebPreferences\(paths\.preloadScript\)/);
  assert.match(main, /app\.enableSandbox\(\)/);
  assert.doesNotMatch(main, /nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false|webSecurity:\s*false/);
});

test('the pages get a strict Content-Security-Policy: own scripts only, no eval, no inline script', () => {
  const csp = new Map(
    rendererCsp()
      .split('; ')
      .map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')] as const),
  );
  assert.equal(csp.get('default-src'), "'self'");
  assert.equal(csp.get('script-src'), "'self'");
  assert.equal(csp.get('object-src'), "'none'");
  assert.equal(csp.get('base-uri'), "'none'");
  assert.equal(csp.get('frame-ancestors'), "'none'");
  assert.equal(csp.get('form-action'), "'none'");
  assert.equal(csp.get('connect-src'), "'self'");
  assert.match(source('electron/main.ts'), /'Content-Security-Policy': rendererCsp\(\)/);
});

test('navigation, redirects, new windows and webviews are refused; every permission is denied', () => {
  const listeners = new Map<string, (event: { preventDefault(): void }) => void>();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents: GuardedContents = {
    setWindowOpenHandler: (handler) => void (openHandler = handler),
    on: (event, listener) => listeners.set(event, listener),
  };
  guardWebContents(contents);
  assert.deepEqual(openHandler!({ url: 'https://example.com/' }), { action: 'deny' });
  for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
    let prevented = false;
    listeners.get(name)!({ preventDefault: () => (prevented = true) });
    assert.ok(prevented, `${name} is prevented`);
  }
  assert.match(source('electron/main.ts'), /app\.on\('web-contents-created', \(_event, contents\) => guardWebContents\(contents\)\)/);

  let granted: boolean | null = null;
  denyPermissionRequest(null, 'media', (g) => (granted = g));
  assert.equal(granted, false);
  assert.equal(denyPermissionCheck(), false);
});

test('IPC: only the whitelisted channels are used, and only from a frame of the lab origin', () => {
  assert.deepEqual(Object.values(IPC_CHANNELS).sort(), ['lab:call', 'lab:push']);
  // Every ipcMain / ipcRenderer / webContents.send call names one of the two channel constants.
  const uses = [source('electron/main.ts'), source('electron/preload.ts')].flatMap((text) =>
    [...text.matchAll(/\b(?:ipcMain\.\w+|ipcRenderer\.\w+|webContents\.send)\(([^,)]+)/g)].map((m) => m[1]!.trim()),
  );
  assert.ok(uses.length >= 4, uses.join(', '));
  for (const channel of uses) assert.match(channel, /^(IPC_CHANNELS\.(call|push)|IPC_(CALL|PUSH)_CHANNEL)$/, `channel ${channel}`);

  assert.equal(isLabFrame(LAB_PAGE_URL), true);
  assert.equal(isLabFrame('replicalab://app/assets/x.js'), true);
  for (const url of [
    undefined,
    null,
    '',
    'https://example.com/',
    'file:///etc/passwd',
    'replicalab://evil/index.html',
    'replicalab://app.evil/',
    'http://replicalab/app',
    'not a url',
  ])
    assert.equal(isLabFrame(url), false, String(url));
});

test("the preload's request check refuses unknown methods and bad parameters, with the host's messages", async () => {
  assert.deepEqual(checkedLabRequest(1, 'listNodes', []), { id: 1, method: 'listNodes', params: [] });
  const bad: Array<[unknown, unknown, RegExp]> = [
    ['constructor', [], /unknown method "constructor"/],
    ['__proto__', [], /unknown method/],
    ['toString', [], /unknown method/],
    [42, [], /unknown method 42/],
    [null, [], /unknown method null/],
    ['listNodes', 'not-an-array', /params must be an array/],
    ['listNodes', { length: 0 }, /params must be an array/],
    ['stopNode', [], /node id/],
    ['stopNode', [''], /node id/],
    ['stopNode', ['x'.repeat(65)], /node id/],
    ['stopNode', [{ toString: () => 'n1' }], /node id/],
    ['consoleRun', ['n1', 'x'.repeat(64 * 1024 + 1)], /./],
  ];
  for (const [method, params, message] of bad) {
    assert.throws(() => checkedLabRequest(1, method, params), message, `${String(method)} ${JSON.stringify(params)}`);
  }
  // The main process gives the same refusals to a renderer that bypasses the preload, and never
  // calls the host for them.
  const called: string[] = [];
  const host = new Proxy({} as LabApi, { get: (_t, name) => () => Promise.resolve(void called.push(String(name))) });
  for (const [method, params, message] of bad) {
    const response = await dispatchLabRequest(host, { id: 3, method, params });
    assert.equal(response.ok, false);
    assert.match((response as { error: string }).error, message);
  }
  for (const request of [null, 'listNodes', [], { method: 'listNodes' }, { id: 'x', method: 'listNodes', params: [] }]) {
    assert.equal((await dispatchLabRequest(host, request)).ok, false, JSON.stringify(request));
  }
  assert.deepEqual(called, []);
  assert.equal((await dispatchLabRequest(host, { id: 4, method: 'listNodes', params: [] })).ok, true);
  assert.deepEqual(called, ['listNodes']);
  assert.ok(LAB_METHODS.length > 10);
});
