// Number parsing with Redis's exact rules (util.c string2ll / memtoull), shared by the config
// parser and command arguments. Redis rejects what C's strtoll would silently accept: spaces,
// '+' signs, leading zeros, "-0", trailing garbage.

const INTEGER = /^-?(0|[1-9][0-9]*)$/;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** string2ll as a JS number; null when not an integer or outside the 64-bit range. */
export function parseInteger(text: string): number | null {
  if (text.length > 20 || !INTEGER.test(text) || text === '-0') return null;
  const n = Number(text);
  if (!Number.isSafeInteger(n)) {
    const big = BigInt(text);
    if (big > INT64_MAX || big < INT64_MIN) return null;
  }
  return n;
}

/** string2ll exactly, for arithmetic that must not lose precision (INCRBY and friends). */
export function parseInt64(text: string): bigint | null {
  if (text.length > 20 || !INTEGER.test(text) || text === '-0') return null;
  const big = BigInt(text);
  return big > INT64_MAX || big < INT64_MIN ? null : big;
}

export const INT64 = { MAX: INT64_MAX, MIN: INT64_MIN };

/** memtoull: a non-negative integer with an optional unit (k kb m mb g gb, any case). */
export function parseMemory(text: string): number | null {
  const m = /^([0-9]+)(k|kb|m|mb|g|gb|b)?$/i.exec(text);
  if (!m) return null;
  const unit = (m[2] ?? 'b').toLowerCase();
  const multiplier: Record<string, number> = { b: 1, k: 1000, kb: 1024, m: 1000 ** 2, mb: 1024 ** 2, g: 1000 ** 3, gb: 1024 ** 3 };
  return Number(m[1]) * multiplier[unit]!;
}
