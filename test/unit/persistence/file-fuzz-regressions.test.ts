// What the file fuzzer (test/support/file-fuzz/) found in the loaders, each kept as the smallest
// input that showed it (hex), with the behaviour now expected: Redis 7.0's where it accepts, a
// refusal with Redis's reply (RESTORE) or a CorruptDataError naming the offset (files) where it
// refuses; never another exception, never an allocation sized by a damaged length.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DUMP_BAD_FORMAT_ERROR, createDumpPayload, parseDumpPayload } from '../../../src-main/engine/persistence/rdb/dump-payload.js';
import { AofCommandReader } from '../../../src-main/engine/persistence/aof/aof-commands.js';
import { CorruptDataError } from '../../../src-main/engine/persistence/corrupt-data.js';
import { crc64 } from '../../../src-main/engine/persistence/rdb/crc64.js';
import type { RdbValue, StreamValue } from '../../../src-main/engine/persistence/value-model.js';
import { runInput, Random } from '../../support/file-fuzz/index.js';

const hex = (s: string) => Buffer.from(s, 'hex');

/** A DUMP payload of `body` (type byte and value) with RDB version 10 and a correct CRC. */
function payload(bodyHex: string): Buffer {
  const head = Buffer.concat([hex(bodyHex), hex('0a00')]);
  return Buffer.concat([head, crc64(head).toLittleEndian()]);
}

function restored(bytes: Buffer): RdbValue {
  const parsed = parseDumpPayload(bytes);
  if (!parsed.ok) assert.fail(`refused: ${parsed.detail}`);
  return parsed.value;
}

function refused(bytes: Buffer): string {
  const parsed = parseDumpPayload(bytes);
  assert.ok(!parsed.ok, 'expected a refusal');
  assert.equal(parsed.error, DUMP_BAD_FORMAT_ERROR);
  return parsed.detail ?? '';
}

test('a set declaring 2^53 - 1 members is refused, not sized by its count (RangeError: Invalid array length)', () => {
  const input = hex('0281001fffffffffffff0a00923b98077ad7557f');
  assert.match(refused(input), /Unexpected EOF/);
  assert.equal(runInput('restore', input, new Random(1)).kind, 'refused');
  // The same count in an RDB file, through the file loader.
  assert.equal(runInput('rdb', hex('5245444953303031300a00fe0002016b81001fffffffffffffff'), new Random(1)).kind, 'refused');
});

test('an AOF argument count of 2^64 is (int) strtol as in Redis, and never sizes an array', () => {
  const commands: string[][] = [];
  const read = (text: string) => {
    const reader = new AofCommandReader((argv) => commands.push(argv.map(String)));
    reader.push(Buffer.from(text, 'latin1'));
    return reader.end();
  };
  // *99999999999999999999: strtol clamps to LONG_MAX, whose (int) is -1: a format error at offset 0.
  assert.throws(
    () => read('*99999999999999999999\r\n$3\r\nSET\r\n'),
    (err) => err instanceof CorruptDataError && err.offset === 0,
  );
  // *4294967297 is (int) 1: one argument, PING.
  assert.deepEqual(read('*4294967297\r\n$4\r\nPING\r\n'), { status: 'complete', commands: 1 });
  assert.deepEqual(commands, [['PING']]);
  // *2147483647 with nothing behind it is a truncated file, not a 16 GB array.
  assert.equal(read('*2147483647\r\n$1\r\na\r\n').status, 'truncated');
});

test('a value whose length runs into the footer is read from the footer bytes, as restoreCommand does', () => {
  // A string of 11 bytes of which only "hello w" comes before the version and CRC.
  const value = restored(hex('000b68656c6c6f20770a00a0517cb267c7b054'));
  assert.equal(value.type, 'string');
  assert.equal(value.type === 'string' && value.value.subarray(0, 7).toString(), 'hello w');
});

test('an LZF string declaring length 0 is an empty string whatever its compressed bytes (lzf_decompress returns 0)', () => {
  const value = restored(payload('00c3040061626364'));
  assert.deepEqual(value, { type: 'string', value: Buffer.alloc(0) });
});

test('an encoded (11xxxxxx) byte where a count is expected reads as its low 6 bits, as rdbLoadLen(rdb, NULL) does', () => {
  // A set (type 2) whose count byte is 0xC3: 3 members.
  const value = restored(payload('02c3016101620163'));
  assert.deepEqual(value.type === 'set' && value.members.map(String), ['a', 'b', 'c']);
});

test('a stream node whose listpack header declares the wrong element count loads, as streamValidateListpackIntegrity does not check it', () => {
  const stream: StreamValue = {
    entries: [{ id: { ms: 1n, seq: 1n }, fieldsAndValues: [Buffer.from('f'), Buffer.from('v')] }],
    lastId: { ms: 1n, seq: 1n },
    firstId: { ms: 1n, seq: 1n },
    maxDeletedEntryId: { ms: 0n, seq: 0n },
    entriesAdded: 1n,
    groups: [],
  };
  const good = createDumpPayload({ type: 'stream', stream }, { compression: false });
  // The node's listpack comes after the type byte, the node count and the 16-byte key (with its length byte).
  const lpStart = 1 + 1 + 17 + 1;
  assert.equal(good.readUInt32LE(lpStart), good[lpStart - 1]);
  const body = Buffer.from(good.subarray(0, good.length - 10));
  body.writeUInt16LE(17924, lpStart + 4);
  const value = restored(payload(body.toString('hex')));
  assert.equal(value.type === 'stream' && value.stream.entries.length, 1);
  // Outside streams the count is checked (lpValidateIntegrity with deep sanitization).
  const hash = createDumpPayload({ type: 'hash', entries: [[Buffer.from('f'), Buffer.from('v')]] }, { compression: false });
  const hashBody = Buffer.from(hash.subarray(0, hash.length - 10));
  hashBody.writeUInt16LE(7, 2 + 4);
  assert.match(refused(payload(hashBody.toString('hex'))), /listpack declares 7 elements but holds 2/);
});

function streamWithGroups(groups: StreamValue['groups']): Buffer {
  const id = { ms: 1n, seq: 1n };
  const stream: StreamValue = {
    entries: [{ id, fieldsAndValues: [Buffer.from('f'), Buffer.from('v')] }],
    lastId: id,
    firstId: id,
    maxDeletedEntryId: { ms: 0n, seq: 0n },
    entriesAdded: 1n,
    groups,
  };
  return createDumpPayload({ type: 'stream', stream }, { compression: false });
}

test('a stream with two consumer groups of one name is refused (streamCreateCG), not loaded with one lost', () => {
  const group = { name: Buffer.from('g'), lastId: { ms: 0n, seq: 0n }, entriesRead: 0n, pending: [], consumers: [] };
  assert.match(
    refused(streamWithGroups([group, { ...group }])),
    /^Internal error in RDB reading offset \d+ -> Duplicated consumer group name g$/,
  );
});

test('a pending entry no consumer owns is refused, as deep sanitization does ("Stream CG PEL entry without consumer")', () => {
  const id = { ms: 1n, seq: 1n };
  const group: StreamValue['groups'][number] = {
    name: Buffer.from('g'),
    lastId: id,
    entriesRead: 1n,
    pending: [{ id, deliveryTimeMs: 1, deliveryCount: 1 }],
    consumers: [{ name: Buffer.from('alice'), seenTimeMs: 1, activeTimeMs: 1, pending: [] }],
  };
  assert.match(refused(streamWithGroups([group])), /Stream CG PEL entry without consumer/);
  group.consumers[0]!.pending = [id];
  assert.equal(restored(streamWithGroups([group])).type, 'stream');
});
