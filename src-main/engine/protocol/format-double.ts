// Doubles as Redis prints them. Redis uses C's printf("%.17g") in addReplyDouble and in the RDB/
// DEBUG DIGEST text form of scores, and special spellings for the infinities.

/** C's `%.17g` (and Redis's "inf"/"-inf"). */
export function formatDouble(value: number): string {
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Number.isNaN(value)) return 'nan';
  return formatG(value, 17);
}

/** C's `%.<precision>g`: shortest of fixed/exponent notation, trailing zeros removed. */
export function formatG(value: number, precision: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  // toExponential gives the correctly rounded digits; its exponent is authoritative after rounding.
  const [mantissa, expText] = value.toExponential(precision - 1).split('e') as [string, string];
  const x = Number(expText);
  if (x < -4 || x >= precision) {
    const m = stripZeros(mantissa);
    const sign = x < 0 ? '-' : '+';
    const abs = Math.abs(x);
    return `${m}e${sign}${abs < 10 ? '0' : ''}${abs}`;
  }
  return stripZeros(value.toFixed(Math.max(0, precision - 1 - x)));
}

function stripZeros(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(/\.?0+$/, '');
}
