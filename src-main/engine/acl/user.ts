// The ACL user model (acl.c's `user` and `aclSelector`): a user has flags, password hashes and
// one or more selectors; each selector says which commands (a bitset over command ids), keys and
// Pub/Sub channels it allows. The first selector is the "root" one, set by rules given outside
// parentheses; the others come from `(...)` rules (Redis 7.0 selectors). A command is allowed when
// any selector allows it.
import type { BinaryString } from '../protocol/request-parser.js';

/** Key permission bits of a key pattern (%R~, %W~; ~ is both). */
export const KEY_READ = 1;
export const KEY_WRITE = 2;
export const KEY_ALL = KEY_READ | KEY_WRITE;

export interface KeyPattern {
  pattern: BinaryString;
  /** KEY_READ and/or KEY_WRITE. */
  access: number;
}

export class AclSelector {
  /** Redis's SELECTOR_FLAG_ALLKEYS / ALLCHANNELS / ALLCOMMANDS. */
  allKeys = false;
  allChannels: boolean;
  allCommands = false;
  /**
   * Set by +@all (and allcommands), cleared only by -@all: Redis keeps this as a reserved command
   * bit meaning "commands added later are allowed too". ACL LIST starts from +@all when it is set.
   */
  futureCommands = false;
  /** Bit i set: the command with id i may run. */
  commands: Uint32Array;
  /**
   * `+select|0`-style rules: first arguments allowed for a command whose bit is not set, by
   * command id (acl.c allowed_firstargs). Null when no such rule exists.
   */
  firstArgs: Map<number, BinaryString[]> | null = null;
  keys: KeyPattern[] = [];
  channels: BinaryString[] = [];

  /** `allChannels` starts from `acl-pubsub-default` (ACLCreateSelector). */
  constructor(
    readonly root: boolean,
    commandCount: number,
    allChannelsByDefault: boolean,
  ) {
    this.commands = new Uint32Array((commandCount + 31) >>> 5);
    this.allChannels = allChannelsByDefault;
  }

  hasCommand(id: number): boolean {
    return (this.commands[id >>> 5]! & (1 << (id & 31))) !== 0;
  }

  /** ACLSetSelectorCommandBit: clearing any bit ends the ALLCOMMANDS shortcut. */
  setCommand(id: number, allowed: boolean): void {
    if (allowed) {
      this.commands[id >>> 5]! |= 1 << (id & 31);
    } else {
      this.commands[id >>> 5]! &= ~(1 << (id & 31));
      this.allCommands = false;
    }
  }

  clone(): AclSelector {
    const copy = new AclSelector(this.root, 0, this.allChannels);
    copy.allKeys = this.allKeys;
    copy.allCommands = this.allCommands;
    copy.futureCommands = this.futureCommands;
    copy.commands = this.commands.slice();
    copy.firstArgs = this.firstArgs && new Map([...this.firstArgs].map(([id, args]) => [id, [...args]]));
    copy.keys = this.keys.map((k) => ({ ...k }));
    copy.channels = [...this.channels];
    return copy;
  }
}

export class AclUser {
  /** A new user is disabled (USER_FLAG_DISABLED) until `on`. */
  enabled = false;
  nopass = false;
  /** skip-sanitize-payload / sanitize-payload, or neither (a new user). */
  sanitizePayload: 'skip' | 'sanitize' | null = null;
  /** SHA-256 hex digests, in the order they were added. */
  passwords: string[] = [];
  /** selectors[0] is the root selector. */
  selectors: AclSelector[];
  /**
   * The root selector allows every command, key and channel: the permission check can return at
   * once (the precomputed flag that makes the default user cost nothing). Kept current by
   * `changed()`, which every mutation path calls.
   */
  unrestricted = false;

  constructor(
    readonly name: BinaryString,
    commandCount: number,
    allChannelsByDefault: boolean,
  ) {
    this.selectors = [new AclSelector(true, commandCount, allChannelsByDefault)];
  }

  get root(): AclSelector {
    return this.selectors[0]!;
  }

  /** ACLCopyUser: takes over src's rules, keeping its own name (and identity, for its clients). */
  copyFrom(src: AclUser): void {
    this.enabled = src.enabled;
    this.nopass = src.nopass;
    this.sanitizePayload = src.sanitizePayload;
    this.passwords = [...src.passwords];
    this.selectors = src.selectors.map((s) => s.clone());
    this.changed();
  }

  changed(): void {
    const root = this.root;
    this.unrestricted = root.allCommands && root.allKeys && root.allChannels;
  }
}
