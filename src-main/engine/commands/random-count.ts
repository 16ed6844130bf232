// The count argument of HRANDFIELD, SRANDMEMBER and ZRANDMEMBER: any long except LONG_MIN, whose
// negation (a negative count means "with repetitions") would overflow
// (getRangeLongFromObjectOrReply(c, argv[2], -LONG_MAX, LONG_MAX, ...) in t_hash.c/t_set.c/t_zset.c).
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { ERR } from '../core/replies.js';
import { INT64, parseInt64 } from '../util/numbers.js';

/** The count as a bigint (callers range-check further before using it as a number), or null after replying. */
export function randomCountArg(client: Client, arg: BinaryString): bigint | null {
  const count = parseInt64(arg);
  if (count === null) {
    client.reply.error(ERR.notInteger);
    return null;
  }
  if (count < -INT64.MAX) {
    client.reply.error(`ERR value is out of range, value must between ${-INT64.MAX} and ${INT64.MAX}`);
    return null;
  }
  return count;
}
