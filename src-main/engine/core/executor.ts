// The command path (Redis's processCommand + call): look the command up, check arity,
// authentication and the context rules (transactions, pub/sub, the guards other subsystems
// install), queue it inside MULTI or run it, count it, time it for the slow log, show it to
// MONITOR, and propagate its effect to the write stream.
import type { BinaryString } from '../protocol/request-parser.js';
import { arityMatches, commandKeys, type Command } from './command-table.js';
import type { Client } from './client.js';
import { handleClientsBlockedOnKeys, isBlocked } from './blocking.js';
import { LatencyHistogram } from './latency-histogram.js';
import { protectedCommandRefusal } from './protected-commands.js';
import { busyError, type DeferredCall } from './yielding-command.js';

/**
 * A check that may refuse a command before it runs (server.c processCommand's READONLY,
 * MASTERDOWN, MISCONF, LOADING, NOREPLICAS...): returns the error text, or null to let it run.
 * Installed by the subsystem that owns the rule via server.commandGuards.
 */
export type CommandGuard = (client: Client, command: Command, argv: BinaryString[]) => string | null;

/** Readonly commands whose keys a tracking client does not cache (server.c call()). */
const NOT_TRACKED = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro']);

/** Commands a client in MULTI runs at once instead of queueing (processCommand). */
const TRANSACTION_CONTROL = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);
/** Commands a RESP2 client may send while subscribed (processCommand). */
const PUBSUB_CONTEXT = new Set([
  'ping',
  'subscribe',
  'ssubscribe',
  'unsubscribe',
  'sunsubscribe',
  'psubscribe',
  'punsubscribe',
  'quit',
  'reset',
]);

/**
 * Executes one request from `client`. Replies go to client.reply. `startedAt` is
 * performance.now() when the command began (the previous command's end in a pipeline, which
 * saves a clock read per command); returns the time it ended.
 */
export function executeCommand(client: Client, argv: BinaryString[], startedAt: number = performance.now()): number {
  const tracking = client.server.tracking;
  if (tracking.clientCount === 0) {
    return client.replyMode === 'on' ? dispatch(client, argv, startedAt) : dispatchSilently(client, argv, startedAt);
  }
  // Client-side caching is in use: processCommand bounds its table first, and call() needs to
  // know whose command runs (NOLOOP, invalidations held until the reply).
  tracking.current = client;
  tracking.limitUsedSlots();
  tracking.executing = true;
  try {
    return client.replyMode === 'on' ? dispatch(client, argv, startedAt) : dispatchSilently(client, argv, startedAt);
  } finally {
    tracking.executing = false;
    tracking.afterCommand(client, client.lastCommand);
    tracking.current = null;
  }
}

function dispatch(client: Client, argv: BinaryString[], startedAt: number): number {
  const server = client.server;
  const command = server.commands.lookup(argv);
  // CLIENT LIST cmd=: the command being run, set even when it is then refused (processCommand).
  client.lastCommand = command?.fullName ?? 'NULL';
  if (!command) {
    rejectUnknown(client, argv);
    return startedAt;
  }
  const refusal = admissionError(client, command, argv);
  if (refusal !== null) {
    reject(client, command, refusal);
    return startedAt;
  }
  if (client.multi !== null && !TRANSACTION_CONTROL.has(command.parent?.name ?? command.name)) {
    // multi.c queueMultiCommand: nothing is kept once the transaction is doomed anyway.
    if (!client.dirtyExec) client.multi.push({ command, argv });
    client.reply.simple('QUEUED');
    return startedAt;
  }
  const endedAt = call(client, command, argv, startedAt);
  // blocked.c: the clients waiting on keys this command (or EXEC) filled are served now, before
  // the next command runs (a yielding script serves them when it ends).
  if (!server.yielding.active) handleClientsBlockedOnKeys(server);
  return endedAt;
}

/** Why `command` may not run now, in Redis's check order, or null. */
function admissionError(client: Client, command: Command, argv: BinaryString[]): string | null {
  const server = client.server;
  if (!arityMatches(command, argv.length)) return `ERR wrong number of arguments for '${command.fullName}' command`;
  if (command.protectedBy !== undefined) {
    const refusal = protectedCommandRefusal(client, command);
    if (refusal !== null) return refusal;
  }
  if (server.accessControl.authRequired(client) && !command.flags.includes('no_auth')) return 'NOAUTH Authentication required.';
  if (client.multi !== null && command.flags.includes('no_multi')) return 'ERR Command not allowed inside a transaction';
  const denied = server.accessControl.check(client, command, argv);
  if (denied !== null) return denied;
  // processCommand checks maxmemory after the ACLs and before the other refusals (not while a
  // script yields: nothing may change under it).
  if (!server.yielding.active) {
    const outOfMemory = server.eviction.admissionError(client, command, argv);
    if (outOfMemory !== null) return outOfMemory;
  }
  for (const guard of server.commandGuards) {
    const error = guard(client, command, argv);
    if (error !== null) return error;
  }
  if (client.reply.protocol === 2 && client.inPubSubContext && !PUBSUB_CONTEXT.has((command.parent ?? command).name)) {
    return `ERR Can't execute '${command.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`;
  }
  // A script past busy-reply-threshold: only allow_busy commands (also inside MULTI, so that a
  // pipelined transaction is not cut in two, Redis's PR #7022).
  return busyError(client, command.flags.includes('allow_busy'));
}

const NOT_FINISHED = (): void => {};

/**
 * Called by a handler that will end in a later event-loop turn (a script past
 * busy-reply-threshold, see yielding-command.ts): call() returns at once, leaving the command's
 * propagation frame open, and the handler calls finish() when the command is done.
 */
export function deferCall(client: Client): DeferredCall {
  const deferred: DeferredCall = { finish: NOT_FINISHED, resume: null };
  client.deferredCall = deferred;
  return deferred;
}

/** Whether a handler running for `client` now may defer its end (see deferCall). */
export function canDeferCall(client: Client): boolean {
  const server = client.server;
  // Only a command a client sent on its own, or one its EXEC runs (which then waits too, see
  // Transactions.runQueue); not our master's stream or the AOF, not under CLIENT REPLY OFF/SKIP
  // (whose replies are dropped now). Inside EXEC an earlier script may have left the node busy
  // for this same client until the transaction ends.
  const nesting = server.propagation.nesting;
  return (
    client.socket !== null &&
    !client.isMaster &&
    client.replyMode === 'on' &&
    client.deferredCall === null &&
    (nesting === 1 || (nesting === 2 && server.transactions.executing)) &&
    (!server.yielding.active || server.yielding.caller === client)
  );
}

/**
 * Runs a command that passed the checks. Also the entry point for commands executed on behalf of
 * something else (EXEC running its queue, a replica applying its master's stream).
 */
export function call(client: Client, command: Command, argv: BinaryString[], startedAt = performance.now()): number {
  const server = client.server;
  const stats = server.stats;
  const dirtyBefore = server.keyspace.dirty;
  const errorsBefore = stats.errorReplies;
  const frame = server.propagation.begin();
  try {
    command.handler!(client, argv);
  } catch (err) {
    // A bug in one command must not take the node down: report it like Redis reports an
    // internal failure, and keep serving.
    server.logger.warning(`Error executing '${command.fullName}': ${(err as Error).stack ?? err}`);
    client.reply.error(`ERR internal error executing '${command.fullName}': ${(err as Error).message}`);
  }
  const deferred = client.deferredCall;
  if (deferred !== null && deferred.finish === NOT_FINISHED) {
    deferred.finish = () => {
      client.deferredCall = null;
      server.propagation.end(frame, client.db.id, argv, server.keyspace.dirty - dirtyBefore, command.touchesArbitraryKeys);
      finishCall(client, command, argv, startedAt, errorsBefore);
      // Not between the commands of an EXEC that goes on after this script (it keeps the node busy).
      if (!server.yielding.active) handleClientsBlockedOnKeys(server);
      client.scheduleFlush();
      deferred.resume?.();
    };
    return performance.now();
  }
  server.propagation.end(frame, client.db.id, argv, server.keyspace.dirty - dirtyBefore, command.touchesArbitraryKeys);
  return finishCall(client, command, argv, startedAt, errorsBefore);
}

/** call()'s accounting once the command is done: stats, slow log, latency, MONITOR. */
function finishCall(client: Client, command: Command, argv: BinaryString[], startedAt: number, errorsBefore: number): number {
  const server = client.server;
  const stats = server.stats;
  // The keys a tracking client read may now be in its cache (scripts' EVAL_RO and FCALL_RO count
  // by the commands they run, and pub/sub's shard channels are no keys to cache).
  if (client.tracking !== null && !client.tracking.bcast && command.flags.includes('readonly') && !NOT_TRACKED.has(command.name)) {
    if (!command.flags.includes('pubsub'))
      server.tracking.rememberKeys(
        client,
        commandKeys(command, argv).map((i) => argv[i]!),
      );
  }
  const endedAt = performance.now();
  const usec = (endedAt - startedAt) * 1000;
  command.stats.usec += usec;
  command.stats.calls++;
  // A command that blocked goes into the latency histogram and the slow log when it is served,
  // with its serving time added (server.c call(), blocked.c updateStatsOnUnblock).
  const blocked = isBlocked(client);
  if (blocked) client.blockedCall = { command, argv, usec };
  else if (server.latencyTracking) (command.histogram ??= new LatencyHistogram()).record(Math.floor(usec) * 1000);
  // Errors replied by commands nested in this one (EXEC's queue) were already counted against
  // them (server.c incrCommandStatsOnError keeps a watermark for this).
  if (stats.errorReplies > Math.max(errorsBefore, server.errorWatermark)) command.stats.failedCalls++;
  server.errorWatermark = stats.errorReplies;
  stats.commandsProcessed++;
  if (!blocked && usec >= server.slowlog.thresholdUs) server.slowlog.consider(client, command, argv, usec);
  if (!blocked && server.latency.thresholdMs !== 0) {
    server.latency.addSampleIfNeeded(command.flags.includes('fast') ? 'fast-command' : 'command', usec / 1000);
  }
  if (server.monitors.size !== 0) server.monitors.feed(client, command, argv);
  return endedAt;
}

/**
 * CLIENT REPLY OFF / SKIP: the request is handled, its reply dropped, unless the request was
 * CLIENT REPLY ON (whose +OK goes out, as Redis clears the flag before replying).
 */
function dispatchSilently(client: Client, argv: BinaryString[], startedAt: number): number {
  const wasSkip = client.replyMode === 'skip';
  client.suppressReplies();
  const endedAt = dispatch(client, argv, startedAt);
  if (client.replyMode !== 'on') client.discardSuppressed();
  // SKIP covers the one command after CLIENT REPLY SKIP.
  if (wasSkip && client.replyMode === 'skip') client.replyMode = 'on';
  return endedAt;
}

function reject(client: Client, command: Command, message: string): void {
  command.stats.rejectedCalls++;
  flagTransaction(client);
  if (command.name === 'exec') {
    // server.c rejectCommand -> multi.c execCommandAbort: a refused EXEC ends the transaction.
    client.server.transactions.discard(client);
    client.reply.error(`EXECABORT Transaction discarded because of: ${message.startsWith('ERR ') ? message.slice(4) : message}`);
  } else {
    client.reply.error(message);
  }
  client.server.errorWatermark = client.server.stats.errorReplies;
}

/** multi.c flagTransaction: a command refused while queueing dooms the transaction. */
function flagTransaction(client: Client): void {
  if (client.multi !== null) client.dirtyExec = true;
}

/** server.c: "unknown command" or, for a container command, "unknown subcommand". */
function rejectUnknown(client: Client, argv: BinaryString[]): void {
  flagTransaction(client);
  const container = client.server.commands.lookupName(argv[0]!);
  if (container?.subcommandMap) {
    client.reply.error(`ERR unknown subcommand '${cString(argv[1]!).slice(0, 128)}'. Try ${container.name.toUpperCase()} HELP.`);
  } else {
    let args = '';
    for (let i = 1; i < argv.length && args.length < 128; i++) {
      args += `'${cString(argv[i]!).slice(0, 128 - args.length)}' `;
    }
    client.reply.error(`ERR unknown command '${cString(argv[0]!).slice(0, 128)}', with args beginning with: ${args}`);
  }
  client.server.errorWatermark = client.server.stats.errorReplies;
}

/** Redis formats arguments with %s, so a NUL byte ends them. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul === -1 ? s : s.slice(0, nul);
}
