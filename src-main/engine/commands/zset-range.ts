// ZRANGE and everything that reads a range the same way (t_zset.c zrangeGenericCommand):
// ZRANGESTORE, ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { SortedSet, type ZSetEntry } from '../keyspace/types/zset.js';
import type { OrderRange } from '../keyspace/types/skiplist.js';
import { ERR, integerArg, is } from '../core/replies.js';
import { readAggregate } from './aggregate-access.js';
import { RANGE_ERR, parseLexRange, parseScoreRange } from './zset-range-args.js';
import { listpackLimits, notify, replyEntries } from './zset-common.js';

type RangeKind = 'rank' | 'score' | 'lex';

/** How a command fixes what ZRANGE leaves to its options. */
export interface RangeCommandShape {
  /** ZRANGESTORE: the result goes to argv[1] and the source key is argv[2]. */
  store: boolean;
  /** Fixed by the command name, or null when BYSCORE / BYLEX choose (ZRANGE, ZRANGESTORE). */
  kind: RangeKind | null;
  /** Fixed by the command name, or null when REV chooses. */
  reverse: boolean | null;
}

/** The parsed range: ranks for ZRANGE by index, an OrderRange for BYSCORE and BYLEX. */
type ParsedRange = { kind: 'rank'; start: number; end: number } | { kind: 'score' | 'lex'; range: OrderRange };

interface RangeRequest {
  range: ParsedRange;
  reverse: boolean;
  withScores: boolean;
  offset: number;
  limit: number;
}

/**
 * Parses `<src> <min> <max> [BYSCORE|BYLEX] [REV] [WITHSCORES] [LIMIT offset count]` in Redis's
 * order: options first, then their conflicts, then the range itself. Null after replying.
 */
function parseRequest(client: Client, argv: BinaryString[], shape: RangeCommandShape): RangeRequest | null {
  const srcIndex = shape.store ? 2 : 1;
  let kind = shape.kind;
  let reverse = shape.reverse;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = srcIndex + 3; j < argv.length; j++) {
    const arg = argv[j]!;
    if (!shape.store && is(arg, 'withscores')) withScores = true;
    else if (is(arg, 'limit') && argv.length - j - 1 >= 2) {
      const o = integerArg(client, argv[j + 1]!);
      if (o === undefined) return null;
      const l = integerArg(client, argv[j + 2]!);
      if (l === undefined) return null;
      offset = o;
      limit = l;
      j += 2;
    } else if (reverse === null && is(arg, 'rev')) reverse = true;
    else if (kind === null && is(arg, 'bylex')) kind = 'lex';
    else if (kind === null && is(arg, 'byscore')) kind = 'score';
    else {
      client.reply.error(ERR.syntax);
      return null;
    }
  }
  kind ??= 'rank';
  reverse ??= false;
  // Redis compares with its "no LIMIT" default, so an explicit LIMIT x -1 passes.
  if (limit !== -1 && kind === 'rank') {
    client.reply.error('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
    return null;
  }
  if (withScores && kind === 'lex') {
    client.reply.error('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
    return null;
  }

  // Reversed score and lex ranges are written max first.
  let minArg = argv[srcIndex + 1]!;
  let maxArg = argv[srcIndex + 2]!;
  if (reverse && kind !== 'rank') [minArg, maxArg] = [maxArg, minArg];
  let range: ParsedRange;
  if (kind === 'rank') {
    const start = integerArg(client, minArg);
    if (start === undefined) return null;
    const end = integerArg(client, maxArg);
    if (end === undefined) return null;
    range = { kind, start, end };
  } else {
    const parsed = kind === 'score' ? parseScoreRange(minArg, maxArg) : parseLexRange(minArg, maxArg);
    if (parsed === null) {
      client.reply.error(kind === 'score' ? RANGE_ERR.score : RANGE_ERR.lex);
      return null;
    }
    range = { kind, range: parsed };
  }
  return { range, reverse, withScores, offset, limit };
}

/** genericZrangebyrankCommand / genericZrangebyscoreCommand / genericZrangebylexCommand. */
function select(zset: SortedSet, request: RangeRequest): ZSetEntry[] {
  const { range, reverse } = request;
  if (range.kind !== 'rank') return zset.rangeIn(range.range, reverse, request.offset, request.limit);
  const size = zset.size;
  let { start, end } = range;
  if (start < 0) start += size;
  if (end < 0) end += size;
  if (start < 0) start = 0;
  if (start > end || start >= size) return [];
  return zset.rangeByRank(start, Math.min(end, size - 1), reverse);
}

/** zrangeGenericCommand. */
export function zrangeGeneric(client: Client, argv: BinaryString[], shape: RangeCommandShape): void {
  const request = parseRequest(client, argv, shape);
  if (request === null) return;
  const zset = readAggregate(client, argv[shape.store ? 2 : 1]!, SortedSet);
  if (zset === null) return;
  const entries = zset === undefined ? [] : select(zset, request);
  // Only a range by index knows its length in advance, which sizes the destination.
  if (shape.store) storeResult(client, argv[1]!, entries, request.range.kind === 'rank' ? entries.length : 0);
  else replyEntries(client, entries, request.withScores);
}

/**
 * zrangeResultBeginStore / EmitForStore / FinalizeStore: the destination is built member by
 * member (so it converts, and a listpack drops -0, exactly when Redis's does), or deleted when
 * the range is empty.
 */
function storeResult(client: Client, dst: BinaryString, entries: ZSetEntry[], sizeHint: number): void {
  if (entries.length === 0) {
    client.reply.integer(0);
    if (client.db.delete(dst)) notify(client, 'g', 'del', dst);
    return;
  }
  const limits = listpackLimits(client);
  const result = SortedSet.empty(sizeHint, limits);
  for (const e of entries) result.add(e.member, e.score, 0, limits);
  client.db.set(dst, result);
  client.reply.integer(entries.length);
  notify(client, 'z', 'zrangestore', dst);
}
