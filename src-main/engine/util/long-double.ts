// Redis's float increments (INCRBYFLOAT, HINCRBYFLOAT) compute in C's `long double`, which on
// x86-64 is the 80-bit extended format: a 64-bit significand, exponents down to 2^-16445
// (denormals) and up to 2^16383. Doing the same sums in JS doubles gives different text
// (0.1 + 0.2 is "0.30000000000000004" in doubles, "0.3" in Redis), so this module reproduces the
// format exactly with BigInt arithmetic: strtold's correct rounding (util.c string2ld), one
// rounded addition, and printf("%.17Lf") as util.c ld2string(LD_STR_HUMAN) uses it.

/** A finite extended-precision value: (-1)^negative · mantissa · 2^exponent, mantissa < 2^64. */
export interface LongDouble {
  negative: boolean;
  mantissa: bigint;
  exponent: number;
}

const SIGNIFICAND_BITS = 64;
/** Exponent of the smallest denormal's unit (2^-16445). */
const MIN_UNIT_EXPONENT = -16445;
/** Largest exponent of a significand's top bit (the format's emax). */
const MAX_TOP_EXPONENT = 16383;
/** MAX_LONG_DOUBLE_CHARS in Redis: longer inputs are rejected before parsing. */
const MAX_TEXT_LENGTH = 5 * 1024;
/** Decimal magnitudes beyond these certainly overflow / underflow (LDBL_MAX ~ 1.19e4932, min denormal ~ 3.6e-4951). */
const MAX_DECIMAL_MAGNITUDE = 4940;
const MIN_DECIMAL_MAGNITUDE = -4960;

const ZERO: LongDouble = { negative: false, mantissa: 0n, exponent: 0 };

const DECIMAL = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;
const HEXADECIMAL = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/;
const INFINITE = /^[+-]?inf(inity)?$/i;
const LEADING_SPACE = /^[ \t\n\v\f\r]/;

/**
 * util.c string2ld: the value a string spells, 'infinite' for inf/infinity (which string2ld
 * accepts), or null when Redis rejects it (empty, too long, leading space, trailing garbage, NaN,
 * overflow, or underflow to zero).
 */
export function parseLongDouble(text: string): LongDouble | 'infinite' | null {
  // string2ld also rejects what strtold did not consume entirely, such as anything after a NUL byte.
  if (text.length === 0 || text.length >= MAX_TEXT_LENGTH) return null;
  if (LEADING_SPACE.test(text)) return null;
  if (INFINITE.test(text)) return 'infinite';
  const hex = HEXADECIMAL.exec(text);
  if (hex) return parseParts(hex, 16);
  const dec = DECIMAL.exec(text);
  if (dec) return parseParts(dec, 10);
  return null;
}

/** The groups of DECIMAL or HEXADECIMAL: sign, integer digits, fraction digits, exponent. */
function parseParts(m: RegExpExecArray, radix: 10 | 16): LongDouble | null {
  const negative = m[1] === '-';
  const intDigits = m[2] ?? '';
  const fracDigits = m[3] ?? '';
  if (intDigits.length + fracDigits.length === 0) return null;
  const digits = (intDigits + fracDigits).replace(/^0+/, '');
  if (digits === '') return { ...ZERO, negative };
  const exponent = Number(m[4] ?? '0');
  let value: LongDouble | null;
  if (radix === 16) {
    // Hex floats: the exponent is binary and each fraction digit is 4 bits.
    const binaryExponent = exponent - 4 * fracDigits.length;
    const topBit = binaryExponent + digits.length * 4;
    if (topBit > MAX_TOP_EXPONENT + 8) return null;
    if (topBit < MIN_UNIT_EXPONENT - 8) return null;
    value = roundToLongDouble(negative, BigInt(`0x${digits}`), 1n, binaryExponent);
  } else {
    const decimalExponent = exponent - fracDigits.length;
    const magnitude = decimalExponent + digits.length;
    if (magnitude > MAX_DECIMAL_MAGNITUDE) return null;
    if (magnitude < MIN_DECIMAL_MAGNITUDE) return null;
    const n = BigInt(digits);
    value =
      decimalExponent >= 0
        ? roundToLongDouble(negative, n * 10n ** BigInt(decimalExponent), 1n, 0)
        : roundToLongDouble(negative, n, 10n ** BigInt(-decimalExponent), 0);
  }
  // strtold reports ERANGE for a result that underflowed to zero; string2ld rejects it.
  return value && value.mantissa !== 0n ? value : null;
}

/** a + b rounded to extended precision; null when the sum overflows to infinity. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  const exponent = Math.min(a.exponent, b.exponent);
  const sum = signedScaled(a, exponent) + signedScaled(b, exponent);
  if (sum === 0n) return ZERO; // x + (-x) is +0 in round-to-nearest
  return roundToLongDouble(sum < 0n, sum < 0n ? -sum : sum, 1n, exponent);
}

function signedScaled(x: LongDouble, exponent: number): bigint {
  const m = x.mantissa << BigInt(x.exponent - exponent);
  return x.negative ? -m : m;
}

/**
 * ld2string(LD_STR_HUMAN): printf("%.17Lf") (exact decimal expansion, rounded half to even as
 * glibc does), then trailing zeros and a bare '.' removed, and "-0" written as "0".
 */
export function formatLongDoubleHuman(x: LongDouble): string {
  const scale = 10n ** 17n;
  let scaled: bigint;
  if (x.exponent >= 0) {
    scaled = (x.mantissa << BigInt(x.exponent)) * scale;
  } else {
    const den = 1n << BigInt(-x.exponent);
    const num = x.mantissa * scale;
    scaled = num / den;
    const twiceRemainder = 2n * (num % den);
    if (twiceRemainder > den || (twiceRemainder === den && (scaled & 1n) === 1n)) scaled++;
  }
  const digits = scaled.toString().padStart(18, '0');
  const integerPart = digits.slice(0, -17);
  const fraction = digits.slice(-17).replace(/0+$/, '');
  const text = fraction ? `${integerPart}.${fraction}` : integerPart;
  return x.negative && text !== '0' ? `-${text}` : text;
}

/**
 * The extended value nearest to (n / d) · 2^binaryExponent (n, d > 0), ties to even, with
 * denormals below 2^-16382; null on overflow.
 */
function roundToLongDouble(negative: boolean, n: bigint, d: bigint, binaryExponent: number): LongDouble | null {
  // Pick a shift s so that q = floor(n·2^s / d) has exactly 64 bits, unless that would go below
  // the smallest denormal unit, where fewer bits remain.
  let shift = SIGNIFICAND_BITS - bitLength(n) + bitLength(d);
  let [q, num, den] = shiftedQuotient(n, d, shift);
  if (bitLength(q) > SIGNIFICAND_BITS) [q, num, den] = shiftedQuotient(n, d, --shift);
  if (binaryExponent - shift < MIN_UNIT_EXPONENT) {
    shift = binaryExponent - MIN_UNIT_EXPONENT;
    [q, num, den] = shiftedQuotient(n, d, shift);
  }
  let exponent = binaryExponent - shift;
  const twiceRemainder = 2n * (num % den);
  if (twiceRemainder > den || (twiceRemainder === den && (q & 1n) === 1n)) {
    q++;
    if (bitLength(q) > SIGNIFICAND_BITS) {
      q >>= 1n;
      exponent++;
    }
  }
  if (q !== 0n && exponent + bitLength(q) - 1 > MAX_TOP_EXPONENT) return null;
  return { negative, mantissa: q, exponent };
}

/** floor(n·2^shift / d) with the numerator and denominator it was computed from. */
function shiftedQuotient(n: bigint, d: bigint, shift: number): [bigint, bigint, bigint] {
  const num = shift >= 0 ? n << BigInt(shift) : n;
  const den = shift >= 0 ? d : d << BigInt(-shift);
  return [num / den, num, den];
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}
