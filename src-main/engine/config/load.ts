// Builds a node's Config from `redis-server`-style arguments: an optional config file, then
// `--directive value ...` pairs. Like redis-server (server.c main + config.c), the command-line
// pairs are turned into config lines appended after the file's text, and the whole text is read
// line by line, so later lines win and errors report the same line numbers Redis reports.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { catRepr, splitArgs } from '../protocol/sds-quoting.js';
import { Config } from './config.js';
import { ConfigError, strerror } from './errors.js';
import { formatLogLine } from '../util/logger.js';

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the config file, if one was given (CONFIG REWRITE writes it back). */
  configFile: string | null;
}

/**
 * Checks one `user` line against the lines before it; returns Redis's error text, or null. The
 * syntax of ACL rules belongs to ../acl/, so the node's composition root passes the check in.
 */
export type UserLineCheck = (values: string[], earlier: readonly string[][]) => string | null;

export interface LoadOptions {
  /** What a relative config file path is relative to (the process's cwd). */
  cwd?: string;
  /** Without it, `user` lines are kept unchecked (a Config built for a test of the core). */
  checkUserLine?: UserLineCheck;
  /**
   * Sentinel mode: `sentinel ...` lines are queued here (with their line number and text, for the
   * error report), to be applied once the whole file is read, as Redis's queueSentinelConfig.
   * Without it a `sentinel` line is an error.
   */
  sentinelLines?: SentinelLine[];
  /** Directives set before the file is read: a mode's own defaults (a Sentinel's port 26379). */
  initial?: [string, string[]][];
}

export interface SentinelLine {
  args: string[];
  lineNumber: number;
  line: string;
}

export function loadConfig(
  argv: string[],
  { cwd = process.cwd(), checkUserLine, sentinelLines, initial = [] }: LoadOptions = {},
): LoadedConfig {
  let configFile: string | null = null;
  let rest = argv;
  if (argv.length > 0 && !argv[0]!.startsWith('-')) {
    configFile = resolve(cwd, argv[0]!);
    rest = argv.slice(1);
  }
  const config = new Config(cwd);
  for (const [name, values] of initial) config.set(name, values, 'file');
  let text = configFile ? readConfigFile(configFile) : '';
  const options = commandLineOptions(rest);
  if (options) text += '\n' + options;
  loadFromString(config, text, checkUserLine, sentinelLines);
  return { config, configFile };
}

/**
 * Turns `--port 6380 --save "" --bind 127.0.0.1 ::1` into config lines, quoting each value the way
 * redis-server's sdscatrepr does so that the config parser reads it back unchanged.
 */
export function commandLineOptions(args: string[]): string {
  let options = '';
  let lastHadValue = true;
  for (let j = 0; j < args.length; j++) {
    const arg = args[j]!;
    if (lastHadValue && arg.startsWith('--')) {
      if (options) options += '\n';
      options += arg.slice(2) + ' ';
      const parts = splitArgs(arg) ?? [];
      if (parts.length === 1) {
        lastHadValue = false;
        // `--save` with no value (last, or followed by another option) means `--save ""`, as in 7.0.
        const nextIsOption = j + 1 < args.length && args[j + 1]!.startsWith('--');
        if (arg.toLowerCase() === '--save' && (nextIsOption || j === args.length - 1)) {
          options += '""';
          lastHadValue = true;
        }
      } else {
        // "--port 6380" given as one argument.
        lastHadValue = true;
      }
    } else {
      options += catRepr(arg) + ' ';
      lastHadValue = true;
    }
  }
  return options;
}

function readConfigFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`Fatal error, can't open config file '${path}': ${strerror(err)}`, undefined, {
      asLogLine: formatLogLine('C', 'warning', `Fatal error, can't open config file '${path}': ${strerror(err)}`),
    });
  }
}

/** config.c loadServerConfigFromString. */
export function loadFromString(config: Config, text: string, checkUserLine?: UserLineCheck, sentinelLines?: SentinelLine[]): void {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '' || line.startsWith('#')) continue;
    const fail = (reason: string): never => {
      throw new ConfigError(reason, { lineNumber: i + 1, line });
    };
    const args = splitArgs(line);
    if (args === null) fail('Unbalanced quotes in configuration line');
    if (args!.length === 0) continue;
    const [rawName, ...values] = args!;
    const name = rawName!.toLowerCase();
    switch (name) {
      case 'include':
        if (values.length !== 1) fail('Bad directive or wrong number of arguments');
        loadFromString(config, readConfigFile(resolve(config.str('dir'), values[0]!)), checkUserLine, sentinelLines);
        break;
      case 'user': {
        if (values.length < 1) fail('Bad directive or wrong number of arguments');
        const error = checkUserLine?.(values, config.userLines) ?? null;
        if (error) fail(error);
        config.userLines.push(values);
        break;
      }
      case 'rename-command':
        if (values.length !== 2) fail('Bad directive or wrong number of arguments');
        config.renameCommands.push(values);
        break;
      case 'loadmodule':
        fail('Modules are not supported by this server');
        break;
      case 'sentinel':
        if (!sentinelLines) fail('sentinel directive while not in sentinel mode');
        if (values.length === 0) fail('wrong number of arguments');
        sentinelLines!.push({ args: values, lineNumber: i + 1, line });
        break;
      default: {
        const error = config.set(name, values, 'file');
        if (error) fail(error);
      }
    }
  }
}
