// How Redis turns numbers into text and back in the places the file formats depend on:
// string2ll (which strings are "integers" and get integer encodings), d2string (zset scores in
// listpacks), "%.17g" (scores in DEBUG DIGEST on 7.0) and strtod (scores read back as text).

const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/**
 * util.c string2ll: the integer a byte string spells exactly (no sign but '-', no leading
 * zeros, no spaces, no "-0", at most 20 chars, within int64), or null. Values beyond 2^53 are
 * returned as bigint so that nothing is rounded.
 */
export function parseStrictInt64(buf: Uint8Array, start = 0, end = buf.length): number | bigint | null {
  const len = end - start;
  if (len === 0 || len > 20) return null;
  let i = start;
  const negative = buf[i] === MINUS;
  if (negative) {
    i++;
    if (i === end) return null;
  }
  const first = buf[i]!;
  if (first === ZERO) return len === 1 ? 0 : null;
  if (first < ZERO + 1 || first > NINE) return null;
  const digits = end - i;
  if (digits <= 15) {
    let v = 0;
    for (; i < end; i++) {
      const c = buf[i]!;
      if (c < ZERO || c > NINE) return null;
      v = v * 10 + (c - ZERO);
    }
    return negative ? -v : v;
  }
  let v = 0n;
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c < ZERO || c > NINE) return null;
    v = v * 10n + BigInt(c - ZERO);
  }
  if (negative) v = -v;
  if (v < INT64_MIN || v > INT64_MAX) return null;
  return Number.isSafeInteger(Number(v)) ? Number(v) : v;
}

/** C's printf("%.17g"): the shortest form that still carries 17 significant digits. */
export function formatDouble17g(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const exp = value.toExponential(16); // d.dddddddddddddddde±X, rounded to 17 digits
  const ePos = exp.indexOf('e');
  const exponent = Number(exp.slice(ePos + 1));
  if (exponent < -4 || exponent >= 17) {
    const mantissa = stripTrailingZeros(exp.slice(0, ePos));
    const sign = exponent < 0 ? '-' : '+';
    const digits = String(Math.abs(exponent)).padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return stripTrailingZeros(value.toFixed(16 - exponent));
}

function stripTrailingZeros(s: string): string {
  if (!s.includes('.')) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === ZERO) end--;
  if (s.charCodeAt(end - 1) === 0x2e) end--;
  return s.slice(0, end);
}

/**
 * util.c d2string, used for zset scores stored in listpacks: integers in the exactly
 * representable range print as integers, everything else as "%.17g".
 */
export function formatScore(value: number): string {
  if (Number.isInteger(value) && value > -4503599627370495 && value < 4503599627370496) {
    return Object.is(value, -0) ? '-0' : String(value);
  }
  return formatDouble17g(value);
}

/** strtod as Redis uses it on stored score text ("inf", "-inf", "1.5", "3"). */
export function parseDoubleText(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  if (t === 'nan' || t === '-nan' || t === '+nan') return NaN;
  return t === '' ? NaN : Number(t);
}
