// Buffer.copy for the write path's many small copies (a command's bytes into the backlog and into
// each replica's output): Node's copy builds a Uint8Array view of the source on every call, which
// costs more than moving a few dozen bytes one by one. Long runs still go through copy.
const SHORT_COPY = 96;

/** Copies source[sourceStart, sourceEnd) to target at targetStart; returns the bytes copied. */
export function copyBytes(source: Buffer, target: Buffer, targetStart: number, sourceStart: number, sourceEnd: number): number {
  const n = sourceEnd - sourceStart;
  if (n > SHORT_COPY) return source.copy(target, targetStart, sourceStart, sourceEnd);
  for (let i = 0; i < n; i++) target[targetStart + i] = source[sourceStart + i]!;
  return n;
}
