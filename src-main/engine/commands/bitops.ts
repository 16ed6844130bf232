// Bit operations on strings (bitops.c): SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO.
// Bits are numbered from the most significant bit of the first byte, as in Redis.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { STRING_ENCODING_RAW, withStringEncoding } from '../keyspace/object-header.js';
import { parseInt64, parseInteger } from '../util/numbers.js';
import { keySpec, defineCommand, type CommandSpec } from '../core/command-table.js';
import { ERR, is } from '../core/replies.js';
import { maxStringLength, readString, storeString, writableString } from './string-access.js';

const BIT_OFFSET_ERROR = 'ERR bit offset is not an integer or out of range';

/** Set bits per byte value. */
const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1]!;

function popcount(s: BinaryString, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) count += POPCOUNT[s.charCodeAt(i)]!;
  return count;
}

/**
 * getBitOffsetFromArgument: a bit offset within proto-max-bulk-len bytes. With `fieldBits`
 * (BITFIELD), "#n" means the n-th field of that width. Undefined after replying.
 */
function bitOffsetArg(client: Client, arg: BinaryString, fieldBits = 0): number | undefined {
  const byField = fieldBits > 0 && arg.startsWith('#');
  const n = parseInt64(byField ? arg.slice(1) : arg);
  const offset = n === null ? null : byField ? n * BigInt(fieldBits) : n;
  const maxBytes = BigInt(maxStringLength(client));
  if (offset === null || offset < 0n || offset >> 3n >= maxBytes) {
    client.reply.error(BIT_OFFSET_ERROR);
    return undefined;
  }
  return Number(offset);
}

/** The string grown with zero bytes to hold `bytes` bytes (sdsgrowzero). */
function grown(value: BinaryString, bytes: number): BinaryString {
  return value.length >= bytes ? value : value + '\0'.repeat(bytes - value.length);
}

interface BitRange {
  /** Inclusive bit positions inside the string; empty when first > last. */
  first: number;
  last: number;
}

/**
 * The start/end arguments of BITCOUNT and BITPOS, in bytes or (BIT) bits, with negative
 * indexes from the end, clamped to the string as Redis does, and returned as bit positions.
 */
function clampRange(start: bigint, end: bigint, byteLength: number, unitIsBit: boolean): BitRange {
  const total = BigInt(unitIsBit ? byteLength * 8 : byteLength);
  if (start < 0n) start += total;
  if (end < 0n) end += total;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= total) end = total - 1n;
  if (start > end) return { first: 1, last: 0 };
  return unitIsBit ? { first: Number(start), last: Number(end) } : { first: Number(start) * 8, last: Number(end) * 8 + 7 };
}

/** The BYTE|BIT argument; null on a syntax error. */
function rangeUnit(arg: BinaryString | undefined): 'bit' | 'byte' | null {
  if (arg === undefined || is(arg, 'byte')) return 'byte';
  return is(arg, 'bit') ? 'bit' : null;
}

function bitAt(s: BinaryString, bit: number): number {
  return (s.charCodeAt(bit >> 3) >> (7 - (bit & 7))) & 1;
}

/** Number of set bits in the bit range (whole bytes through the table, edges bit by bit). */
function countBits(s: BinaryString, { first, last }: BitRange): number {
  let count = 0;
  let bit = first;
  for (; bit <= last && (bit & 7) !== 0; bit++) count += bitAt(s, bit);
  const wholeEnd = (last + 1) >> 3;
  if (bit >> 3 < wholeEnd) {
    count += popcount(s, bit >> 3, wholeEnd);
    bit = wholeEnd * 8;
  }
  for (; bit <= last; bit++) count += bitAt(s, bit);
  return count;
}

/** Position of the first bit equal to `wanted` in the range, or -1. */
function findBit(s: BinaryString, wanted: number, { first, last }: BitRange): number {
  const skip = wanted === 1 ? 0 : 0xff; // a byte with no candidate bit
  let bit = first;
  while (bit <= last) {
    if ((bit & 7) === 0 && bit + 7 <= last && s.charCodeAt(bit >> 3) === skip) {
      bit += 8;
      continue;
    }
    if (bitAt(s, bit) === wanted) return bit;
    bit++;
  }
  return -1;
}

type BitOp = 'and' | 'or' | 'xor' | 'not';

/** bitopCommand's computation over the sources (missing keys are empty strings). */
function combine(op: BitOp, sources: BinaryString[], length: number): BinaryString {
  const out = Buffer.alloc(length);
  const buffers = sources.map((s) => Buffer.from(s, 'latin1'));
  if (op === 'not') {
    const src = buffers[0]!;
    for (let i = 0; i < length; i++) out[i] = ~src[i]! & 0xff;
  } else {
    // Bytes past the end of a shorter source count as zero.
    const byteAt = (b: Buffer, i: number) => (i < b.length ? b[i]! : 0);
    for (let i = 0; i < length; i++) {
      let acc = byteAt(buffers[0]!, i);
      for (let k = 1; k < buffers.length; k++) {
        const v = byteAt(buffers[k]!, i);
        acc = op === 'and' ? acc & v : op === 'or' ? acc | v : acc ^ v;
      }
      out[i] = acc;
    }
  }
  return out.toString('latin1');
}

// --- BITFIELD ----------------------------------------------------------------------------------

type Overflow = 'wrap' | 'sat' | 'fail';

interface FieldOp {
  op: 'get' | 'set' | 'incrby';
  signed: boolean;
  bits: number;
  offset: number;
  value: bigint;
  overflow: Overflow;
}

const FIELD_TYPE_ERROR = 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';

/** getBitfieldTypeFromArgument: i1..i64 or u1..u63; undefined after replying. */
function fieldTypeArg(client: Client, arg: BinaryString): { signed: boolean; bits: number } | undefined {
  const signed = arg[0] === 'i';
  const bits = arg[0] === 'i' || arg[0] === 'u' ? parseInteger(arg.slice(1)) : null;
  if (bits === null || bits < 1 || bits > (signed ? 64 : 63)) {
    client.reply.error(FIELD_TYPE_ERROR);
    return undefined;
  }
  return { signed, bits };
}

/** bitfieldGeneric's argument loop: the operations, or null after replying. */
function parseFieldOps(client: Client, argv: BinaryString[]): FieldOp[] | null {
  const ops: FieldOp[] = [];
  let overflow: Overflow = 'wrap';
  for (let j = 2; j < argv.length; j++) {
    const remaining = argv.length - j - 1;
    const name = argv[j]!.toLowerCase();
    if (name === 'overflow' && remaining >= 1) {
      const kind = argv[++j]!.toLowerCase();
      if (kind !== 'wrap' && kind !== 'sat' && kind !== 'fail') {
        client.reply.error('ERR Invalid OVERFLOW type specified');
        return null;
      }
      overflow = kind;
      continue;
    }
    if (!((name === 'get' && remaining >= 2) || ((name === 'set' || name === 'incrby') && remaining >= 3))) {
      client.reply.error(ERR.syntax);
      return null;
    }
    const type = fieldTypeArg(client, argv[j + 1]!);
    if (!type) return null;
    const offset = bitOffsetArg(client, argv[j + 2]!, type.bits);
    if (offset === undefined) return null;
    let value = 0n;
    if (name !== 'get') {
      const n = parseInt64(argv[j + 3]!);
      if (n === null) {
        client.reply.error(ERR.notInteger);
        return null;
      }
      value = n;
    }
    ops.push({ op: name, signed: type.signed, bits: type.bits, offset, value, overflow });
    j += name === 'get' ? 2 : 3;
  }
  return ops;
}

/** get(Un)signedBitfield: `bits` bits at bit `offset`, zero past the end of the buffer. */
function readField(buf: Buffer, offset: number, bits: number, signed: boolean): bigint {
  let v = 0n;
  for (let i = 0; i < bits; i++) {
    const bit = offset + i;
    const byte = bit >> 3;
    const set = byte < buf.length ? (buf[byte]! >> (7 - (bit & 7))) & 1 : 0;
    v = (v << 1n) | BigInt(set);
  }
  return signed ? BigInt.asIntN(bits, v) : v;
}

function writeField(buf: Buffer, offset: number, bits: number, value: bigint): void {
  for (let i = bits - 1; i >= 0; i--, value >>= 1n) {
    const bit = offset + i;
    const mask = 1 << (7 - (bit & 7));
    if (value & 1n) buf[bit >> 3]! |= mask;
    else buf[bit >> 3]! &= ~mask;
  }
}

/**
 * check(Un)signedBitfieldOverflow: the value to store for `value + incr` in the field, or null
 * when it overflows under FAIL. Redis computes in 64-bit two's complement; so does this.
 */
function fieldResult(value: bigint, incr: bigint, f: FieldOp): bigint | null {
  const int64 = (x: bigint) => BigInt.asIntN(64, x);
  let tooBig: boolean;
  let tooSmall: boolean;
  let max: bigint;
  let min: bigint;
  if (f.signed) {
    max = (1n << BigInt(f.bits - 1)) - 1n;
    min = -max - 1n;
    const maxIncr = int64(max - value);
    const minIncr = int64(min - value);
    const narrow = f.bits !== 64;
    tooBig = value > max || (narrow && incr > maxIncr) || (value >= 0n && incr > 0n && incr > maxIncr);
    tooSmall = !tooBig && (value < min || (narrow && incr < minIncr) || (value < 0n && incr < 0n && incr < minIncr));
  } else {
    max = (1n << BigInt(f.bits)) - 1n;
    min = 0n;
    tooBig = value > max || (incr > 0n && incr > int64(max - value));
    tooSmall = !tooBig && incr < 0n && incr < int64(-value);
  }
  if (!tooBig && !tooSmall) return value + incr;
  if (f.overflow === 'fail') return null;
  if (f.overflow === 'sat') return tooBig ? max : min;
  return f.signed ? BigInt.asIntN(f.bits, value + incr) : BigInt.asUintN(f.bits, value + incr);
}

/**
 * For a write that changed nothing: lookupStringForBitCommand has still unshared the existing
 * value (dbUnshareStringValue), so OBJECT ENCODING now says raw, though it is no change.
 */
function leaveUnshared(client: Client, key: BinaryString): void {
  client.db.setObjectHeader(key, withStringEncoding(client.db.objectHeader(key)!, STRING_ENCODING_RAW));
}

/** bitfieldGeneric: BITFIELD, and BITFIELD_RO (`readOnly`: GET only). */
function bitfield(client: Client, argv: BinaryString[], readOnly: boolean): void {
  const key = argv[1]!;
  const ops = parseFieldOps(client, argv);
  if (!ops) return;
  const writes = ops.filter((f) => f.op !== 'get');
  let current: BinaryString | undefined | null;
  if (writes.length === 0) {
    current = readString(client, key);
  } else if (readOnly) {
    client.reply.error('ERR BITFIELD_RO only supports the GET subcommand');
    return;
  } else {
    current = writableString(client, key);
  }
  if (current === null) return;
  const highestBit = Math.max(-1, ...writes.map((f) => f.offset + f.bits - 1));
  const neededBytes = writes.length === 0 ? 0 : (highestBit >> 3) + 1;
  const grew = writes.length !== 0 && (current === undefined || current.length < neededBytes);
  const buf = Buffer.from(grown(current ?? '', neededBytes), 'latin1');
  let changes = 0;
  client.reply.arrayHeader(ops.length);
  for (const f of ops) {
    const old = readField(buf, f.offset, f.bits, f.signed);
    if (f.op === 'get') {
      client.reply.integer(old);
      continue;
    }
    // SET's value is taken as the field's C type (unsigned: the 64-bit pattern).
    const given = f.signed ? f.value : BigInt.asUintN(64, f.value);
    const next = f.op === 'incrby' ? fieldResult(old, f.value, f) : fieldResult(given, 0n, f);
    if (next === null) {
      client.reply.null();
      continue;
    }
    client.reply.integer(f.op === 'incrby' ? next : old);
    writeField(buf, f.offset, f.bits, next);
    if (grew || next !== old) changes++;
  }
  if (changes === 0 && !grew) {
    if (writes.length !== 0 && current !== undefined) leaveUnshared(client, key);
    return;
  }
  const db = client.db;
  storeString(db, key, buf.toString('latin1'), 'keep', STRING_ENCODING_RAW);
  if (changes > 1) db.changed(key, changes - 1);
  if (changes > 0) client.server.keyspaceEvents.notify('$', 'setbit', key, db.id);
  // The string grew (or was created) but no write succeeded (OVERFLOW FAIL): Redis counts no
  // change (server.dirty += changes), so nothing is propagated.
  else client.server.propagation.prevent();
}

const KEY = { name: 'key', type: 'key' } as const;

/** A command of this family: ACL category and COMMAND DOCS group @bitmap. */
function command(spec: Omit<Parameters<typeof defineCommand>[0], 'group' | 'acl'>): CommandSpec {
  return defineCommand({ ...spec, acl: ['bitmap'], group: 'bitmap' });
}

/**
 * db.c bitfieldGetKeys: whether a BITFIELD call only reads (GET and OVERFLOW operations); SET,
 * INCRBY or a syntax error make it a write.
 */
function bitfieldReadsOnly(argv: BinaryString[]): boolean {
  for (let i = 2; i < argv.length; i++) {
    const more = argv.length - i - 1;
    const op = argv[i]!.toLowerCase();
    if (op === 'get' && more >= 2) i += 2;
    else if (op === 'overflow' && more >= 1) i += 1;
    else return false;
  }
  return true;
}

export const bitCommands: CommandSpec[] = [
  command({
    name: 'setbit',
    arity: 4,
    flags: ['write', 'denyoom'],
    keySpecs: [keySpec('RW access update', 1)],
    summary: 'Sets or clears the bit at offset in the string value stored at key',
    since: '2.2.0',
    complexity: 'O(1)',
    arguments: [KEY, { name: 'offset', type: 'integer' }, { name: 'value', type: 'integer' }],
    handler(client, argv) {
      const key = argv[1]!;
      const offset = bitOffsetArg(client, argv[2]!);
      if (offset === undefined) return;
      const on = parseInteger(argv[3]!);
      if (on !== 0 && on !== 1) {
        client.reply.error('ERR bit is not an integer or out of range');
        return;
      }
      const current = writableString(client, key);
      if (current === null) return;
      const byte = offset >> 3;
      const value = grown(current ?? '', byte + 1);
      const old = value.charCodeAt(byte);
      const mask = 1 << (7 - (offset & 7));
      const wasOn = (old & mask) !== 0;
      // setbitCommand: only a new key, a longer string or a flipped bit is a change (event,
      // modified key, propagation).
      if (current === undefined || value.length !== current.length || wasOn !== (on === 1)) {
        const updated = on ? old | mask : old & ~mask;
        const result = value.slice(0, byte) + String.fromCharCode(updated) + value.slice(byte + 1);
        storeString(client.db, key, result, 'keep', STRING_ENCODING_RAW);
        client.server.keyspaceEvents.notify('$', 'setbit', key, client.db.id);
      } else {
        leaveUnshared(client, key);
      }
      client.reply.integer(wasOn ? 1 : 0);
    },
  }),
  command({
    name: 'getbit',
    arity: 3,
    flags: ['readonly', 'fast'],
    keySpecs: [keySpec('RO access', 1)],
    summary: 'Returns the bit value at offset in the string value stored at key',
    since: '2.2.0',
    complexity: 'O(1)',
    arguments: [KEY, { name: 'offset', type: 'integer' }],
    handler(client, argv) {
      const offset = bitOffsetArg(client, argv[2]!);
      if (offset === undefined) return;
      const value = readString(client, argv[1]!);
      if (value === null) return;
      client.reply.integer(value !== undefined && offset >> 3 < value.length ? bitAt(value, offset) : 0);
    },
  }),
  command({
    name: 'bitcount',
    arity: -2,
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    summary: 'Count set bits in a string',
    since: '2.6.0',
    history: [['7.0.0', 'Added the `BYTE|BIT` option.']],
    complexity: 'O(N)',
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'index',
        type: 'block',
        optional: true,
        arguments: [
          { name: 'start', type: 'integer' },
          { name: 'end', type: 'integer' },
          {
            name: 'index_unit',
            type: 'oneof',
            optional: true,
            since: '7.0.0',
            arguments: [
              { name: 'byte', type: 'pure-token', token: 'BYTE' },
              { name: 'bit', type: 'pure-token', token: 'BIT' },
            ],
          },
        ],
      },
    ],
    handler(client, argv) {
      // 7.0 looks the key up before parsing the range (a missing key is 0 whatever follows).
      const value = readString(client, argv[1]!);
      if (value === null) return;
      if (value === undefined) {
        client.reply.integer(0);
        return;
      }
      if (argv.length === 2) {
        client.reply.integer(popcount(value, 0, value.length));
        return;
      }
      if (argv.length > 5) {
        client.reply.error(ERR.syntax);
        return;
      }
      const start = parseInt64(argv[2]!);
      const end = argv[3] === undefined ? null : parseInt64(argv[3]);
      if (start === null || end === null) {
        client.reply.error(argv[3] === undefined ? ERR.syntax : ERR.notInteger);
        return;
      }
      if (start < 0n && end < 0n && start > end) {
        client.reply.integer(0);
        return;
      }
      const unit = rangeUnit(argv[4]);
      if (unit === null) {
        client.reply.error(ERR.syntax);
        return;
      }
      client.reply.integer(countBits(value, clampRange(start, end, value.length, unit === 'bit')));
    },
  }),
  command({
    name: 'bitpos',
    arity: -3,
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    summary: 'Find first bit set or clear in a string',
    since: '2.8.7',
    history: [['7.0.0', 'Added the `BYTE|BIT` option.']],
    complexity: 'O(N)',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'bit', type: 'integer' },
      {
        name: 'index',
        type: 'block',
        optional: true,
        arguments: [
          { name: 'start', type: 'integer' },
          {
            name: 'end_index',
            type: 'block',
            optional: true,
            arguments: [
              { name: 'end', type: 'integer' },
              {
                name: 'index_unit',
                type: 'oneof',
                optional: true,
                since: '7.0.0',
                arguments: [
                  { name: 'byte', type: 'pure-token', token: 'BYTE' },
                  { name: 'bit', type: 'pure-token', token: 'BIT' },
                ],
              },
            ],
          },
        ],
      },
    ],
    handler(client, argv) {
      const wanted = parseInteger(argv[2]!);
      if (wanted === null) {
        client.reply.error(ERR.notInteger);
        return;
      }
      if (wanted !== 0 && wanted !== 1) {
        client.reply.error('ERR The bit argument must be 1 or 0.');
        return;
      }
      // A missing key is an infinite run of zeros.
      const value = readString(client, argv[1]!);
      if (value === null) return;
      if (value === undefined) {
        client.reply.integer(wanted ? -1 : 0);
        return;
      }
      if (argv.length > 6) {
        client.reply.error(ERR.syntax);
        return;
      }
      let range: BitRange = { first: 0, last: value.length * 8 - 1 };
      const endGiven = argv.length >= 5;
      if (argv.length >= 4) {
        const start = parseInt64(argv[3]!);
        if (start === null) {
          client.reply.error(ERR.notInteger);
          return;
        }
        const unit = rangeUnit(argv[5]);
        if (unit === null) {
          client.reply.error(ERR.syntax);
          return;
        }
        const end = endGiven ? parseInt64(argv[4]!) : -1n;
        if (end === null) {
          client.reply.error(ERR.notInteger);
          return;
        }
        range = clampRange(start, end, value.length, unit === 'bit');
      }
      if (range.first > range.last) {
        client.reply.integer(-1);
        return;
      }
      const found = findBit(value, wanted, range);
      // Looking for a 0 without an explicit end: the string continues with zeros to the right.
      if (found === -1 && wanted === 0 && !endGiven) client.reply.integer(range.last + 1);
      else client.reply.integer(found);
    },
  }),
  command({
    name: 'bitop',
    arity: -4,
    flags: ['write', 'denyoom'],
    keySpecs: [keySpec('OW update', 2), keySpec('RO access', 3, [-1, 1, 0])],
    summary: 'Perform bitwise operations between strings',
    since: '2.6.0',
    complexity: 'O(N)',
    arguments: [
      { name: 'operation', type: 'string' },
      { name: 'destkey', type: 'key' },
      { name: 'key', type: 'key', multiple: true, keySpecIndex: 1 },
    ],
    handler(client, argv) {
      const op = argv[1]!.toLowerCase();
      if (op !== 'and' && op !== 'or' && op !== 'xor' && op !== 'not') {
        client.reply.error(ERR.syntax);
        return;
      }
      if (op === 'not' && argv.length !== 4) {
        client.reply.error('ERR BITOP NOT must be called with a single source key.');
        return;
      }
      const sources: BinaryString[] = [];
      for (let j = 3; j < argv.length; j++) {
        const value = readString(client, argv[j]!);
        if (value === null) return;
        sources.push(value ?? '');
      }
      const length = Math.max(...sources.map((s) => s.length));
      const db = client.db;
      const dest = argv[2]!;
      if (length > 0) {
        storeString(db, dest, combine(op, sources, length), undefined, STRING_ENCODING_RAW);
        client.server.keyspaceEvents.notify('$', 'set', dest, db.id);
      } else if (db.delete(dest)) {
        client.server.keyspaceEvents.notify('g', 'del', dest, db.id);
      }
      client.reply.integer(length);
    },
  }),
  command({
    name: 'bitfield',
    arity: -2,
    flags: ['write', 'denyoom'],
    keySpecs: [keySpec('RW access update variable_flags', 1, [0, 1, 0], 'This command allows both access and modification of the key')],
    getKeys: (argv) => [{ pos: 1, flags: bitfieldReadsOnly(argv) ? ['RO', 'access'] : ['RW', 'access', 'update'] }],
    summary: 'Perform arbitrary bitfield integer operations on strings',
    since: '3.2.0',
    complexity: 'O(1) for each subcommand specified',
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'operation',
        type: 'oneof',
        optional: true,
        multiple: true,
        arguments: [
          {
            name: 'encoding_offset',
            type: 'block',
            token: 'GET',
            arguments: [
              { name: 'encoding', type: 'string' },
              { name: 'offset', type: 'integer' },
            ],
          },
          {
            name: 'write',
            type: 'block',
            arguments: [
              {
                name: 'wrap_sat_fail',
                type: 'oneof',
                token: 'OVERFLOW',
                optional: true,
                arguments: [
                  { name: 'wrap', type: 'pure-token', token: 'WRAP' },
                  { name: 'sat', type: 'pure-token', token: 'SAT' },
                  { name: 'fail', type: 'pure-token', token: 'FAIL' },
                ],
              },
              {
                name: 'write_operation',
                type: 'oneof',
                arguments: [
                  {
                    name: 'encoding_offset_value',
                    type: 'block',
                    token: 'SET',
                    arguments: [
                      { name: 'encoding', type: 'string' },
                      { name: 'offset', type: 'integer' },
                      { name: 'value', type: 'integer' },
                    ],
                  },
                  {
                    name: 'encoding_offset_increment',
                    type: 'block',
                    token: 'INCRBY',
                    arguments: [
                      { name: 'encoding', type: 'string' },
                      { name: 'offset', type: 'integer' },
                      { name: 'increment', type: 'integer' },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
    handler(client, argv) {
      bitfield(client, argv, false);
    },
  }),
  command({
    name: 'bitfield_ro',
    arity: -2,
    flags: ['readonly', 'fast'],
    keySpecs: [keySpec('RO access', 1)],
    summary: 'Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD',
    since: '6.0.0',
    complexity: 'O(1) for each subcommand specified',
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'encoding_offset',
        type: 'block',
        token: 'GET',
        optional: true,
        multiple: true,
        multipleToken: true,
        arguments: [
          { name: 'encoding', type: 'string' },
          { name: 'offset', type: 'integer' },
        ],
      },
    ],
    handler(client, argv) {
      bitfield(client, argv, true);
    },
  }),
];
