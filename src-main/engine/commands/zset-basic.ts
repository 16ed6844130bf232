// Sorted-set commands on single members and counts (t_zset.c): ZADD, ZINCRBY, ZREM, ZSCORE,
// ZMSCORE, ZCARD, ZCOUNT, ZLEXCOUNT, ZRANK, ZREVRANK and the ZREMRANGEBY* family.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { SortedSet, ZADD_GT, ZADD_INCR, ZADD_LT, ZADD_NX, ZADD_XX } from '../keyspace/types/zset.js';
import type { OrderRange } from '../keyspace/types/skiplist.js';
import { ERR, integerArg } from '../core/replies.js';
import { string2d } from './c-strtod.js';
import { RANGE_ERR, parseLexRange, parseScoreRange } from './zset-range-args.js';
import { readAggregate, writableAggregate } from './aggregate-access.js';
import { commitZSet, listpackLimits, notify } from './zset-common.js';

const ZADD_OPTIONS = new Map([
  ['nx', ZADD_NX],
  ['xx', ZADD_XX],
  ['gt', ZADD_GT],
  ['lt', ZADD_LT],
  ['incr', ZADD_INCR],
]);

/**
 * zaddGenericCommand: ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...], and
 * ZINCRBY key increment member (the same code with INCR set, options parsed all the same).
 */
export function zaddGeneric(client: Client, argv: BinaryString[], incrCommand: boolean): void {
  let flags = incrCommand ? ZADD_INCR : 0;
  let ch = false;
  let scoreIdx = 2;
  for (; scoreIdx < argv.length; scoreIdx++) {
    const opt = argv[scoreIdx]!;
    if (opt.length > 4) break;
    const lower = opt.toLowerCase();
    const flag = ZADD_OPTIONS.get(lower);
    if (flag !== undefined) flags |= flag;
    else if (lower === 'ch') ch = true;
    else break;
  }
  const pairs = (argv.length - scoreIdx) / 2;
  if (pairs === 0 || !Number.isInteger(pairs)) return client.reply.error(ERR.syntax);
  if (flags & ZADD_NX && flags & ZADD_XX) {
    return client.reply.error('ERR XX and NX options at the same time are not compatible');
  }
  if ((flags & ZADD_NX && flags & (ZADD_GT | ZADD_LT)) || (flags & ZADD_GT && flags & ZADD_LT)) {
    return client.reply.error('ERR GT, LT, and/or NX options at the same time are not compatible');
  }
  if (flags & ZADD_INCR && pairs > 1) {
    return client.reply.error('ERR INCR option supports a single increment-element pair');
  }
  // Every score is checked before anything changes: the command runs entirely or not at all.
  const scores: number[] = [];
  for (let j = 0; j < pairs; j++) {
    const score = string2d(argv[scoreIdx + j * 2]!);
    if (score === null) return client.reply.error(ERR.notFloat);
    scores.push(score);
  }

  const key = argv[1]!;
  const existing = writableAggregate(client, key, SortedSet);
  if (existing === null) return;
  const incr = (flags & ZADD_INCR) !== 0;
  if (existing === undefined && flags & ZADD_XX) {
    if (incr) client.reply.null();
    else client.reply.integer(0);
    return;
  }
  const zset = existing ?? new SortedSet();
  const limits = listpackLimits(client);
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  for (let j = 0; j < pairs; j++) {
    const result = zset.add(argv[scoreIdx + j * 2 + 1]!, scores[j]!, flags, limits);
    if (result.outcome === 'nan') return client.reply.error('ERR resulting score is not a number (NaN)');
    if (result.outcome === 'added') added++;
    else if (result.outcome === 'updated') updated++;
    if (result.outcome !== 'skipped') processed++;
    score = result.score;
  }
  commitZSet(client, key, zset, existing !== undefined, added + updated);

  if (incr) {
    if (processed > 0) client.reply.double(score);
    else client.reply.null();
  } else {
    client.reply.integer(ch ? added + updated : added);
  }
  if (added + updated > 0) notify(client, 'z', incr ? 'zincr' : 'zadd', key);
}

export function zremCommand(client: Client, argv: BinaryString[]): void {
  const key = argv[1]!;
  const zset = writableAggregate(client, key, SortedSet);
  if (zset === null) return;
  if (zset === undefined) return client.reply.integer(0);
  let deleted = 0;
  for (let j = 2; j < argv.length; j++) {
    if (zset.remove(argv[j]!)) deleted++;
    if (zset.size === 0) break;
  }
  if (deleted > 0) {
    notify(client, 'z', 'zrem', key);
    commitZSet(client, key, zset, true, deleted);
  }
  client.reply.integer(deleted);
}

export function zscoreCommand(client: Client, argv: BinaryString[]): void {
  const zset = readAggregate(client, argv[1]!, SortedSet);
  if (zset === null) return;
  const score = zset?.score(argv[2]!);
  if (score === undefined) client.reply.null();
  else client.reply.double(score);
}

export function zmscoreCommand(client: Client, argv: BinaryString[]): void {
  const zset = readAggregate(client, argv[1]!, SortedSet);
  if (zset === null) return;
  client.reply.arrayHeader(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = zset?.score(argv[j]!);
    if (score === undefined) client.reply.null();
    else client.reply.double(score);
  }
}

export function zcardCommand(client: Client, argv: BinaryString[]): void {
  const zset = readAggregate(client, argv[1]!, SortedSet);
  if (zset !== null) client.reply.integer(zset?.size ?? 0);
}

/** ZCOUNT and ZLEXCOUNT: the range is parsed (and rejected) before the key is looked at. */
export function countInRange(client: Client, argv: BinaryString[], lex: boolean): void {
  const range = lex ? parseLexRange(argv[2]!, argv[3]!) : parseScoreRange(argv[2]!, argv[3]!);
  if (range === null) return client.reply.error(lex ? RANGE_ERR.lex : RANGE_ERR.score);
  const zset = readAggregate(client, argv[1]!, SortedSet);
  if (zset !== null) client.reply.integer(zset?.countIn(range) ?? 0);
}

export function zrankGeneric(client: Client, argv: BinaryString[], reverse: boolean): void {
  const zset = readAggregate(client, argv[1]!, SortedSet);
  if (zset === null) return;
  const rank = zset === undefined ? -1 : zset.rank(argv[2]!, reverse);
  if (rank < 0) client.reply.null();
  else client.reply.integer(rank);
}

export type RemoveRangeKind = 'rank' | 'score' | 'lex';

/** zremrangeGenericCommand: ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX. */
export function zremrangeGeneric(client: Client, argv: BinaryString[], kind: RemoveRangeKind): void {
  let start = 0;
  let end = 0;
  let range: OrderRange | null = null;
  if (kind === 'rank') {
    const s = integerArg(client, argv[2]!);
    if (s === undefined) return;
    const e = integerArg(client, argv[3]!);
    if (e === undefined) return;
    start = s;
    end = e;
  } else {
    range = kind === 'lex' ? parseLexRange(argv[2]!, argv[3]!) : parseScoreRange(argv[2]!, argv[3]!);
    if (range === null) return client.reply.error(kind === 'lex' ? RANGE_ERR.lex : RANGE_ERR.score);
  }
  const key = argv[1]!;
  const zset = writableAggregate(client, key, SortedSet);
  if (zset === null) return;
  if (zset === undefined) return client.reply.integer(0);

  let deleted: number;
  if (range === null) {
    const size = zset.size;
    if (start < 0) start += size;
    if (end < 0) end += size;
    if (start < 0) start = 0;
    if (start > end || start >= size) return client.reply.integer(0);
    deleted = zset.removeRankRange(start, Math.min(end, size - 1));
  } else {
    deleted = zset.removeIn(range);
  }
  if (deleted > 0) {
    notify(client, 'z', `zremrangeby${kind}`, key);
    commitZSet(client, key, zset, true, deleted);
  }
  client.reply.integer(deleted);
}
