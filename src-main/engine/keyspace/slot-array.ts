// An array indexed by slot (see database.ts) that grows in fixed chunks instead of by copying.
//
// Why not a plain JS array: V8 grows one by allocating a copy half again as large. Past a few
// hundred thousand slots that copy lands in fresh memory, and the node stops for the copy plus a
// page fault per 4 KB touched: 1-3 ms at 100k keys, more at a million. Measured on a replica
// taking 20k new keys/s, those stops were a large part of the replication lag's tail. A chunked
// array only ever allocates one more 4096-entry chunk (32 KB), so no write waits for a copy.
const CHUNK_BITS = 12;
const CHUNK_SIZE = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK_SIZE - 1;

export class SlotArray<T> {
  private chunks: T[][] = [];

  /** `empty` fills new chunks: what a slot holds before anything is stored in it. */
  constructor(private readonly empty: T) {}

  get(slot: number): T {
    const chunk = this.chunks[slot >>> CHUNK_BITS];
    return chunk === undefined ? this.empty : chunk[slot & IN_CHUNK]!;
  }

  set(slot: number, value: T): void {
    const chunk = this.chunks[slot >>> CHUNK_BITS] ?? this.addChunksUpTo(slot >>> CHUNK_BITS);
    chunk[slot & IN_CHUNK] = value;
  }

  /** Drops every chunk: all slots read as empty again. */
  clear(): void {
    this.chunks = [];
  }

  private addChunksUpTo(index: number): T[] {
    while (this.chunks.length <= index) this.chunks.push(new Array<T>(CHUNK_SIZE).fill(this.empty));
    return this.chunks[index]!;
  }
}

/**
 * The same for int32s, in typed-array chunks: their memory is outside the JS heap, so the
 * garbage collector neither scans nor copies it (see slot-strings.ts for why that matters). A
 * class of its own rather than SlotArray over typed chunks, so that each get and set, on every
 * command's path, sees one kind of chunk and stays monomorphic.
 */
export class SlotInts {
  private chunks: Int32Array[] = [];

  /** `empty` is what a slot holds before anything is stored in it. */
  constructor(private readonly empty: number) {}

  get(slot: number): number {
    const chunk = this.chunks[slot >>> CHUNK_BITS];
    return chunk === undefined ? this.empty : chunk[slot & IN_CHUNK]!;
  }

  set(slot: number, value: number): void {
    const chunk = this.chunks[slot >>> CHUNK_BITS] ?? this.addChunksUpTo(slot >>> CHUNK_BITS);
    chunk[slot & IN_CHUNK] = value;
  }

  clear(): void {
    this.chunks = [];
  }

  private addChunksUpTo(index: number): Int32Array {
    while (this.chunks.length <= index) {
      const chunk = new Int32Array(CHUNK_SIZE);
      if (this.empty !== 0) chunk.fill(this.empty);
      this.chunks.push(chunk);
    }
    return this.chunks[index]!;
  }
}
