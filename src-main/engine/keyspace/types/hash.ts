// The hash type (t_hash.c). Redis keeps a small hash in a listpack (fields in insertion order,
// O(n) operations) and converts it, once and for good, to a hashtable when it gets more than
// hash-max-listpack-entries fields or a field or value longer than hash-max-listpack-value bytes.
//
// Here both encodings share one layout: fields and values in two dense parallel arrays plus a Map
// from field to position, so lookups are O(1) whatever OBJECT ENCODING says. The encoding only
// decides how a field is removed:
//   - listpack: the following entries shift down, so iteration order stays insertion order, as
//     HGETALL/HKEYS show it on Redis for small hashes (O(n), like lpDelete);
//   - hashtable: the last entry moves into the hole (O(1)), which keeps the arrays dense for O(1)
//     random picks (HRANDFIELD) and for HSCAN's cursor (see dense-array.ts).
import type { BinaryString } from '../../protocol/request-parser.js';
import type { AggregateValue } from '../value.js';
import { scanDense } from './dense-array.js';

/** hash-max-listpack-entries / hash-max-listpack-value. */
export interface HashLimits {
  maxListpackEntries: number;
  maxListpackValue: number;
}

export class HashValue implements AggregateValue {
  readonly type = 'hash';
  private listpack = true;
  private positions = new Map<BinaryString, number>();
  private fields: BinaryString[] = [];
  private values: BinaryString[] = [];

  /**
   * A hash holding `entries` (unique fields), encoded as Redis encodes it after loading the same
   * contents from an RDB file with these limits (rdb.c rdbLoadObject).
   */
  static from(entries: Iterable<readonly [BinaryString, BinaryString]>, limits: HashLimits): HashValue {
    const hash = new HashValue();
    for (const [field, value] of entries) hash.set(field, value, limits);
    return hash;
  }

  get size(): number {
    return this.fields.length;
  }

  encoding(): string {
    return this.listpack ? 'listpack' : 'hashtable';
  }

  get(field: BinaryString): BinaryString | undefined {
    const position = this.positions.get(field);
    return position === undefined ? undefined : this.values[position];
  }

  has(field: BinaryString): boolean {
    return this.positions.has(field);
  }

  /**
   * Sets a field; true when it was new. Converts to a hashtable as hashTypeSet does: before, for
   * a string longer than the value limit; after, when the entry count goes over the limit.
   */
  set(field: BinaryString, value: BinaryString, limits: HashLimits): boolean {
    if (this.listpack && (field.length > limits.maxListpackValue || value.length > limits.maxListpackValue)) {
      this.listpack = false;
    }
    const position = this.positions.get(field);
    if (position !== undefined) {
      this.values[position] = value;
      return false;
    }
    this.positions.set(field, this.fields.length);
    this.fields.push(field);
    this.values.push(value);
    if (this.listpack && this.fields.length > limits.maxListpackEntries) this.listpack = false;
    return true;
  }

  /** Removes a field; false if it was not there. */
  delete(field: BinaryString): boolean {
    const position = this.positions.get(field);
    if (position === undefined) return false;
    this.positions.delete(field);
    if (this.listpack) this.removeShifting(position);
    else this.removeSwapping(position);
    return true;
  }

  fieldAt(position: number): BinaryString {
    return this.fields[position]!;
  }

  valueAt(position: number): BinaryString {
    return this.values[position]!;
  }

  /** Field/value pairs in iteration order (insertion order while listpack-encoded). */
  *entries(): IterableIterator<[BinaryString, BinaryString]> {
    for (let i = 0; i < this.fields.length; i++) yield [this.fields[i]!, this.values[i]!];
  }

  /**
   * One HSCAN step (db.c scanGenericCommand): a listpack hash is returned whole with cursor 0;
   * a hashtable visits about `count` entries per call. Returns the next cursor.
   */
  scan(cursor: number, count: number, visit: (field: BinaryString, value: BinaryString) => void): number {
    const step = (position: number) => visit(this.fields[position]!, this.values[position]!);
    if (!this.listpack) return scanDense(this.fields.length, cursor, count, step);
    for (let i = 0; i < this.fields.length; i++) step(i);
    return 0;
  }

  clone(): HashValue {
    const copy = new HashValue();
    copy.listpack = this.listpack;
    copy.positions = new Map(this.positions);
    copy.fields = this.fields.slice();
    copy.values = this.values.slice();
    return copy;
  }

  private removeShifting(position: number): void {
    this.fields.splice(position, 1);
    this.values.splice(position, 1);
    for (let i = position; i < this.fields.length; i++) this.positions.set(this.fields[i]!, i);
  }

  private removeSwapping(position: number): void {
    const lastField = this.fields.pop()!;
    const lastValue = this.values.pop()!;
    if (position === this.fields.length) return;
    this.fields[position] = lastField;
    this.values[position] = lastValue;
    this.positions.set(lastField, position);
  }
}
