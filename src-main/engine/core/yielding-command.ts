// A command that goes on running across event-loop turns (Redis's isInsideYieldingLongCommand: a
// script past busy-reply-threshold). Redis re-enters its event loop from inside the script
// (processEventsWhileBlocked); a JavaScript node cannot, so the script's handler returns early and
// finishes its call() later (deferCall). Meanwhile:
//
//  - every other client gets -BUSY for what is not flagged allow_busy (the executor asks busyError);
//  - the caller's own pipeline waits (Redis's protectClient), and its reply comes at the end;
//  - nothing else touches the keyspace: the crons skip active expiry, save points and client
//    timeouts (Redis's processEventsWhileBlocked runs no timers), eviction waits, clients blocked
//    on keys are served only after the script, and a replica holds its master's stream;
//  - the command's effects stay in its own propagation frame, so they leave as one unit at the end.
import type { Client } from './client.js';

/** A call() whose handler returned before its command ended: finish() completes it. */
export interface DeferredCall {
  /** Ends the call: propagation, stats, slow log, MONITOR, then the caller's next commands. */
  finish: () => void;
  /** Set by the connection: runs what the caller sent meanwhile (its pipeline). */
  resume: (() => void) | null;
}

export class YieldingCommand {
  /** The client whose command is running, or null. */
  caller: Client | null = null;
  /** The reply every other command gets meanwhile (shared.slowevalerr / slowscripterr). */
  busyError = '';
  private readonly endListeners: (() => void)[] = [];

  get active(): boolean {
    return this.caller !== null;
  }

  /** blockingOperationStarts: from now on other clients are refused with `busyError`. */
  start(caller: Client, busyError: string): void {
    this.caller = caller;
    this.busyError = busyError;
  }

  /** blockingOperationEnds: normal service again; what waited for the end runs. */
  end(): void {
    if (this.caller === null) return;
    this.caller = null;
    for (const listener of this.endListeners) listener();
  }

  /** Runs `listener` each time a yielding command ends (a replica's held master stream); returns its removal. */
  onEnd(listener: () => void): () => void {
    this.endListeners.push(listener);
    return () => {
      const i = this.endListeners.indexOf(listener);
      if (i >= 0) this.endListeners.splice(i, 1);
    };
  }
}

/** The error the processCommand check replies while a command yields, or null. */
export function busyError(client: Client, allowBusy: boolean): string | null {
  const yielding = client.server.yielding;
  return yielding.caller !== null && !allowBusy ? yielding.busyError : null;
}
