// Runs one fuzz input through the engine's own loaders, in process, and says what happened:
// refused (with the error a user would get, and the byte offset where it names one), accepted,
// or a failure of the loader itself: an exception other than the loaders' CorruptDataError, a
// refusal that names no offset, a reply Redis would not give, an allocation out of proportion
// to the input, or different outcomes for the same bytes read whole and in chunks.
import { CorruptDataError } from '../../../src-main/engine/persistence/corrupt-data.js';
import {
  DUMP_BAD_FORMAT_ERROR,
  DUMP_PAYLOAD_ERROR,
  createDumpPayload,
  parseDumpPayload,
} from '../../../src-main/engine/persistence/rdb/dump-payload.js';
import { RdbReader, readRdbBuffer } from '../../../src-main/engine/persistence/rdb/rdb-reader.js';
import { AofCommandReader } from '../../../src-main/engine/persistence/aof/aof-commands.js';
import { AofManifestError, parseAofManifest } from '../../../src-main/engine/persistence/aof/aof-manifest.js';
import { fromRdbValue, toRdbValue } from '../../../src-main/engine/persistence/value-adapters.js';
import type { RdbValue } from '../../../src-main/engine/persistence/value-model.js';
import { Random } from './random.js';

export type FuzzFormat = 'rdb' | 'restore' | 'aof' | 'manifest';

export type Outcome =
  | { kind: 'refused'; message: string; offset: number | null }
  | { kind: 'accepted' }
  /** A bug: what went wrong, in one line. */
  | { kind: 'failure'; problem: string };

/** An allocation bigger than this many times the input (plus a floor) counts as unbounded. */
const ALLOCATION_FACTOR = 100;
const ALLOCATION_FLOOR = 16 << 20;

/**
 * Records the largest Buffer allocation made while `run` runs: every Buffer the loaders make
 * goes through these three (a declared length of 2^32 read before checking the input would show
 * here as a 4 GB request, or as the RangeError Node throws for it).
 */
function withAllocationWatch<T>(run: () => T): { result: T; largest: number } {
  const saved = { alloc: Buffer.alloc, allocUnsafe: Buffer.allocUnsafe, allocUnsafeSlow: Buffer.allocUnsafeSlow };
  let largest = 0;
  const watch = <F extends (size: number, ...rest: never[]) => Buffer>(f: F): F =>
    ((size: number, ...rest: never[]) => {
      if (size > largest) largest = size;
      return f.call(Buffer, size, ...rest);
    }) as F;
  Buffer.alloc = watch(saved.alloc);
  Buffer.allocUnsafe = watch(saved.allocUnsafe);
  Buffer.allocUnsafeSlow = watch(saved.allocUnsafeSlow);
  try {
    return { result: run(), largest };
  } finally {
    Object.assign(Buffer, saved);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : String(err);
}

/** A value that was accepted must be usable: loaded into the keyspace's types and dumped again. */
function useValue(value: RdbValue): void {
  const loaded = fromRdbValue(value);
  createDumpPayload(toRdbValue(loaded));
}

function restoreOutcome(bytes: Buffer): Outcome {
  const parsed = parseDumpPayload(bytes);
  if (!parsed.ok) {
    if (parsed.error !== DUMP_PAYLOAD_ERROR && parsed.error !== DUMP_BAD_FORMAT_ERROR) {
      return { kind: 'failure', problem: `RESTORE would reply '${parsed.error}'` };
    }
    return { kind: 'refused', message: parsed.error, offset: null };
  }
  useValue(parsed.value);
  return { kind: 'accepted' };
}

function refusal(err: unknown, length: number): Outcome {
  if (!(err instanceof CorruptDataError)) return { kind: 'failure', problem: `threw ${describe(err)}` };
  if (err.offset === null || err.offset < 0 || err.offset > length) {
    return { kind: 'failure', problem: `refused without a byte offset inside the file: ${err.offset} (${err.message})` };
  }
  return { kind: 'refused', message: err.message, offset: err.offset };
}

/** An RDB file read whole (with the loader's string fast path), then in chunks; both must agree. */
function rdbOutcome(bytes: Buffer, rng: Random): Outcome {
  let whole: Outcome;
  try {
    readRdbBuffer(bytes, (entry) => useValue(entry.value), { onStringEntry: () => {} });
    whole = { kind: 'accepted' };
  } catch (err) {
    whole = refusal(err, bytes.length);
  }
  if (whole.kind === 'failure') return whole;
  let chunked: Outcome;
  try {
    const reader = new RdbReader((entry) => useValue(entry.value));
    for (let at = 0; at < bytes.length;) {
      const n = 1 + rng.int(Math.max(1, bytes.length >> 2));
      reader.push(bytes.subarray(at, at + n));
      at += n;
    }
    reader.end();
    chunked = { kind: 'accepted' };
  } catch (err) {
    chunked = refusal(err, bytes.length);
  }
  if (chunked.kind === 'failure') return chunked;
  if (chunked.kind !== whole.kind || (whole.kind === 'refused' && chunked.kind === 'refused' && whole.offset !== chunked.offset)) {
    return { kind: 'failure', problem: `read whole: ${JSON.stringify(whole)}, in chunks: ${JSON.stringify(chunked)}` };
  }
  return whole;
}

function aofOutcome(bytes: Buffer, rng: Random): Outcome {
  try {
    const reader = new AofCommandReader(() => {});
    for (let at = 0; at < bytes.length;) {
      const n = 1 + rng.int(Math.max(1, bytes.length >> 1));
      reader.push(bytes.subarray(at, at + n));
      at += n;
    }
    reader.end();
    return { kind: 'accepted' };
  } catch (err) {
    return refusal(err, bytes.length);
  }
}

function manifestOutcome(bytes: Buffer): Outcome {
  try {
    parseAofManifest(bytes.latin1Slice(0, bytes.length));
    return { kind: 'accepted' };
  } catch (err) {
    if (err instanceof AofManifestError) return { kind: 'refused', message: err.message, offset: null };
    return { kind: 'failure', problem: `threw ${describe(err)}` };
  }
}

/** One input through its loader; `rng` only picks chunk sizes. */
export function runInput(format: FuzzFormat, bytes: Buffer, rng: Random): Outcome & { ms: number; largestAllocation: number } {
  const started = performance.now();
  const { result, largest } = withAllocationWatch((): Outcome => {
    try {
      switch (format) {
        case 'restore':
          return restoreOutcome(bytes);
        case 'rdb':
          return rdbOutcome(bytes, rng);
        case 'aof':
          return aofOutcome(bytes, rng);
        case 'manifest':
          return manifestOutcome(bytes);
      }
    } catch (err) {
      return { kind: 'failure', problem: `threw ${describe(err)}` };
    }
  });
  const ms = performance.now() - started;
  if (result.kind !== 'failure' && largest > ALLOCATION_FLOOR + ALLOCATION_FACTOR * bytes.length) {
    return { kind: 'failure', problem: `allocated ${largest} bytes for a ${bytes.length}-byte input`, ms, largestAllocation: largest };
  }
  return { ...result, ms, largestAllocation: largest };
}
