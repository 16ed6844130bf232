// One `DEBUG <name> ...` subcommand, as a family that has some lists them for debug.ts.
import type { CommandHandler } from '../core/command-table.js';

/** The handler gets the whole argv (argv[1] is the subcommand). */
export interface DebugSubcommand {
  name: string;
  handler: CommandHandler;
}
