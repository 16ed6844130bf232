// The permission check (acl.c ACLCheckAllUserCommandPerm and ACLSelectorCheckCmd): may this user
// run this command line, with these keys and channels? Only the slow path lives here; the caller
// skips it entirely for users whose root selector allows everything (AclUser.unrestricted).
import { globMatch } from '../util/glob.js';
import { ChannelArgs, type AclCommands } from './command-index.js';
import { KEY_READ, KEY_WRITE, type AclSelector, type AclUser } from './user.js';
import { commandKeyReferences, type Command, type KeyReference, type KeySpecFlag } from '../core/command-table.js';
import type { BinaryString } from '../protocol/request-parser.js';

/** What was refused, in Redis's ACL_DENIED_* order (a higher value wins when choosing the error). */
export const enum Denial {
  Command = 1,
  Key = 2,
  Channel = 4,
}

export interface Denied {
  reason: Denial;
  /** argv index of the refused key or channel (0 for a refused command). */
  index: number;
}

/**
 * ACLCheckAllUserCommandPerm: null when some selector allows the command line. Otherwise the
 * error to report: a refused command if no selector got further, else the key or channel refused
 * last (the one at the highest position).
 */
export function checkCommand(user: AclUser, commands: AclCommands, command: Command, argv: BinaryString[]): Denied | null {
  const id = commands.idOf(command);
  const hasKeys = command.hasKeys;
  // The key positions are worked out once for all the selectors (aclKeyResultCache).
  let keys: KeyReference[] | null = null;
  let worst: Denied = { reason: Denial.Command, index: 0 };
  for (const selector of user.selectors) {
    let denied: Denied | null;
    if (!commandAllowed(selector, commands, id, command, argv)) {
      denied = { reason: Denial.Command, index: 0 };
    } else {
      denied = null;
      if (hasKeys && !selector.allKeys) denied = refusedKey(selector, (keys ??= commandKeyReferences(command, argv)), argv);
      denied ??= refusedChannel(selector, commands.channelArgsOf(id), argv);
      if (denied === null) return null;
    }
    if (denied.reason > worst.reason || (denied.reason === worst.reason && denied.index > worst.index)) worst = denied;
  }
  return worst;
}

function commandAllowed(selector: AclSelector, commands: AclCommands, id: number, command: Command, argv: BinaryString[]): boolean {
  return selector.allCommands || commands.isNoAuth(id) || selector.hasCommand(id) || firstArgAllowed(selector, id, command, argv);
}

/** ACLSelectorCheckKey for each key: the first one no pattern allows. */
function refusedKey(selector: AclSelector, keys: readonly KeyReference[], argv: BinaryString[]): Denied | null {
  for (const key of keys) {
    if (!keyAllowed(selector, argv[key.pos]!, keyNeed(key.flags))) return { reason: Denial.Key, index: key.pos };
  }
  return null;
}

/**
 * What a key needs from a pattern, from its key spec flags (ACLSelectorCheckKey): ACCESS needs read
 * permission, INSERT, DELETE and UPDATE write; a key with neither (EXISTS, TYPE...) or without
 * flags (found by a getkeys procedure that gives none) matches any pattern.
 */
function keyNeed(flags: readonly KeySpecFlag[]): number {
  let need = 0;
  if (flags.includes('access')) need |= KEY_READ;
  if (flags.includes('insert') || flags.includes('delete') || flags.includes('update')) need |= KEY_WRITE;
  return need;
}

/** ACLSelectorCheckPubsubArguments: the first channel the selector does not allow. */
function refusedChannel(selector: AclSelector, channels: ChannelArgs, argv: BinaryString[]): Denied | null {
  if (selector.allChannels || channels === ChannelArgs.None) return null;
  const last = channels === ChannelArgs.First ? Math.min(1, argv.length - 1) : argv.length - 1;
  for (let i = 1; i <= last; i++) {
    if (!channelAllowed(selector.channels, argv[i]!, channels === ChannelArgs.AllLiteral)) return { reason: Denial.Channel, index: i };
  }
  return null;
}

/** A command allowed only with given first arguments (`+select|0`). */
function firstArgAllowed(selector: AclSelector, id: number, command: Command, argv: BinaryString[]): boolean {
  const allowed = selector.firstArgs?.get(id);
  if (!allowed || argv.length < 2) return false;
  const arg = argv[command.parent ? 2 : 1]?.toLowerCase();
  return allowed.some((a) => a.toLowerCase() === arg);
}

/** ACLSelectorCheckKey: some pattern grants every permission the key needs and matches it. */
function keyAllowed(selector: AclSelector, key: BinaryString, need: number): boolean {
  for (const pattern of selector.keys) {
    if ((pattern.access & need) === need && globMatch(pattern.pattern, key)) return true;
  }
  return false;
}

/**
 * ACLCheckChannelAgainstList. A PSUBSCRIBE pattern is compared literally: allowing `&news.*`
 * allows subscribing to that very pattern, not to patterns it would match.
 */
export function channelAllowed(patterns: BinaryString[], channel: BinaryString, literal: boolean): boolean {
  for (const pattern of patterns) {
    if (literal ? pattern === channel : globMatch(pattern, channel)) return true;
  }
  return false;
}
