// The commands a Sentinel serves (sentinel.c's sentinelcmds with SENTINEL and its subcommands,
// INFO with the sentinel section, ROLE and PUBLISH; the rest is the engine's own families, picked
// in sentinel-node.ts). Replies and error texts are Redis 7.0's.
import { defineCommand, type CommandSpec } from '../core/command-table.js';
import type { Client } from '../core/client.js';
import { globMatch } from '../util/glob.js';
import { replyHelp } from '../commands/server.js';
import { sameHost, type Instance } from './instance.js';
import type { Sentinel } from './sentinel.js';
import { TIMER_NAMES } from './constants.js';
import { HELLO_CHANNEL } from './constants.js';
import { replyInstance, replyInstances } from './instance-replies.js';
import { CONFIG_NAMES, configSet, configValue, setOption, toInt } from './sentinel-settings.js';
import { processHello } from './hello.js';
import { voteLeader } from './leader-election.js';
import { selectSlave, startFailover } from './failover.js';

const HELP = [
  'SENTINEL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CKQUORUM <master-name>',
  '    Check if the current Sentinel configuration is able to reach the quorum',
  '    needed to failover a master and the majority needed to authorize the',
  '    failover.',
  'CONFIG SET <param> <value>',
  '    Set a global Sentinel configuration parameter.',
  'CONFIG GET <param>',
  '    Get global Sentinel configuration parameter.',
  'DEBUG [<param> <value> ...]',
  '    Show a list of configurable time parameters and their values (milliseconds).',
  '    Or update current configurable parameters values (one or more).',
  'GET-MASTER-ADDR-BY-NAME <master-name>',
  '    Return the ip and port number of the master with that name.',
  'FAILOVER <master-name>',
  '    Manually failover a master node without asking for agreement from other',
  '    Sentinels',
  'FLUSHCONFIG',
  '    Force Sentinel to rewrite its configuration on disk, including the current',
  '    Sentinel state.',
  'INFO-CACHE <master-name>',
  '    Return last cached INFO output from masters and all its replicas.',
  'IS-MASTER-DOWN-BY-ADDR <ip> <port> <current-epoch> <runid>',
  "    Check if the master specified by ip:port is down from current Sentinel's",
  '    point of view.',
  'MASTER <master-name>',
  '    Show the state and info of the specified master.',
  'MASTERS',
  '    Show a list of monitored masters and their state.',
  'MONITOR <name> <ip> <port> <quorum>',
  '    Start monitoring a new master with the specified name, ip, port and quorum.',
  'MYID',
  '    Return the ID of the Sentinel instance.',
  'PENDING-SCRIPTS',
  '    Get pending scripts information.',
  'REMOVE <master-name>',
  "    Remove master from Sentinel's monitor list.",
  'REPLICAS <master-name>',
  '    Show a list of replicas for this master and their state.',
  'RESET <pattern>',
  '    Reset masters for specific master name matching this pattern.',
  'SENTINELS <master-name>',
  '    Show a list of Sentinel instances for this master and their state.',
  'SET <master-name> <option> <value> [<option> <value> ...]',
  '    Set configuration parameters for certain masters.',
  'SIMULATE-FAILURE [CRASH-AFTER-ELECTION] [CRASH-AFTER-PROMOTION] [HELP]',
  '    Simulate a Sentinel crash.',
  'HELP',
  '    Prints this help.',
];

const NO_SUCH_MASTER = 'ERR No such master with that name';
const INVALID_INT = 'ERR value is not an integer or out of range';

/** sentinelIsQuorumReachable: the CKQUORUM reply. */
function quorumReply(master: Instance): { ok: boolean; text: string } {
  const voters = master.sentinels.size + 1;
  let usable = 1;
  for (const peer of master.sentinels.values()) if (!peer.sdown && !peer.odown && !peer.disconnected) usable++;
  if (usable < master.quorum) {
    return {
      ok: false,
      text: `NOQUORUM ${usable} usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master`,
    };
  }
  if (usable < Math.floor(voters / 2) + 1) {
    return {
      ok: false,
      text: `NOQUORUM ${usable} usable Sentinels. Not enough available Sentinels to reach the majority and authorize a failover`,
    };
  }
  return { ok: true, text: `OK ${usable} usable Sentinels. Quorum and failover authorization can be reached` };
}

export function sentinelCommands(sentinel: Sentinel): CommandSpec[] {
  const master = (client: Client, name: string): Instance | null => {
    const ri = sentinel.masters.get(name);
    if (!ri) client.reply.error(NO_SUCH_MASTER);
    return ri ?? null;
  };
  const sub = (
    name: string,
    arity: number,
    summary: string,
    handler: CommandSpec['handler'],
    flags: CommandSpec['flags'] = ['admin'],
  ): CommandSpec =>
    defineCommand({ name, arity, flags: [...flags, 'noscript', 'loading', 'stale'], summary, since: '2.8.4', group: 'sentinel', handler });

  const subcommands: CommandSpec[] = [
    sub('help', 2, 'Show helpful text about the different subcommands', (client) => replyHelp(client, HELP)),
    sub('masters', 2, 'List the monitored masters', (client) => replyInstances(sentinel, client, [...sentinel.masters.values()])),
    sub('master', 3, 'Shows the state of a master', (client, argv) => {
      const ri = master(client, argv[2]!);
      if (ri) replyInstance(sentinel, client, ri);
    }),
    ...(['replicas', 'slaves'] as const).map((name) =>
      sub(name, 3, 'List the monitored replicas', (client, argv) => {
        const ri = master(client, argv[2]!);
        if (ri)
          replyInstances(
            sentinel,
            client,
            [...ri.slaves.values()].filter((s) => s.replicaAnnounced),
          );
      }),
    ),
    sub('sentinels', 3, 'List the Sentinel instances', (client, argv) => {
      const ri = master(client, argv[2]!);
      if (ri) replyInstances(sentinel, client, [...ri.sentinels.values()]);
    }),
    sub('get-master-addr-by-name', 3, 'Get port and address of a master', (client, argv) => {
      const ri = sentinel.masters.get(argv[2]!);
      if (!ri) {
        client.reply.nullArray();
        return;
      }
      const addr = sentinel.currentMasterAddress(ri);
      client.reply.arrayHeader(2);
      client.reply.bulk(sentinel.announce(addr));
      client.reply.bulk(String(addr.port));
    }),
    sub('is-master-down-by-addr', 6, 'Check if a master is down', (client, argv) => {
      const port = toInt(argv[3]!);
      const reqEpoch = toInt(argv[4]!);
      if (port === null || reqEpoch === null) {
        client.reply.error(INVALID_INT);
        return;
      }
      const runid = argv[5]!;
      let ri: Instance | null = null;
      for (const m of sentinel.masters.values()) if (sameHost(m.addr, argv[2]!) && m.addr.port === port) ri = m;
      const isDown = !sentinel.tilt && ri !== null && ri.sdown;
      let leader: string | null = null;
      let leaderEpoch = 0;
      // A run id instead of "*" asks for our vote in the requester's epoch.
      if (ri && runid !== '*') ({ leader, epoch: leaderEpoch } = voteLeader(sentinel, ri, reqEpoch, runid));
      client.reply.arrayHeader(3);
      client.reply.integer(isDown ? 1 : 0);
      client.reply.bulk(leader ?? '*');
      client.reply.integer(leader ? leaderEpoch : 0);
    }),
    sub('reset', 3, 'Reset masters by name pattern', (client, argv) => {
      let count = 0;
      for (const ri of sentinel.masters.values()) {
        if (ri.name && globMatch(argv[2]!, ri.name, false)) {
          sentinel.resetMaster(ri, { keepSentinels: false, event: true });
          count++;
        }
      }
      if (count) sentinel.flushConfig();
      client.reply.integer(count);
    }),
    sub('failover', 3, 'Force a failover', (client, argv) => {
      const ri = master(client, argv[2]!);
      if (!ri) return;
      if (ri.failoverInProgress) {
        client.reply.error('INPROG Failover already in progress');
        return;
      }
      if (!selectSlave(sentinel, ri)) {
        client.reply.error('NOGOODSLAVE No suitable replica to promote');
        return;
      }
      sentinel.server.logger.warning(`Executing user requested FAILOVER of '${ri.name}'`);
      startFailover(sentinel, ri);
      ri.forceFailover = true;
      client.reply.ok();
    }),
    sub('ckquorum', 3, 'Check for quorum', (client, argv) => {
      const ri = master(client, argv[2]!);
      if (!ri) return;
      const { ok, text } = quorumReply(ri);
      if (ok) client.reply.simple(text);
      else client.reply.error(text);
    }),
    sub('monitor', 6, 'Start monitoring', (client, argv) => {
      const quorum = toInt(argv[5]!);
      if (quorum === null) return client.reply.error('ERR Invalid quorum');
      if (quorum <= 0) return client.reply.error('ERR Quorum must be 1 or greater.');
      const port = toInt(argv[4]!);
      if (port === null) return client.reply.error('ERR Invalid port');
      const ri = sentinel.createMaster(argv[2]!, argv[3]!, port, quorum);
      if (ri === 'unresolvable') return client.reply.error('ERR Invalid IP address or hostname specified');
      if (ri === 'duplicate') return client.reply.error('ERR Duplicate master name.');
      if (typeof ri === 'string') return client.reply.error('ERR Invalid port number.');
      sentinel.flushConfig();
      sentinel.event('warning', '+monitor', ri, `%@ quorum ${ri.quorum}`);
      client.reply.ok();
    }),
    sub('remove', 3, 'Stop monitoring', (client, argv) => {
      const ri = master(client, argv[2]!);
      if (!ri) return;
      sentinel.event('warning', '-monitor', ri, '%@');
      sentinel.removeMaster(ri);
      sentinel.flushConfig();
      client.reply.ok();
    }),
    sub('set', -5, 'Change the configuration of a monitored master', (client, argv) => {
      const ri = master(client, argv[2]!);
      if (!ri) return;
      let changed = 0;
      for (let j = 3; j < argv.length; j += 2) {
        const option = argv[j]!.toLowerCase();
        const arity = option === 'rename-command' ? 2 : 1;
        if (j + arity >= argv.length) {
          client.reply.error(`ERR Unknown option or number of arguments for SENTINEL SET '${argv[j]}'`);
          break;
        }
        if (option === 'rename-command') {
          sentinel.renamedCommands(ri).set(argv[j + 1]!.toLowerCase(), argv[j + 2]!);
          sentinel.event('warning', '+set', ri, `%@ ${option} ${argv[j + 1]} ${argv[j + 2]}`);
          changed++;
          j++;
          continue;
        }
        const error = setOption(sentinel, ri, option, [argv[j + 1]!]);
        if (error === 'unknown') {
          client.reply.error(`ERR Unknown option or number of arguments for SENTINEL SET '${argv[j]}'`);
          break;
        }
        if (error) {
          client.reply.error(error);
          break;
        }
        const shown = option === 'auth-pass' ? '******' : argv[j + 1];
        sentinel.event('warning', '+set', ri, `%@ ${option} ${shown}`);
        changed++;
        if (j + 2 >= argv.length) client.reply.ok();
      }
      if (changed) sentinel.flushConfig();
    }),
    defineCommand({
      name: 'config',
      arity: -3,
      flags: ['admin', 'noscript', 'loading', 'stale'],
      summary: 'Configure Sentinel',
      since: '6.2.0',
      group: 'sentinel',
      handler(client, argv) {
        const action = argv[2]!.toLowerCase();
        if (action === 'set' && argv.length === 5) {
          const error = configSet(sentinel, argv[3]!.toLowerCase(), argv[4]!);
          if (error) return client.reply.error(error);
          sentinel.flushConfig();
          return client.reply.ok();
        }
        if (action === 'get' && argv.length === 4) {
          const names = CONFIG_NAMES.filter((n) => globMatch(argv[3]!, n, true));
          client.reply.mapHeader(names.length);
          for (const n of names) {
            client.reply.bulk(n);
            client.reply.bulk(configValue(sentinel, n));
          }
          return;
        }
        client.reply.error('ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.');
      },
    }),
    sub('myid', 2, 'Get the Sentinel instance ID', (client) => client.reply.bulk(sentinel.myid)),
    sub('flushconfig', 2, 'Rewrite configuration file', (client) => {
      sentinel.flushConfig();
      client.reply.ok();
    }),
    sub('info-cache', -3, 'Get cached INFO from the instances in a deployment', (client, argv) => {
      const masters = [...new Set(argv.slice(2))].map((n) => sentinel.masters.get(n)).filter((m): m is Instance => m !== undefined);
      const now = Date.now();
      client.reply.arrayHeader(masters.length * 2);
      for (const m of masters) {
        client.reply.bulk(m.name);
        const instances = [m, ...m.slaves.values()];
        client.reply.arrayHeader(instances.length);
        for (const ri of instances) {
          client.reply.arrayHeader(2);
          client.reply.integer(now - ri.infoRefresh);
          if (ri.info === null) client.reply.null();
          else client.reply.bulk(ri.info);
        }
      }
    }),
    sub('pending-scripts', 2, 'Get information about pending scripts', (client) => sentinel.scripts.reply(client)),
    sub('simulate-failure', -3, 'Simulate failover scenarios', (client, argv) => {
      for (const arg of argv.slice(2)) {
        const a = arg.toLowerCase();
        if (a === 'crash-after-election') {
          sentinel.simulated.crashAfterElection = true;
          sentinel.server.logger.warning(
            'Failure simulation: this Sentinel will crash after being successfully elected as failover leader',
          );
        } else if (a === 'crash-after-promotion') {
          sentinel.simulated.crashAfterPromotion = true;
          sentinel.server.logger.warning('Failure simulation: this Sentinel will crash after promoting the selected replica to master');
        } else if (a === 'help') {
          client.reply.arrayHeader(2);
          client.reply.bulk('crash-after-election');
          client.reply.bulk('crash-after-promotion');
          return;
        } else {
          client.reply.error('ERR Unknown failure simulation specified');
          return;
        }
      }
      client.reply.ok();
    }),
    sub('debug', -2, 'Show or change the timing parameters', (client, argv) => {
      if (argv.length === 2) {
        client.reply.mapHeader(TIMER_NAMES.length);
        for (const [name, key] of TIMER_NAMES) {
          client.reply.bulk(name.toUpperCase());
          client.reply.bulk(String(sentinel.timers[key]));
        }
        return;
      }
      const updates: [keyof Sentinel['timers'], number][] = [];
      for (let j = 2; j < argv.length; j += 2) {
        const entry = TIMER_NAMES.find(([name]) => name === argv[j]!.toLowerCase());
        if (!entry || j + 1 >= argv.length) {
          client.reply.error(`ERR Unknown option or number of arguments for SENTINEL DEBUG '${argv[j]}'`);
          return;
        }
        const value = toInt(argv[j + 1]!);
        if (value === null || value <= 0) {
          client.reply.error(`ERR Invalid argument '${argv[j + 1]}' for SENTINEL DEBUG '${argv[j]}'`);
          return;
        }
        updates.push([entry[1], value]);
      }
      for (const [key, value] of updates) sentinel.timers[key] = value;
      client.reply.ok();
    }),
  ];

  return [
    defineCommand({
      name: 'sentinel',
      arity: -2,
      flags: ['admin', 'noscript', 'loading', 'stale'],
      summary: 'A container for Sentinel commands',
      since: '2.8.4',
      group: 'sentinel',
      subcommands,
      handler: (client) => replyHelp(client, HELP),
    }),
    defineCommand({
      name: 'info',
      arity: -1,
      flags: ['loading', 'stale'],
      acl: ['dangerous'],
      summary: 'Get information and statistics about the server',
      since: '1.0.0',
      group: 'server',
      handler(client, argv) {
        // The sections are the Sentinel's (sentinel-node.ts sets them up).
        client.reply.verbatim(client.server.info.render(argv.slice(1)));
      },
    }),
    defineCommand({
      name: 'role',
      arity: 1,
      flags: ['noscript', 'loading', 'stale', 'fast'],
      acl: ['admin', 'dangerous'],
      summary: 'Return the role of the instance in the context of replication',
      since: '2.8.12',
      group: 'server',
      handler(client) {
        // sentinelRoleCommand: "sentinel" and the names of the monitored masters.
        client.reply.arrayHeader(2);
        client.reply.bulk('sentinel');
        client.reply.arrayHeader(sentinel.masters.size);
        for (const name of sentinel.masters.keys()) client.reply.bulk(name);
      },
    }),
    defineCommand({
      name: 'publish',
      arity: 3,
      flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'],
      summary: 'Post a message to a channel',
      since: '2.0.0',
      group: 'pubsub',
      handler(client, argv) {
        // sentinelPublishCommand: only hello messages, processed as if they came through a master.
        if (argv[1] !== HELLO_CHANNEL) {
          client.reply.error('ERR Only HELLO messages are accepted by Sentinel instances.');
          return;
        }
        processHello(sentinel, argv[2]!);
        client.reply.integer(1);
      },
    }),
  ];
}
