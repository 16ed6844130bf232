// The ordered index of a sorted set: Redis's skiplist with spans (t_zset.c zsl*), so that rank
// lookups (ZRANK, ZRANGE by index, LIMIT offsets) cost O(log n) like insertion and removal.
//
// Nodes are ordered by (score, member); members compare bytewise like sdscmp, which for binary
// strings (one char per byte) is exactly JavaScript's `<` on strings. Each node carries, per
// level, a forward pointer and the number of level-0 steps that pointer skips (its span):
// summing spans along a search path gives a node's 1-based rank.
import type { BinaryString } from '../../protocol/request-parser.js';

/** ZSKIPLIST_MAXLEVEL and ZSKIPLIST_P in server.h. */
const MAX_LEVEL = 32;
const LEVEL_UP_PROBABILITY = 0.25;

/**
 * How many levels a node keeps in its own fields; the rest go to `upper`. With a level-up
 * probability of 1/4, 98% of nodes have at most 3 levels.
 *
 * Why fields and not arrays: an insertion with equal scores (GEOADD of one place, ZADD of equal
 * scores) compares about 4 * log4(n) nodes, and each step's cost is the memory it touches. With
 * per-node next[] and span[] arrays a step read the node, its array object, the array's
 * elements, the next node, its score and its member; with the low levels in fields it reads the
 * next node, its score and its member, as Redis's inline zskiplistLevel does.
 */
const INLINE_LEVELS = 3;

export class SkipListNode {
  backward: SkipListNode | null = null;
  /** Position in the owning sorted set's dense array of nodes (see SortedSet). */
  position = -1;
  /** The following node at level 0 (the in-order successor), 1 and 2 (when the node has them). */
  next0: SkipListNode | null = null;
  next1: SkipListNode | null = null;
  next2: SkipListNode | null = null;
  /** How many level-0 steps next0 / next1 / next2 jump (0 when null on the header). */
  span0 = 0;
  span1 = 0;
  span2 = 0;
  /** Levels from INLINE_LEVELS up: upperNext[i - INLINE_LEVELS] and its span; null below. */
  readonly upperNext: (SkipListNode | null)[] | null;
  readonly upperSpan: number[] | null;

  constructor(
    readonly member: BinaryString,
    public score: number,
    /** How many levels the node is linked on. */
    readonly level: number,
  ) {
    const upper = level - INLINE_LEVELS;
    this.upperNext = upper > 0 ? new Array<SkipListNode | null>(upper).fill(null) : null;
    this.upperSpan = upper > 0 ? new Array<number>(upper).fill(0) : null;
  }
}

/** next[i] of a node that has level i. */
function nextAt(x: SkipListNode, i: number): SkipListNode | null {
  switch (i) {
    case 0:
      return x.next0;
    case 1:
      return x.next1;
    case 2:
      return x.next2;
    default:
      return x.upperNext![i - INLINE_LEVELS]!;
  }
}

function setNextAt(x: SkipListNode, i: number, next: SkipListNode | null): void {
  switch (i) {
    case 0:
      x.next0 = next;
      break;
    case 1:
      x.next1 = next;
      break;
    case 2:
      x.next2 = next;
      break;
    default:
      x.upperNext![i - INLINE_LEVELS] = next;
  }
}

/** span[i] of a node that has level i. */
function spanAt(x: SkipListNode, i: number): number {
  switch (i) {
    case 0:
      return x.span0;
    case 1:
      return x.span1;
    case 2:
      return x.span2;
    default:
      return x.upperSpan![i - INLINE_LEVELS]!;
  }
}

function setSpanAt(x: SkipListNode, i: number, span: number): void {
  switch (i) {
    case 0:
      x.span0 = span;
      break;
    case 1:
      x.span1 = span;
      break;
    case 2:
      x.span2 = span;
      break;
    default:
      x.upperSpan![i - INLINE_LEVELS] = span;
  }
}

/** Empties a node's links before it is linked again (updateScore). */
function clearLinks(x: SkipListNode): void {
  for (let i = 0; i < x.level; i++) {
    setNextAt(x, i, null);
    setSpanAt(x, i, 0);
  }
}

/**
 * A contiguous stretch of the (score, member) order, as the range commands describe it: both
 * score ranges (ZRANGEBYSCORE) and lexicographic ranges (ZRANGEBYLEX) implement it.
 */
export interface OrderRange {
  /** True when no element can be inside: min above max, or equal with an exclusive end. */
  readonly impossible: boolean;
  /** zslValueGteMin / zslLexValueGteMin. */
  aboveMin(node: SkipListNode): boolean;
  /** zslValueLteMax / zslLexValueLteMax. */
  belowMax(node: SkipListNode): boolean;
}

/** True when `node` sorts before (score, member). */
function precedes(node: SkipListNode, score: number, member: BinaryString): boolean {
  return node.score < score || (node.score === score && node.member < member);
}

function randomLevel(): number {
  let level = 1;
  while (Math.random() < LEVEL_UP_PROBABILITY && level < MAX_LEVEL) level++;
  return level;
}

// Scratch vectors for one search (the update[] and rank[] arrays of zslInsert/zslDelete). The
// engine is single-threaded and no search re-enters another, so one shared pair is enough.
const update: SkipListNode[] = new Array<SkipListNode>(MAX_LEVEL);
const rankAt: number[] = new Array<number>(MAX_LEVEL).fill(0);

export class SkipList {
  private readonly header = new SkipListNode('', 0, MAX_LEVEL);
  private tail: SkipListNode | null = null;
  private level = 1;
  length = 0;

  get first(): SkipListNode | null {
    return this.header.next0;
  }

  get last(): SkipListNode | null {
    return this.tail;
  }

  /** zslInsert: adds a node; the caller guarantees the member is not present yet. */
  insert(score: number, member: BinaryString): SkipListNode {
    const node = new SkipListNode(member, score, randomLevel());
    this.link(node);
    return node;
  }

  /** zslDelete: unlinks `node`, which must be in this list. */
  remove(node: SkipListNode): void {
    this.findPredecessors(node.score, node.member);
    this.unlink(node);
  }

  /**
   * zslUpdateScore: gives `node` a new score, in place when its position does not change
   * (the common case of small increments), otherwise by unlinking and relinking it.
   */
  updateScore(node: SkipListNode, score: number): void {
    const prev = node.backward;
    const next = node.next0;
    if ((prev === null || prev.score < score) && (next === null || next.score > score)) {
      node.score = score;
      return;
    }
    this.remove(node);
    node.score = score;
    clearLinks(node);
    node.backward = null;
    this.link(node);
  }

  /** zslGetRank: the 1-based rank of `node`. */
  rankOf(node: SkipListNode): number {
    let x = this.header;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = nextAt(x, i);
      while (next !== null && (precedes(next, node.score, node.member) || next === node)) {
        rank += spanAt(x, i);
        x = next;
        next = nextAt(x, i);
      }
      if (x === node) return rank;
    }
    return 0;
  }

  /** zslGetElementByRank: the node at a 1-based rank, or null when out of bounds. */
  byRank(rank: number): SkipListNode | null {
    if (rank < 1 || rank > this.length) return null;
    let x = this.header;
    let traversed = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = nextAt(x, i);
      while (next !== null && traversed + spanAt(x, i) <= rank) {
        traversed += spanAt(x, i);
        x = next;
        next = nextAt(x, i);
      }
      if (traversed === rank) return x;
    }
    return null;
  }

  /**
   * zslFirstInRange / zzlFirstInRange: the first node inside `range`, or null. `linear` walks
   * level 0 from the head the way Redis scans a listpack: the answer only differs from the
   * skiplist descent for lexicographic ranges over unequal scores, where Redis's small
   * (listpack) sets answer with exactly this scan.
   */
  firstInRange(range: OrderRange, linear: boolean): SkipListNode | null {
    if (!this.overlaps(range)) return null;
    let x: SkipListNode;
    if (linear) {
      x = this.first!;
      while (!range.aboveMin(x)) x = x.next0!;
    } else {
      let before = this.header;
      for (let i = this.level - 1; i >= 0; i--) {
        let next = nextAt(before, i);
        while (next !== null && !range.aboveMin(next)) {
          before = next;
          next = nextAt(before, i);
        }
      }
      x = before.next0!;
    }
    return range.belowMax(x) ? x : null;
  }

  /** zslLastInRange / zzlLastInRange: the last node inside `range`, or null (see firstInRange). */
  lastInRange(range: OrderRange, linear: boolean): SkipListNode | null {
    if (!this.overlaps(range)) return null;
    let x: SkipListNode;
    if (linear) {
      x = this.tail!;
      while (!range.belowMax(x)) x = x.backward!;
    } else {
      x = this.header;
      for (let i = this.level - 1; i >= 0; i--) {
        let next = nextAt(x, i);
        while (next !== null && range.belowMax(next)) {
          x = next;
          next = nextAt(x, i);
        }
      }
    }
    return range.aboveMin(x) ? x : null;
  }

  /**
   * zslDeleteRangeByRank generalised: removes consecutive nodes starting at the 1-based rank
   * `start` while `keep` says so, calling `removed` for each; returns how many went. One
   * descent to the start, then O(1) per removed node.
   */
  removeRun(start: number, keep: (node: SkipListNode) => boolean, removed: (node: SkipListNode) => void): number {
    let x = this.header;
    let traversed = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = nextAt(x, i);
      while (next !== null && traversed + spanAt(x, i) < start) {
        traversed += spanAt(x, i);
        x = next;
        next = nextAt(x, i);
      }
      update[i] = x;
    }
    let count = 0;
    let node = x.next0;
    while (node !== null && keep(node)) {
      const next = node.next0;
      this.unlink(node);
      removed(node);
      count++;
      node = next;
    }
    return count;
  }

  /** zslIsInRange: whether any node can be inside (cheap checks against both ends). */
  private overlaps(range: OrderRange): boolean {
    if (range.impossible) return false;
    const tail = this.tail;
    if (tail === null || !range.aboveMin(tail)) return false;
    return range.belowMax(this.first!);
  }

  /** Fills `update` with the last node before (score, member) on every level. */
  private findPredecessors(score: number, member: BinaryString): void {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = nextAt(x, i);
      while (next !== null && precedes(next, score, member)) {
        x = next;
        next = nextAt(x, i);
      }
      update[i] = x;
    }
  }

  /** The body of zslInsert for an unlinked node. */
  private link(node: SkipListNode): void {
    const score = node.score;
    const member = node.member;
    let x = this.header;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = nextAt(x, i);
      while (next !== null && precedes(next, score, member)) {
        rank += spanAt(x, i);
        x = next;
        next = nextAt(x, i);
      }
      rankAt[i] = rank;
      update[i] = x;
    }
    const level = node.level;
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rankAt[i] = 0;
        update[i] = this.header;
        setSpanAt(this.header, i, this.length);
      }
      this.level = level;
    }
    for (let i = 0; i < level; i++) {
      const prev = update[i]!;
      setNextAt(node, i, nextAt(prev, i));
      setNextAt(prev, i, node);
      // The new node takes over the part of prev's span that lies after it.
      setSpanAt(node, i, spanAt(prev, i) - (rank - rankAt[i]!));
      setSpanAt(prev, i, rank - rankAt[i]! + 1);
    }
    for (let i = level; i < this.level; i++) setSpanAt(update[i]!, i, spanAt(update[i]!, i) + 1);
    node.backward = update[0] === this.header ? null : update[0]!;
    const after = node.next0;
    if (after !== null) after.backward = node;
    else this.tail = node;
    this.length++;
  }

  /** zslDeleteNode: unlinks `node` given `update` filled with its predecessors. */
  private unlink(node: SkipListNode): void {
    for (let i = 0; i < this.level; i++) {
      const prev = update[i]!;
      if (nextAt(prev, i) === node) {
        setSpanAt(prev, i, spanAt(prev, i) + spanAt(node, i) - 1);
        setNextAt(prev, i, nextAt(node, i));
      } else {
        setSpanAt(prev, i, spanAt(prev, i) - 1);
      }
    }
    const after = node.next0;
    if (after !== null) after.backward = node.backward;
    else this.tail = node.backward;
    while (this.level > 1 && nextAt(this.header, this.level - 1) === null) this.level--;
    this.length--;
  }
}
