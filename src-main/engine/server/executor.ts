// The command path (Redis's processCommand + call): look the command up, check arity and
// authentication, run it, count it, and propagate its effect to the write stream.
import type { BinaryString } from '../protocol/request-parser.js';
import { arityMatches, type Command } from '../commands/table.js';
import type { Client } from './client.js';

/**
 * Executes one request from `client`. Replies go to client.reply. `startedAt` is
 * performance.now() when the command began (the previous command's end in a pipeline, which
 * saves a clock read per command); returns the time it ended.
 */
export function executeCommand(client: Client, argv: BinaryString[], startedAt: number): number {
  const server = client.server;
  const command = server.commands.lookup(argv);
  if (!command) {
    rejectUnknown(client, argv);
    return startedAt;
  }
  if (!arityMatches(command, argv.length)) {
    reject(client, command, `ERR wrong number of arguments for '${command.fullName}' command`);
    return startedAt;
  }
  if (!client.authenticated && !command.flags.includes('no_auth')) {
    reject(client, command, 'NOAUTH Authentication required.');
    return startedAt;
  }
  return call(client, command, argv, startedAt);
}

/**
 * Runs a command that passed the checks. Also the entry point for commands executed on behalf of
 * something else (EXEC running its queue, a replica applying its master's stream).
 */
export function call(client: Client, command: Command, argv: BinaryString[], startedAt = performance.now()): number {
  const server = client.server;
  const dirtyBefore = server.keyspace.dirty;
  const frame = server.propagation.begin();
  try {
    command.handler!(client, argv);
  } catch (err) {
    // A bug in one command must not take the node down: report it like Redis reports an
    // internal failure, and keep serving.
    server.logger.warning(`Error executing '${command.fullName}': ${(err as Error).stack ?? err}`);
    client.reply.error(`ERR internal error executing '${command.fullName}': ${(err as Error).message}`);
    command.stats.failedCalls++;
  }
  server.propagation.end(frame, client.db.id, argv, server.keyspace.dirty - dirtyBefore);
  const endedAt = performance.now();
  command.stats.usec += (endedAt - startedAt) * 1000;
  command.stats.calls++;
  server.stats.commandsProcessed++;
  client.lastCommand = command.fullName;
  return endedAt;
}

function reject(client: Client, command: Command, message: string): void {
  command.stats.rejectedCalls++;
  client.reply.error(message);
}

/** server.c: "unknown command" or, for a container command, "unknown subcommand". */
function rejectUnknown(client: Client, argv: BinaryString[]): void {
  const container = client.server.commands.lookupName(argv[0]!);
  if (container?.subcommandMap) {
    client.reply.error(
      `ERR unknown subcommand '${cString(argv[1]!).slice(0, 128)}'. Try ${container.name.toUpperCase()} HELP.`,
    );
    return;
  }
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${cString(argv[i]!).slice(0, 128 - args.length)}' `;
  }
  client.reply.error(`ERR unknown command '${cString(argv[0]!).slice(0, 128)}', with args beginning with: ${args}`);
}

/** Redis formats arguments with %s, so a NUL byte ends them. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul === -1 ? s : s.slice(0, nul);
}
