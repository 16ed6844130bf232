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
//      (N = exactly N arguments counting the name; -N = at least N), flags, key positions
//      (firstKey/lastKey/keyStep, lastKey -1 = last argument), ACL categories besides those
//      implied by flags, and the handler.
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
  firstKey: number;
  lastKey: number;
  keyStep: number;
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
  protectedBy?: 'enable-debug-command';
  /** Present on container commands; the handler is then only used when argv[1] is HELP-like. */
  subcommands?: CommandSpec[];
  /** COMMAND INFO's command tips (nondeterministic_output...), for commands Redis gives some. */
  tips?: string[];
  /**
   * The key spec where it is not what the command's kind implies (see commands/introspection.ts):
   * Redis's own flags or notes, or keys found after a keyword (XREAD's STREAMS: a range to the
   * last argument, keystep 1, limit 2, i.e. the first half of what follows).
   */
  keySpec?: { flags?: string[]; notes?: string; keyword?: { keyword: string; startFrom: number } };
  /**
   * All of COMMAND INFO's key specs, for the commands with several (MIGRATE: the key argument, and
   * the keys after KEYS); replaces what `keySpec` and the key positions would give.
   */
  keySpecs?: KeySpecDoc[];
  /** COMMAND DOCS doc_flags (syscmd: a command servers send each other, not for users). */
  docFlags?: string[];
  /** COMMAND DOCS history: [version, what changed]. */
  history?: [string, string][];
  /**
   * Redis's CMD_TOUCHES_ARBITRARY_KEYS (SCAN, RANDOMKEY: they may delete expired keys no argument
   * names). Run directly, the DELs of those keys are propagated each on its own, not wrapped in
   * MULTI/EXEC (propagatePendingCommands, like active expiry). Not shown by COMMAND in 7.0.
   */
  touchesArbitraryKeys?: boolean;
  /** Returns the key positions for movable-key commands (COMMAND GETKEYS, ACL key checks). */
  getKeys?: (argv: BinaryString[]) => number[];
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

/** One key spec as COMMAND INFO shows it (Redis's keySpec). */
export interface KeySpecDoc {
  flags: string[];
  begin: { index: number } | { keyword: string; startFrom: number };
  find: { lastKey: number; keyStep: number; limit: number };
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
  arguments?: CommandDocArgument[];
}

/** A command with its resolved identity in the table. */
export interface Command extends CommandSpec {
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

type SpecInput = Omit<CommandSpec, 'firstKey' | 'lastKey' | 'keyStep'> & {
  /** [first, last, step] key positions; omitted for keyless commands. */
  keys?: [number, number, number];
};

/** A CommandSpec with key positions given as one tuple (keeps family modules compact). */
export function defineCommand(input: SpecInput): CommandSpec {
  const { keys = [0, 0, 0], ...rest } = input;
  return { ...rest, firstKey: keys[0], lastKey: keys[1], keyStep: keys[2] };
}

/** The key positions of a full command line (COMMAND GETKEYS, ACL key checks). */
export function commandKeys(command: Command, argv: BinaryString[]): number[] {
  if (command.getKeys) return command.getKeys(argv);
  const keys: number[] = [];
  // Names declared as keys only for routing (SPUBLISH's shard channel: flag not_key) are not keys
  // (getKeysUsingKeySpecs without GET_KEYSPEC_INCLUDE_NOT_KEYS).
  if (command.firstKey <= 0 || command.keySpec?.flags?.includes('not_key')) return keys;
  const last = command.lastKey < 0 ? argv.length + command.lastKey : command.lastKey;
  for (let i = command.firstKey; i <= last && i < argv.length; i += command.keyStep) keys.push(i);
  return keys;
}
