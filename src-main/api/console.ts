// A console per node: lines typed as at redis-cli's prompt, run over a client connection of the
// console's own (so AUTH and ACLs apply), replies printed as redis-cli prints them. SUBSCRIBE,
// PSUBSCRIBE, SSUBSCRIBE and MONITOR stream their output as pushes until cancelled.
import { nodeId, type ParamChecks } from './param-checks.js';

/** The longest line the console accepts (a typed line, not a bulk upload). */
export const CONSOLE_MAX_LINE = 64 * 1024;

export interface ConsoleReplyLines {
  /** What redis-cli prints for the line, one entry a line (none for an empty line or a cancel). */
  lines: string[];
  /** True after SUBSCRIBE/MONITOR: more output comes as `console` pushes until consoleCancel. */
  streaming: boolean;
  /** redis-cli's prompt for the next line, `127.0.0.1:6379>` (`[n]` after SELECT n). */
  prompt: string;
}

export interface ConsoleApi {
  /** Runs one line typed at the node's console; resolves when its reply came (a blocking command waits until cancelled). */
  consoleRun(id: string, line: string): Promise<ConsoleReplyLines>;
  /** Cancels the node's running command or ends its stream by closing the console's connection (the next line opens a fresh one). */
  consoleCancel(id: string): Promise<{ cancelled: boolean }>;
}

/** Lines a streaming console printed (a message, a MONITOR line); `ended` once the stream stopped. */
export type ConsolePush = { type: 'console'; nodeId: string; lines: string[]; ended: boolean };

export const CONSOLE_PARAM_CHECKS = {
  consoleRun: (params) => {
    const line = params[1];
    if (typeof line !== 'string' || line.length > CONSOLE_MAX_LINE)
      throw new Error(`a console line must be a string of at most ${CONSOLE_MAX_LINE} characters`);
    return [nodeId(params[0]), line];
  },
  consoleCancel: (params) => [nodeId(params[0])],
} satisfies ParamChecks<ConsoleApi>;
