// `replica-lab export --data-dir DIR --out FILE [--since T] [--until T] [--include-data]`: the same
// archive as the lab's Export button, for scripts. It reads lab.db and the nodes' files directly,
// so it works on a lab that is running (lab.db is WAL: this reads a consistent snapshot while the
// host writes) or stopped. T is an ISO date/time, ms since the epoch, or an age such as 90s, 15m,
// 2h or 1d (that long before now).
import { resolve } from 'node:path';
import { writeLabArchive } from './lab-archive.js';

const USAGE =
  'usage: replica-lab export --data-dir DIR --out FILE.tar.gz [--since T] [--until T] [--include-data]\n' +
  '  T: an ISO date/time (2026-12-07T13:00:00Z), ms since the epoch, or an age: 90s, 15m, 2h, 1d';

/** An ISO time, ms since the epoch, or an age before `now`. */
export function parseTime(text: string, now = Date.now()): number {
  const age = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(text);
  if (age) return now - Number(age[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[age[2] as 's' | 'm' | 'h' | 'd'];
  if (/^\d+$/.test(text)) return Number(text);
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed)) throw new Error(`not a time: ${JSON.stringify(text)}\n${USAGE}`);
  return parsed;
}

interface ExportArgs {
  dataDir: string;
  out: string;
  since?: number;
  until?: number;
  includeData: boolean;
}

export function parseExportArgs(argv: readonly string[]): ExportArgs {
  let dataDir: string | null = null;
  let out: string | null = null;
  const args: Partial<ExportArgs> = { includeData: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      const v = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '') throw new Error(`${name} needs a value\n${USAGE}`);
      return v;
    };
    if (name === '--data-dir') dataDir = resolve(value());
    else if (name === '--out') out = resolve(value());
    else if (name === '--since') args.since = parseTime(value());
    else if (name === '--until') args.until = parseTime(value());
    else if (name === '--include-data') args.includeData = true;
    else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  if (!dataDir || !out) throw new Error(`--data-dir and --out are required\n${USAGE}`);
  return { ...args, dataDir, out, includeData: args.includeData === true };
}

/** Runs `replica-lab <command> ...`; resolves with the exit code. */
export async function runReplicaLabCli(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'export') {
    process.stderr.write(`replica-lab: ${command === undefined ? 'a command is needed' : `unknown command ${command}`}\n${USAGE}\n`);
    return 2;
  }
  try {
    const args = parseExportArgs(rest);
    const result = await writeLabArchive(args);
    const counts = Object.entries(result.counts)
      .map(([what, n]) => `${n} ${what}`)
      .join(', ');
    process.stdout.write(`${result.file}: ${result.bytes} bytes (${counts})\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`replica-lab: ${(error as Error).message}\n`);
    return 1;
  }
}
