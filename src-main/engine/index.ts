// The public face of the server engine: how any Node process (the CLI, the lab host's worker
// threads, tests) starts and stops one Redis-compatible node. Nothing here, nor anything below
// src-main/engine, may import Electron, Vue or the lab host.

/** Where log lines go. Each line is already in Redis's format: `<pid>:<role> <date> <level> <msg>`. */
export type LogSink = (line: string) => void;

export interface StartOptions {
  /**
   * Arguments as `redis-server` takes them: an optional config file path first, then
   * `--directive value ...` pairs (see ../shared/spec/redis-compat.md §1).
   */
  argv: string[];
  /** Receives every log line, in addition to the configured `logfile`. */
  logSink?: LogSink;
  /** Also print log lines to stdout when `logfile` is "" — what redis-server does (the CLI sets this). */
  logToStdout?: boolean;
  /**
   * Called once when the node ends by itself (SHUTDOWN command, fatal error), with the exit code
   * a redis-server process would have. The CLI exits the process; the lab host ends the worker.
   * Not called when startNode rejects (the node never started) nor after handle.shutdown().
   */
  onExit?: (code: number) => void;
}

export interface NodeHandle {
  readonly port: number;
  /** The exact text `INFO [section]` would return to a client. */
  info(section?: string): string;
  /**
   * Graceful stop, as SHUTDOWN: waits (up to shutdown-timeout) for lagging replicas, saves if
   * save points are set (or save=true), closes listeners. `signal` logs it as redis-server logs a
   * SIGTERM/SIGINT and applies shutdown-on-sigterm/-sigint. Rejects when the shutdown is
   * cancelled (SHUTDOWN ABORT, failed final save): the node keeps running; rejects with
   * ShutdownInsisted on a second SIGINT during a shutdown (the caller exits with status 1). Does
   * not call onExit (the caller asked).
   */
  shutdown(options?: { save?: boolean; signal?: 'SIGTERM' | 'SIGINT' }): Promise<void>;
}

export { startNode, ConfigError, ShutdownInsisted } from './node.js';
