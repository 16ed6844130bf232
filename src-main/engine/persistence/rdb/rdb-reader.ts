// Reads RDB files of versions 1 to 11 (rdb.c rdbLoadRioWithLoadingCtx) from chunks as they
// arrive, from a file or a replication socket, handing each key to the caller as it completes.
//
// Streaming without copying everything: the reader parses straight out of the received chunk
// and only keeps (and later joins with the next chunk) the tail holding an incomplete item. An
// item that needs more bytes is retried when at least twice as many are buffered, so even a
// value of hundreds of megabytes is parsed a bounded number of times.
//
// Any problem is a CorruptDataError naming the offset; nothing is half-loaded silently: the
// caller receives entries one by one, so it must discard what it got when end() or push() throws.
import { open } from 'node:fs/promises';
import { CorruptDataError } from '../corrupt-data.js';
import { Crc64, littleEndianHex } from './crc64.js';
import { RDB_MODULE_OPCODE_UINT, RDB_VERSION_MAX_READ, RdbOpcode, RdbType, isObjectType, moduleTypeNameById } from './rdb-format.js';
import { NeedMoreData, RdbInput } from './rdb-input.js';
import { decodeValue } from './rdb-value-decoder.js';
import type { RdbAuxFields, RdbEntry } from '../value-model.js';

export interface RdbReaderOptions {
  /** `databases`: a SELECTDB beyond it is fatal, as in Redis. */
  databases?: number;
  /** `rdbchecksum`: when false the trailer is not checked (nor computed). */
  verifyChecksum?: boolean;
  /**
   * Receives plain string keys instead of onEntry, as binary strings (one char per byte): the
   * loader's fast path, without a Buffer per key and value or a model object per entry. The
   * last two are the IDLE / FREQ opcodes' values when the file has them (RdbEntry's fields).
   */
  onStringEntry?: (
    db: number,
    key: string,
    value: string,
    expireAtMs: number | null,
    lruIdleSeconds: number | undefined,
    lfuFrequency: number | undefined,
  ) => void;
}

export interface RdbLoadResult {
  version: number;
  /** All aux fields in file order (repl-id, repl-offset, repl-stream-db, aof-base, ...). */
  aux: RdbAuxFields;
  /** Function library sources (0xF5, or the pre-GA 0xF6 form converted as rdbFunctionLoad does). */
  functionLibraries: Buffer[];
  /** 'verified', 'disabled' (stored checksum was zero), 'skipped' (verifyChecksum false) or 'absent' (version < 5). */
  checksum: 'verified' | 'disabled' | 'skipped' | 'absent';
  keysRead: number;
  /** Empty collections Redis would skip with "rdbLoadObject skipping empty key". */
  emptyKeysSkipped: number;
  /** Offset just past the RDB (an old single-file AOF continues with commands there). */
  bytesConsumed: number;
}

type State = 'header' | 'body' | 'checksum' | 'done';

export class RdbReader {
  private readonly input = new RdbInput();
  private readonly crc: Crc64 | null;
  private readonly databases: number;
  private readonly onStringEntry: RdbReaderOptions['onStringEntry'];
  private state: State = 'header';
  private version = 0;
  private currentDb = 0;
  private pendingExpire: number | null = null;
  private pendingIdle: number | undefined;
  private pendingFreq: number | undefined;
  /** The aux fields read so far (all of them once the file is read). */
  readonly aux: RdbAuxFields = new Map();
  private readonly functionLibraries: Buffer[] = [];
  private checksumStatus: RdbLoadResult['checksum'] = 'absent';
  private keysRead = 0;
  private emptyKeysSkipped = 0;

  /** Compact encodings checked in full so far (see RdbInput.blobsChecked). */
  get blobsChecked(): number {
    return this.input.blobsChecked;
  }

  /** Unparsed bytes: the tail of the last chunk plus chunks received since. */
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  /** Absolute offset of the first buffered byte. */
  private consumed = 0;
  /** Do not retry before this many bytes are buffered (see the header comment). */
  private retryAt = 0;

  constructor(
    private readonly onEntry: (entry: RdbEntry) => void,
    options: RdbReaderOptions = {},
  ) {
    this.databases = options.databases ?? 16;
    this.onStringEntry = options.onStringEntry;
    this.crc = options.verifyChecksum === false ? null : new Crc64();
    if (!this.crc) this.checksumStatus = 'skipped';
  }

  get done(): boolean {
    return this.state === 'done';
  }

  /** Bytes received after the end of the RDB (only meaningful once `done`). */
  remainder(): Buffer {
    return Buffer.concat(this.buffered);
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    if (this.state === 'done' || this.bufferedBytes < this.retryAt) return;
    this.parseBuffered(false);
  }

  /** No more input: parses what is left and fails unless the file was complete. */
  end(): RdbLoadResult {
    if (this.state !== 'done') this.parseBuffered(true);
    return {
      version: this.version,
      aux: this.aux,
      functionLibraries: this.functionLibraries,
      checksum: this.checksumStatus,
      keysRead: this.keysRead,
      emptyKeysSkipped: this.emptyKeysSkipped,
      bytesConsumed: this.consumed,
    };
  }

  private parseBuffered(final: boolean): void {
    const buf = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered, this.bufferedBytes);
    const input = this.input;
    input.reset(buf, this.consumed, final);
    this.retryAt = 0;
    while (this.state !== 'done') {
      const mark = input.pos;
      if (mark === input.end && !final) break;
      try {
        this.parseItem();
      } catch (err) {
        if (!(err instanceof NeedMoreData)) throw err;
        input.pos = mark;
        this.retryAt = Math.max(err.required - (input.base + mark), 2 * (input.end - mark));
        break;
      }
      // The CRC covers everything up to and including the 0xFF opcode, never the trailer.
      if (this.crc && !this.done) this.crc.update(buf, mark, input.pos);
    }
    if (input.pos === input.end) {
      this.buffered = [];
      this.bufferedBytes = 0;
    } else {
      const rest = buf.subarray(input.pos);
      this.buffered = [rest];
      this.bufferedBytes = rest.length;
    }
    this.consumed = input.base + input.pos;
  }

  /** One header, opcode or key/value pair; throws NeedMoreData to be retried as a whole. */
  private parseItem(): void {
    const input = this.input;
    if (this.state === 'header') return this.parseHeader();
    if (this.state === 'checksum') return this.parseChecksum();
    const type = input.u8();
    switch (type) {
      case RdbOpcode.EXPIRETIME:
        this.pendingExpire = input.int32LE() * 1000;
        return;
      case RdbOpcode.EXPIRETIME_MS:
        this.pendingExpire = input.millis();
        return;
      case RdbOpcode.FREQ:
        this.pendingFreq = input.u8();
        return;
      case RdbOpcode.IDLE:
        this.pendingIdle = input.length();
        return;
      case RdbOpcode.EOF:
        this.state = this.version >= 5 ? 'checksum' : 'done';
        return;
      case RdbOpcode.SELECTDB: {
        const at = input.pos;
        const db = input.length();
        if (db >= this.databases) {
          input.corrupt(
            `FATAL: Data file was created with a Redis server configured to handle more than ${this.databases} databases. Exiting`,
            at,
          );
        }
        this.currentDb = db;
        return;
      }
      case RdbOpcode.RESIZEDB:
        input.length();
        input.length();
        return;
      case RdbOpcode.AUX: {
        const key = input.string().toString('latin1');
        this.aux.set(key, input.string().toString('latin1'));
        return;
      }
      case RdbOpcode.MODULE_AUX: {
        const at = input.pos;
        const name = moduleTypeNameById(input.lengthBig());
        if (input.length() !== RDB_MODULE_OPCODE_UINT) input.corrupt('bad when_opcode', at);
        input.length();
        return input.corrupt(`The RDB file contains AUX module data I can't load: no matching module '${name}'`, at);
      }
      case RdbOpcode.FUNCTION2:
        this.functionLibraries.push(input.string());
        return;
      case RdbOpcode.FUNCTION_PRE_GA:
        return this.parsePreGaFunction();
      default:
        if (!isObjectType(type)) input.corrupt(`Unknown RDB encoding type ${type}`, input.pos - 1, 2681, false); // rdbLoadObject
        return this.parseKeyValue(type);
    }
  }

  private parseHeader(): void {
    const input = this.input;
    input.need(9);
    const magic = input.buf.toString('latin1', input.pos, input.pos + 9);
    // rdbLoadRioWithLoadingCtx logs these two and returns C_ERR with errno EINVAL (no
    // rdbReportError): loadDataFromDisk then exits with "Fatal error loading the DB: Invalid argument."
    const refuse = (reason: string): never => {
      throw new CorruptDataError(`Internal error in RDB reading offset ${input.offset} -> ${reason}`, input.offset, {
        reason,
        errno: 'Invalid argument',
      });
    };
    if (!magic.startsWith('REDIS')) refuse('Wrong signature trying to load DB from file');
    // atoi(buf+5): leading digits only.
    const version = Number(/^\d*/.exec(magic.slice(5))![0] || '0');
    if (version < 1 || version > RDB_VERSION_MAX_READ) refuse(`Can't handle RDB format version ${version}`);
    input.pos += 9;
    this.version = version;
    this.state = 'body';
  }

  private parseChecksum(): void {
    const input = this.input;
    input.need(8);
    const at = input.pos;
    input.pos += 8;
    this.state = 'done';
    if (!this.crc) return;
    const stored = input.buf.subarray(at, at + 8);
    if (stored.every((b) => b === 0)) {
      this.checksumStatus = 'disabled';
    } else if (this.crc.matchesLittleEndian(stored, 0)) {
      this.checksumStatus = 'verified';
    } else {
      const offset = input.base + at;
      const wrong = `Wrong RDB checksum expected: (${this.crc.toHex()}) but got (${littleEndianHex(stored, 0)}). Aborting now.`;
      throw new CorruptDataError(`${wrong} (checksum stored at offset ${offset})`, offset, {
        preface: wrong,
        reason: 'RDB CRC error',
        redisLine: 3225,
        terminatingLine: false,
      });
    }
  }

  /** RDB_OPCODE_FUNCTION (7.0 rc1/rc2): name, engine, optional description, code. */
  private parsePreGaFunction(): void {
    const input = this.input;
    const name = input.string().toString('latin1');
    const engine = input.string().toString('latin1');
    if (input.length() !== 0) input.string();
    const code = input.string();
    this.functionLibraries.push(Buffer.concat([Buffer.from(`#!${engine} name=${name}\n`, 'latin1'), code]));
  }

  private parseKeyValue(type: number): void {
    const input = this.input;
    if (type === RdbType.STRING && this.onStringEntry !== undefined) {
      const key = input.binaryString();
      const value = input.binaryString();
      const expireAtMs = this.pendingExpire;
      const lruIdleSeconds = this.pendingIdle;
      const lfuFrequency = this.pendingFreq;
      this.pendingExpire = null;
      this.pendingIdle = undefined;
      this.pendingFreq = undefined;
      this.keysRead++;
      this.onStringEntry(this.currentDb, key, value, expireAtMs, lruIdleSeconds, lfuFrequency);
      return;
    }
    const key = input.string();
    const value = decodeValue(input, type);
    const expireAtMs = this.pendingExpire;
    const lruIdleSeconds = this.pendingIdle;
    const lfuFrequency = this.pendingFreq;
    this.pendingExpire = null;
    this.pendingIdle = undefined;
    this.pendingFreq = undefined;
    if (value === null) {
      this.emptyKeysSkipped++;
      return;
    }
    this.keysRead++;
    const entry: RdbEntry = { db: this.currentDb, key, value, expireAtMs };
    if (lruIdleSeconds !== undefined) entry.lruIdleSeconds = lruIdleSeconds;
    if (lfuFrequency !== undefined) entry.lfuFrequency = lfuFrequency;
    this.onEntry(entry);
  }
}

/** Parses a whole RDB held in memory. */
export function readRdbBuffer(data: Buffer, onEntry: (entry: RdbEntry) => void, options?: RdbReaderOptions): RdbLoadResult {
  const reader = new RdbReader(onEntry, options);
  reader.push(data);
  return reader.end();
}

/**
 * Streams an RDB file from disk in large reads, yielding to the event loop between them (the
 * node can keep answering -LOADING meanwhile, like processEventsWhileBlocked).
 */
export async function readRdbFile(
  path: string,
  onEntry: (entry: RdbEntry) => void,
  options?: RdbReaderOptions & { readSize?: number },
): Promise<RdbLoadResult> {
  const readSize = options?.readSize ?? 4 << 20;
  const reader = new RdbReader(onEntry, options);
  const file = await open(path, 'r');
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(readSize);
      const { bytesRead } = await file.read(chunk, 0, readSize, null);
      if (bytesRead === 0) break;
      reader.push(chunk.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  return reader.end();
}
