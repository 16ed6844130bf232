// Log lines in Redis's format: `<pid>:<role> <dd Mon yyyy HH:MM:SS.mmm> <level> <message>`.
// role: M master, S replica, X Sentinel, C child/background (and the startup phase before the role is known,
// as redis-server prints it); level: . debug, - verbose, * notice, # warning.
import { appendFileSync } from 'node:fs';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';
export type LogRole = 'M' | 'S' | 'C' | 'X';

const LEVEL_CHAR: Record<LogLevel, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3 };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatLogLine(role: LogRole, level: LogLevel, message: string, now = new Date()): string {
  const date =
    `${pad(now.getDate())} ${MONTHS[now.getMonth()]} ${now.getFullYear()} ` +
    `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${pad(now.getMilliseconds(), 3)}`;
  return `${process.pid}:${role} ${date} ${LEVEL_CHAR[level]} ${message}`;
}

export interface LoggerOptions {
  level: LogLevel;
  /** `logfile`: a path to append to, or "" for no file. */
  file: string;
  /** Where lines also go (the CLI passes stdout when logfile is ""; the lab host its log view). */
  sink?: (line: string) => void;
}

export class Logger {
  role: LogRole = 'C';

  constructor(private options: LoggerOptions) {}

  configure(options: Partial<LoggerOptions>): void {
    this.options = { ...this.options, ...options };
  }

  enabled(level: LogLevel): boolean {
    return LEVEL_RANK[level] >= LEVEL_RANK[this.options.level];
  }

  debug(message: string): void {
    this.log('debug', message);
  }
  verbose(message: string): void {
    this.log('verbose', message);
  }
  notice(message: string): void {
    this.log('notice', message);
  }
  warning(message: string): void {
    this.log('warning', message);
  }

  log(level: LogLevel, message: string): void {
    if (!this.enabled(level)) return;
    this.raw(formatLogLine(this.role, level, message));
  }

  /** A preformatted line (the few Redis writes in another shape, like its signal handler's). */
  raw(line: string): void {
    if (this.options.file) {
      try {
        appendFileSync(this.options.file, line + '\n');
      } catch {
        // Redis silently drops a line it cannot write (serverLogRaw returns when fopen fails).
      }
    }
    this.options.sink?.(line);
  }
}

/**
 * An error whose lines were already logged where it happened (in redis-server's own words and
 * number): whoever catches it must not log it again, only act on it (e.g. exit with status 1).
 */
export class AlreadyLogged extends Error {}
