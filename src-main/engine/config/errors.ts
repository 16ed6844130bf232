// Configuration errors, reported exactly as redis-server reports them (config.c,
// loadServerConfigFromString's `loaderr`), so a user sees the same text from either server.
import { REDIS_VERSION } from '../util/version.js';

export class ConfigError extends Error {
  /** The full text redis-server prints to stderr before exiting with code 1. */
  readonly report: string;

  /**
   * `location` is the offending line; without it the report has no "Reading..." part (errors
   * found after parsing, like an unopenable log file). `asLogLine` replaces the whole report for
   * the errors redis-server logs instead (a config file it cannot open).
   */
  constructor(reason: string, location?: { lineNumber: number; line: string }, options: { asLogLine?: string } = {}) {
    super(reason);
    this.name = 'ConfigError';
    this.report = options.asLogLine
      ? options.asLogLine + '\n'
      : `\n*** FATAL CONFIG FILE ERROR (Redis ${REDIS_VERSION}) ***\n` +
        (location ? `Reading the configuration file, at line ${location.lineNumber}\n>>> '${location.line}'\n` : '') +
        `${reason}\n`;
  }
}

/** strerror() texts for the errno codes Node reports, as Redis prints them. */
export function strerror(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'ENOTDIR':
      return 'Not a directory';
    case 'EACCES':
      return 'Permission denied';
    case 'EISDIR':
      return 'Is a directory';
    case 'ENOSPC':
      return 'No space left on device';
    case 'EDQUOT':
      return 'Disk quota exceeded';
    case 'EROFS':
      return 'Read-only file system';
    case 'EIO':
      return 'Input/output error';
    case 'EADDRINUSE':
      return 'Address already in use';
    case 'EADDRNOTAVAIL':
      return 'Cannot assign requested address';
    default:
      return (err as Error | undefined)?.message ?? String(err);
  }
}
