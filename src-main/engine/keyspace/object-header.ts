// The per-key bits Redis keeps in each value's object header (server.h robj) that are not the
// value itself: the 24-bit `lru` field (an LRU clock, or LFU data when an LFU maxmemory policy
// is selected) and, for strings, the encoding OBJECT ENCODING reports. Database stores one small
// integer per key slot (an SMI: no allocation), packed as
//   bits 0-23  lru: seconds clock (LRU) or minutes<<8 | log counter (LFU), as in evict.c
//   bits 24-25 how the string's encoding is decided (see STRING_ENCODING_*)

/** evict.c LRU_CLOCK_MAX: the LRU clock wraps at 24 bits. */
const LRU_CLOCK_MAX = 0xffffff;
/** evict.c LFU_INIT_VAL: the counter a new key starts with. */
const LFU_INIT_VAL = 5;
const LRU_MASK = 0xffffff;
const HINT_SHIFT = 24;

/**
 * The encoding of a string value is normally what tryObjectEncoding would pick for its bytes
 * (SET, MSET, APPEND to a new key, RESTORE...). Two kinds of writes build the object differently:
 *   SIZED  createStringObject: embstr up to 44 bytes, else raw (INCRBYFLOAT's result)
 *   RAW    an sds modified in place (APPEND, SETRANGE, SETBIT, BITOP's result)
 */
export const STRING_ENCODING_AUTO = 0;
export const STRING_ENCODING_SIZED = 1;
export const STRING_ENCODING_RAW = 2;
export type StringEncodingHint = typeof STRING_ENCODING_AUTO | typeof STRING_ENCODING_SIZED | typeof STRING_ENCODING_RAW;

/** lfu-log-factor and lfu-decay-time, present only while an LFU maxmemory policy is selected. */
export interface LfuSettings {
  logFactor: number;
  decayTime: number;
}

/** object.c OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
const EMBSTR_SIZE_LIMIT = 44;
const CANONICAL_INTEGER = /^-?[1-9][0-9]*$|^0$/;

/** Redis's string encoding name for a value stored with `hint` (object.c tryObjectEncoding). */
export function stringEncoding(value: string, header: number): 'int' | 'embstr' | 'raw' {
  const hint = stringEncodingHint(header);
  if (hint === STRING_ENCODING_RAW) return 'raw';
  if (hint === STRING_ENCODING_AUTO && isLongInteger(value)) return 'int';
  return value.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
}

/** string2l: a canonical decimal integer that fits a 64-bit long. */
export function isLongInteger(value: string): boolean {
  if (value.length > 20 || !CANONICAL_INTEGER.test(value)) return false;
  if (value.length < 19) return true;
  const n = BigInt(value);
  return n <= 9223372036854775807n && n >= -9223372036854775808n;
}

export function stringEncodingHint(header: number): StringEncodingHint {
  return (header >>> HINT_SHIFT) as StringEncodingHint;
}

export function withStringEncoding(header: number, hint: StringEncodingHint): number {
  return (header & LRU_MASK) | (hint << HINT_SHIFT);
}

// --- access tracking (evict.c) -------------------------------------------------------------------

// Redis reads access times from clocks its cron refreshes (server.lruclock, server.unixtime), not
// from the system clock on every key access; a coarse clock refreshed every 100 ms (LRU_CLOCK's
// update rate at the default hz) does the same here and keeps Date.now() off the hot path.
const CLOCK_REFRESH_MS = 100;
let coarseSeconds = -1;

function nowSeconds(): number {
  if (coarseSeconds < 0) {
    const refresh = () => (coarseSeconds = Math.floor(Date.now() / 1000));
    refresh();
    setInterval(refresh, CLOCK_REFRESH_MS).unref();
  }
  return coarseSeconds;
}

/** getLRUClock: seconds, modulo 2^24. */
function lruClock(): number {
  return nowSeconds() & LRU_CLOCK_MAX;
}

/** LFUGetTimeInMinutes: minutes, modulo 2^16. */
function lfuMinutes(): number {
  return Math.floor(nowSeconds() / 60) & 0xffff;
}

/** The header of a newly created object (createObject). */
export function newHeader(lfu: LfuSettings | null): number {
  return lfu === null ? lruClock() : (lfuMinutes() << 8) | LFU_INIT_VAL;
}

/** The header after a lookup that touches the key (lookupKey: updateLFU or a fresh LRU clock). */
export function accessedHeader(header: number, lfu: LfuSettings | null): number {
  const hint = header & ~LRU_MASK;
  if (lfu === null) return hint | lruClock();
  return hint | (lfuMinutes() << 8) | lfuLogIncrement(lfuCounter(header, lfu), lfu.logFactor);
}

/** A key's access history as it travels: RESTORE's IDLETIME / FREQ, an RDB's IDLE / FREQ opcodes. */
export interface AccessHistory {
  /** Seconds since the last access (LRU). */
  idleSeconds?: number;
  /** The LFU counter, 0-255. */
  frequency?: number;
}

/**
 * objectSetLRUOrLFU: the header of a key whose access history arrives from outside. Only the one
 * the policy tracks applies: a frequency under an LFU policy, an idle time under any other;
 * otherwise the header is kept.
 */
export function withAccessHistory(header: number, lfu: LfuSettings | null, history: AccessHistory): number {
  const hint = header & ~LRU_MASK;
  if (lfu !== null) {
    return history.frequency === undefined ? header : hint | (lfuMinutes() << 8) | history.frequency;
  }
  if (history.idleSeconds === undefined) return header;
  let lru = lruClock() - history.idleSeconds;
  // Before the clock's last wrap: Redis adds one clock cycle, then stores the result in its
  // 24-bit field, which keeps the low 24 bits of what may still be negative (an idle time
  // beyond one cycle, about 194 days, reads back modulo the cycle).
  if (lru < 0) lru += LRU_CLOCK_MAX;
  return hint | (((lru % 2 ** 24) + 2 ** 24) % 2 ** 24);
}

/** The object's 24-bit lru field (an LRU clock in seconds, or LFU's minutes and counter), as DEBUG OBJECT prints it. */
export function lruField(header: number): number {
  return header & LRU_MASK;
}

/** estimateObjectIdleTime in seconds, as OBJECT IDLETIME reports it. */
export function idleSeconds(header: number): number {
  const clock = lruClock();
  const lru = header & LRU_MASK;
  return clock >= lru ? clock - lru : clock + (LRU_CLOCK_MAX - lru);
}

/** LFUDecrAndReturn: the counter decayed by the minutes since the last access (OBJECT FREQ). */
export function lfuCounter(header: number, lfu: LfuSettings): number {
  const lastMinutes = (header & LRU_MASK) >>> 8;
  const counter = header & 0xff;
  const now = lfuMinutes();
  const elapsed = now >= lastMinutes ? now - lastMinutes : 65535 - lastMinutes + now;
  const periods = lfu.decayTime ? Math.floor(elapsed / lfu.decayTime) : 0;
  return periods > counter ? 0 : counter - periods;
}

/** LFULogIncr: the counter grows with probability 1/((counter - LFU_INIT_VAL) * factor + 1). */
function lfuLogIncrement(counter: number, logFactor: number): number {
  if (counter === 255) return 255;
  const base = Math.max(counter - LFU_INIT_VAL, 0);
  return Math.random() < 1 / (base * logFactor + 1) ? counter + 1 : counter;
}
