// How writes leave a node: every command that changed the dataset is handed, as its EFFECT, to
// one hook, `onPropagate(dbIndex, argv)` — the single feed for the AOF and for replicas.
//
// By default the effect is the command's own argv, when it changed something (the keyspace's
// dirty counter moved, like Redis's server.dirty). A command whose argv would not reproduce the
// same result elsewhere supplies the effect itself with propagate(): SET EX becomes SET PXAT,
// INCRBYFLOAT becomes SET KEEPTTL, SPOP becomes SREM of the chosen members. Keys that expire on
// a master are propagated as DEL, before the command that found them expired.
//
// Calls nest (EXEC runs its queued commands through the same path): a nested call's effects are
// collected into its parent's, and only the outermost call hands them to the hook, in order.
import type { BinaryString } from '../protocol/request-parser.js';

export type PropagateHook = (dbIndex: number, argv: BinaryString[]) => void;

export interface Effect {
  dbIndex: number;
  argv: BinaryString[];
  /**
   * Where the effect goes when not everywhere (a script's redis.set_repl): PROPAGATE_AOF,
   * PROPAGATE_REPL or both (the default, when absent).
   */
  targets?: number;
  /**
   * The targets came from a script's redis.set_repl. redis-server 7.0.15 then gives each target
   * its own unit (observed: an AOF-only write next to a replicas-only one reaches the AOF without
   * MULTI), whereas other single-target effects (PUBLISH) share the unit's MULTI/EXEC.
   */
  scriptTargets?: boolean;
}

/** Propagation targets (server.h PROPAGATE_AOF / PROPAGATE_REPL). */
export const PROPAGATE_AOF = 1;
export const PROPAGATE_REPL = 2;

export interface CallFrame {
  effects: Effect[];
  /** The command supplied its own effects; its argv is not propagated. */
  rewritten: boolean;
  prevented: boolean;
  forced: boolean;
  /** Where the command's own argv goes when forced to one target only (PUBLISH: replicas). */
  ownTargets: number | undefined;
}

const NO_ARGV: BinaryString[] = [];

export class Propagation {
  /** Set by persistence (AOF) and replication; the node's only write feed. */
  onPropagate: PropagateHook = () => {};
  /**
   * Receives the effects of one outermost command as a unit (EXEC's queued writes, a command and
   * the DEL of a key it found expired), so the write feed can wrap a unit of several effects in
   * MULTI ... EXEC as Redis 7.0's propagatePendingCommands does. By default, one by one. The
   * array (and its Effect) are only valid during the call: the unit of a plain write reuses one.
   */
  onPropagateUnit: (effects: readonly Effect[]) => void = (effects) => {
    for (const e of effects) this.onPropagate(e.dbIndex, e.argv);
  };
  /** The unit of a plain top-level write, reused (see end). */
  private readonly single: [Effect] = [{ dbIndex: 0, argv: [] }];
  // Frames are reused by depth: a call costs no allocation unless it actually propagates.
  private readonly frames: CallFrame[] = [];
  private depth = 0;

  /** How many calls are running, one inside the other (1 for a command a client sent). */
  get nesting(): number {
    return this.depth;
  }

  begin(): CallFrame {
    let frame = this.frames[this.depth];
    if (frame === undefined) {
      frame = { effects: [], rewritten: false, prevented: false, forced: false, ownTargets: undefined };
      this.frames.push(frame);
    } else {
      frame.rewritten = frame.prevented = frame.forced = false;
      frame.ownTargets = undefined;
      if (frame.effects.length !== 0) frame.effects = [];
    }
    this.depth++;
    return frame;
  }

  /** Called by a command handler: this is (part of) my effect, instead of my argv. */
  propagate(dbIndex: number, argv: BinaryString[]): void {
    const frame = this.current();
    if (frame) frame.rewritten = true;
    this.emit({ dbIndex, argv });
  }

  /**
   * Called by a command that must be propagated even if it changed nothing (FLUSHDB of an empty
   * db); `targets`: to the AOF or to replicas alone (forceCommandPropagation(c, PROPAGATE_REPL)
   * of PUBLISH).
   */
  force(targets = PROPAGATE_AOF | PROPAGATE_REPL): void {
    const frame = this.current();
    if (!frame) return;
    frame.forced = true;
    if (targets !== (PROPAGATE_AOF | PROPAGATE_REPL)) frame.ownTargets = targets;
  }

  /** Called by a command handler whose change must not reach replicas or the AOF. */
  prevent(): void {
    const frame = this.current();
    if (frame) frame.prevented = true;
  }

  /** A key removed because it expired (master only): UNLINK when lazyfree-lazy-expire is on (propagateDeletion). */
  expired(dbIndex: number, key: BinaryString, lazy = false): void {
    this.emit({ dbIndex, argv: [lazy ? 'UNLINK' : 'DEL', key] });
  }

  /**
   * An effect that is a unit of its own whatever command is running (an evicted key's DEL: Redis
   * propagates it at once, outside the command's transaction).
   */
  propagateAlone(dbIndex: number, argv: BinaryString[]): void {
    this.onPropagate(dbIndex, argv);
  }

  /**
   * `separately`: at top level, each effect is a unit of its own (a directly run command that
   * touches arbitrary keys, such as SCAN deleting the expired keys it met).
   */
  end(frame: CallFrame, dbIndex: number, argv: BinaryString[], dirty: number, separately = false): void {
    this.depth--;
    const ownArgv = !frame.rewritten && !frame.prevented && (dirty > 0 || frame.forced);
    if (ownArgv && frame.effects.length === 0 && this.depth === 0 && frame.ownTargets === undefined) {
      // The common case, a plain write at top level: its argv is the whole unit, handed over in
      // a reused Effect and array (allocating them per write was a quarter of a busy master's
      // garbage).
      const unit = this.single;
      unit[0].dbIndex = dbIndex;
      unit[0].argv = argv;
      this.onPropagateUnit(unit);
      unit[0].argv = NO_ARGV; // keep no reference to the command's arguments
      return;
    }
    if (ownArgv) frame.effects.push(frame.ownTargets === undefined ? { dbIndex, argv } : { dbIndex, argv, targets: frame.ownTargets });
    if (frame.effects.length === 0) return;
    const effects = frame.effects;
    frame.effects = [];
    const parent = this.current();
    if (parent) {
      parent.effects.push(...effects);
      parent.rewritten = true;
    } else if (separately) {
      for (const effect of effects) this.onPropagateUnit([effect]);
    } else {
      this.onPropagateUnit(effects);
    }
  }

  /**
   * Ends a frame begun with begin(), sending what was collected in it only to `targets` (a
   * script's writes after redis.set_repl: none, the AOF or replicas alone).
   */
  endTargeted(frame: CallFrame, targets: number): void {
    if (targets === 0) {
      this.depth--;
      if (frame.effects.length !== 0) frame.effects = [];
      return;
    }
    for (const effect of frame.effects) {
      effect.targets = targets;
      effect.scriptTargets = true;
    }
    this.end(frame, 0, NO_ARGV, 0);
  }

  private current(): CallFrame | undefined {
    return this.depth > 0 ? this.frames[this.depth - 1] : undefined;
  }

  private emit(effect: Effect): void {
    const frame = this.current();
    if (frame) frame.effects.push(effect);
    else this.onPropagate(effect.dbIndex, effect.argv);
  }
}
