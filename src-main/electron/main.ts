// The Electron shell: one window showing the renderer, and the lab host running in this main
// process. Kept thin on purpose: everything it does beyond window chores is shared with browser mode
// (LabHost, request validation in host/transport/api-dispatch.ts, the renderer's files and CSP).
//
// Security: the renderer is sandboxed with context isolation and no Node; it reaches the host only
// through the preload's whitelisted bridge. It is served from our own `replicalab://` scheme rather
// than file:// so that it gets a real origin and our Content-Security-Policy header. It may not open
// windows, navigate away, or get any permission.
import { app, BrowserWindow, dialog, ipcMain, protocol, session } from 'electron';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IPC_CALL_CHANNEL, IPC_PUSH_CHANNEL, type LabResponse } from '../api/index.js';
import { dispatchLabRequest } from '../host/transport/api-dispatch.js';
import { bundlePaths } from '../host/app/bundle-paths.js';
import { parseLabArgs } from '../host/app/lab-args.js';
import { LabHost } from '../host/lab-host.js';
import { rendererCsp, resolveRendererFile } from '../host/transport/renderer-files.js';

const SCHEME = 'replicalab';
const ORIGIN = `${SCHEME}://app`;
const paths = bundlePaths(import.meta.dirname);

// A fixed name, so the lab's data lands in the same userData folder however Electron was started.
app.setName('ReplicaLab');
app.setPath('userData', join(app.getPath('appData'), 'ReplicaLab'));
app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// --data-dir overrides the userData folder (tests use a temporary one).
const labArgs = parseLabArgs(process.argv.slice(1), false);
const dataDir = labArgs.dataDir ?? app.getPath('userData');
let lab: Promise<LabHost> | null = null;
/** Set once the nodes have stopped: the app.quit() that follows must not wait for them again. */
let labClosed = false;
let closingLab: Promise<void> | null = null;

app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.whenReady().then(() => {
  protocol.handle(SCHEME, serveRenderer);
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  const labReady = LabHost.open({ dataDir, workerScript: paths.workerScript, logRotation: labArgs.logRotation });
  lab = labReady;
  // Requests that arrive while the lab is still starting its nodes wait for it.
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, request: unknown): Promise<LabResponse> => {
    if (!event.senderFrame?.url.startsWith(`${ORIGIN}/`)) return { id: -1, ok: false, error: 'not the lab window' };
    return dispatchLabRequest(await labReady, request);
  });

  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'ReplicaLab',
    webPreferences: {
      preload: paths.preloadScript,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  labReady.then(
    (host) =>
      host.onPush((push) => {
        if (!window.isDestroyed()) window.webContents.send(IPC_PUSH_CHANNEL, push);
      }),
    (error: unknown) => {
      dialog.showErrorBox('ReplicaLab could not start its lab', messageOf(error));
      labClosed = true;
      app.quit();
    },
  );
  void window.loadURL(`${ORIGIN}/index.html`);
});

app.on('window-all-closed', () => app.quit());

// Quitting waits for every node to stop gracefully (and save), then really quits.
app.on('before-quit', (event) => {
  if (labClosed || !lab) return;
  event.preventDefault();
  closingLab ??= lab
    .then((host) => host.close())
    .catch((error: unknown) => console.error(`ReplicaLab: could not stop the lab cleanly: ${messageOf(error)}`))
    .finally(() => {
      labClosed = true;
      app.quit();
    });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

async function serveRenderer(request: Request): Promise<Response> {
  const file = resolveRendererFile(paths.rendererDir, new URL(request.url).pathname);
  if (!file) return new Response('Not found', { status: 404 });
  return new Response(await readFile(file.path), {
    headers: { 'Content-Type': file.contentType, 'Content-Security-Policy': rendererCsp(), 'X-Content-Type-Options': 'nosniff' },
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
