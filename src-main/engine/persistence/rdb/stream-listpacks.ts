// The listpack nodes a Redis stream is made of (src/t_stream.c, streamAppendItem). Each node is
// keyed by its master ID (128-bit big-endian ms,seq) and holds:
//   count, deleted, master-field-count, master-fields..., 0
//   then per entry: flags, ms-delta, seq-delta, [num-fields, field_1,] value_1, ..., lp-count
// where fields are omitted when the entry has exactly the master fields (SAMEFIELDS), and
// lp-count lets Redis walk the node backwards.
import { corrupt } from '../corrupt-data.js';
import { ListpackBuilder, ListpackCursor } from './listpack.js';
import type { EncodingLimits } from './rdb-format.js';
import type { StreamEntry, StreamId, StreamNodeModel } from '../value-model.js';

const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;
const UINT64_MASK = (1n << 64n) - 1n;
/** t_stream.c STREAM_LISTPACK_MAX_SIZE, used when stream-node-max-bytes is 0. */
const LISTPACK_MAX_SIZE = 1 << 30;

export function encodeStreamId(id: StreamId): Buffer {
  const out = Buffer.allocUnsafe(16);
  out.writeBigUInt64BE(id.ms, 0);
  out.writeBigUInt64BE(id.seq, 8);
  return out;
}

export function decodeStreamId(bytes: Buffer, offset = 0): StreamId {
  return { ms: bytes.readBigUInt64BE(offset), seq: bytes.readBigUInt64BE(offset + 8) };
}

export function compareStreamIds(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

/**
 * Appends the live entries of one node to `out` (tombstones are dropped), and the node as it is
 * to `nodes`, validating the node as streamValidateListpackIntegrity(deep) does.
 */
export function decodeStreamNode(masterKey: Buffer, listpack: Buffer, out: StreamEntry[], nodes?: StreamNodeModel[]): void {
  const master = decodeStreamId(masterKey);
  const lp = new ListpackCursor(listpack, 0, listpack.length, false);
  const declaredLive = toSafeNumber(lp.nextInteger());
  const declaredDeleted = toSafeNumber(lp.nextInteger());
  const masterFieldCount = toSafeNumber(lp.nextInteger());
  const masterFields: Buffer[] = [];
  for (let i = 0; i < masterFieldCount; i++) masterFields.push(lp.nextBuffer());
  if (lp.nextInteger() !== 0) corrupt('stream master entry not terminated by 0');
  const node: StreamNodeModel = { masterId: master, masterFields, entries: [] };
  nodes?.push(node);

  let live = 0;
  let tombstones = 0;
  while (lp.next()) {
    const flags = toSafeNumber(lp.currentInteger());
    const msDelta = BigInt(lp.nextInteger());
    const seqDelta = BigInt(lp.nextInteger());
    const id = { ms: (master.ms + msDelta) & UINT64_MASK, seq: (master.seq + seqDelta) & UINT64_MASK };
    const fieldsAndValues: Buffer[] = [];
    let expectedLpCount: number;
    if (flags & FLAG_SAMEFIELDS) {
      for (const field of masterFields) fieldsAndValues.push(field, lp.nextBuffer());
      expectedLpCount = 3 + masterFieldCount;
    } else {
      const fieldCount = toSafeNumber(lp.nextInteger());
      for (let i = 0; i < fieldCount; i++) fieldsAndValues.push(lp.nextBuffer(), lp.nextBuffer());
      expectedLpCount = 4 + fieldCount * 2;
    }
    if (lp.nextInteger() !== expectedLpCount) corrupt('stream entry lp-count mismatch');
    node.entries.push({ id, fieldsAndValues, deleted: (flags & FLAG_DELETED) !== 0, sameFields: (flags & FLAG_SAMEFIELDS) !== 0 });
    if (flags & FLAG_DELETED) {
      tombstones++;
    } else {
      live++;
      out.push({ id, fieldsAndValues });
    }
  }
  if (live !== declaredLive || tombstones !== declaredDeleted) corrupt('stream node entry counts mismatch');
  if (live + tombstones === 0) corrupt('Empty listpack inside stream');
}

function toSafeNumber(n: number | bigint): number {
  if (typeof n === 'bigint') corrupt('stream listpack integer out of range');
  return n;
}

/**
 * Splits entries (in ID order) into nodes exactly as successive XADDs would (streamAppendItem:
 * a new node when the current one reaches stream-node-max-bytes or -max-entries) and hands
 * each finished node to `emit`. The listpack passed to `emit` is only valid during the call.
 */
export function encodeStreamNodes(
  entries: StreamEntry[],
  limits: Pick<EncodingLimits, 'streamNodeMaxBytes' | 'streamNodeMaxEntries'>,
  emit: (masterKey: Buffer, listpack: Buffer) => void,
): void {
  const maxBytes =
    limits.streamNodeMaxBytes === 0 || limits.streamNodeMaxBytes > LISTPACK_MAX_SIZE ? LISTPACK_MAX_SIZE : limits.streamNodeMaxBytes;
  const sizing = new ListpackBuilder();
  const builder = new ListpackBuilder();
  let nodeStart = 0;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (i > nodeStart) {
      let entryBytes = 0;
      for (const part of entry.fieldsAndValues) entryBytes += part.length;
      const full =
        sizing.byteLength + entryBytes >= maxBytes || (limits.streamNodeMaxEntries > 0 && i - nodeStart >= limits.streamNodeMaxEntries);
      if (full) {
        emitNode(builder, entries, nodeStart, i, emit);
        nodeStart = i;
      }
    }
    if (i === nodeStart) startNode(sizing.reset(), entry, 1);
    appendEntry(sizing, entries[nodeStart]!, entry);
  }
  if (entries.length > nodeStart) emitNode(builder, entries, nodeStart, entries.length, emit);
}

function startNode(lp: ListpackBuilder, first: StreamEntry, count: number): void {
  lp.appendInteger(count).appendInteger(0);
  const fieldCount = first.fieldsAndValues.length / 2;
  lp.appendInteger(fieldCount);
  for (let f = 0; f < fieldCount; f++) lp.append(first.fieldsAndValues[f * 2]!);
  lp.appendInteger(0);
}

function appendEntry(lp: ListpackBuilder, master: StreamEntry, entry: StreamEntry): void {
  const fieldCount = entry.fieldsAndValues.length / 2;
  const sameFields = hasSameFields(master, entry);
  lp.appendInteger(sameFields ? FLAG_SAMEFIELDS : 0);
  lp.appendInteger(BigInt.asIntN(64, entry.id.ms - master.id.ms));
  lp.appendInteger(BigInt.asIntN(64, entry.id.seq - master.id.seq));
  if (!sameFields) lp.appendInteger(fieldCount);
  for (let f = 0; f < fieldCount; f++) {
    if (!sameFields) lp.append(entry.fieldsAndValues[f * 2]!);
    lp.append(entry.fieldsAndValues[f * 2 + 1]!);
  }
  lp.appendInteger(sameFields ? 3 + fieldCount : 4 + fieldCount * 2);
}

function hasSameFields(master: StreamEntry, entry: StreamEntry): boolean {
  const a = master.fieldsAndValues;
  const b = entry.fieldsAndValues;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 2) if (!a[i]!.equals(b[i]!)) return false;
  return true;
}

function emitNode(
  lp: ListpackBuilder,
  entries: StreamEntry[],
  from: number,
  to: number,
  emit: (masterKey: Buffer, listpack: Buffer) => void,
): void {
  const master = entries[from]!;
  startNode(lp.reset(), master, to - from);
  for (let i = from; i < to; i++) appendEntry(lp, master, entries[i]!);
  emit(encodeStreamId(master.id), lp.finish());
}

/** One node written as it is (streamAppendItem's layout, tombstones and flags kept). */
export function encodeStreamNode(node: StreamNodeModel, lp: ListpackBuilder): Buffer {
  lp.reset();
  let live = 0;
  for (const entry of node.entries) if (!entry.deleted) live++;
  lp.appendInteger(live).appendInteger(node.entries.length - live);
  lp.appendInteger(node.masterFields.length);
  for (const field of node.masterFields) lp.append(field);
  lp.appendInteger(0);
  for (const entry of node.entries) {
    const fieldCount = entry.fieldsAndValues.length / 2;
    lp.appendInteger((entry.deleted ? FLAG_DELETED : 0) | (entry.sameFields ? FLAG_SAMEFIELDS : 0));
    lp.appendInteger(BigInt.asIntN(64, entry.id.ms - node.masterId.ms));
    lp.appendInteger(BigInt.asIntN(64, entry.id.seq - node.masterId.seq));
    if (!entry.sameFields) lp.appendInteger(fieldCount);
    for (let f = 0; f < fieldCount; f++) {
      if (!entry.sameFields) lp.append(entry.fieldsAndValues[f * 2]!);
      lp.append(entry.fieldsAndValues[f * 2 + 1]!);
    }
    lp.appendInteger(entry.sameFields ? 3 + fieldCount : 4 + fieldCount * 2);
  }
  return lp.finish();
}
