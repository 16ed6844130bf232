// CONFIG GET / SET / RESETSTAT / REWRITE / HELP (Redis's config.c configGetCommand,
// configSetCommand, configResetStatCommand, configRewriteCommand).
import { defineCommand, type CommandSpec } from '../core/command-table.js';
import { replyHelp } from './server.js';
import { Config } from '../config/config.js';
import { findDirective } from '../config/directives.js';
import { globMatch } from '../util/glob.js';
import { rewriteConfigFile, type RuntimeState } from '../core/config-rewrite.js';
import type { NodeServices } from './node-services.js';
import type { Client } from '../core/client.js';
import type { BinaryString } from '../protocol/request-parser.js';
import type { DebugSubcommand } from './debug-subcommand.js';
import { strerror } from '../config/errors.js';

function configGet(client: Client, argv: BinaryString[]): void {
  const matched: [string, string][] = [];
  const seen = new Set<string>();
  const config = client.server.config;
  for (const pattern of argv.slice(2)) {
    // Hidden (debugging) directives answer their exact name only, not a pattern.
    const isPattern = /[[*?]/.test(pattern);
    for (const name of Config.names()) {
      if (seen.has(name) || !globMatch(pattern, name, true)) continue;
      if (isPattern && findDirective(name)?.hidden) continue;
      seen.add(name);
      matched.push([name, config.render(name)]);
    }
  }
  client.reply.mapHeader(matched.length);
  for (const [name, value] of matched) {
    client.reply.bulk(name);
    client.reply.text(value);
  }
}

/**
 * configSetCommand: every pair is validated and applied, or none is (values already set are put
 * back when a later one fails); then the subsystems that cache a changed setting re-read it.
 */
function configSet(client: Client, argv: BinaryString[]): void {
  if (argv.length % 2 === 1) {
    client.reply.error('ERR syntax error');
    return;
  }
  const server = client.server;
  const config = server.config;
  const failed = (name: string, reason: string) =>
    client.reply.error(`ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`);
  const changes: { name: string; canonical: string; value: string }[] = [];
  for (let i = 2; i < argv.length; i += 2) {
    const name = argv[i]!;
    const directive = findDirective(name.toLowerCase());
    if (!directive) {
      client.reply.error(`ERR Unknown option or number of arguments for CONFIG SET - '${name}'`);
      return;
    }
    if (!directive.mutable) return failed(name, "can't set immutable config");
    if (changes.some((c) => c.canonical === directive.name)) return failed(name, 'duplicate parameter');
    changes.push({ name, canonical: directive.name, value: argv[i + 1]! });
  }
  const previous = changes.map((c) => config.render(c.canonical));
  for (let i = 0; i < changes.length; i++) {
    const { name, canonical, value } = changes[i]!;
    const error = config.set(canonical, [value], 'runtime');
    if (error !== null) {
      for (let j = 0; j < i; j++) config.set(changes[j]!.canonical, [previous[j]!], 'runtime');
      return failed(name, error);
    }
  }
  for (const { name, canonical } of changes) {
    const error = server.configCheckers.get(canonical)?.() ?? null;
    if (error !== null) {
      changes.forEach((change, j) => config.set(change.canonical, [previous[j]!], 'runtime'));
      return failed(name, error);
    }
  }
  for (const { canonical } of changes) for (const apply of server.configAppliers.get(canonical) ?? []) apply();
  client.reply.ok();
}

/** resetServerStats + resetCommandTableStats + resetErrorTableStats. */
function configResetStat(client: Client): void {
  const server = client.server;
  const s = server.stats;
  s.connectionsReceived = s.rejectedConnections = s.commandsProcessed = 0;
  s.netInputBytes = s.netOutputBytes = s.errorReplies = 0;
  s.readsProcessed = s.writesProcessed = s.unexpectedErrorReplies = s.dumpPayloadSanitizations = 0;
  s.forks = s.latestForkUsec = s.netReplInputBytes = s.netReplOutputBytes = 0;
  s.replyBufferExpands = s.replyBufferShrinks = 0;
  s.errorCodes.clear();
  server.errorWatermark = 0;
  server.keyspace.expiredKeys = server.keyspace.hits = server.keyspace.misses = 0;
  server.metrics.reset();
  server.activeExpire.resetStats();
  for (const command of server.commands.all()) {
    for (const c of [command, ...(command.subcommandMap?.values() ?? [])]) {
      c.stats.calls = c.stats.usec = c.stats.rejectedCalls = c.stats.failedCalls = 0;
      c.histogram = null;
    }
  }
  for (const reset of server.statResetters) reset();
  client.reply.ok();
}

/** DEBUG CONFIG-REWRITE-FORCE-ALL: CONFIG REWRITE writing every directive, defaults included. */
export function configDebugSubcommands(node: NodeServices): DebugSubcommand[] {
  return [
    {
      name: 'config-rewrite-force-all',
      argc: 2,
      handler(client) {
        const server = client.server;
        try {
          // Without a config file Redis's rewriteConfig(NULL) fails with EFAULT.
          if (server.configFile === null) throw Object.assign(new Error('Bad address'), { code: 'EFAULT' });
          rewriteConfigFile(server.configFile, server.config, runtimeState(node), { forceAll: true });
        } catch (err) {
          client.reply.error(`ERR CONFIG-REWRITE-FORCE-ALL failed: ${strerror(err)}`);
          return;
        }
        client.reply.ok();
      },
    },
  ];
}

/** What CONFIG REWRITE writes besides the directive table: the master of the moment, the ACL users. */
function runtimeState(node: NodeServices): RuntimeState {
  const link = node.replication.link;
  return { master: link ? { host: link.host, port: link.port } : null, users: node.acl.configUserLines() };
}

function configRewrite(node: NodeServices, client: Client): void {
  const server = client.server;
  if (server.configFile === null) {
    client.reply.error('ERR The server is running without a config file');
    return;
  }
  try {
    rewriteConfigFile(server.configFile, server.config, runtimeState(node));
  } catch (err) {
    server.logger.warning(`CONFIG REWRITE failed: ${(err as Error).message}`);
    client.reply.error(`ERR Rewriting config file: ${(err as Error).message}`);
    return;
  }
  server.logger.notice('CONFIG REWRITE executed with success.');
  client.reply.ok();
}

const CONFIG_HELP = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
  'HELP',
  '    Prints this help.',
];

const ADMIN = ['admin', 'noscript', 'loading', 'stale'] as const;
const sub = (spec: Omit<Parameters<typeof defineCommand>[0], 'group'>): CommandSpec => defineCommand({ group: 'server', ...spec });

export function configCommands(node: NodeServices): CommandSpec[] {
  return [
    defineCommand({
      name: 'config',
      arity: -2,
      flags: [],
      summary: 'A container for server configuration commands',
      since: '2.0.0',
      group: 'server',
      complexity: 'Depends on subcommand.',
      subcommands: [
        sub({
          name: 'get',
          arity: -3,
          flags: [...ADMIN],
          summary: 'Get the values of configuration parameters',
          since: '2.0.0',
          history: [['7.0.0', 'Added the ability to pass multiple pattern parameters in one call']],
          complexity: 'O(N) when N is the number of configuration parameters provided',
          arguments: [{ name: 'parameter', type: 'block', multiple: true, arguments: [{ name: 'parameter', type: 'string' }] }],
          handler: configGet,
        }),
        sub({
          name: 'set',
          arity: -4,
          tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
          flags: [...ADMIN],
          summary: 'Set configuration parameters to the given values',
          since: '2.0.0',
          history: [['7.0.0', 'Added the ability to set multiple parameters in one call.']],
          complexity: 'O(N) when N is the number of configuration parameters provided',
          arguments: [
            {
              name: 'parameter_value',
              type: 'block',
              multiple: true,
              arguments: [
                { name: 'parameter', type: 'string' },
                { name: 'value', type: 'string' },
              ],
            },
          ],
          handler: configSet,
        }),
        sub({
          name: 'resetstat',
          arity: 2,
          flags: [...ADMIN],
          summary: 'Reset the stats returned by INFO',
          since: '2.0.0',
          complexity: 'O(1)',
          handler: configResetStat,
        }),
        sub({
          name: 'rewrite',
          arity: 2,
          flags: [...ADMIN],
          summary: 'Rewrite the configuration file with the in memory configuration',
          since: '2.8.0',
          complexity: 'O(1)',
          handler: (client) => configRewrite(node, client),
        }),
        sub({
          name: 'help',
          arity: 2,
          flags: ['loading', 'stale'],
          summary: 'Show helpful text about the different subcommands',
          since: '5.0.0',
          complexity: 'O(1)',
          handler: (client) => replyHelp(client, CONFIG_HELP),
        }),
      ],
    }),
  ];
}
