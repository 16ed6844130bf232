// Generic key commands (db.c, expire.c): DEL, EXISTS, ...
import { defineCommand, type CommandSpec } from './table.js';

export const keyCommands: CommandSpec[] = [
  defineCommand({
    name: 'del',
    arity: -2,
    flags: ['write'],
    keys: [1, -1, 1],
    acl: ['keyspace'],
    summary: 'Delete a key',
    since: '1.0.0',
    group: 'generic',
    complexity: 'O(N) where N is the number of keys that will be removed.',
    arguments: [{ name: 'key', type: 'key', multiple: true }],
    handler(client, argv) {
      let deleted = 0;
      for (let i = 1; i < argv.length; i++) {
        if (client.db.delete(argv[i]!)) {
          deleted++;
          client.server.keyspaceEvents.notify('g', 'del', argv[i]!, client.db.id);
        }
      }
      client.reply.integer(deleted);
    },
  }),
  defineCommand({
    name: 'exists',
    arity: -2,
    flags: ['readonly', 'fast'],
    keys: [1, -1, 1],
    acl: ['keyspace'],
    summary: 'Determine if a key exists',
    since: '1.0.0',
    group: 'generic',
    complexity: 'O(N) where N is the number of keys to check.',
    arguments: [{ name: 'key', type: 'key', multiple: true }],
    handler(client, argv) {
      let count = 0;
      for (let i = 1; i < argv.length; i++) if (client.db.lookupRead(argv[i]!) !== undefined) count++;
      client.reply.integer(count);
    },
  }),
];
