// The warning beside a node that listens beyond the loopback interface without a password. Lab
// nodes bind 127.0.0.1 (nodes/node-files.ts), but `CONFIG SET bind` at the console, a redis.conf
// edited by hand, or an external node can open one to the network. Read from what the node says
// now (its `bind` and `protected-mode`, observed/config-watch.ts) and from whether the lab itself
// got in without a password, which is exactly Redis's test: "no password is set for the default
// user" (networking.c, clientAcceptHandler).
import type { NodeWarning } from '../../api/index.js';

/** Addresses of the loopback interface as `bind` takes them ("-" marks an optional address). */
export function isLoopbackBind(address: string): boolean {
  const plain = address.startsWith('-') ? address.slice(1) : address;
  return plain === 'localhost' || plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

/**
 * The warning, or null: `settings` are the node's `bind` and `protected-mode` as CONFIG GET shows
 * them; `withoutPassword` is true when the lab's own connection needed no AUTH.
 */
export function exposureWarning(
  settings: ReadonlyMap<string, string> | undefined,
  withoutPassword: boolean | undefined,
): NodeWarning | null {
  const bind = settings?.get('bind');
  if (bind === undefined || withoutPassword !== true) return null;
  const open = bind.split(' ').filter((address) => address !== '' && !isLoopbackBind(address));
  if (open.length === 0) return null;
  if (settings?.get('protected-mode') === 'no') {
    return {
      kind: 'exposed-node',
      message:
        `Open to the network without a password: bind ${bind}, protected-mode no. Anyone who can reach this machine ` +
        'can read, change and delete its data; set requirepass (or an ACL user) or bind 127.0.0.1.',
    };
  }
  return {
    kind: 'exposed-node',
    message:
      `Listens on ${bind} without a password: protected mode refuses every client that is not on the loopback ` +
      'interface with "-DENIED Redis is running in protected mode…". Set requirepass (or an ACL user) before other machines connect, or bind 127.0.0.1.',
  };
}
