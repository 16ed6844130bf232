// A line typed into the console, split into arguments as redis-cli splits what is typed at its
// prompt: sdssplitargs (the engine's splitArgs) over the line's UTF-8 bytes, so "a b", 'x' and
// \x41 mean what they mean to redis-cli, and a \xHH escape can produce any byte.
import { splitArgs } from '../../engine/index.js';

/** What redis-cli prints for a line sdssplitargs cannot split (unbalanced quotes...). */
export const INVALID_ARGUMENTS = 'Invalid argument(s)';

/** The arguments as byte buffers; null for a line redis-cli refuses (see INVALID_ARGUMENTS). */
export function splitCommandLine(line: string): Buffer[] | null {
  const args = splitArgs(Buffer.from(line, 'utf8').toString('latin1'));
  return args === null ? null : args.map((arg) => Buffer.from(arg, 'latin1'));
}

/** A RESP multibulk request, as redis-cli sends a command. */
export function encodeCommand(args: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) parts.push(Buffer.from(`$${arg.length}\r\n`), arg, Buffer.from('\r\n'));
  return Buffer.concat(parts);
}
