// Taking elements out of lists (t_list.c): LPOP/RPOP (with a count), LMPOP, LMOVE/RPOPLPUSH,
// and their blocking forms BLPOP/BRPOP, BLMPOP, BLMOVE/BRPOPLPUSH, which wait through
// core/blocking.ts when there is nothing to take.
//
// Replicas and the AOF never see a blocking command: what it did is propagated instead (a BLPOP
// that popped is an LPOP, LMPOP/BLMPOP an LPOP with the count popped, BLMOVE an LMOVE), whether it
// was served at once or after waiting (serveClientBlockedOnList).
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { ListValue } from '../keyspace/types/list.js';
import { blockForKeys, blockingDenied, parseBlockTimeout } from '../core/blocking.js';
import { ERR, is, wrongArity } from '../core/replies.js';
import { writableAggregate } from './aggregate-access.js';
import {
  commitPush,
  commitRemoval,
  integerInRange,
  listForPush,
  parseEnd,
  pop,
  popEvent,
  push,
  replyRange,
  type End,
} from './list-common.js';

const LONG_MAX = 2 ** 63;

function propagate(client: Client, argv: BinaryString[]): void {
  client.server.propagation.propagate(client.db.id, argv);
}

/** Removes `count` (<= size) elements at `end` after replying them, tail first for the right end. */
function popRange(client: Client, key: BinaryString, list: ListValue, end: End, count: number): void {
  if (end === 'left') {
    replyRange(client, list, 0, count - 1, false);
    list.trim(count);
  } else {
    replyRange(client, list, -count, -1, true);
    list.trim(0, count);
  }
  commitRemoval(client, key, list, popEvent(end), count);
}

/**
 * One pop from a non-empty list for BLPOP/BRPOP (`count` -1: [key, element]) or LMPOP/BLMPOP
 * ([key, [elements...]]), with its effect: LPOP/RPOP key [count].
 */
function popWithKey(client: Client, key: BinaryString, list: ListValue, end: End, count: number): void {
  const command = end === 'left' ? 'LPOP' : 'RPOP';
  client.reply.arrayHeader(2);
  client.reply.bulk(key);
  if (count === -1) {
    client.reply.bulk(pop(list, end));
    commitRemoval(client, key, list, popEvent(end), 1);
    propagate(client, [command, key]);
    return;
  }
  const popped = Math.min(count, list.size);
  popRange(client, key, list, end, popped);
  propagate(client, [command, key, String(popped)]);
}

/** popGenericCommand: LPOP/RPOP key [count]. */
export function popCommand(client: Client, argv: BinaryString[], end: End): void {
  if (argv.length > 3) {
    wrongArity(client, end === 'left' ? 'lpop' : 'rpop');
    return;
  }
  const key = argv[1]!;
  const withCount = argv.length === 3;
  let count = 0;
  if (withCount) {
    const n = integerInRange(client, argv[2]!, 0, LONG_MAX, 'ERR value is out of range, must be positive');
    if (n === undefined) return;
    count = n;
  }
  const list = writableAggregate(client, key, ListValue);
  if (list === null) return;
  if (list === undefined) {
    if (withCount) client.reply.nullArray();
    else client.reply.null();
    return;
  }
  if (!withCount) {
    client.reply.bulk(pop(list, end));
    commitRemoval(client, key, list, popEvent(end), 1);
  } else if (count === 0) {
    client.reply.arrayHeader(0);
  } else {
    popRange(client, key, list, end, Math.min(count, list.size));
  }
}

interface MultiPopRequest {
  keys: BinaryString[];
  end: End;
  count: number;
}

/** lmpopGenericCommand's arguments: numkeys key... LEFT|RIGHT [COUNT count]; null after replying. */
function parseMultiPop(client: Client, argv: BinaryString[], numkeysIndex: number): MultiPopRequest | null {
  const numkeys = integerInRange(client, argv[numkeysIndex]!, 1, LONG_MAX, 'ERR numkeys should be greater than 0');
  if (numkeys === undefined) return null;
  const whereIndex = numkeysIndex + numkeys + 1;
  if (whereIndex >= argv.length) {
    client.reply.error(ERR.syntax);
    return null;
  }
  const end = parseEnd(client, argv[whereIndex]!);
  if (end === null) return null;
  let count = -1;
  for (let j = whereIndex + 1; j < argv.length; j++) {
    if (count === -1 && is(argv[j]!, 'count') && j + 1 < argv.length) {
      const n = integerInRange(client, argv[++j]!, 1, LONG_MAX, 'ERR count should be greater than 0');
      if (n === undefined) return null;
      count = n;
    } else {
      client.reply.error(ERR.syntax);
      return null;
    }
  }
  return { keys: argv.slice(numkeysIndex + 1, whereIndex), end, count: count === -1 ? 1 : count };
}

/**
 * Pops from the first of `keys` holding a list (a key of another type: WRONGTYPE). True when it
 * replied (popped, or an error); false when every key was missing and nothing was replied.
 */
function popFirstNonEmpty(client: Client, keys: readonly BinaryString[], end: End, count: number): boolean {
  for (const key of keys) {
    const list = writableAggregate(client, key, ListValue);
    if (list === null) return true;
    if (list === undefined) continue;
    popWithKey(client, key, list, end, count);
    return true;
  }
  return false;
}

/** LMPOP numkeys key... LEFT|RIGHT [COUNT count]. */
export function lmpopCommand(client: Client, argv: BinaryString[]): void {
  const request = parseMultiPop(client, argv, 1);
  if (!request) return;
  if (!popFirstNonEmpty(client, request.keys, request.end, request.count)) client.reply.nullArray();
}

/**
 * lmoveGenericCommand: pops at `from` of `source`, pushes at `to` of `destination` (the same list
 * when the keys are equal: a rotation) and replies the element. False when nothing moved
 * (source missing: null; destination of another type: WRONGTYPE).
 */
function move(client: Client, source: BinaryString, destination: BinaryString, from: End, to: End): boolean {
  const list = writableAggregate(client, source, ListValue);
  if (list === null) return false;
  if (list === undefined) {
    client.reply.null();
    return false;
  }
  const target = destination === source ? { list, existed: true } : listForPush(client, destination);
  if (!target) return false;
  const value = pop(list, from);
  push(target.list, to, value);
  // lmoveGenericCommand counts one change (server.dirty++) for the whole move.
  commitPush(client, destination, target, to, 1);
  client.reply.bulk(value);
  commitRemoval(client, source, list, popEvent(from), 1, 0);
  return true;
}

/** LMOVE source destination LEFT|RIGHT LEFT|RIGHT. */
export function lmoveCommand(client: Client, argv: BinaryString[]): void {
  const from = parseEnd(client, argv[3]!);
  if (from === null) return;
  const to = parseEnd(client, argv[4]!);
  if (to === null) return;
  move(client, argv[1]!, argv[2]!, from, to);
}

export function rpoplpushCommand(client: Client, argv: BinaryString[]): void {
  move(client, argv[1]!, argv[2]!, 'right', 'left');
}

// --- blocking forms -----------------------------------------------------------------------------

/**
 * blockingPopGenericCommand: pops like LPOP/RPOP (`count` -1) or LMPOP from the first key holding
 * a list; when none does, waits for one (or, where blocking is denied, replies a null array).
 */
function blockingPop(client: Client, keys: BinaryString[], end: End, count: number, timeoutArg: BinaryString): void {
  const deadline = parseBlockTimeout(client, timeoutArg);
  if (deadline === null) return;
  if (popFirstNonEmpty(client, keys, end, count)) return;
  if (blockingDenied(client)) {
    client.reply.nullArray();
    return;
  }
  blockForKeys(client, {
    keys,
    deadline,
    type: 'list',
    serve: (key) => popWithKey(client, key, writableAggregate(client, key, ListValue)!, end, count),
  });
}

/** BLPOP/BRPOP key... timeout. */
export function blpopCommand(client: Client, argv: BinaryString[], end: End): void {
  blockingPop(client, argv.slice(1, -1), end, -1, argv[argv.length - 1]!);
}

/** BLMPOP timeout numkeys key... LEFT|RIGHT [COUNT count]: the timeout is checked after the rest. */
export function blmpopCommand(client: Client, argv: BinaryString[]): void {
  const request = parseMultiPop(client, argv, 2);
  if (request) blockingPop(client, request.keys, request.end, request.count, argv[1]!);
}

/** What a BLMOVE / BRPOPLPUSH moves, and how it is propagated. */
interface BlockingMove {
  source: BinaryString;
  destination: BinaryString;
  from: End;
  to: End;
  /** LMOVE's ends as the client wrote them; null for BRPOPLPUSH, propagated as RPOPLPUSH. */
  endArgs: [BinaryString, BinaryString] | null;
}

/**
 * blmoveGenericCommand: LMOVE at once when the source holds a list, else a wait on the source.
 * The effect is the non-blocking command: RPOPLPUSH, or LMOVE with the ends as the client gave
 * them, or once served as "left" / "right" (Redis's shared.left / shared.right).
 */
function blockingMove(client: Client, request: BlockingMove, timeoutArg: BinaryString): void {
  const deadline = parseBlockTimeout(client, timeoutArg);
  if (deadline === null) return;
  const { source, destination, from, to, endArgs } = request;
  const moveAndPropagate = (ends: readonly BinaryString[]): void => {
    if (!move(client, source, destination, from, to)) return;
    propagate(client, endArgs ? ['LMOVE', source, destination, ...ends] : ['RPOPLPUSH', source, destination]);
  };
  const list = writableAggregate(client, source, ListValue);
  if (list === null) return;
  if (list !== undefined) {
    moveAndPropagate(endArgs ?? []);
    return;
  }
  if (blockingDenied(client)) {
    client.reply.null();
    return;
  }
  blockForKeys(client, { keys: [source], deadline, type: 'list', serve: () => moveAndPropagate([from, to]) });
}

/** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout. */
export function blmoveCommand(client: Client, argv: BinaryString[]): void {
  const from = parseEnd(client, argv[3]!);
  if (from === null) return;
  const to = parseEnd(client, argv[4]!);
  if (to === null) return;
  blockingMove(client, { source: argv[1]!, destination: argv[2]!, from, to, endArgs: [argv[3]!, argv[4]!] }, argv[5]!);
}

/** BRPOPLPUSH source destination timeout. */
export function brpoplpushCommand(client: Client, argv: BinaryString[]): void {
  blockingMove(client, { source: argv[1]!, destination: argv[2]!, from: 'right', to: 'left', endArgs: null }, argv[3]!);
}
