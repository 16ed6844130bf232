// WAIT numreplicas timeout: synchronous replication on demand (replication.c "SYNCHRONOUS
// REPLICATION"). Replicas report the offset they processed with REPLCONF ACK; a client calling
// WAIT is held until enough replicas acknowledged the offset the stream had reached when it
// asked, or until its timeout, and is answered with the number of replicas that did.
//
// To get the answer quickly, a WAIT makes the master ask every replica for an immediate ACK
// (REPLCONF GETACK in the stream); all WAITs of one event-loop turn share one GETACK.
//
// The client is blocked like a BLPOP (core/blocking.ts, Redis's BLOCKED_WAIT): commands it
// pipelined after WAIT run only once WAIT has replied, and CLIENT UNBLOCK, a disconnect and
// INFO's blocked_clients treat it like any blocked client.
import type { Client } from '../core/client.js';
import { blockClient, unblockClient } from '../core/blocking.js';
import type { MasterSide } from './master-side.js';

interface Waiter {
  client: Client;
  offset: number;
  replicas: number;
}

export class ReplicaAckWaiters {
  private waiters: Waiter[] = [];

  constructor(private readonly master: MasterSide) {}

  /**
   * Blocks `client` until `replicas` replicas acknowledged `offset`, for at most `timeoutMs`
   * (0: no limit); either way it is answered with the number of replicas that did.
   */
  add(client: Client, offset: number, replicas: number, timeoutMs: number): void {
    const waiter: Waiter = { client, offset, replicas };
    this.waiters.push(waiter);
    blockClient(client, {
      deadline: timeoutMs > 0 ? Date.now() + timeoutMs : 0,
      timedOut: () => client.reply.integer(this.master.countAcks(offset)),
      ended: () => this.remove(waiter),
    });
  }

  /** processClientsWaitingReplicas: answers every waiter whose replicas caught up. */
  check(): void {
    for (const waiter of [...this.waiters]) {
      const acked = this.master.countAcks(waiter.offset);
      if (acked >= waiter.replicas) this.release(waiter, acked);
    }
  }

  private release(waiter: Waiter, acked: number): void {
    if (!this.waiters.includes(waiter)) return;
    waiter.client.reply.integer(acked);
    unblockClient(waiter.client); // flushes the reply, then runs what the client sent meanwhile
  }

  /** The wait is over (answered, timed out, unblocked or disconnected): forget it. */
  private remove(waiter: Waiter): void {
    const at = this.waiters.indexOf(waiter);
    if (at !== -1) this.waiters.splice(at, 1);
  }
}
