// The composition root: the one place that knows every layer. A Node is a Server (the core) with
// ACLs, persistence and replication attached and the command families in its table; startNode
// loads the configuration, builds the node, opens its port, loads the data and logs startup the
// way redis-server does, ending with "Ready to accept connections".
import { loadConfig } from './config/load.js';
import type { Config } from './config/config.js';
import { ConfigError } from './config/errors.js';
import { AlreadyLogged, Logger, type LogLevel } from './util/logger.js';
import { Server } from './core/server.js';
import { signalShutdownOptions } from './core/shutdown.js';
import { Acl } from './acl/acl.js';
import { Scripting } from './scripting/scripting.js';
import { Functions } from './scripting/functions.js';
import { checkUserDeclaration } from './acl/acl-file.js';
import { NodePersistence } from './persistence/node-persistence.js';
import { Replication } from './replication/replication.js';
import { commandFamilies } from './commands/index.js';
import type { NodeServices } from './commands/node-services.js';
import { ENGINE_NAME, REDIS_VERSION } from './util/version.js';

/** Where log lines go. Each line is already in Redis's format: `<pid>:<role> <date> <level> <msg>`. */
export type LogSink = (line: string) => void;

export interface StartOptions {
  /**
   * Arguments as `redis-server` takes them: an optional config file path first, then
   * `--directive value ...` pairs (see ../shared/spec/redis-compat.md §1).
   */
  argv: string[];
  /**
   * Values in place before the config file and the command line, which override them (the CLI
   * uses it for its loopback-only default `bind`).
   */
  defaults?: [string, string[]][];
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

/** One node, put together: the core and the services above it. */
export class Node implements NodeServices {
  readonly server: Server;
  readonly acl: Acl;
  readonly persistence: NodePersistence;
  readonly replication: Replication;
  readonly scripting: Scripting;
  readonly functions: Functions;

  constructor(config: Config, logger: Logger, configFile: string | null) {
    // The families keep `this` and read the services when a command runs: the ACLs need the
    // finished command table, so the table comes first.
    this.server = new Server(config, logger, configFile, commandFamilies(this));
    this.acl = new Acl(this.server);
    this.server.accessControl = this.acl;
    this.persistence = new NodePersistence(this.server);
    this.replication = new Replication(this.server, this.persistence);
    const { replication, persistence } = this;
    const scriptHost = {
      readOnlyReplica: () => replication.isReplica && config.bool('replica-read-only'),
      staleReplica: () => replication.isReplica && !replication.linkUp && !config.bool('replica-serve-stale-data'),
      diskError: () => persistence.commandDenial(['write'], false),
    };
    this.scripting = new Scripting(this.server, scriptHost);
    this.functions = new Functions(this.server, scriptHost);
    this.server.functionLibraries = this.functions;
    // INFO memory's scripting figures and counts.
    const { scripting, functions } = this;
    this.server.memoryParts.scripting = {
      evalVm: () => scripting.vmBytes,
      evalCaches: () => scripting.cacheBytes,
      cachedScripts: () => scripting.size,
      functionsVm: () => functions.vmBytes,
      functionsCaches: () => functions.cacheBytes,
      functions: () => functions.functions.size,
      libraries: () => functions.libraries.size,
    };
  }
}

export { ConfigError };

/**
 * Starts a node. Rejects with a ConfigError (its `report` is redis-server's exact text) when the
 * configuration is invalid, or with an Error whose message is the fatal log line (already logged)
 * when the node cannot start, e.g. "Failed listening on port 6379 (TCP), aborting.".
 */
export async function startNode(opts: StartOptions): Promise<NodeHandle> {
  const { config, configFile } = loadConfig(opts.argv, { checkUserLine: checkUserDeclaration, initial: opts.defaults });
  const logfile = config.str('logfile');
  const logger = new Logger({
    level: config.str('loglevel') as LogLevel,
    // A relative logfile is relative to `dir`, where redis-server has chdir()ed by then.
    file: logfile ? config.path(logfile) : '',
    sink: combineSinks(opts.logSink, opts.logToStdout && !logfile ? (line) => process.stdout.write(line + '\n') : undefined),
  });
  logger.warning(`oO0OoO0OoO0Oo ${ENGINE_NAME} is starting oO0OoO0OoO0Oo`);
  logger.warning(`${ENGINE_NAME} (Redis ${REDIS_VERSION} compatible), bits=64, pid=${process.pid}, just started`);
  logger.warning(
    opts.argv.length === 0
      ? `Warning: no config file specified, using the default config. In order to specify a config file use ${ENGINE_NAME} /path/to/redis.conf`
      : 'Configuration loaded',
  );

  const node = new Node(config, logger, configFile);
  const server = node.server;
  try {
    await bringUp(node);
  } catch (err) {
    // One place logs why the node could not start (Redis logs the fatal line, then exits), and
    // frees the port, so a lab worker that outlives the failure does not keep it bound.
    if (!(err instanceof AlreadyLogged)) logger.warning((err as Error).message);
    await server.closeListeners();
    throw err;
  }
  logger.notice('Ready to accept connections');

  let stoppedByHandle = false;
  /** A signal started the shutdown under way (Redis's shutdown_asap). */
  let signalled = false;
  server.onExit = (code) => {
    if (!stoppedByHandle) opts.onExit?.(code);
  };
  return {
    get port() {
      return server.port;
    },
    info: (section?: string) => server.info.render(section ? [section] : []),
    async shutdown(options = {}) {
      stoppedByHandle = true;
      if (options.signal) {
        // Redis logs this from its signal handler, with "signal-handler (<unix time>)" for the role.
        const prefix = `${process.pid}:signal-handler (${Math.floor(Date.now() / 1000)})`;
        // sigShutdownHandler: a SIGINT while a signal's shutdown is under way (Ctrl+C twice) means
        // "now, whatever it costs".
        if (options.signal === 'SIGINT' && signalled) {
          logger.raw(`${prefix} You insist... exiting now.`);
          throw new ShutdownInsisted();
        }
        logger.raw(`${prefix} Received ${options.signal} scheduling shutdown...`);
        signalled = true;
      }
      const flags = options.signal ? signalShutdownOptions(config, options.signal) : {};
      try {
        await server.shutdown({ ...flags, save: options.save ?? flags.save });
      } finally {
        signalled = false; // cancelled (abortShutdown clears shutdown_asap), or done
      }
    },
  };
}

/** Everything between reading the configuration and being ready: listen, load data, start replication. */
async function bringUp(node: Node): Promise<void> {
  const { server } = node;
  const { config, logger } = server;
  logger.role = config.replicaOf() ? 'S' : 'M';
  // Set before the dataset loads: a replica keeps expired keys for its master's DELs.
  server.keyspace.isReplica = config.replicaOf() !== null;
  for (const name of config.ignoredDirectives) {
    logger.notice(`Directive '${name}' is accepted for compatibility and has no effect on this server.`);
  }
  await server.listen();
  logger.notice(`Running mode=standalone, port=${server.port}.`);
  logger.warning('Server initialized');
  // InitServerLast's initial_memory_usage: INFO used_memory_startup, before users and data load.
  server.memoryParts.markStartup();
  // ACLLoadUsersAtStartup, before the data loads: the `user` lines or the aclfile.
  node.acl.loadAtStartup();
  await node.persistence.start();
  node.replication.start();
  server.startCron();
}

function combineSinks(...sinks: (LogSink | undefined)[]): LogSink | undefined {
  const present = sinks.filter((s): s is LogSink => s !== undefined);
  if (present.length <= 1) return present[0];
  return (line) => present.forEach((s) => s(line));
}

/**
 * The handle's shutdown() rejects with this on a second SIGINT during a shutdown: the caller
 * exits at once with status 1 (not a clean shutdown), as redis-server does.
 */
export class ShutdownInsisted extends Error {
  constructor() {
    super('You insist... exiting now.');
  }
}
