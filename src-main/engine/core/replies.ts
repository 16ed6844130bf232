// Error texts shared by many commands (server.c createSharedObjects and friends), and argument
// parsing that replies with Redis's error when the argument is bad.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from './client.js';
import { parseInteger } from '../util/numbers.js';

export const ERR = {
  syntax: 'ERR syntax error',
  notInteger: 'ERR value is not an integer or out of range',
  notFloat: 'ERR value is not a valid float',
  outOfRange: 'ERR index out of range',
  noSuchKey: 'ERR no such key',
  dbIndexOutOfRange: 'ERR DB index is out of range',
  wrongType: 'WRONGTYPE Operation against a key holding the wrong kind of value',
} as const;

/** An integer argument, or undefined after replying "value is not an integer or out of range". */
export function integerArg(client: Client, arg: BinaryString, error: string = ERR.notInteger): number | undefined {
  const n = parseInteger(arg);
  if (n === null) {
    client.reply.error(error);
    return undefined;
  }
  return n;
}

/** Redis's "ERR wrong number of arguments for '<name>' command" (for checks inside handlers). */
export function wrongArity(client: Client, fullName: string): void {
  client.reply.error(`ERR wrong number of arguments for '${fullName}' command`);
}

/** Case-insensitive comparison of an argument with an ASCII keyword. */
export function is(arg: BinaryString, keyword: string): boolean {
  return arg.length === keyword.length && arg.toLowerCase() === keyword;
}
