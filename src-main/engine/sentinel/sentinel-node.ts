// A Sentinel put together (Redis's sentinel mode of server.c): the core Server with the
// Sentinel's command table, the ACLs, and the Sentinel's state and timer; no keyspace commands,
// persistence or replication. startSentinel reads the config file (required, and writable: the
// Sentinel rewrites it with what it learns), applies its `sentinel` lines, listens (port 26379
// by default) and logs what redis-sentinel logs.
import { accessSync, constants } from 'node:fs';
import { loadConfig, type SentinelLine } from '../config/load.js';
import { ConfigError, strerror } from '../config/errors.js';
import { AlreadyLogged, Logger, formatLogLine, type LogLevel } from '../util/logger.js';
import { Server } from '../core/server.js';
import { rewriteConfigFile } from '../core/config-rewrite.js';
import { Acl } from '../acl/acl.js';
import { checkUserDeclaration } from '../acl/acl-file.js';
import { connectionCommands } from '../commands/connection.js';
import { introspectionCommands } from '../commands/introspection.js';
import { pubsubCommands } from '../commands/pubsub.js';
import { clientCommands } from '../commands/client.js';
import { aclCommands } from '../commands/acl.js';
import { shutdownCommand } from '../commands/server.js';
import type { CommandSpec } from '../core/command-table.js';
import { ENGINE_NAME, REDIS_VERSION } from '../util/version.js';
import { SENTINEL_PORT } from './constants.js';
import { Sentinel } from './sentinel.js';
import { applySentinelLine, sentinelConfigLines } from './sentinel-config.js';
import { sentinelCommands } from './sentinel-commands.js';
import { sentinelInfoFields } from './info-sentinel.js';

export interface SentinelStartOptions {
  /** As `redis-sentinel` takes them: the config file first, then `--directive value ...` pairs. */
  argv: string[];
  /**
   * Values in place before the config file and the command line, which override them (the CLI
   * uses it for its loopback-only default `bind`).
   */
  defaults?: [string, string[]][];
  logSink?: (line: string) => void;
  logToStdout?: boolean;
  /** Called once when the Sentinel ends by itself (SHUTDOWN, SIMULATE-FAILURE's crash). */
  onExit?: (code: number) => void;
}

/** A monitored master as SENTINEL MASTERS reports it (for the lab; the protocol says the same). */
export interface SentinelMasterState {
  name: string;
  ip: string;
  port: number;
  flags: string;
  quorum: number;
  configEpoch: number;
  replicas: { ip: string; port: number; flags: string }[];
  sentinels: { ip: string; port: number; runid: string | null }[];
}

export interface SentinelHandle {
  readonly port: number;
  readonly myid: string;
  readonly currentEpoch: number;
  masters(): SentinelMasterState[];
  info(section?: string): string;
  shutdown(): Promise<void>;
}

/** The families of the engine a Sentinel serves too (server.c's commands with the SENTINEL flag). */
const SHARED_COMMANDS = new Set([
  'ping',
  'auth',
  'hello',
  'command',
  'subscribe',
  'unsubscribe',
  'psubscribe',
  'punsubscribe',
  'client',
  'acl',
  'shutdown',
]);

function sentinelFamilies(sentinel: Sentinel, services: { acl: Acl }): CommandSpec[][] {
  const shared = [connectionCommands, introspectionCommands, pubsubCommands, clientCommands, aclCommands(services), [shutdownCommand]]
    .flat()
    .filter((spec) => SHARED_COMMANDS.has(spec.name));
  return [shared, sentinelCommands(sentinel)];
}

/** sentinelCheckConfigFile: a Sentinel must be able to save its state. */
function checkConfigFile(configFile: string | null): string | null {
  if (!configFile) return 'Sentinel needs config file on disk to save state. Exiting...';
  try {
    accessSync(configFile, constants.W_OK);
  } catch (err) {
    return `Sentinel config file ${configFile} is not writable: ${strerror(err)}. Exiting...`;
  }
  return null;
}

export async function startSentinel(opts: SentinelStartOptions): Promise<SentinelHandle> {
  const sentinelLines: SentinelLine[] = [];
  const { config, configFile } = loadConfig(opts.argv, {
    checkUserLine: checkUserDeclaration,
    sentinelLines,
    // initSentinelConfig: Sentinel's own port, and no protected mode.
    initial: [['port', [String(SENTINEL_PORT)]], ['protected-mode', ['no']], ...(opts.defaults ?? [])],
  });
  const problem = checkConfigFile(configFile);
  if (problem) {
    const line = formatLogLine('X', 'warning', problem);
    if (opts.logToStdout) process.stdout.write(line + '\n');
    opts.logSink?.(line);
    throw new Error(problem);
  }
  const logfile = config.str('logfile');
  const stdout = opts.logToStdout && !logfile ? (line: string) => process.stdout.write(line + '\n') : undefined;
  const logger = new Logger({
    level: config.str('loglevel') as LogLevel,
    file: logfile ? config.path(logfile) : '',
    sink: (line) => {
      opts.logSink?.(line);
      stdout?.(line);
    },
  });
  logger.role = 'X';

  // The Server needs the Sentinel's command family first, so the Sentinel gets its Server (and
  // the ACL family its Acl) right after: handlers read them only when a command runs.
  const sentinel = new Sentinel();
  const services = {} as { acl: Acl };
  const server = new Server(config, logger, configFile, sentinelFamilies(sentinel, services));
  sentinel.server = server;
  server.mode = 'sentinel';
  const acl = new Acl(server);
  services.acl = acl;
  server.accessControl = acl;
  server.info.defaultSections = server.info.allSections = ['server', 'clients', 'stats', 'cpu', 'sentinel'];
  server.info.set('sentinel', () => sentinelInfoFields(sentinel));

  // The `sentinel` lines apply after the whole file, with Redis's report on the first bad one.
  for (const entry of sentinelLines) {
    const error = applySentinelLine(sentinel, entry.args);
    if (error) throw new ConfigError(error, { lineNumber: entry.lineNumber, line: entry.line });
  }
  // Redis resolves a configured hostname while it reads the file: the config it writes next and
  // the first replies already show the IP.
  await Promise.all(sentinel.resolving.splice(0));
  sentinel.saveConfig = () =>
    rewriteConfigFile(
      configFile!,
      config,
      { master: null, users: acl.configUserLines(), sentinel: true },
      { generated: { directive: 'sentinel', lines: sentinelConfigLines(sentinel) } },
    );

  logger.warning(`oO0OoO0OoO0Oo ${ENGINE_NAME} is starting oO0OoO0OoO0Oo`);
  logger.warning(`${ENGINE_NAME} (Redis ${REDIS_VERSION} compatible), bits=64, pid=${process.pid}, just started`);
  logger.warning('Configuration loaded');
  try {
    await server.listen();
  } catch (err) {
    if (!(err instanceof AlreadyLogged)) logger.warning((err as Error).message);
    await server.closeListeners();
    throw err;
  }
  logger.notice(`Running mode=sentinel, port=${server.port}.`);
  acl.loadAtStartup();

  // sentinelIsRunning: an id of our own (saved at once), then the initial +monitor events.
  if (!sentinel.myid) {
    sentinel.myid = Sentinel.newRunId();
    sentinel.flushConfig();
  }
  logger.warning(`Sentinel ID is ${sentinel.myid}`);
  for (const master of sentinel.masters.values()) {
    sentinel.event('warning', '+monitor', master, `%@ quorum ${master.quorum}`);
  }

  let stoppedByHandle = false;
  server.onExit = (code) => {
    if (!stoppedByHandle) opts.onExit?.(code);
  };
  server.shutdownHooks.push(async () => sentinel.stop());
  sentinel.crash = () => {
    // sentinelSimFailureCrash: the process dies on the spot, as Redis's exit(99).
    logger.warning('Sentinel simulated failure: crashing now');
    sentinel.stop();
    void server.closeListeners();
    for (const client of server.clients.values()) client.close();
    opts.onExit?.(99);
  };
  server.startCron();
  sentinel.start();

  return {
    get port() {
      return server.port;
    },
    get myid() {
      return sentinel.myid;
    },
    get currentEpoch() {
      return sentinel.currentEpoch;
    },
    masters: () =>
      [...sentinel.masters.values()].map((m) => {
        const addr = sentinel.currentMasterAddress(m);
        return {
          name: m.name,
          ip: addr.ip,
          port: addr.port,
          flags: m.flagsText(),
          quorum: m.quorum,
          configEpoch: m.configEpoch,
          replicas: [...m.slaves.values()].map((s) => ({ ip: s.addr.ip, port: s.addr.port, flags: s.flagsText() })),
          sentinels: [...m.sentinels.values()].map((s) => ({ ip: s.addr.ip, port: s.addr.port, runid: s.runid })),
        };
      }),
    info: (section?: string) => server.info.render(section ? [section] : []),
    async shutdown() {
      stoppedByHandle = true;
      await server.shutdown({ save: false });
    },
  };
}
