// Server commands: INFO, DBSIZE, FLUSHDB, FLUSHALL, TIME, SHUTDOWN (CONFIG is in config.ts).
import { defineCommand, type CommandSpec } from '../core/command-table.js';
import { ERR, is } from '../core/replies.js';
import type { Client } from '../core/client.js';
import type { BinaryString } from '../protocol/request-parser.js';
import { blockClient, isBlocked, unblockClient } from '../core/blocking.js';
import type { NodeServices } from './node-services.js';

/** FLUSHALL / FLUSHDB [ASYNC|SYNC]: both modes empty at once here (no lazy-free thread to hand off to). */
function flushModeValid(argv: BinaryString[]): boolean {
  return argv.length === 1 || (argv.length === 2 && (is(argv[1]!, 'async') || is(argv[1]!, 'sync')));
}

/** Redis's addReplyHelp: status lines. */
export function replyHelp(client: Client, lines: string[]): void {
  client.reply.arrayHeader(lines.length);
  for (const line of lines) client.reply.simple(line);
}

export function serverCommands(node: NodeServices): CommandSpec[] {
  return [
    defineCommand({
      name: 'info',
      arity: -1,
      tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
      flags: ['loading', 'stale'],
      acl: ['dangerous'],
      summary: 'Get information and statistics about the server',
      since: '1.0.0',
      group: 'server',
      history: [['7.0.0', 'Added support for taking multiple section arguments.']],
      complexity: 'O(1)',
      arguments: [{ name: 'section', type: 'string', optional: true, multiple: true }],
      handler(client, argv) {
        client.reply.verbatim(client.server.info.render(argv.slice(1)));
      },
    }),
    defineCommand({
      name: 'dbsize',
      arity: 1,
      tips: ['request_policy:all_shards', 'response_policy:agg_sum'],
      flags: ['readonly', 'fast'],
      acl: ['keyspace'],
      summary: 'Return the number of keys in the selected database',
      since: '1.0.0',
      group: 'server',
      complexity: 'O(1)',
      handler(client) {
        client.reply.integer(client.db.size);
      },
    }),
    defineCommand({
      name: 'flushdb',
      arity: -1,
      tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
      flags: ['write'],
      acl: ['keyspace', 'dangerous'],
      summary: 'Remove all keys from the current database',
      since: '1.0.0',
      group: 'server',
      history: [
        ['4.0.0', 'Added the `ASYNC` flushing mode modifier.'],
        ['6.2.0', 'Added the `SYNC` flushing mode modifier.'],
      ],
      complexity: 'O(N) where N is the number of keys in the selected database',
      arguments: [
        {
          name: 'async',
          type: 'oneof',
          optional: true,
          arguments: [
            { name: 'async', type: 'pure-token', token: 'ASYNC', since: '4.0.0' },
            { name: 'sync', type: 'pure-token', token: 'SYNC', since: '6.2.0' },
          ],
        },
      ],
      handler(client, argv) {
        if (!flushModeValid(argv)) {
          client.reply.error(ERR.syntax);
          return;
        }
        client.server.keyspace.dirty += client.db.flush();
        // Replicated even when the database was already empty (Redis's forceCommandPropagation).
        client.server.propagation.force();
        client.reply.ok();
      },
    }),
    defineCommand({
      name: 'flushall',
      arity: -1,
      tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
      flags: ['write'],
      acl: ['keyspace', 'dangerous'],
      summary: 'Remove all keys from all databases',
      since: '1.0.0',
      group: 'server',
      history: [
        ['4.0.0', 'Added the `ASYNC` flushing mode modifier.'],
        ['6.2.0', 'Added the `SYNC` flushing mode modifier.'],
      ],
      complexity: 'O(N) where N is the total number of keys in all databases',
      arguments: [
        {
          name: 'async',
          type: 'oneof',
          optional: true,
          arguments: [
            { name: 'async', type: 'pure-token', token: 'ASYNC', since: '4.0.0' },
            { name: 'sync', type: 'pure-token', token: 'SYNC', since: '6.2.0' },
          ],
        },
      ],
      handler(client, argv) {
        if (!flushModeValid(argv)) {
          client.reply.error(ERR.syntax);
          return;
        }
        const server = client.server;
        server.keyspace.dirty += server.keyspace.flushAll();
        node.persistence.rdb.afterFlushAll();
        // Replicated even when nothing was removed, or the save just reset the counter.
        server.propagation.force();
        client.reply.ok();
      },
    }),
    defineCommand({
      name: 'time',
      arity: 1,
      tips: ['nondeterministic_output'],
      flags: ['loading', 'stale', 'fast'],
      summary: 'Return the current server time',
      since: '2.6.0',
      group: 'server',
      complexity: 'O(1)',
      handler(client) {
        const nowUs = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
        client.reply.arrayHeader(2);
        client.reply.bulk(String(nowUs / 1000000n));
        client.reply.bulk(String(nowUs % 1000000n));
      },
    }),
    shutdownCommand,
  ];
}

/** SHUTDOWN: also in a Sentinel's command table (../sentinel/). */
export const shutdownCommand: CommandSpec = defineCommand({
  name: 'shutdown',
  arity: -1,
  flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'],
  summary: 'Synchronously save the dataset to disk and then shut down the server',
  since: '1.0.0',
  group: 'server',
  history: [['7.0.0', 'Added the `NOW`, `FORCE` and `ABORT` modifiers.']],
  complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
  arguments: [
    {
      name: 'nosave_save',
      type: 'oneof',
      optional: true,
      arguments: [
        { name: 'nosave', type: 'pure-token', token: 'NOSAVE' },
        { name: 'save', type: 'pure-token', token: 'SAVE' },
      ],
    },
    { name: 'now', type: 'pure-token', token: 'NOW', optional: true, since: '7.0.0' },
    { name: 'force', type: 'pure-token', token: 'FORCE', optional: true, since: '7.0.0' },
    { name: 'abort', type: 'pure-token', token: 'ABORT', optional: true, since: '7.0.0' },
  ],
  handler(client, argv) {
    let saveFlag = false;
    let nosaveFlag = false;
    let force = false;
    let now = false;
    let abort = false;
    for (const arg of argv.slice(1)) {
      if (is(arg, 'nosave')) nosaveFlag = true;
      else if (is(arg, 'save')) saveFlag = true;
      else if (is(arg, 'force')) force = true;
      else if (is(arg, 'now')) now = true;
      else if (is(arg, 'abort')) abort = true;
      else {
        client.reply.error(ERR.syntax);
        return;
      }
    }
    // ABORT goes alone; SAVE and NOSAVE contradict each other.
    if ((abort && (saveFlag || nosaveFlag || now || force)) || (saveFlag && nosaveFlag)) {
      client.reply.error(ERR.syntax);
      return;
    }
    const save = saveFlag ? true : nosaveFlag ? false : undefined;
    const shutdown = client.server.shutdownControl;
    if (abort) {
      if (shutdown.abort()) client.reply.ok();
      else client.reply.error('ERR No shutdown in progress.');
      return;
    }
    // BLOCKED_SHUTDOWN: no reply while the node waits for its replicas; on success the
    // connection just closes with the process, as with Redis. If the shutdown is cancelled
    // (SHUTDOWN ABORT, failed final save) the node keeps running and the client learns it.
    // A script past busy-reply-threshold: only SHUTDOWN NOSAVE (the dataset is half changed).
    const yielding = client.server.yielding;
    if (save !== false && yielding.active) {
      client.reply.error(yielding.busyError);
      return;
    }
    const failed = () => client.reply.error('ERR Errors trying to SHUTDOWN. Check logs.');
    blockClient(client, { deadline: 0, timedOut: failed });
    client.server.shutdown({ save, force, now }).catch(() => {
      if (!isBlocked(client)) return; // CLIENT UNBLOCK already answered it
      failed();
      unblockClient(client);
    });
  },
});
