// ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD (t_zset.c
// zunionInterDiffGenericCommand). Inputs may be sorted sets or plain sets, whose members all
// score 1; a missing key is an empty input.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { SortedSet, type ZSetEntry } from '../keyspace/types/zset.js';
import { SetValue } from '../keyspace/types/set.js';
import { ERR, integerArg, is } from '../core/replies.js';
import { string2d } from './c-strtod.js';
import { listpackLimits, notify, replyEntries } from './zset-common.js';

export type SetOperation = 'union' | 'inter' | 'diff';

export interface SetOpShape {
  op: SetOperation;
  /** The *STORE forms: the result goes to argv[1], numkeys is argv[2]. */
  store: boolean;
  /** ZINTERCARD: only the size of the intersection, with an optional LIMIT. */
  cardinalityOnly: boolean;
}

type Aggregate = 'sum' | 'min' | 'max';

interface Source {
  /** The value itself: the same key given twice is the same object, which Redis notices. */
  value: SortedSet | SetValue | null;
  size: number;
  weight: number;
}

function scoreIn(source: Source, member: BinaryString): number | undefined {
  const value = source.value;
  if (value instanceof SortedSet) return value.score(member);
  return value?.has(member) ? 1 : undefined;
}

function* entriesOf(source: Source): Iterable<readonly [BinaryString, number]> {
  const value = source.value;
  if (value instanceof SortedSet) yield* value.entries();
  else if (value) for (const member of value.members()) yield [member, 1];
}

/** zunionInterAggregate: SUM turns inf + -inf (NaN) into 0; MIN/MAX keep the target on NaN. */
function aggregate(target: number, value: number, how: Aggregate): number {
  if (how === 'sum') {
    const sum = target + value;
    return Number.isNaN(sum) ? 0 : sum;
  }
  if (how === 'min') return value < target ? value : target;
  return value > target ? value : target;
}

/** A weighted input score; 0 * inf gives 0, not NaN. */
function weighted(source: Source, score: number): number {
  const value = source.weight * score;
  return Number.isNaN(value) ? 0 : value;
}

interface SetOpRequest {
  sources: Source[];
  aggregate: Aggregate;
  withScores: boolean;
  /** ZINTERCARD LIMIT; 0 = no limit. */
  limit: number;
}

/** Keys first (WRONGTYPE before any option error), then the options. Null after replying. */
function parseRequest(client: Client, argv: BinaryString[], shape: SetOpShape): SetOpRequest | null {
  const numkeysIndex = shape.store ? 2 : 1;
  const setnum = integerArg(client, argv[numkeysIndex]!);
  if (setnum === undefined) return null;
  if (setnum < 1) {
    client.reply.error(`ERR at least 1 input key is needed for '${argv[0]!.toLowerCase()}' command`);
    return null;
  }
  if (setnum > argv.length - numkeysIndex - 1) {
    client.reply.error(ERR.syntax);
    return null;
  }
  const sources: Source[] = [];
  for (let j = numkeysIndex + 1; j <= numkeysIndex + setnum; j++) {
    const value = client.db.lookupRead(argv[j]!);
    if (value !== undefined && !(value instanceof SortedSet) && !(value instanceof SetValue)) {
      client.reply.error(ERR.wrongType);
      return null;
    }
    sources.push({ value: value ?? null, size: value?.size ?? 0, weight: 1 });
  }

  const request: SetOpRequest = { sources, aggregate: 'sum', withScores: false, limit: 0 };
  const scored = shape.op !== 'diff' && !shape.cardinalityOnly;
  for (let j = numkeysIndex + 1 + setnum; j < argv.length; j++) {
    const arg = argv[j]!;
    const remaining = argv.length - j;
    if (scored && remaining >= setnum + 1 && is(arg, 'weights')) {
      for (const source of sources) {
        const weight = string2d(argv[++j]!);
        if (weight === null) {
          client.reply.error('ERR weight value is not a float');
          return null;
        }
        source.weight = weight;
      }
    } else if (scored && remaining >= 2 && is(arg, 'aggregate')) {
      const how = argv[++j]!.toLowerCase();
      if (how !== 'sum' && how !== 'min' && how !== 'max') {
        client.reply.error(ERR.syntax);
        return null;
      }
      request.aggregate = how;
    } else if (!shape.store && !shape.cardinalityOnly && is(arg, 'withscores')) {
      request.withScores = true;
    } else if (shape.cardinalityOnly && remaining >= 2 && is(arg, 'limit')) {
      const limit = integerArg(client, argv[++j]!, "ERR LIMIT can't be negative");
      if (limit === undefined) return null;
      if (limit < 0) {
        client.reply.error("ERR LIMIT can't be negative");
        return null;
      }
      request.limit = limit;
    } else {
      client.reply.error(ERR.syntax);
      return null;
    }
  }
  return request;
}

/** Members of the first input present in every other one, with their aggregated scores. */
function intersect(request: SetOpRequest, stopAt: number): ZSetEntry[] {
  const [first, ...others] = request.sources;
  const out: ZSetEntry[] = [];
  if (first!.size === 0) return out;
  for (const [member, raw] of entriesOf(first!)) {
    let score = weighted(first!, raw);
    let inAll = true;
    for (const other of others) {
      const found = other.value === first!.value ? raw : scoreIn(other, member);
      if (found === undefined) {
        inAll = false;
        break;
      }
      score = aggregate(score, other.weight * found, request.aggregate);
    }
    if (!inAll) continue;
    out.push({ member, score });
    if (out.length === stopAt) break;
  }
  return out;
}

function unite(request: SetOpRequest): ZSetEntry[] {
  const scores = new Map<BinaryString, number>();
  for (const source of request.sources) {
    for (const [member, raw] of entriesOf(source)) {
      const score = weighted(source, raw);
      const existing = scores.get(member);
      scores.set(member, existing === undefined ? score : aggregate(existing, score, request.aggregate));
    }
  }
  return Array.from(scores, ([member, score]) => ({ member, score }));
}

/** Members of the first input found in no other (with their own, unweighted scores). */
function subtract(request: SetOpRequest): ZSetEntry[] {
  const [first, ...others] = request.sources;
  // The first key given again subtracts everything.
  if (first!.size === 0 || others.some((other) => other.value === first!.value)) return [];
  const out: ZSetEntry[] = [];
  for (const [member, score] of entriesOf(first!)) {
    if (!others.some((other) => scoreIn(other, member) !== undefined)) out.push({ member, score });
  }
  return out;
}

/** zunionInterDiffGenericCommand. */
export function zsetOpGeneric(client: Client, argv: BinaryString[], shape: SetOpShape): void {
  const request = parseRequest(client, argv, shape);
  if (request === null) return;
  // Smallest inputs first (a stable sort, as glibc's qsort is here): fewer lookups for
  // ZINTER, and the order in which scores are aggregated, which rounding can observe.
  if (shape.op !== 'diff') request.sources.sort((a, b) => a.size - b.size);

  if (shape.cardinalityOnly) {
    client.reply.integer(intersect(request, request.limit).length);
    return;
  }
  const result = shape.op === 'inter' ? intersect(request, 0) : shape.op === 'union' ? unite(request) : subtract(request);
  if (shape.store) {
    storeResult(client, argv[1]!, result, shape.op);
    return;
  }
  result.sort((a, b) => a.score - b.score || (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
  replyEntries(client, result, request.withScores);
}

function storeResult(client: Client, dst: BinaryString, result: ZSetEntry[], op: SetOperation): void {
  if (result.length === 0) {
    client.reply.integer(0);
    if (client.db.delete(dst)) notify(client, 'g', 'del', dst);
    return;
  }
  const zset = SortedSet.from(
    result.map((e) => [e.member, e.score] as const),
    listpackLimits(client),
  );
  client.db.set(dst, zset);
  client.reply.integer(zset.size);
  notify(client, 'z', `z${op}store`, dst);
}
