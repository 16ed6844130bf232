// How many bytes a value takes as a listpack entry (listpack.c lpEncodeGetType / lpEncodeBacklen):
// the size of Redis's compact in-memory encoding, which MEMORY USAGE reports and the RDB writer's
// quicklist node-size decisions follow. The listpack format itself is read and written in
// ../persistence/rdb/listpack.ts.
import { parseStrictInt64 } from '../util/number-text.js';

/** Bytes of a backlen field for an entry of `len` bytes (listpack.c lpEncodeBacklen). */
export function backlenSize(len: number): number {
  if (len <= 127) return 1;
  if (len < 16383) return 2;
  if (len < 2097151) return 3;
  if (len < 268435455) return 4;
  return 5;
}

/** Bytes of an integer entry, backlen included (the smallest of lpEncodeGetType's integer encodings). */
export function intEntrySize(value: number | bigint): number {
  const v = Number(value);
  const encoded =
    v >= 0 && v <= 127
      ? 1
      : v >= -4096 && v <= 4095
        ? 2
        : v >= -32768 && v <= 32767
          ? 3
          : v >= -8388608 && v <= 8388607
            ? 4
            : v >= -2147483648 && v <= 2147483647
              ? 5
              : 9;
  return encoded + backlenSize(encoded);
}

/** Bytes of a string entry of `len` bytes that is not stored as an integer. */
function stringBytesEntrySize(len: number): number {
  const encoded = (len < 64 ? 1 : len < 4096 ? 2 : 5) + len;
  return encoded + backlenSize(encoded);
}

/** Encoded size of `value` as a listpack entry, backlen included (for node-size decisions). */
export function listpackEntrySize(value: Uint8Array): number {
  const asInt = value.length <= 20 ? parseStrictInt64(value) : null;
  return asInt === null ? stringBytesEntrySize(value.length) : intEntrySize(asInt);
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** listpackEntrySize of a binary (latin1) string: stored as an integer when lpStringToInt64 accepts it. */
export function stringEntrySize(s: string): number {
  if (s.length !== 0 && s.length <= 20 && /^(?:0|-?[1-9][0-9]*)$/.test(s)) {
    const n = BigInt(s);
    if (n >= INT64_MIN && n <= INT64_MAX) return intEntrySize(n);
  }
  return stringBytesEntrySize(s.length);
}
