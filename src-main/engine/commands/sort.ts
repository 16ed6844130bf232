// SORT and SORT_RO (sort.c sortCommandGeneric): sorts a list, set or sorted set by its elements or
// by keys a BY pattern names (`weight_*`, `hash_*->field`), numerically or with ALPHA, with
// LIMIT, GET patterns (`#` is the element) and STORE (a list; the command propagates as itself).
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { keySpec, defineCommand, type CommandDocArgument, type CommandSpec, type KeyReference } from '../core/command-table.js';
import { ERR } from '../core/replies.js';
import { ListValue } from '../keyspace/types/list.js';
import { SetValue } from '../keyspace/types/set.js';
import { SortedSet } from '../keyspace/types/zset.js';
import { HashValue } from '../keyspace/types/hash.js';
import { parseInt64 } from '../util/numbers.js';
import { strtod } from './c-strtod.js';

interface SortItem {
  element: BinaryString;
  score: number;
  /** ALPHA with BY: the value the pattern names, null when missing. */
  cmp: BinaryString | null;
}

/**
 * lookupKeyByPattern: `#` is the element itself; otherwise the first `*` is replaced by the
 * element and the key read (a string, or with `->field` a hash's field). Null when missing or of
 * another type, or when the pattern has no `*`.
 */
function lookupByPattern(client: Client, pattern: BinaryString, element: BinaryString): BinaryString | null {
  if (pattern === '#') return element;
  const star = pattern.indexOf('*');
  if (star < 0) return null;
  const arrow = pattern.indexOf('->', star + 1);
  const hasField = arrow >= 0 && arrow + 2 < pattern.length;
  const keyEnd = hasField ? arrow : pattern.length;
  const key = pattern.slice(0, star) + element + pattern.slice(star + 1, keyEnd);
  const value = client.db.lookupRead(key);
  if (value === undefined) return null;
  if (hasField) return value instanceof HashValue ? (value.get(pattern.slice(arrow + 2)) ?? null) : null;
  return typeof value === 'string' ? value : null;
}

/** compareStringObjects: bytes, then length (JS compares latin1 strings byte by byte). */
function compareBinary(a: BinaryString, b: BinaryString): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** strcoll in the C locale Redis runs in: strcmp, which stops at the first NUL byte. */
function collate(a: BinaryString, b: BinaryString): number {
  const na = a.indexOf('\0');
  const nb = b.indexOf('\0');
  return compareBinary(na < 0 ? a : a.slice(0, na), nb < 0 ? b : b.slice(0, nb));
}

/** The sort value of a BY target or element: strtod over the C string, whole and finite. */
function scoreOf(text: BinaryString): number | null {
  const r = strtod(text);
  const rest = text.charCodeAt(r.end);
  // Nothing may follow the number before the C string's end (an empty string is 0).
  if ((r.end < text.length && rest !== 0) || r.outOfRange || Number.isNaN(r.value)) return null;
  return r.value;
}

function sortGeneric(client: Client, argv: BinaryString[], readonly: boolean): void {
  let desc = false;
  let alpha = false;
  let limitStart = 0n;
  let limitCount = -1n;
  let sortby: BinaryString | null = null;
  let storekey: BinaryString | null = null;
  let dontsort = false;
  const getPatterns: BinaryString[] = [];
  for (let j = 2; j < argv.length; j++) {
    const option = argv[j]!.toLowerCase();
    const leftargs = argv.length - j - 1;
    if (option === 'asc') desc = false;
    else if (option === 'desc') desc = true;
    else if (option === 'alpha') alpha = true;
    else if (option === 'limit' && leftargs >= 2) {
      const start = parseInt64(argv[j + 1]!);
      const count = start === null ? null : parseInt64(argv[j + 2]!);
      if (start === null || count === null) {
        client.reply.error(ERR.notInteger);
        return;
      }
      limitStart = start;
      limitCount = count;
      j += 2;
    } else if (!readonly && option === 'store' && leftargs >= 1) {
      storekey = argv[++j]!;
    } else if (option === 'by' && leftargs >= 1) {
      sortby = argv[++j]!;
      // A BY pattern without '*' names one constant key: nothing to sort by.
      if (!sortby.includes('*')) dontsort = true;
    } else if (option === 'get' && leftargs >= 1) {
      getPatterns.push(argv[++j]!);
    } else {
      client.reply.error(ERR.syntax);
      return;
    }
  }

  const db = client.db;
  const sortval = db.lookupRead(argv[1]!);
  if (sortval !== undefined && !(sortval instanceof ListValue) && !(sortval instanceof SetValue) && !(sortval instanceof SortedSet)) {
    client.reply.error(ERR.wrongType);
    return;
  }
  const value = sortval ?? new ListValue();
  // An unsorted set would store (and replicate) in hash order: sort it with ALPHA instead.
  if (dontsort && value instanceof SetValue && storekey !== null) {
    dontsort = false;
    alpha = true;
    sortby = null;
  }

  let vectorlen = value.size;
  // LIMIT, clamped to the object's size as Redis does.
  const len = BigInt(vectorlen);
  let start = Number(limitStart < 0n ? 0n : limitStart > len ? len : limitStart);
  const count = Number(limitCount < -1n ? -1n : limitCount > len ? len : limitCount);
  let end = count < 0 ? vectorlen - 1 : start + count - 1;
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;
  if ((value instanceof SortedSet || value instanceof ListValue) && dontsort && (start !== 0 || end !== vectorlen - 1)) {
    vectorlen = end - start + 1;
  }

  let vector: SortItem[] = [];
  const item = (element: BinaryString): SortItem => ({ element, score: 0, cmp: null });
  if (value instanceof ListValue && dontsort) {
    // The list's own order (reversed with DESC), only the LIMIT range.
    if (end >= start) {
      const size = value.size;
      for (let j = 0; j < vectorlen; j++) vector.push(item(value.at(desc ? size - start - 1 - j : start + j)!));
      end -= start;
      start = 0;
    }
  } else if (value instanceof ListValue) {
    for (let j = 0; j < value.size; j++) vector.push(item(value.at(j)!));
  } else if (value instanceof SetValue) {
    for (const member of value.members()) vector.push(item(member));
  } else if (dontsort) {
    if (vectorlen > 0) for (const entry of value.rangeByRank(start, start + vectorlen - 1, desc)) vector.push(item(entry.member));
    end -= start;
    start = 0;
  } else {
    for (const [member] of value.entries()) vector.push(item(member));
  }

  let conversionError = false;
  if (!dontsort) {
    for (const it of vector) {
      let byval: BinaryString | null;
      if (sortby !== null) {
        byval = lookupByPattern(client, sortby, it.element);
        if (byval === null) continue;
      } else byval = it.element;
      if (alpha) {
        if (sortby !== null) it.cmp = byval;
      } else {
        const score = scoreOf(byval);
        if (score === null) conversionError = true;
        else it.score = score;
      }
    }
    const store = storekey !== null;
    const compare = (a: SortItem, b: SortItem): number => {
      let cmp: number;
      if (!alpha) {
        // Equal scores fall back to the elements, so the order is always defined (sortCompare).
        cmp = a.score > b.score ? 1 : a.score < b.score ? -1 : compareBinary(a.element, b.element);
      } else if (sortby !== null) {
        if (a.cmp === null || b.cmp === null) cmp = a.cmp === b.cmp ? 0 : a.cmp === null ? -1 : 1;
        else cmp = store ? compareBinary(a.cmp, b.cmp) : collate(a.cmp, b.cmp);
      } else {
        cmp = store ? compareBinary(a.element, b.element) : collate(a.element, b.element);
      }
      return desc ? -cmp : cmp;
    };
    // glibc's qsort is a merge sort, stable as Array.prototype.sort is.
    vector = vector.sort(compare);
  }

  const outputlen = getPatterns.length > 0 ? getPatterns.length * (end - start + 1) : end - start + 1;
  if (conversionError) {
    client.reply.error("ERR One or more scores can't be converted into double");
    return;
  }
  if (storekey === null) {
    client.reply.arrayHeader(outputlen);
    for (let j = start; j <= end; j++) {
      const element = vector[j]!.element;
      if (getPatterns.length === 0) client.reply.bulk(element);
      for (const pattern of getPatterns) {
        const got = lookupByPattern(client, pattern, element);
        if (got === null) client.reply.null();
        else client.reply.bulk(got);
      }
    }
    return;
  }
  const stored = new ListValue();
  for (let j = start; j <= end; j++) {
    const element = vector[j]!.element;
    if (getPatterns.length === 0) stored.pushTail(element);
    for (const pattern of getPatterns) stored.pushTail(lookupByPattern(client, pattern, element) ?? '');
  }
  if (outputlen > 0) {
    db.set(storekey, stored);
    if (outputlen > 1) db.changed(storekey, outputlen - 1);
    client.server.keyspaceEvents.notify('l', 'sortstore', storekey, db.id);
  } else if (db.delete(storekey)) {
    client.server.keyspaceEvents.notify('g', 'del', storekey, db.id);
  }
  client.reply.integer(outputlen);
}

/** The sorted key, and the keys BY and GET patterns name (unknown: they depend on the values). */
const SORT_RO_KEY_SPECS = [
  keySpec('RO access', 1),
  keySpec(
    'RO access',
    'unknown',
    'unknown',
    "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort",
  ),
];

const SORTED_KEY: KeyReference = { pos: 1, flags: ['RO', 'access'] };

/** sortGetKeys: the sorted key, and the last STORE's key (LIMIT, GET and BY skip their arguments). */
function sortKeys(argv: BinaryString[]): KeyReference[] {
  const keys: KeyReference[] = [SORTED_KEY];
  let store = -1;
  const skips: Record<string, number> = { limit: 2, get: 1, by: 1 };
  for (let i = 2; i < argv.length; i++) {
    const option = argv[i]!.toLowerCase();
    const skip = skips[option];
    if (skip !== undefined) i += skip;
    else if (option === 'store' && i + 1 < argv.length) store = i + 1;
  }
  if (store >= 0) keys.push({ pos: store, flags: ['OW', 'update'] });
  return keys;
}

/** SORT_RO's COMMAND DOCS arguments; SORT's are these and STORE. */
const SORT_RO_ARGUMENTS: CommandDocArgument[] = [
  { name: 'key', type: 'key' },
  { name: 'pattern', type: 'pattern', token: 'BY', optional: true, keySpecIndex: 1 },
  {
    name: 'offset_count',
    type: 'block',
    token: 'LIMIT',
    optional: true,
    arguments: [
      { name: 'offset', type: 'integer' },
      { name: 'count', type: 'integer' },
    ],
  },
  { name: 'pattern', type: 'pattern', token: 'GET', optional: true, multiple: true, multipleToken: true, keySpecIndex: 1 },
  {
    name: 'order',
    type: 'oneof',
    optional: true,
    arguments: [
      { name: 'asc', type: 'pure-token', token: 'ASC' },
      { name: 'desc', type: 'pure-token', token: 'DESC' },
    ],
  },
  { name: 'sorting', type: 'pure-token', token: 'ALPHA', optional: true },
];

export const sortCommands: CommandSpec[] = [
  defineCommand({
    name: 'sort',
    arity: -2,
    flags: ['write', 'denyoom', 'movablekeys'],
    keySpecs: [
      ...SORT_RO_KEY_SPECS,
      keySpec(
        'OW update',
        'unknown',
        'unknown',
        "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array",
      ),
    ],
    acl: ['set', 'sortedset', 'list', 'dangerous'],
    summary: 'Sort the elements in a list, set or sorted set',
    since: '1.0.0',
    group: 'generic',
    complexity:
      'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).',
    arguments: [...SORT_RO_ARGUMENTS, { name: 'destination', type: 'key', token: 'STORE', optional: true, keySpecIndex: 2 }],
    getKeys: sortKeys,
    handler(client, argv) {
      sortGeneric(client, argv, false);
    },
  }),
  defineCommand({
    name: 'sort_ro',
    arity: -2,
    flags: ['readonly', 'movablekeys'],
    keySpecs: SORT_RO_KEY_SPECS,
    acl: ['set', 'sortedset', 'list', 'dangerous'],
    summary: 'Sort the elements in a list, set or sorted set. Read-only variant of SORT.',
    since: '7.0.0',
    group: 'generic',
    complexity:
      'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).',
    arguments: SORT_RO_ARGUMENTS,
    getKeys: () => [SORTED_KEY],
    handler(client, argv) {
      sortGeneric(client, argv, true);
    },
  }),
];
