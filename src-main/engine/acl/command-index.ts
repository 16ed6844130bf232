// The command table as ACLs see it (acl.c works from server.orig_commands): every command and
// subcommand of Redis 7.0 (known-commands.ts) plus any this node serves beyond those, each with
// a small integer id that indexes the users' command bitsets, its categories as a bitmask, and how
// it names channels (what its keys need follows from the key specs of our command table: see
// check.ts). Commands this node does not serve are still here:
// rules may name them and category rules and ACL LIST's category fit count them, as in Redis;
// calling one still gets "unknown command", since the executor looks commands up in its own table.
import { ACL_CATEGORIES, type AclCategory, type Command, type CommandTable } from '../core/command-table.js';
import { KNOWN_COMMANDS, type KnownCommand } from './known-commands.js';

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
  private readonly channelArgs: ChannelArgs[] = [];
  /** NO_AUTH commands (AUTH, HELLO, QUIT...) are never refused by command rules. */
  private readonly noAuth: boolean[] = [];

  constructor(table: CommandTable, known: readonly KnownCommand[] = KNOWN_COMMANDS) {
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
        ? this.register(name, parent, spec.categories.split(' ') as AclCategory[], spec.flags.split(' '))
        : this.register(name, parent, categories, flags);
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

  private register(name: string, parent: AclCommand | null, categories: readonly AclCategory[], flags: readonly string[]): AclCommand {
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
    this.channelArgs.push(CHANNEL_ARGS[fullName] ?? ChannelArgs.None);
    this.noAuth.push(flags.includes('no_auth'));
    return command;
  }
}
