// Users written back as rules (acl.c ACLDescribeUser, ACLDescribeSelector and
// ACLDescribeSelectorCommandRules): what ACL LIST, ACL GETUSER, ACL SAVE and CONFIG REWRITE
// print, in Redis 7.0's order and canonical form, so that applying the text again rebuilds the
// same user.
import type { AclCommands } from './command-index.js';
import { ACL_CATEGORIES } from '../core/command-table.js';
import { applySelectorRule, changeCommand, setCategory, type RuleContext } from './rules.js';
import { AclSelector, KEY_ALL, KEY_READ, type AclUser, type KeyPattern } from './user.js';

/** The rule text of a user, without the leading `user <name> `. */
export function describeUser(user: AclUser, commands: AclCommands): string {
  let out = '';
  for (const flag of userFlags(user)) out += flag + ' ';
  for (const hash of user.passwords) out += `#${hash} `;
  for (const selector of user.selectors) {
    const text = describeSelector(selector, commands);
    out += selector.root ? text : ` (${text})`;
  }
  return out;
}

/** Flags in acl.c ACLUserFlags order (ACL GETUSER lists them the same way). */
export function userFlags(user: AclUser): string[] {
  const flags = [user.enabled ? 'on' : 'off'];
  if (user.nopass) flags.push('nopass');
  if (user.sanitizePayload === 'skip') flags.push('skip-sanitize-payload');
  if (user.sanitizePayload === 'sanitize') flags.push('sanitize-payload');
  return flags;
}

function describeSelector(selector: AclSelector, commands: AclCommands): string {
  let out = '';
  if (selector.allKeys) out += '~* ';
  else for (const key of selector.keys) out += keyPatternText(key) + ' ';
  if (selector.allChannels) out += '&* ';
  else {
    out += 'resetchannels ';
    for (const channel of selector.channels) out += `&${channel} `;
  }
  return out + describeCommandRules(selector, commands);
}

/** ACL GETUSER's `keys` field. */
export function describeKeys(selector: AclSelector): string {
  return selector.allKeys ? '~*' : selector.keys.map(keyPatternText).join(' ');
}

/** ACL GETUSER's `channels` field. */
export function describeChannels(selector: AclSelector): string {
  return selector.allChannels ? '&*' : selector.channels.map((c) => `&${c}`).join(' ');
}

function keyPatternText(key: KeyPattern): string {
  const prefix = key.access === KEY_ALL ? '~' : key.access === KEY_READ ? '%R~' : '%W~';
  return prefix + key.pattern;
}

/**
 * ACLDescribeSelectorCommandRules: +@all or -@all, then the categories that best fit the
 * selector's command bits (each round picks the category with the fewest differences, the most
 * commands in common breaking ties), then single commands for what is left. The rules are
 * replayed on a scratch selector as they are emitted, so each round sees what is still missing.
 */
export function describeCommandRules(selector: AclSelector, commands: AclCommands): string {
  const ctx: RuleContext = { commands, allChannelsByDefault: false, warn: () => {} };
  const additive = !selector.futureCommands;
  const rules: string[] = [additive ? '-@all' : '+@all'];
  const replayed = new AclSelector(false, commands.count, false);
  applySelectorRule(replayed, rules[0]!, ctx);
  // The user's bits with each category already described flipped to the base state.
  const remaining = new AclSelector(false, commands.count, false);
  remaining.commands.set(selector.commands);
  const applied = new Set<number>();
  for (;;) {
    let best = -1;
    let minDiff = Infinity;
    let maxSame = 0;
    for (let category = 0; category < ACL_CATEGORIES.length; category++) {
      if (applied.has(category)) continue;
      const { on, off } = countCategory(remaining, commands, category);
      const diff = additive ? off : on;
      const same = additive ? on : off;
      if (same > diff && (diff < minDiff || (diff === minDiff && same > maxSame))) {
        best = category;
        minDiff = diff;
        maxSame = same;
      }
    }
    if (best === -1) break;
    rules.push(`${additive ? '+' : '-'}@${ACL_CATEGORIES[best]}`);
    setCategory(replayed, commands, best, additive);
    setCategory(remaining, commands, best, !additive);
    applied.add(best);
  }
  for (const command of commands.topLevel()) {
    describeSingleCommand(selector, replayed, commands, commands.idOf(command), rules);
    for (const sub of command.subcommandMap?.values() ?? []) {
      describeSingleCommand(selector, replayed, commands, commands.idOf(sub), rules);
    }
  }
  return rules.join(' ');
}

/** ACLDescribeSelectorCommandRulesSingleCommands for one command: its +/- rule and first-args. */
function describeSingleCommand(selector: AclSelector, replayed: AclSelector, commands: AclCommands, id: number, rules: string[]): void {
  const allowed = selector.hasCommand(id);
  const name = commands.byId[id]!.fullName;
  if (allowed !== replayed.hasCommand(id)) {
    rules.push(`${allowed ? '+' : '-'}${name}`);
    changeCommand(replayed, commands, id, allowed);
  }
  // Only commands without subcommands have first-args (`+container|x` names a subcommand).
  if (!allowed) for (const arg of selector.firstArgs?.get(id) ?? []) rules.push(`+${name}|${arg}`);
}

function countCategory(selector: AclSelector, commands: AclCommands, category: number): { on: number; off: number } {
  let on = 0;
  let off = 0;
  for (let id = 0; id < commands.count; id++) {
    if (!commands.inCategory(id, category)) continue;
    if (selector.hasCommand(id)) on++;
    else off++;
  }
  return { on, off };
}
