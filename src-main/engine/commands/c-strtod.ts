// Doubles parsed from arguments exactly as Redis parses them: with C's strtod (glibc, "C" locale)
// underneath. strtod accepts more than JavaScript's Number(): leading whitespace, "inf",
// "infinity", "nan", hexadecimal floats ("0x1p-2"), and a trailing remainder it just stops at;
// Redis then adds its own checks on top (util.c string2d, t_zset.c zslParseRange).

export interface StrtodResult {
  value: number;
  /** Index after the last character converted; 0 when nothing was (C's endptr == nptr). */
  end: number;
  /** errno == ERANGE with a HUGE_VAL (overflow) or zero (underflow) result. */
  outOfRange: boolean;
}

const SPACE = /[ \t\n\v\f\r]/;
const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/;
const HEX = /^([-+]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))(?:[pP]([-+]?\d+))?/;
const INFINITY = /^([-+]?)inf(?:inity)?/i;
const NAN = /^[-+]?nan(?:\([0-9A-Za-z_]*\))?/i;
/**
 * The value of plain decimal text ("-12", "13.361389"), the overwhelmingly common case; undefined
 * for anything else, which strtod() below reads. Up to 32 characters, where neither overflow (309
 * digits) nor underflow (over 320 fraction digits) can happen. When the digits, read as one
 * integer, are below 2^53 and there are at most 22 after the point, that integer and the power of
 * ten are exact doubles and one division rounds correctly (Clinger's fast path), so the result is
 * the one strtod and Number() give; otherwise Number() converts, as strtod's decimal branch does.
 * A loop, not a regular expression and Number(): it runs for every score and coordinate argument.
 */
function plainDecimal(text: string): number | undefined {
  const length = text.length;
  if (length === 0 || length > 32) return undefined;
  const negative = text.charCodeAt(0) === 0x2d; /* - */
  let i = negative ? 1 : 0;
  const integerStart = i;
  let digits = 0;
  let code = 0;
  while (i < length && isDigit((code = text.charCodeAt(i)))) {
    digits = digits * 10 + (code - 0x30);
    i++;
  }
  if (i === integerStart) return undefined;
  let fractionDigits = 0;
  if (i < length) {
    if (code !== 0x2e /* . */) return undefined;
    const fractionStart = ++i;
    while (i < length && isDigit((code = text.charCodeAt(i)))) {
      digits = digits * 10 + (code - 0x30);
      i++;
    }
    if (i !== length || i === fractionStart) return undefined;
    fractionDigits = i - fractionStart;
  }
  if (digits >= TWO_53 || fractionDigits > 22) return Number(text);
  const value = fractionDigits === 0 ? digits : digits / POWERS_OF_TEN[fractionDigits]!;
  return negative ? -value : value;
}

const TWO_53 = 2 ** 53;
/** 10^0 .. 10^22, every one an exact double. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** C's strtod over a C string (the text up to its first NUL byte). */
export function strtod(text: string): StrtodResult {
  let start = 0;
  while (start < text.length && SPACE.test(text[start]!)) start++;
  const rest = text.slice(start);
  let m: RegExpExecArray | null;
  if ((m = HEX.exec(rest))) {
    return { ...hexValue(m[1] === '-', m[2]!, m[3] ?? '0'), end: start + m[0].length };
  }
  if ((m = INFINITY.exec(rest))) {
    return { value: m[1] === '-' ? -Infinity : Infinity, end: start + m[0].length, outOfRange: false };
  }
  if ((m = NAN.exec(rest))) return { value: NaN, end: start + m[0].length, outOfRange: false };
  if ((m = DECIMAL.exec(rest))) {
    const value = Number(m[0]);
    const overflow = !Number.isFinite(value);
    const underflow = value === 0 && /[1-9]/.test(m[0].split(/[eE]/)[0]!);
    return { value, end: start + m[0].length, outOfRange: overflow || underflow };
  }
  return { value: 0, end: 0, outOfRange: false };
}

/**
 * util.c string2d (getDoubleFromObject): the whole argument must be a double, with no leading
 * space, no overflow or underflow to zero, and not NaN. Null when it is not.
 */
export function string2d(text: string): number | null {
  const plain = plainDecimal(text);
  if (plain !== undefined) return plain;
  if (text.length === 0 || SPACE.test(text[0]!)) return null;
  const r = strtod(text);
  if (r.end !== text.length || r.outOfRange || Number.isNaN(r.value)) return null;
  return r.value;
}

/** A hexadecimal float (digits, optional point, binary exponent), correctly rounded to a double. */
function hexValue(negative: boolean, digits: string, exponent: string): { value: number; outOfRange: boolean } {
  const point = digits.indexOf('.');
  const fraction = point < 0 ? 0 : digits.length - point - 1;
  let mantissa = BigInt('0x' + (digits.replace('.', '') || '0'));
  let exp2 = Number(exponent) - 4 * fraction;
  const sign = negative ? -1 : 1;
  if (mantissa === 0n) return { value: sign * 0, outOfRange: false };
  const bits = mantissa.toString(2).length;
  // Keep 53 significant bits, fewer for subnormal results (below 2^-1022).
  const topExponent = bits - 1 + exp2;
  const keep = Math.min(53, 53 - (-1022 - topExponent));
  const drop = bits - Math.max(keep, 0);
  if (drop > 0) {
    const half = 1n << BigInt(drop - 1);
    const rest = mantissa & ((1n << BigInt(drop)) - 1n);
    mantissa >>= BigInt(drop);
    if (rest > half || (rest === half && (mantissa & 1n) === 1n)) mantissa++;
    exp2 += drop;
  }
  // Scale in two steps so that no intermediate power of two leaves the double range.
  const value = sign * Number(mantissa) * 2 ** Math.ceil(exp2 / 2) * 2 ** Math.floor(exp2 / 2);
  return { value, outOfRange: value === 0 || !Number.isFinite(value) };
}
