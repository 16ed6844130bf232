// Connection commands: PING, ECHO, SELECT, QUIT, HELLO, AUTH, RESET (CLIENT is in client.ts).
import { defineCommand, type CommandSpec } from '../core/command-table.js';
import { ERR, is } from '../core/replies.js';
import { parseInteger } from '../util/numbers.js';
import { setClientName } from './client.js';
import { WRONGPASS } from '../acl/acl.js';
import { REDIS_VERSION } from '../util/version.js';
import type { Client } from '../core/client.js';
import type { BinaryString } from '../protocol/request-parser.js';

/** HELLO's reply (networking.c helloCommand): who we are, as a map. */
function replyHello(client: Client): void {
  const r = client.reply;
  // A Sentinel has no replication role: it leaves the field out.
  const sentinel = client.server.mode === 'sentinel';
  r.mapHeader(sentinel ? 6 : 7);
  r.bulk('server');
  r.bulk('redis');
  r.bulk('version');
  r.bulk(REDIS_VERSION);
  r.bulk('proto');
  r.integer(r.protocol);
  r.bulk('id');
  r.integer(client.id);
  r.bulk('mode');
  r.bulk(client.server.mode);
  if (!sentinel) {
    r.bulk('role');
    r.bulk(client.server.keyspace.isReplica ? 'replica' : 'master');
  }
  r.bulk('modules');
  r.arrayHeader(0);
}

function hello(client: Client, argv: BinaryString[]): void {
  let version: 2 | 3 | undefined;
  if (argv.length >= 2) {
    const v = parseInteger(argv[1]!);
    if (v === null) {
      client.reply.error('ERR Protocol version is not an integer or out of range');
      return;
    }
    if (v !== 2 && v !== 3) {
      client.reply.error('NOPROTO unsupported protocol version');
      return;
    }
    version = v;
  }
  for (let j = 2; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (is(argv[j]!, 'auth') && more >= 2) {
      if (!client.server.accessControl.authenticate(client, argv[j + 1]!, argv[j + 2]!, argv[0]!)) {
        client.reply.error(WRONGPASS);
        return;
      }
      j += 2;
    } else if (is(argv[j]!, 'setname') && more >= 1) {
      if (!setClientName(client, argv[j + 1]!)) return;
      j++;
    } else {
      client.reply.error(`ERR Syntax error in HELLO option '${argv[j]}'`);
      return;
    }
  }
  if (!client.authenticated) {
    client.reply.error(
      'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    );
    return;
  }
  if (version !== undefined) client.reply.protocol = version;
  replyHello(client);
}

function auth(client: Client, argv: BinaryString[]): void {
  if (argv.length > 3) {
    client.reply.error(ERR.syntax);
    return;
  }
  const acl = client.server.accessControl;
  if (argv.length === 2 && acl.defaultUserHasNoPassword) {
    client.reply.error(
      'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
    );
    return;
  }
  const [username, password] = argv.length === 2 ? ['default', argv[1]!] : [argv[1]!, argv[2]!];
  if (acl.authenticate(client, username, password, argv[0]!)) client.reply.ok();
  else client.reply.error(WRONGPASS);
}

/** networking.c clearClientConnectionState: RESET puts a connection back to how it started. */
function reset(client: Client): void {
  const server = client.server;
  client.select(0);
  client.reply.protocol = 2;
  client.user = server.accessControl.defaultUser;
  client.authenticated = !server.requiresAuth();
  server.transactions.discard(client);
  server.pubsub.forget(client);
  server.monitors.remove(client);
  client.name = '';
  client.replyMode = 'on';
  client.reply.simple('RESET');
}

const CONNECTION_FLAGS = ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'] as const;

export const connectionCommands: CommandSpec[] = [
  defineCommand({
    name: 'ping',
    arity: -1,
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    flags: ['fast'],
    acl: ['connection'],
    summary: 'Ping the server',
    since: '1.0.0',
    group: 'connection',
    complexity: 'O(1)',
    arguments: [{ name: 'message', type: 'string', optional: true }],
    handler(client, argv) {
      if (argv.length > 2) {
        client.reply.error("ERR wrong number of arguments for 'ping' command");
        return;
      }
      if (client.reply.protocol === 2 && client.inPubSubContext) {
        // A RESP2 subscriber can only tell replies apart from messages by their shape.
        client.reply.arrayHeader(2);
        client.reply.bulk('pong');
        client.reply.bulk(argv.length === 1 ? '' : argv[1]!);
      } else if (argv.length === 1) client.reply.simple('PONG');
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
    complexity: 'O(1)',
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
    complexity: 'O(1)',
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
    complexity: 'O(1)',
    handler(client) {
      client.reply.ok();
      client.closeAfterReply = true;
    },
  }),
  defineCommand({
    name: 'hello',
    arity: -1,
    flags: [...CONNECTION_FLAGS],
    acl: ['connection'],
    summary: 'Handshake with Redis',
    since: '6.0.0',
    group: 'connection',
    history: [['6.2.0', "`protover` made optional; when called without arguments the command reports the current connection's context."]],
    complexity: 'O(1)',
    arguments: [
      {
        name: 'arguments',
        type: 'block',
        optional: true,
        arguments: [
          { name: 'protover', type: 'integer' },
          {
            name: 'username_password',
            type: 'block',
            token: 'AUTH',
            optional: true,
            arguments: [
              { name: 'username', type: 'string' },
              { name: 'password', type: 'string' },
            ],
          },
          { name: 'clientname', type: 'string', token: 'SETNAME', optional: true },
        ],
      },
    ],
    handler: hello,
  }),
  defineCommand({
    name: 'auth',
    arity: -2,
    flags: [...CONNECTION_FLAGS],
    acl: ['connection'],
    summary: 'Authenticate to the server',
    since: '1.0.0',
    group: 'connection',
    history: [['6.0.0', 'Added ACL style (username and password).']],
    complexity: 'O(N) where N is the number of passwords defined for the user',
    arguments: [
      { name: 'username', type: 'string', optional: true, since: '6.0.0' },
      { name: 'password', type: 'string' },
    ],
    handler: auth,
  }),
  defineCommand({
    name: 'reset',
    arity: 1,
    flags: [...CONNECTION_FLAGS],
    acl: ['connection'],
    summary: 'Reset the connection',
    since: '6.2.0',
    group: 'connection',
    complexity: 'O(1)',
    handler: reset,
  }),
];
