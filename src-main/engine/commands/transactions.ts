// Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH (Redis's multi.c). The queueing itself
// happens in the executor; the state and EXEC's work live in core/transactions.ts.
import { keySpec, defineCommand, type CommandSpec } from '../core/command-table.js';

const TRANSACTION_FLAGS = ['noscript', 'loading', 'stale', 'fast', 'allow_busy'] as const;

export const transactionCommands: CommandSpec[] = [
  defineCommand({
    name: 'multi',
    arity: 1,
    flags: [...TRANSACTION_FLAGS],
    acl: ['transaction'],
    summary: 'Mark the start of a transaction block',
    since: '1.2.0',
    group: 'transactions',
    complexity: 'O(1)',
    handler(client) {
      if (client.multi !== null) {
        client.reply.error('ERR MULTI calls can not be nested');
        return;
      }
      client.multi = [];
      client.reply.ok();
    },
  }),
  defineCommand({
    name: 'exec',
    arity: 1,
    flags: ['noscript', 'loading', 'stale', 'skip_slowlog'],
    acl: ['transaction'],
    summary: 'Execute all commands issued after MULTI',
    since: '1.2.0',
    group: 'transactions',
    complexity: 'Depends on commands in the transaction',
    handler(client) {
      if (client.multi === null) {
        client.reply.error('ERR EXEC without MULTI');
        return;
      }
      client.server.transactions.exec(client);
    },
  }),
  defineCommand({
    name: 'discard',
    arity: 1,
    flags: [...TRANSACTION_FLAGS],
    acl: ['transaction'],
    summary: 'Discard all commands issued after MULTI',
    since: '2.0.0',
    group: 'transactions',
    complexity: 'O(N), when N is the number of queued commands',
    handler(client) {
      if (client.multi === null) {
        client.reply.error('ERR DISCARD without MULTI');
        return;
      }
      client.server.transactions.discard(client);
      client.reply.ok();
    },
  }),
  defineCommand({
    name: 'watch',
    arity: -2,
    flags: [...TRANSACTION_FLAGS],
    acl: ['transaction'],
    keySpecs: [keySpec('RO', 1, [-1, 1, 0])],
    summary: 'Watch the given keys to determine execution of the MULTI/EXEC block',
    since: '2.2.0',
    group: 'transactions',
    complexity: 'O(1) for every key.',
    arguments: [{ name: 'key', type: 'key', multiple: true }],
    handler(client, argv) {
      if (client.multi !== null) {
        client.reply.error('ERR WATCH inside MULTI is not allowed');
        return;
      }
      // No point in watching once a watched key already changed (multi.c watchCommand).
      if (!client.dirtyCas) {
        for (let i = 1; i < argv.length; i++) client.server.transactions.watch(client, argv[i]!);
      }
      client.reply.ok();
    },
  }),
  defineCommand({
    name: 'unwatch',
    arity: 1,
    flags: [...TRANSACTION_FLAGS],
    acl: ['transaction'],
    summary: 'Forget about all watched keys',
    since: '2.2.0',
    group: 'transactions',
    complexity: 'O(1)',
    handler(client) {
      client.server.transactions.unwatchAll(client);
      client.dirtyCas = false;
      client.reply.ok();
    },
  }),
];
