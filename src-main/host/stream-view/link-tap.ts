// The passive tap on one connection through a link relay: it sees the chunks each RelayPipe has
// already handed on (it gets the same Buffer, never changes it, and never holds the pipe up) and
// turns them into stream entries with their replication offsets, for the stream view.
//
// Cost when nobody watches: the handshake and the RDB of a full sync are read as they pass (a few
// lines, and the RDB skipped by its length or scanned for its diskless end mark with indexOf), so the
// tap knows where the stream starts and its offset; after that each chunk only adds its length to a
// count. While a view watches, chunks of the stream are queued and parsed a slice per event-loop
// turn (setImmediate), never inside the pipe's own 'data' handler; if more than MAX_QUEUED bytes
// wait, they are dropped, counted and announced ("view lagging, N bytes skipped"), and the parser
// looks for the next command boundary. Offsets stay exact because every byte is counted either way.
import { catRepr } from '../../engine/index.js';
import type { StreamDirection, StreamEntry } from '../../api/index.js';
import { PREVIEW_BYTES, StreamParser, type StreamItem } from './stream-parser.js';

/** Bytes of the stream waiting to be parsed before the view gives up on them. */
export const MAX_QUEUED = 4 * 1024 * 1024;
/** Entries of a connection's handshake kept for a view opened later (a handshake has about ten). */
const MAX_HANDSHAKE_ENTRIES = 32;
/** Bytes parsed per event-loop turn: the relay's own work comes first. */
const SLICE_BYTES = 256 * 1024;

export type TapEntry = Omit<StreamEntry, 'seq'>;

/** Where the link's offsets stand: stream position `position` (bytes read to the replica) is at `offset`. */
interface Anchor {
  position: number;
  offset: number;
}

class DirectionTap {
  readonly parser: StreamParser;
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private scheduled = false;

  constructor(
    readonly direction: StreamDirection,
    private readonly owner: LinkTap,
  ) {
    this.parser = new StreamParser(direction === 'to-replica' ? 'replies' : 'commands');
  }

  chunk(data: Buffer): void {
    if (this.owner.inHandshake(this)) {
      // The handshake and the RDB: always read, inline (little work), so offsets are known later.
      this.owner.items(this, this.parser.feed(data), true);
      return;
    }
    if (!this.owner.watched && this.queued === 0) {
      this.parser.skip(data.length);
      this.parser.desync();
      return;
    }
    if (this.queued + data.length > MAX_QUEUED) {
      const dropped = this.queued + data.length;
      this.queue.length = 0;
      this.queued = 0;
      this.parser.skip(dropped);
      this.parser.desync();
      this.owner.lagging(this, dropped);
      return;
    }
    this.queue.push(data);
    this.queued += data.length;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      let budget = SLICE_BYTES;
      while (budget > 0 && this.queue.length > 0) {
        const next = this.queue.shift()!;
        this.queued -= next.length;
        budget -= next.length;
        const items = this.parser.feed(next);
        if (this.owner.watched) this.owner.items(this, items);
      }
      if (this.queue.length > 0) this.schedule();
    });
  }
}

export class LinkTap {
  /** Set by the relay: whether a view watches, and where its entries go. */
  watched = false;
  private readonly toReplica: DirectionTap;
  private readonly toMaster: DirectionTap;
  private anchor: Anchor | null = null;
  /**
   * How this connection began (the replica's PSYNC, +FULLRESYNC or +CONTINUE, the RDB line): kept,
   * so a view opened later still shows where the stream and its offsets start.
   */
  readonly handshake: TapEntry[] = [];
  /** The offset +FULLRESYNC announced, waiting for the RDB's end (where the stream starts). */
  private announced: number | null = null;
  /** The offset the replica's PSYNC asked to continue from (+CONTINUE resumes there). */
  private psyncOffset: number | null = null;

  constructor(
    readonly connection: number,
    private readonly emit: (entries: TapEntry[]) => void,
  ) {
    this.toReplica = new DirectionTap('to-replica', this);
    this.toMaster = new DirectionTap('to-master', this);
  }

  /** Whether a direction is still before its stream: the master's replies and RDB, the replica's commands up to PSYNC. */
  inHandshake(tap: DirectionTap): boolean {
    return tap.direction === 'to-replica' ? !tap.parser.inStream : this.psyncOffset === null;
  }

  /** What a view that starts watching now is shown first: how the connection began, and how much passed unseen since. */
  opening(): TapEntry[] {
    const entries = [...this.handshake];
    const fed = this.toReplica.parser.fed;
    if (this.anchor && fed > this.anchor.position) {
      const unseen = fed - this.anchor.position;
      entries.push(
        this.entry(
          'to-replica',
          'skipped',
          'skipped',
          `${unseen} bytes of stream passed before the view opened`,
          unseen,
          this.offsetAt(fed),
        ),
      );
    }
    return entries;
  }

  /** A chunk the relay read from the master (and has handed to the replica). */
  fromMaster(data: Buffer): void {
    this.toReplica.chunk(data);
  }

  /** A chunk the relay read from the replica (and has handed to the master). */
  fromReplica(data: Buffer): void {
    this.toMaster.chunk(data);
  }

  /** Items a direction read: the offsets are followed always, entries made only for a view. */
  items(tap: DirectionTap, items: StreamItem[], handshake = false): void {
    if (items.length === 0) return;
    const entries: TapEntry[] = [];
    for (const item of items) {
      const entry = tap.direction === 'to-replica' ? this.toReplicaEntry(item) : this.toMasterEntry(item);
      if (handshake && this.handshake.length < MAX_HANDSHAKE_ENTRIES) this.handshake.push(entry);
      if (this.watched) entries.push(entry);
    }
    if (entries.length > 0) this.emit(entries);
  }

  lagging(tap: DirectionTap, bytes: number): void {
    if (!this.watched) return;
    const end = tap.parser.fed;
    this.emit([
      this.entry(
        tap.direction,
        'skipped',
        'skipped',
        `view lagging, ${bytes} bytes skipped`,
        bytes,
        tap.direction === 'to-replica' ? this.offsetAt(end) : null,
      ),
    ]);
  }

  private toReplicaEntry(item: StreamItem): TapEntry {
    switch (item.kind) {
      case 'reply': {
        const words = item.line.split(' ');
        let offset: number | null = null;
        if (words[0] === '+FULLRESYNC' && words.length >= 3) {
          this.announced = Number(words[2]);
          offset = this.announced;
        } else if (words[0] === '+CONTINUE' && this.psyncOffset !== null) {
          // The master sends its backlog from the PSYNC offset on: the byte before it is where we stand.
          this.anchor = { position: item.end, offset: this.psyncOffset - 1 };
          offset = this.anchor.offset;
        }
        return this.entry('to-replica', 'reply', words[0] ?? '', item.line, item.bytes, offset);
      }
      case 'rdb': {
        if (this.announced !== null) this.anchor = { position: item.end, offset: this.announced };
        const form = item.diskless ? ' (diskless, $EOF: end mark)' : '';
        return this.entry('to-replica', 'rdb', 'RDB', `RDB payload, ${item.payload} bytes${form}`, item.bytes, this.anchor?.offset ?? null);
      }
      case 'command':
        return this.entry(
          'to-replica',
          'command',
          commandName(item.args),
          commandText(item.args, item.sizes),
          item.bytes,
          this.offsetAt(item.end),
        );
      case 'skipped':
        return this.entry('to-replica', 'skipped', 'skipped', skippedText(item.bytes), item.bytes, this.offsetAt(item.end));
    }
  }

  private toMasterEntry(item: StreamItem): TapEntry {
    if (item.kind !== 'command') {
      return this.entry('to-master', 'skipped', 'skipped', skippedText(item.bytes), item.bytes, null);
    }
    const name = commandName(item.args);
    const sub = (item.args[1] ?? '').toUpperCase();
    let offset: number | null = null;
    if (name === 'PSYNC' && item.args.length >= 3) {
      this.psyncOffset = Number(item.args[2]);
      // `PSYNC ? -1` asks for a full sync: it names no offset.
      offset = item.args[1] === '?' ? null : this.psyncOffset;
    } else if (name === 'REPLCONF' && sub === 'ACK') offset = Number(item.args[2]);
    // A replica's AUTH carries masterauth: it is not shown.
    const text =
      name === 'AUTH'
        ? `"AUTH" (${item.args.length - 1} argument${item.args.length === 2 ? '' : 's'} hidden)`
        : commandText(item.args, item.sizes);
    return this.entry('to-master', 'command', name, text, item.bytes, Number.isFinite(offset) ? offset : null);
  }

  private offsetAt(position: number): number | null {
    return this.anchor ? this.anchor.offset + (position - this.anchor.position) : null;
  }

  private entry(
    direction: StreamDirection,
    kind: TapEntry['kind'],
    name: string,
    text: string,
    bytes: number,
    offset: number | null,
  ): TapEntry {
    return { at: Date.now(), connection: this.connection, direction, kind, name, text, bytes, offset };
  }
}

function commandName(args: string[]): string {
  return (args[0] ?? '').toUpperCase();
}

/** The arguments as MONITOR prints them ("SET" "demo" "1"); one cut at PREVIEW_BYTES says how long it was. */
function commandText(args: string[], sizes: number[]): string {
  return args
    .map((arg, i) => {
      const size = sizes[i] ?? arg.length;
      return size > PREVIEW_BYTES ? `${catRepr(arg)}... (${size} bytes)` : catRepr(arg);
    })
    .join(' ');
}

function skippedText(bytes: number): string {
  return `${bytes} bytes skipped (the view started mid-stream or lost its place)`;
}
