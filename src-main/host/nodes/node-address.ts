// Where the lab reaches a node, and as whom. A lab node listens on 127.0.0.1 at the port it runs on
// and the lab talks to it as any client, with the requirepass set from the lab's settings if there
// is one; an external node (a Redis server the
// user attached by host:port, nodes/external/) is reached only at the address the user gave, with
// the user and password given with it, which are sent as AUTH first on every connection.
import type { LabNode } from './lab-node.js';

export interface NodeAddress {
  host: string;
  port: number;
  /** AUTH [user] password is sent first on each connection when a password is set. */
  user?: string | null;
  password?: string | null;
}

/** The address the lab contacts `node` at now. */
export function nodeAddress(node: LabNode): NodeAddress {
  const external = node.stored.external;
  if (external) return { host: external.host, port: node.stored.port, user: external.user, password: external.password };
  // A lab node: the requirepass set from the lab's settings, if any (host/settings/).
  return { host: '127.0.0.1', port: node.running?.port ?? node.stored.port, password: node.stored.settings.requirepass || null };
}

/** The AUTH command for an address with a password (AUTH user password with a user, as Redis 6+ takes it). */
export function authArgs(address: NodeAddress): string[] | null {
  if (!address.password) return null;
  return address.user ? ['AUTH', address.user, address.password] : ['AUTH', address.password];
}

/** host:port as redis-cli and Redis's logs write it. */
export function addressText(address: NodeAddress): string {
  return `${address.host}:${address.port}`;
}
