// Who may use browser mode: the lab's token, kept in lab.db so that it stays the same for a data
// directory. A tab left open while the lab restarts then reconnects by itself (its cookie and URL
// still hold the token), and so does a bookmark. Rotating makes a new one, for when the URL was
// shared or leaked: every page and socket holding the old one loses access at once. The last HTTP
// port is remembered for the same reason: a tab can only reconnect to the port it was loaded from.
import { randomBytes } from 'node:crypto';
import type { SettingsStore } from '../store/settings-store.js';

const TOKEN_KEY = 'browser_token';
const HTTP_PORT_KEY = 'browser_http_port';

export class BrowserAccess {
  private readonly rotateListeners = new Set<(token: string) => void>();

  constructor(private readonly settings: SettingsStore) {}

  /** The lab's token: 32 random bytes in hex, made the first time it is asked for. */
  token(): string {
    const stored = this.settings.get(TOKEN_KEY);
    return stored ?? this.rotate();
  }

  /** Replaces the token with a new random one, tells the listeners (the browser server), returns it. */
  rotate(): string {
    const token = randomBytes(32).toString('hex');
    this.settings.set(TOKEN_KEY, token);
    for (const listener of this.rotateListeners) listener(token);
    return token;
  }

  /** Returns the unsubscribe function. */
  onRotate(listener: (token: string) => void): () => void {
    this.rotateListeners.add(listener);
    return () => this.rotateListeners.delete(listener);
  }

  /** The port browser mode last served on, or null. */
  lastHttpPort(): number | null {
    const stored = Number(this.settings.get(HTTP_PORT_KEY));
    return Number.isInteger(stored) && stored > 0 && stored <= 65535 ? stored : null;
  }

  rememberHttpPort(port: number): void {
    this.settings.set(HTTP_PORT_KEY, String(port));
  }
}
