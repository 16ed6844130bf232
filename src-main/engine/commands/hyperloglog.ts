// HyperLogLog commands (hyperloglog.c): PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST. An HLL is
// a string value; the byte format lives in keyspace/hyperloglog.ts. Every change is stored as a
// new string with the raw encoding Redis's in-place sds edits leave (dbUnshareStringValue).
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { keySpec, defineCommand, type CommandSpec } from '../core/command-table.js';
import { STRING_ENCODING_RAW, withStringEncoding } from '../keyspace/object-header.js';
import {
  HLL_DENSE,
  HLL_REGISTERS,
  HLL_SPARSE,
  HllBytes,
  INVALID_HLL_ERROR,
  NOT_HLL_ERROR,
  addElement,
  cardinality,
  decodeSparse,
  denseRegister,
  isHllString,
  mergeInto,
  rawCardinality,
  setRegister,
  sparseToDense,
} from '../keyspace/hyperloglog.js';
import { readString, storeString, writableString } from './string-access.js';
import { pfselftest } from './hyperloglog-selftest.js';

/** isHLLObjectOrReply after checkType: the HLL's bytes, or null after replying. */
function asHll(client: Client, value: BinaryString): HllBytes | null {
  if (!isHllString(value)) {
    client.reply.error(NOT_HLL_ERROR);
    return null;
  }
  return HllBytes.fromString(value);
}

function sparseMaxBytes(client: Client): number {
  return client.server.config.int('hll-sparse-max-bytes');
}

/** Stores a changed HLL at `key` (keeping its TTL), counting `changes` dirty writes. */
function storeHll(client: Client, key: BinaryString, hll: HllBytes, changes: number): BinaryString {
  const value = hll.toString();
  storeString(client.db, key, value, 'keep', STRING_ENCODING_RAW);
  if (changes > 1) client.db.changed(key, changes - 1);
  return value;
}

/**
 * dbUnshareStringValue without a change: Redis turns a shared or embstr value into a raw one
 * before writing to it in place, which OBJECT ENCODING shows even when nothing was written.
 */
function unshare(client: Client, key: BinaryString): void {
  const header = client.db.objectHeader(key);
  if (header !== undefined) client.db.setObjectHeader(key, withStringEncoding(header, STRING_ENCODING_RAW));
}

function notifyPfadd(client: Client, key: BinaryString): void {
  client.server.keyspaceEvents.notify('$', 'pfadd', key, client.db.id);
}

/**
 * The decoded bytes of the HLL string PFADD stored last. A string value is immutable, so Redis's
 * in-place register update becomes decode, change, re-encode; for a dense HLL that is 12 KB copied
 * twice per call. PFADD on one hot key (the usual case) reuses the decoded bytes instead: they are
 * taken only when the value read is equal to the string they were encoded to, and put back only
 * once the value they hold has been stored (or left unchanged), so they never differ from it.
 */
let lastStored: { value: BinaryString; hll: HllBytes } | null = null;

function takeDecoded(client: Client, value: BinaryString): HllBytes | null {
  const cached = lastStored;
  lastStored = null;
  if (cached !== null && cached.value === value) return cached.hll;
  return asHll(client, value);
}

/** pfaddCommand. */
function pfadd(client: Client, argv: BinaryString[]): void {
  const key = argv[1]!;
  const current = writableString(client, key);
  if (current === null) return;
  let hll: HllBytes | null;
  let updated = 0;
  if (current === undefined) {
    hll = HllBytes.empty();
    updated++;
  } else {
    hll = takeDecoded(client, current);
    if (hll === null) return;
    unshare(client, key);
  }
  const maxBytes = sparseMaxBytes(client);
  for (let j = 2; j < argv.length; j++) {
    const result = addElement(hll, argv[j]!, maxBytes);
    if (result === 1) updated++;
    else if (result === -1) {
      // Redis keeps the registers already raised in place, without counting or propagating them.
      client.reply.error(INVALID_HLL_ERROR);
      return;
    }
  }
  if (updated) {
    hll.invalidateCache();
    const stored = storeHll(client, key, hll, updated);
    notifyPfadd(client, key);
    lastStored = { value: stored, hll };
  } else if (current !== undefined) {
    lastStored = { value: current, hll };
  }
  client.reply.integer(updated ? 1 : 0);
}

/** pfcountCommand. */
function pfcount(client: Client, argv: BinaryString[]): void {
  if (argv.length > 2) {
    // The cardinality of the union, computed on one byte per register; nothing is written.
    const max = new Uint8Array(HLL_REGISTERS);
    for (let j = 1; j < argv.length; j++) {
      const value = readString(client, argv[j]!);
      if (value === null) return;
      if (value === undefined) continue;
      const hll = asHll(client, value);
      if (hll === null) return;
      if (!mergeInto(max, hll)) {
        client.reply.error(INVALID_HLL_ERROR);
        return;
      }
    }
    client.reply.integer(rawCardinality(max));
    return;
  }
  const key = argv[1]!;
  const value = readString(client, key);
  if (value === null) return;
  if (value === undefined) {
    client.reply.integer(0);
    return;
  }
  const hll = asHll(client, value);
  if (hll === null) return;
  unshare(client, key);
  if (hll.cacheValid) {
    client.reply.integer(hll.cachedCardinality);
    return;
  }
  const card = cardinality(hll);
  if (card === null) {
    client.reply.error(INVALID_HLL_ERROR);
    return;
  }
  // Caching the result changes the string: Redis counts it as a write (server.dirty++), so this
  // PFCOUNT reaches replicas and the AOF as itself and they cache the same bytes.
  hll.cachedCardinality = BigInt(card);
  storeHll(client, key, hll, 1);
  client.reply.integer(card);
}

/** pfmergeCommand. */
function pfmerge(client: Client, argv: BinaryString[]): void {
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  // The destination counts as a source too (j starts at 1), which also checks its type.
  for (let j = 1; j < argv.length; j++) {
    const value = readString(client, argv[j]!);
    if (value === null) return;
    if (value === undefined) continue;
    const hll = asHll(client, value);
    if (hll === null) return;
    if (hll.encoding === HLL_DENSE) useDense = true;
    if (!mergeInto(max, hll)) {
      client.reply.error(INVALID_HLL_ERROR);
      return;
    }
  }
  const key = argv[1]!;
  const current = writableString(client, key);
  if (current === null) return;
  const target = current === undefined ? HllBytes.empty() : HllBytes.fromString(current);
  if (current !== undefined) unshare(client, key);
  if (useDense && !sparseToDense(target)) {
    client.reply.error(INVALID_HLL_ERROR);
    return;
  }
  const maxBytes = sparseMaxBytes(client);
  for (let j = 0; j < HLL_REGISTERS; j++) {
    if (max[j] !== 0) setRegister(target, j, max[j]!, maxBytes);
  }
  target.invalidateCache();
  storeHll(client, key, target, 1);
  // A PFADD event: a merge is a mass add of elements.
  notifyPfadd(client, key);
  client.reply.ok();
}

/** pfdebugCommand: GETREG, DECODE, ENCODING, TODENSE. */
function pfdebug(client: Client, argv: BinaryString[]): void {
  const cmd = argv[1]!;
  const key = argv[2]!;
  const value = writableString(client, key);
  if (value === null) return;
  if (value === undefined) {
    client.reply.error('ERR The specified key does not exist');
    return;
  }
  const hll = asHll(client, value);
  if (hll === null) return;
  unshare(client, key);
  switch (cmd.toLowerCase()) {
    case 'getreg': {
      if (hll.encoding === HLL_SPARSE) {
        if (!sparseToDense(hll)) {
          client.reply.error(INVALID_HLL_ERROR);
          return;
        }
        // Counted as a write, so the conversion is propagated (server.dirty++).
        storeHll(client, key, hll, 1);
      }
      client.reply.arrayHeader(HLL_REGISTERS);
      for (let j = 0; j < HLL_REGISTERS; j++) client.reply.integer(denseRegister(hll.buf, j));
      return;
    }
    case 'decode':
      if (hll.encoding !== HLL_SPARSE) {
        client.reply.error('ERR HLL encoding is not sparse');
        return;
      }
      client.reply.bulk(decodeSparse(hll));
      return;
    case 'encoding':
      client.reply.simple(hll.encoding === HLL_DENSE ? 'dense' : 'sparse');
      return;
    case 'todense': {
      let converted = 0;
      if (hll.encoding === HLL_SPARSE) {
        if (!sparseToDense(hll)) {
          client.reply.error(INVALID_HLL_ERROR);
          return;
        }
        converted = 1;
        storeHll(client, key, hll, 1);
      }
      client.reply.integer(converted);
      return;
    }
    default:
      client.reply.error(`ERR Unknown PFDEBUG subcommand '${cmd}'`);
  }
}

/** A command of this family: ACL category and COMMAND DOCS group @hyperloglog. */
function command(spec: Omit<Parameters<typeof defineCommand>[0], 'group' | 'acl'>): CommandSpec {
  return defineCommand({ ...spec, acl: ['hyperloglog'], group: 'hyperloglog' });
}

export const hyperloglogCommands: CommandSpec[] = [
  command({
    name: 'pfadd',
    arity: -2,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [keySpec('RW insert', 1)],
    summary: 'Adds the specified elements to the specified HyperLogLog.',
    since: '2.8.9',
    complexity: 'O(1) to add every element.',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'element', type: 'string', optional: true, multiple: true },
    ],
    handler: pfadd,
  }),
  command({
    name: 'pfcount',
    arity: -2,
    flags: ['readonly'],
    keySpecs: [
      keySpec('RW access', 1, [-1, 1, 0], 'RW because it may change the internal representation of the key, and propagate to replicas'),
    ],
    summary: 'Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).',
    since: '2.8.9',
    complexity:
      'O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.',
    arguments: [{ name: 'key', type: 'key', multiple: true }],
    handler: pfcount,
  }),
  command({
    name: 'pfmerge',
    arity: -2,
    flags: ['write', 'denyoom'],
    keySpecs: [keySpec('RW access insert', 1), keySpec('RO access', 2, [-1, 1, 0])],
    summary: 'Merge N different HyperLogLogs into a single one.',
    since: '2.8.9',
    complexity: 'O(N) to merge N HyperLogLogs, but with high constant times.',
    arguments: [
      { name: 'destkey', type: 'key' },
      { name: 'sourcekey', type: 'key', multiple: true, keySpecIndex: 1 },
    ],
    handler: pfmerge,
  }),
  command({
    name: 'pfdebug',
    arity: 3,
    flags: ['write', 'denyoom', 'admin'],
    keySpecs: [keySpec('RW access', 2)],
    summary: 'Internal commands for debugging HyperLogLog values',
    since: '2.8.9',
    docFlags: ['syscmd'],
    complexity: 'N/A',
    arguments: [
      { name: 'subcommand', type: 'string' },
      { name: 'key', type: 'key' },
    ],
    handler: pfdebug,
  }),
  command({
    name: 'pfselftest',
    arity: 1,
    flags: ['admin'],
    summary: 'An internal command for testing HyperLogLog values',
    since: '2.8.9',
    docFlags: ['syscmd'],
    complexity: 'N/A',
    handler: pfselftest,
  }),
];
