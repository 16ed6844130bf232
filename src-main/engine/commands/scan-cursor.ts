// Arguments and reply of the per-key SCAN commands (HSCAN, SSCAN, ZSCAN): db.c
// parseScanCursorOrReply and the option loop and reply of scanGenericCommand.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { globMatch } from '../util/glob.js';
import { ERR, integerArg, is } from '../core/replies.js';
import type { AggregateValue } from '../keyspace/value.js';
import { readAggregate, type AggregateClass } from './aggregate-access.js';

const ULONG_MAX = 2n ** 64n - 1n;
const CURSOR = /^([+-]?)([0-9]+)$/;

/**
 * parseScanCursorOrReply: strtoul's reading (an optional sign, "-1" wrapping around, "" as 0),
 * rejecting a leading space, trailing characters and overflow. Null after replying.
 */
export function parseScanCursor(client: Client, arg: BinaryString): number | null {
  if (arg === '') return 0;
  const m = CURSOR.exec(arg);
  const magnitude = m ? BigInt(m[2]!) : null;
  if (magnitude === null || magnitude > ULONG_MAX) {
    client.reply.error('ERR invalid cursor');
    return null;
  }
  const cursor = m![1] === '-' && magnitude !== 0n ? ULONG_MAX + 1n - magnitude : magnitude;
  return Number(cursor);
}

export interface ScanOptions {
  count: number;
  /** The MATCH pattern; null when absent or "*" (which Redis treats as no pattern). */
  pattern: BinaryString | null;
}

/** scanGenericCommand's option loop (COUNT n, MATCH pattern) from argv[first]; null after replying. */
export function parseScanOptions(client: Client, argv: BinaryString[], first: number): ScanOptions | null {
  const options: ScanOptions = { count: 10, pattern: null };
  for (let i = first; i < argv.length; i += 2) {
    const hasValue = i + 1 < argv.length;
    if (is(argv[i]!, 'count') && hasValue) {
      const count = integerArg(client, argv[i + 1]!);
      if (count === undefined) return null;
      if (count < 1) {
        client.reply.error(ERR.syntax);
        return null;
      }
      options.count = count;
    } else if (is(argv[i]!, 'match') && hasValue) {
      const pattern = argv[i + 1]!;
      options.pattern = pattern === '*' ? null : pattern;
    } else {
      client.reply.error(ERR.syntax);
      return null;
    }
  }
  return options;
}

export function matchesScanPattern(options: ScanOptions, text: BinaryString): boolean {
  return options.pattern === null || globMatch(options.pattern, text);
}

/** The two-element SCAN reply: the next cursor as a bulk string, then the elements. */
export function replyScan(client: Client, cursor: number, elements: BinaryString[]): void {
  client.reply.arrayHeader(2);
  client.reply.bulk(String(cursor));
  client.reply.bulkArray(elements);
}

/**
 * HSCAN, SSCAN and ZSCAN (t_hash.c/t_set.c/t_zset.c + scanGenericCommand): the cursor, then the key
 * (missing: an empty, finished scan; wrong type: WRONGTYPE), then the options, then one step of
 * the type's own walk. `step` walks from `cursor` for about `count` elements, calling `keep` with
 * the text MATCH applies to and the reply elements it stands for, and returns the next cursor.
 */
export function scanKeyCommand<T extends AggregateValue>(
  client: Client,
  argv: BinaryString[],
  type: AggregateClass<T>,
  step: (value: T, cursor: number, count: number, keep: (matchOn: BinaryString, ...elements: BinaryString[]) => void) => number,
): void {
  const cursor = parseScanCursor(client, argv[2]!);
  if (cursor === null) return;
  const value = readAggregate(client, argv[1]!, type);
  if (value === null) return;
  if (value === undefined) return replyScan(client, 0, []);
  const options = parseScanOptions(client, argv, 3);
  if (options === null) return;
  const found: BinaryString[] = [];
  const next = step(value, cursor, options.count, (matchOn, ...elements) => {
    if (matchesScanPattern(options, matchOn)) found.push(...elements);
  });
  replyScan(client, next, found);
}
