// One direction of a relayed connection: the bytes one socket reads, written unchanged to the
// other. With no fault it is a plain `source.pipe(dest)`: Node's own streaming with backpressure,
// no code of ours per chunk but a byte count and the
// stream view's tap (stream-view/link-tap.ts: a length added, or the chunk queued while a view watches). A fault takes the pipe apart:
//   stall  the source is paused: nothing is read or written, so the kernel's buffers fill and the
//          sender's writes wait, as on a network path that stopped carrying packets (a FIN waits too);
//   slow   chunks wait in a queue for their `delayMs`, then leave in slices no bigger than a token
//          bucket of `bytesPerSecond` allows, paced by one timer; the source is paused while the
//          queue holds more than QUEUE_HIGH_WATER bytes. Work is per chunk or slice, never per byte.
// Lifting the fault writes out whatever is queued, in order, and pipes again.
import type { Socket } from 'node:net';

export type PipeMode = { kind: 'open' } | { kind: 'stall' } | { kind: 'slow'; bytesPerSecond: number; delayMs: number };

/** Bytes queued in slow mode before the source is paused (the sender then waits, as on a full TCP window). */
const QUEUE_HIGH_WATER = 4 * 1024 * 1024;
/** A slow pipe writes at most this fraction of a second's bandwidth at once, so a slow link trickles. */
const SLICE_SECONDS = 0.05;

interface Queued {
  chunk: Buffer;
  /** Date.now() at which the chunk may leave (arrival + delay). */
  readyAt: number;
}

export class RelayPipe {
  private mode: PipeMode = { kind: 'open' };
  private piped = false;
  private readonly queue: Queued[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private waitingForDrain = false;
  private sourceEnded = false;
  private tokens = 0;
  private refilledAt = 0;
  private closed = false;

  constructor(
    private readonly source: Socket,
    private readonly dest: Socket,
    /** Called with each chunk as it is read: the relay's byte counters and its stream tap (never changes it). */
    onData: (chunk: Buffer) => void,
  ) {
    source.on('data', (chunk: Buffer) => {
      onData(chunk);
      // While piped, pipe() writes the chunk itself; otherwise it joins the queue.
      if (!this.piped) this.enqueue(chunk);
    });
    source.on('end', () => {
      this.sourceEnded = true;
      if (!this.piped) this.pump();
    });
  }

  /** Starts forwarding in `mode` (the relay's current fault). */
  start(mode: PipeMode): void {
    this.setMode(mode);
  }

  setMode(mode: PipeMode): void {
    if (this.closed) return;
    this.mode = mode;
    if (mode.kind === 'open') {
      this.clearTimer();
      this.flushQueue();
      if (this.sourceEnded) this.dest.end();
      else if (!this.piped) {
        this.piped = true;
        this.source.pipe(this.dest);
      }
      return;
    }
    if (this.piped) {
      this.source.unpipe(this.dest);
      this.piped = false;
    }
    if (mode.kind === 'stall') {
      this.clearTimer();
      this.source.pause();
      return;
    }
    this.tokens = this.burst();
    this.refilledAt = Date.now();
    this.clearTimer();
    if (this.queuedBytes < QUEUE_HIGH_WATER) this.source.resume();
    this.pump();
  }

  /** The pair is gone: no timer may fire for it again. */
  close(): void {
    this.closed = true;
    this.clearTimer();
    this.queue.length = 0;
    this.queuedBytes = 0;
  }

  private enqueue(chunk: Buffer): void {
    const delay = this.mode.kind === 'slow' ? this.mode.delayMs : 0;
    this.queue.push({ chunk, readyAt: Date.now() + delay });
    this.queuedBytes += chunk.length;
    if (this.queuedBytes >= QUEUE_HIGH_WATER) this.source.pause();
    this.pump();
  }

  /** Slow mode: writes what the delay and the bandwidth allow now, and sets one timer for the rest. */
  private pump(): void {
    if (this.closed || this.mode.kind !== 'slow' || this.timer || this.waitingForDrain) return;
    const { bytesPerSecond } = this.mode;
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      const now = Date.now();
      if (head.readyAt > now) return this.wake(head.readyAt - now);
      let size = head.chunk.length;
      if (bytesPerSecond > 0) {
        this.refill(now, bytesPerSecond);
        const wanted = Math.min(size, this.burst());
        if (this.tokens < wanted) return this.wake(Math.ceil(((wanted - this.tokens) / bytesPerSecond) * 1000));
        size = wanted;
        this.tokens -= size;
      }
      const part = head.chunk.subarray(0, size);
      if (size === head.chunk.length) this.queue.shift();
      else head.chunk = head.chunk.subarray(size);
      this.queuedBytes -= size;
      if (!this.dest.write(part)) {
        this.waitingForDrain = true;
        this.dest.once('drain', () => {
          this.waitingForDrain = false;
          this.pump();
        });
        break;
      }
    }
    if (this.queuedBytes < QUEUE_HIGH_WATER / 2 && !this.sourceEnded) this.source.resume();
    if (this.queue.length === 0 && this.sourceEnded) this.dest.end();
  }

  /** Writes everything queued at once, in order (the dest buffers it; its backpressure resumes with pipe()). */
  private flushQueue(): void {
    for (const { chunk } of this.queue.splice(0)) this.dest.write(chunk);
    this.queuedBytes = 0;
  }

  private refill(now: number, bytesPerSecond: number): void {
    this.tokens = Math.min(this.burst(), this.tokens + ((now - this.refilledAt) / 1000) * bytesPerSecond);
    this.refilledAt = now;
  }

  /** The most a slow pipe writes at once: SLICE_SECONDS of its bandwidth, at least one byte. */
  private burst(): number {
    return this.mode.kind === 'slow' && this.mode.bytesPerSecond > 0
      ? Math.max(1, Math.floor(this.mode.bytesPerSecond * SLICE_SECONDS))
      : Infinity;
  }

  private wake(ms: number): void {
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.pump();
      },
      Math.max(1, ms),
    );
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
