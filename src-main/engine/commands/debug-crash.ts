// The DEBUG subcommands that crash the node on purpose (debug.c: SEGFAULT, PANIC, ASSERT, OOM), which
// test harnesses use to check what happens to replicas, files and clients when a server dies
// mid-flight. The node logs Redis's bug report header and lines, then ends at once, without saving
// and without a goodbye to its clients, with the exit status of a redis-server killed by the same
// signal (128 + signal number; the CLI re-raises the signal, see cli.ts).
//
// RESTART and CRASH-AND-RECOVER re-execute redis-server's binary in place (execve); a Node process
// cannot replace itself, so they answer Redis's own failure reply and log why.
import type { Client } from '../core/client.js';
import type { BinaryString } from '../protocol/request-parser.js';
import { parseInteger } from '../util/numbers.js';
import { ERR } from '../core/replies.js';
import type { DebugSubcommand } from './debug-subcommand.js';
import { REDIS_VERSION } from '../util/version.js';

export const SIGABRT_STATUS = 128 + 6;
export const SIGSEGV_STATUS = 128 + 11;

/** bugReportStart ... bugReportEnd: the crash report around `lines`, then the end. */
export function crashNode(client: Client, lines: string[], status: number): void {
  const log = client.server.logger;
  log.raw('\n\n=== REDIS BUG REPORT START: Cut & paste starting from here ===');
  for (const line of lines) log.warning(line);
  // The stack of this process, where Redis prints its C backtrace.
  log.raw('\n------ STACK TRACE ------');
  log.raw(new Error('DEBUG crash').stack ?? '');
  log.raw('\n=== REDIS BUG REPORT END. Make sure to include from START to END. ===\n');
  client.server.onExit(status);
}

function assertionLines(client: Client, argv: BinaryString[]): string[] {
  return [
    '=== ASSERTION FAILED CLIENT CONTEXT ===',
    'client->flags = 0',
    `client->conn = ${client.address}`,
    `client->argc = ${argv.length}`,
    ...argv.map((arg, j) => `client->argv[${j}] = "${arg}" (refcount: 1)`),
    '=== ASSERTION FAILED ===',
    "==> debug.c:530 '1 == 2' is not true",
  ];
}

export function panicLines(message: string): string[] {
  return [
    '------------------------------------------------',
    '!!! Software Failure. Press left mouse button to continue',
    `Guru Meditation: ${message}`,
  ];
}

const OOM_SIZE = '9223372036854775807';

function restartUnavailable(client: Client, argv: BinaryString[]): void {
  if (argv.length >= 3 && parseInteger(argv[2]!) === null) {
    client.reply.error(ERR.notInteger);
    return;
  }
  client.server.logger.warning(
    `DEBUG ${argv[1]!.toUpperCase()}: this node runs inside Node.js, which cannot re-execute itself in place; restart it from the lab or its supervisor instead.`,
  );
  client.reply.error('ERR failed to restart the server. Check server logs.');
}

export const crashDebugSubcommands: DebugSubcommand[] = [
  {
    name: 'segfault',
    handler: (client) =>
      crashNode(client, [`Redis ${REDIS_VERSION} crashed by signal: 11, si_code: 2`, 'Crashed running DEBUG SEGFAULT'], SIGSEGV_STATUS),
  },
  {
    name: 'panic',
    handler: (client) =>
      crashNode(client, panicLines(`DEBUG PANIC called at Unix time ${Math.floor(Date.now() / 1000)} #debug.c:510`), SIGABRT_STATUS),
  },
  { name: 'assert', handler: (client, argv) => crashNode(client, assertionLines(client, argv), SIGABRT_STATUS) },
  {
    name: 'oom',
    handler(client) {
      client.server.logger.warning(`Out Of Memory allocating ${OOM_SIZE} bytes!`);
      crashNode(client, panicLines(`Redis aborting for OUT OF MEMORY. Allocating ${OOM_SIZE} bytes! #server.c:6658`), SIGABRT_STATUS);
    },
  },
  { name: 'restart', handler: restartUnavailable },
  { name: 'crash-and-recover', handler: restartUnavailable },
];
