// What the list commands share (t_list.c helpers): the LEFT/RIGHT argument, keyspace events,
// and the bookkeeping after elements were added or removed.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { ListValue } from '../keyspace/types/list.js';
import { ERR, integerArg } from '../core/replies.js';
import { commitWrite, deleteEmptied, writableAggregate } from './aggregate-access.js';

/** LIST_HEAD ('left') or LIST_TAIL ('right'). */
export type End = 'left' | 'right';

/** getListPositionFromObjectOrReply: LEFT or RIGHT (any case), else a syntax error and null. */
export function parseEnd(client: Client, arg: BinaryString): End | null {
  const lower = arg.toLowerCase();
  if (lower === 'left' || lower === 'right') return lower;
  client.reply.error(ERR.syntax);
  return null;
}

export function notify(client: Client, eventClass: 'l' | 'g', event: string, key: BinaryString): void {
  client.server.keyspaceEvents.notify(eventClass, event, key, client.db.id);
}

export function push(list: ListValue, end: End, value: BinaryString): void {
  if (end === 'left') list.pushHead(value);
  else list.pushTail(value);
}

export function pop(list: ListValue, end: End): BinaryString {
  return (end === 'left' ? list.popHead() : list.popTail())!;
}

/**
 * The list at `key` to add to: the existing one (told to snapshots first), a new empty one, or
 * null after replying WRONGTYPE. `existed` tells commitPush whether to store it.
 */
export function listForPush(client: Client, key: BinaryString): { list: ListValue; existed: boolean } | null {
  const existing = writableAggregate(client, key, ListValue);
  if (existing === null) return null;
  return { list: existing ?? new ListValue(), existed: existing !== undefined };
}

/** After pushing `count` elements at `end` (lmoveHandlePush / pushGenericCommand's tail). */
export function commitPush(
  client: Client,
  key: BinaryString,
  target: { list: ListValue; existed: boolean },
  end: End,
  count: number,
): void {
  commitWrite(client.db, key, target.list, target.existed, count);
  notify(client, 'l', end === 'left' ? 'lpush' : 'rpush', key);
}

/**
 * listElementsRemoved: after `count` (at least one) elements left `list`, the pop event, and the
 * key deleted (with its "del" event) when that emptied it, as Redis never keeps an empty list.
 * `changes` is what the removal adds to server.dirty: `count`, except for LMOVE, which counts
 * its move once, at the push. The key is signalled (WATCH) either way.
 */
export function commitRemoval(client: Client, key: BinaryString, list: ListValue, event: string, count: number, changes = count): void {
  notify(client, 'l', event, key);
  if (list.size === 0) {
    deleteEmptied(client.db, key, changes);
    notify(client, 'g', 'del', key);
  } else {
    client.db.changed(key, changes);
  }
}

export function popEvent(end: End): string {
  return end === 'left' ? 'lpop' : 'rpop';
}

/**
 * getRangeLongFromObjectOrReply: an integer in [min, max], or undefined after replying. A
 * `message` given replaces both errors, as it does in Redis.
 */
export function integerInRange(client: Client, arg: BinaryString, min: number, max: number, message?: string): number | undefined {
  const n = integerArg(client, arg, message ?? ERR.notInteger);
  if (n === undefined) return undefined;
  if (n < min || n > max) {
    client.reply.error(message ?? `ERR value is out of range, value must between ${min} and ${max}`);
    return undefined;
  }
  return n;
}

/**
 * addListRangeReply: the elements from `start` to `end` inclusive (negative counts from the
 * tail, clamped like LRANGE), as an array, tail first when `reverse` (pops from the right).
 */
export function replyRange(client: Client, list: ListValue, start: number, end: number, reverse: boolean): void {
  const length = list.size;
  if (start < 0) start += length;
  if (end < 0) end += length;
  if (start < 0) start = 0;
  if (start > end || start >= length) {
    client.reply.arrayHeader(0);
    return;
  }
  if (end >= length) end = length - 1;
  const reply = client.reply;
  reply.arrayHeader(end - start + 1);
  if (reverse) for (let i = end; i >= start; i--) reply.bulk(list.at(i)!);
  else for (let i = start; i <= end; i++) reply.bulk(list.at(i)!);
}
