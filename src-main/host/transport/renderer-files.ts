// How the built renderer is served, by the browser-mode HTTP server and by the Electron shell's own
// protocol alike: which file a URL path means (never one outside the renderer folder), with which
// content type, under which Content-Security-Policy.
import { statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';

export interface RendererFile {
  path: string;
  contentType: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file a URL path names inside `rendererDir` ("/" is index.html), or null if there is none. */
export function resolveRendererFile(rendererDir: string, urlPath: string): RendererFile | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const root = resolve(rendererDir);
  const path = resolve(root, '.' + (decoded.endsWith('/') ? decoded + 'index.html' : decoded));
  // resolve() has already collapsed any "..": what is left must still be inside the root.
  if (!path.startsWith(root + sep)) return null;
  try {
    if (!statSync(path).isFile()) return null;
  } catch {
    return null;
  }
  return { path, contentType: CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream' };
}

/**
 * The renderer's CSP: its own scripts only (no eval, no inline scripts), inline style attributes
 * allowed (Vue binds them), no plugins, frames or form posts. `connectSources` adds the WebSocket
 * origin in browser mode.
 */
export function rendererCsp(connectSources: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...connectSources].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
