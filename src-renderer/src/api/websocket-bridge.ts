// A LabBridge over the browser-mode WebSocket (see the wire rules in src-main/api/wire.ts).
//
// The preload gives Electron windows the same LabBridge over IPC; this file exists so that the page
// served by `--headless` browser mode behaves identically. It adds what a socket needs and IPC does
// not: request ids, reconnecting after the host goes away, and reporting that to the UI.
import type { LabMethod, LabPush } from '@api/index.js';
import { BROWSER_WS_PATH, type LabBridge, type LabRequest, type LabServerFrame } from '@api/wire.js';
import type { ConnectionListener, ConnectionStatus } from './connection-state.js';

/** Retry quickly at first (a restarting host is back within a second) but do not spin on a dead one. */
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 3000];

interface PendingCall {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export interface WebSocketBridge extends LabBridge {
  onConnectionChange(listener: ConnectionListener): () => void;
}

/**
 * The socket URL for the page we were served from. The HttpOnly cookie set with the page already
 * authenticates the upgrade; the `?token=` from the address bar is passed too, so the socket still
 * works where cookies are blocked.
 */
export function labSocketUrl(page: Location): string {
  const url = new URL(BROWSER_WS_PATH, page.href);
  url.protocol = page.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  const token = new URLSearchParams(page.search).get('token');
  if (token) url.searchParams.set('token', token);
  return url.href;
}

export function createWebSocketBridge(url: string): WebSocketBridge {
  const pushListeners = new Set<(push: LabPush) => void>();
  const connectionListeners = new Set<ConnectionListener>();
  const pending = new Map<number, PendingCall>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let status: ConnectionStatus = { state: 'connecting', failedAttempts: 0 };

  function setStatus(next: ConnectionStatus): void {
    status = next;
    for (const listener of connectionListeners) listener(status);
  }

  function connect(): void {
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => setStatus({ state: 'connected', failedAttempts: 0 });
    ws.onmessage = (message) => receive(String(message.data));
    // `error` is always followed by `close`; everything is handled there.
    ws.onclose = () => {
      socket = null;
      // Calls in flight will never be answered by this socket: fail them now so no button stays busy.
      const lost = new Error('The connection to the lab host was lost; the request may or may not have been carried out.');
      for (const call of pending.values()) call.reject(lost);
      pending.clear();
      const failedAttempts = status.state === 'connected' ? 0 : status.failedAttempts + 1;
      setStatus({ state: 'reconnecting', failedAttempts });
      const delay = RECONNECT_DELAYS_MS[Math.min(failedAttempts, RECONNECT_DELAYS_MS.length - 1)];
      setTimeout(connect, delay);
    };
  }

  function receive(text: string): void {
    let frame: LabServerFrame;
    try {
      frame = JSON.parse(text) as LabServerFrame;
    } catch {
      console.error('ReplicaLab: ignoring a frame that is not JSON', text.slice(0, 200));
      return;
    }
    if (frame.kind === 'push') {
      for (const listener of pushListeners) listener(frame.push);
      return;
    }
    const call = pending.get(frame.id);
    if (!call) return;
    pending.delete(frame.id);
    if (frame.ok) call.resolve(frame.result);
    else call.reject(new Error(frame.error));
  }

  connect();

  return {
    call(method: LabMethod, params: unknown[]): Promise<unknown> {
      if (!socket || socket.readyState !== WebSocket.OPEN) {
        return Promise.reject(new Error('Not connected to the lab host; reconnecting, try again in a moment.'));
      }
      const request: LabRequest = { id: nextId++, method, params };
      const ws = socket;
      return new Promise((resolve, reject) => {
        pending.set(request.id, { resolve, reject });
        ws.send(JSON.stringify(request));
      });
    },
    onPush(listener) {
      pushListeners.add(listener);
      return () => pushListeners.delete(listener);
    },
    onConnectionChange(listener) {
      connectionListeners.add(listener);
      listener(status);
      return () => connectionListeners.delete(listener);
    },
  };
}
