// BZPOPMIN, BZPOPMAX and BZMPOP (t_zset.c blockingGenericZpopCommand): a pop at once when a key
// holds a sorted set, else a wait through core/blocking.ts.
//
// Replicas and the AOF never see the blocking command, only the pop it amounted to, whether it
// was served at once or after waiting (blocked.c serveClientsBlockedOnSortedSet): ZPOPMIN /
// ZPOPMAX key for BZPOPMIN / BZPOPMAX, with the count popped for BZMPOP.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { SortedSet } from '../keyspace/types/zset.js';
import { blockForKeys, blockingDenied, parseBlockTimeout } from '../core/blocking.js';
import { writableAggregate } from './aggregate-access.js';
import { firstSortedSet, parseMultiPop, popFromSet, propagatePop, type PopReplyShape } from './zset-pop.js';

/**
 * Pops from the first key holding a set, or waits for one. `count` -1 is BZPOPMIN/BZPOPMAX's
 * single pop ([key, member, score]); otherwise BZMPOP's [key, [[member, score]...]].
 */
function blockingPop(client: Client, keys: BinaryString[], highest: boolean, count: number, timeoutArg: BinaryString): void {
  const deadline = parseBlockTimeout(client, timeoutArg);
  if (deadline === null) return;
  const multi = count !== -1;
  const shape: PopReplyShape = { withKey: true, nested: multi, nullWhenNone: true };
  const popAndPropagate = (key: BinaryString, zset: SortedSet): void => {
    const popped = popFromSet(client, key, zset, highest, multi ? count : 1, shape);
    propagatePop(client, key, highest, multi ? popped : null);
  };
  const found = firstSortedSet(client, keys);
  if (found === null) return;
  if (found !== undefined) {
    popAndPropagate(found.key, found.zset);
    return;
  }
  // Where blocking is not allowed (inside MULTI), an empty wait is a timeout at once.
  if (blockingDenied(client)) {
    client.reply.nullArray();
    return;
  }
  blockForKeys(client, {
    keys,
    deadline,
    type: 'zset',
    serve: (key) => popAndPropagate(key, writableAggregate(client, key, SortedSet)!),
  });
}

/** BZPOPMIN / BZPOPMAX key... timeout. */
export function bzpopCommand(client: Client, argv: BinaryString[], highest: boolean): void {
  blockingPop(client, argv.slice(1, -1), highest, -1, argv[argv.length - 1]!);
}

/** BZMPOP timeout numkeys key... MIN|MAX [COUNT count]: the timeout is checked after the rest. */
export function bzmpopCommand(client: Client, argv: BinaryString[]): void {
  const request = parseMultiPop(client, argv, 2);
  if (request) blockingPop(client, request.keys, request.highest, request.count, argv[1]!);
}
