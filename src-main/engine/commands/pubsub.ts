// Pub/Sub commands: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, the sharded
// SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH, and PUBSUB (Redis's pubsub.c). The subscription registry and message delivery live in core/pubsub.ts.
import { keySpec, defineCommand, type CommandSpec } from '../core/command-table.js';
import { replyHelp } from './server.js';
import type { SubscriptionKind } from '../core/pubsub.js';
import { PROPAGATE_REPL } from '../core/propagation.js';
import type { Client } from '../core/client.js';
import type { BinaryString } from '../protocol/request-parser.js';

const SUBSCRIBE_FLAGS = ['pubsub', 'noscript', 'loading', 'stale'] as const;
const INTROSPECTION_FLAGS = ['pubsub', 'loading', 'stale'] as const;

function subscribe(kind: SubscriptionKind) {
  return (client: Client, argv: BinaryString[]): void => {
    for (let i = 1; i < argv.length; i++) client.server.pubsub.subscribe(client, kind, argv[i]!);
  };
}

function unsubscribe(kind: SubscriptionKind) {
  return (client: Client, argv: BinaryString[]): void => {
    if (argv.length === 1) client.server.pubsub.unsubscribeAll(client, kind);
    else for (let i = 1; i < argv.length; i++) client.server.pubsub.unsubscribe(client, kind, argv[i]!);
  };
}

/** addReplySubcommandSyntaxError. */
function subcommandSyntaxError(client: Client, argv: BinaryString[]): void {
  client.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try PUBSUB HELP.`);
}

const PUBSUB_HELP = [
  'PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
  'HELP',
  '    Prints this help.',
];

const pubsubSub = (name: string, arity: number, summary: string, handler: CommandSpec['handler']): CommandSpec =>
  defineCommand({ name, arity, flags: [...INTROSPECTION_FLAGS], summary, since: '2.8.0', group: 'pubsub', handler });

export const pubsubCommands: CommandSpec[] = [
  defineCommand({
    name: 'subscribe',
    arity: -2,
    flags: [...SUBSCRIBE_FLAGS],
    summary: 'Listen for messages published to the given channels',
    since: '2.0.0',
    group: 'pubsub',
    complexity: 'O(N) where N is the number of channels to subscribe to.',
    arguments: [{ name: 'channel', type: 'string', multiple: true }],
    handler: subscribe('channel'),
  }),
  defineCommand({
    name: 'unsubscribe',
    arity: -1,
    flags: [...SUBSCRIBE_FLAGS],
    summary: 'Stop listening for messages posted to the given channels',
    since: '2.0.0',
    group: 'pubsub',
    complexity: 'O(N) where N is the number of clients already subscribed to a channel.',
    arguments: [{ name: 'channel', type: 'string', optional: true, multiple: true }],
    handler: unsubscribe('channel'),
  }),
  defineCommand({
    name: 'psubscribe',
    arity: -2,
    flags: [...SUBSCRIBE_FLAGS],
    summary: 'Listen for messages published to channels matching the given patterns',
    since: '2.0.0',
    group: 'pubsub',
    complexity: 'O(N) where N is the number of patterns the client is already subscribed to.',
    arguments: [{ name: 'pattern', type: 'block', multiple: true, arguments: [{ name: 'pattern', type: 'pattern' }] }],
    handler: subscribe('pattern'),
  }),
  defineCommand({
    name: 'punsubscribe',
    arity: -1,
    flags: [...SUBSCRIBE_FLAGS],
    summary: 'Stop listening for messages posted to channels matching the given patterns',
    since: '2.0.0',
    group: 'pubsub',
    complexity:
      'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).',
    arguments: [{ name: 'pattern', type: 'pattern', optional: true, multiple: true }],
    handler: unsubscribe('pattern'),
  }),
  defineCommand({
    name: 'publish',
    arity: 3,
    flags: ['pubsub', 'loading', 'stale', 'fast'],
    summary: 'Post a message to a channel',
    since: '2.0.0',
    group: 'pubsub',
    complexity:
      'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).',
    arguments: [
      { name: 'channel', type: 'string' },
      { name: 'message', type: 'string' },
    ],
    handler(client, argv) {
      client.reply.integer(client.server.pubsub.publish('', argv[1]!, argv[2]!));
      // Replicas get every message too, so their own subscribers see it (not the AOF).
      client.server.propagation.force(PROPAGATE_REPL);
    },
  }),
  // Sharded pub/sub (7.0): the shard channels are a namespace of their own. Their names are
  // declared as keys (flagged not_key) so that cluster mode can route them by slot.
  defineCommand({
    name: 'ssubscribe',
    arity: -2,
    flags: [...SUBSCRIBE_FLAGS],
    keySpecs: [keySpec('not_key', 1, [-1, 1, 0])],
    summary: 'Listen for messages published to the given shard channels',
    since: '7.0.0',
    group: 'pubsub',
    complexity: 'O(N) where N is the number of shard channels to subscribe to.',
    arguments: [{ name: 'shardchannel', type: 'string', multiple: true }],
    handler: subscribe('shard'),
  }),
  defineCommand({
    name: 'sunsubscribe',
    arity: -1,
    flags: [...SUBSCRIBE_FLAGS],
    keySpecs: [keySpec('not_key', 1, [-1, 1, 0])],
    summary: 'Stop listening for messages posted to the given shard channels',
    since: '7.0.0',
    group: 'pubsub',
    complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.',
    arguments: [{ name: 'shardchannel', type: 'string', optional: true, multiple: true }],
    handler: unsubscribe('shard'),
  }),
  defineCommand({
    name: 'spublish',
    arity: 3,
    flags: ['pubsub', 'loading', 'stale', 'fast'],
    keySpecs: [keySpec('not_key', 1)],
    summary: 'Post a message to a shard channel',
    since: '7.0.0',
    group: 'pubsub',
    complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.',
    arguments: [
      { name: 'shardchannel', type: 'string' },
      { name: 'message', type: 'string' },
    ],
    handler(client, argv) {
      client.reply.integer(client.server.pubsub.publishShard(argv[1]!, argv[2]!));
      client.server.propagation.force(PROPAGATE_REPL);
    },
  }),
  defineCommand({
    name: 'pubsub',
    arity: -2,
    flags: [],
    summary: 'A container for Pub/Sub commands',
    since: '2.8.0',
    group: 'pubsub',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        ...pubsubSub('channels', -2, 'List active channels', (client, argv) => {
          if (argv.length > 3) return subcommandSyntaxError(client, argv);
          client.reply.bulkArray(client.server.pubsub.activeChannels(argv[2]));
        }),
        complexity:
          'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)',
        arguments: [{ name: 'pattern', type: 'pattern', optional: true }],
      },
      {
        ...pubsubSub('numsub', -2, 'Get the count of subscribers for channels', (client, argv) => {
          client.reply.arrayHeader((argv.length - 2) * 2);
          for (let i = 2; i < argv.length; i++) {
            client.reply.bulk(argv[i]!);
            client.reply.integer(client.server.pubsub.subscriberCount(argv[i]!));
          }
        }),
        complexity: 'O(N) for the NUMSUB subcommand, where N is the number of requested channels',
        arguments: [{ name: 'channel', type: 'string', optional: true, multiple: true }],
      },
      {
        ...pubsubSub('numpat', 2, 'Get the count of unique patterns pattern subscriptions', (client) => {
          client.reply.integer(client.server.pubsub.patternCount);
        }),
        complexity: 'O(1)',
      },
      {
        ...pubsubSub('shardchannels', -2, 'List active shard channels', (client, argv) => {
          if (argv.length > 3) return subcommandSyntaxError(client, argv);
          client.reply.bulkArray(client.server.pubsub.activeChannels(argv[2], 'shard'));
        }),
        since: '7.0.0',
        complexity:
          'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).',
        arguments: [{ name: 'pattern', type: 'pattern', optional: true }],
      },
      {
        ...pubsubSub('shardnumsub', -2, 'Get the count of subscribers for shard channels', (client, argv) => {
          client.reply.arrayHeader((argv.length - 2) * 2);
          for (let i = 2; i < argv.length; i++) {
            client.reply.bulk(argv[i]!);
            client.reply.integer(client.server.pubsub.subscriberCount(argv[i]!, 'shard'));
          }
        }),
        since: '7.0.0',
        complexity: 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels',
        arguments: [{ name: 'shardchannel', type: 'string', optional: true, multiple: true }],
      },
      defineCommand({
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        summary: 'Show helpful text about the different subcommands',
        since: '6.2.0',
        group: 'pubsub',
        complexity: 'O(1)',
        handler: (client) => replyHelp(client, PUBSUB_HELP),
      }),
    ],
  }),
];
