// Functions: FCALL, FCALL_RO and FUNCTION LOAD / DELETE / LIST / DUMP / RESTORE / STATS / FLUSH /
// KILL / HELP (Redis 7.0's functions.c). The libraries live in ../scripting/functions.ts. The
// commands that change them count as writes (server.dirty++), so the write feed propagates them
// as they are, as Redis does.
import { defineCommand, numkeysGetKeys, type CommandFlag, type CommandSpec } from '../core/command-table.js';
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { globMatch } from '../util/glob.js';
import { createFunctionsPayload, parseFunctionsPayload } from '../persistence/rdb/dump-payload.js';
import { replyHelp } from './server.js';
import { killScript, SLOW_EVAL_ERROR } from '../scripting/script-timeout.js';
import { commandFlagsOf } from '../scripting/shebang.js';
import { scriptKeySpec } from './scripting.js';
import type { NodeServices } from './node-services.js';

const FCALL_FLAGS = ['noscript', 'stale', 'skip_monitor', 'no_mandatory_keys', 'movablekeys'] as const;

const FUNCTION_HELP = [
  'FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
  'HELP',
  '    Prints this help.',
];

/** COMMAND INFO's tips of the FUNCTION subcommands (Redis's commands/function-*.json). */
const ALL_SHARDS_SUCCEEDED = ['request_policy:all_shards', 'response_policy:all_succeeded'];
const FUNCTION_TIPS: Record<string, string[] | undefined> = {
  load: ALL_SHARDS_SUCCEEDED,
  delete: ALL_SHARDS_SUCCEEDED,
  restore: ALL_SHARDS_SUCCEEDED,
  flush: ALL_SHARDS_SUCCEEDED,
  kill: ['request_policy:all_shards', 'response_policy:one_succeeded'],
  list: ['nondeterministic_output_order'],
  stats: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
};

function subcommandSyntaxError(client: Client, argv: BinaryString[]): void {
  client.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try FUNCTION HELP.`);
}

export function functionCommands(node: NodeServices): CommandSpec[] {
  const fcall = (name: string, summary: string, readOnly: boolean) =>
    defineCommand({
      name,
      arity: -3,
      flags: readOnly ? ['readonly', ...FCALL_FLAGS] : [...FCALL_FLAGS],
      acl: ['scripting'],
      summary,
      since: '7.0.0',
      group: 'scripting',
      complexity: 'Depends on the function that is executed.',
      arguments: [
        { name: 'function', type: 'string' },
        { name: 'numkeys', type: 'integer' },
        { name: 'key', type: 'key', optional: true, multiple: true },
        { name: 'arg', type: 'string', optional: true, multiple: true },
      ],
      keySpecs: [scriptKeySpec(readOnly, true)],
      getKeys: numkeysGetKeys(2),
      argvFlags(argv) {
        const fn = node.functions.functions.get(argv[1]!);
        return fn === undefined ? null : commandFlagsOf(this.flags, fn.flags);
      },
      handler: (client, argv) => node.functions.fcall(client, argv, readOnly),
    });

  const sub = (
    name: string,
    arity: number,
    flags: CommandFlag[],
    summary: string,
    handler: (client: Client, argv: BinaryString[]) => void,
  ) =>
    defineCommand({
      name,
      arity,
      flags,
      acl: ['scripting'],
      summary,
      since: '7.0.0',
      group: 'scripting',
      tips: FUNCTION_TIPS[name],
      handler,
    });

  /** A change to the libraries: counted as a write so it reaches the AOF and replicas. */
  const changed = (client: Client) => {
    client.server.keyspace.dirty++;
  };

  return [
    fcall('fcall', 'Invoke a function', false),
    fcall('fcall_ro', 'Invoke a read-only function', true),
    defineCommand({
      name: 'function',
      arity: -2,
      flags: [],
      summary: 'A container for function commands',
      since: '7.0.0',
      group: 'scripting',
      complexity: 'Depends on subcommand.',
      subcommands: [
        {
          ...sub(
            'load',
            -3,
            ['write', 'denyoom', 'noscript'],
            'Create a function with the given arguments (name, code, description)',
            (client, argv) => {
              let replace = false;
              let i = 2;
              for (; i < argv.length - 1; i++) {
                if (argv[i]!.toLowerCase() === 'replace') replace = true;
                else return client.reply.error(`ERR Unknown option given: ${argv[i]}`);
              }
              if (i >= argv.length) return client.reply.error('ERR Function code is missing');
              const loaded = node.functions.load(argv[i]!, replace);
              if ('error' in loaded) return client.reply.error(loaded.error);
              changed(client);
              client.reply.bulk(loaded.name);
            },
          ),
          complexity: 'O(1) (considering compilation time is redundant)',
          arguments: [
            { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true },
            { name: 'function-code', type: 'string' },
          ],
        },
        {
          ...sub('delete', 3, ['write', 'noscript'], 'Delete a function by name', (client, argv) => {
            if (!node.functions.delete(argv[2]!)) return client.reply.error('ERR Library not found');
            changed(client);
            client.reply.ok();
          }),
          complexity: 'O(1)',
          arguments: [{ name: 'library-name', type: 'string' }],
        },
        {
          ...sub('list', -2, ['noscript'], 'List information about all the functions', (client, argv) => {
            let withCode = false;
            let pattern: BinaryString | null = null;
            for (let i = 2; i < argv.length; i++) {
              const arg = argv[i]!.toLowerCase();
              if (!withCode && arg === 'withcode') {
                withCode = true;
              } else if (pattern === null && arg === 'libraryname') {
                if (i >= argv.length - 1) return client.reply.error('ERR library name argument was not given');
                pattern = argv[++i]!;
              } else {
                return client.reply.error(`ERR Unknown argument ${argv[i]}`);
              }
            }
            const libraries = [...node.functions.libraries.values()].filter(
              (lib) => pattern === null || globMatch(pattern, lib.name, true),
            );
            const reply = client.reply;
            reply.arrayHeader(libraries.length);
            for (const lib of libraries) {
              reply.mapHeader(withCode ? 4 : 3);
              reply.bulk('library_name');
              reply.bulk(lib.name);
              reply.bulk('engine');
              reply.bulk('LUA');
              reply.bulk('functions');
              reply.arrayHeader(lib.functions.size);
              for (const fn of lib.functions.values()) {
                reply.mapHeader(3);
                reply.bulk('name');
                reply.bulk(fn.name);
                reply.bulk('description');
                if (fn.description === null) reply.null();
                else reply.bulk(fn.description);
                reply.bulk('flags');
                reply.setHeader(fn.flagNames.length);
                for (const flag of fn.flagNames) reply.simple(flag);
              }
              if (withCode) {
                reply.bulk('library_code');
                reply.bulk(lib.code);
              }
            }
          }),
          complexity: 'O(N) where N is the number of functions',
          arguments: [
            { name: 'library-name-pattern', type: 'string', token: 'LIBRARYNAME', optional: true },
            { name: 'withcode', type: 'pure-token', token: 'WITHCODE', optional: true },
          ],
        },
        {
          ...sub('dump', 2, ['noscript'], 'Dump all functions into a serialized binary payload', (client) => {
            const codes = node.functions.codes().map((code) => Buffer.from(code, 'latin1'));
            client.reply.bulk(createFunctionsPayload(codes, { compression: client.server.config.bool('rdbcompression') }));
          }),
          complexity: 'O(N) where N is the number of functions',
        },
        {
          ...sub('restore', -3, ['write', 'denyoom', 'noscript'], 'Restore all the functions on the given payload', (client, argv) => {
            if (argv.length > 4) return subcommandSyntaxError(client, argv);
            const policy = argv.length === 4 ? argv[3]!.toLowerCase() : 'append';
            if (!['append', 'replace', 'flush'].includes(policy)) {
              return client.reply.error('ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
            }
            const parsed = parseFunctionsPayload(Buffer.from(argv[2]!, 'latin1'));
            if (!parsed.ok) return client.reply.error(parsed.error);
            const error = node.functions.restore(
              parsed.codes.map((code) => code.toString('latin1')),
              policy as 'append' | 'replace' | 'flush',
            );
            if (error !== null) return client.reply.error(error);
            changed(client);
            client.reply.ok();
          }),
          complexity: 'O(N) where N is the number of functions on the payload',
          arguments: [
            { name: 'serialized-value', type: 'string' },
            {
              name: 'policy',
              type: 'oneof',
              optional: true,
              arguments: [
                { name: 'flush', type: 'pure-token', token: 'FLUSH' },
                { name: 'append', type: 'pure-token', token: 'APPEND' },
                { name: 'replace', type: 'pure-token', token: 'REPLACE' },
              ],
            },
          ],
        },
        {
          ...sub(
            'stats',
            2,
            ['noscript', 'allow_busy'],
            'Return information about the function currently running (name, description, duration)',
            (client) => {
              const reply = client.reply;
              // functionStatsCommand: an EVAL past the threshold is not a function to report.
              if (node.scripting.run !== null) return reply.error(SLOW_EVAL_ERROR);
              const running = node.functions.run;
              reply.mapHeader(2);
              reply.bulk('running_script');
              if (running === null) {
                reply.null();
              } else {
                reply.mapHeader(3);
                reply.bulk('name');
                reply.bulk(running.name);
                reply.bulk('command');
                reply.arrayHeader(running.commandArgv.length);
                for (const arg of running.commandArgv) reply.bulk(arg);
                reply.bulk('duration_ms');
                reply.integer(Math.floor(performance.now() - running.startedAt));
              }
              reply.bulk('engines');
              reply.mapHeader(1);
              reply.bulk('LUA');
              reply.mapHeader(2);
              reply.bulk('libraries_count');
              reply.integer(node.functions.libraries.size);
              reply.bulk('functions_count');
              reply.integer(node.functions.functions.size);
            },
          ),
          complexity: 'O(1)',
        },
        {
          ...sub('flush', -2, ['write', 'noscript'], 'Deleting all functions', (client, argv) => {
            if (argv.length > 3) return subcommandSyntaxError(client, argv);
            if (argv.length === 3 && !/^(a?sync)$/i.test(argv[2]!))
              return client.reply.error('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
            node.functions.reset();
            changed(client);
            client.reply.ok();
          }),
          complexity: 'O(N) where N is the number of functions deleted',
          arguments: [
            {
              name: 'async',
              type: 'oneof',
              optional: true,
              arguments: [
                { name: 'async', type: 'pure-token', token: 'ASYNC' },
                { name: 'sync', type: 'pure-token', token: 'SYNC' },
              ],
            },
          ],
        },
        {
          ...sub('kill', 2, ['noscript', 'allow_busy'], 'Kill the function currently in execution.', (client) =>
            killScript(client, node.scripting.run ?? node.functions.run, false),
          ),
          complexity: 'O(1)',
        },
        defineCommand({
          name: 'help',
          arity: 2,
          flags: ['loading', 'stale'],
          acl: ['scripting'],
          summary: 'Show helpful text about the different subcommands',
          since: '7.0.0',
          group: 'scripting',
          complexity: 'O(1)',
          handler: (client) => replyHelp(client, FUNCTION_HELP),
        }),
      ],
    }),
  ];
}
