// C's printf("%.<n>f") for doubles, exactly as glibc prints it: the exact binary value expanded in
// decimal and rounded half to even (JavaScript's toFixed rounds ties up and switches to exponent
// notation from 1e21). Redis prints geo distances with "%.4f", the coordinates of an invalid
// longitude,latitude pair with "%f", and GEOPOS coordinates through ld2string(LD_STR_HUMAN).
import { formatLongDoubleHuman, type LongDouble } from './long-double.js';

/** The double as an exact (-1)^negative · mantissa · 2^exponent. */
function exactValue(value: number): LongDouble {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  return biased === 0
    ? { negative, mantissa: fraction, exponent: -1074 }
    : { negative, mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** printf("%.<digits>f", value) with glibc's spellings of the infinities and NaN. */
export function formatFixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  const x = exactValue(value);
  const scale = 10n ** BigInt(digits);
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
  const text = scaled.toString().padStart(digits + 1, '0');
  const body = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return x.negative ? `-${body}` : body;
}

/**
 * addReplyHumanLongDouble's text for a double: ld2string(LD_STR_HUMAN), "%.17Lf" with trailing
 * zeros dropped (the double widens to long double exactly, so its own digits are printed).
 */
export function formatHuman(value: number): string {
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return formatLongDoubleHuman(exactValue(value));
}
