// The lab's command-line options, shared by the launcher, browser mode and the Electron shell:
//   --headless        browser mode even where Electron is installed
//   --http-port N     browser mode's HTTP port (default: any free port)
//   --data-dir DIR    where the lab keeps lab.db and its nodes' directories
//   --rotate-token    browser mode: replace the lab's stored token with a new one before serving
//   --log-max-mb N    a node's node.log is rotated at N MB (default 10)
//   --log-files N     rotated parts kept per node, node.log.1 … .N (default 5)
// Both `--opt value` and `--opt=value` are accepted.
import { homedir } from 'node:os';
import type { LogRotationOptions } from '../nodes/log-rotation.js';
import { join, resolve } from 'node:path';

export interface LabArgs {
  headless: boolean;
  httpPort: number;
  dataDir: string | null;
  rotateToken: boolean;
  /** Only what was given; the lab's defaults fill the rest. */
  logRotation: Partial<LogRotationOptions>;
}

const LAB_USAGE = 'usage: npm start -- [--headless] [--http-port N] [--data-dir DIR] [--rotate-token] [--log-max-mb N] [--log-files N]';

/**
 * Parses the lab's options. `strict` (browser mode) rejects anything else; the Electron shell is
 * not strict because Electron and Chromium add switches of their own to its command line.
 */
export function parseLabArgs(argv: readonly string[], strict: boolean): LabArgs {
  const args: LabArgs = { headless: false, httpPort: 0, dataDir: null, rotateToken: false, logRotation: {} };
  for (let i = 0; i < argv.length; i++) {
    const [name, inlineValue] = splitOption(argv[i]!);
    const value = (): string => {
      const v = inlineValue ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${name} needs a value\n${LAB_USAGE}`);
      return v;
    };
    if (name === '--headless') args.headless = true;
    else if (name === '--http-port') args.httpPort = portNumber(value());
    else if (name === '--data-dir') args.dataDir = resolve(value());
    else if (name === '--rotate-token') args.rotateToken = true;
    else if (name === '--log-max-mb') args.logRotation.maxBytes = Math.round(positiveNumber(name, value(), false) * 1024 * 1024);
    else if (name === '--log-files') args.logRotation.keep = positiveNumber(name, value(), true);
    else if (strict) throw new Error(`unknown option ${argv[i]}\n${LAB_USAGE}`);
  }
  return args;
}

/**
 * Browser mode's data directory when --data-dir is not given: $XDG_DATA_HOME/replica-lab if the
 * user has an XDG data home, else ~/.replica-lab. (The Electron window uses its userData folder.)
 */
export function defaultBrowserDataDir(): string {
  const xdg = process.env.XDG_DATA_HOME;
  return xdg ? join(xdg, 'replica-lab') : join(homedir(), '.replica-lab');
}

function splitOption(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

function portNumber(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--http-port must be a port number, not ${JSON.stringify(text)}`);
  return port;
}

function positiveNumber(option: string, text: string, integer: boolean): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new Error(`${option} must be a positive ${integer ? 'integer' : 'number'}, not ${JSON.stringify(text)}`);
  return n;
}
