// List commands that read or edit a list in place (t_list.c): pushes, LLEN, LINDEX, LSET,
// LRANGE, LTRIM, LINSERT, LREM, LPOS. Pops and moves, blocking or not, are in list-pops.ts.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { ListValue } from '../keyspace/types/list.js';
import { ERR, integerArg, is } from '../core/replies.js';
import { readAggregate, writableAggregate } from './aggregate-access.js';
import { commitPush, commitRemoval, integerInRange, listForPush, notify, push, replyRange, type End } from './list-common.js';

const LONG_MAX = 2 ** 63;
const LONG_MIN = -(2 ** 63);

/** pushGenericCommand: LPUSH/RPUSH, and LPUSHX/RPUSHX (`onlyIfExists`), which never create a list. */
export function pushCommand(client: Client, argv: BinaryString[], end: End, onlyIfExists: boolean): void {
  const key = argv[1]!;
  const target = listForPush(client, key);
  if (!target) return;
  if (!target.existed && onlyIfExists) {
    client.reply.integer(0);
    return;
  }
  for (let j = 2; j < argv.length; j++) push(target.list, end, argv[j]!);
  commitPush(client, key, target, end, argv.length - 2);
  client.reply.integer(target.list.size);
}

export function llenCommand(client: Client, argv: BinaryString[]): void {
  const list = readAggregate(client, argv[1]!, ListValue);
  if (list !== null) client.reply.integer(list?.size ?? 0);
}

export function lindexCommand(client: Client, argv: BinaryString[]): void {
  const list = readAggregate(client, argv[1]!, ListValue);
  if (list === null) return;
  if (list === undefined) {
    client.reply.null();
    return;
  }
  const index = integerArg(client, argv[2]!);
  if (index === undefined) return;
  const value = list.at(index < 0 ? list.size + index : index);
  if (value === undefined) client.reply.null();
  else client.reply.bulk(value);
}

export function lsetCommand(client: Client, argv: BinaryString[]): void {
  const key = argv[1]!;
  const list = writableAggregate(client, key, ListValue);
  if (list === null) return;
  if (list === undefined) {
    client.reply.error(ERR.noSuchKey);
    return;
  }
  const index = integerArg(client, argv[2]!);
  if (index === undefined) return;
  if (!list.set(index < 0 ? list.size + index : index, argv[3]!)) {
    client.reply.error(ERR.outOfRange);
    return;
  }
  client.reply.ok();
  client.db.changed(key);
  notify(client, 'l', 'lset', key);
}

export function lrangeCommand(client: Client, argv: BinaryString[]): void {
  const start = integerArg(client, argv[2]!);
  if (start === undefined) return;
  const end = integerArg(client, argv[3]!);
  if (end === undefined) return;
  const list = readAggregate(client, argv[1]!, ListValue);
  if (list === null) return;
  if (list === undefined) client.reply.arrayHeader(0);
  else replyRange(client, list, start, end, false);
}

export function ltrimCommand(client: Client, argv: BinaryString[]): void {
  const key = argv[1]!;
  let start = integerArg(client, argv[2]!);
  if (start === undefined) return;
  let end = integerArg(client, argv[3]!);
  if (end === undefined) return;
  const list = writableAggregate(client, key, ListValue);
  if (list === null) return;
  if (list === undefined) {
    client.reply.ok();
    return;
  }
  const length = list.size;
  if (start < 0) start += length;
  if (end < 0) end += length;
  if (start < 0) start = 0;
  // Out of range or inverted: everything goes.
  const fromHead = start > end || start >= length ? length : start;
  const fromTail = start > end || start >= length ? 0 : length - Math.min(end, length - 1) - 1;
  list.trim(fromHead, fromTail);
  // Redis signals the key (WATCH) and sends "ltrim" even when nothing was removed.
  if (fromHead + fromTail === 0) {
    client.db.changed(key, 0);
    notify(client, 'l', 'ltrim', key);
  } else {
    commitRemoval(client, key, list, 'ltrim', fromHead + fromTail);
  }
  client.reply.ok();
}

export function linsertCommand(client: Client, argv: BinaryString[]): void {
  const key = argv[1]!;
  const where = argv[2]!;
  const after = is(where, 'after');
  if (!after && !is(where, 'before')) {
    client.reply.error(ERR.syntax);
    return;
  }
  const list = writableAggregate(client, key, ListValue);
  if (list === null) return;
  if (list === undefined) {
    client.reply.integer(0);
    return;
  }
  const pivot = list.indexOf(argv[3]!);
  if (pivot === -1) {
    client.reply.integer(-1);
    return;
  }
  list.insert(after ? pivot + 1 : pivot, argv[4]!);
  client.db.changed(key);
  notify(client, 'l', 'linsert', key);
  client.reply.integer(list.size);
}

export function lremCommand(client: Client, argv: BinaryString[]): void {
  const key = argv[1]!;
  const count = integerArg(client, argv[2]!);
  if (count === undefined) return;
  const list = writableAggregate(client, key, ListValue);
  if (list === null) return;
  if (list === undefined) {
    client.reply.integer(0);
    return;
  }
  // -LONG_MIN overflows back to LONG_MIN in C, which then never equals the removed count: all go.
  const limit = count === LONG_MIN ? 0 : Math.abs(count);
  const removed = list.removeMatching(argv[3]!, limit, count < 0);
  if (removed > 0) commitRemoval(client, key, list, 'lrem', removed);
  client.reply.integer(removed);
}

interface LposOptions {
  rank: number;
  /** -1 when COUNT was not given (the reply is then a single index or null). */
  count: number;
  maxlen: number;
}

/** LPOS's RANK / COUNT / MAXLEN options; null after replying an error. */
function parseLposOptions(client: Client, argv: BinaryString[]): LposOptions | null {
  const options: LposOptions = { rank: 1, count: -1, maxlen: 0 };
  for (let j = 3; j < argv.length; j++) {
    const option = argv[j]!;
    const hasValue = j + 1 < argv.length;
    if (is(option, 'rank') && hasValue) {
      const rank = integerArg(client, argv[++j]!);
      if (rank === undefined) return null;
      if (rank === 0) {
        client.reply.error(
          "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
        );
        return null;
      }
      options.rank = rank;
    } else if (is(option, 'count') && hasValue) {
      const count = integerInRange(client, argv[++j]!, 0, LONG_MAX, "ERR COUNT can't be negative");
      if (count === undefined) return null;
      options.count = count;
    } else if (is(option, 'maxlen') && hasValue) {
      const maxlen = integerInRange(client, argv[++j]!, 0, LONG_MAX, "ERR MAXLEN can't be negative");
      if (maxlen === undefined) return null;
      options.maxlen = maxlen;
    } else {
      client.reply.error(ERR.syntax);
      return null;
    }
  }
  return options;
}

/** LPOS key element [RANK rank] [COUNT num] [MAXLEN len]: indexes as LINDEX counts them. */
export function lposCommand(client: Client, argv: BinaryString[]): void {
  const options = parseLposOptions(client, argv);
  if (!options) return;
  const fromTail = options.rank < 0;
  // A negative rank searches from the tail; -LONG_MIN stays negative in C, so any match qualifies.
  const rank = options.rank === LONG_MIN ? 1 : Math.abs(options.rank);
  const list = readAggregate(client, argv[1]!, ListValue);
  if (list === null) return;
  if (list === undefined) {
    if (options.count !== -1) client.reply.arrayHeader(0);
    else client.reply.null();
    return;
  }
  const element = argv[2]!;
  const length = list.size;
  const scan = options.maxlen === 0 ? length : Math.min(options.maxlen, length);
  const wanted = options.count === -1 ? 1 : options.count;
  const found: number[] = [];
  let matches = 0;
  for (let i = 0; i < scan && (wanted === 0 || found.length < wanted); i++) {
    const index = fromTail ? length - 1 - i : i;
    if (list.at(index) === element && ++matches >= rank) found.push(index);
  }
  if (options.count !== -1) {
    client.reply.arrayHeader(found.length);
    for (const index of found) client.reply.integer(index);
  } else if (found.length === 0) {
    client.reply.null();
  } else {
    client.reply.integer(found[0]!);
  }
}
