// Users, authentication and permissions (Redis's acl.c), as one object per node: the rest of the
// engine asks it whether a client must authenticate, whether a command may run (the executor, on
// every command), and it keeps the users, the ACL log and the ACL file. The pieces live in
// acl-user.ts (model), acl-rules.ts (rule parser), acl-check.ts (permission check),
// acl-describe.ts (rules as text), acl-log.ts and acl-file.ts.
import { timingSafeEqual } from 'node:crypto';
import type { BinaryString } from '../protocol/request-parser.js';
import type { Command } from '../core/command-table.js';
import type { Client } from '../core/client.js';
import type { Server } from '../core/server.js';
import type { AccessControl } from '../core/access-control.js';
import { AclCommands } from './command-index.js';
import { checkCommand, channelAllowed, Denial, type Denied } from './check.js';
import { AclLog, type AclLogContext, type AclLogReason } from './acl-log.js';
import { AclUser } from './user.js';
import { applyUserRule, hashPassword, hasSpaces, mergeSelectorArguments, RULE_ERROR_TEXT, type RuleContext } from './rules.js';
import { loadAclFile, saveAclFile, sortedUsers, type Users } from './acl-file.js';
import { describeUser } from './describe.js';
import { clientInfoString, clientTypeName } from '../core/client-info.js';

export const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';

const NOPERM: Record<Denial, (command: Command) => string> = {
  [Denial.Command]: (command) => `NOPERM this user has no permissions to run the '${command.fullName}' command`,
  [Denial.Key]: () => 'NOPERM this user has no permissions to access one of the keys used as arguments',
  [Denial.Channel]: () => 'NOPERM this user has no permissions to access one of the channels used as arguments',
};

/** multi.c execCommand: why a queued command may no longer run. */
const NO_LONGER_ALLOWED: Record<Denial, string> = {
  [Denial.Command]: 'no permission to execute the command or subcommand',
  [Denial.Key]: 'no permission to touch the specified keys',
  [Denial.Channel]: 'no permission to access one of the channels used as arguments',
};

const LOG_REASON: Record<Denial, AclLogReason> = {
  [Denial.Command]: 'command',
  [Denial.Key]: 'key',
  [Denial.Channel]: 'channel',
};

export class Acl implements AccessControl {
  readonly commands: AclCommands;
  readonly log = new AclLog();
  /** The user every connection starts as; ACL LOAD updates it in place, it is never replaced. */
  readonly defaultUser: AclUser;
  private users: Users = new Map();

  constructor(private readonly server: Server) {
    this.commands = new AclCommands(server.commands);
    this.defaultUser = this.createDefaultUser();
    this.users.set('default', this.defaultUser);
    server.onConfigSet('requirepass', () => this.applyRequirepass(server.config.str('requirepass')));
    this.applyRequirepass(server.config.str('requirepass'));
  }

  /** ACLCreateDefaultUser: every command, key and channel, no password. */
  private createDefaultUser(): AclUser {
    const user = this.newUser('default');
    for (const rule of ['+@all', '~*', '&*', 'on', 'nopass']) applyUserRule(user, rule, this.ruleContext());
    return user;
  }

  newUser(name: BinaryString): AclUser {
    return new AclUser(name, this.commands.count, this.ruleContext().allChannelsByDefault);
  }

  ruleContext(): RuleContext & { commands: AclCommands } {
    return {
      commands: this.commands,
      allChannelsByDefault: this.server.config.str('acl-pubsub-default') === 'allchannels',
      warn: (message) => this.server.logger.warning(message),
    };
  }

  // --- authentication ----------------------------------------------------------------------

  /** ACLUpdateDefaultUserPassword: `requirepass` replaces the default user's passwords. */
  applyRequirepass(password: string): void {
    const ctx = this.ruleContext();
    applyUserRule(this.defaultUser, 'resetpass', ctx);
    applyUserRule(this.defaultUser, password === '' ? 'nopass' : `>${password}`, ctx);
  }

  /** The default user accepts any password (AUTH <password> is then a configuration mistake). */
  get defaultUserHasNoPassword(): boolean {
    return this.defaultUser.nopass;
  }

  /** clientSetDefaultAuth: new connections are authenticated when `default` needs no password. */
  get defaultUserAuthenticates(): boolean {
    return this.defaultUser.enabled && this.defaultUser.nopass;
  }

  /**
   * networking.c authRequired: asked on every command, so a client that connected while a
   * password was needed may go on once the default user needs none.
   */
  authRequired(client: Client): boolean {
    return !client.authenticated && !this.defaultUserAuthenticates;
  }

  hasUser(name: BinaryString): boolean {
    return this.users.has(name);
  }

  getUser(name: BinaryString): AclUser | undefined {
    return this.users.get(name);
  }

  /**
   * ACLAuthenticateUser: on success the client is authenticated as that user; a failure goes to
   * the ACL log under `commandName` (argv[0] as the client typed it: AUTH or HELLO).
   */
  authenticate(client: Client, username: BinaryString, password: BinaryString, commandName: BinaryString): boolean {
    const user = this.users.get(username);
    if (user && user.enabled && (user.nopass || this.passwordMatches(user, password))) {
      client.user = user;
      client.authenticated = true;
      return true;
    }
    this.addLogEntry(client, 'auth', commandName, username);
    return false;
  }

  private passwordMatches(user: AclUser, password: BinaryString): boolean {
    const hash = Buffer.from(hashPassword(password));
    // time_independent_strcmp: the comparison takes as long whichever byte differs.
    return user.passwords.some((stored) => timingSafeEqual(Buffer.from(stored), hash));
  }

  // --- permissions -------------------------------------------------------------------------

  /**
   * processCommand's ACL check: the NOPERM error refusing `command`, or null. Costs two property
   * reads for an unrestricted user (the default one unless configured otherwise).
   */
  check(client: Client, command: Command, argv: BinaryString[]): string | null {
    const user = userOf(client);
    if (user === null || user.unrestricted) return null;
    const denied = checkCommand(user, this.commands, command, argv);
    if (denied === null) return null;
    this.logDenial(client, denied, client.multi !== null ? 'multi' : 'toplevel', command, argv);
    return NOPERM[denied.reason](command);
  }

  /** multi.c execCommand: rules may have changed since the command was queued. */
  checkQueued(client: Client, command: Command, argv: BinaryString[]): string | null {
    const user = userOf(client);
    if (user === null || user.unrestricted) return null;
    const denied = checkCommand(user, this.commands, command, argv);
    if (denied === null) return null;
    this.logDenial(client, denied, 'multi', command, argv);
    return (
      'NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. ' +
      `This command is no longer allowed for the following reason: ${NO_LONGER_ALLOWED[denied.reason]}`
    );
  }

  /** ACL DRYRUN: why `user` could not run the command line (Redis's sentence), or null. */
  dryRun(user: AclUser, command: Command, argv: BinaryString[]): string | null {
    const denied = checkCommand(user, this.commands, command, argv);
    if (denied === null) return null;
    if (denied.reason === Denial.Command) return `This user has no permissions to run the '${command.fullName}' command`;
    const what = denied.reason === Denial.Key ? 'key' : 'channel';
    return `This user has no permissions to access the '${argv[denied.index]}' ${what}`;
  }

  private logDenial(client: Client, denied: Denied, context: AclLogContext, command: Command, argv: BinaryString[]): void {
    const object = denied.reason === Denial.Command ? command.fullName : argv[denied.index]!;
    this.addLogEntry(client, LOG_REASON[denied.reason], object, client.user?.name ?? '', context);
  }

  private addLogEntry(
    client: Client,
    reason: AclLogReason,
    object: BinaryString,
    username: BinaryString,
    context: AclLogContext = client.multi !== null ? 'multi' : 'toplevel',
  ): void {
    this.log.add(
      { reason, context, object, username, time: Date.now(), clientInfo: clientInfoString(client) },
      this.server.config.int('acllog-max-len'),
    );
  }

  // --- managing users ----------------------------------------------------------------------

  /** Users in name order (ACL LIST, ACL USERS). */
  /**
   * The users as CONFIG REWRITE writes them (rewriteConfigUserOption): ACL LIST's lines, or null
   * when an aclfile holds them.
   */
  configUserLines(): string[] | null {
    if (this.server.config.str('aclfile') !== '') return null;
    return sortedUsers(this.users).map((u) => `user ${u.name} ${describeUser(u, this.commands)}`);
  }

  allUsers(): Users {
    return this.users;
  }

  /**
   * ACL SETUSER: the rules are tried on a copy and applied together, or not at all. Returns the
   * error text (without "ERR "), or null.
   */
  setUser(name: BinaryString, args: BinaryString[], self: Client): string | null {
    if (hasSpaces(name)) return "Usernames can't contain spaces or null characters";
    const merged = mergeSelectorArguments(args);
    if ('unmatchedAt' in merged) return `Unmatched parenthesis in acl selector starting at '${args[merged.unmatchedAt]}'.`;
    const existing = this.users.get(name);
    const staged = this.newUser(name);
    if (existing) staged.copyFrom(existing);
    const ctx = this.ruleContext();
    for (const rule of merged.rules) {
      const error = applyUserRule(staged, rule, ctx);
      if (error) return `Error in ACL SETUSER modifier '${rule}': ${RULE_ERROR_TEXT[error]}`;
    }
    if (existing) {
      this.disconnectRevokedSubscribers(staged, existing, self);
      existing.copyFrom(staged);
    } else {
      this.users.set(name, staged);
    }
    return null;
  }

  /** ACL DELUSER: the number of users deleted; their clients are disconnected. */
  deleteUsers(names: BinaryString[], self: Client): number {
    let deleted = 0;
    for (const name of names) {
      const user = this.users.get(name);
      if (!user) continue;
      this.users.delete(name);
      this.disconnectUser(user, self);
      deleted++;
    }
    return deleted;
  }

  /**
   * ACLFreeUserAndKillClients: a deleted user's connections go back to the unauthenticated default
   * user (in case anything still runs for them) and are closed; the caller's own connection after
   * its reply.
   */
  private disconnectUser(user: AclUser, self: Client | null): void {
    for (const client of this.server.clients.values()) {
      if (client.user !== user) continue;
      client.user = this.defaultUser;
      client.authenticated = false;
      disconnect(client, self);
    }
  }

  /**
   * ACLKillPubsubClientsIfNeeded: when `updated` no longer allows some channel `original` did,
   * the user's subscribers whose channels or patterns are now refused are disconnected.
   */
  private disconnectRevokedSubscribers(updated: AclUser, original: AclUser, self: Client): void {
    if (updated.selectors.some((s) => s.allChannels)) return;
    const upcoming = updated.selectors.flatMap((s) => s.channels);
    const kept = original.selectors.every((s) => s.channels.every((c) => upcoming.includes(c)));
    if (kept) return;
    for (const client of this.server.clients.values()) {
      if (client.user !== original || clientTypeName(client) !== 'pubsub') continue;
      const refused =
        [...client.patterns].some((p) => !channelAllowed(upcoming, p, true)) ||
        [...client.channels].some((c) => !channelAllowed(upcoming, c, false)) ||
        [...client.shardChannels].some((c) => !channelAllowed(upcoming, c, false));
      if (refused) disconnect(client, self);
    }
  }

  // --- the ACL file and `user` config lines ------------------------------------------------

  /**
   * ACLLoadUsersAtStartup: the `user` lines of the config, or the `aclfile`, never both. A problem
   * throws an Error whose message is Redis's last (fatal) log line, which startNode logs; the
   * lines before it are logged here.
   */
  loadAtStartup(): void {
    const config = this.server.config;
    const logger = this.server.logger;
    const fatal = (...lines: string[]): never => {
      for (const line of lines.slice(0, -1)) logger.warning(line);
      throw new Error(lines[lines.length - 1]);
    };
    if (config.str('aclfile') !== '' && config.userLines.length !== 0) {
      fatal(
        'Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. ' +
          'This setup is very likely to lead to configuration errors and security holes, please define either an ' +
          'ACL file or declare users directly in your redis.conf, but not both.',
      );
    }
    const ctx = this.ruleContext();
    for (const [name, ...args] of config.userLines) {
      if (hasSpaces(name!)) fatal('Spaces not allowed in ACL usernames', 'Critical error while loading ACLs. Exiting.');
      let user = this.users.get(name!);
      if (user) applyUserRule(user, 'reset', ctx);
      else this.users.set(name!, (user = this.newUser(name!)));
      // The line was checked when the config was read, so the selectors are balanced.
      const merged = mergeSelectorArguments(args) as { rules: BinaryString[] };
      for (const rule of merged.rules) {
        const error = applyUserRule(user, rule, ctx);
        if (error) {
          fatal(
            `Error loading ACL rule '${rule}' for the user named '${name}': ${RULE_ERROR_TEXT[error]}`,
            'Critical error while loading ACLs. Exiting.',
          );
        }
      }
      if (!user.enabled) {
        logger.notice(
          `The user '${name}' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.`,
        );
      }
    }
    if (config.str('aclfile') !== '') {
      const error = this.loadFile(null);
      if (error !== null) fatal(`Aborting Redis startup because of ACL errors: ${error}`);
    }
  }

  /**
   * ACL LOAD: replaces every user with the file's (the default user keeps its identity and takes
   * the file's rules, or the initial ones). Connections of every other user are closed, since
   * their user no longer exists. Returns the error description, or null.
   */
  loadFile(self: Client | null): string | null {
    const name = this.server.config.str('aclfile');
    const loaded = loadAclFile(name, this.server.config.path(name), this.ruleContext());
    if (typeof loaded === 'string') return loaded;
    this.defaultUser.copyFrom(loaded.get('default') ?? this.createDefaultUser());
    loaded.set('default', this.defaultUser);
    const old = this.users;
    this.users = loaded;
    for (const user of old.values()) if (user !== this.defaultUser) this.disconnectUser(user, self);
    return null;
  }

  /** ACL SAVE; false after logging why it failed. */
  saveFile(): boolean {
    const error = saveAclFile(this.server.config.path(this.server.config.str('aclfile')), this.users, this.commands);
    if (error !== null) this.server.logger.warning(error);
    return error === null;
  }
}

/** Closes a client; the one running the current command only once its reply is written. */
function disconnect(client: Client, self: Client | null): void {
  if (client === self) client.closeAfterReply = true;
  else client.close();
}

/**
 * The client's user as this module made it: the core holds users as ClientUser, and every user
 * it holds is one of ours (the default user, or one AUTH set), or null for the superuser.
 */
function userOf(client: Client): AclUser | null {
  return client.user as AclUser | null;
}
