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

export class SkipListNode {
  /** next[i]: the following node at level i (next[0] is the in-order successor). */
  readonly next: (SkipListNode | null)[];
  /** span[i]: how many level-0 steps next[i] jumps (0 when next[i] is null on the header). */
  readonly span: number[];
  backward: SkipListNode | null = null;
  /** Position in the owning sorted set's dense array of nodes (see SortedSet). */
  position = -1;

  constructor(
    readonly member: BinaryString,
    public score: number,
    level: number,
  ) {
    this.next = new Array<SkipListNode | null>(level).fill(null);
    this.span = new Array<number>(level).fill(0);
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
    return this.header.next[0]!;
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
    const next = node.next[0]!;
    if ((prev === null || prev.score < score) && (next === null || next.score > score)) {
      node.score = score;
      return;
    }
    this.remove(node);
    node.score = score;
    node.next.fill(null);
    node.span.fill(0);
    node.backward = null;
    this.link(node);
  }

  /** zslGetRank: the 1-based rank of `node`. */
  rankOf(node: SkipListNode): number {
    let x = this.header;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = x.next[i]!;
      while (next !== null && (precedes(next, node.score, node.member) || next === node)) {
        rank += x.span[i]!;
        x = next;
        next = x.next[i]!;
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
      while (x.next[i] !== null && traversed + x.span[i]! <= rank) {
        traversed += x.span[i]!;
        x = x.next[i]!;
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
      while (!range.aboveMin(x)) x = x.next[0]!;
    } else {
      let before = this.header;
      for (let i = this.level - 1; i >= 0; i--) {
        while (before.next[i] !== null && !range.aboveMin(before.next[i]!)) before = before.next[i]!;
      }
      x = before.next[0]!;
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
        while (x.next[i] !== null && range.belowMax(x.next[i]!)) x = x.next[i]!;
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
      while (x.next[i] !== null && traversed + x.span[i]! < start) {
        traversed += x.span[i]!;
        x = x.next[i]!;
      }
      update[i] = x;
    }
    let count = 0;
    let node = x.next[0]!;
    while (node !== null && keep(node)) {
      const next = node.next[0]!;
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
      while (x.next[i] !== null && precedes(x.next[i]!, score, member)) x = x.next[i]!;
      update[i] = x;
    }
  }

  /** The body of zslInsert for an unlinked node whose level is its array length. */
  private link(node: SkipListNode): void {
    const score = node.score;
    const member = node.member;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      rankAt[i] = i === this.level - 1 ? 0 : rankAt[i + 1]!;
      while (x.next[i] !== null && precedes(x.next[i]!, score, member)) {
        rankAt[i] += x.span[i]!;
        x = x.next[i]!;
      }
      update[i] = x;
    }
    const level = node.next.length;
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rankAt[i] = 0;
        update[i] = this.header;
        this.header.span[i] = this.length;
      }
      this.level = level;
    }
    for (let i = 0; i < level; i++) {
      const prev = update[i]!;
      node.next[i] = prev.next[i]!;
      prev.next[i] = node;
      // The new node takes over the part of prev's span that lies after it.
      node.span[i] = prev.span[i]! - (rankAt[0]! - rankAt[i]!);
      prev.span[i] = rankAt[0]! - rankAt[i]! + 1;
    }
    for (let i = level; i < this.level; i++) update[i]!.span[i]!++;
    node.backward = update[0] === this.header ? null : update[0]!;
    const after = node.next[0]!;
    if (after !== null) after.backward = node;
    else this.tail = node;
    this.length++;
  }

  /** zslDeleteNode: unlinks `node` given `update` filled with its predecessors. */
  private unlink(node: SkipListNode): void {
    for (let i = 0; i < this.level; i++) {
      const prev = update[i]!;
      if (prev.next[i] === node) {
        prev.span[i] += node.span[i]! - 1;
        prev.next[i] = node.next[i]!;
      } else {
        prev.span[i]!--;
      }
    }
    const after = node.next[0]!;
    if (after !== null) after.backward = node.backward;
    else this.tail = node.backward;
    while (this.level > 1 && this.header.next[this.level - 1] === null) this.level--;
    this.length--;
  }
}
