// Parsing of sorted-set range arguments: score bounds ("1.5", "(1.5", "-inf") and lexicographic
// bounds ("[a", "(a", "-", "+"), with Redis's quirks kept (t_zset.c zslParseRange and
// zslParseLexRangeItem work on C strings, so a NUL byte ends a score bound).
import type { BinaryString } from '../protocol/request-parser.js';
import { LEX_MAX, LEX_MIN, LexRange, ScoreRange, type LexBound } from '../keyspace/types/zset-ranges.js';
import { strtod } from './c-strtod.js';

export const RANGE_ERR = {
  score: 'ERR min or max is not a float',
  lex: 'ERR min or max not valid string range item',
} as const;

/** One score bound: strtod over the C string, which must be consumed entirely and not be NaN. */
function scoreBound(arg: BinaryString): { value: number; exclusive: boolean } | null {
  const nul = arg.indexOf('\0');
  let text = nul < 0 ? arg : arg.slice(0, nul);
  const exclusive = text[0] === '(';
  if (exclusive) text = text.slice(1);
  const r = strtod(text);
  if (r.end !== text.length || Number.isNaN(r.value)) return null;
  return { value: r.value, exclusive };
}

/** zslParseRange: null when either bound is invalid. */
export function parseScoreRange(minArg: BinaryString, maxArg: BinaryString): ScoreRange | null {
  const min = scoreBound(minArg);
  const max = scoreBound(maxArg);
  if (min === null || max === null) return null;
  return new ScoreRange(min.value, max.value, min.exclusive, max.exclusive);
}

/** zslParseLexRangeItem: "-" and "+" must stand alone (up to a NUL, as C reads them). */
function lexBound(arg: BinaryString): { value: LexBound; exclusive: boolean } | null {
  switch (arg[0]) {
    case '+':
    case '-':
      if (arg.length > 1 && arg[1] !== '\0') return null;
      return { value: arg[0] === '+' ? LEX_MAX : LEX_MIN, exclusive: true };
    case '(':
      return { value: arg.slice(1), exclusive: true };
    case '[':
      return { value: arg.slice(1), exclusive: false };
    default:
      return null;
  }
}

/** zslParseLexRange: null when either bound is invalid. */
export function parseLexRange(minArg: BinaryString, maxArg: BinaryString): LexRange | null {
  const min = lexBound(minArg);
  const max = lexBound(maxArg);
  if (min === null || max === null) return null;
  return new LexRange(min.value, max.value, min.exclusive, max.exclusive);
}
