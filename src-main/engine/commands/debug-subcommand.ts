// One `DEBUG <name> ...` subcommand, as a family that has some lists them for debug.ts.
import type { CommandHandler } from '../core/command-table.js';

/** The handler gets the whole argv (argv[1] is the subcommand). */
export interface DebugSubcommand {
  name: string;
  /**
   * The argument counts (argv.length, DEBUG and the name included) debug.c accepts for it: one
   * count, or [min, max] (max Infinity for "and more"). Any other count gets Redis's "unknown
   * subcommand or wrong number of arguments" reply, as for an unknown name. Absent: any count.
   */
  argc?: number | readonly [number, number];
  handler: CommandHandler;
}

/** Whether `argc` arguments fit the subcommand's counts. */
export function acceptsArgc(subcommand: DebugSubcommand, argc: number): boolean {
  const { argc: accepted } = subcommand;
  if (accepted === undefined) return true;
  if (typeof accepted === 'number') return argc === accepted;
  return argc >= accepted[0] && argc <= accepted[1];
}

/** addReplySubcommandSyntaxError for DEBUG. */
export function debugSyntaxError(name: string): string {
  return `ERR unknown subcommand or wrong number of arguments for '${name.slice(0, 128)}'. Try DEBUG HELP.`;
}
