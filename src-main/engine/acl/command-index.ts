// The command table as ACLs see it (acl.c works from server.orig_commands): every command and
// subcommand of Redis 7.0 (known-commands.ts) plus any this node serves beyond those, each with
// a small integer id that indexes the users' command bitsets, its categories as a bitmask, and what
// its keys and channels need (the key-spec flags of Redis's command JSON files, reduced to what ACL
// key patterns test: read and/or write access). Commands this node does not serve are still here:
// rules may name them and category rules and ACL LIST's category fit count them, as in Redis;
// calling one still gets "unknown command", since the executor looks commands up in its own table.
import { KEY_READ, KEY_WRITE } from './user.js';
import { ACL_CATEGORIES, commandKeys, type AclCategory, type Command, type CommandTable } from '../core/command-table.js';
import { KNOWN_COMMANDS, type KnownCommand } from './known-commands.js';
import type { BinaryString } from '../protocol/request-parser.js';

const R = KEY_READ;
const W = KEY_WRITE;
const RW = KEY_READ | KEY_WRITE;

/**
 * What each command's keys need, from the key specs of Redis 7.0's src/commands/*.json: ACCESS
 * needs read permission; INSERT, DELETE and UPDATE need write (acl.c ACLSelectorCheckKey). Keys
 * with neither (EXISTS, TYPE, WATCH...) match any pattern of the user. Every Redis 7.0 command
 * with keys is listed, so a family added later is covered without touching this file.
 */
const KEYS_NEED: Record<number, string> = {
  [R]:
    'bitcount bitfield_ro bitpos dump expiretime get getbit getrange hget hgetall hkeys hmget hrandfield ' +
    'hscan hvals lcs lindex lpos lrange mget pexpiretime pttl sdiff sinter sintercard smembers ' +
    'smismember srandmember sscan substr sunion ttl zcount zdiff zinter zintercard zlexcount zmscore ' +
    'zrandmember zrange zrangebylex zrangebyscore zrank zrevrange zrevrangebylex zrevrangebyscore ' +
    'zrevrank zscan zscore zunion eval_ro evalsha_ro fcall_ro geodist geohash geopos georadius_ro ' +
    'georadiusbymember_ro geosearch pfcount pfdebug sort_ro xinfo|consumers xinfo|groups xinfo|stream ' +
    'xpending xrange xread xreadgroup xrevrange',
  [W]:
    'append del expire expireat hdel hmset hset hsetnx linsert lpush lpushx lrem lset ltrim mset msetnx ' +
    'persist pexpire pexpireat psetex restore rpush rpushx sadd setex setnx setrange srem unlink zadd ' +
    'zrem zremrangebylex zremrangebyrank zremrangebyscore geoadd pfadd restore-asking xack xadd ' +
    'xautoclaim xclaim xdel xgroup|create xgroup|createconsumer xgroup|delconsumer xgroup|destroy ' +
    'xgroup|setid xsetid xtrim',
  [RW]:
    'blmpop blpop brpop bzmpop bzpopmax bzpopmin decr decrby getdel getex getset hincrby hincrbyfloat ' +
    'incr incrby incrbyfloat lmpop lpop move rpop setbit spop zincrby zmpop zpopmax zpopmin eval ' +
    'evalsha fcall migrate',
  0:
    'exists hexists hlen hstrlen llen object|encoding object|freq object|idletime object|refcount scard ' +
    'sismember strlen touch type watch zcard memory|usage xlen',
};

/** Commands whose first key needs something else than the others: [first key, other keys]. */
const FIRST_KEY_DIFFERS: Record<string, [number, number]> = {
  bitop: [W, R],
  copy: [R, W],
  rename: [RW, W],
  renamenx: [RW, W],
  lmove: [RW, W],
  blmove: [RW, W],
  rpoplpush: [RW, W],
  brpoplpush: [RW, W],
  smove: [RW, W],
  sdiffstore: [W, R],
  sinterstore: [W, R],
  sunionstore: [W, R],
  zdiffstore: [W, R],
  zinterstore: [W, R],
  zunionstore: [W, R],
  zrangestore: [W, R],
  geosearchstore: [W, R],
  pfmerge: [RW, R],
  georadius: [R, W],
  georadiusbymember: [R, W],
  sort: [R, W],
};

/**
 * Commands whose key flags depend on the arguments (key specs with VARIABLE_FLAGS, resolved by
 * db.c setGetKeys and bitfieldGetKeys).
 */
const VARIABLE_KEY_NEED: Record<string, (argv: BinaryString[]) => number> = {
  // SET ... GET reads the old value.
  set: (argv) => (argv.slice(3).some((a) => a.toLowerCase() === 'get') ? RW : W),
  // BITFIELD with only GET (and OVERFLOW) operations reads; SET / INCRBY or bad syntax writes.
  bitfield(argv) {
    for (let i = 2; i < argv.length; i++) {
      const more = argv.length - i - 1;
      const op = argv[i]!.toLowerCase();
      if (op === 'get' && more >= 2) i += 2;
      else if (op === 'overflow' && more >= 1) i += 1;
      else return RW;
    }
    return R;
  },
};

/** How a command names Pub/Sub channels (acl.c ACLDoesCommandHaveChannels and its callers). */
export const enum ChannelArgs {
  None,
  /** PUBLISH: argv[1]. */
  First,
  /** SUBSCRIBE: every argument. */
  All,
  /** PSUBSCRIBE: every argument, compared literally with the user's channel patterns. */
  AllLiteral,
}

const CHANNEL_ARGS: Record<string, ChannelArgs> = {
  publish: ChannelArgs.First,
  spublish: ChannelArgs.First,
  subscribe: ChannelArgs.All,
  ssubscribe: ChannelArgs.All,
  psubscribe: ChannelArgs.AllLiteral,
};

/** A command or subcommand as ACL rules name it, served by this node or not. */
export interface AclCommand {
  name: string;
  /** `name`, or `container|name` for a subcommand. */
  fullName: string;
  parent: AclCommand | null;
  subcommandMap: Map<string, AclCommand> | null;
  /** Our implementation, or null for a Redis command this node does not serve. */
  served: Command | null;
}

export class AclCommands {
  /** All commands and subcommands, by id. */
  readonly byId: AclCommand[] = [];
  private readonly byName = new Map<string, AclCommand>();
  private readonly ids = new Map<AclCommand | Command, number>();
  /** Top-level commands, in id order. */
  private readonly tops: AclCommand[] = [];
  /** Category bitmask by id (bit i = ACL_CATEGORIES[i]). */
  private readonly categoryBits: number[] = [];
  /** [first key, other keys] needs, or a function of the arguments (VARIABLE_KEY_NEED). */
  private readonly keyNeeds: ([number, number] | ((argv: BinaryString[]) => number))[] = [];
  private readonly channelArgs: ChannelArgs[] = [];
  /** NO_AUTH commands (AUTH, HELLO, QUIT...) are never refused by command rules. */
  private readonly noAuth: boolean[] = [];

  constructor(table: CommandTable, known: readonly KnownCommand[] = KNOWN_COMMANDS) {
    const needs = new Map<string, number>();
    for (const [need, names] of Object.entries(KEYS_NEED)) for (const name of names.split(' ')) needs.set(name, Number(need));
    // Served commands first, in our table's order (the order single-command rules are described
    // in; Redis's follows its hash table), then the rest of Redis's. Categories and flags are
    // Redis's where it has the command: they are what ACLs count.
    const knownByName = new Map<string, KnownCommand>();
    for (const spec of known) {
      knownByName.set(spec.name, spec);
      for (const sub of spec.subcommands ?? []) knownByName.set(`${spec.name}|${sub.name}`, sub);
    }
    const add = (name: string, parent: AclCommand | null, categories: readonly AclCategory[], flags: readonly string[]) => {
      const spec = knownByName.get(parent ? `${parent.name}|${name}` : name);
      return spec
        ? this.register(name, parent, spec.categories.split(' ') as AclCategory[], spec.flags.split(' '), needs)
        : this.register(name, parent, categories, flags, needs);
    };
    for (const served of table.all()) {
      const entry = add(served.name, null, served.categories, served.flags);
      entry.served = served;
      this.ids.set(served, this.idOf(entry));
      for (const sub of served.subcommandMap?.values() ?? []) {
        const subEntry = add(sub.name, entry, sub.categories, sub.flags);
        subEntry.served = sub;
        this.ids.set(sub, this.idOf(subEntry));
      }
    }
    for (const spec of known) {
      const entry = this.byName.get(spec.name) ?? add(spec.name, null, [], []);
      for (const sub of spec.subcommands ?? []) if (!entry.subcommandMap?.has(sub.name)) add(sub.name, entry, [], []);
    }
  }

  get count(): number {
    return this.byId.length;
  }

  /** The id of a command, ours (a served Command) or as ACLs know it. */
  idOf(command: AclCommand | Command): number {
    return this.ids.get(command)!;
  }

  /** Top-level commands; each one's subcommands are in its subcommandMap. */
  topLevel(): readonly AclCommand[] {
    return this.tops;
  }

  /**
   * ACLLookupCommand (lookupCommandBySdsLogic, strict): `name` or `container|sub`, case-insensitive;
   * anything deeper, or a `|sub` of a command without subcommands, is not found.
   */
  lookup(name: string): AclCommand | undefined {
    const parts = name.toLowerCase().split('|');
    if (parts.length > 2) return undefined;
    const base = this.byName.get(parts[0]!);
    if (!base) return undefined;
    if (parts.length === 1) return base;
    return base.subcommandMap?.get(parts[1]!);
  }

  inCategory(id: number, category: number): boolean {
    return (this.categoryBits[id]! & (1 << category)) !== 0;
  }

  isNoAuth(id: number): boolean {
    return this.noAuth[id]!;
  }

  channelArgsOf(id: number): ChannelArgs {
    return this.channelArgs[id]!;
  }

  /** The argv positions of a command line's keys (getKeysFromCommandWithSpecs). */
  keyPositions(command: Command, argv: BinaryString[]): number[] {
    return commandKeys(command, argv);
  }

  /** What the `nth` key of a command line needs (KEY_READ / KEY_WRITE bits). */
  keyNeed(id: number, argv: BinaryString[], nth: number): number {
    const needs = this.keyNeeds[id]!;
    return typeof needs === 'function' ? needs(argv) : needs[nth === 0 ? 0 : 1];
  }

  private register(
    name: string,
    parent: AclCommand | null,
    categories: readonly AclCategory[],
    flags: readonly string[],
    needs: Map<string, number>,
  ): AclCommand {
    const fullName = parent ? `${parent.name}|${name}` : name;
    const command: AclCommand = { name, fullName, parent, subcommandMap: null, served: null };
    if (parent) (parent.subcommandMap ??= new Map()).set(name, command);
    else this.tops.push(command);
    const id = this.byId.length;
    this.byId.push(command);
    this.byName.set(fullName, command);
    this.ids.set(command, id);
    let bits = 0;
    for (const category of categories) if (ACL_CATEGORIES.includes(category)) bits |= 1 << ACL_CATEGORIES.indexOf(category);
    this.categoryBits.push(bits);
    const need = needs.get(fullName);
    this.keyNeeds.push(
      VARIABLE_KEY_NEED[fullName] ?? FIRST_KEY_DIFFERS[fullName] ?? (need === undefined ? defaultNeeds(flags) : [need, need]),
    );
    this.channelArgs.push(CHANNEL_ARGS[fullName] ?? ChannelArgs.None);
    this.noAuth.push(flags.includes('no_auth'));
    return command;
  }
}

/** A command missing from the tables above: writes need read and write, others read. */
function defaultNeeds(flags: readonly string[]): [number, number] {
  const need = flags.includes('write') ? RW : R;
  return [need, need];
}
