// The DUMP / RESTORE payload (cluster.c createDumpPayload / verifyDumpPayload):
//   <type byte> <value as in an RDB file> <RDB version, 2 bytes LE> <CRC-64 of all before, 8 bytes LE>
import { CorruptDataError } from '../corrupt-data.js';
import { crc64 } from './crc64.js';
import { DEFAULT_ENCODING_LIMITS, RDB_VERSION_WRITTEN, type EncodingLimits } from './rdb-format.js';
import { RdbInput } from './rdb-input.js';
import { RdbOutput } from './rdb-output.js';
import { decodeValue } from './rdb-value-decoder.js';
import { rdbTypeFor, writeValueBody } from './rdb-value-encoder.js';
import type { RdbValue } from '../value-model.js';

const FOOTER_SIZE = 10;

/** RESTORE's reply when verifyDumpPayload fails. */
export const DUMP_PAYLOAD_ERROR = 'ERR DUMP payload version or checksum are wrong';
/** RESTORE's reply when the payload passes the footer check but does not decode. */
export const DUMP_BAD_FORMAT_ERROR = 'ERR Bad data format';

export function createDumpPayload(value: RdbValue, options: { compression?: boolean; limits?: EncodingLimits } = {}): Buffer {
  const limits = options.limits ?? DEFAULT_ENCODING_LIMITS;
  const chunks: Buffer[] = [];
  // DUMP always computes its CRC itself (below), regardless of rdbchecksum.
  const out = new RdbOutput((c) => chunks.push(c), {
    checksum: false,
    compression: options.compression ?? true,
    chunkSize: 16 * 1024,
  });
  const rdbType = rdbTypeFor(value, limits);
  out.writeByte(rdbType);
  writeValueBody(out, value, rdbType, limits);
  out.writeByte(RDB_VERSION_WRITTEN & 0xff);
  out.writeByte((RDB_VERSION_WRITTEN >> 8) & 0xff);
  out.flush();
  const body = Buffer.concat(chunks);
  return Buffer.concat([body, crc64(body).toLittleEndian()]);
}

export type RestoreResult = { ok: true; value: RdbValue } | { ok: false; error: string; detail?: string };

/**
 * What RESTORE does with a payload: the footer check (version not newer than ours, CRC unless
 * `skipChecksum`), then decoding. Errors carry the exact reply Redis gives, plus a detail for logs.
 */
export function parseDumpPayload(payload: Buffer, options: { skipChecksum?: boolean } = {}): RestoreResult {
  if (payload.length < FOOTER_SIZE) return { ok: false, error: DUMP_PAYLOAD_ERROR, detail: 'payload shorter than its footer' };
  const footer = payload.length - FOOTER_SIZE;
  const version = payload.readUInt16LE(footer);
  if (version > RDB_VERSION_WRITTEN) {
    return { ok: false, error: DUMP_PAYLOAD_ERROR, detail: `payload RDB version ${version} is newer than ${RDB_VERSION_WRITTEN}` };
  }
  if (!options.skipChecksum && !crc64(payload, 0, payload.length - 8).matchesLittleEndian(payload, footer + 2)) {
    return { ok: false, error: DUMP_PAYLOAD_ERROR, detail: 'payload checksum mismatch' };
  }
  const input = new RdbInput('DUMP payload');
  input.reset(payload, 0, true, footer);
  try {
    const value = decodeValue(input, input.u8());
    if (value === null) return { ok: false, error: DUMP_BAD_FORMAT_ERROR, detail: 'empty collection' };
    return { ok: true, value };
  } catch (err) {
    if (err instanceof CorruptDataError) return { ok: false, error: DUMP_BAD_FORMAT_ERROR, detail: err.message };
    throw err;
  }
}
