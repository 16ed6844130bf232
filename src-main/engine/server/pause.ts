// CLIENT PAUSE (Redis's pauseClients / blockPostponeClient): while a pause is on, commands from
// ordinary clients (all of them, or only those that may write) wait, in arrival order, until the
// pause ends by CLIENT UNPAUSE or its deadline. Replicas and the master link are never paused.
import type { Command } from '../commands/table.js';
import type { Client } from './client.js';

export type PauseMode = 'all' | 'write';

export class ClientPause {
  private mode: PauseMode | null = null;
  private timer: NodeJS.Timeout | null = null;
  private until = 0;
  /** Resumes a postponed client's input processing, in the order they were postponed. */
  private readonly waiting = new Map<Client, () => void>();

  get active(): boolean {
    return this.mode !== null;
  }

  /** pauseClients: a longer or stricter pause extends the current one, never shortens it. */
  start(mode: PauseMode, until: number): void {
    if (this.mode === null || until > this.until) this.until = until;
    if (this.mode !== 'all') this.mode = mode;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.end(), Math.max(0, this.until - Date.now()));
  }

  end(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.mode = null;
    const resumes = [...this.waiting.values()];
    this.waiting.clear();
    for (const resume of resumes) resume();
  }

  /** Whether `command` from `client` must wait (processCommand's postpone check). */
  holds(client: Client, command: Command | undefined): boolean {
    if (this.mode === null || client.isReplica || client.isMaster) return false;
    if (this.mode === 'all') return true;
    if (!command) return false;
    const flags = command.flags;
    if (flags.includes('write') || flags.includes('may_replicate')) return true;
    // EXEC counts as a write when its queue holds one.
    return command.name === 'exec' && (client.multi ?? []).some((q) => q.command.flags.includes('write') || q.command.flags.includes('may_replicate'));
  }

  postpone(client: Client, resume: () => void): void {
    this.waiting.set(client, resume);
  }

  forget(client: Client): void {
    this.waiting.delete(client);
  }
}
