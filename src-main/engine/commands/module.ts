// MODULE: Redis's native modules are shared libraries (.so) loaded into redis-server's process.
// A node is written in TypeScript and does not load native modules, so MODULE LIST is always
// empty and LOAD / LOADEX answer as redis-server does for a module that fails to load (the
// reason goes to the log, as module.c moduleLoad logs dlopen's error); UNLOAD finds no module.
// LOAD, LOADEX and UNLOAD are protected by `enable-module-command`, as in Redis 7.0.
import { existsSync } from 'node:fs';
import { defineCommand, type CommandSpec } from '../core/command-table.js';
import { replyHelp } from './server.js';
import type { Client } from '../core/client.js';
import type { BinaryString } from '../protocol/request-parser.js';

const LOAD_FAILED = 'ERR Error loading the extension. Please check the server logs.';

const MODULE_HELP = [
  'MODULE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'LIST',
  '    Return a list of loaded modules.',
  'LOAD <path> [<arg> ...]',
  '    Load a module library from <path>, passing to it any optional arguments.',
  'LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]',
  '    Load a module library from <path>, while passing it module configurations and optional arguments.',
  'UNLOAD <name>',
  '    Unload a module.',
  'HELP',
  '    Prints this help.',
];

/** moduleLoad's failure: the reason logged, the error replied. */
function failToLoad(client: Client, path: BinaryString): void {
  const reason = existsSync(path)
    ? 'this server does not load native modules'
    : 'cannot open shared object file: No such file or directory';
  client.server.logger.warning(`Module ${path} failed to load: ${path}: ${reason}`);
  client.reply.error(LOAD_FAILED);
}

/** module.c parseLoadexArguments: CONFIG name value pairs, then ARGS and the rest; null (logged) on bad syntax. */
function loadexArgumentsValid(client: Client, args: BinaryString[]): boolean {
  for (let j = 0; j < args.length;) {
    const word = args[j]!.toLowerCase();
    if (word === 'config') {
      if (j + 2 >= args.length) {
        client.server.logger.notice('CONFIG specified without name value pair');
        return false;
      }
      j += 3;
    } else if (word === 'args') {
      return true;
    } else {
      client.server.logger.notice(`Syntax Error from arguments to loadex around ${args[j]}.`);
      return false;
    }
  }
  return true;
}

const ADMIN_NOSCRIPT = ['admin', 'noscript', 'no_async_loading'] as const;

export const moduleCommands: CommandSpec[] = [
  defineCommand({
    name: 'module',
    arity: -2,
    flags: [],
    summary: 'A container for module commands',
    since: '4.0.0',
    group: 'server',
    complexity: 'Depends on subcommand.',
    subcommands: [
      defineCommand({
        name: 'list',
        arity: 2,
        flags: ['admin', 'noscript'],
        tips: ['nondeterministic_output_order'],
        summary: 'List all modules loaded by the server',
        since: '4.0.0',
        group: 'server',
        complexity: 'O(N) where N is the number of loaded modules.',
        handler: (client) => client.reply.arrayHeader(0),
      }),
      defineCommand({
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        summary: 'Show helpful text about the different subcommands',
        since: '5.0.0',
        group: 'server',
        complexity: 'O(1)',
        handler: (client) => replyHelp(client, MODULE_HELP),
      }),
      defineCommand({
        name: 'load',
        arity: -3,
        flags: [...ADMIN_NOSCRIPT],
        protectedBy: 'enable-module-command',
        summary: 'Load a module',
        since: '4.0.0',
        group: 'server',
        complexity: 'O(1)',
        arguments: [
          { name: 'path', type: 'string' },
          { name: 'arg', type: 'string', optional: true, multiple: true },
        ],
        handler: (client, argv) => failToLoad(client, argv[2]!),
      }),
      defineCommand({
        name: 'loadex',
        arity: -3,
        flags: [...ADMIN_NOSCRIPT],
        protectedBy: 'enable-module-command',
        summary: 'Load a module with extended parameters',
        since: '7.0.0',
        group: 'server',
        complexity: 'O(1)',
        arguments: [
          { name: 'path', type: 'string' },
          {
            name: 'configs',
            type: 'block',
            token: 'CONFIG',
            optional: true,
            multiple: true,
            multipleToken: true,
            arguments: [
              { name: 'name', type: 'string' },
              { name: 'value', type: 'string' },
            ],
          },
          { name: 'args', type: 'block', token: 'ARGS', optional: true, multiple: true, arguments: [{ name: 'arg', type: 'string' }] },
        ],
        handler(client, argv) {
          if (loadexArgumentsValid(client, argv.slice(3))) failToLoad(client, argv[2]!);
          else client.reply.error(LOAD_FAILED);
        },
      }),
      defineCommand({
        name: 'unload',
        arity: 3,
        flags: [...ADMIN_NOSCRIPT],
        protectedBy: 'enable-module-command',
        summary: 'Unload a module',
        since: '4.0.0',
        group: 'server',
        complexity: 'O(1)',
        arguments: [{ name: 'name', type: 'string' }],
        handler: (client) => client.reply.error('ERR Error unloading module: no such module with that name'),
      }),
    ],
  }),
];
