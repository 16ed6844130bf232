// Argument parsing shared by the stream commands (t_stream.c streamGenericParseIDOrReply,
// streamParseAddOrTrimArgsOrReply; timeout.c getTimeoutFromObjectOrReply in milliseconds).
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { ERR, is } from '../core/replies.js';
import { parseInt64 } from '../util/numbers.js';
import { MAX_ID, MIN_ID, UINT64_MAX, type StreamId, type TrimStrategy } from '../keyspace/types/stream.js';

export const INVALID_ID = 'ERR Invalid stream ID specified as stream command argument';

/**
 * string2ull: string2ll's strict form first (a negative value is refused), else what strtoull
 * accepts in base 10 (leading spaces, a sign, leading zeros) without overflow.
 */
function string2ull(s: string): bigint | null {
  const strict = parseInt64(s);
  if (strict !== null) return strict < 0n ? null : strict;
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/.exec(s);
  if (!m) return null;
  const n = BigInt(m[2]!);
  if (n > UINT64_MAX) return null;
  return m[1] === '-' ? BigInt.asUintN(64, -n) : n;
}

export interface ParsedId extends StreamId {
  /** False for XADD's "<ms>-*" form (only when allowed). */
  seqGiven: boolean;
}

/**
 * streamGenericParseIDOrReply: "<ms>-<seq>", "<ms>" (seq = missingSeq), "-" and "+" unless
 * strict, and "<ms>-*" when allowPartial. Null after replying the error.
 */
export function parseStreamId(
  client: Client | null,
  arg: BinaryString,
  missingSeq: bigint,
  strict: boolean,
  allowPartial = false,
): ParsedId | null {
  // Redis copies the argument into a C string: it ends at the first NUL.
  const nul = arg.indexOf('\0');
  const buf = nul === -1 ? arg : arg.slice(0, nul);
  const fail = (): null => {
    client?.reply.error(INVALID_ID);
    return null;
  };
  if (arg.length > 127) return fail();
  if (buf === '-' || buf === '+') {
    if (strict) return fail();
    return { ...(buf === '-' ? MIN_ID : MAX_ID), seqGiven: true };
  }
  const dash = buf.indexOf('-');
  const ms = string2ull(dash === -1 ? buf : buf.slice(0, dash));
  if (ms === null) return fail();
  if (dash === -1) return { ms, seq: missingSeq, seqGiven: true };
  const rest = buf.slice(dash + 1);
  if (allowPartial && rest === '*') return { ms, seq: 0n, seqGiven: false };
  const seq = string2ull(rest);
  if (seq === null) return fail();
  return { ms, seq, seqGiven: true };
}

/** streamParseIntervalIDOrReply: a "(" prefix (with more after it) makes the bound exclusive and the ID strict. */
export function parseIntervalId(client: Client, arg: BinaryString, missingSeq: bigint): { id: StreamId; exclusive: boolean } | null {
  const exclusive = arg.length > 1 && arg[0] === '(';
  const id = exclusive ? parseStreamId(client, arg.slice(1), missingSeq, true) : parseStreamId(client, arg, missingSeq, false);
  return id && { id, exclusive };
}

/** streamAddTrimArgs. */
export interface AddTrimArgs {
  id: ParsedId | null;
  noMkStream: boolean;
  trim: TrimStrategy | null;
  /** Index of the count / ID of MAXLEN / MINID in argv, for the rewrite. */
  trimArgIndex: number;
  approx: boolean;
  limit: number;
  /** XADD: the index of the ID argument. */
  idIndex: number;
}

const TRIM_BOTH = 'ERR syntax error, MAXLEN and MINID options at the same time are not compatible';

/** streamParseAddOrTrimArgsOrReply (xadd: also NOMKSTREAM and the ID). Null after replying. */
export function parseAddOrTrimArgs(client: Client, argv: BinaryString[], xadd: boolean): AddTrimArgs | null {
  const args: AddTrimArgs = { id: null, noMkStream: false, trim: null, trimArgIndex: 0, approx: false, limit: 0, idIndex: 0 };
  let limitGiven = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const moreArgs = argv.length - 1 - i;
    const opt = argv[i]!;
    if (xadd && opt === '*') break;
    if ((is(opt, 'maxlen') || is(opt, 'minid')) && moreArgs) {
      if (args.trim !== null) {
        client.reply.error(TRIM_BOTH);
        return null;
      }
      args.approx = false;
      const next = argv[i + 1]!;
      if (moreArgs >= 2 && next === '~') {
        args.approx = true;
        i++;
      } else if (moreArgs >= 2 && next === '=') {
        i++;
      }
      if (is(opt, 'maxlen')) {
        const maxlen = parseInt64(argv[i + 1]!);
        if (maxlen === null) {
          client.reply.error(ERR.notInteger);
          return null;
        }
        if (maxlen < 0n) {
          client.reply.error('ERR The MAXLEN argument must be >= 0.');
          return null;
        }
        args.trim = { kind: 'maxlen', maxlen: Number(maxlen) };
      } else {
        const minId = parseStreamId(client, argv[i + 1]!, 0n, true);
        if (minId === null) return null;
        args.trim = { kind: 'minid', minId: { ms: minId.ms, seq: minId.seq } };
      }
      i++;
      args.trimArgIndex = i;
    } else if (is(opt, 'limit') && moreArgs) {
      const limit = parseInt64(argv[i + 1]!);
      if (limit === null) {
        client.reply.error(ERR.notInteger);
        return null;
      }
      if (limit < 0n) {
        client.reply.error('ERR The LIMIT argument must be >= 0.');
        return null;
      }
      args.limit = Number(limit);
      limitGiven = true;
      i++;
    } else if (xadd && is(opt, 'nomkstream')) {
      args.noMkStream = true;
    } else if (xadd) {
      // Anything else is the ID, or a syntax error reported as an invalid ID.
      args.id = parseStreamId(client, opt, 0n, true, true);
      if (args.id === null) return null;
      break;
    } else {
      client.reply.error(ERR.syntax);
      return null;
    }
  }
  args.idIndex = i;
  if (args.limit && args.trim === null) {
    client.reply.error('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
    return null;
  }
  if (!xadd && args.trim === null) {
    client.reply.error('ERR syntax error, XTRIM must be called with a trimming strategy');
    return null;
  }
  if (client.isMaster || client.isAofReplay) {
    // The master and the AOF send trimming already rewritten to be exact: never limit it.
    args.limit = 0;
  } else if (limitGiven) {
    if (!args.approx) {
      client.reply.error('ERR syntax error, LIMIT cannot be used without the special ~ option');
      return null;
    }
  } else {
    // At most 100 nodes' worth of work for an approximate trim; an exact one is never limited.
    args.limit = args.approx ? 100 * client.server.config.int('stream-node-max-entries') : 0;
  }
  return args;
}

/**
 * getTimeoutFromObjectOrReply with UNIT_MILLISECONDS: the absolute deadline (0: forever), or
 * null after replying.
 */
export function parseMillisTimeout(client: Client, arg: BinaryString): number | null {
  const ms = parseInt64(arg);
  if (ms === null) {
    client.reply.error('ERR timeout is not an integer or out of range');
    return null;
  }
  if (ms < 0n) {
    client.reply.error('ERR timeout is negative');
    return null;
  }
  if (ms === 0n) return 0;
  const now = Date.now();
  // 7.0 adds the time without an overflow check (7.2 added "timeout is out of range"): a sum past
  // LLONG_MAX wraps negative, a deadline already passed.
  if (ms > (1n << 63n) - 1n - BigInt(now)) return 1;
  return now + Number(ms);
}
