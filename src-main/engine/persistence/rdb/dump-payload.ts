// The DUMP / RESTORE payload (cluster.c createDumpPayload / verifyDumpPayload):
//   <type byte> <value as in an RDB file> <RDB version, 2 bytes LE> <CRC-64 of all before, 8 bytes LE>
import { CorruptDataError } from '../corrupt-data.js';
import { crc64 } from './crc64.js';
import { DEFAULT_ENCODING_LIMITS, RDB_VERSION_WRITTEN, RdbOpcode, type EncodingLimits } from './rdb-format.js';
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
export function parseDumpPayload(
  payload: Buffer,
  options: { skipChecksum?: boolean; onBlobsChecked?: (count: number) => void } = {},
): RestoreResult {
  if (payload.length < FOOTER_SIZE) return { ok: false, error: DUMP_PAYLOAD_ERROR, detail: 'payload shorter than its footer' };
  const footer = payload.length - FOOTER_SIZE;
  const version = payload.readUInt16LE(footer);
  if (version > RDB_VERSION_WRITTEN) {
    return { ok: false, error: DUMP_PAYLOAD_ERROR, detail: `payload RDB version ${version} is newer than ${RDB_VERSION_WRITTEN}` };
  }
  if (!options.skipChecksum && !crc64(payload, 0, payload.length - 8).matchesLittleEndian(payload, footer + 2)) {
    return { ok: false, error: DUMP_PAYLOAD_ERROR, detail: 'payload checksum mismatch' };
  }
  // restoreCommand reads the value from a rio over the whole payload, footer included: a value
  // whose lengths run into the footer's bytes is read from them, not refused (Redis accepts it).
  const input = new RdbInput('DUMP payload');
  input.reset(payload, 0, true);
  try {
    const value = decodeValue(input, input.u8());
    if (value === null) return { ok: false, error: DUMP_BAD_FORMAT_ERROR, detail: 'empty collection' };
    return { ok: true, value };
  } catch (err) {
    if (err instanceof CorruptDataError) return { ok: false, error: DUMP_BAD_FORMAT_ERROR, detail: err.message };
    throw err;
  } finally {
    options.onBlobsChecked?.(input.blobsChecked);
  }
}

/**
 * FUNCTION DUMP's payload (functions.c functionDumpCommand): each library as RDB_OPCODE_FUNCTION2
 * and its code as an RDB string, then the same footer as DUMP's.
 */
export function createFunctionsPayload(codes: Buffer[], options: { compression?: boolean } = {}): Buffer {
  const chunks: Buffer[] = [];
  const out = new RdbOutput((c) => chunks.push(c), { checksum: false, compression: options.compression ?? true, chunkSize: 16 * 1024 });
  for (const code of codes) {
    out.writeByte(RdbOpcode.FUNCTION2);
    out.writeString(code);
  }
  out.writeByte(RDB_VERSION_WRITTEN & 0xff);
  out.writeByte((RDB_VERSION_WRITTEN >> 8) & 0xff);
  out.flush();
  const body = Buffer.concat(chunks);
  return Buffer.concat([body, crc64(body).toLittleEndian()]);
}

/** FUNCTION RESTORE's reading of a payload: the libraries' code, or the error Redis replies. */
export function parseFunctionsPayload(payload: Buffer): { ok: true; codes: Buffer[] } | { ok: false; error: string } {
  if (payload.length < FOOTER_SIZE) return { ok: false, error: DUMP_PAYLOAD_ERROR };
  const footer = payload.length - FOOTER_SIZE;
  if (
    payload.readUInt16LE(footer) > RDB_VERSION_WRITTEN ||
    !crc64(payload, 0, payload.length - 8).matchesLittleEndian(payload, footer + 2)
  ) {
    return { ok: false, error: DUMP_PAYLOAD_ERROR };
  }
  const input = new RdbInput('FUNCTION RESTORE payload');
  input.reset(payload, 0, true, footer);
  const codes: Buffer[] = [];
  try {
    while (input.pos < footer) {
      const type = input.u8();
      if (type === RdbOpcode.FUNCTION_PRE_GA) return { ok: false, error: 'ERR Pre-GA function format not supported' };
      if (type !== RdbOpcode.FUNCTION2) return { ok: false, error: 'ERR given type is not a function' };
      codes.push(input.string());
    }
  } catch (err) {
    if (err instanceof CorruptDataError) return { ok: false, error: 'ERR failed loading the given functions payload' };
    throw err;
  }
  return { ok: true, codes };
}
