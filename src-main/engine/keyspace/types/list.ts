// The list type (t_list.c). Redis 7.0 keeps every list in a quicklist (a linked list of
// listpacks), so OBJECT ENCODING always says "quicklist" — the small-list "listpack" encoding
// only arrived in 7.2. What users rely on is the quicklist's complexity: O(1) push and pop at
// both ends, O(n) search, insertion and removal in the middle.
//
// Here a list is a ring buffer: a power-of-two array with a moving head. Pushing and popping at
// either end is O(1) (amortised over the doublings), and unlike a quicklist, indexing is O(1)
// too, so LINDEX / LSET / LRANGE cost no walk. Insertion and removal in the middle shift the
// shorter side. Elements are binary strings (one char per byte), as everywhere in the keyspace.
import type { BinaryString } from '../../protocol/request-parser.js';
import type { AggregateValue } from '../value.js';

const MIN_CAPACITY = 4;

export class ListValue implements AggregateValue {
  readonly type = 'list';
  private slots: (BinaryString | undefined)[];
  /** slots.length - 1; slots.length is a power of two, so `& mask` wraps an index. */
  private mask: number;
  private head = 0;
  private length = 0;

  constructor(capacity = MIN_CAPACITY) {
    let size = MIN_CAPACITY;
    while (size < capacity) size *= 2;
    this.slots = new Array<BinaryString | undefined>(size);
    this.mask = size - 1;
  }

  /** A list holding `items`, head first (RDB loading, RESTORE, tests). */
  static from(items: Iterable<BinaryString>): ListValue {
    const array = Array.isArray(items) ? (items as BinaryString[]) : [...items];
    const list = new ListValue(array.length);
    for (let i = 0; i < array.length; i++) list.slots[i] = array[i];
    list.length = array.length;
    return list;
  }

  get size(): number {
    return this.length;
  }

  encoding(): string {
    return 'quicklist';
  }

  clone(): ListValue {
    return ListValue.from(this.items());
  }

  /** Every element, head to tail. */
  *items(): IterableIterator<BinaryString> {
    for (let i = 0; i < this.length; i++) yield this.slots[(this.head + i) & this.mask]!;
  }

  // --- both ends -----------------------------------------------------------------------------

  pushHead(value: BinaryString): void {
    if (this.length === this.slots.length) this.resize(this.slots.length * 2);
    this.head = (this.head - 1) & this.mask;
    this.slots[this.head] = value;
    this.length++;
  }

  pushTail(value: BinaryString): void {
    if (this.length === this.slots.length) this.resize(this.slots.length * 2);
    this.slots[(this.head + this.length) & this.mask] = value;
    this.length++;
  }

  popHead(): BinaryString | undefined {
    if (this.length === 0) return undefined;
    const value = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.length--;
    this.shrinkIfSparse();
    return value;
  }

  popTail(): BinaryString | undefined {
    if (this.length === 0) return undefined;
    const at = (this.head + this.length - 1) & this.mask;
    const value = this.slots[at];
    this.slots[at] = undefined;
    this.length--;
    this.shrinkIfSparse();
    return value;
  }

  /** Drops `count` elements from the head and `tailCount` from the tail (LTRIM, LPOP count). */
  trim(count: number, tailCount = 0): void {
    count = Math.min(count, this.length);
    tailCount = Math.min(tailCount, this.length - count);
    for (let i = 0; i < count; i++) this.slots[(this.head + i) & this.mask] = undefined;
    for (let i = this.length - tailCount; i < this.length; i++) this.slots[(this.head + i) & this.mask] = undefined;
    this.head = (this.head + count) & this.mask;
    this.length -= count + tailCount;
    this.shrinkIfSparse();
  }

  // --- by index (0 = head; callers resolve negative indexes) ---------------------------------

  /** The element at `index`, or undefined outside 0..size-1. */
  at(index: number): BinaryString | undefined {
    if (index < 0 || index >= this.length) return undefined;
    return this.slots[(this.head + index) & this.mask];
  }

  /** Replaces the element at `index`; false outside 0..size-1. */
  set(index: number, value: BinaryString): boolean {
    if (index < 0 || index >= this.length) return false;
    this.slots[(this.head + index) & this.mask] = value;
    return true;
  }

  /** Inserts `value` so that it ends up at `index` (0..size), shifting the shorter side. */
  insert(index: number, value: BinaryString): void {
    if (index <= 0) return this.pushHead(value);
    if (index >= this.length) return this.pushTail(value);
    if (this.length === this.slots.length) this.resize(this.slots.length * 2);
    const { mask } = this;
    if (index < this.length / 2) {
      // Move the first `index` elements one slot towards the head.
      this.head = (this.head - 1) & mask;
      for (let i = 0; i < index; i++) this.slots[(this.head + i) & mask] = this.slots[(this.head + i + 1) & mask];
    } else {
      for (let i = this.length; i > index; i--) this.slots[(this.head + i) & mask] = this.slots[(this.head + i - 1) & mask];
    }
    this.slots[(this.head + index) & mask] = value;
    this.length++;
  }

  /** Index of the first element equal to `value`, head to tail, or -1 (LINSERT's pivot). */
  indexOf(value: BinaryString): number {
    for (let i = 0; i < this.length; i++) if (this.slots[(this.head + i) & this.mask] === value) return i;
    return -1;
  }

  /**
   * Removes up to `limit` elements equal to `value` (0 = all), scanning from the tail when
   * `fromTail` (LREM with a negative count). One compacting pass: O(n). Returns how many went.
   */
  removeMatching(value: BinaryString, limit: number, fromTail: boolean): number {
    const n = this.length;
    const { mask } = this;
    const at = (i: number) => (fromTail ? (this.head + n - 1 - i) & mask : (this.head + i) & mask);
    let removed = 0;
    let write = 0;
    for (let read = 0; read < n; read++) {
      const element = this.slots[at(read)];
      if (element === value && (limit === 0 || removed < limit)) {
        removed++;
        continue;
      }
      if (write !== read) this.slots[at(write)] = element;
      write++;
    }
    if (removed === 0) return 0;
    // The survivors are packed at the scan's starting end; clear the vacated slots at the other.
    for (let i = write; i < n; i++) this.slots[at(i)] = undefined;
    if (fromTail) this.head = (this.head + removed) & mask;
    this.length = write;
    this.shrinkIfSparse();
    return removed;
  }

  // --- storage ---------------------------------------------------------------------------------

  private resize(capacity: number): void {
    const slots = new Array<BinaryString | undefined>(capacity);
    for (let i = 0; i < this.length; i++) slots[i] = this.slots[(this.head + i) & this.mask];
    this.slots = slots;
    this.mask = capacity - 1;
    this.head = 0;
  }

  /** Gives memory back once a list that grew big is mostly empty (a drained queue). */
  private shrinkIfSparse(): void {
    const capacity = this.slots.length;
    if (capacity > 64 && this.length < capacity / 4) this.resize(capacity / 2);
  }
}
