// ACL and its subcommands (acl.c aclCommand): users, their rules, the security log and the ACL
// file. The users and the checks themselves live in ../acl/.
import { randomBytes } from 'node:crypto';
import {
  ACL_CATEGORIES,
  arityMatches,
  defineCommand,
  type CommandFlag,
  type CommandHandler,
  type CommandSpec,
} from '../core/command-table.js';
import { integerArg, is } from '../core/replies.js';
import { replyHelp } from './server.js';
import { describeChannels, describeCommandRules, describeKeys, describeUser, userFlags } from '../acl/describe.js';
import { sortedUsers } from '../acl/acl-file.js';
import type { AclSelector } from '../acl/user.js';
import type { Acl } from '../acl/acl.js';
import type { NodeServices } from './node-services.js';
import type { Client } from '../core/client.js';
import type { BinaryString } from '../protocol/request-parser.js';

const ACL_HELP = [
  'ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
  'HELP',
  '    Prints this help.',
];

/** GENPASS_MAX_BITS. */
const GENPASS_MAX_BITS = 4096;

const NO_ACL_FILE =
  'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.';

/** addReplySubcommandSyntaxError. */
function subcommandSyntaxError(client: Client, argv: BinaryString[]): void {
  client.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try ACL HELP.`);
}

function aclCat(acl: Acl, client: Client, argv: BinaryString[]): void {
  if (argv.length > 3) return subcommandSyntaxError(client, argv);
  if (argv.length === 2) return client.reply.bulkArray(ACL_CATEGORIES);
  const category = ACL_CATEGORIES.indexOf(argv[2]!.toLowerCase() as (typeof ACL_CATEGORIES)[number]);
  if (category === -1) return client.reply.error(`ERR Unknown category '${argv[2]!.slice(0, 128)}'`);
  const commands = acl.commands;
  const names: string[] = [];
  for (let id = 0; id < commands.count; id++) if (commands.inCategory(id, category)) names.push(commands.byId[id]!.fullName);
  client.reply.bulkArray(names);
}

function aclDeluser(acl: Acl, client: Client, argv: BinaryString[]): void {
  const names = argv.slice(2);
  if (names.includes('default')) return client.reply.error("ERR The 'default' user cannot be removed");
  client.reply.integer(acl.deleteUsers(names, client));
}

function aclDryrun(acl: Acl, client: Client, argv: BinaryString[]): void {
  const server = client.server;
  const user = acl.getUser(argv[2]!);
  if (!user) return client.reply.error(`ERR User '${argv[2]}' not found`);
  const line = argv.slice(3);
  const command = server.commands.lookup(line);
  if (!command) return client.reply.error(`ERR Command '${argv[3]}' not found`);
  if (!arityMatches(command, line.length)) return client.reply.error(`ERR wrong number of arguments for '${command.fullName}' command`);
  const refusal = acl.dryRun(user, command, line);
  if (refusal === null) client.reply.ok();
  else client.reply.bulk(refusal);
}

function aclGenpass(client: Client, argv: BinaryString[]): void {
  if (argv.length > 3) return subcommandSyntaxError(client, argv);
  const bits = argv.length === 3 ? integerArg(client, argv[2]!) : 256;
  if (bits === undefined) return;
  if (bits <= 0 || bits > GENPASS_MAX_BITS) {
    return client.reply.error(
      `ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to ${GENPASS_MAX_BITS}`,
    );
  }
  const chars = Math.floor((bits + 3) / 4);
  client.reply.bulk(
    randomBytes(Math.ceil(chars / 2))
      .toString('hex')
      .slice(0, chars),
  );
}

/** ACL GETUSER: a map; in Redis 7.0 an unknown user is a null reply. */
function aclGetuser(acl: Acl, client: Client, argv: BinaryString[]): void {
  const user = acl.getUser(argv[2]!);
  if (!user) return client.reply.null();
  const r = client.reply;
  r.mapHeader(6);
  r.bulk('flags');
  const flags = userFlags(user);
  r.setHeader(flags.length);
  for (const flag of flags) r.bulk(flag);
  r.bulk('passwords');
  r.bulkArray(user.passwords);
  // The root selector's fields stay at the top level, as before selectors existed.
  replySelector(acl, client, user.root);
  r.bulk('selectors');
  r.arrayHeader(user.selectors.length - 1);
  for (const selector of user.selectors.slice(1)) {
    r.mapHeader(3);
    replySelector(acl, client, selector);
  }
}

/** aclAddReplySelectorDescription: commands, keys, channels. */
function replySelector(acl: Acl, client: Client, selector: AclSelector): void {
  const r = client.reply;
  r.bulk('commands');
  r.bulk(describeCommandRules(selector, acl.commands));
  r.bulk('keys');
  r.bulk(describeKeys(selector));
  r.bulk('channels');
  r.bulk(describeChannels(selector));
}

function aclList(acl: Acl, client: Client): void {
  client.reply.bulkArray(sortedUsers(acl.allUsers()).map((u) => `user ${u.name} ${describeUser(u, acl.commands)}`));
}

function aclLog(acl: Acl, client: Client, argv: BinaryString[]): void {
  if (argv.length > 3) return subcommandSyntaxError(client, argv);
  const log = acl.log;
  let count = 10;
  if (argv.length === 3) {
    if (is(argv[2]!, 'reset')) {
      log.reset();
      return client.reply.ok();
    }
    const given = integerArg(client, argv[2]!);
    if (given === undefined) return;
    count = given;
  }
  const entries = log.newest(count);
  const now = Date.now();
  const r = client.reply;
  r.arrayHeader(entries.length);
  for (const entry of entries) {
    r.mapHeader(7);
    r.bulk('count');
    r.integer(entry.count);
    r.bulk('reason');
    r.bulk(entry.reason);
    r.bulk('context');
    r.bulk(entry.context);
    r.bulk('object');
    r.bulk(entry.object);
    r.bulk('username');
    r.bulk(entry.username);
    r.bulk('age-seconds');
    r.double((now - entry.time) / 1000);
    r.bulk('client-info');
    r.bulk(entry.clientInfo);
  }
}

/** ACL LOAD / SAVE need `aclfile` (users from `user` lines are saved by CONFIG REWRITE). */
function withAclFile(handler: CommandHandler): CommandHandler {
  return (client, argv) => {
    if (client.server.config.str('aclfile') === '') client.reply.error(NO_ACL_FILE);
    else handler(client, argv);
  };
}

function aclLoad(acl: Acl, client: Client): void {
  const error = acl.loadFile(client);
  if (error === null) client.reply.ok();
  else client.reply.error(`ERR ${error}`);
}

function aclSave(acl: Acl, client: Client): void {
  if (acl.saveFile()) client.reply.ok();
  else client.reply.error('ERR There was an error trying to save the ACLs. Please check the server logs for more information');
}

function aclSetuser(acl: Acl, client: Client, argv: BinaryString[]): void {
  const error = acl.setUser(argv[2]!, argv.slice(3), client);
  if (error === null) client.reply.ok();
  else client.reply.error(`ERR ${error}`);
}

function aclWhoami(client: Client): void {
  // The master's link runs as no user at all (Redis's NULL user).
  if (client.user === null) client.reply.null();
  else client.reply.bulk(client.user.name);
}

const SUB_FLAGS: CommandFlag[] = ['noscript', 'loading', 'stale'];
const ADMIN_FLAGS: CommandFlag[] = ['admin', ...SUB_FLAGS];

/** Redis's COMMAND DOCS complexity of each subcommand. */
const COMPLEXITY: Record<string, string> = {
  cat: 'O(1) since the categories and commands are a fixed set.',
  deluser: 'O(1) amortized time considering the typical user.',
  dryrun: 'O(1).',
  genpass: 'O(1)',
  getuser: 'O(N). Where N is the number of password, command and pattern rules that the user has.',
  help: 'O(1)',
  list: 'O(N). Where N is the number of configured users.',
  load: 'O(N). Where N is the number of configured users.',
  log: 'O(N) with N being the number of entries shown.',
  save: 'O(N). Where N is the number of configured users.',
  setuser: 'O(N). Where N is the number of rules provided.',
  users: 'O(N). Where N is the number of configured users.',
  whoami: 'O(1)',
};

function sub(
  name: string,
  arity: number,
  flags: CommandFlag[],
  summary: string,
  since: string,
  handler: CommandHandler,
  args?: CommandSpec['arguments'],
): CommandSpec {
  return defineCommand({ name, arity, flags, summary, since, group: 'server', complexity: COMPLEXITY[name], arguments: args, handler });
}

export function aclCommands(node: Pick<NodeServices, 'acl'>): CommandSpec[] {
  /** Hands a handler the node's ACLs, read when the command runs. */
  const withAcl =
    (handler: (acl: Acl, client: Client, argv: BinaryString[]) => void): CommandHandler =>
    (client, argv) =>
      handler(node.acl, client, argv);
  return [
    defineCommand({
      name: 'acl',
      arity: -2,
      flags: [],
      summary: 'A container for Access List Control commands ',
      since: '6.0.0',
      group: 'server',
      complexity: 'Depends on subcommand.',
      subcommands: [
        sub('cat', -2, SUB_FLAGS, 'List the ACL categories or the commands inside a category', '6.0.0', withAcl(aclCat), [
          { name: 'categoryname', type: 'string', optional: true },
        ]),
        sub('deluser', -3, ADMIN_FLAGS, 'Remove the specified ACL users and the associated rules', '6.0.0', withAcl(aclDeluser), [
          { name: 'username', type: 'string', multiple: true },
        ]),
        sub(
          'dryrun',
          -4,
          ADMIN_FLAGS,
          'Returns whether the user can execute the given command without executing the command.',
          '7.0.0',
          withAcl(aclDryrun),
          [
            { name: 'username', type: 'string' },
            { name: 'command', type: 'string' },
            { name: 'arg', type: 'string', optional: true, multiple: true },
          ],
        ),
        sub('genpass', -2, SUB_FLAGS, 'Generate a pseudorandom secure password to use for ACL users', '6.0.0', aclGenpass, [
          { name: 'bits', type: 'integer', optional: true },
        ]),
        {
          ...sub('getuser', 3, ADMIN_FLAGS, 'Get the rules for a specific ACL user', '6.0.0', withAcl(aclGetuser), [
            { name: 'username', type: 'string' },
          ]),
          history: [
            ['6.2.0', 'Added Pub/Sub channel patterns.'],
            ['7.0.0', 'Added selectors and changed the format of key and channel patterns from a list to their rule representation.'],
          ],
        },
        sub('help', 2, ['loading', 'stale'], 'Show helpful text about the different subcommands', '6.0.0', (client) =>
          replyHelp(client, ACL_HELP),
        ),
        sub('list', 2, ADMIN_FLAGS, 'List the current ACL rules in ACL config file format', '6.0.0', withAcl(aclList)),
        sub('load', 2, ADMIN_FLAGS, 'Reload the ACLs from the configured ACL file', '6.0.0', withAclFile(withAcl(aclLoad))),
        sub('log', -2, ADMIN_FLAGS, 'List latest events denied because of ACLs in place', '6.0.0', withAcl(aclLog), [
          {
            name: 'operation',
            type: 'oneof',
            optional: true,
            arguments: [
              { name: 'count', type: 'integer' },
              { name: 'reset', type: 'pure-token', token: 'RESET' },
            ],
          },
        ]),
        sub('save', 2, ADMIN_FLAGS, 'Save the current ACL rules in the configured ACL file', '6.0.0', withAclFile(withAcl(aclSave))),
        {
          ...sub('setuser', -3, ADMIN_FLAGS, 'Modify or create the rules for a specific ACL user', '6.0.0', withAcl(aclSetuser), [
            { name: 'username', type: 'string' },
            { name: 'rule', type: 'string', optional: true, multiple: true },
          ]),
          history: [
            ['6.2.0', 'Added Pub/Sub channel patterns.'],
            ['7.0.0', 'Added selectors and key based permissions.'],
          ],
        },
        sub('users', 2, ADMIN_FLAGS, 'List the username of all the configured ACL rules', '6.0.0', (client) =>
          client.reply.bulkArray(sortedUsers(node.acl.allUsers()).map((u) => u.name)),
        ),
        sub('whoami', 2, SUB_FLAGS, 'Return the name of the user associated to the current connection', '6.0.0', aclWhoami),
      ],
    }),
  ];
}
