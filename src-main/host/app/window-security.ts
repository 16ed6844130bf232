// The Electron window's security settings, as data and small functions that need no Electron, so
// that a unit test can hold them to what docs/security.md promises (Electron cannot run in CI).
// src-main/electron/main.ts applies them; it imports Electron, this module never does.
//
// The renderer is untrusted: it runs sandboxed, with context isolation and no Node, may not leave
// the lab's own origin, open windows, attach webviews or get any permission, and reaches the host
// only over the IPC channels listed here, from a frame of the lab's own origin.
import { IPC_CALL_CHANNEL, IPC_PUSH_CHANNEL } from '../../api/index.js';

/** The renderer is served from this scheme (a real origin, so that the CSP header applies). */
export const LAB_SCHEME = 'replicalab';
export const LAB_ORIGIN = `${LAB_SCHEME}://app`;
export const LAB_PAGE_URL = `${LAB_ORIGIN}/index.html`;

/** The only IPC channels: the renderer invokes `call`, the host sends on `push`. Nothing else is handled. */
export const IPC_CHANNELS = Object.freeze({ call: IPC_CALL_CHANNEL, push: IPC_PUSH_CHANNEL });

/** BrowserWindow's webPreferences. Each is Electron's safe value, written out so no default can change it. */
export function labWebPreferences(preload: string) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
  } as const;
}

/** Whether an IPC message comes from the lab's own page (a frame of our origin, not another page or an iframe elsewhere). */
export function isLabFrame(frameUrl: string | undefined | null): boolean {
  if (typeof frameUrl !== 'string') return false;
  try {
    const url = new URL(frameUrl);
    return url.protocol === `${LAB_SCHEME}:` && url.host === 'app';
  } catch {
    return false;
  }
}

/** What of a webContents the guards below use (Electron's WebContents has these). */
export interface GuardedContents {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
}

/**
 * Every webContents (the window's and any other): no new windows (a link with target=_blank, or
 * window.open), no navigation or redirect away from the page (a reload is not a navigation), no
 * webview. Links to the outside are not followed at all: the lab has none the user needs.
 */
export function guardWebContents(contents: GuardedContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** The session's permission handlers: the lab needs no camera, notifications, clipboard or anything else. */
export const denyPermissionRequest = (_contents: unknown, _permission: string, callback: (granted: boolean) => void): void =>
  callback(false);
export const denyPermissionCheck = (): boolean => false;
