// The slow log (Redis's slowlog.c): commands that took at least slowlog-log-slower-than
// microseconds, newest first, at most slowlog-max-len entries. Long argument lists and long
// arguments are shortened the way Redis shortens them, so the log stays small.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Command } from './command-table.js';
import type { Client } from './client.js';
import type { Config } from '../config/config.js';

const MAX_ARGC = 32; // SLOWLOG_ENTRY_MAX_ARGC
const MAX_STRING = 128; // SLOWLOG_ENTRY_MAX_STRING

export interface SlowlogEntry {
  id: number;
  time: number;
  durationUs: number;
  argv: BinaryString[];
  peer: string;
  name: string;
}

export class Slowlog {
  /** Newest first. */
  entries: SlowlogEntry[] = [];
  /** slowlog-log-slower-than, or Infinity when disabled (negative): checked on every call. */
  thresholdUs = Infinity;
  private maxLen = 128;
  private nextId = 0;

  /** Re-reads slowlog-log-slower-than and slowlog-max-len (at start and after CONFIG SET). */
  configure(config: Config): void {
    const threshold = config.int('slowlog-log-slower-than');
    this.thresholdUs = threshold < 0 ? Infinity : threshold;
    this.maxLen = config.int('slowlog-max-len');
    this.trim();
  }

  /** slowlogPushCurrentCommand, for a command that took at least the threshold. */
  consider(client: Client, command: Command, argv: BinaryString[], durationUs: number): void {
    if (command.flags.includes('skip_slowlog') || command.parent?.flags.includes('skip_slowlog')) return;
    const shown: BinaryString[] = [];
    const argc = Math.min(argv.length, MAX_ARGC);
    for (let i = 0; i < argc; i++) {
      if (argc !== argv.length && i === argc - 1) {
        shown.push(`... (${argv.length - argc + 1} more arguments)`);
        break;
      }
      const arg = argv[i]!;
      shown.push(arg.length > MAX_STRING ? `${arg.slice(0, MAX_STRING)}... (${arg.length - MAX_STRING} more bytes)` : arg);
    }
    this.entries.unshift({
      id: this.nextId++,
      time: Math.floor(Date.now() / 1000),
      durationUs: Math.floor(durationUs),
      argv: shown,
      peer: client.socket ? client.address : '',
      name: client.name,
    });
    this.trim();
  }

  reset(): void {
    this.entries = [];
  }

  private trim(): void {
    if (this.entries.length > this.maxLen) this.entries.length = this.maxLen;
  }
}
