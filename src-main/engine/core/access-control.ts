// What the core asks of access control (Redis's ACLs) on a command's way through the executor.
// The ACL implementation itself (users, rules, the ACL file and log) lives in ../acl/, a layer
// above the core; the node's composition root (../node.ts) installs it on the Server before the
// node listens, so every client the core creates starts as the default user.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from './client.js';
import type { Command } from './command-table.js';

/** A user as the core sees it: a name for CLIENT LIST and the ACL log. */
export interface ClientUser {
  readonly name: BinaryString;
  /** The ACL flag skip-sanitize-payload / sanitize-payload (RESTORE's sanitization with sanitize-dump-payload clients). */
  readonly sanitizePayload?: 'skip' | 'sanitize' | null;
}

export interface AccessControl {
  /** The user every new connection starts as. */
  readonly defaultUser: ClientUser;
  /** clientSetDefaultAuth: new connections are authenticated when `default` needs no password. */
  readonly defaultUserAuthenticates: boolean;
  /** The default user accepts any password (protected mode then refuses non-local clients). */
  readonly defaultUserHasNoPassword: boolean;
  /** networking.c authRequired, asked on every command. */
  authRequired(client: Client): boolean;
  /** processCommand's ACL check: the NOPERM error refusing the command, or null. */
  check(client: Client, command: Command, argv: BinaryString[]): string | null;
  /** execCommand's re-check of a queued command at EXEC: the NOPERM error, or null. */
  checkQueued(client: Client, command: Command, argv: BinaryString[]): string | null;
  /**
   * AUTH / HELLO AUTH (ACLAuthenticateUser): on success the client runs as that user; a failure
   * is logged under `commandName`, argv[0] as the client typed it.
   */
  authenticate(client: Client, username: BinaryString, password: BinaryString, commandName: BinaryString): boolean;
  /** Whether a user of that name exists (CLIENT KILL USER). */
  hasUser(name: BinaryString): boolean;
}
