// COMMAND and its subcommands: the command table as clients see it (redis-cli 7 reads COMMAND DOCS
// for its hints; cluster-aware clients read COMMAND INFO for key positions).
import {
  arityMatches,
  commandKeyReferences,
  defineCommand,
  type Command,
  type CommandDocArgument,
  type CommandSpec,
  type KeySpec,
} from '../core/command-table.js';
import { ERR, is } from '../core/replies.js';
import { replyHelp } from './server.js';
import { globMatch } from '../util/glob.js';
import type { Client } from '../core/client.js';
import type { BinaryString } from '../protocol/request-parser.js';

/** server.c addReplyFlagsForKeyArgs. */
function replyKeyFlags(client: Client, flags: readonly string[]): void {
  client.reply.setHeader(flags.length);
  for (const f of flags) client.reply.simple(f);
}

/** server.c addReplyCommandInfo. */
function replyCommandInfo(client: Client, command: Command): void {
  const r = client.reply;
  r.arrayHeader(10);
  r.bulk(command.fullName);
  r.integer(command.arity);
  r.setHeader(command.flags.length);
  for (const flag of command.flags) r.simple(flag);
  r.integer(command.firstKey);
  r.integer(command.lastKey);
  r.integer(command.keyStep);
  r.setHeader(command.categories.length);
  for (const cat of command.categories) r.simple(`@${cat}`);
  const tips = command.tips ?? [];
  r.setHeader(tips.length);
  for (const tip of tips) r.simple(tip);
  const specs = command.keySpecs ?? [];
  // A set in RESP3, as addReplyCommandKeySpecs replies it.
  r.setHeader(specs.length);
  for (const spec of specs) replyKeySpec(client, spec);
  const subs = [...(command.subcommandMap?.values() ?? [])];
  r.arrayHeader(subs.length);
  for (const sub of subs) replyCommandInfo(client, sub);
}

/** One key spec (server.c addReplyCommandKeySpecs). */
function replyKeySpec(client: Client, spec: KeySpec): void {
  const r = client.reply;
  r.mapHeader(spec.notes !== undefined ? 4 : 3);
  if (spec.notes !== undefined) {
    r.bulk('notes');
    r.bulk(spec.notes);
  }
  r.bulk('flags');
  replyKeyFlags(client, spec.flags);
  r.bulk('begin_search');
  r.mapHeader(2);
  r.bulk('type');
  if (spec.begin === 'unknown') {
    r.bulk('unknown');
    r.bulk('spec');
    r.mapHeader(0);
  } else if ('index' in spec.begin) {
    r.bulk('index');
    r.bulk('spec');
    r.mapHeader(1);
    r.bulk('index');
    r.integer(spec.begin.index);
  } else {
    r.bulk('keyword');
    r.bulk('spec');
    r.mapHeader(2);
    r.bulk('keyword');
    r.bulk(spec.begin.keyword);
    r.bulk('startfrom');
    r.integer(spec.begin.startFrom);
  }
  r.bulk('find_keys');
  r.mapHeader(2);
  r.bulk('type');
  if (spec.find === 'unknown') {
    r.bulk('unknown');
    r.bulk('spec');
    r.mapHeader(0);
  } else if ('lastKey' in spec.find) {
    r.bulk('range');
    r.bulk('spec');
    r.mapHeader(3);
    r.bulk('lastkey');
    r.integer(spec.find.lastKey);
    r.bulk('keystep');
    r.integer(spec.find.keyStep);
    r.bulk('limit');
    r.integer(spec.find.limit);
  } else {
    r.bulk('keynum');
    r.bulk('spec');
    r.mapHeader(3);
    r.bulk('keynumidx');
    r.integer(spec.find.keynumIdx);
    r.bulk('firstkey');
    r.integer(spec.find.firstKey);
    r.bulk('keystep');
    r.integer(spec.find.keyStep);
  }
}

/**
 * One argument of COMMAND DOCS (server.c addReplyCommandArgList). A key argument belongs to the
 * command's first key spec unless it names another (`keySpecIndex`), as in Redis's JSON files.
 */
function replyDocArgument(client: Client, arg: CommandDocArgument, hasKeySpecs: boolean): void {
  const r = client.reply;
  const keySpecIndex = arg.keySpecIndex ?? (hasKeySpecs && arg.type === 'key' ? 0 : undefined);
  const flags = [arg.optional && 'optional', arg.multiple && 'multiple', arg.multipleToken && 'multiple_token'].filter(Boolean) as string[];
  const fields =
    2 +
    (keySpecIndex !== undefined ? 1 : 0) +
    (arg.token !== undefined ? 1 : 0) +
    (arg.since ? 1 : 0) +
    (arg.deprecatedSince ? 1 : 0) +
    (flags.length ? 1 : 0) +
    (arg.arguments ? 1 : 0);
  r.mapHeader(fields);
  r.bulk('name');
  r.bulk(arg.name);
  r.bulk('type');
  r.bulk(arg.type);
  if (keySpecIndex !== undefined) {
    r.bulk('key_spec_index');
    r.integer(keySpecIndex);
  }
  if (arg.token !== undefined) {
    r.bulk('token');
    r.bulk(arg.token);
  }
  if (arg.since) {
    r.bulk('since');
    r.bulk(arg.since);
  }
  if (arg.deprecatedSince) {
    r.bulk('deprecated_since');
    r.bulk(arg.deprecatedSince);
  }
  if (flags.length) {
    r.bulk('flags');
    r.setHeader(flags.length);
    for (const f of flags) r.simple(f);
  }
  if (arg.arguments) {
    r.bulk('arguments');
    r.arrayHeader(arg.arguments.length);
    for (const a of arg.arguments) replyDocArgument(client, a, hasKeySpecs);
  }
}

/** server.c addReplyCommandDocs. */
function replyCommandDocs(client: Client, command: Command): void {
  const r = client.reply;
  const subs = [...(command.subcommandMap?.values() ?? [])];
  const fields =
    3 +
    (command.complexity ? 1 : 0) +
    (command.docFlags ? 1 : 0) +
    (command.deprecatedSince ? 1 : 0) +
    (command.replacedBy ? 1 : 0) +
    (command.history ? 1 : 0) +
    (command.arguments ? 1 : 0) +
    (subs.length ? 1 : 0);
  r.mapHeader(fields);
  r.bulk('summary');
  r.bulk(command.summary);
  r.bulk('since');
  r.bulk(command.since);
  r.bulk('group');
  r.bulk(command.group);
  if (command.complexity) {
    r.bulk('complexity');
    r.bulk(command.complexity);
  }
  if (command.docFlags) {
    r.bulk('doc_flags');
    r.setHeader(command.docFlags.length);
    for (const flag of command.docFlags) r.simple(flag);
  }
  if (command.deprecatedSince) {
    r.bulk('deprecated_since');
    r.bulk(command.deprecatedSince);
  }
  if (command.replacedBy) {
    r.bulk('replaced_by');
    r.bulk(command.replacedBy);
  }
  if (command.history) {
    r.bulk('history');
    // A set in RESP3, as addReplyCommandHistory replies it.
    r.setHeader(command.history.length);
    for (const [version, change] of command.history) {
      r.arrayHeader(2);
      r.bulk(version);
      r.bulk(change);
    }
  }
  if (command.arguments) {
    r.bulk('arguments');
    r.arrayHeader(command.arguments.length);
    for (const a of command.arguments) replyDocArgument(client, a, command.keySpecs !== undefined);
  }
  if (subs.length) {
    r.bulk('subcommands');
    r.mapHeader(subs.length);
    for (const sub of subs) {
      r.bulk(sub.fullName);
      replyCommandDocs(client, sub);
    }
  }
}

/** A command or "container|sub" name, as COMMAND INFO / DOCS accept them. */
function findByFullName(client: Client, name: BinaryString): Command | undefined {
  const [base, sub] = name.toLowerCase().split('|');
  const command = client.server.commands.lookupName(base!);
  if (sub === undefined) return command;
  return command?.subcommandMap?.get(sub);
}

/** server.c getKeysSubcommandImpl: COMMAND GETKEYS and GETKEYSANDFLAGS. */
function replyCallKeys(client: Client, argv: BinaryString[], withFlags: boolean): void {
  const call = argv.slice(2);
  const command = client.server.commands.lookup(call);
  if (!command) {
    client.reply.error('ERR Invalid command specified');
    return;
  }
  if (!command.hasKeys) {
    client.reply.error('ERR The command has no key arguments');
    return;
  }
  if (!arityMatches(command, call.length)) {
    client.reply.error('ERR Invalid number of arguments specified for command');
    return;
  }
  const keys = commandKeyReferences(command, call);
  if (keys.length === 0) {
    if (command.flags.includes('no_mandatory_keys')) client.reply.arrayHeader(0);
    else client.reply.error('ERR Invalid arguments specified for command');
    return;
  }
  client.reply.arrayHeader(keys.length);
  for (const key of keys) {
    if (withFlags) client.reply.arrayHeader(2);
    client.reply.bulk(call[key.pos]!);
    if (withFlags) replyKeyFlags(client, key.flags);
  }
}

const COMMAND_HELP = [
  'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
  'HELP',
  '    Prints this help.',
];

const sub = (spec: Omit<Parameters<typeof defineCommand>[0], 'since' | 'group'> & { since?: string }): CommandSpec =>
  defineCommand({ since: '7.0.0', group: 'server', ...spec });

export const introspectionCommands: CommandSpec[] = [
  defineCommand({
    name: 'command',
    arity: -1,
    tips: ['nondeterministic_output_order'],
    flags: ['loading', 'stale'],
    acl: ['connection'],
    summary: 'Get array of Redis command details',
    since: '2.8.13',
    group: 'server',
    complexity: 'O(N) where N is the total number of Redis commands',
    handler(client) {
      const all = client.server.commands.all();
      client.reply.arrayHeader(all.length);
      for (const command of all) replyCommandInfo(client, command);
    },
    subcommands: [
      sub({
        name: 'count',
        arity: 2,
        flags: ['loading', 'stale'],
        acl: ['connection'],
        summary: 'Get total number of Redis commands',
        since: '2.8.13',
        complexity: 'O(1)',
        handler(client) {
          client.reply.integer(client.server.commands.size);
        },
      }),
      sub({
        name: 'info',
        arity: -2,
        tips: ['nondeterministic_output_order'],
        flags: ['loading', 'stale'],
        acl: ['connection'],
        summary: 'Get array of specific Redis command details, or all when no argument is given.',
        since: '2.8.13',
        arguments: [{ name: 'command-name', type: 'string', optional: true, multiple: true }],
        history: [['7.0.0', 'Allowed to be called with no argument to get info on all commands.']],
        complexity: 'O(N) where N is the number of commands to look up',
        handler(client, argv) {
          const names = argv.slice(2);
          const commands = names.length ? names.map((n) => findByFullName(client, n)) : client.server.commands.all();
          client.reply.arrayHeader(commands.length);
          for (const command of commands) {
            if (command) replyCommandInfo(client, command);
            else client.reply.nullArray();
          }
        },
      }),
      sub({
        name: 'docs',
        arity: -2,
        tips: ['nondeterministic_output_order'],
        flags: ['loading', 'stale'],
        acl: ['connection'],
        summary: 'Get array of specific Redis command documentation',
        arguments: [{ name: 'command-name', type: 'string', optional: true, multiple: true }],
        complexity: 'O(N) where N is the number of commands to look up',
        handler(client, argv) {
          const names = argv.slice(2);
          const found: Command[] = [];
          if (names.length === 0) found.push(...client.server.commands.all());
          for (const name of names) {
            const command = findByFullName(client, name);
            if (command) found.push(command);
          }
          client.reply.mapHeader(found.length);
          for (const command of found) {
            client.reply.bulk(command.fullName);
            replyCommandDocs(client, command);
          }
        },
      }),
      sub({
        name: 'list',
        arity: -2,
        tips: ['nondeterministic_output_order'],
        flags: ['loading', 'stale'],
        acl: ['connection'],
        summary: 'Get an array of Redis command names',
        arguments: [
          {
            name: 'filterby',
            type: 'oneof',
            token: 'FILTERBY',
            optional: true,
            arguments: [
              { name: 'module-name', type: 'string', token: 'MODULE' },
              { name: 'category', type: 'string', token: 'ACLCAT' },
              { name: 'pattern', type: 'pattern', token: 'PATTERN' },
            ],
          },
        ],
        complexity: 'O(N) where N is the total number of Redis commands',
        handler(client, argv) {
          let names = client.server.commands
            .all()
            .flatMap((c) => [c.fullName, ...[...(c.subcommandMap?.values() ?? [])].map((s) => s.fullName)]);
          if (argv.length === 5 && is(argv[2]!, 'filterby')) {
            const value = argv[4]!;
            if (is(argv[3]!, 'pattern')) names = names.filter((n) => globMatch(value, n, true));
            else if (is(argv[3]!, 'aclcat'))
              names = names.filter((n) => findByFullName(client, n)?.categories.includes(value.toLowerCase() as never));
            else if (is(argv[3]!, 'module')) names = [];
            else {
              client.reply.error(ERR.syntax);
              return;
            }
          } else if (argv.length !== 2) {
            client.reply.error(ERR.syntax);
            return;
          }
          client.reply.bulkArray(names);
        },
      }),
      sub({
        name: 'getkeys',
        arity: -4,
        flags: ['loading', 'stale'],
        acl: ['connection'],
        summary: 'Extract keys given a full Redis command',
        since: '2.8.13',
        complexity: 'O(N) where N is the number of arguments to the command',
        handler: (client, argv) => replyCallKeys(client, argv, false),
      }),
      sub({
        name: 'getkeysandflags',
        arity: -4,
        flags: ['loading', 'stale'],
        acl: ['connection'],
        summary: 'Extract keys and access flags given a full Redis command',
        complexity: 'O(N) where N is the number of arguments to the command',
        handler: (client, argv) => replyCallKeys(client, argv, true),
      }),
      sub({
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        acl: ['connection'],
        summary: 'Show helpful text about the different subcommands',
        since: '5.0.0',
        complexity: 'O(1)',
        handler(client) {
          replyHelp(client, COMMAND_HELP);
        },
      }),
    ],
  }),
];
