// Commands a node refuses unless its configuration allows them (server.c processCommand's
// CMD_PROTECTED check with allowProtectedAction, Redis 7.0): `enable-debug-command` (DEBUG) and
// `enable-module-command` (MODULE LOAD, LOADEX, UNLOAD) "yes" allow the command from anywhere,
// "local" only from loopback connections, "no" (the default, also when redis-server starts
// without a config file) never. The check comes right after the arity
// check, before authentication, so it answers the same to everyone.
import type { Command } from './command-table.js';
import type { Client } from './client.js';

/** networking.c islocalClient: a peer on the loopback address (unix sockets are not served). */
function isLocalClient(client: Client): boolean {
  const ip = client.socket?.remoteAddress;
  return ip === '127.0.0.1' || ip === '::1';
}

/** The error for a protected command `client` may not run now, or null when it may. */
export function protectedCommandRefusal(client: Client, command: Command): string | null {
  const directive = command.protectedBy!;
  const allowed = client.server.config.str(directive);
  if (allowed === 'yes' || (allowed === 'local' && isLocalClient(client))) return null;
  return (
    `ERR ${(command.parent ?? command).name.toUpperCase()} command not allowed. If the ${directive} option is set to "local", ` +
    'you can run it from a local connection, otherwise you need to set this option in the configuration file, ' +
    'and then restart the server.'
  );
}
