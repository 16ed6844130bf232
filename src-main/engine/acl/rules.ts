// ACL rules (acl.c ACLSetUser and ACLSetSelector): each rule string changes a user the way Redis
// 7.0 does, or fails with one of Redis's errno-style reasons, whose texts ACL SETUSER, the config
// file and the ACL file report.
import { createHash } from 'node:crypto';
import { splitArgs } from '../protocol/sds-quoting.js';
import type { BinaryString } from '../protocol/request-parser.js';
import type { AclCommands } from './command-index.js';
import { ACL_CATEGORIES } from '../core/command-table.js';
import { AclSelector, KEY_READ, KEY_WRITE, KEY_ALL, type AclUser } from './user.js';

/** Why a rule was refused (the errno ACLSetUser sets). */
export type RuleError = 'ENOENT' | 'EINVAL' | 'EEXIST' | 'EISDIR' | 'ENODEV' | 'EBADMSG' | 'ECHILD';

/** acl.c ACLSetUserStringError. */
export const RULE_ERROR_TEXT: Record<RuleError | 'EALREADY', string> = {
  ENOENT: 'Unknown command or category name in ACL',
  EINVAL: 'Syntax error',
  EEXIST:
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. " +
    "Try 'resetkeys' to start with an empty list of patterns",
  EISDIR:
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. " +
    "Try 'resetchannels' to start with an empty list of channels",
  ENODEV: 'The password you are trying to remove from the user does not exist',
  EBADMSG: 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters',
  ECHILD: 'Allowing first-arg of a subcommand is not supported',
  EALREADY: 'Duplicate user found. A user can only be defined once in config files',
};

export interface RuleContext {
  /**
   * The command table; null when only the syntax is being checked (a `user` line while the
   * config file is read), where every command or category name counts as unknown.
   */
  commands: AclCommands | null;
  /** `acl-pubsub-default allchannels`: new selectors (and `reset`) allow every channel. */
  allChannelsByDefault: boolean;
  /** Where Redis's deprecation warning for `+cmd|firstarg` goes. */
  warn(message: string): void;
}

/** SHA-256 hex of a password, as users store them (ACLHashPassword). */
export function hashPassword(password: BinaryString): string {
  return createHash('sha256').update(Buffer.from(password, 'latin1')).digest('hex');
}

/** ACLStringHasSpaces: usernames and patterns may not hold whitespace or NUL bytes. */
export function hasSpaces(s: BinaryString): boolean {
  return /[ \t\n\v\f\r\0]/.test(s);
}

/** ACLSetUser: applies one rule to `user`; null on success. */
export function applyUserRule(user: AclUser, op: BinaryString, ctx: RuleContext): RuleError | null {
  if (op.length === 0) return null;
  const error = applyUserRuleUnchecked(user, op, ctx);
  user.changed();
  return error;
}

function applyUserRuleUnchecked(user: AclUser, op: BinaryString, ctx: RuleContext): RuleError | null {
  switch (op.toLowerCase()) {
    case 'on':
      user.enabled = true;
      return null;
    case 'off':
      user.enabled = false;
      return null;
    case 'skip-sanitize-payload':
      user.sanitizePayload = 'skip';
      return null;
    case 'sanitize-payload':
      user.sanitizePayload = 'sanitize';
      return null;
    case 'nopass':
      user.nopass = true;
      user.passwords = [];
      return null;
    case 'resetpass':
      user.nopass = false;
      user.passwords = [];
      return null;
    case 'clearselectors':
      user.selectors.length = 1;
      return null;
    case 'reset':
      user.nopass = false;
      user.passwords = [];
      applySelectorRule(user.root, 'resetkeys', ctx);
      applySelectorRule(user.root, ctx.allChannelsByDefault ? 'allchannels' : 'resetchannels', ctx);
      user.enabled = false;
      user.sanitizePayload = 'sanitize';
      user.selectors.length = 1;
      applySelectorRule(user.root, '-@all', ctx);
      return null;
  }
  switch (op[0]) {
    case '>':
    case '#': {
      const hash = op[0] === '>' ? hashPassword(op.slice(1)) : op.slice(1);
      if (!isPasswordHash(hash)) return 'EBADMSG';
      if (!user.passwords.includes(hash)) user.passwords.push(hash);
      user.nopass = false;
      return null;
    }
    case '<':
    case '!': {
      const hash = op[0] === '<' ? hashPassword(op.slice(1)) : op.slice(1);
      if (!isPasswordHash(hash)) return 'EBADMSG';
      const at = user.passwords.indexOf(hash);
      if (at === -1) return 'ENODEV';
      user.passwords.splice(at, 1);
      return null;
    }
  }
  if (op[0] === '(' && op[op.length - 1] === ')') {
    const selector = new AclSelector(false, ctx.commands?.count ?? 0, ctx.allChannelsByDefault);
    // aclCreateSelectorFromOpSet: unbalanced quotes give no rules at all, hence an empty selector.
    for (const rule of splitArgs(op.slice(1, -1)) ?? []) {
      const error = applySelectorRule(selector, rule, ctx);
      if (error) return error;
    }
    user.selectors.push(selector);
    return null;
  }
  return applySelectorRule(user.root, op, ctx);
}

/** ACLCheckPasswordHash: 64 lowercase hex characters. */
function isPasswordHash(hash: string): boolean {
  return /^[0-9a-f]{64}$/.test(hash);
}

/** ACLSetSelector: the rules that apply to one selector (commands, keys, channels). */
export function applySelectorRule(selector: AclSelector, op: BinaryString, ctx: RuleContext): RuleError | null {
  const lower = op.toLowerCase();
  if (lower === 'allkeys' || op === '~*') {
    selector.allKeys = true;
    selector.keys = [];
  } else if (lower === 'resetkeys') {
    selector.allKeys = false;
    selector.keys = [];
  } else if (lower === 'allchannels' || op === '&*') {
    selector.allChannels = true;
    selector.channels = [];
  } else if (lower === 'resetchannels') {
    selector.allChannels = false;
    selector.channels = [];
  } else if (lower === 'allcommands' || lower === '+@all') {
    selector.commands.fill(0xffffffff);
    selector.allCommands = true;
    selector.futureCommands = true;
    selector.firstArgs = null;
  } else if (lower === 'nocommands' || lower === '-@all') {
    selector.commands.fill(0);
    selector.allCommands = false;
    selector.futureCommands = false;
    selector.firstArgs = null;
  } else if (op[0] === '~' || op[0] === '%') {
    return addKeyPattern(selector, op);
  } else if (op[0] === '&') {
    if (selector.allChannels) return 'EISDIR';
    const pattern = op.slice(1);
    if (hasSpaces(pattern)) return 'EINVAL';
    if (!selector.channels.includes(pattern)) selector.channels.push(pattern);
    selector.allChannels = false;
  } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
    const category = ACL_CATEGORIES.indexOf(lower.slice(2) as (typeof ACL_CATEGORIES)[number]);
    if (category === -1 || !ctx.commands) return 'ENOENT';
    setCategory(selector, ctx.commands, category, op[0] === '+');
  } else if (op[0] === '+') {
    return allowCommand(selector, op.slice(1), ctx);
  } else if (op[0] === '-') {
    const command = ctx.commands?.lookup(op.slice(1));
    if (!command) return 'ENOENT';
    changeCommand(selector, ctx.commands!, ctx.commands!.idOf(command), false);
  } else {
    return 'EINVAL';
  }
  return null;
}

/** `~pattern`, `%R~pattern`, `%W~pattern`, `%RW~pattern`. */
function addKeyPattern(selector: AclSelector, op: BinaryString): RuleError | null {
  if (selector.allKeys) return 'EEXIST';
  let access = KEY_ALL;
  let offset = 1;
  if (op[0] === '%') {
    access = 0;
    for (; offset < op.length; offset++) {
      const c = op[offset]!.toUpperCase();
      if (c === 'R' && !(access & KEY_READ)) access |= KEY_READ;
      else if (c === 'W' && !(access & KEY_WRITE)) access |= KEY_WRITE;
      else if (c === '~') {
        offset++;
        break;
      } else return 'EINVAL';
    }
    if (access === 0) return 'EINVAL';
  }
  const pattern = op.slice(offset);
  if (hasSpaces(pattern)) return 'EINVAL';
  const existing = selector.keys.find((k) => k.pattern === pattern);
  if (existing) existing.access |= access;
  else selector.keys.push({ pattern, access });
  selector.allKeys = false;
  return null;
}

/** `+cmd`, `+container|sub`, or `+cmd|firstarg` for a command without subcommands. */
function allowCommand(selector: AclSelector, name: BinaryString, ctx: RuleContext): RuleError | null {
  const commands = ctx.commands;
  const bar = name.lastIndexOf('|');
  if (bar === -1) {
    const command = commands?.lookup(name);
    if (!command) return 'ENOENT';
    changeCommand(selector, commands!, commands!.idOf(command), true);
    return null;
  }
  const command = commands?.lookup(name.slice(0, bar));
  const firstArg = name.slice(bar + 1);
  if (!command) return 'ENOENT';
  if (command.parent) return 'ECHILD';
  if (firstArg.length === 0) return 'EINVAL';
  if (command.subcommandMap) {
    const sub = commands!.lookup(name);
    if (!sub) return 'ENOENT';
    changeCommand(selector, commands!, commands!.idOf(sub), true);
    return null;
  }
  // The first-arg mechanism (e.g. "-select +select|0"), which Redis keeps but discourages.
  ctx.warn(
    `Deprecation warning: Allowing a first arg of an otherwise blocked command is a misuse of ACL and may get disabled in the future (offender: +${name})`,
  );
  const id = commands!.idOf(command);
  selector.firstArgs ??= new Map();
  const allowed = selector.firstArgs.get(id) ?? [];
  if (!allowed.some((a) => a.toLowerCase() === firstArg.toLowerCase())) allowed.push(firstArg);
  selector.firstArgs.set(id, allowed);
  return null;
}

/** ACLChangeSelectorPerm: a container's rule covers its subcommands too. */
export function changeCommand(selector: AclSelector, commands: AclCommands, id: number, allowed: boolean): void {
  selector.setCommand(id, allowed);
  selector.firstArgs?.delete(id);
  for (const sub of commands.byId[id]!.subcommandMap?.values() ?? []) selector.setCommand(commands.idOf(sub), allowed);
}

/** ACLSetSelectorCommandBitsForCategory: every command, then every subcommand, in the category. */
export function setCategory(selector: AclSelector, commands: AclCommands, category: number, allowed: boolean): void {
  for (const command of commands.topLevel()) {
    const id = commands.idOf(command);
    if (commands.inCategory(id, category)) changeCommand(selector, commands, id, allowed);
    for (const sub of command.subcommandMap?.values() ?? []) {
      const subId = commands.idOf(sub);
      if (commands.inCategory(subId, category)) changeCommand(selector, commands, subId, allowed);
    }
  }
}

/**
 * ACLMergeSelectorArguments: a selector may be spread over several arguments ("(+get", "~k)"),
 * which are joined with spaces. Returns the merged rules, or the index of the argument opening a
 * selector that never closes.
 */
export function mergeSelectorArguments(args: BinaryString[]): { rules: BinaryString[] } | { unmatchedAt: number } {
  const rules: BinaryString[] = [];
  let open = -1;
  let selector = '';
  for (let j = 0; j < args.length; j++) {
    const op = args[j]!;
    if (op[0] === '(' && op[op.length - 1] !== ')') {
      selector = op;
      open = j;
      continue;
    }
    if (open !== -1) {
      selector += ' ' + op;
      if (op[op.length - 1] === ')') {
        open = -1;
        rules.push(selector);
      }
      continue;
    }
    rules.push(op);
  }
  return open === -1 ? { rules } : { unmatchedAt: open };
}
