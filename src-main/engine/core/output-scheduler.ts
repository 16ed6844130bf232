// When a node writes to its sockets: once per event-loop turn, after the turn's I/O events were
// handled — Redis's beforeSleep (handleClientsWithPendingWrites), as a setImmediate.
//
// Why not write each reply as soon as its client's read event is processed: with many busy
// clients, a write in the middle of the turn wakes the peer process, which then competes with us
// for the CPU while we still serve the other clients; written back to back at the end of the turn,
// the writes of one turn cost about one wakeup of each peer. Replicas' stream bytes are gathered
// the same way, so all the writes a turn produced for a replica go out as one socket write.
//
// Order: replicas first, then clients. A write's effect thus reaches the replicas no later than
// its reply reaches the client, as in Redis (which feeds replicas before it writes replies), and
// a client that read its reply and then reads from a replica waits as little as possible.
//
// After the writes, the end of a busy turn is also when the node decides whether young garbage
// has piled up enough to collect (idle-scavenge.ts); the scavenge itself runs a millisecond
// later, once the peers these writes woke have had the CPU. A turn that wrote nothing (a replica
// applying its master's stream) still counts as busy through inputHandled().
import { IdleScavenger } from './idle-scavenge.js';

/** Something with output gathered during the turn. */
export interface Flushable {
  flush(): void;
}

export class OutputScheduler {
  private replicas: Flushable[] = [];
  private clients: Flushable[] = [];
  private scheduled = false;
  private readonly scavenger = new IdleScavenger();
  /**
   * Work of beforeSleep that produces output for the turn's writes (client-side caching's
   * BCAST invalidations, core/tracking.ts); call inputHandled() to make sure a turn runs it.
   */
  beforeWrites: (() => void) | null = null;

  /** A replica has stream bytes to send this turn (call once per turn per replica). */
  replica(target: Flushable): void {
    this.replicas.push(target);
    this.schedule();
  }

  /** A client has replies to send this turn (call once per turn per client). */
  client(target: Flushable): void {
    this.clients.push(target);
    this.schedule();
  }

  /** Input was handled this turn, whether or not it produced output. */
  inputHandled(): void {
    this.schedule();
  }

  /**
   * Writes what is pending now instead of at the end of the turn. For work done in slices
   * between turns (BGSAVE): a slice queued before a client's reply would otherwise run first,
   * and the reply would wait for a whole slice more.
   */
  flushNow(): void {
    if (this.scheduled) this.run();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.run);
  }

  private readonly run = (): void => {
    this.scheduled = false;
    this.beforeWrites?.();
    // Flushing can queue more (a client closed on its output limit wakes nothing here, but a
    // replica's flush must not lose a client queued meanwhile): take the lists, then walk them.
    const replicas = this.replicas;
    const clients = this.clients;
    this.replicas = [];
    this.clients = [];
    for (const target of replicas) target.flush();
    for (const target of clients) target.flush();
    this.scavenger.afterTurn();
  };
}
