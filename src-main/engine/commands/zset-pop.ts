// Popping the lowest or highest members (t_zset.c genericZpopCommand): ZPOPMIN, ZPOPMAX, ZMPOP,
// and what their blocking forms (zset-blocking.ts) share with them.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { SortedSet } from '../keyspace/types/zset.js';
import { ERR, integerArg, is } from '../core/replies.js';
import { writableAggregate } from './aggregate-access.js';
import { commitZSet, notify } from './zset-common.js';

/** How a pop replies (genericZpopCommand's emitkey / use_nested_array / reply_nil_when_empty). */
export interface PopReplyShape {
  /** Name the key first (BZPOPMIN/BZPOPMAX, ZMPOP/BZMPOP). */
  withKey: boolean;
  /** Pairs as arrays of their own ([member, score]) rather than flat. */
  nested: boolean;
  /** Reply a null array, not an empty one, when no key holds a set (ZMPOP). */
  nullWhenNone: boolean;
}

/**
 * Pops up to `count` members of the set at `key` (which must exist) from one end and replies
 * with them in `shape`; returns how many were popped.
 */
export function popFromSet(
  client: Client,
  key: BinaryString,
  zset: SortedSet,
  highest: boolean,
  count: number,
  shape: PopReplyShape,
): number {
  const reply = client.reply;
  const n = Math.min(count, zset.size);
  if (!shape.withKey) {
    reply.arrayHeader(shape.nested ? n : n * 2);
  } else if (!shape.nested) {
    reply.arrayHeader(n * 2 + 1);
    reply.bulk(key);
  } else {
    reply.arrayHeader(2);
    reply.bulk(key);
    reply.arrayHeader(n);
  }
  for (let i = 0; i < n; i++) {
    const entry = zset.pop(highest)!;
    if (shape.nested) reply.arrayHeader(2);
    reply.bulk(entry.member);
    reply.double(entry.score);
  }
  notify(client, 'z', highest ? 'zpopmax' : 'zpopmin', key);
  commitZSet(client, key, zset, true, n);
  return n;
}

/**
 * The first of `keys` holding a sorted set (genericZpopCommand's candidate search): missing keys
 * are skipped, a key of another type stops with WRONGTYPE (null after replying).
 */
export function firstSortedSet(client: Client, keys: BinaryString[]): { key: BinaryString; zset: SortedSet } | undefined | null {
  for (const key of keys) {
    const zset = writableAggregate(client, key, SortedSet);
    if (zset === null) return null;
    if (zset !== undefined) return { key, zset };
  }
  return undefined;
}

/**
 * genericZpopCommand: pops from the first key holding a set, `count` -1 being a plain single
 * pop. Returns the key and how many members it gave, or null when nothing was popped.
 */
function popFirst(
  client: Client,
  keys: BinaryString[],
  highest: boolean,
  count: number,
  shape: PopReplyShape,
): { key: BinaryString; popped: number } | null {
  const found = firstSortedSet(client, keys);
  if (found === null) return null;
  if (found === undefined) {
    if (shape.nullWhenNone) client.reply.nullArray();
    else client.reply.arrayHeader(0);
    return null;
  }
  if (count === 0) {
    client.reply.arrayHeader(0);
    return null;
  }
  return { key: found.key, popped: popFromSet(client, found.key, found.zset, highest, count === -1 ? 1 : count, shape) };
}

/** ZPOPMIN / ZPOPMAX key [count]: propagated as they are, since they pop deterministically. */
export function zpopCommand(client: Client, argv: BinaryString[], highest: boolean): void {
  if (argv.length > 3) return client.reply.error(ERR.syntax);
  let count = -1;
  if (argv.length === 3) {
    const positive = 'ERR value is out of range, must be positive';
    const n = integerArg(client, argv[2]!, positive);
    if (n === undefined) return;
    if (n < 0) return client.reply.error(positive);
    count = n;
  }
  // RESP3 gives each pair its own array, but only when a count was given.
  const nested = client.reply.protocol === 3 && count !== -1;
  popFirst(client, [argv[1]!], highest, count, { withKey: false, nested, nullWhenNone: false });
}

export interface MultiPopRequest {
  keys: BinaryString[];
  highest: boolean;
  count: number;
}

/**
 * zmpopGenericCommand's arguments from argv[numkeysIndex]: numkeys key... MIN|MAX [COUNT n].
 * Null after replying.
 */
export function parseMultiPop(client: Client, argv: BinaryString[], numkeysIndex: number): MultiPopRequest | null {
  const numkeysError = 'ERR numkeys should be greater than 0';
  const numkeys = integerArg(client, argv[numkeysIndex]!, numkeysError);
  if (numkeys === undefined) return null;
  if (numkeys < 1) {
    client.reply.error(numkeysError);
    return null;
  }
  const whereIndex = numkeysIndex + numkeys + 1;
  const where = argv[whereIndex];
  if (where === undefined || (!is(where, 'min') && !is(where, 'max'))) {
    client.reply.error(ERR.syntax);
    return null;
  }
  let count = -1;
  for (let j = whereIndex + 1; j < argv.length; j++) {
    if (count === -1 && is(argv[j]!, 'count') && j + 1 < argv.length) {
      const countError = 'ERR count should be greater than 0';
      const n = integerArg(client, argv[++j]!, countError);
      if (n === undefined) return null;
      if (n < 1) {
        client.reply.error(countError);
        return null;
      }
      count = n;
    } else {
      client.reply.error(ERR.syntax);
      return null;
    }
  }
  return {
    keys: argv.slice(numkeysIndex + 1, whereIndex),
    highest: is(where, 'max'),
    count: count === -1 ? 1 : count,
  };
}

/** A pop's effect for replicas and the AOF: ZPOPMIN/ZPOPMAX key, with the count popped if given. */
export function propagatePop(client: Client, key: BinaryString, highest: boolean, popped: number | null): void {
  const argv = [highest ? 'ZPOPMAX' : 'ZPOPMIN', key];
  if (popped !== null) argv.push(String(popped));
  client.server.propagation.propagate(client.db.id, argv);
}

/** ZMPOP numkeys key... MIN|MAX [COUNT n]: replicated as ZPOPMIN/ZPOPMAX with the count popped. */
export function zmpopCommand(client: Client, argv: BinaryString[]): void {
  const request = parseMultiPop(client, argv, 1);
  if (request === null) return;
  const shape = { withKey: true, nested: true, nullWhenNone: true };
  const result = popFirst(client, request.keys, request.highest, request.count, shape);
  if (result !== null) propagatePop(client, result.key, request.highest, result.popped);
}
