// CLIENT and its subcommands (Redis's networking.c clientCommand): connection introspection and
// per-connection modes. Client state itself lives on core/client.ts; the CLIENT LIST line format
// in core/client-info.ts.
import { defineCommand, type CommandSpec } from '../core/command-table.js';
import { ERR, is } from '../core/replies.js';
import { replyHelp } from './server.js';
import { parseInteger } from '../util/numbers.js';
import { clientInfoString, clientTypeName } from '../core/client-info.js';
import { unblockByRequest } from '../core/blocking.js';
import { clientTrackingSubcommands } from './client-tracking.js';
import type { Client } from '../core/client.js';
import type { BinaryString } from '../protocol/request-parser.js';

const CLIENT_HELP = [
  'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
  'HELP',
  '    Prints this help.',
];

type ClientType = ReturnType<typeof clientTypeName>;

/** getClientTypeByName: "replica" is "slave" under its newer name. */
function parseClientType(name: BinaryString): ClientType | null {
  const n = name.toLowerCase();
  if (n === 'normal' || n === 'master' || n === 'pubsub') return n;
  if (n === 'slave' || n === 'replica') return 'slave';
  return null;
}

/** networking.c clientSetName's rule: printable ASCII without spaces. */
export function validClientName(name: BinaryString): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

/** CLIENT SETNAME / HELLO SETNAME: false after replying the error. */
export function setClientName(client: Client, name: BinaryString): boolean {
  if (!validClientName(name)) {
    client.reply.error('ERR Client names cannot contain spaces, newlines or special characters.');
    return false;
  }
  client.name = name;
  return true;
}

function clientList(client: Client, argv: BinaryString[]): void {
  let selected = [...client.server.clients.values()];
  if (argv.length === 4 && is(argv[2]!, 'type')) {
    const type = parseClientType(argv[3]!);
    if (type === null) {
      client.reply.error(`ERR Unknown client type '${argv[3]}'`);
      return;
    }
    selected = selected.filter((c) => clientTypeName(c) === type);
  } else if (argv.length > 3 && is(argv[2]!, 'id')) {
    const ids: number[] = [];
    for (const arg of argv.slice(3)) {
      const id = parseInteger(arg);
      if (id === null || id <= 0) {
        client.reply.error('ERR Invalid client ID');
        return;
      }
      ids.push(id);
    }
    selected = ids.map((id) => client.server.clients.get(id)).filter((c): c is Client => c !== undefined);
  } else if (argv.length !== 2) {
    client.reply.error(ERR.syntax);
    return;
  }
  client.reply.verbatim(selected.map((c) => clientInfoString(c) + '\n').join(''));
}

interface KillFilter {
  id?: number;
  type?: ClientType;
  user?: string;
  addr?: string;
  laddr?: string;
  skipMe: boolean;
}

/** CLIENT KILL's filter form; undefined after replying the error. */
function parseKillFilter(client: Client, args: BinaryString[]): KillFilter | undefined {
  const filter: KillFilter = { skipMe: true };
  for (let i = 0; i < args.length; i += 2) {
    if (i + 1 >= args.length) {
      client.reply.error(ERR.syntax);
      return undefined;
    }
    const option = args[i]!.toLowerCase();
    const value = args[i + 1]!;
    if (option === 'id') {
      const id = parseInteger(value);
      if (id === null || id <= 0) {
        client.reply.error('ERR client-id should be greater than 0');
        return undefined;
      }
      filter.id = id;
    } else if (option === 'type') {
      const type = parseClientType(value);
      if (type === null) {
        client.reply.error(`ERR Unknown client type '${value}'`);
        return undefined;
      }
      filter.type = type;
    } else if (option === 'addr') {
      filter.addr = value;
    } else if (option === 'laddr') {
      filter.laddr = value;
    } else if (option === 'user') {
      if (!client.server.accessControl.hasUser(value)) {
        client.reply.error(`ERR No such user '${value}'`);
        return undefined;
      }
      filter.user = value;
    } else if (option === 'skipme') {
      if (is(value, 'yes')) filter.skipMe = true;
      else if (is(value, 'no')) filter.skipMe = false;
      else {
        client.reply.error(ERR.syntax);
        return undefined;
      }
    } else {
      client.reply.error(ERR.syntax);
      return undefined;
    }
  }
  return filter;
}

function matchesKillFilter(target: Client, self: Client, f: KillFilter): boolean {
  return (
    (f.id === undefined || target.id === f.id) &&
    (f.type === undefined || clientTypeName(target) === f.type) &&
    (f.addr === undefined || target.address === f.addr) &&
    (f.laddr === undefined || target.localAddress === f.laddr) &&
    (f.user === undefined || target.user?.name === f.user) &&
    !(f.skipMe && target === self)
  );
}

/** Closes a client; the one running the command is closed once its reply is written. */
function kill(target: Client, self: Client): void {
  if (target === self) self.closeAfterReply = true;
  else target.close();
}

function clientKill(client: Client, argv: BinaryString[]): void {
  const clients = [...client.server.clients.values()];
  if (argv.length === 3) {
    // Old form: CLIENT KILL ip:port, which may kill the caller too.
    const target = clients.find((c) => c.address === argv[2]);
    if (!target) {
      client.reply.error('ERR No such client');
      return;
    }
    client.reply.ok();
    kill(target, client);
    return;
  }
  const filter = parseKillFilter(client, argv.slice(2));
  if (!filter) return;
  const targets = clients.filter((c) => matchesKillFilter(c, client, filter));
  client.reply.integer(targets.length);
  for (const target of targets) kill(target, client);
}

/**
 * CLIENT UNBLOCK <id> [TIMEOUT|ERROR] (networking.c): the reason is checked before the id; a
 * client that is not blocked (or does not exist) gives 0.
 */
function clientUnblock(client: Client, argv: BinaryString[]): void {
  if (argv.length > 4) {
    client.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try CLIENT HELP.`);
    return;
  }
  let how: 'timeout' | 'error' = 'timeout';
  if (argv.length === 4) {
    if (is(argv[3]!, 'error')) how = 'error';
    else if (!is(argv[3]!, 'timeout')) {
      client.reply.error('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
      return;
    }
  }
  const id = parseInteger(argv[2]!);
  if (id === null) {
    client.reply.error(ERR.notInteger);
    return;
  }
  const target = client.server.clients.get(id);
  client.reply.integer(target !== undefined && unblockByRequest(target, how) ? 1 : 0);
}

const sub = (spec: Omit<Parameters<typeof defineCommand>[0], 'group'>): CommandSpec =>
  defineCommand({ group: 'connection', acl: ['connection'], ...spec });
const CONN = ['noscript', 'loading', 'stale'] as const;

export const clientCommands: CommandSpec[] = [
  defineCommand({
    name: 'client',
    arity: -2,
    flags: [],
    summary: 'A container for client connection commands',
    since: '2.4.0',
    group: 'connection',
    complexity: 'Depends on subcommand.',
    subcommands: [
      sub({
        name: 'id',
        arity: 2,
        flags: [...CONN],
        summary: 'Returns the client ID for the current connection',
        since: '5.0.0',
        complexity: 'O(1)',
        handler: (client) => client.reply.integer(client.id),
      }),
      sub({
        name: 'info',
        arity: 2,
        tips: ['nondeterministic_output'],
        flags: [...CONN],
        summary: 'Returns information about the current client connection.',
        since: '6.2.0',
        complexity: 'O(1)',
        handler: (client) => client.reply.verbatim(clientInfoString(client) + '\n'),
      }),
      sub({
        name: 'list',
        arity: -2,
        tips: ['nondeterministic_output'],
        flags: ['admin', ...CONN],
        summary: 'Get the list of client connections',
        since: '2.4.0',
        arguments: [
          {
            name: 'normal_master_replica_pubsub',
            type: 'oneof',
            token: 'TYPE',
            optional: true,
            since: '5.0.0',
            arguments: [
              { name: 'normal', type: 'pure-token', token: 'NORMAL' },
              { name: 'master', type: 'pure-token', token: 'MASTER' },
              { name: 'replica', type: 'pure-token', token: 'REPLICA' },
              { name: 'pubsub', type: 'pure-token', token: 'PUBSUB' },
            ],
          },
          {
            name: 'id',
            type: 'block',
            token: 'ID',
            optional: true,
            since: '6.2.0',
            arguments: [{ name: 'client-id', type: 'integer', multiple: true }],
          },
        ],
        history: [
          ['2.8.12', 'Added unique client `id` field.'],
          ['5.0.0', 'Added optional `TYPE` filter.'],
          ['6.0.0', 'Added `user` field.'],
          ['6.2.0', 'Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.'],
          ['7.0.0', 'Added `resp`, `multi-mem`, `rbs` and `rbp` fields.'],
          ['7.0.3', 'Added `ssub` field.'],
        ],
        complexity: 'O(N) where N is the number of client connections',
        handler: clientList,
      }),
      sub({
        name: 'kill',
        arity: -3,
        flags: ['admin', ...CONN],
        summary: 'Kill the connection of a client',
        since: '2.4.0',
        arguments: [
          {
            name: 'filter',
            type: 'oneof',
            arguments: [
              { name: 'ip:port', type: 'string', deprecatedSince: '2.8.12' },
              {
                name: 'new-format',
                type: 'oneof',
                multiple: true,
                arguments: [
                  { name: 'client-id', type: 'integer', token: 'ID', optional: true, since: '2.8.12' },
                  {
                    name: 'normal_master_slave_pubsub',
                    type: 'oneof',
                    token: 'TYPE',
                    optional: true,
                    since: '2.8.12',
                    arguments: [
                      { name: 'normal', type: 'pure-token', token: 'NORMAL' },
                      { name: 'master', type: 'pure-token', token: 'MASTER', since: '3.2.0' },
                      { name: 'slave', type: 'pure-token', token: 'SLAVE' },
                      { name: 'replica', type: 'pure-token', token: 'REPLICA', since: '5.0.0' },
                      { name: 'pubsub', type: 'pure-token', token: 'PUBSUB' },
                    ],
                  },
                  { name: 'username', type: 'string', token: 'USER', optional: true },
                  { name: 'ip:port', type: 'string', token: 'ADDR', optional: true },
                  { name: 'ip:port', type: 'string', token: 'LADDR', optional: true, since: '6.2.0' },
                  { name: 'yes/no', type: 'string', token: 'SKIPME', optional: true },
                ],
              },
            ],
          },
        ],
        history: [
          ['2.8.12', 'Added new filter format.'],
          ['2.8.12', '`ID` option.'],
          ['3.2.0', 'Added `master` type in for `TYPE` option.'],
          ['5.0.0', 'Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.'],
          ['6.2.0', '`LADDR` option.'],
        ],
        complexity: 'O(N) where N is the number of client connections',
        handler: clientKill,
      }),
      sub({
        name: 'setname',
        arity: 3,
        flags: [...CONN],
        summary: 'Set the current connection name',
        since: '2.6.9',
        arguments: [{ name: 'connection-name', type: 'string' }],
        complexity: 'O(1)',
        handler(client, argv) {
          if (setClientName(client, argv[2]!)) client.reply.ok();
        },
      }),
      sub({
        name: 'getname',
        arity: 2,
        flags: [...CONN],
        summary: 'Get the current connection name',
        since: '2.6.9',
        complexity: 'O(1)',
        handler(client) {
          if (client.name === '') client.reply.null();
          else client.reply.bulk(client.name);
        },
      }),
      sub({
        name: 'reply',
        arity: 3,
        flags: [...CONN],
        summary: 'Instruct the server whether to reply to commands',
        since: '3.2.0',
        arguments: [
          {
            name: 'on_off_skip',
            type: 'oneof',
            arguments: [
              { name: 'on', type: 'pure-token', token: 'ON' },
              { name: 'off', type: 'pure-token', token: 'OFF' },
              { name: 'skip', type: 'pure-token', token: 'SKIP' },
            ],
          },
        ],
        complexity: 'O(1)',
        handler(client, argv) {
          const mode = argv[2]!.toLowerCase();
          if (mode === 'on') {
            client.replyMode = 'on';
            client.reply.ok();
          } else if (mode === 'off' || mode === 'skip') {
            client.replyMode = mode;
          } else {
            client.reply.error(ERR.syntax);
          }
        },
      }),
      sub({
        name: 'no-evict',
        arity: 3,
        flags: ['admin', ...CONN],
        summary: 'Set client eviction mode for the current connection',
        since: '7.0.0',
        arguments: [
          {
            name: 'enabled',
            type: 'oneof',
            arguments: [
              { name: 'on', type: 'pure-token', token: 'ON' },
              { name: 'off', type: 'pure-token', token: 'OFF' },
            ],
          },
        ],
        complexity: 'O(1)',
        handler(client, argv) {
          if (is(argv[2]!, 'on')) client.noEvict = true;
          else if (is(argv[2]!, 'off')) client.noEvict = false;
          else {
            client.reply.error(ERR.syntax);
            return;
          }
          client.reply.ok();
        },
      }),
      sub({
        name: 'pause',
        arity: -3,
        flags: ['admin', ...CONN],
        summary: 'Stop processing commands from clients for some time',
        since: '2.9.50',
        arguments: [
          { name: 'timeout', type: 'integer' },
          {
            name: 'mode',
            type: 'oneof',
            optional: true,
            since: '6.2.0',
            arguments: [
              { name: 'write', type: 'pure-token', token: 'WRITE' },
              { name: 'all', type: 'pure-token', token: 'ALL' },
            ],
          },
        ],
        history: [['6.2.0', '`CLIENT PAUSE WRITE` mode added along with the `mode` option.']],
        complexity: 'O(1)',
        handler(client, argv) {
          if (argv.length > 4) {
            client.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try CLIENT HELP.`);
            return;
          }
          const ms = parseInteger(argv[2]!);
          if (ms === null) {
            client.reply.error('ERR timeout is not an integer or out of range');
            return;
          }
          if (ms < 0) {
            client.reply.error('ERR timeout is negative');
            return;
          }
          let mode: 'all' | 'write' = 'all';
          if (argv.length === 4 && is(argv[3]!, 'write')) mode = 'write';
          else if (argv.length === 4 && !is(argv[3]!, 'all')) {
            client.reply.error('ERR CLIENT PAUSE mode must be WRITE or ALL');
            return;
          }
          client.server.pause.start(mode, Date.now() + ms);
          client.reply.ok();
        },
      }),
      sub({
        name: 'unpause',
        arity: 2,
        flags: ['admin', ...CONN],
        summary: 'Resume processing of clients that were paused',
        since: '6.2.0',
        complexity: 'O(N) Where N is the number of paused clients',
        handler(client) {
          client.server.pause.end();
          client.reply.ok();
        },
      }),
      sub({
        name: 'unblock',
        arity: -3,
        flags: ['admin', ...CONN],
        summary: 'Unblock a client blocked in a blocking command from a different connection',
        since: '5.0.0',
        complexity: 'O(log N) where N is the number of client connections',
        arguments: [
          { name: 'client-id', type: 'integer' },
          {
            name: 'timeout_error',
            type: 'oneof',
            optional: true,
            arguments: [
              { name: 'timeout', type: 'pure-token', token: 'TIMEOUT' },
              { name: 'error', type: 'pure-token', token: 'ERROR' },
            ],
          },
        ],
        handler: clientUnblock,
      }),
      ...clientTrackingSubcommands,
      sub({
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        summary: 'Show helpful text about the different subcommands',
        since: '5.0.0',
        complexity: 'O(1)',
        handler: (client) => replyHelp(client, CLIENT_HELP),
      }),
    ],
  }),
];
