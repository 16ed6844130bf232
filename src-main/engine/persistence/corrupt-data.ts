// The one error type of the persistence layer. `offset` is the absolute byte position in the
// file or payload where the problem was found (what Redis prints as "RDB reading offset N"),
// when the thrower knows it.

export class CorruptDataError extends Error {
  constructor(
    message: string,
    readonly offset: number | null = null,
  ) {
    super(message);
    this.name = 'CorruptDataError';
  }
}

/** Thrown by the small blob decoders (listpack, ziplist, intset, zipmap), which see no file offsets. */
export function corrupt(message: string): never {
  throw new CorruptDataError(message);
}
