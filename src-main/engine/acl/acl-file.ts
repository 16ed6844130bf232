// Users in text form: the ACL file (acl.c ACLLoadFromFile / ACLSaveToFile, used by `aclfile`, ACL
// LOAD and ACL SAVE) and the `user` lines of the config file (ACLAppendUserForLoading, checked
// while the config is read, applied once the command table exists).
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { strerror } from '../config/errors.js';
import type { BinaryString } from '../protocol/request-parser.js';
import { describeUser } from './describe.js';
import type { AclCommands } from './command-index.js';
import { applyUserRule, hasSpaces, mergeSelectorArguments, RULE_ERROR_TEXT, type RuleContext } from './rules.js';
import { AclUser } from './user.js';

/** Users by name; iteration in name order is what ACL LIST / USERS / SAVE print (Redis's rax). */
export type Users = Map<BinaryString, AclUser>;

export function sortedUsers(users: Users): AclUser[] {
  return [...users.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * ACLLoadFromFile: the users an ACL file defines, or Redis's one-line description of every
 * problem found (then nothing at all is loaded). `name` is the path as configured, as the
 * messages show it; `path` is where to read it.
 */
export function loadAclFile(name: string, path: string, ctx: RuleContext & { commands: AclCommands }): Users | string {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (err) {
    return `Error loading ACLs, opening file '${name}': ${strerror(err)}`;
  }
  const users: Users = new Map();
  let errors = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    const where = `${name}:${i + 1}`;
    if (line === '') continue;
    // sdssplitlen on single spaces: no quoting, and runs of spaces give empty (no-op) rules.
    const argv = line.split(' ');
    if (argv[0] !== 'user' || argv.length < 2) {
      errors += `${where} should start with user keyword followed by the username. `;
      continue;
    }
    const username = argv[1]!;
    if (hasSpaces(username)) {
      errors += `'${where}: username '${username}' contains invalid characters. `;
      continue;
    }
    if (users.has(username)) {
      errors += `WARNING: Duplicate user '${username}' found on line ${i + 1}. `;
      continue;
    }
    const user = new AclUser(username, ctx.commands.count, ctx.allChannelsByDefault);
    users.set(username, user);
    const merged = mergeSelectorArguments(argv.slice(2));
    if ('unmatchedAt' in merged) {
      errors += `${where}: Unmatched parenthesis in selector definition.`;
      continue;
    }
    // Unknown commands are named; of the other errors only the first of a line is reported,
    // since it may be what made the later rules fail.
    let reportedSyntaxError = false;
    for (const raw of merged.rules) {
      const rule = raw.replace(/^[\t\r\n]+|[\t\r\n]+$/g, '');
      const error = applyUserRule(user, rule, ctx);
      if (error === 'ENOENT') {
        errors += `${where}: Error in applying operation '${rule}': ${RULE_ERROR_TEXT.ENOENT}. `;
      } else if (error && !reportedSyntaxError) {
        errors += `${where}: ${RULE_ERROR_TEXT[error]}. `;
        reportedSyntaxError = true;
      }
    }
  }
  if (errors) return errors + 'WARNING: ACL errors detected, no change to the previously active ACL rules was performed';
  return users;
}

/**
 * ACLSaveToFile: every user as a `user` line, written to a temporary file renamed over the old
 * one. Returns the log line explaining a failure, or null.
 */
export function saveAclFile(path: string, users: Users, commands: AclCommands): string | null {
  const text = sortedUsers(users)
    .map((u) => `user ${u.name} ${describeUser(u, commands)}\n`)
    .join('');
  const temp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(temp, text, { encoding: 'latin1', mode: 0o644 });
  } catch (err) {
    return `Opening temp ACL file for ACL SAVE: ${strerror(err)}`;
  }
  try {
    renameSync(temp, path);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // Nothing more to clean up.
    }
    return `Renaming ACL file for ACL SAVE: ${strerror(err)}`;
  }
  return null;
}

/**
 * ACLAppendUserForLoading's check of a `user` line (`args` without the directive): the error
 * the config loader reports, or null. Only the syntax is checked (command and category names are
 * known later, as in Redis). `earlier` are the `user` lines already read.
 */
export function checkUserDeclaration(args: BinaryString[], earlier: readonly BinaryString[][]): string | null {
  // Redis names the offending word as argv[index] of the whole line, with the index counted among
  // the rules, so the word it shows is off by two: reproduced for identical messages.
  const word = (ruleIndex: number): string => (ruleIndex === 0 ? 'user' : args[ruleIndex - 1]!);
  if (earlier.some((line) => line[0] === args[0])) return `Error in user declaration '${word(1)}': ${RULE_ERROR_TEXT.EALREADY}`;
  const merged = mergeSelectorArguments(args.slice(1));
  // An unmatched parenthesis sets no errno in Redis; the stale one it reports is ENOENT.
  if ('unmatchedAt' in merged) return `Error in user declaration '${word(merged.unmatchedAt)}': ${RULE_ERROR_TEXT.ENOENT}`;
  const scratch = new AclUser(args[0]!, 0, false);
  const ctx: RuleContext = { commands: null, allChannelsByDefault: false, warn: () => {} };
  for (let j = 0; j < merged.rules.length; j++) {
    const error = applyUserRule(scratch, merged.rules[j]!, ctx);
    if (error && error !== 'ENOENT') return `Error in user declaration '${word(j)}': ${RULE_ERROR_TEXT[error]}`;
  }
  return null;
}
