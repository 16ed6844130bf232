// The renderer's only door to the lab host. Everything else imports `lab`, `onLabPush` and
// `onConnectionChange` from here and never learns whether IPC or a WebSocket carries them.
import { LAB_METHODS, type LabApi, type LabPush } from '@api/index.js';
import type { LabBridge } from '@api/wire.js';
import type { ConnectionListener } from './connection-state.js';
import { createWebSocketBridge, labSocketUrl, type WebSocketBridge } from './websocket-bridge.js';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); absent in browser mode. */
    replicaLab?: LabBridge;
  }
}

const electronBridge = window.replicaLab;
/** True in a browser tab served by browser mode (token-protected), false in the Electron window. */
export const inBrowserMode = electronBridge === undefined;
const bridge: LabBridge | WebSocketBridge = electronBridge ?? createWebSocketBridge(labSocketUrl(window.location));

/**
 * Trailing `undefined` arguments are dropped rather than sent: JSON would turn them into `null`,
 * which the host would have to tell apart from a deliberate value.
 */
function paramsOf(args: unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return args.slice(0, end);
}

/**
 * Errors crossing Electron IPC arrive wrapped ("Error invoking remote method 'lab:call': Error: …");
 * the host's message is meant for people, so keep only that part.
 */
function humanError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(message.replace(/^Error invoking remote method '[^']*': (?:Error: )?/, ''));
}

/** One method per whitelisted name, so the client can never drift from the contract. */
export const lab = Object.fromEntries(
  LAB_METHODS.map((method) => [
    method,
    (...args: unknown[]) => bridge.call(method, paramsOf(args)).catch((error: unknown) => Promise.reject(humanError(error))),
  ]),
) as unknown as LabApi;

export function onLabPush(listener: (push: LabPush) => void): () => void {
  return bridge.onPush(listener);
}

/** The Electron IPC link cannot drop while the window exists, so it is reported as always connected. */
export function onConnectionChange(listener: ConnectionListener): () => void {
  if ('onConnectionChange' in bridge) return bridge.onConnectionChange(listener);
  listener({ state: 'connected', failedAttempts: 0 });
  return () => {};
}
