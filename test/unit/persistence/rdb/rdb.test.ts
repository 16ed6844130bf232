// RDB writer and reader against each other and against hand-built files of older versions:
// every type survives a round trip whatever the chunking, and damaged files fail loudly with
// the offset and Redis's wording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { RdbReader, readRdbBuffer } from '../../../../src-main/engine/persistence/rdb/rdb-reader.js';
import { RdbWriter, standardAuxFields, writeRdbToBuffer } from '../../../../src-main/engine/persistence/rdb/rdb-writer.js';
import { createDumpPayload, parseDumpPayload } from '../../../../src-main/engine/persistence/rdb/dump-payload.js';
import { DatasetDigest } from '../../../../src-main/engine/persistence/digest.js';
import { Crc64 } from '../../../../src-main/engine/persistence/rdb/crc64.js';
import type { RdbEntry, RdbValue, StreamValue } from '../../../../src-main/engine/persistence/value-model.js';

const b = (s: string) => Buffer.from(s);
const id = (ms: number, seq: number) => ({ ms: BigInt(ms), seq: BigInt(seq) });

function sampleStream(): StreamValue {
  const entries = [];
  for (let i = 1; i <= 250; i++) {
    entries.push({
      id: id(1000 + i, i % 3),
      fieldsAndValues: i % 10 === 0 ? [b('other'), b(`x${i}`)] : [b('f1'), b(`v${i}`), b('f2'), b(String(i))],
    });
  }
  return {
    entries,
    lastId: id(1250, 2),
    firstId: id(1001, 1),
    maxDeletedEntryId: id(0, 0),
    entriesAdded: 250n,
    groups: [
      {
        name: b('g1'),
        lastId: id(1002, 2),
        entriesRead: 2n,
        pending: [
          { id: id(1001, 1), deliveryTimeMs: 1700000000000, deliveryCount: 1 },
          { id: id(1002, 2), deliveryTimeMs: 1700000000001, deliveryCount: 3 },
        ],
        consumers: [{ name: b('alice'), seenTimeMs: 1700000000002, activeTimeMs: 1700000000002, pending: [id(1001, 1), id(1002, 2)] }],
      },
    ],
  };
}

function sampleEntries(): RdbEntry[] {
  const e = (db: number, key: string, value: RdbValue, expireAtMs: number | null = null): RdbEntry => ({
    db,
    key: b(key),
    value,
    expireAtMs,
  });
  return [
    e(0, 'str', { type: 'string', value: b('hello') }),
    e(0, 'int', { type: 'string', value: b('-12345') }),
    e(0, 'bigint', { type: 'string', value: b('123456789012') }),
    e(0, 'empty', { type: 'string', value: b('') }),
    e(0, 'compressible', { type: 'string', value: b('abc'.repeat(200)) }),
    e(0, 'binary', { type: 'string', value: randomBytes(300) }, 4102444800000),
    e(0, 'list', { type: 'list', items: [b('a'), b('1'), b('-7'), b('b'.repeat(100))] }),
    e(0, 'biglist', { type: 'list', items: Array.from({ length: 3000 }, (_, i) => b(i % 2 ? `item${i}` : String(i))) }),
    e(0, 'fatlist', { type: 'list', items: Array.from({ length: 5 }, (_, i) => b(String(i).repeat(10000))) }),
    e(0, 'intset', { type: 'set', members: [b('3'), b('-1'), b('5000000000')] }),
    e(0, 'strset', { type: 'set', members: [b('a'), b('b'), b('3')] }),
    e(0, 'bigset', { type: 'set', members: Array.from({ length: 600 }, (_, i) => b(String(i))) }),
    e(0, 'zset', {
      type: 'zset',
      entries: [
        [b('a'), 1.5],
        [b('b'), -Infinity],
        [b('c'), Infinity],
        [b('d'), 0.1],
        [b('e'), 3],
      ],
    }),
    e(0, 'bigzset', { type: 'zset', entries: Array.from({ length: 200 }, (_, i) => [b(`m${i}`), i / 7] as [Buffer, number]) }),
    e(
      0,
      'hash',
      {
        type: 'hash',
        entries: [
          [b('f'), b('v')],
          [b('n'), b('42')],
        ],
      },
      4102444800000,
    ),
    e(0, 'bighash', { type: 'hash', entries: [[b('long'), b('v'.repeat(65))]] }),
    e(0, 'stream', { type: 'stream', stream: sampleStream() }),
    e(7, 'other-db', { type: 'string', value: b('x') }),
    e(15, 'last-db', { type: 'list', items: [b('y')] }),
  ];
}

/** Entries in a comparable form (sets and hashes are unordered). */
function normalise(entries: RdbEntry[]): unknown[] {
  return entries.map((e) => {
    const v = e.value;
    let value: unknown = v;
    if (v.type === 'set') value = { type: 'set', members: v.members.map(String).sort() };
    if (v.type === 'zset') value = { type: 'zset', entries: v.entries.map(([m, s]) => `${m}=${s}`).sort() };
    if (v.type === 'hash') value = { type: 'hash', entries: v.entries.map(([f, x]) => `${f}=${x.toString('hex')}`).sort() };
    // The reader also reports the listpack nodes it read; the sample gives live entries only.
    if (v.type === 'stream') value = { type: 'stream', stream: { ...v.stream, nodes: undefined } };
    return { db: e.db, key: e.key.toString('hex'), value, expireAtMs: e.expireAtMs };
  });
}

test('every type round trips through writer and reader, with the aux fields', () => {
  const entries = sampleEntries();
  const aux = standardAuxFields({ usedMemory: 123, replication: { replId: 'a'.repeat(40), replOffset: 777, replStreamDb: 3 } });
  const file = writeRdbToBuffer(aux, entries);
  assert.equal(file.subarray(0, 9).toString(), 'REDIS0010');
  const read: RdbEntry[] = [];
  const result = readRdbBuffer(file, (e) => read.push(e));
  assert.equal(result.version, 10);
  assert.equal(result.checksum, 'verified');
  assert.equal(result.bytesConsumed, file.length);
  assert.deepEqual(
    [...result.aux.keys()],
    ['redis-ver', 'redis-bits', 'ctime', 'used-mem', 'repl-stream-db', 'repl-id', 'repl-offset', 'aof-base'],
  );
  assert.equal(result.aux.get('repl-id'), 'a'.repeat(40));
  assert.equal(result.aux.get('repl-offset'), '777');
  assert.deepEqual(normalise(read), normalise(entries));
});

test('reading in chunks of any size gives the same entries as one buffer', () => {
  const file = writeRdbToBuffer(standardAuxFields({ usedMemory: 1 }), sampleEntries());
  const expected = new DatasetDigest();
  readRdbBuffer(file, (e) => expected.add(e));
  for (const chunkSize of [1, 7, 100, 4096, 65536]) {
    const digest = new DatasetDigest();
    const reader = new RdbReader((e) => digest.add(e));
    for (let i = 0; i < file.length; i += chunkSize) reader.push(file.subarray(i, i + chunkSize));
    assert.equal(reader.end().checksum, 'verified');
    assert.equal(digest.hex(), expected.hex(), `chunk size ${chunkSize}`);
  }
});

test('a writer told its chunks are released fills the same buffers again, and the file is unchanged', () => {
  const aux = standardAuxFields({ usedMemory: 1 });
  const entries: RdbEntry[] = [];
  for (let i = 0; i < 5000; i++) {
    entries.push({ db: 0, key: b(`key:${i}`), value: { type: 'string', value: randomBytes(64) }, expireAtMs: null });
  }
  const expected = writeRdbToBuffer(aux, entries, { chunkSize: 16 * 1024 });
  // As BGSAVE's file sink: each chunk is copied out (written) and then released.
  const copies: Buffer[] = [];
  const memory = new Set<ArrayBufferLike>();
  const writer = new RdbWriter(
    (chunk) => {
      copies.push(Buffer.from(chunk));
      memory.add(chunk.buffer);
      writer.chunksReleased();
    },
    { chunkSize: 16 * 1024 },
  );
  writer.begin(aux);
  writer.startDb(0, entries.length, 0);
  for (const e of entries) writer.writeEntry(e);
  writer.end();
  assert.deepEqual(Buffer.concat(copies), expected);
  assert.ok(copies.length > 20, `${copies.length} chunks`);
  assert.ok(memory.size <= 2, `${memory.size} buffers for ${copies.length} chunks`);
});

test('bytes after the RDB are left for the caller (old single-file AOF with a preamble)', () => {
  const file = writeRdbToBuffer(standardAuxFields({ usedMemory: 1, aofBase: true }), sampleEntries().slice(0, 2));
  const reader = new RdbReader(() => {});
  reader.push(Buffer.concat([file, b('*1\r\n$4\r\nPING\r\n')]));
  assert.ok(reader.done);
  assert.equal(reader.remainder().toString(), '*1\r\n$4\r\nPING\r\n');
  assert.equal(reader.end().bytesConsumed, file.length);
});

test('rdbchecksum no: zero trailer is written and accepted without a check', () => {
  const file = writeRdbToBuffer(standardAuxFields({ usedMemory: 1 }), sampleEntries(), { checksum: false });
  assert.ok(file.subarray(file.length - 8).equals(Buffer.alloc(8)));
  assert.equal(readRdbBuffer(file, () => {}).checksum, 'disabled');
});

test('corruption: a flipped byte is a checksum error naming both checksums and the offset', () => {
  const file = writeRdbToBuffer(standardAuxFields({ usedMemory: 1 }), [
    { db: 0, key: b('k'), value: { type: 'string', value: b('some value here') }, expireAtMs: null },
  ]);
  const damaged = Buffer.from(file);
  const at = damaged.indexOf(b('some value'));
  damaged[at] ^= 0x20;
  assert.throws(
    () => readRdbBuffer(damaged, () => {}),
    (err: Error & { offset?: number }) => {
      assert.match(err.message, /^Wrong RDB checksum expected: \([0-9a-f]+\) but got \([0-9a-f]+\)\. Aborting now\./);
      assert.equal(err.offset, file.length - 8);
      return true;
    },
  );
});

test('corruption: truncation anywhere is a short read with the offset, never a partial success', () => {
  const file = writeRdbToBuffer(standardAuxFields({ usedMemory: 1 }), sampleEntries());
  for (const cut of [5, 9, 20, Math.floor(file.length / 2), file.length - 9, file.length - 1]) {
    assert.throws(
      () => readRdbBuffer(file.subarray(0, cut), () => {}),
      (err: Error & { offset?: number }) => {
        assert.match(err.message, /^Short read or OOM loading DB\. Unrecoverable error, aborting now\./);
        assert.equal(err.offset, cut);
        return true;
      },
      `cut at ${cut}`,
    );
  }
});

test('corruption: bad signature, unsupported version, unknown type, bad encodings', () => {
  assert.throws(() => readRdbBuffer(b('RADIS0010\xff'), () => {}), /Wrong signature trying to load DB from file/);
  assert.throws(() => readRdbBuffer(b('REDIS0012\xff'), () => {}), /Can't handle RDB format version 12/);
  assert.throws(() => readRdbBuffer(b('REDIS0000\xff'), () => {}), /Can't handle RDB format version 0/);
  const withType = (bytes: number[]) => Buffer.concat([b('REDIS0009'), Buffer.from(bytes)]);
  assert.throws(() => readRdbBuffer(withType([42, 1, 0x6b, 0]), () => {}), /offset 9 -> Unknown RDB encoding type 42/);
  assert.throws(() => readRdbBuffer(withType([0, 1, 0x6b, 0xc7]), () => {}), /offset 12 -> Unknown RDB string encoding type 7/);
  assert.throws(() => readRdbBuffer(withType([0xfe, 16]), () => {}), /configured to handle more than 16 databases/);
  assert.throws(() => readRdbBuffer(withType([6, 1, 0x6b, 0x80, 0, 0, 4, 1]), () => {}), /module data I can't load/);
  // A set with a duplicate member.
  assert.throws(() => readRdbBuffer(withType([2, 1, 0x73, 2, 1, 0x61, 1, 0x61]), () => {}), /Duplicate set members detected/);
});

/** A ziplist (ziplist.c) of short strings. */
function ziplist(items: string[]): Buffer {
  const parts: Buffer[] = [];
  let prevlen = 0;
  let offset = 10;
  let tail = 10;
  for (const s of items) {
    const entry = Buffer.concat([Buffer.from([prevlen, s.length]), b(s)]);
    tail = offset;
    offset += entry.length;
    prevlen = entry.length;
    parts.push(entry);
  }
  const header = Buffer.alloc(10);
  header.writeUInt32LE(offset + 1, 0);
  header.writeUInt32LE(tail, 4);
  header.writeUInt16LE(items.length, 8);
  return Buffer.concat([header, ...parts, Buffer.from([0xff])]);
}

const rdbString = (blob: Buffer) => Buffer.concat([Buffer.from([blob.length]), blob]);

test('reads a version 6 file with the old encodings (ziplist, zipmap, quicklist, text scores, second expiries)', () => {
  const zipmap = Buffer.concat([Buffer.from([1, 1]), b('f'), Buffer.from([1, 0]), b('v'), Buffer.from([0xff])]);
  const intset = Buffer.from([2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 9, 0]);
  const body = Buffer.concat([
    b('REDIS0006'),
    Buffer.from([0xfe, 0]),
    Buffer.from([0xfd, 0x00, 0xe1, 0xf5, 0x05]), // expire at 100000000 s
    Buffer.from([10, 2]),
    b('zl'),
    rdbString(ziplist(['a', 'b'])),
    Buffer.from([13, 2]),
    b('hz'),
    rdbString(ziplist(['f1', 'v1'])),
    Buffer.from([12, 2]),
    b('zz'),
    rdbString(ziplist(['m', '2.5'])),
    Buffer.from([9, 2]),
    b('zm'),
    rdbString(zipmap),
    Buffer.from([11, 2]),
    b('is'),
    rdbString(intset),
    Buffer.from([14, 2]),
    b('ql'),
    Buffer.from([1]),
    rdbString(ziplist(['x', 'y'])),
    Buffer.from([3, 2]),
    b('z3'),
    Buffer.from([1, 1]),
    b('m'),
    Buffer.from([3]),
    b('1.5'),
    Buffer.from([0xff]),
  ]);
  const file = Buffer.concat([body, new Crc64().update(body).toLittleEndian()]);
  const read: RdbEntry[] = [];
  assert.equal(readRdbBuffer(file, (e) => read.push(e)).checksum, 'verified');
  assert.deepEqual(
    normalise(read),
    normalise([
      { db: 0, key: b('zl'), value: { type: 'list', items: [b('a'), b('b')] }, expireAtMs: 100000000000 },
      { db: 0, key: b('hz'), value: { type: 'hash', entries: [[b('f1'), b('v1')]] }, expireAtMs: null },
      { db: 0, key: b('zz'), value: { type: 'zset', entries: [[b('m'), 2.5]] }, expireAtMs: null },
      { db: 0, key: b('zm'), value: { type: 'hash', entries: [[b('f'), b('v')]] }, expireAtMs: null },
      { db: 0, key: b('is'), value: { type: 'set', members: [b('1'), b('9')] }, expireAtMs: null },
      { db: 0, key: b('ql'), value: { type: 'list', items: [b('x'), b('y')] }, expireAtMs: null },
      { db: 0, key: b('z3'), value: { type: 'zset', entries: [[b('m'), 1.5]] }, expireAtMs: null },
    ]),
  );
});

test('DUMP payload: round trip, footer checks, and a payload from another implementation', () => {
  for (const e of sampleEntries()) {
    const payload = createDumpPayload(e.value);
    const parsed = parseDumpPayload(payload);
    assert.ok(parsed.ok, e.key.toString());
    assert.deepEqual(normalise([{ ...e, value: parsed.value }]), normalise([e]));
  }
  // DUMP of the integer 19 from an RDB 9 server: type 0, C0 13, version 9, CRC 0x6e35f6684d6f1323.
  const foreign = Buffer.from('00c013090023136f4d68f6356e', 'hex');
  assert.deepEqual(parseDumpPayload(foreign), { ok: true, value: { type: 'string', value: b('19') } });
  const tampered = Buffer.from(foreign);
  tampered[2] = 0x14;
  assert.equal(parseDumpPayload(tampered).ok, false);
  assert.deepEqual(
    { ...parseDumpPayload(tampered), detail: undefined },
    { ok: false, error: 'ERR DUMP payload version or checksum are wrong', detail: undefined },
  );
  const newer = createDumpPayload({ type: 'string', value: b('x') });
  newer.writeUInt16LE(11, newer.length - 10);
  assert.equal(
    (parseDumpPayload(newer, { skipChecksum: true }) as { error: string }).error,
    'ERR DUMP payload version or checksum are wrong',
  );
  const garbage = Buffer.concat([Buffer.from([42, 1, 2]), Buffer.from([10, 0])]);
  const withCrc = Buffer.concat([garbage, new Crc64().update(garbage).toLittleEndian()]);
  assert.equal((parseDumpPayload(withCrc) as { error: string }).error, 'ERR Bad data format');
});
