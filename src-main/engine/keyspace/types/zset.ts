// The sorted set value (t_zset.c): a member -> node map for O(1) score lookups plus a skiplist
// with spans for order and rank, the same pair Redis keeps for its 'skiplist' encoding.
//
// Redis stores small sets in a listpack instead ('listpack' encoding while a set has at most
// zset-max-listpack-entries members of at most zset-max-listpack-value bytes). We keep one
// structure for both (O(log n) where a listpack is O(n)) and track the encoding Redis would
// have, so that everything observable matches it:
//   - OBJECT ENCODING and the conversion points: a set turns 'skiplist' when an insertion would
//     break a limit and never turns back; a new set starts compact unless from() or empty()
//     is told it will not fit;
//   - a listpack keeps integral scores as integers, so a compact set stores -0 as 0 (and
//     which members went in before a conversion decides which kept their -0);
//   - a listpack is scanned linearly, which decides lexicographic ranges over unequal scores;
//   - ZSCAN returns a compact set whole, in order, with cursor 0.
// The nodes are also kept in a dense array (removal moves the last one into the hole), which
// gives O(1) random picks and a ZSCAN cursor with Redis's guarantee (see dense-array.ts).
import type { BinaryString } from '../../protocol/request-parser.js';
import type { AggregateValue } from '../value.js';
import { SkipList, type OrderRange, type SkipListNode } from './skiplist.js';
import { randomDistinctPositions, scanDense } from './dense-array.js';

/** zset-max-listpack-entries / zset-max-listpack-value, read from the config by the caller. */
export interface ListpackLimits {
  readonly maxEntries: number;
  readonly maxValueLength: number;
}

/** ZADD's input flags (ZADD_IN_* in server.h). */
export const ZADD_NX = 1;
export const ZADD_XX = 2;
export const ZADD_GT = 4;
export const ZADD_LT = 8;
export const ZADD_INCR = 16;

/**
 * What zsetAdd did: 'added' / 'updated' change the set; 'unchanged' processed the member without
 * changing it (same score); 'skipped' is NX/XX/GT/LT declining (ZADD_OUT_NOP); 'nan' means the
 * increment produced NaN and nothing happened.
 */
export type AddOutcome = 'added' | 'updated' | 'unchanged' | 'skipped' | 'nan';

export interface AddResult {
  outcome: AddOutcome;
  /** The member's score after the call (before -0 normalisation), when processed. */
  score: number;
}

/** A member with its score, as range and pop operations return them. */
export interface ZSetEntry {
  readonly member: BinaryString;
  readonly score: number;
}

export class SortedSet implements AggregateValue {
  readonly type = 'zset' as const;
  private readonly nodes = new Map<BinaryString, SkipListNode>();
  private readonly order = new SkipList();
  private compact = true;
  /** Every node, in no particular order; node.position is its index here. */
  private readonly dense: SkipListNode[] = [];

  /**
   * Builds a set from members and scores (RDB loading, ZUNIONSTORE and friends), with the
   * encoding Redis gives a set built whole: compact when it fits the limits
   * (zsetConvertToListpackIfNeeded). A repeated member keeps its last score.
   */
  static from(entries: Iterable<readonly [BinaryString, number]>, limits: ListpackLimits): SortedSet {
    const list = Array.isArray(entries) ? (entries as (readonly [BinaryString, number])[]) : [...entries];
    const set = new SortedSet();
    set.compact = list.length <= limits.maxEntries && list.every(([member]) => member.length <= limits.maxValueLength);
    for (const [member, score] of list) set.put(member, score);
    return set;
  }

  /**
   * zsetTypeCreate: an empty set that members will be added to one by one, compact unless
   * `sizeHint` (the number expected) already exceeds the limit.
   */
  static empty(sizeHint: number, limits: ListpackLimits): SortedSet {
    const set = new SortedSet();
    set.compact = sizeHint <= limits.maxEntries;
    return set;
  }

  get size(): number {
    return this.nodes.size;
  }

  encoding(): string {
    return this.compact ? 'listpack' : 'skiplist';
  }

  clone(): SortedSet {
    const copy = new SortedSet();
    copy.compact = this.compact;
    // From the greatest down, so every insertion lands at the head (zsetDup does the same).
    for (let node = this.order.last; node !== null; node = node.backward) copy.put(node.member, node.score);
    return copy;
  }

  /** Members and scores in order (lowest score first). */
  *entries(): IterableIterator<[BinaryString, number]> {
    for (let node = this.order.first; node !== null; node = node.next0) yield [node.member, node.score];
  }

  score(member: BinaryString): number | undefined {
    return this.nodes.get(member)?.score;
  }

  has(member: BinaryString): boolean {
    return this.nodes.has(member);
  }

  /** zsetAdd: adds or updates one member according to ZADD_* flags. */
  add(member: BinaryString, score: number, flags: number, limits: ListpackLimits): AddResult {
    if (Number.isNaN(score)) return { outcome: 'nan', score };
    const node = this.nodes.get(member);
    if (node !== undefined) {
      if (flags & ZADD_NX) return { outcome: 'skipped', score };
      const current = node.score;
      if (flags & ZADD_INCR) {
        score += current;
        if (Number.isNaN(score)) return { outcome: 'nan', score };
      }
      if ((flags & ZADD_LT && score >= current) || (flags & ZADD_GT && score <= current)) {
        return { outcome: 'skipped', score };
      }
      if (score === current) return { outcome: 'unchanged', score };
      this.order.updateScore(node, this.stored(score));
      return { outcome: 'updated', score };
    }
    if (flags & ZADD_XX) return { outcome: 'skipped', score };
    // zsetAdd converts a listpack before an insertion that would break a limit.
    if (this.compact && (this.nodes.size + 1 > limits.maxEntries || member.length > limits.maxValueLength)) {
      this.compact = false;
    }
    this.insertNew(member, score);
    return { outcome: 'added', score };
  }

  /** zsetDel: false when the member was not there. */
  remove(member: BinaryString): boolean {
    const node = this.nodes.get(member);
    if (node === undefined) return false;
    this.order.remove(node);
    this.forget(node);
    return true;
  }

  /** zsetRank: 0-based rank, counted from the highest score when `reverse`; -1 if absent. */
  rank(member: BinaryString, reverse: boolean): number {
    const node = this.nodes.get(member);
    if (node === undefined) return -1;
    const rank = this.order.rankOf(node);
    return reverse ? this.size - rank : rank - 1;
  }

  /**
   * Entries at 0-based ranks start..end (both already clamped to the set), from the lowest score,
   * or from the highest when `reverse` (genericZrangebyrankCommand).
   */
  rangeByRank(start: number, end: number, reverse: boolean): ZSetEntry[] {
    const out: ZSetEntry[] = [];
    let node = this.order.byRank(reverse ? this.size - start : start + 1);
    for (let n = end - start + 1; n > 0 && node !== null; n--) {
      out.push(node);
      node = reverse ? node.backward : node.next0;
    }
    return out;
  }

  /**
   * Entries inside `range`, walking up from its low end (or down from its high end when
   * `reverse`), skipping `offset` and returning at most `limit` (negative: no limit), as
   * genericZrangebyscoreCommand / genericZrangebylexCommand do. A negative offset gives nothing,
   * as in Redis 7.0.
   */
  rangeIn(range: OrderRange, reverse: boolean, offset: number, limit: number): ZSetEntry[] {
    const out: ZSetEntry[] = [];
    if (offset < 0) return out;
    let node = reverse ? this.order.lastInRange(range, this.compact) : this.order.firstInRange(range, this.compact);
    if (node !== null && offset > 0) {
      const rank = this.order.rankOf(node);
      node = this.order.byRank(reverse ? rank - offset : rank + offset);
    }
    for (; node !== null && limit !== 0; limit--) {
      if (reverse ? !range.aboveMin(node) : !range.belowMax(node)) break;
      out.push(node);
      node = reverse ? node.backward : node.next0;
    }
    return out;
  }

  /** ZCOUNT / ZLEXCOUNT: by ranks in O(log n), or by walking a compact set as Redis walks a listpack. */
  countIn(range: OrderRange): number {
    const first = this.order.firstInRange(range, this.compact);
    if (first === null) return 0;
    if (this.compact) {
      let count = 0;
      for (let node: SkipListNode | null = first; node !== null && range.belowMax(node); node = node.next0) count++;
      return count;
    }
    const last = this.order.lastInRange(range, false);
    return last === null ? 0 : this.order.rankOf(last) - this.order.rankOf(first) + 1;
  }

  /** ZREMRANGEBYRANK: removes 0-based ranks start..end (clamped); returns how many. */
  removeRankRange(start: number, end: number): number {
    let left = end - start + 1;
    return this.order.removeRun(
      start + 1,
      () => left-- > 0,
      (node) => this.forget(node),
    );
  }

  /** ZREMRANGEBYSCORE / ZREMRANGEBYLEX: removes the entries inside `range`; returns how many. */
  removeIn(range: OrderRange): number {
    const first = this.order.firstInRange(range, this.compact);
    if (first === null) return 0;
    return this.order.removeRun(
      this.order.rankOf(first),
      (node) => range.belowMax(node),
      (node) => this.forget(node),
    );
  }

  /** ZPOPMIN / ZPOPMAX: removes and returns the lowest (or highest) entry, or null when empty. */
  pop(highest: boolean): ZSetEntry | null {
    const node = highest ? this.order.last : this.order.first;
    if (node === null) return null;
    this.order.remove(node);
    this.forget(node);
    return node;
  }

  /** A uniformly random entry of a non-empty set. */
  randomEntry(): ZSetEntry {
    return this.dense[Math.floor(Math.random() * this.dense.length)]!;
  }

  /** `count` distinct random entries (0 < count < size), in random order. */
  randomDistinct(count: number): ZSetEntry[] {
    return randomDistinctPositions(this.size, count).map((position) => this.dense[position]!);
  }

  /**
   * ZSCAN step. A compact set is returned whole with cursor 0, as Redis replies for a listpack;
   * otherwise `count` entries of the dense array from `cursor`, and the next cursor (0 at the end).
   */
  scan(cursor: number, count: number): { cursor: number; entries: ZSetEntry[] } {
    if (this.compact) return { cursor: 0, entries: this.rangeByRank(0, this.size - 1, false) };
    const entries: ZSetEntry[] = [];
    const next = scanDense(this.dense.length, cursor, count, (position) => entries.push(this.dense[position]!));
    return { cursor: next, entries };
  }

  /** The score as stored: a listpack keeps no negative zero. */
  private stored(score: number): number {
    return this.compact ? score + 0 : score;
  }

  /** Inserts a member, or moves it if present (bulk construction). */
  private put(member: BinaryString, score: number): void {
    const existing = this.nodes.get(member);
    if (existing !== undefined) this.order.updateScore(existing, this.stored(score));
    else this.insertNew(member, score);
  }

  /** Inserts a member known to be absent. */
  private insertNew(member: BinaryString, score: number): void {
    const node = this.order.insert(this.stored(score), member);
    this.nodes.set(member, node);
    node.position = this.dense.length;
    this.dense.push(node);
  }

  /** Drops a node already unlinked from the skiplist from the map and the dense array. */
  private forget(node: SkipListNode): void {
    this.nodes.delete(node.member);
    const last = this.dense.pop()!;
    if (last !== node) {
      last.position = node.position;
      this.dense[node.position] = last;
    }
  }
}
