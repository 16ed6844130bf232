// Sorted-set reads in no defined order: ZRANDMEMBER (t_zset.c zrandmemberCommand) and ZSCAN.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { SortedSet, type ZSetEntry } from '../keyspace/types/zset.js';
import { formatDouble } from '../protocol/format-double.js';
import { INT64 } from '../util/numbers.js';
import { ERR, is } from '../core/replies.js';
import { readAggregate } from './aggregate-access.js';
import { randomCountArg } from './random-count.js';
import { scanKeyCommand } from './scan-cursor.js';
import { replyEntries } from './zset-common.js';

const LONG_MAX = INT64.MAX;
/** (double)(LLONG_MAX/2), the bound of util.c double2ll. */
const LLONG_HALF = Number(LONG_MAX / 2n);

/** ZRANDMEMBER key [count [WITHSCORES]]. */
export function zrandmemberCommand(client: Client, argv: BinaryString[]): void {
  if (argv.length >= 3) {
    const count = randomCountArg(client, argv[2]!);
    if (count === null) return;
    if (argv.length > 4 || (argv.length === 4 && !is(argv[3]!, 'withscores'))) return client.reply.error(ERR.syntax);
    const withScores = argv.length === 4;
    // With scores the reply has twice as many items: Redis keeps that count a long.
    if (withScores && (count < -LONG_MAX / 2n || count > LONG_MAX / 2n)) {
      return client.reply.error('ERR value is out of range');
    }
    randomMembers(client, argv[1]!, Number(count), withScores);
    return;
  }
  const zset = readAggregate(client, argv[1]!, SortedSet);
  if (zset === null) return;
  if (zset === undefined) client.reply.null();
  else client.reply.bulk(zset.randomEntry().member);
}

/**
 * zrandmemberWithCountCommand: a negative count may repeat members; a positive one gives
 * distinct members, the whole set (from the highest score down, as Redis iterates it) when the
 * count reaches its size.
 */
function randomMembers(client: Client, key: BinaryString, count: number, withScores: boolean): void {
  const zset = readAggregate(client, key, SortedSet);
  if (zset === null) return;
  let entries: ZSetEntry[];
  if (zset === undefined || count === 0) entries = [];
  else if (count < 0 || count === 1) entries = Array.from({ length: Math.abs(count) }, () => zset.randomEntry());
  else if (count >= zset.size) entries = zset.rangeByRank(0, zset.size - 1, true);
  else entries = zset.randomDistinct(count);
  replyEntries(client, entries, withScores);
}

/**
 * A score as a listpack holds it (util.c d2string): integral values within +-LLONG_MAX/2 as
 * integers, anything else as %.17g. ZSCAN of a listpack-encoded set shows this text.
 */
function listpackScoreText(score: number): string {
  const integral = Number.isInteger(score) && Math.abs(score) <= LLONG_HALF;
  return integral ? BigInt(score).toString() : formatDouble(score);
}

/** ZSCAN key cursor [MATCH pattern] [COUNT count]: scores as text, as each encoding prints them. */
export function zscanCommand(client: Client, argv: BinaryString[]): void {
  scanKeyCommand(client, argv, SortedSet, (zset, cursor, count, keep) => {
    const step = zset.scan(cursor, count);
    const scoreText = zset.encoding() === 'listpack' ? listpackScoreText : formatDouble;
    for (const entry of step.entries) keep(entry.member, entry.member, scoreText(entry.score));
    return step.cursor;
  });
}
