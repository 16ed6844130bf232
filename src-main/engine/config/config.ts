// A node's configuration: the value of every directive in config/directives.ts, set from the
// config file and command line at startup (config/load.ts) and later by CONFIG SET.
// Special directives keep a canonical text form (what CONFIG GET prints); helpers below give the
// parsed view (save points, bind addresses, replicaof target).
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DIRECTIVES, findDirective, type ConfigValue, type Directive } from './directives.js';
import { strerror } from './errors.js';
import { parseInteger, parseMemory } from '../util/numbers.js';
import { splitArgs } from '../protocol/sds-quoting.js';
import { canonicalEventFlags, eventFlagsShown } from './keyspace-event-flags.js';

export interface SavePoint {
  seconds: number;
  changes: number;
}

export class Config {
  private readonly values = new Map<string, ConfigValue>();
  /** `user` lines, in order (ACL users defined in the config). */
  readonly userLines: string[][] = [];
  /** `rename-command` lines, in order. */
  readonly renameCommands: string[][] = [];
  /** Directives set that we accept only for compatibility (logged once at startup). */
  readonly ignoredDirectives = new Set<string>();
  /** Set while loading the file: the first `save` line replaces the defaults, later ones add. */
  private savePointsFromFile = false;

  constructor(cwd: string = process.cwd()) {
    for (const d of DIRECTIVES) this.values.set(d.name, d.default);
    this.values.set('dir', cwd);
  }

  // --- typed reads -------------------------------------------------------------------------

  // Reads run on the command path (guards, output limits): a canonical name, what the code
  // passes, is found with one lookup; an alias costs a second.
  int(name: string): number {
    return this.read(name) as number;
  }
  bool(name: string): boolean {
    return this.read(name) as boolean;
  }
  str(name: string): string {
    return this.read(name) as string;
  }

  private read(name: string): ConfigValue | undefined {
    const value = this.values.get(name);
    return value !== undefined ? value : this.values.get(canonical(name));
  }

  savePoints(): SavePoint[] {
    const parts = this.str('save').split(' ').filter(Boolean).map(Number);
    const points: SavePoint[] = [];
    for (let i = 0; i + 1 < parts.length; i += 2) points.push({ seconds: parts[i]!, changes: parts[i + 1]! });
    return points;
  }

  bindAddresses(): string[] {
    return this.str('bind').split(' ').filter(Boolean);
  }

  replicaOf(): { host: string; port: number } | null {
    const v = this.str('replicaof');
    if (!v) return null;
    const [host, port] = v.split(' ');
    return { host: host!, port: Number(port) };
  }

  /** An absolute path for a file name relative to `dir` (Redis chdir()s into `dir`). */
  path(fileName: string): string {
    return resolve(this.str('dir'), fileName);
  }

  /** CONFIG GET's text for a directive. */
  render(name: string): string {
    const d = findDirective(name)!;
    const v = this.values.get(d.name)!;
    if (d.type === 'bool') return v ? 'yes' : 'no';
    if (d.type === 'special' && d.syntax === 'notify-keyspace-events') return eventFlagsShown(v as string);
    return String(v);
  }

  /** Every directive name and alias, in table order (CONFIG GET matches globs against these). */
  static names(): string[] {
    return DIRECTIVES.flatMap((d) => [d.name, ...(d.aliases ?? [])]);
  }

  // --- writes ------------------------------------------------------------------------------

  /**
   * Sets a directive from its arguments (file line, command line, or CONFIG SET). Returns
   * Redis's error reason on bad input, null when applied.
   */
  set(name: string, args: string[], source: 'file' | 'runtime'): string | null {
    const d = findDirective(name);
    if (!d) return 'Bad directive or wrong number of arguments';
    const takesManyArgs = d.type === 'special' || (d.type === 'enum' && d.multi);
    if (!takesManyArgs && args.length !== 1) return 'wrong number of arguments';
    // config.c MULTI_ARG_CONFIG: one non-empty argument is split on spaces, so that
    // `--replicaof "127.0.0.1 6379"` works while `--save ""` still means "no save points".
    if (takesManyArgs && args.length === 1 && args[0] !== '') args = splitArgs(args[0]!) ?? args;
    const parsed = this.parse(d, args, source);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) return parsed.error;
    this.values.set(d.name, parsed as ConfigValue);
    if (d.applies === false && parsed !== d.default) this.ignoredDirectives.add(d.name);
    return null;
  }

  private parse(d: Directive, args: string[], source: 'file' | 'runtime'): ConfigValue | { error: string } {
    const arg = args[0] ?? '';
    switch (d.type) {
      case 'bool': {
        const v = arg.toLowerCase();
        if (v === 'yes') return true;
        if (v === 'no') return false;
        return { error: "argument must be 'yes' or 'no'" };
      }
      case 'int': {
        const n = d.memory ? parseMemory(arg) : parseInteger(arg);
        if (n === null) return { error: d.memory ? 'argument must be a memory value' : "argument couldn't be parsed into an integer" };
        if (n < d.min || n > d.max) return { error: `argument must be between ${d.min} and ${d.max} inclusive` };
        return n;
      }
      case 'enum': {
        const chosen = args.map((a) => a.toLowerCase());
        if (chosen.length === 0 || chosen.some((a) => !d.values.includes(a))) {
          return { error: `argument(s) must be one of the following: ${d.values.join(', ')}` };
        }
        return chosen.join(' ');
      }
      case 'string':
        return arg;
      case 'special':
        return this.parseSpecial(d, args, source);
    }
  }

  private parseSpecial(d: Directive & { type: 'special' }, args: string[], source: 'file' | 'runtime'): ConfigValue | { error: string } {
    switch (d.syntax) {
      case 'save':
        return this.parseSave(args, source);
      case 'bind':
        if (args.length > 16) return { error: 'Too many bind addresses specified.' };
        return args.join(' ');
      case 'replicaof': {
        if (args.length !== 2) return { error: 'wrong number of arguments' };
        if (args[0]!.toLowerCase() === 'no' && args[1]!.toLowerCase() === 'one') return '';
        const port = parseInteger(args[1]!);
        if (port === null || port < 0 || port > 65535) return { error: 'Invalid master port' };
        return `${args[0]} ${port}`;
      }
      case 'dir': {
        if (args.length !== 1) return { error: 'wrong number of arguments' };
        const dir = resolve(this.str('dir'), args[0]!);
        try {
          if (!statSync(dir).isDirectory()) return { error: 'Not a directory' };
        } catch (err) {
          return { error: strerror(err) };
        }
        return dir;
      }
      case 'client-output-buffer-limit':
        return this.parseOutputBufferLimits(args);
      case 'oom-score-adj-values': {
        if (args.length !== 3) return { error: 'wrong number of arguments' };
        const values = args.map(parseInteger);
        if (values.some((v) => v === null || v < -2000 || v > 2000)) return { error: 'Invalid oom-score-adj-values' };
        return values.join(' ');
      }
      case 'latency-tracking-info-percentiles': {
        // An empty value is an empty list (no percentiles in INFO latencystats).
        const values = args.filter((a) => a !== '').map(Number);
        if (values.some((v) => !Number.isFinite(v) || v < 0 || v > 100)) {
          return { error: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
        }
        return values.join(' ');
      }
      case 'notify-keyspace-events': {
        if (args.length !== 1) return { error: 'wrong number of arguments' };
        if (!/^[KEg$lshzxetmdnA]*$/.test(args[0]!)) return { error: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." };
        return canonicalEventFlags(args[0]!);
      }
    }
  }

  private parseSave(args: string[], source: 'file' | 'runtime'): ConfigValue | { error: string } {
    // A single "" means no save points (`save ""`).
    if (args.length === 1 && args[0] === '') args = [];
    if (args.length % 2 === 1) return { error: 'Invalid save parameters' };
    for (let i = 0; i < args.length; i++) {
      const n = parseInteger(args[i]!);
      if (n === null || (i % 2 === 0 && n < 1) || (i % 2 === 1 && n < 0)) return { error: 'Invalid save parameters' };
    }
    const given = args.map((a) => String(parseInteger(a))).join(' ');
    if (source === 'runtime' || args.length === 0 || !this.savePointsFromFile) {
      // The defaults only apply when the configuration names no save points at all.
      this.savePointsFromFile = source === 'file';
      return given;
    }
    return [this.str('save'), given].filter(Boolean).join(' ');
  }

  private parseOutputBufferLimits(args: string[]): ConfigValue | { error: string } {
    if (args.length % 4 !== 0 || args.length === 0) return { error: 'Wrong number of arguments in buffer limit configuration.' };
    const limits = new Map<string, string>();
    for (const part of chunks(this.str('client-output-buffer-limit').split(' '), 4)) limits.set(part[0]!, part.slice(1).join(' '));
    for (const [cls, hard, soft, seconds] of chunks(args, 4)) {
      const name = cls!.toLowerCase() === 'replica' ? 'slave' : cls!.toLowerCase();
      if (!['normal', 'slave', 'pubsub'].includes(name)) return { error: 'Invalid client class specified in buffer limit configuration.' };
      const h = parseMemory(hard!);
      const s = parseMemory(soft!);
      const secs = parseInteger(seconds!);
      if (h === null || s === null || secs === null || secs < 0) {
        return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
      }
      limits.set(name, `${h} ${s} ${secs}`);
    }
    return ['normal', 'slave', 'pubsub'].map((c) => `${c} ${limits.get(c)}`).join(' ');
  }
}

function canonical(name: string): string {
  return findDirective(name)?.name ?? name;
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
