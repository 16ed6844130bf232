// Reading and writing string values the way t_string.c and bitops.c do: lookup plus checkType,
// and storing a result with the object encoding Redis would give it.
import { constants } from 'node:buffer';
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import type { Database } from '../keyspace/database.js';
import { STRING_ENCODING_AUTO, withStringEncoding, type StringEncodingHint } from '../keyspace/object-header.js';
import { ERR } from '../core/replies.js';

const { MAX_STRING_LENGTH } = constants;

/** lookupKeyRead + checkType: the string, undefined when missing, null after replying WRONGTYPE. */
export function readString(client: Client, key: BinaryString): BinaryString | undefined | null {
  return checked(client, client.db.lookupRead(key));
}

/**
 * lookupKeyWrite + checkType, for a command that will store a new string at `key` (strings are
 * immutable, so the store, which also records the access, is the only change).
 */
export function writableString(client: Client, key: BinaryString): BinaryString | undefined | null {
  return checked(client, client.db.peekLive(key));
}

function checked(client: Client, value: unknown): BinaryString | undefined | null {
  if (value === undefined || typeof value === 'string') return value;
  client.reply.error(ERR.wrongType);
  return null;
}

/**
 * Stores `value` at `key` (ttl as in Database.set) and records how Redis would have built the
 * object, which decides what OBJECT ENCODING reports (keyspace/object-header.ts).
 */
export function storeString(
  db: Database,
  key: BinaryString,
  value: BinaryString,
  ttl: number | 'keep' | undefined,
  encoding: StringEncodingHint = STRING_ENCODING_AUTO,
): void {
  db.set(key, value, ttl);
  if (encoding !== STRING_ENCODING_AUTO) db.setObjectHeader(key, withStringEncoding(db.objectHeader(key)!, encoding));
}

/**
 * The longest string value we can build: proto-max-bulk-len, or V8's string limit (just under
 * 512MB) when that is lower, since a value is one JS string.
 */
export function maxStringLength(client: Client): number {
  return Math.min(client.server.config.int('proto-max-bulk-len'), MAX_STRING_LENGTH);
}

/** checkStringLength: false after replying when `size + append` bytes would exceed the limit. */
export function lengthAllowed(client: Client, size: number, append: number): boolean {
  if (size + append <= maxStringLength(client)) return true;
  client.reply.error('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
  return false;
}
