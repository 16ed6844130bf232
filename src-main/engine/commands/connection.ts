// Connection commands: PING, ECHO, SELECT, QUIT.
import { defineCommand, type CommandSpec } from './table.js';
import { ERR } from './replies.js';
import { parseInteger } from '../util/numbers.js';

export const connectionCommands: CommandSpec[] = [
  defineCommand({
    name: 'ping',
    arity: -1,
    flags: ['fast'],
    acl: ['connection'],
    summary: 'Ping the server',
    since: '1.0.0',
    group: 'connection',
    arguments: [{ name: 'message', type: 'string', optional: true }],
    handler(client, argv) {
      if (argv.length > 2) {
        client.reply.error("ERR wrong number of arguments for 'ping' command");
        return;
      }
      if (argv.length === 1) client.reply.simple('PONG');
      else client.reply.bulk(argv[1]!);
    },
  }),
  defineCommand({
    name: 'echo',
    arity: 2,
    flags: ['loading', 'stale', 'fast'],
    acl: ['connection'],
    summary: 'Echo the given string',
    since: '1.0.0',
    group: 'connection',
    arguments: [{ name: 'message', type: 'string' }],
    handler(client, argv) {
      client.reply.bulk(argv[1]!);
    },
  }),
  defineCommand({
    name: 'select',
    arity: 2,
    flags: ['loading', 'stale', 'fast'],
    acl: ['connection'],
    summary: 'Change the selected database for the current connection',
    since: '1.0.0',
    group: 'connection',
    arguments: [{ name: 'index', type: 'integer' }],
    handler(client, argv) {
      const index = parseInteger(argv[1]!);
      if (index === null || index < -2147483648 || index > 2147483647) {
        client.reply.error(ERR.notInteger);
      } else if (!client.select(index)) {
        client.reply.error(ERR.dbIndexOutOfRange);
      } else {
        client.reply.ok();
      }
    },
  }),
  defineCommand({
    name: 'quit',
    arity: -1,
    flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    acl: ['connection'],
    summary: 'Close the connection',
    since: '1.0.0',
    group: 'connection',
    handler(client) {
      client.reply.ok();
      client.closeAfterReply = true;
    },
  }),
];
