// The node's write feed: every change to the dataset, as the commands that reproduce it, in the
// order they happened. The core's Propagation hands over each command's effects as one unit
// (core/propagation.ts); the feed turns units into the command sequence that both the AOF and
// the replication stream record, and fans it out to its subscribers.
//
// As in Redis 7.0 (server.c propagatePendingCommands), a unit of more than one command is wrapped
// in MULTI ... EXEC, so that a replica or an AOF replay applies it atomically: EXEC of several
// writes, a write that first deleted an expired key, a command that rewrote itself into several.
// A unit of one command is sent as is.
//
// Subscribers receive (dbIndex, argv) and emit a SELECT when dbIndex differs from the database they
// last selected (never for NO_DB). As in 7.0's propagatePendingCommands, MULTI carries the first
// wrapped command's database and EXEC the last one's, so a needed SELECT goes before the MULTI,
// not inside the transaction.
import type { BinaryString } from '../protocol/request-parser.js';
import { PROPAGATE_AOF, PROPAGATE_REPL, type Effect, type Propagation } from './propagation.js';
import '../protocol/buffer-latin1.js';

export type WriteListener = (dbIndex: number, argv: BinaryString[]) => void;

/** dbIndex for commands that belong to no database (PING, REPLCONF GETACK, DEBUG REPLICATE's). */
export const NO_DB = -1;

const MULTI: BinaryString[] = ['MULTI'];
const EXEC: BinaryString[] = ['EXEC'];

export class WriteFeed {
  private listeners: { listener: WriteListener; target: number }[] = [];

  constructor(
    propagation: Propagation,
    /** False while nothing may enter the feed (a dataset is loading). */
    private readonly open: () => boolean = () => true,
  ) {
    propagation.onPropagate = (dbIndex, argv) => {
      if (this.open()) this.publish(dbIndex, argv);
    };
    propagation.onPropagateUnit = (effects) => {
      if (this.open()) this.publishUnit(effects);
    };
  }

  /**
   * Adds a subscriber, the AOF (PROPAGATE_AOF) or replication (PROPAGATE_REPL); returns the
   * function that removes it.
   */
  subscribe(listener: WriteListener, target: number): () => void {
    const entry = { listener, target };
    this.listeners.push(entry);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== entry);
    };
  }

  /**
   * propagatePendingCommands: a unit of several effects is wrapped in MULTI ... EXEC, sent to
   * every subscriber even when some effects go to one target only (PUBLISH goes to replicas
   * alone): the AOF may then record an empty MULTI/EXEC, as Redis's does.
   */
  private publishUnit(effects: readonly Effect[]): void {
    if (effects.some((e) => e.scriptTargets)) {
      // After redis.set_repl each target gets its own unit (see Effect.scriptTargets).
      for (const target of [PROPAGATE_AOF, PROPAGATE_REPL]) {
        const own = effects.filter((e) => ((e.targets ?? target) & target) !== 0);
        if (own.length !== 0) this.publishWrapped(own, target);
      }
      return;
    }
    this.publishWrapped(effects, undefined);
  }

  /** The effects, wrapped when several; each to `only`, or else to its own targets. */
  private publishWrapped(effects: readonly Effect[], only: number | undefined): void {
    const all = PROPAGATE_AOF | PROPAGATE_REPL;
    if (effects.length === 1) {
      this.publish(effects[0]!.dbIndex, effects[0]!.argv, only ?? effects[0]!.targets ?? all);
      return;
    }
    this.publish(effects[0]!.dbIndex, MULTI, only ?? all);
    for (const e of effects) this.publish(e.dbIndex, e.argv, only ?? e.targets ?? all);
    this.publish(effects.at(-1)!.dbIndex, EXEC, only ?? all);
  }

  private publish(dbIndex: number, argv: BinaryString[], targets = PROPAGATE_AOF | PROPAGATE_REPL): void {
    for (const { listener, target } of this.listeners) if ((target & targets) !== 0) listener(dbIndex, argv);
  }
}

/**
 * Encodes commands as RESP multibulk requests, the form both the replication stream and the AOF
 * use: `*<argc>\r\n` then `$<len>\r\n<arg>\r\n` per argument. Arguments are binary strings (one
 * char per byte), written byte for byte.
 *
 * It encodes into one reused buffer, read by the caller before the next encode(): a master feeds
 * every write to its backlog and replicas, and a Buffer per command (plus a native call per
 * argument) was a fifth of a busy master's time with replicas attached.
 */
export class CommandEncoder {
  private reused = Buffer.allocUnsafe(REUSED_BYTES);
  /** Holds the last encode()'s bytes at [0, length). */
  bytes: Buffer = this.reused;

  /** Encodes `argv`; returns its length in bytes (see `bytes`). */
  encode(argv: readonly BinaryString[]): number {
    let size = 1 + decimalLength(argv.length) + 2;
    for (const arg of argv) size += 1 + decimalLength(arg.length) + 2 + arg.length + 2;
    // A big command gets a buffer of its own, so the reused one stays small.
    const out = size <= REUSED_BYTES ? this.reused : Buffer.allocUnsafe(size);
    this.bytes = out;
    let at = 0;
    out[at++] = 42; // '*'
    at = writeDecimal(out, at, argv.length);
    for (const arg of argv) {
      out[at++] = 36; // '$'
      at = writeDecimal(out, at, arg.length);
      const n = arg.length;
      // Short arguments byte by byte: cheaper than a call into Node's binding.
      if (n <= SHORT_ARGUMENT) {
        for (let i = 0; i < n; i++) out[at + i] = arg.charCodeAt(i);
        at += n;
      } else {
        at += out.latin1Write(arg, at, n);
      }
      out[at++] = 13;
      out[at++] = 10;
    }
    return at;
  }
}

const REUSED_BYTES = 64 * 1024;
const SHORT_ARGUMENT = 24;

/** `<n>\r\n` at `at`; returns the position after it. */
function writeDecimal(out: Buffer, at: number, n: number): number {
  if (n < 10) {
    out[at++] = 48 + n;
  } else if (n < 100) {
    out[at++] = 48 + Math.floor(n / 10);
    out[at++] = 48 + (n % 10);
  } else {
    const digits = String(n);
    at += out.latin1Write(digits, at, digits.length);
  }
  out[at++] = 13;
  out[at++] = 10;
  return at;
}

const sharedEncoder = new CommandEncoder();

/** One command, encoded into a Buffer of its own (for the few writes outside the stream path). */
export function encodeCommand(argv: readonly BinaryString[]): Buffer {
  const length = sharedEncoder.encode(argv);
  return Buffer.from(sharedEncoder.bytes.subarray(0, length));
}

function decimalLength(n: number): number {
  return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : String(n).length;
}

/** The SELECT command that switches a stream to `dbIndex`, encoded. */
export function encodeSelect(dbIndex: number): Buffer {
  return encodeCommand(['SELECT', String(dbIndex)]);
}
