// Browser mode's server: the built renderer over HTTP and the LabApi over a WebSocket, on 127.0.0.1
// only, and only for whoever holds the token the lab printed (the `UI:` line). Any other local
// program or web page gets 401: without the token a page on another site cannot drive the lab, even
// though it can reach 127.0.0.1. With the token, a foreign Host header (DNS rebinding) or a foreign
// Origin (another site's page, or its WebSocket) still gets 403; docs/security.md lists every guard. After the first page load the token travels in an HttpOnly,
// SameSite=Strict cookie, so the page's assets and WebSocket need no token in their URLs. The token
// is the lab's own (stored in lab.db, host/access/), so it survives a restart of the lab; when it
// is rotated the server switches to the new one at once and closes every open socket.
import { createReadStream, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import {
  BROWSER_TOKEN_COOKIE,
  BROWSER_WS_PATH,
  EXPORT_DOWNLOAD_PATH,
  EXPORT_NAME,
  type LabApi,
  type LabPush,
  type LabServerFrame,
} from '../../api/index.js';
import { dispatchLabRequest } from './api-dispatch.js';
import { rendererCsp, resolveRendererFile } from './renderer-files.js';

/** The lab as this server needs it: the API plus its push stream (LabHost is one). */
export interface PushingLabApi extends LabApi {
  onPush(listener: (push: LabPush) => void): () => void;
}

/** The lab's token, stored with the lab (host/access/), and word when it is rotated. */
export interface TokenSource {
  token(): string;
  onRotate(listener: (token: string) => void): () => void;
}

/** The close code a socket gets when the token it was opened with is rotated away. */
export const TOKEN_ROTATED_CLOSE_CODE = 4001;

export interface BrowserServerOptions {
  lab: PushingLabApi;
  access: TokenSource;
  rendererDir: string;
  /** 0 = any free port. */
  port: number;
  /** Where the lab writes exported archives: each is downloadable once at /exports/<name>. */
  exportsDir?: string;
}

export interface BrowserServer {
  /** The port it listens on. */
  readonly port: number;
  /** The URL to open, with the current token. */
  readonly url: string;
  close(): Promise<void>;
}

/** A client that lets this much pile up unread is not reading: it is dropped rather than buffered forever. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const MAX_FRAME_BYTES = 1024 * 1024;

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  let token = options.access.token();
  const http = createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const csp = rendererCsp([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);

  // A rotated token shuts out everyone who held the old one, including open sockets. They are closed
  // on the next turn, so the rotateToken reply (sent when the call's promise settles) goes first.
  const stopWatchingToken = options.access.onRotate((next) => {
    token = next;
    setImmediate(() => {
      for (const client of wss.clients) client.close(TOKEN_ROTATED_CLOSE_CODE, 'token rotated');
    });
  });

  /** null when allowed, else the status and reason to refuse with. */
  const refusal = (req: IncomingMessage): [number, string] | null => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const authorized = tokenMatches(url.searchParams.get('token'), token) || tokenMatches(cookie(req, BROWSER_TOKEN_COOKIE), token);
    if (!authorized) return [401, 'This lab needs its token: open the URL on the "UI:" line that ReplicaLab printed.'];
    // A valid token under a foreign Host name would be a DNS-rebinding trick; refuse it too.
    if (!hosts.has(req.headers.host ?? '')) return [403, 'Unexpected Host header.'];
    // Browsers send Origin on every WebSocket and on cross-origin requests: only the lab's own page
    // may use it (a program that sends no Origin is not a web page, and it holds the token).
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin)) return [403, 'Foreign origin.'];
    return null;
  };

  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const refused = refusal(req);
    if (refused) return sendText(res, ...refused);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Only GET and HEAD.');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname === BROWSER_WS_PATH) return sendText(res, 426, 'This path is a WebSocket.');
    if (url.pathname.startsWith(EXPORT_DOWNLOAD_PATH) && options.exportsDir)
      return sendExport(res, options.exportsDir, url.pathname.slice(EXPORT_DOWNLOAD_PATH.length), req.method === 'HEAD');
    const file = resolveRendererFile(options.rendererDir, url.pathname);
    if (!file) return sendText(res, 404, 'Not found.');

    const isPage = file.contentType.startsWith('text/html');
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // The page's URL carries the token: never leak it in a Referer.
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', isPage ? 'no-store' : 'no-cache');
    if (isPage) {
      res.setHeader('Content-Security-Policy', csp);
      if (tokenMatches(url.searchParams.get('token'), token)) {
        res.setHeader('Set-Cookie', `${BROWSER_TOKEN_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`);
      }
    }
    if (req.method === 'HEAD') return res.end();
    createReadStream(file.path)
      .on('error', () => res.destroy())
      .pipe(res);
  });

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const refused = refusal(req) ?? (url.pathname !== BROWSER_WS_PATH ? ([404, 'Not found.'] as [number, string]) : null);
    if (refused) {
      const [status, reason] = refused;
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveLabApi(ws, options.lab));
  });

  return {
    port,
    get url() {
      return `http://127.0.0.1:${port}/?token=${token}`;
    },
    async close() {
      stopWatchingToken();
      for (const client of wss.clients) client.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** One WebSocket client: LabRequest frames in, LabServerFrame frames (responses and pushes) out. */
function serveLabApi(ws: WebSocket, lab: PushingLabApi): void {
  const send = (frame: LabServerFrame): void => {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) return void ws.terminate();
    ws.send(JSON.stringify(frame));
  };
  const unsubscribe = lab.onPush((push) => send({ kind: 'push', push }));
  ws.on('close', unsubscribe);
  ws.on('message', (data, isBinary) => {
    let request: unknown;
    try {
      if (isBinary) throw new Error('binary frame');
      request = JSON.parse(data.toString());
    } catch {
      ws.close(1007, 'frames must be JSON text');
      return;
    }
    void dispatchLabRequest(lab, request).then((response) => send({ kind: 'response', ...response }));
  });
}

/**
 * An archive the lab exported, as a download. Only names the host makes (no path can be smuggled
 * in), and the file is deleted once sent: in browser mode the exports folder is a hand-over point,
 * and the user's copy is the download.
 */
function sendExport(res: ServerResponse, dir: string, name: string, headOnly: boolean): void {
  const path = join(dir, name);
  if (!EXPORT_NAME.test(name) || !existsSync(path)) return sendText(res, 404, 'No such export (each is downloadable once).');
  res.setHeader('Content-Type', 'application/gzip');
  res.setHeader('Content-Length', String(statSync(path).size));
  res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
  res.setHeader('Cache-Control', 'no-store');
  if (headOnly) return void res.end();
  createReadStream(path)
    .on('error', () => res.destroy())
    .on('end', () => rmSync(path, { force: true }))
    .pipe(res);
}

/** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
function tokenMatches(candidate: string | null, token: string): boolean {
  if (candidate === null) return false;
  const given = Buffer.from(candidate);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}
