// The two kinds of sorted-set ranges (t_zset.c zrangespec and zlexrangespec), as OrderRange
// predicates over skiplist nodes. Parsing them from command arguments is the command layer's job
// (commands/zset-range-args.ts).
import type { BinaryString } from '../../protocol/request-parser.js';
import type { OrderRange, SkipListNode } from './skiplist.js';

/** Scores between min and max, each end inclusive or exclusive ("(1.5"). */
export class ScoreRange implements OrderRange {
  readonly impossible: boolean;

  constructor(
    readonly min: number,
    readonly max: number,
    readonly minExclusive: boolean,
    readonly maxExclusive: boolean,
  ) {
    this.impossible = min > max || (min === max && (minExclusive || maxExclusive));
  }

  aboveMin(node: SkipListNode): boolean {
    return this.minExclusive ? node.score > this.min : node.score >= this.min;
  }

  belowMax(node: SkipListNode): boolean {
    return this.maxExclusive ? node.score < this.max : node.score <= this.max;
  }
}

/** The "-" and "+" bounds: below and above every string (shared.minstring / maxstring). */
export const LEX_MIN: unique symbol = Symbol('-');
export const LEX_MAX: unique symbol = Symbol('+');
export type LexBound = BinaryString | typeof LEX_MIN | typeof LEX_MAX;

/** sdscmplex: compares two bounds, the infinite ones included. */
function compareLex(a: LexBound, b: LexBound): number {
  if (a === b) return 0;
  if (a === LEX_MIN || b === LEX_MAX) return -1;
  if (a === LEX_MAX || b === LEX_MIN) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Members between min and max in byte order ("[a", "(a", "-", "+"). */
export class LexRange implements OrderRange {
  readonly impossible: boolean;

  constructor(
    readonly min: LexBound,
    readonly max: LexBound,
    readonly minExclusive: boolean,
    readonly maxExclusive: boolean,
  ) {
    const cmp = compareLex(min, max);
    this.impossible = cmp > 0 || (cmp === 0 && (minExclusive || maxExclusive));
  }

  aboveMin(node: SkipListNode): boolean {
    const cmp = compareLex(node.member, this.min);
    return this.minExclusive ? cmp > 0 : cmp >= 0;
  }

  belowMax(node: SkipListNode): boolean {
    const cmp = compareLex(node.member, this.max);
    return this.maxExclusive ? cmp < 0 : cmp <= 0;
  }
}
