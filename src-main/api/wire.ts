// How LabApi calls and pushes travel: the frames both transports carry, the Electron IPC channel
// names and bridge, and browser mode's token and WebSocket path.
import type { LabMethod, LabPush } from './index.js';

// ---- Wire shapes (WebSocket JSON frames and IPC payloads) ----

export interface LabRequest {
  id: number;
  method: LabMethod;
  params: unknown[];
}

export type LabResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** A WebSocket frame from host to renderer is either a response or a push. */
export type LabServerFrame = ({ kind: 'response' } & LabResponse) | ({ kind: 'push' } & { push: LabPush });

/** IPC channel names used by the preload bridge. */
export const IPC_CALL_CHANNEL = 'lab:call';
export const IPC_PUSH_CHANNEL = 'lab:push';

/**
 * What the Electron preload exposes as `window.replicaLab` (contextBridge). In browser mode the
 * renderer builds the same object on top of a WebSocket, so the rest of the renderer sees one shape.
 */
export interface LabBridge {
  call(method: LabMethod, params: unknown[]): Promise<unknown>;
  /** Returns an unsubscribe function. */
  onPush(listener: (push: LabPush) => void): () => void;
}

// ---- Browser mode (src-main/host/transport/browser-server.ts) ----
// The launcher prints one line `UI: http://127.0.0.1:<port>/?token=<token>`.
// Every HTTP request and the WebSocket upgrade must carry the token, either as `?token=` in the URL
// or as the `replicalab_token` cookie (HttpOnly, SameSite=Strict) that the server sets when it
// serves the page for a request with a valid `?token=`; anything else gets 401 (no/invalid token).
// The WebSocket lives at `/ws` on the same port; frames are JSON: renderer -> host `LabRequest`,
// host -> renderer `LabServerFrame`.
export const BROWSER_TOKEN_COOKIE = 'replicalab_token';
export const BROWSER_WS_PATH = '/ws';
