// Binary strings by slot, kept as bytes in buffers outside the JS heap: the keyspace's keys
// (slot-table.ts) and string values (database.ts) live here.
//
// Why not keep the JS strings: every key a node stores arrives as a fresh string, and V8 copies a
// young object that survives twice (into the survivor space at one scavenge, into the old
// generation at the next). A node taking 20k new keys a second did about 25 scavenges a second,
// each copying 80-100 KB of new keys and values for 0.6-0.8 ms; on a replica each of those pauses
// holds up the master's stream, and they were the replication lag's p99 (docs/benchmarks.md,
// "Lag, 2026-11-23"). Copied into these buffers, the strings the parser made die young, which
// costs a scavenge nothing, and the collector never sees the stored bytes. A read makes a new
// string from the bytes (one copy, short-lived again).
//
// Layout: 1 MiB pages, each string in a block rounded up to a size class (8-byte steps up to 256
// bytes, then eight classes per doubling up to INLINE_MAX, 128 KB, so that past 256 bytes a block
// is never more than an eighth larger than its string). A freed block goes on its class's free
// list and is reused by the next string of that class. Pages are never compacted or given back
// while the database holds keys; they go when it empties (FLUSHDB, FLUSHALL, its last key
// deleted). So after deleting most of a large dataset the node's RSS stays where it was until new
// strings fill the freed blocks (used_memory does drop: keyspace/used-memory.ts). Redis's RSS stays up
// too after such deletes (its allocator cannot return a page that still holds one live
// allocation), though it does return pages left entirely empty. A string longer than INLINE_MAX
// stays a JS string: V8 keeps strings that large in a space of their own and never copies them,
// so they cost a scavenge nothing either.
//
// Per slot two ints say where a string is: its block's address (page << 17 | offset / 8) and its
// length, or NONE (no string in the slot) or LARGE (see `large`).
import { freedUntilCollected } from './used-memory.js';
import { SlotArray, SlotInts } from './slot-array.js';

const PAGE_BITS = 20;
const PAGE_SIZE = 1 << PAGE_BITS;
/** Addresses count 8-byte units, so an int32 covers 16,384 pages (16 GiB) of strings. */
const UNIT_BITS = 3;
const OFFSET_UNITS_BITS = PAGE_BITS - UNIT_BITS;
const OFFSET_UNITS_MASK = (1 << OFFSET_UNITS_BITS) - 1;
const MAX_PAGES = 1 << (31 - OFFSET_UNITS_BITS);
/** V8's largest regular object (kMaxRegularHeapObjectSize): longer strings are never copied. */
export const INLINE_MAX = 128 * 1024;
const SMALL_MAX = 256;
const SMALL_STEP_BITS = 3;
const SMALL_CLASSES = SMALL_MAX >> SMALL_STEP_BITS;
const SMALL_MAX_BITS = 8;
/** Above SMALL_MAX: 2^SPLIT_BITS classes per doubling. */
const SPLIT_BITS = 3;
/** Strings up to this length are copied char by char; longer ones by Buffer's native latin1 write. */
const COPY_LOOP_MAX = 48;

/** Length marks: the slot holds no string, or a JS string in `large`. */
const NONE = -1;
const LARGE = -2;

/**
 * Where a stored string's bytes are: `bytes[start..end)`. Filled in by bytesOf, so that a writer
 * (a snapshot) can encode them without making a string; valid until the store next changes.
 */
export interface ByteRange {
  bytes: Uint8Array;
  start: number;
  end: number;
}

/** The size class of a string of `length` bytes (1 <= length <= INLINE_MAX). */
export function sizeClass(length: number): number {
  if (length <= SMALL_MAX) return (length + (1 << SMALL_STEP_BITS) - 1) >> SMALL_STEP_BITS;
  // 2^power < length <= 2^(power + 1), cut into steps of 2^(power - SPLIT_BITS).
  const power = 31 - Math.clz32(length - 1);
  const stepBits = power - SPLIT_BITS;
  const steps = (length - (1 << power) + (1 << stepBits) - 1) >> stepBits;
  return SMALL_CLASSES + ((power - SMALL_MAX_BITS) << SPLIT_BITS) + steps;
}

/** The block size of size class `cls`: the longest string it holds. */
export function classBytes(cls: number): number {
  if (cls <= SMALL_CLASSES) return cls << SMALL_STEP_BITS;
  const k = cls - SMALL_CLASSES - 1;
  const power = SMALL_MAX_BITS + (k >> SPLIT_BITS);
  return (1 << power) + (((k & ((1 << SPLIT_BITS) - 1)) + 1) << (power - SPLIT_BITS));
}

export class SlotStrings {
  private readonly pages: Buffer[] = [];
  /** Next free byte in the last page (a full page to start with, so the first string adds one). */
  private top = PAGE_SIZE;
  /** Per size class: addresses of freed blocks. */
  private readonly freeLists: number[][] = [];
  private readonly addresses = new SlotInts(0);
  private readonly lengths = new SlotInts(NONE);
  private readonly large = new SlotArray<string | undefined>(undefined);
  /** Bytes in blocks holding strings (for tests and memory accounting). */
  private usedBytes = 0;

  get allocatedBytes(): number {
    return this.usedBytes;
  }

  /** Bytes of this store's pages that hold no string: freed blocks and the last page's rest. */
  get unusedBytes(): number {
    return this.pages.length * PAGE_SIZE - this.usedBytes;
  }

  /**
   * The owner drops this store (a flush, the last key removed): its pages are memory no longer
   * in use from now on, though only a full collection gives them back (see used-memory.ts).
   */
  release(): void {
    freedUntilCollected(this.pages.length * PAGE_SIZE);
  }

  /** Pages allocated so far (for tests: freed blocks are reused before a page is added). */
  get pageCount(): number {
    return this.pages.length;
  }

  /** The string in `slot` (a new JS string each time), or undefined. */
  get(slot: number): string | undefined {
    const length = this.lengths.get(slot);
    if (length > 0) {
      const address = this.addresses.get(slot);
      const page = this.pages[address >>> OFFSET_UNITS_BITS]!;
      const offset = (address & OFFSET_UNITS_MASK) << UNIT_BITS;
      return page.latin1Slice(offset, offset + length);
    }
    if (length === 0) return '';
    return length === LARGE ? this.large.get(slot) : undefined;
  }

  /**
   * Points `range` at the bytes of the string in `slot`, without copying them. False when the
   * slot holds none, or holds one of the long strings kept as JS strings (read those with get).
   */
  bytesOf(slot: number, range: ByteRange): boolean {
    const length = this.lengths.get(slot);
    if (length < 0) return false;
    if (length === 0) {
      range.start = range.end = 0;
      return true;
    }
    const address = this.addresses.get(slot);
    const offset = (address & OFFSET_UNITS_MASK) << UNIT_BITS;
    range.bytes = this.pages[address >>> OFFSET_UNITS_BITS]!;
    range.start = offset;
    range.end = offset + length;
    return true;
  }

  /** Whether `slot` holds exactly `s`, compared byte by byte without making a string. */
  equals(slot: number, s: string): boolean {
    const length = this.lengths.get(slot);
    if (length !== s.length) return length === LARGE && this.large.get(slot) === s;
    const address = this.addresses.get(slot);
    const page = this.pages[address >>> OFFSET_UNITS_BITS];
    if (page === undefined) return length === 0;
    const offset = (address & OFFSET_UNITS_MASK) << UNIT_BITS;
    for (let i = 0; i < length; i++) if (page[offset + i] !== s.charCodeAt(i)) return false;
    return true;
  }

  /** Stores `s` (one char per byte) in `slot`, replacing what was there. */
  set(slot: number, s: string): void {
    this.delete(slot);
    const length = s.length;
    if (length > INLINE_MAX) {
      this.large.set(slot, s);
      this.lengths.set(slot, LARGE);
      return;
    }
    this.lengths.set(slot, length);
    if (length === 0) return;
    const address = this.allocate(length);
    this.addresses.set(slot, address);
    const page = this.pages[address >>> OFFSET_UNITS_BITS]!;
    const offset = (address & OFFSET_UNITS_MASK) << UNIT_BITS;
    if (length <= COPY_LOOP_MAX) {
      for (let i = 0; i < length; i++) page[offset + i] = s.charCodeAt(i);
    } else {
      page.latin1Write(s, offset, length);
    }
  }

  /** Empties `slot`, giving its block back. */
  delete(slot: number): void {
    const length = this.lengths.get(slot);
    if (length === NONE) return;
    if (length > 0) {
      const cls = sizeClass(length);
      (this.freeLists[cls] ??= []).push(this.addresses.get(slot));
      this.usedBytes -= classBytes(cls);
    } else if (length === LARGE) {
      this.large.set(slot, undefined);
    }
    this.lengths.set(slot, NONE);
  }

  private allocate(length: number): number {
    const cls = sizeClass(length);
    const bytes = classBytes(cls);
    this.usedBytes += bytes;
    const free = this.freeLists[cls];
    if (free !== undefined && free.length !== 0) return free.pop()!;
    if (this.top + bytes > PAGE_SIZE) {
      if (this.pages.length === MAX_PAGES) throw new Error('ERR string storage is full (16 GiB)');
      // allocUnsafeSlow: a page of its own, not a slice of Node's shared pool; every byte of a
      // block is written before it is read.
      this.pages.push(Buffer.allocUnsafeSlow(PAGE_SIZE));
      this.top = 0;
    }
    const address = ((this.pages.length - 1) << OFFSET_UNITS_BITS) | (this.top >>> UNIT_BITS);
    this.top += bytes;
    return address;
  }
}
