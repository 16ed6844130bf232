// The set type (t_set.c). Redis 7.0 has two encodings:
//   - intset while every member is an integer (as string2ll reads it) and there are at most
//     set-max-intset-entries of them: a sorted array, binary search, O(n) insertion, and
//     iteration in ascending numeric order (what SMEMBERS shows for such sets);
//   - hashtable otherwise, for good (a set never converts back except when reloaded).
// Here the members always live in one dense array. Intset: sorted, searched by bisection.
// Hashtable: a Map from member to position is added, and removal moves the last member into the
// hole, so membership, removal and random picks are O(1) and SSCAN can walk the array (see
// dense-array.ts).
import type { BinaryString } from '../../protocol/request-parser.js';
import type { AggregateValue } from '../value.js';
import { parseInteger } from '../../util/numbers.js';
import { scanDense } from './dense-array.js';

/** string2ll's test: the member is stored in an intset as a 64-bit integer. */
function isIntsetMember(member: BinaryString): boolean {
  return parseInteger(member) !== null;
}

export class SetValue implements AggregateValue {
  readonly type = 'set';
  private items: BinaryString[] = [];
  /** Member -> position; null while the set is an intset. */
  private positions: Map<BinaryString, number> | null = null;

  /**
   * A set holding `members` (unique), encoded as Redis encodes it after loading the same contents
   * from an RDB file (rdb.c rdbLoadObject) with this set-max-intset-entries.
   */
  static from(members: Iterable<BinaryString>, maxIntsetEntries: number): SetValue {
    const set = new SetValue();
    for (const member of members) set.add(member, maxIntsetEntries);
    return set;
  }

  get size(): number {
    return this.items.length;
  }

  encoding(): string {
    return this.positions ? 'hashtable' : 'intset';
  }

  has(member: BinaryString): boolean {
    if (this.positions) return this.positions.has(member);
    return isIntsetMember(member) && this.bisect(member) >= 0;
  }

  /** Adds a member; true when it was new. Converts as setTypeAdd does. */
  add(member: BinaryString, maxIntsetEntries: number): boolean {
    if (!this.positions) {
      if (isIntsetMember(member)) {
        const found = this.bisect(member);
        if (found >= 0) return false;
        this.items.splice(-found - 1, 0, member);
        // setTypeAdd caps the limit at 2^30 entries because of intset internals.
        if (this.items.length > Math.min(maxIntsetEntries, 2 ** 30)) this.convertToHashtable();
        return true;
      }
      this.convertToHashtable();
    }
    const positions = this.positions!;
    if (positions.has(member)) return false;
    positions.set(member, this.items.length);
    this.items.push(member);
    return true;
  }

  /** Removes a member; false if it was not there. */
  remove(member: BinaryString): boolean {
    if (!this.positions) {
      if (!isIntsetMember(member)) return false;
      const found = this.bisect(member);
      if (found < 0) return false;
      this.items.splice(found, 1);
      return true;
    }
    const position = this.positions.get(member);
    if (position === undefined) return false;
    this.positions.delete(member);
    const last = this.items.pop()!;
    if (position < this.items.length) {
      this.items[position] = last;
      this.positions.set(last, position);
    }
    return true;
  }

  memberAt(position: number): BinaryString {
    return this.items[position]!;
  }

  /** A uniformly random member (the set must not be empty). */
  randomMember(): BinaryString {
    return this.items[Math.floor(Math.random() * this.items.length)]!;
  }

  /** Members in iteration order: ascending numbers for an intset. */
  members(): IterableIterator<BinaryString> {
    return this.items.values();
  }

  /**
   * One SSCAN step (db.c scanGenericCommand): an intset is returned whole with cursor 0; a
   * hashtable visits about `count` members per call. Returns the next cursor.
   */
  scan(cursor: number, count: number, visit: (member: BinaryString) => void): number {
    const step = (position: number) => visit(this.items[position]!);
    if (this.positions) return scanDense(this.items.length, cursor, count, step);
    for (let i = 0; i < this.items.length; i++) step(i);
    return 0;
  }

  clone(): SetValue {
    const copy = new SetValue();
    copy.items = this.items.slice();
    if (this.positions) copy.positions = new Map(this.positions);
    return copy;
  }

  private convertToHashtable(): void {
    const positions = new Map<BinaryString, number>();
    for (let i = 0; i < this.items.length; i++) positions.set(this.items[i]!, i);
    this.positions = positions;
  }

  /** Intset search: the position of `member`, or -(insertion point) - 1. */
  private bisect(member: BinaryString): number {
    let low = 0;
    let high = this.items.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const order = compareIntegers(this.items[middle]!, member);
      if (order < 0) low = middle + 1;
      else if (order > 0) high = middle - 1;
      else return middle;
    }
    return -low - 1;
  }
}

/**
 * Numeric order of two canonical integer strings (no '+', no leading zeros, no "-0"), exact over
 * the whole int64 range without converting: sign first, then length, then the digits.
 */
function compareIntegers(a: BinaryString, b: BinaryString): number {
  if (a === b) return 0;
  const aNegative = a.charCodeAt(0) === 45;
  const bNegative = b.charCodeAt(0) === 45;
  if (aNegative !== bNegative) return aNegative ? -1 : 1;
  const smallerMagnitude = a.length !== b.length ? a.length < b.length : a < b;
  return smallerMagnitude !== aNegative ? -1 : 1;
}
