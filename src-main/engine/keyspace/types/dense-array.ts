// Operations by position over aggregates kept in dense arrays (hashes and sets): cursor scans
// and random samples.
//
// Redis's promise for HSCAN/SSCAN (dict.c dictScan): an element present from the first call to
// the last is returned at least once; elements added or removed meanwhile may or may not be.
// Our hashtable encodings keep their elements in a dense array and delete by moving the LAST
// element into the freed position (O(1), and random picks stay O(1)). Walking that array from
// the end towards position 0 keeps the promise:
//   - the cursor c means "positions [0, c) are still to visit";
//   - a deletion moves the last element down. If that element was already visited (it sat at
//     or above c), it may be visited again (a duplicate, which Redis allows too); if it was not
//     (the array shrank below c), it moves to a lower, still unvisited position;
//   - additions are appended at the end, in the visited region or just above it.
// Cursor 0 starts a scan (at the end) and is also what a finished scan returns.

/**
 * Visits positions downwards from `cursor` (0 = from the end), `count` of them, and returns the
 * cursor for the next call (0 when position 0 was reached).
 */
export function scanDense(length: number, cursor: number, count: number, visit: (position: number) => void): number {
  const start = cursor === 0 || cursor > length ? length : cursor;
  const stop = Math.max(0, start - count);
  for (let position = start - 1; position >= stop; position--) visit(position);
  return stop;
}

/**
 * `count` distinct random positions out of `size` (count < size), for HRANDFIELD/SRANDMEMBER
 * with a positive count. Like t_set.c srandmemberWithCountCommand, a count close to the size
 * shuffles all positions (CASE 3), a small one samples until it has enough distinct ones (CASE 4).
 */
export function randomDistinctPositions(size: number, count: number): number[] {
  if (count * 3 > size) {
    const positions = Array.from({ length: size }, (_, i) => i);
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(Math.random() * (size - i));
      [positions[i], positions[j]] = [positions[j]!, positions[i]!];
    }
    positions.length = count;
    return positions;
  }
  const picked = new Set<number>();
  while (picked.size < count) picked.add(Math.floor(Math.random() * size));
  return [...picked];
}
