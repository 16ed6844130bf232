// Client pauses (Redis's pauseClients / blockPostponeClient): while a pause is on, commands from
// ordinary clients (all of them, or only those that may write) wait, in arrival order, until the
// pause ends. Replicas and the master link are never paused.
//
// Several subsystems pause for their own reasons (Redis's pause_purpose): CLIENT PAUSE, FAILOVER
// and a SHUTDOWN that waits for its replicas. Each purpose starts and ends its own pause, so that
// CLIENT UNPAUSE cannot let writes slip in under a failover or a shutdown; clients wait while any
// purpose holds them, under the strictest mode of those active.
import type { Command } from './command-table.js';
import type { Client } from './client.js';

export type PauseMode = 'all' | 'write';

/** Who asked for the pause (PAUSE_BY_CLIENT_COMMAND, PAUSE_DURING_FAILOVER, PAUSE_DURING_SHUTDOWN). */
export type PausePurpose = 'client-command' | 'failover' | 'shutdown';

interface PauseEvent {
  mode: PauseMode;
  /** Absolute end (Date.now() clock); Infinity for a pause its owner ends explicitly. */
  until: number;
  timer: NodeJS.Timeout | null;
}

// setTimeout cannot wait longer than this; a pause beyond it is ended by its owner, not a timer.
const MAX_TIMER_MS = 2 ** 31 - 1;

export class ClientPause {
  private readonly events = new Map<PausePurpose, PauseEvent>();
  /** The strictest mode of the active pauses, null when none is active. */
  private mode: PauseMode | null = null;
  /** Resumes a postponed client's input processing, in the order they were postponed. */
  private readonly waiting = new Map<Client, () => void>();

  get active(): boolean {
    return this.mode !== null;
  }

  /**
   * pauseClients for one purpose: a longer or stricter pause extends that purpose's current one,
   * never shortens it. `until` may be Infinity (ended only by end()).
   */
  start(mode: PauseMode, until: number, purpose: PausePurpose = 'client-command'): void {
    const current = this.events.get(purpose);
    const event: PauseEvent = current
      ? { mode: current.mode === 'all' ? 'all' : mode, until: Math.max(current.until, until), timer: current.timer }
      : { mode, until, timer: null };
    if (event.timer) clearTimeout(event.timer);
    const delay = event.until - Date.now();
    event.timer = delay <= MAX_TIMER_MS ? setTimeout(() => this.end(purpose), Math.max(0, delay)) : null;
    this.events.set(purpose, event);
    this.update();
  }

  /** unpauseClients for one purpose: clients run again unless another purpose still holds them. */
  end(purpose: PausePurpose = 'client-command'): void {
    const event = this.events.get(purpose);
    if (!event) return;
    if (event.timer) clearTimeout(event.timer);
    this.events.delete(purpose);
    this.update();
    // Postponed clients try again: what the remaining pauses (if any) still hold waits again.
    if (this.mode === 'all') return;
    const resumes = [...this.waiting.values()];
    this.waiting.clear();
    for (const resume of resumes) resume();
  }

  /** updateClientPauseTypeAndEndTime: the strictest mode among the active purposes. */
  private update(): void {
    let mode: PauseMode | null = null;
    for (const event of this.events.values()) if (mode !== 'all') mode = event.mode;
    this.mode = mode;
  }

  /** Whether `command` from `client` must wait (processCommand's postpone check). */
  holds(client: Client, command: Command | undefined): boolean {
    if (this.mode === null || client.isReplica || client.isMaster) return false;
    if (this.mode === 'all') return true;
    if (!command) return false;
    const flags = command.flags;
    if (flags.includes('write') || flags.includes('may_replicate')) return true;
    // EXEC counts as a write when its queue holds one.
    return (
      command.name === 'exec' &&
      (client.multi ?? []).some((q) => q.command.flags.includes('write') || q.command.flags.includes('may_replicate'))
    );
  }

  postpone(client: Client, resume: () => void): void {
    this.waiting.set(client, resume);
  }

  forget(client: Client): void {
    this.waiting.delete(client);
  }
}
