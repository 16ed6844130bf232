// Replication commands: REPLICAOF / SLAVEOF, ROLE, WAIT, FAILOVER, and the internal SYNC, PSYNC and
// REPLCONF that replicas send. The protocol itself lives in ../replication/.
import { defineCommand, type CommandDocArgument, type CommandSpec } from '../core/command-table.js';
import { ERR, is } from '../core/replies.js';
import { parseInteger } from '../util/numbers.js';
import { clientInfoString } from '../core/client-info.js';
import { blockingDenied } from '../core/blocking.js';
import type { Replication } from '../replication/replication.js';
import type { NodeServices } from './node-services.js';
import type { Client } from '../core/client.js';
import type { BinaryString } from '../protocol/request-parser.js';
import type { DebugSubcommand } from './debug-subcommand.js';

const REPLICAOF_ARGUMENTS: CommandDocArgument[] = [
  {
    name: 'args',
    type: 'oneof',
    arguments: [
      {
        name: 'host-port',
        type: 'block',
        arguments: [
          { name: 'host', type: 'string' },
          { name: 'port', type: 'integer' },
        ],
      },
      {
        name: 'no-one',
        type: 'block',
        arguments: [
          { name: 'no', type: 'pure-token', token: 'NO' },
          { name: 'one', type: 'pure-token', token: 'ONE' },
        ],
      },
    ],
  },
];

/** replicaofCommand. */
function replicaof(replication: Replication, client: Client, argv: BinaryString[]): void {
  const log = client.server.logger;
  if (replication.failover.state !== 'no-failover') {
    client.reply.error('ERR REPLICAOF not allowed while failing over.');
    return;
  }
  if (is(argv[1]!, 'no') && is(argv[2]!, 'one')) {
    if (replication.isReplica) {
      replication.unsetMaster();
      log.notice(`MASTER MODE enabled (user request from '${clientInfoString(client)}')`);
    }
    client.reply.ok();
    return;
  }
  // Making this node a replica disconnects its replicas, this one included.
  if (client.isReplica) {
    client.reply.error('ERR Command is not valid when client is a replica.');
    return;
  }
  const port = parseInteger(argv[2]!);
  if (port === null || port < 0 || port > 65535) {
    client.reply.error('ERR Invalid master port');
    return;
  }
  const link = replication.link;
  if (link && link.host.toLowerCase() === argv[1]!.toLowerCase() && link.port === port) {
    log.notice('REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.');
    client.reply.simple('OK Already connected to specified master');
    return;
  }
  replication.setMaster(argv[1]!, port);
  log.notice(`REPLICAOF ${argv[1]}:${port} enabled (user request from '${clientInfoString(client)}')`);
  client.reply.ok();
}

/** roleCommand. */
function role(replication: Replication, client: Client): void {
  const link = replication.link;
  if (!link) {
    const online = replication.replicas.replicas.filter((r) => r.state === 'online' && r.ip);
    client.reply.arrayHeader(3);
    client.reply.bulk('master');
    client.reply.integer(replication.offset);
    client.reply.arrayHeader(online.length);
    for (const replica of online) {
      client.reply.arrayHeader(3);
      client.reply.bulk(replica.ip);
      client.reply.bulk(String(replica.capa.listeningPort));
      client.reply.bulk(String(replica.ackOffset));
    }
    return;
  }
  client.reply.arrayHeader(5);
  client.reply.bulk('slave');
  client.reply.bulk(link.host);
  client.reply.integer(link.port);
  client.reply.bulk(link.inHandshake ? 'handshake' : link.state === 'transfer' ? 'sync' : link.state);
  client.reply.integer(link.master?.offset ?? -1);
}

/** waitCommand. */
function wait(replication: Replication, client: Client, argv: BinaryString[]): void {
  if (replication.isReplica) {
    client.reply.error(
      'ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.',
    );
    return;
  }
  const replicas = parseInteger(argv[1]!);
  if (replicas === null) {
    client.reply.error(ERR.notInteger);
    return;
  }
  const timeout = parseInteger(argv[2]!);
  if (timeout === null) {
    client.reply.error('ERR timeout is not an integer or out of range');
    return;
  }
  if (timeout < 0) {
    client.reply.error('ERR timeout is negative');
    return;
  }
  // The offset the stream has reached now covers every write this client made before.
  const offset = replication.offset;
  const acked = replication.replicas.countAcks(offset);
  // Inside EXEC (CLIENT_DENY_BLOCKING) WAIT answers at once with what it has.
  if (acked >= replicas || blockingDenied(client)) {
    client.reply.integer(acked);
    return;
  }
  replication.waiters.add(client, offset, replicas, timeout);
  replication.requestAcks();
}

/** The DEBUG subcommands about replication (debug.ts lists them under DEBUG). */
export function replicationDebugSubcommands(node: NodeServices): DebugSubcommand[] {
  return [
    {
      // A new replication history: no replica may continue the old one with a partial resync.
      name: 'change-repl-id',
      argc: 2,
      handler(client) {
        client.server.logger.warning('Changing replication IDs after receiving DEBUG change-repl-id');
        node.replication.ids.change();
        node.replication.ids.clearSecondary();
        client.reply.ok();
      },
    },
    {
      // The command goes to the replicas (and the backlog) only: the master's own data and AOF do
      // not change, so the two diverge on purpose.
      name: 'replicate',
      argc: [3, Infinity],
      handler(client, argv) {
        node.replication.replicateForDebug(argv.slice(2));
        client.reply.ok();
      },
    },
  ];
}

export function replicationCommands(node: NodeServices): CommandSpec[] {
  return [
    defineCommand({
      name: 'replicaof',
      arity: 3,
      flags: ['admin', 'noscript', 'stale', 'no_async_loading'],
      summary: 'Make the server a replica of another instance, or promote it as master.',
      since: '5.0.0',
      group: 'server',
      complexity: 'O(1)',
      arguments: REPLICAOF_ARGUMENTS,
      handler: (client, argv) => replicaof(node.replication, client, argv),
    }),
    defineCommand({
      name: 'slaveof',
      arity: 3,
      flags: ['admin', 'noscript', 'stale', 'no_async_loading'],
      summary: 'Make the server a replica of another instance, or promote it as master.',
      since: '1.0.0',
      group: 'server',
      replacedBy: '`REPLICAOF`',
      deprecatedSince: '5.0.0',
      docFlags: ['deprecated'],
      complexity: 'O(1)',
      arguments: REPLICAOF_ARGUMENTS,
      handler: (client, argv) => replicaof(node.replication, client, argv),
    }),
    defineCommand({
      name: 'role',
      arity: 1,
      flags: ['noscript', 'loading', 'stale', 'fast'],
      acl: ['admin', 'dangerous'],
      summary: 'Return the role of the instance in the context of replication',
      since: '2.8.12',
      group: 'server',
      complexity: 'O(1)',
      handler: (client) => role(node.replication, client),
    }),
    defineCommand({
      name: 'wait',
      arity: 3,
      tips: ['request_policy:all_shards', 'response_policy:agg_min'],
      flags: ['noscript'],
      acl: ['connection'],
      summary: 'Wait for the synchronous replication of all the write commands sent in the context of the current connection',
      since: '3.0.0',
      group: 'generic',
      complexity: 'O(1)',
      arguments: [
        { name: 'numreplicas', type: 'integer' },
        { name: 'timeout', type: 'integer' },
      ],
      handler: (client, argv) => wait(node.replication, client, argv),
    }),
    defineCommand({
      name: 'failover',
      arity: -1,
      flags: ['admin', 'noscript', 'stale'],
      summary: 'Start a coordinated failover between this server and one of its replicas.',
      since: '6.2.0',
      group: 'server',
      complexity: 'O(1)',
      arguments: [
        {
          name: 'target',
          type: 'block',
          token: 'TO',
          optional: true,
          arguments: [
            { name: 'host', type: 'string' },
            { name: 'port', type: 'integer' },
            { name: 'force', type: 'pure-token', token: 'FORCE', optional: true },
          ],
        },
        { name: 'abort', type: 'pure-token', token: 'ABORT', optional: true },
        { name: 'milliseconds', type: 'integer', token: 'TIMEOUT', optional: true },
      ],
      handler(client, argv) {
        node.replication.failover.command(client, argv);
      },
    }),
    defineCommand({
      name: 'sync',
      arity: 1,
      flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'],
      summary: 'Internal command used for replication',
      since: '1.0.0',
      group: 'server',
      handler(client, argv) {
        node.replication.replicas.sync(client, argv);
      },
    }),
    defineCommand({
      name: 'psync',
      arity: -3,
      flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'],
      summary: 'Internal command used for replication',
      since: '2.8.0',
      group: 'server',
      arguments: [
        { name: 'replicationid', type: 'string' },
        { name: 'offset', type: 'integer' },
      ],
      handler(client, argv) {
        node.replication.replicas.sync(client, argv);
      },
    }),
    defineCommand({
      name: 'replconf',
      arity: -1,
      flags: ['admin', 'noscript', 'loading', 'stale', 'allow_busy'],
      summary: 'An internal command for configuring the replication stream',
      since: '3.0.0',
      group: 'server',
      docFlags: ['syscmd'],
      complexity: 'O(1)',
      handler(client, argv) {
        node.replication.replicas.replconf(client, argv);
      },
    }),
  ];
}
