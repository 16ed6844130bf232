// The RESP form of an AOF base, written by a rewrite when `aof-use-rdb-preamble no`
// (aof.c rewriteAppendOnlyFileRio): per non-empty database a SELECT, then for each key the
// commands that rebuild it, collections in commands of at most AOF_REWRITE_ITEMS_PER_CMD
// elements (rewriteListObject, rewriteSetObject, rewriteSortedSetObject, rewriteHashObject,
// rewriteStreamObject), followed by PEXPIREAT when the key has a TTL.
//
// It has the RdbWriter's incremental shape, so the point-in-time snapshot (snapshot.ts) drives
// either encoder the same way.
import type { RdbEntry, StreamId, StreamValue } from '../value-model.js';
import { formatDouble17g } from '../../util/number-text.js';
import { formatAofCommand } from './aof-commands.js';

/** AOF_REWRITE_ITEMS_PER_CMD. */
const ITEMS_PER_COMMAND = 64;
/** Chunks handed to the sink, as the RDB writer's. */
const CHUNK_SIZE = 1 << 20;
/** A stream group's entries_read when unknown (SCG_INVALID_ENTRIES_READ, stored as uint64 -1). */
const INVALID_ENTRIES_READ = (1n << 64n) - 1n;

type Arg = Buffer | string;

export class AofRewriteEncoder {
  private parts: Buffer[] = [];
  private partsBytes = 0;
  bytesWritten = 0;
  /** Keys written so far. */
  entriesWritten = 0;

  constructor(
    private readonly sink: (chunk: Buffer) => void,
    /** aof-timestamp-enabled: the base starts with a `#TS:` annotation (rewriteAppendOnlyFileRio). */
    private readonly timestamped = false,
  ) {}

  /**
   * A RESP base has no header (the aux fields of an RDB have no command form): its timestamp, then
   * the function libraries as FUNCTION LOAD (aof.c rewriteAppendOnlyFileRio, rewriteFunctions).
   */
  begin(_aux: unknown, functionLibraries: Buffer[] = []): void {
    if (this.timestamped) this.raw(Buffer.from(timestampAnnotation(Math.floor(Date.now() / 1000)), 'latin1'));
    for (const code of functionLibraries) this.command(['FUNCTION', 'LOAD', code]);
  }

  startDb(db: number): void {
    this.command(['SELECT', String(db)]);
  }

  writeEntry(entry: RdbEntry): void {
    this.entriesWritten++;
    const { key, value } = entry;
    switch (value.type) {
      case 'string':
        this.command(['SET', key, value.value]);
        break;
      case 'list':
        this.batched(
          'RPUSH',
          key,
          value.items.map((item) => [item]),
        );
        break;
      case 'set':
        this.batched(
          'SADD',
          key,
          value.members.map((member) => [member]),
        );
        break;
      case 'zset':
        this.batched(
          'ZADD',
          key,
          value.entries.map(([member, score]) => [formatDouble17g(score), member]),
        );
        break;
      case 'hash':
        this.batched('HMSET', key, value.entries);
        break;
      case 'stream':
        this.stream(key, value.stream);
        break;
    }
    if (entry.expireAtMs !== null) this.command(['PEXPIREAT', key, String(entry.expireAtMs)]);
  }

  flush(): void {
    if (this.partsBytes === 0) return;
    this.sink(this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.partsBytes));
    this.parts = [];
    this.partsBytes = 0;
  }

  end(): void {
    this.flush();
  }

  /** Nothing to reuse: each chunk is a Buffer of its own, made by concatenating the commands. */
  chunksReleased(): void {}

  /** `name key` followed by the items, ITEMS_PER_COMMAND items per command. */
  private batched(name: string, key: Buffer, items: Arg[][]): void {
    for (let i = 0; i < items.length; i += ITEMS_PER_COMMAND) {
      this.command([name, key, ...items.slice(i, i + ITEMS_PER_COMMAND).flat()]);
    }
  }

  /** rewriteStreamObject: entries, XSETID, then each group with its consumers and pending entries. */
  private stream(key: Buffer, stream: StreamValue): void {
    if (stream.entries.length === 0) {
      // The XADD MAXLEN 0 trick: creates the key, empty.
      this.command(['XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y']);
    }
    for (const entry of stream.entries) this.command(['XADD', key, streamId(entry.id), ...entry.fieldsAndValues]);
    this.command([
      'XSETID',
      key,
      streamId(stream.lastId),
      'ENTRIESADDED',
      String(stream.entriesAdded),
      'MAXDELETEDID',
      streamId(stream.maxDeletedEntryId),
    ]);
    for (const group of stream.groups) {
      const entriesRead = group.entriesRead === INVALID_ENTRIES_READ ? '-1' : String(group.entriesRead);
      this.command(['XGROUP', 'CREATE', key, group.name, streamId(group.lastId), 'ENTRIESREAD', entriesRead]);
      const nacks = new Map(group.pending.map((nack) => [streamId(nack.id), nack]));
      for (const consumer of group.consumers) {
        if (consumer.pending.length === 0) {
          this.command(['XGROUP', 'CREATECONSUMER', key, group.name, consumer.name]);
          continue;
        }
        for (const id of consumer.pending) {
          const nack = nacks.get(streamId(id))!;
          this.command([
            'XCLAIM',
            key,
            group.name,
            consumer.name,
            '0',
            streamId(id),
            'TIME',
            String(nack.deliveryTimeMs),
            'RETRYCOUNT',
            String(nack.deliveryCount),
            'JUSTID',
            'FORCE',
          ]);
        }
      }
    }
  }

  private command(argv: Arg[]): void {
    this.raw(formatAofCommand(argv));
  }

  private raw(encoded: Buffer): void {
    this.parts.push(encoded);
    this.partsBytes += encoded.length;
    this.bytesWritten += encoded.length;
    if (this.partsBytes >= CHUNK_SIZE) this.flush();
  }
}

/** genAofTimestampAnnotationIfNeeded's line: `#TS:<unix seconds>`, which loading skips. */
export function timestampAnnotation(unixSeconds: number): string {
  return `#TS:${unixSeconds}\r\n`;
}

function streamId(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}
