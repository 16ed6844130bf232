// The value syntax of `notify-keyspace-events` (notify.c keyspaceEventsStringToFlags and
// keyspaceEventsFlagsToString): which letters are kept and how CONFIG GET shows them. The config
// stores the canonical form; core/keyspace-events.ts turns it into the notifications themselves.

/** The event classes 'A' stands for. */
export const ALL_CLASSES = 'g$lshzxetd';

/**
 * notify.c keyspaceEventsStringToFlags then keyspaceEventsFlagsToString, except that 'n' is kept
 * after 'A' ("KEA" -> "AKE", "lgKx" -> "glxK", "AKEn" -> "AnKE"): 'A' does not include 'n', so
 * the flags Redis keeps hold it even though CONFIG GET does not show it (see eventFlagsShown).
 * This is the form the config stores. `flags` holds only valid letters.
 */
export function canonicalEventFlags(flags: string): string {
  const has = new Set(flags.replace('A', ALL_CLASSES));
  let out = [...ALL_CLASSES].every((c) => has.has(c))
    ? 'A'
    : ALL_CLASSES.split('')
        .filter((c) => has.has(c))
        .join('');
  for (const c of 'nKEm') if (has.has(c)) out += c;
  return out;
}

/** What CONFIG GET shows (keyspaceEventsFlagsToString): 'A' hides 'n' though it stays enabled. */
export function eventFlagsShown(canonical: string): string {
  return canonical.startsWith('A') ? canonical.replace('n', '') : canonical;
}
