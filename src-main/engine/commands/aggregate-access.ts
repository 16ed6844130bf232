// Reading and writing an aggregate value (hash, set, ...) the way every t_*.c command does:
// look the key up, check its type (WRONGTYPE), and after an in-place change either count it or,
// when the change emptied the value, delete the key, since Redis never keeps an empty aggregate.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import type { Database } from '../keyspace/database.js';
import type { AggregateValue } from '../keyspace/value.js';
import { ERR } from '../core/replies.js';

export type AggregateClass<T extends AggregateValue> = abstract new (...args: never[]) => T;

/** lookupKeyRead + checkType: the value, undefined when missing, null after replying WRONGTYPE. */
export function readAggregate<T extends AggregateValue>(client: Client, key: BinaryString, type: AggregateClass<T>): T | undefined | null {
  return checked(client, client.db.lookupRead(key), type);
}

/**
 * lookupKeyWrite + checkType, for a command that will change the value in place (snapshots are
 * told first): the value, undefined when missing, null after replying WRONGTYPE.
 */
export function writableAggregate<T extends AggregateValue>(
  client: Client,
  key: BinaryString,
  type: AggregateClass<T>,
): T | undefined | null {
  return checked(client, client.db.lookupForWrite(key), type);
}

function checked<T extends AggregateValue>(client: Client, value: unknown, type: AggregateClass<T>): T | undefined | null {
  if (value === undefined || value instanceof type) return value;
  client.reply.error(ERR.wrongType);
  return null;
}

/**
 * Records a write to `value` at `key`. `existed`: the value came from writableAggregate (else it
 * is new and gets stored). `changes` is what Redis adds to server.dirty for the command. A value
 * the write emptied is deleted. Returns true when the key was deleted.
 */
export function commitWrite(
  db: Database,
  key: BinaryString,
  value: AggregateValue & { readonly size: number },
  existed: boolean,
  changes: number,
): boolean {
  if (value.size === 0) {
    if (existed) deleteEmptied(db, key, changes);
    return existed;
  }
  if (!existed) {
    db.set(key, value);
    if (changes > 1) db.changed(key, changes - 1);
  } else if (changes > 0) {
    db.changed(key, changes);
  }
  return false;
}

/** Deletes a key whose aggregate a command emptied, counting `changes` (server.dirty). */
export function deleteEmptied(db: Database, key: BinaryString, changes: number): void {
  db.delete(key, changes);
}
