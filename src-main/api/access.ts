// Access to the lab from a browser: browser mode's token, which stays the same for a data directory
// until someone rotates it here or with `--rotate-token`.
import type { ParamChecks } from './param-checks.js';

export interface AccessApi {
  /**
   * Replaces browser mode's token with a new one and returns it. Every page and WebSocket holding the
   * old token loses access at once (sockets are closed right after this reply); the caller reloads
   * with `?token=<new>`. In the Electron window it changes only what browser mode will accept.
   */
  rotateToken(): Promise<{ token: string }>;
}

export const ACCESS_PARAM_CHECKS = {
  rotateToken: () => [],
} satisfies ParamChecks<AccessApi>;
