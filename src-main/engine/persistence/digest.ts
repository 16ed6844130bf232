// DEBUG DIGEST and DEBUG DIGEST-VALUE exactly as Redis 7.0 computes them (debug.c
// xorDigest / mixDigest / xorObjectDigest / computeDatasetDigest), over the neutral model, so a
// dataset can be compared with a real Redis byte for byte:
//   xor(d, data): d ^= SHA1(data)            (order-independent "add")
//   mix(d, data): d = SHA1(d ^ SHA1(data))   (order-dependent "append")
// Per key: mix key, mix htonl(type), the value, xor "!!expire!!" when it has a TTL; the dataset
// mixes htonl(db) before each non-empty db and xors in each key digest.
import { hash } from 'node:crypto';
import { formatDouble17g } from '../util/number-text.js';
import type { RdbEntry, RdbValue } from './value-model.js';

const DIGEST_SIZE = 20;
const EXPIRE_MARK = Buffer.from('!!expire!!');

/** server.h OBJ_* type numbers, as mixed into the digest. */
const OBJECT_TYPE: Record<RdbValue['type'], number> = { string: 0, list: 1, set: 2, zset: 3, hash: 4, stream: 6 };

function sha1(data: Uint8Array): Buffer {
  return hash('sha1', data, 'buffer');
}

function xorDigest(digest: Buffer, data: Uint8Array): void {
  const h = sha1(data);
  for (let i = 0; i < DIGEST_SIZE; i++) digest[i]! ^= h[i]!;
}

function mixDigest(digest: Buffer, data: Uint8Array): void {
  xorDigest(digest, data);
  sha1(digest).copy(digest);
}

function uint32BE(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n);
  return b;
}

const TYPE_BYTES = Object.fromEntries(Object.entries(OBJECT_TYPE).map(([type, n]) => [type, uint32BE(n)])) as Record<
  RdbValue['type'],
  Buffer
>;

/** xorObjectDigest: continues `digest` with the value's type, content and TTL marker. */
function addObjectDigest(digest: Buffer, value: RdbValue, hasExpire: boolean): void {
  mixDigest(digest, TYPE_BYTES[value.type]);
  switch (value.type) {
    case 'string':
      mixDigest(digest, value.value);
      break;
    case 'list':
      for (const item of value.items) mixDigest(digest, item);
      break;
    case 'set':
      for (const member of value.members) xorDigest(digest, member);
      break;
    case 'zset':
      for (const [member, score] of value.entries) {
        const element = Buffer.alloc(DIGEST_SIZE);
        mixDigest(element, member);
        // 7.0 prints the score with "%.17g" (7.2 switched to fpconv_dtoa).
        mixDigest(element, Buffer.from(formatDouble17g(score)));
        xorDigest(digest, element);
      }
      break;
    case 'hash':
      for (const [field, v] of value.entries) {
        const element = Buffer.alloc(DIGEST_SIZE);
        mixDigest(element, field);
        mixDigest(element, v);
        xorDigest(digest, element);
      }
      break;
    case 'stream':
      // Entries only (consumer groups do not count), each as "<ms>.<seq>" then its fields and values.
      for (const entry of value.stream.entries) {
        mixDigest(digest, Buffer.from(`${entry.id.ms}.${entry.id.seq}`));
        for (const part of entry.fieldsAndValues) mixDigest(digest, part);
      }
      break;
  }
  if (hasExpire) xorDigest(digest, EXPIRE_MARK);
}

/** DEBUG DIGEST-VALUE for one key: 40 hex chars; a missing key is `digestValueHex(null)` (40 zeros). */
export function digestValueHex(value: RdbValue | null, hasExpire: boolean): string {
  const digest = Buffer.alloc(DIGEST_SIZE);
  if (value) addObjectDigest(digest, value, hasExpire);
  return digest.toString('hex');
}

/**
 * DEBUG DIGEST over entries fed in any order (e.g. straight from the RDB reader): key digests
 * are xor-ed per db, and the db mixes are applied in ascending db order at the end, which is
 * what computeDatasetDigest's db-by-db walk amounts to.
 */
export class DatasetDigest {
  private readonly perDb = new Map<number, Buffer>();

  add(entry: RdbEntry): void {
    const keyDigest = Buffer.alloc(DIGEST_SIZE);
    mixDigest(keyDigest, entry.key);
    addObjectDigest(keyDigest, entry.value, entry.expireAtMs !== null);
    let dbDigest = this.perDb.get(entry.db);
    if (!dbDigest) {
      dbDigest = Buffer.alloc(DIGEST_SIZE);
      this.perDb.set(entry.db, dbDigest);
    }
    xorDigest(dbDigest, keyDigest);
  }

  /** 40 hex chars; 40 zeros for an empty dataset. */
  hex(): string {
    const result = Buffer.alloc(DIGEST_SIZE);
    for (const db of [...this.perDb.keys()].sort((a, b) => a - b)) {
      mixDigest(result, uint32BE(db));
      const dbDigest = this.perDb.get(db)!;
      for (let i = 0; i < DIGEST_SIZE; i++) result[i]! ^= dbDigest[i]!;
    }
    return result.toString('hex');
  }
}
