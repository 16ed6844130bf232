// The command table: every command a node understands, with the metadata Redis keeps for it
// (server.c's redisCommandTable, generated there from src/commands/*.json).
//
// The table's model (specs, flags, lookup, key positions) is part of the core; the commands
// themselves are families in ../commands/, one module each, which the node's composition root
// (../node.ts) hands to the Server.
//
// HOW TO ADD A COMMAND FAMILY
//   1. Create commands/<family>.ts exporting `const <family>Commands: CommandSpec[]` (see
//      commands/strings.ts for the pattern), or, when its handlers need ACLs, persistence or
//      replication, `function <family>Commands(node: NodeServices): CommandSpec[]` (see
//      commands/persistence.ts). Each spec gives the lowercase name, Redis's arity
//      (N = exactly N arguments counting the name; -N = at least N), flags, the key specs of
//      Redis's src/commands/<name>.json (keySpec(...); COMMAND INFO's legacy first/last/step are
//      derived from them), ACL categories besides those implied by flags, and the handler.
//   2. List it in commandFamilies() in commands/index.ts. Nothing else changes.
//   Handlers get (client, argv). Read keys with client.db.lookupRead; change them only through
//   the Database API (set, delete, setExpire, persist, lookupForWrite + changed) so snapshots,
//   WATCH and propagation see every write; reply through client.reply (typed, RESP2/RESP3-aware).
//   A write whose effect differs from its argv (relative TTLs, random choices, floats) calls
//   client.server.propagation.propagate(...) with the effect (see commands/strings.ts SET).
//   Container commands (CONFIG GET, CLIENT LIST...) list their subcommands in `subcommands`;
//   a subcommand's arity counts the container name too (CONFIG GET pattern = -3).
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from './client.js';
import type { LatencyHistogram } from './latency-histogram.js';

export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'module'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  | 'asking'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'no_mandatory_keys'
  | 'no_async_loading'
  | 'no_multi'
  | 'movablekeys'
  | 'allow_busy';

export type AclCategory =
  | 'keyspace'
  | 'read'
  | 'write'
  | 'set'
  | 'sortedset'
  | 'list'
  | 'hash'
  | 'string'
  | 'bitmap'
  | 'hyperloglog'
  | 'geo'
  | 'stream'
  | 'pubsub'
  | 'admin'
  | 'fast'
  | 'slow'
  | 'blocking'
  | 'dangerous'
  | 'connection'
  | 'transaction'
  | 'scripting';

export type CommandHandler = (client: Client, argv: BinaryString[]) => void;

export interface CommandSpec {
  /** Lowercase; a subcommand's own name (`get` for CONFIG GET). */
  name: string;
  arity: number;
  flags: CommandFlag[];
  /** Categories beyond those implied by flags (write -> @write, fast -> @fast, ...). */
  acl?: AclCategory[];
  /** COMMAND DOCS: one-line summary, version introduced, group (string, generic, server...). */
  summary: string;
  since: string;
  group: string;
  complexity?: string;
  /** Arguments in COMMAND DOCS form (informational; redis-cli shows them as hints). */
  arguments?: CommandDocArgument[];
  /**
   * Redis's CMD_PROTECTED: the directive (yes / local / no) that must allow the command before it
   * runs (see core/protected-commands.ts).
   */
  protectedBy?: 'enable-debug-command' | 'enable-module-command';
  /** Present on container commands; the handler is then only used when argv[1] is HELP-like. */
  subcommands?: CommandSpec[];
  /** COMMAND INFO's command tips (nondeterministic_output...), for commands Redis gives some. */
  tips?: string[];
  /**
   * Where the command's keys are and how it uses them: Redis's key specs (src/commands/*.json
   * `key_specs`), as COMMAND INFO shows them. Everything about keys follows from them: the legacy
   * first/last/step positions (populateCommandLegacyRangeSpec), COMMAND GETKEYS and
   * GETKEYSANDFLAGS, ACL key checks and client tracking (keysOfCall). Build them with keySpec().
   */
  keySpecs?: KeySpec[];
  /** COMMAND DOCS doc_flags (syscmd: a command servers send each other, not for users). */
  docFlags?: string[];
  /** COMMAND DOCS deprecated_since and replaced_by, for deprecated commands (doc flag `deprecated`). */
  deprecatedSince?: string;
  replacedBy?: string;
  /** COMMAND DOCS history: [version, what changed]. */
  history?: [string, string][];
  /**
   * Redis's CMD_TOUCHES_ARBITRARY_KEYS (SCAN, RANDOMKEY: they may delete expired keys no argument
   * names). Run directly, the DELs of those keys are propagated each on its own, not wrapped in
   * MULTI/EXEC (propagatePendingCommands, like active expiry). Not shown by COMMAND in 7.0.
   */
  touchesArbitraryKeys?: boolean;
  /**
   * Redis's getkeys_proc: the keys of a call when the key specs cannot find them (an incomplete or
   * unknown spec, an unparsable numkeys) or their flags depend on the arguments (variable_flags).
   * Returns the keys with their flags where Redis's procedure gives them (SET, BITFIELD, SORT,
   * MIGRATE), with empty flags where it does not (zunionInterDiffGetKeys and the like).
   */
  getKeys?: (argv: BinaryString[]) => KeyReference[];
  /**
   * getCommandFlags: the flags of this particular call when they depend on its arguments (EVAL of a
   * script with a shebang, FCALL: the script's flags make it a write, denyoom, stale or not,
   * scriptFlagsToCmdFlags), or null for `flags`.
   */
  argvFlags?: (argv: BinaryString[]) => readonly CommandFlag[] | null;
  /**
   * Absent on container commands that only run through a subcommand (CONFIG); COMMAND, which
   * also runs alone, has one.
   */
  handler?: CommandHandler;
}

/** Key spec flags (server.h CMD_KEY_*), in the order COMMAND INFO lists them. */
export const KEY_SPEC_FLAGS = [
  'RO',
  'RW',
  'OW',
  'RM',
  'access',
  'update',
  'insert',
  'delete',
  'not_key',
  'incomplete',
  'variable_flags',
] as const;
export type KeySpecFlag = (typeof KEY_SPEC_FLAGS)[number];

/** One key spec (Redis's keySpec): where the search begins, then how the keys are found from there. */
export interface KeySpec {
  notes?: string;
  flags: KeySpecFlag[];
  /** An argument index, the argument after a keyword (searched from startFrom; negative: backwards from the end), or unknown. */
  begin: { index: number } | { keyword: string; startFrom: number } | 'unknown';
  /**
   * A range (lastKey relative to the beginning, or negative from the end; limit > 1: only the
   * first 1/limit of what follows, XREAD's STREAMS), a count argument (keynumIdx) followed by that
   * many keys, or unknown.
   */
  find: { lastKey: number; keyStep: number; limit: number } | { keynumIdx: number; firstKey: number; keyStep: number } | 'unknown';
}

/** One key of a call: its argv position and its key spec's flags (Redis's keyReference). */
export interface KeyReference {
  pos: number;
  flags: readonly KeySpecFlag[];
}

/**
 * A key spec in the notation of Redis's command JSON files: `keySpec('RW access delete', 1)` is the
 * key at argv[1]; begin is an index, [keyword, startFrom] or 'unknown'; find is [lastKey, keyStep,
 * limit] (default: just that key), { keynum: [keynumIdx, firstKey, keyStep] } or 'unknown'.
 */
export function keySpec(
  flags: string,
  begin: number | [keyword: string, startFrom: number] | 'unknown',
  find: [lastKey: number, keyStep: number, limit: number] | { keynum: [number, number, number] } | 'unknown' = [0, 1, 0],
  notes?: string,
): KeySpec {
  const spec: KeySpec = {
    flags: flags.split(' ') as KeySpecFlag[],
    begin: typeof begin === 'number' ? { index: begin } : begin === 'unknown' ? begin : { keyword: begin[0], startFrom: begin[1] },
    find: Array.isArray(find)
      ? { lastKey: find[0], keyStep: find[1], limit: find[2] }
      : find === 'unknown'
        ? find
        : { keynumIdx: find.keynum[0], firstKey: find.keynum[1], keyStep: find.keynum[2] },
  };
  if (notes !== undefined) spec.notes = notes;
  return spec;
}

export interface CommandDocArgument {
  name: string;
  type: 'string' | 'integer' | 'double' | 'key' | 'pattern' | 'unix-time' | 'pure-token' | 'oneof' | 'block';
  token?: string;
  optional?: boolean;
  multiple?: boolean;
  /** Each repetition repeats the token too (CLIENT TRACKING's PREFIX a PREFIX b). */
  multipleToken?: boolean;
  /** The key spec (index in COMMAND INFO's list) a key argument belongs to, when it has several. */
  keySpecIndex?: number;
  /** The version that added the argument. */
  since?: string;
  deprecatedSince?: string;
  arguments?: CommandDocArgument[];
}

/** A command with its resolved identity in the table. */
export interface Command extends CommandSpec {
  /** Whether calls may have keys (db.c doesCommandHaveKeys): a getKeys, or a key spec that is not not_key. */
  hasKeys: boolean;
  /** The legacy key positions COMMAND INFO shows, derived from the key specs (0 0 0: none). */
  firstKey: number;
  lastKey: number;
  keyStep: number;
  /** `get`, or `config|get` for a subcommand (Redis's fullname, used in error messages). */
  fullName: string;
  parent: Command | null;
  subcommandMap: Map<string, Command> | null;
  /** ACL categories including those derived from flags, as COMMAND INFO lists them. */
  categories: AclCategory[];
  /** Counters for INFO commandstats. */
  stats: { calls: number; usec: number; rejectedCalls: number; failedCalls: number };
  /** Its calls' latencies while `latency-tracking` is on; null until the first (and after CONFIG RESETSTAT). */
  histogram: LatencyHistogram | null;
}

export class CommandTable {
  private readonly byName = new Map<string, Command>();

  constructor(families: readonly (readonly CommandSpec[])[]) {
    for (const family of families) for (const spec of family) this.add(spec);
  }

  /** Top-level commands, in registration order. */
  all(): Command[] {
    return [...new Set(this.byName.values())];
  }

  get size(): number {
    return this.all().length;
  }

  // The last name looked up and its command: clients mostly send runs of the same command, and
  // the parser hands out the same string for a repeated name (RequestParser), so a run costs an
  // identity comparison instead of hashing a fresh string for the map.
  private lastName = '';
  private lastCommand: Command | undefined;

  /** Looks a command name up case-insensitively (for speed, exact lowercase/uppercase first). */
  lookupName(name: string): Command | undefined {
    if (name === this.lastName) return this.lastCommand;
    const command = this.byName.get(name) ?? this.byName.get(name.toLowerCase());
    if (command !== undefined) {
      this.lastName = name;
      this.lastCommand = command;
    }
    return command;
  }

  /**
   * The command argv names: a subcommand when argv[0] is a container and argv[1] one of its
   * subcommands; the container itself when argv has no second word (its arity then fails);
   * undefined otherwise (Redis's lookupCommand).
   */
  lookup(argv: readonly BinaryString[]): Command | undefined {
    const base = this.lookupName(argv[0]!);
    if (!base || !base.subcommandMap || argv.length === 1) return base;
    return base.subcommandMap.get(argv[1]!.toLowerCase());
  }

  private add(spec: CommandSpec, parent: Command | null = null): Command {
    const command: Command = {
      ...spec,
      ...legacyRange(spec.keySpecs ?? []),
      hasKeys: spec.getKeys !== undefined || (spec.keySpecs ?? []).some((s) => !s.flags.includes('not_key')),
      flags: FLAG_ORDER.filter((f) => spec.flags.includes(f)),
      fullName: parent ? `${parent.name}|${spec.name}` : spec.name,
      parent,
      subcommandMap: null,
      categories: deriveCategories(spec),
      stats: { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 },
      histogram: null,
    };
    if (spec.subcommands) {
      command.subcommandMap = new Map();
      for (const sub of spec.subcommands) command.subcommandMap.set(sub.name, this.add(sub, command));
    }
    if (!parent) {
      if (this.byName.has(spec.name)) throw new Error(`command ${spec.name} registered twice`);
      this.byName.set(spec.name, command);
      this.byName.set(spec.name.toUpperCase(), command);
    }
    return command;
  }
}

/** Flags in Redis's bit order (server.h CMD_*), which COMMAND INFO follows. */
const FLAG_ORDER: CommandFlag[] = [
  'write',
  'readonly',
  'denyoom',
  'module',
  'admin',
  'pubsub',
  'noscript',
  'blocking',
  'loading',
  'stale',
  'skip_monitor',
  'skip_slowlog',
  'asking',
  'fast',
  'no_auth',
  'may_replicate',
  'no_mandatory_keys',
  'no_async_loading',
  'no_multi',
  'movablekeys',
  'allow_busy',
];

/**
 * acl.c ACLCommandCategories, in its bit order: the order COMMAND INFO lists categories in, and the
 * order ACL CAT and ACL LIST's category fit follow (../acl/).
 */
export const ACL_CATEGORIES: readonly AclCategory[] = [
  'keyspace',
  'read',
  'write',
  'set',
  'sortedset',
  'list',
  'hash',
  'string',
  'bitmap',
  'hyperloglog',
  'geo',
  'stream',
  'pubsub',
  'admin',
  'fast',
  'slow',
  'blocking',
  'dangerous',
  'connection',
  'transaction',
  'scripting',
];

/** server.c setImplicitACLCategories: flags imply categories. */
function deriveCategories(spec: CommandSpec): AclCategory[] {
  const cats = new Set<AclCategory>(spec.acl ?? []);
  const flags = new Set(spec.flags);
  if (flags.has('write')) cats.add('write');
  // Redis 7.0 adds @read to readonly commands unless they are scripting commands.
  if (flags.has('readonly') && !cats.has('scripting')) cats.add('read');
  if (flags.has('admin')) {
    cats.add('admin');
    cats.add('dangerous');
  }
  if (flags.has('pubsub')) cats.add('pubsub');
  if (flags.has('fast')) cats.add('fast');
  if (flags.has('blocking')) cats.add('blocking');
  if (!cats.has('fast')) cats.add('slow');
  return ACL_CATEGORIES.filter((c) => cats.has(c));
}

/** Redis's "wrong number of arguments" check (arity N: exactly N; -N: at least N). */
export function arityMatches(command: Command, argc: number): boolean {
  return command.arity > 0 ? argc === command.arity : argc >= -command.arity;
}

/**
 * server.c populateCommandLegacyRangeSpec: the first/last/step COMMAND INFO shows, from the key
 * specs that are plain consecutive index ranges of step 1 (or the one spec, whatever its step).
 */
function legacyRange(specs: readonly KeySpec[]): { firstKey: number; lastKey: number; keyStep: number } {
  const none = { firstKey: 0, lastKey: 0, keyStep: 0 };
  const only = specs[0];
  if (
    specs.length === 1 &&
    only &&
    only.begin !== 'unknown' &&
    'index' in only.begin &&
    only.find !== 'unknown' &&
    'lastKey' in only.find
  ) {
    const { lastKey, keyStep } = only.find;
    return { firstKey: only.begin.index, lastKey: lastKey < 0 ? lastKey : only.begin.index + lastKey, keyStep };
  }
  let first = Infinity;
  let last = 0;
  let prevLast = 0;
  for (const spec of specs) {
    if (spec.begin === 'unknown' || !('index' in spec.begin) || spec.find === 'unknown' || !('lastKey' in spec.find)) continue;
    if (spec.find.keyStep !== 1 || (prevLast && prevLast !== spec.begin.index - 1)) continue;
    first = Math.min(first, spec.begin.index);
    const absLast = spec.find.lastKey >= 0 ? spec.find.lastKey + spec.begin.index : spec.find.lastKey;
    // Redis compares as unsigned, so a negative (from the end) last key wins.
    last = unsignedMax(last, absLast);
    prevLast = last;
  }
  if (first === Infinity) return none;
  return { firstKey: first, lastKey: last, keyStep: 1 };
}

const unsignedMax = (a: number, b: number): number => (a >>> 0 >= b >>> 0 ? a : b);

/** A CommandSpec (kept as the one place a family module builds its specs through). */
export function defineCommand(input: CommandSpec): CommandSpec {
  return input;
}

/**
 * db.c getKeysFromCommandWithSpecs: the keys of a call with their flags. The key specs find them
 * unless one of them is unknown or incomplete, or the flags vary with the arguments; then the
 * command's getKeys (Redis's getkeys_proc) does. Shard channels (not_key) are no keys.
 */
export function commandKeyReferences(command: Command, argv: readonly BinaryString[]): KeyReference[] {
  const specs = command.keySpecs ?? [];
  const hasKeySpec = specs.some((s) => !s.flags.includes('not_key'));
  const variableFlags = specs.some((s) => s.flags.includes('variable_flags'));
  if (hasKeySpec && !variableFlags) {
    const found = keysFromSpecs(command, specs, argv);
    if (found) return found;
  }
  return command.getKeys ? command.getKeys(argv as BinaryString[]) : [];
}

/**
 * db.c genericGetKeys, the getkeys_proc of the commands with a numkeys argument (ZUNION, LMPOP,
 * EVAL...): the count at argv[keyCountOfs] (read as atoi does), that many keys after it, then the
 * destination key if any; nothing when the count is out of range. No flags: the key specs have them.
 */
export function numkeysGetKeys(keyCountOfs: number, storeKeyOfs = 0): (argv: BinaryString[]) => KeyReference[] {
  return (argv) => {
    const num = Number.parseInt(argv[keyCountOfs] ?? '', 10) || 0;
    const first = keyCountOfs + 1;
    if (num < 1 || num > argv.length - first) return [];
    const keys: KeyReference[] = Array.from({ length: num }, (_, i) => ({ pos: first + i, flags: [] }));
    if (storeKeyOfs) keys.push({ pos: storeKeyOfs, flags: [] });
    return keys;
  };
}

/** The argv positions of a call's keys (COMMAND GETKEYS, ACL key checks, client tracking). */
export function commandKeys(command: Command, argv: readonly BinaryString[]): number[] {
  return commandKeyReferences(command, argv).map((k) => k.pos);
}

/** db.c getKeysUsingKeySpecs; null where Redis returns -1 (a spec it cannot follow on this call). */
function keysFromSpecs(command: Command, specs: readonly KeySpec[], argv: readonly BinaryString[]): KeyReference[] | null {
  const argc = argv.length;
  const keys: KeyReference[] = [];
  for (const spec of specs) {
    if (spec.flags.includes('not_key')) continue;
    let first = 0;
    if (spec.begin === 'unknown') return null;
    if ('index' in spec.begin) first = spec.begin.index;
    else {
      const { keyword, startFrom } = spec.begin;
      const start = startFrom > 0 ? startFrom : argc + startFrom;
      const end = startFrom > 0 ? argc - 1 : 1;
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (argv[i]!.toLowerCase() === keyword.toLowerCase()) {
          first = i + 1;
          break;
        }
      }
      if (!first) continue;
    }
    let last: number;
    let step: number;
    if (spec.find === 'unknown') return null;
    if ('lastKey' in spec.find) {
      step = spec.find.keyStep;
      const { lastKey, limit } = spec.find;
      if (lastKey >= 0) last = first + lastKey;
      else if (!limit) last = argc + lastKey;
      else last = first + (Math.trunc((argc - first) / limit) + lastKey);
    } else {
      step = spec.find.keyStep;
      if (spec.find.keynumIdx >= argc) return null;
      const numkeys = strictInteger(argv[first + spec.find.keynumIdx]);
      if (numkeys === null || numkeys < 0) return null;
      first += spec.find.firstKey;
      last = first + numkeys - 1;
    }
    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) {
      // A variadic command called with too few arguments: its own syntax error comes later.
      if (i >= argc || i < first) {
        if (command.arity < 0) continue;
        throw new Error(`${command.fullName}: key specs do not match the arity`);
      }
      keys.push({ pos: i, flags: spec.flags });
    }
    if (spec.flags.includes('incomplete')) return null;
  }
  return keys;
}

/** util.c string2ll: a decimal integer with nothing around it, or null. */
function strictInteger(s: BinaryString | undefined): number | null {
  if (s === undefined || !/^(0|-?[1-9][0-9]*)$/.test(s) || s.length > 20) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}
