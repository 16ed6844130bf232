// The Electron shell: one window showing the renderer, and the lab host running in this main
// process. Kept thin on purpose: everything it does beyond window chores is shared with browser mode
// (LabHost, request validation in host/transport/api-dispatch.ts, the renderer's files and CSP), and
// the chores' own logic lives in the host where it is tested without Electron (window placement in
// host/app/window-state.ts, the About text in host/app/about.ts, the quit order in
// host/nodes/shutdown-order.ts).
//
// Security (host/app/window-security.ts, docs/security.md): the renderer is sandboxed with context
// isolation and no Node; it reaches the host only through the preload's whitelisted bridge. It is served from our own `replicalab://` scheme rather
// than file:// so that it gets a real origin and our Content-Security-Policy header. It may not open
// windows, navigate away, or get any permission.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session, shell, type MenuItemConstructorOptions } from 'electron';
import { copyFile, readFile, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ExportedArchive, LabResponse } from '../api/index.js';
import { dispatchLabRequest } from '../host/transport/api-dispatch.js';
import { aboutText } from '../host/app/about.js';
import { bundlePaths } from '../host/app/bundle-paths.js';
import { parseLabArgs } from '../host/app/lab-args.js';
import { loadWindowState, placeWindow, saveWindowState, MIN_WINDOW_SIZE } from '../host/app/window-state.js';
import { LabHost } from '../host/lab-host.js';
import {
  denyPermissionCheck,
  denyPermissionRequest,
  guardWebContents,
  IPC_CHANNELS,
  isLabFrame,
  LAB_PAGE_URL,
  LAB_SCHEME,
  labWebPreferences,
} from '../host/app/window-security.js';
import { rendererCsp, resolveRendererFile } from '../host/transport/renderer-files.js';

const paths = bundlePaths(import.meta.dirname);

// A fixed name, so the lab's data lands in the same userData folder however Electron was started.
// --data-dir moves userData there too (tests use a temporary one): the single-instance lock below
// lives in userData, so it is one window per lab, and two labs in two folders can run side by side.
app.setName('ReplicaLab');
const labArgs = parseLabArgs(process.argv.slice(1), false);
const dataDir = labArgs.dataDir ?? join(app.getPath('appData'), 'ReplicaLab');
app.setPath('userData', dataDir);
app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: LAB_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let window: BrowserWindow | null = null;
let lab: Promise<LabHost> | null = null;
/** Set once the nodes have stopped: the app.quit() that follows must not wait for them again. */
let labClosed = false;
let closingLab: Promise<void> | null = null;

// A second launch (the desktop icon clicked again) must not start a second lab on the same data:
// it hands over to this one, which brings its window forward, and exits.
if (!app.requestSingleInstanceLock()) {
  labClosed = true;
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  app.whenReady().then(start);
}

// The guards and settings are in host/app/window-security.ts, where a unit test checks them.
app.on('web-contents-created', (_event, contents) => guardWebContents(contents));

function start(): void {
  protocol.handle(LAB_SCHEME, serveRenderer);
  session.defaultSession.setPermissionRequestHandler(denyPermissionRequest);
  session.defaultSession.setPermissionCheckHandler(denyPermissionCheck);

  const labReady = LabHost.open({ dataDir, workerScript: paths.workerScript, logRotation: labArgs.logRotation });
  lab = labReady;
  // Requests that arrive while the lab is still starting its nodes wait for it.
  ipcMain.handle(IPC_CHANNELS.call, async (event, request: unknown): Promise<LabResponse> => {
    if (!isLabFrame(event.senderFrame?.url)) return { id: -1, ok: false, error: 'not the lab window' };
    const response = await dispatchLabRequest(await labReady, request);
    // Export in the window: the host wrote the archive; the user says where it goes (browser mode downloads it).
    if (response.ok && (request as { method?: unknown }).method === 'exportLogs')
      return { ...response, result: await offerArchive(response.result as ExportedArchive) };
    return response;
  });

  const primary = screen.getPrimaryDisplay();
  const others = screen.getAllDisplays().filter((display) => display.id !== primary.id);
  const placed = placeWindow(
    loadWindowState(dataDir),
    [primary, ...others].map((display) => display.workArea),
  );
  const win = new BrowserWindow({
    ...placed.bounds,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: 'ReplicaLab',
    webPreferences: labWebPreferences(paths.preloadScript),
  });
  window = win;
  if (placed.maximized) win.maximize();
  rememberWindowState(win);
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate()));

  labReady.then(
    (host) =>
      host.onPush((push) => {
        if (win.isDestroyed()) return;
        win.webContents.send(IPC_CHANNELS.push, push);
        // Quitting: the renderer shows each step; the title and the taskbar's progress bar too.
        if (push.type === 'closing') {
          win.setProgressBar(push.total === 0 ? 1 : push.stopped / push.total);
          win.setTitle(push.stopping.length ? `ReplicaLab — stopping ${push.stopping.join(', ')}…` : 'ReplicaLab — all nodes stopped');
        }
      }),
    (error: unknown) => {
      dialog.showErrorBox('ReplicaLab could not start its lab', messageOf(error));
      labClosed = true;
      app.quit();
    },
  );
  // Closing the window quits, but the window stays up while the nodes stop, to show how far it is.
  win.on('close', (event) => {
    if (labClosed) return;
    event.preventDefault();
    app.quit();
  });
  void win.loadURL(LAB_PAGE_URL);
}

/** Saves the window's normal bounds and maximized state whenever they settle, and when it closes. */
function rememberWindowState(win: BrowserWindow): void {
  let timer: NodeJS.Timeout | null = null;
  const save = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (win.isDestroyed() || win.isMinimized()) return;
    try {
      saveWindowState(dataDir, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (error) {
      console.error(`ReplicaLab: could not remember the window's place: ${messageOf(error)}`);
    }
  };
  const later = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('maximize', later);
  win.on('unmaximize', later);
  win.on('close', save);
}

function menuTemplate(): MenuItemConstructorOptions[] {
  const isMac = process.platform === 'darwin';
  const labItems: MenuItemConstructorOptions[] = [
    { label: 'Export Logs…', accelerator: 'CmdOrCtrl+E', click: () => void exportFromMenu() },
    { label: 'Open Data Folder', click: () => void shell.openPath(dataDir) },
  ];
  const about: MenuItemConstructorOptions = { label: 'About ReplicaLab', click: () => void showAbout() };
  return [
    ...(isMac
      ? [
          {
            label: 'ReplicaLab',
            submenu: [about, { type: 'separator' }, { role: 'hide' }, { type: 'separator' }, { role: 'quit' }],
          } as MenuItemConstructorOptions,
        ]
      : []),
    { label: 'File', submenu: [...labItems, { type: 'separator' }, isMac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    { role: 'help', submenu: isMac ? [] : [about] },
  ];
}

async function exportFromMenu(): Promise<void> {
  if (!lab) return;
  try {
    const archive = await offerArchive(await (await lab).exportLogs());
    if (archive.file) shell.showItemInFolder(archive.file);
  } catch (error) {
    dialog.showErrorBox('Could not export the logs', messageOf(error));
  }
}

/**
 * Asks where the exported archive should go and moves it there; if the user cancels, it stays in
 * the lab's exports folder, where the host wrote it. Returns the archive with its final place.
 */
async function offerArchive(archive: ExportedArchive): Promise<ExportedArchive> {
  const options = { title: 'Save the exported logs', defaultPath: join(app.getPath('downloads'), archive.name) };
  const choice = window && !window.isDestroyed() ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  if (choice.canceled || !choice.filePath) return archive;
  await moveFile(archive.file, choice.filePath);
  return { ...archive, name: basename(choice.filePath), file: choice.filePath };
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    // Another disk: copy, then remove the original.
    await copyFile(from, to);
    await rm(from, { force: true });
  }
}

async function showAbout(): Promise<void> {
  const options = {
    type: 'info' as const,
    title: 'About ReplicaLab',
    message: 'ReplicaLab',
    detail: aboutText(process.versions),
    buttons: ['OK'],
  };
  if (window && !window.isDestroyed()) await dialog.showMessageBox(window, options);
  else await dialog.showMessageBox(options);
}

app.on('window-all-closed', () => app.quit());

// Quitting waits for every node to stop gracefully (masters first, each waiting for its replicas;
// see LabHost.close), while the window shows the progress, then really quits.
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
    headers: { 'Content-Security-Policy': rendererCsp(), 'Content-Type': file.contentType, 'X-Content-Type-Options': 'nosniff' },
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
