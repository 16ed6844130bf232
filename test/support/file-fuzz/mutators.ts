// The mutations a fuzz input is made of. Generic ones work on any bytes (bit flips, truncation,
// bogus RDB lengths and string encodings, spliced ranges); structure-aware ones find the compact
// blobs inside a DUMP payload (listpacks, ziplists, intsets) and give them inconsistent headers,
// then put the payload back together with a correct CRC so the damage reaches the decoders
// instead of stopping at the checksum.
import { crc64 } from '../../../src-main/engine/persistence/rdb/crc64.js';
import { RdbInput } from '../../../src-main/engine/persistence/rdb/rdb-input.js';
import type { Random } from './random.js';

/** Values that break length arithmetic: 0, 1, around 2^7/2^8/2^14/2^15/2^16/2^31/2^32, 2^53, 2^63, 2^64-1. */
const INTERESTING_U32 = [
  0, 1, 0x7f, 0x80, 0xff, 0x3fff, 0x4000, 0x7fff, 0x8000, 0xffff, 0x10000, 0x3fffffff, 0x40000000, 0x7fffffff, 0x80000000, 0xfffffffe,
  0xffffffff,
];
const INTERESTING_U64 = [0n, 1n, 0xffffffffn, 0x100000000n, (1n << 53n) - 1n, 1n << 53n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n];
const INTERESTING_BYTES = [
  0x00, 0x01, 0x3f, 0x40, 0x7f, 0x80, 0x81, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xe0, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xfe, 0xff,
];

export type Mutation = (data: Buffer, rng: Random) => Buffer;

const flipBits: Mutation = (data, rng) => {
  if (data.length === 0) return data;
  const out = Buffer.from(data);
  for (let n = 1 + rng.int(4); n > 0; n--) out[rng.int(out.length)]! ^= 1 << rng.int(8);
  return out;
};

const setByte: Mutation = (data, rng) => {
  if (data.length === 0) return data;
  const out = Buffer.from(data);
  out[rng.int(out.length)] = rng.chance(0.7) ? rng.pick(INTERESTING_BYTES) : rng.int(256);
  return out;
};

const truncate: Mutation = (data, rng) => data.subarray(0, rng.int(data.length));

const insertBytes: Mutation = (data, rng) => {
  const at = rng.int(data.length + 1);
  return Buffer.concat([data.subarray(0, at), rng.bytes(1 + rng.int(8)), data.subarray(at)]);
};

const deleteRange: Mutation = (data, rng) => {
  if (data.length < 2) return data;
  const at = rng.int(data.length);
  const len = 1 + rng.int(Math.min(16, data.length - at));
  return Buffer.concat([data.subarray(0, at), data.subarray(at + len)]);
};

const duplicateRange: Mutation = (data, rng) => {
  if (data.length < 2) return data;
  const at = rng.int(data.length);
  const len = 1 + rng.int(Math.min(64, data.length - at));
  return Buffer.concat([data.subarray(0, at + len), data.subarray(at, at + len), data.subarray(at + len)]);
};

/** Overwrites bytes with an RDB length of 32 or 64 bits (rdbSaveLen's 0x80 / 0x81) holding a huge value. */
const bogusLength: Mutation = (data, rng) => {
  if (data.length === 0) return data;
  const at = rng.int(data.length);
  let enc: Buffer;
  if (rng.chance(0.5)) {
    enc = Buffer.alloc(5);
    enc[0] = 0x80;
    enc.writeUInt32BE(rng.pick(INTERESTING_U32), 1);
  } else {
    enc = Buffer.alloc(9);
    enc[0] = 0x81;
    enc.writeBigUInt64BE(rng.pick(INTERESTING_U64), 1);
  }
  return overwrite(data, at, enc);
};

/** Overwrites bytes with a string encoding: an LZF header with bogus lengths, an integer, or an unknown one. */
const bogusEncoding: Mutation = (data, rng) => {
  if (data.length === 0) return data;
  const at = rng.int(data.length);
  const choice = rng.int(4);
  let enc: Buffer;
  if (choice === 0) enc = Buffer.concat([Buffer.from([0xc3]), rdbLength(rng.pick(INTERESTING_U32)), rdbLength(rng.pick(INTERESTING_U32))]);
  else if (choice === 1) enc = Buffer.from([0xc3, rng.int(64), rng.int(64)]);
  else if (choice === 2) enc = Buffer.from([0xc0 | rng.int(3), rng.int(256), rng.int(256), rng.int(256), rng.int(256)]);
  else enc = Buffer.from([0xc4 + rng.int(60)]);
  return overwrite(data, at, enc);
};

/** A u32 or u16 field somewhere set to a boundary value, little-endian (blob headers are LE). */
const bogusLittleEndianField: Mutation = (data, rng) => {
  if (data.length < 4) return data;
  const out = Buffer.from(data);
  const at = rng.int(data.length - 3);
  if (rng.chance(0.5)) out.writeUInt32LE(rng.pick(INTERESTING_U32), at);
  else out.writeUInt16LE(rng.pick(INTERESTING_U32) & 0xffff, at);
  return out;
};

export const GENERIC_MUTATIONS: Array<[string, Mutation]> = [
  ['flip-bits', flipBits],
  ['set-byte', setByte],
  ['truncate', truncate],
  ['insert-bytes', insertBytes],
  ['delete-range', deleteRange],
  ['duplicate-range', duplicateRange],
  ['bogus-length', bogusLength],
  ['bogus-encoding', bogusEncoding],
  ['bogus-le-field', bogusLittleEndianField],
];

function overwrite(data: Buffer, at: number, bytes: Buffer): Buffer {
  const out = Buffer.from(data);
  if (at + bytes.length > out.length) return Buffer.concat([out.subarray(0, at), bytes]);
  bytes.copy(out, at);
  return out;
}

/** rdbSaveLen. */
export function rdbLength(n: number): Buffer {
  if (n < 64) return Buffer.from([n]);
  if (n < 16384) return Buffer.from([0x40 | (n >> 8), n & 0xff]);
  if (n <= 0xffffffff) {
    const b = Buffer.alloc(5);
    b[0] = 0x80;
    b.writeUInt32BE(n, 1);
    return b;
  }
  const b = Buffer.alloc(9);
  b[0] = 0x81;
  b.writeBigUInt64BE(BigInt(n), 1);
  return b;
}

/** An RDB string, never compressed. */
export function rdbString(bytes: Buffer): Buffer {
  return Buffer.concat([rdbLength(bytes.length), bytes]);
}

// ---- DUMP payloads: footer, and the compact blobs inside ----

const FOOTER = 10;

/** The payload's body (type byte and value), without the version and CRC footer. */
export function payloadBody(payload: Buffer): Buffer {
  return payload.subarray(0, Math.max(0, payload.length - FOOTER));
}

/** Body + RDB version (2 bytes LE) + CRC-64 of both, as DUMP writes it. */
export function sealPayload(body: Buffer, rdbVersion: number): Buffer {
  const version = Buffer.alloc(2);
  version.writeUInt16LE(rdbVersion);
  const head = Buffer.concat([body, version]);
  return Buffer.concat([head, crc64(head).toLittleEndian()]);
}

export type BlobKind = 'listpack' | 'ziplist' | 'intset';

export interface Blob {
  kind: BlobKind;
  /** Where the blob's RDB string (length prefix included) starts and ends in the body. */
  start: number;
  end: number;
  /** The blob itself, decompressed. */
  bytes: Buffer;
}

/** The listpacks, ziplists and intsets a payload body holds, found as rdbLoadObject reads them. */
export function findBlobs(body: Buffer): Blob[] {
  const input = new RdbInput('DUMP payload');
  input.reset(body, 0, true);
  const blobs: Blob[] = [];
  const take = (kind: BlobKind) => {
    const start = input.pos;
    const bytes = input.string();
    blobs.push({ kind, start, end: input.pos, bytes });
  };
  try {
    const type = input.u8();
    switch (type) {
      case 10:
      case 12:
      case 13:
        take('ziplist');
        break;
      case 11:
        take('intset');
        break;
      case 16:
      case 17:
      case 20:
        take('listpack');
        break;
      case 14:
      case 18: {
        const nodes = input.length();
        for (let i = 0; i < nodes; i++) {
          const container = type === 18 ? input.length() : 2;
          if (container === 1) input.string();
          else take(type === 18 ? 'listpack' : 'ziplist');
        }
        break;
      }
      case 15:
      case 19:
      case 21: {
        const nodes = input.length();
        for (let i = 0; i < nodes; i++) {
          input.string();
          take('listpack');
        }
        break;
      }
    }
  } catch {
    // A seed we cannot walk simply offers no blobs.
  }
  return blobs;
}

/** Header fields and entries that, when inconsistent, each decoder must notice. */
export function mutateBlob(blob: Blob, rng: Random): Buffer {
  const b = Buffer.from(blob.bytes);
  const bogus32 = () => (rng.chance(0.5) ? rng.pick(INTERESTING_U32) : Math.max(0, b.length + rng.int(9) - 4));
  const bogus16 = () => (rng.chance(0.5) ? rng.pick([0, 1, 0xfffe, 0xffff]) : rng.int(0x10000));
  switch (blob.kind) {
    case 'listpack': {
      if (b.length < 7) return b;
      const choice = rng.int(5);
      if (choice === 0)
        b.writeUInt32LE(bogus32(), 0); // lpBytes
      else if (choice === 1)
        b.writeUInt16LE(bogus16(), 4); // lpLength
      else if (choice === 2)
        b[b.length - 1] = rng.int(255); // the 0xFF terminator
      else if (choice === 3) {
        // the first entry becomes a 32-bit string of a huge length
        const huge = Buffer.alloc(5);
        huge[0] = 0xf0;
        huge.writeUInt32LE(rng.pick(INTERESTING_U32), 1);
        return overwrite(b, 6, huge);
      } else b[6 + rng.int(b.length - 7)] = rng.pick(INTERESTING_BYTES); // an entry's encoding or backlen
      return b;
    }
    case 'ziplist': {
      if (b.length < 11) return b;
      const choice = rng.int(5);
      if (choice === 0)
        b.writeUInt32LE(bogus32(), 0); // zlbytes
      else if (choice === 1)
        b.writeUInt32LE(bogus32(), 4); // zltail
      else if (choice === 2)
        b.writeUInt16LE(bogus16(), 8); // zllen
      else if (choice === 3)
        b[10] = rng.pick([0x00, 0x01, 0xfe, 0xff]); // the first entry's prevlen
      else b[10 + rng.int(b.length - 11)] = rng.pick(INTERESTING_BYTES);
      return b;
    }
    case 'intset': {
      if (b.length < 8) return b;
      const choice = rng.int(4);
      if (choice === 0)
        b.writeUInt32LE(rng.pick([0, 1, 2, 3, 4, 8, 16, 0xffffffff]), 0); // encoding
      else if (choice === 1)
        b.writeUInt32LE(rng.chance(0.5) ? rng.pick(INTERESTING_U32) : (b.readUInt32LE(4) + rng.int(5) - 2) >>> 0, 4); // length
      else if (choice === 2 && b.length >= 8 + 4) {
        // two members swapped or made equal: no longer sorted and unique
        const width = b.readUInt32LE(0);
        if (width === 2 || width === 4 || width === 8) {
          const count = (b.length - 8) / width;
          const i = rng.int(count);
          const j = rng.int(count);
          b.copy(b, 8 + i * width, 8 + j * width, 8 + (j + 1) * width);
        }
      } else return b.subarray(0, b.length - 1 - rng.int(Math.min(8, b.length - 8)));
      return b;
    }
  }
}

/**
 * One mutation of a DUMP payload: a blob given a bad header (when it has any) or a generic
 * mutation of the body; then, most of the time, resealed with a correct CRC.
 */
export function mutatePayload(payload: Buffer, rng: Random, others: Buffer[]): { bytes: Buffer; how: string } {
  const version = payload.readUInt16LE(payload.length - FOOTER);
  let body: Buffer = payloadBody(payload);
  const steps: string[] = [];
  const blobs = findBlobs(body);
  for (let n = 1 + rng.int(rng.chance(0.7) ? 1 : 3); n > 0; n--) {
    if (blobs.length > 0 && rng.chance(0.5)) {
      const blob = rng.pick(blobs);
      body = Buffer.concat([body.subarray(0, blob.start), rdbString(mutateBlob(blob, rng)), body.subarray(blob.end)]);
      steps.push(`${blob.kind}-header`);
      blobs.length = 0; // offsets moved
    } else if (others.length > 0 && rng.chance(0.05)) {
      const other = payloadBody(rng.pick(others));
      const at = rng.int(body.length);
      body = Buffer.concat([body.subarray(0, at), other.subarray(rng.int(other.length))]);
      steps.push('splice');
    } else {
      const [name, mutate] = rng.pick(GENERIC_MUTATIONS);
      body = mutate(body, rng);
      steps.push(name);
    }
  }
  if (rng.chance(0.1)) {
    // The footer itself: a wrong CRC, a newer version, or cut.
    const choice = rng.int(3);
    const sealed = sealPayload(body, version);
    if (choice === 0) sealed[sealed.length - 1 - rng.int(8)]! ^= 1 << rng.int(8);
    else if (choice === 1) sealed.writeUInt16LE(rng.pick([11, 12, 0xff, 0xffff]), body.length);
    steps.push(['bad-crc', 'newer-version', 'cut-footer'][choice]!);
    return { bytes: choice === 2 ? sealed.subarray(0, rng.int(sealed.length)) : sealed, how: steps.join('+') };
  }
  return { bytes: sealPayload(body, version), how: steps.join('+') };
}

// ---- RDB files ----

/** An RDB file holding one key whose value is a DUMP payload's body (type byte and value). */
export function rdbFileFromPayloadBody(body: Buffer, key = 'k'): Buffer {
  const head = Buffer.concat([
    Buffer.from('REDIS0010', 'latin1'),
    Buffer.from([0xfe, 0x00]),
    body.subarray(0, 1),
    rdbString(Buffer.from(key)),
    body.subarray(1),
    Buffer.from([0xff]),
  ]);
  return Buffer.concat([head, crc64(head).toLittleEndian()]);
}

/** A generic mutation of a whole RDB file, with its CRC trailer recomputed most of the time. */
export function mutateRdbFile(file: Buffer, rng: Random): { bytes: Buffer; how: string } {
  const hasCrc = file.length > 17 && !file.subarray(file.length - 8).every((x) => x === 0);
  let body: Buffer = hasCrc ? file.subarray(0, file.length - 8) : file;
  const steps: string[] = [];
  for (let n = 1 + rng.int(rng.chance(0.7) ? 1 : 3); n > 0; n--) {
    const [name, mutate] = rng.pick(GENERIC_MUTATIONS);
    body = mutate(body, rng);
    steps.push(name);
  }
  if (!hasCrc) return { bytes: body, how: steps.join('+') };
  if (rng.chance(0.1)) {
    steps.push('stale-crc');
    return { bytes: Buffer.concat([body, file.subarray(file.length - 8)]), how: steps.join('+') };
  }
  return { bytes: Buffer.concat([body, crc64(body).toLittleEndian()]), how: steps.join('+') };
}

// ---- AOF files and manifests ----

/** RESP numbers in an AOF (`*N`, `$N`) replaced by huge, negative, empty or non-numeric ones, or generic damage. */
export function mutateAof(file: Buffer, rng: Random): { bytes: Buffer; how: string } {
  const text = file.toString('latin1');
  const headers = [...text.matchAll(/[*$]-?\d*\r?\n/g)];
  if (headers.length > 0 && rng.chance(0.5)) {
    const m = rng.pick(headers);
    const replacement = rng.pick(['-1', '0', '4294967296', '2147483648', '99999999999999999999', '', 'x', '1e9', ' 3', '-2147483649']);
    const at = m.index! + 1;
    const end = at + m[0].length - 1 - (m[0].endsWith('\r\n') ? 2 : 1);
    const out = text.slice(0, at) + replacement + text.slice(end);
    return { bytes: Buffer.from(out, 'latin1'), how: `aof-number:${replacement}` };
  }
  const [name, mutate] = rng.pick(GENERIC_MUTATIONS);
  return { bytes: mutate(file, rng), how: name };
}

/** Manifest lines made invalid in the ways aofLoadManifestFromFile checks, or generic damage. */
export function mutateManifest(file: Buffer, rng: Random): { bytes: Buffer; how: string } {
  const lines = file.toString('latin1').split('\n');
  const i = rng.int(Math.max(1, lines.length - 1));
  const choice = rng.int(9);
  const edits: Array<[string, () => void]> = [
    ['seq', () => (lines[i] = lines[i]!.replace(/seq \S+/, `seq ${rng.pick(['0', '-1', 'x', '99999999999999999999', '1'])}`))],
    ['type', () => (lines[i] = lines[i]!.replace(/type \S+/, `type ${rng.pick(['x', '', 'bb', 'h', 'i', 'b'])}`))],
    ['file', () => (lines[i] = lines[i]!.replace(/file \S+/, `file ${rng.pick(['a/b', '"unterminated', '"\\x4', "'q'", '..\\x', '""'])}`))],
    ['long-line', () => (lines[i] = lines[i]! + ' x'.repeat(600))],
    ['empty-line', () => lines.splice(i, 0, '')],
    ['duplicate', () => lines.splice(i, 0, lines[i]!)],
    ['odd-args', () => (lines[i] = lines[i]! + ' extra')],
    ['no-newline', () => lines.pop()],
    ['comment', () => lines.splice(i, 0, '# ' + 'c'.repeat(rng.int(2000)))],
  ];
  edits[choice]![1]();
  if (rng.chance(0.3)) {
    const [name, mutate] = rng.pick(GENERIC_MUTATIONS);
    return { bytes: mutate(Buffer.from(lines.join('\n'), 'latin1'), rng), how: `${edits[choice]![0]}+${name}` };
  }
  return { bytes: Buffer.from(lines.join('\n'), 'latin1'), how: edits[choice]![0] };
}
