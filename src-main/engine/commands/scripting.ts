// Scripting: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (Redis's eval.c). The Lua VM, the script
// cache and runs live in ../scripting/.
import {
  defineCommand,
  keySpec,
  numkeysGetKeys,
  type KeySpec,
  type CommandDocArgument,
  type CommandFlag,
  type CommandSpec,
} from '../core/command-table.js';
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { replyHelp } from './server.js';
import { killScript } from '../scripting/script-timeout.js';
import { commandFlagsOf } from '../scripting/shebang.js';
import type { NodeServices } from './node-services.js';

/** EVAL's keys: numkeys at argv[2], then that many keys (an invalid numkeys names none). */
/** The keys of EVAL and FCALL: numkeys, then the keys; how a script uses them cannot be known. */
export function scriptKeySpec(readOnly: boolean, withNotes: boolean): KeySpec {
  const [flags, worst] = readOnly ? ['RO access', 'RO and ACCESS'] : ['RW access update', 'RW and UPDATE'];
  return keySpec(
    flags,
    2,
    { keynum: [0, 1, 1] },
    withNotes ? `We cannot tell how the keys will be used so we assume the worst, ${worst}` : undefined,
  );
}

const EVAL_FLAGS = ['noscript', 'stale', 'skip_monitor', 'no_mandatory_keys', 'movablekeys'] as const;

const evalArguments = (first: CommandDocArgument): CommandDocArgument[] => [
  first,
  { name: 'numkeys', type: 'integer' },
  { name: 'key', type: 'key', optional: true, multiple: true },
  { name: 'arg', type: 'string', optional: true, multiple: true },
];

const SCRIPT_HELP = [
  'SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
  'HELP',
  '    Prints this help.',
];

/** COMMAND INFO's tips of the SCRIPT subcommands (Redis's commands/script-*.json). */
const SCRIPT_TIPS: Record<string, string[] | undefined> = {
  load: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
  flush: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
  exists: ['request_policy:all_shards', 'response_policy:agg_logical_and'],
  kill: ['request_policy:all_shards', 'response_policy:one_succeeded'],
};

export function scriptingCommands(node: NodeServices): CommandSpec[] {
  const evalCommand = (name: string, summary: string, bySha: boolean, readOnly: boolean) =>
    defineCommand({
      name,
      arity: -3,
      flags: readOnly ? ['readonly', ...EVAL_FLAGS] : [...EVAL_FLAGS],
      acl: ['scripting'],
      summary,
      since: readOnly ? '7.0.0' : '2.6.0',
      group: 'scripting',
      complexity: 'Depends on the script that is executed.',
      arguments: evalArguments(bySha ? { name: 'sha1', type: 'string' } : { name: 'script', type: 'string' }),
      // EVALSHA's key specs carry no notes in Redis 7.0, EVAL's do.
      keySpecs: [scriptKeySpec(readOnly, !bySha)],
      getKeys: numkeysGetKeys(2),
      argvFlags(argv) {
        const flags = node.scripting.flagsOf(argv, bySha);
        return flags === null ? null : commandFlagsOf(this.flags, flags);
      },
      handler: (client, argv) => node.scripting.eval(client, argv, bySha, readOnly),
    });

  const scriptSub = (
    name: string,
    arity: number,
    summary: string,
    handler: (client: Client, argv: BinaryString[]) => void,
    flags: CommandFlag[] = ['noscript'],
  ) =>
    defineCommand({
      name,
      arity,
      flags,
      acl: ['scripting'],
      summary,
      since: '2.6.0',
      group: 'scripting',
      tips: SCRIPT_TIPS[name],
      handler,
    });

  return [
    evalCommand('eval', 'Execute a Lua script server side', false, false),
    evalCommand('evalsha', 'Execute a Lua script server side', true, false),
    evalCommand('eval_ro', 'Execute a read-only Lua script server side', false, true),
    evalCommand('evalsha_ro', 'Execute a read-only Lua script server side', true, true),
    defineCommand({
      name: 'script',
      arity: -2,
      flags: [],
      summary: 'A container for Lua scripts management commands',
      since: '2.6.0',
      group: 'scripting',
      complexity: 'Depends on subcommand.',
      subcommands: [
        {
          ...scriptSub('exists', -3, 'Check existence of scripts in the script cache.', (client, argv) => {
            client.reply.arrayHeader(argv.length - 2);
            for (let i = 2; i < argv.length; i++) client.reply.integer(node.scripting.exists(argv[i]!) ? 1 : 0);
          }),
          complexity: 'O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).',
          arguments: [{ name: 'sha1', type: 'string', multiple: true }],
        },
        {
          ...scriptSub('flush', -2, 'Remove all the scripts from the script cache.', (client, argv) => {
            if (argv.length > 3 || (argv.length === 3 && !/^(a?sync)$/i.test(argv[2]!))) {
              client.reply.error('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
              return;
            }
            node.scripting.flush();
            client.reply.ok();
          }),
          complexity: 'O(N) with N being the number of scripts in cache',
          history: [['6.2.0', 'Added the `ASYNC` and `SYNC` flushing mode modifiers.']],
          arguments: [
            {
              name: 'async',
              type: 'oneof',
              optional: true,
              since: '6.2.0',
              arguments: [
                { name: 'async', type: 'pure-token', token: 'ASYNC' },
                { name: 'sync', type: 'pure-token', token: 'SYNC' },
              ],
            },
          ],
        },
        {
          ...scriptSub(
            'load',
            3,
            'Load the specified Lua script into the script cache.',
            (client, argv) => {
              const loaded = node.scripting.load(argv[2]!);
              if ('error' in loaded) client.reply.error(loaded.error);
              else client.reply.bulk(loaded.sha);
            },
            ['noscript', 'stale'],
          ),
          complexity: 'O(N) with N being the length in bytes of the script body.',
          arguments: [{ name: 'script', type: 'string' }],
        },
        {
          ...scriptSub(
            'kill',
            2,
            'Kill the script currently in execution.',
            (client) => killScript(client, node.scripting.run ?? node.functions.run, true),
            ['noscript', 'allow_busy'],
          ),
          complexity: 'O(1)',
        },
        {
          ...scriptSub('debug', 3, 'Set the debug mode for executed scripts.', (client) => {
            client.reply.error('ERR SCRIPT DEBUG is not supported by this node');
          }),
          since: '3.2.0',
          complexity: 'O(1)',
          arguments: [
            {
              name: 'mode',
              type: 'oneof',
              arguments: [
                { name: 'yes', type: 'pure-token', token: 'YES' },
                { name: 'sync', type: 'pure-token', token: 'SYNC' },
                { name: 'no', type: 'pure-token', token: 'NO' },
              ],
            },
          ],
        },
        defineCommand({
          name: 'help',
          arity: 2,
          flags: ['loading', 'stale'],
          acl: ['scripting'],
          summary: 'Show helpful text about the different subcommands',
          since: '5.0.0',
          group: 'scripting',
          complexity: 'O(1)',
          handler: (client) => replyHelp(client, SCRIPT_HELP),
        }),
      ],
    }),
  ];
}
