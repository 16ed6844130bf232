// FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms]: a master hands its role to one of its
// replicas without losing a write (replication.c failoverCommand / updateFailoverStatus).
//
//   no-failover ──FAILOVER──> waiting-for-sync: writes are paused; once a replica (the named
//     one, or any) acknowledged the whole stream — or the timeout passed with FORCE — this
//   ──> failover-in-progress: the master becomes a replica of that target and sends it
//     PSYNC ... FAILOVER, which makes the target a master at once (if it still has our replid);
//   ──> no-failover when the target answers +CONTINUE or +FULLRESYNC. Writes resume.
//
// ABORT, a timeout without FORCE, or a refused PSYNC go back to no-failover, as a master again.
import type { Client } from '../core/client.js';
import type { BinaryString } from '../protocol/request-parser.js';
import { is } from '../core/replies.js';
import { parseInteger } from '../util/numbers.js';
import { clientInfoString } from '../core/client-info.js';
import type { Replication } from './replication.js';

export type FailoverState = 'no-failover' | 'waiting-for-sync' | 'failover-in-progress';

export class Failover {
  state: FailoverState = 'no-failover';
  private target: { host: string; port: number } | null = null;
  /** Deadline (ms) from TIMEOUT, 0 for none. */
  private endTime = 0;
  private force = false;

  constructor(private readonly replication: Replication) {}

  get inProgress(): boolean {
    return this.state === 'failover-in-progress';
  }

  private get log() {
    return this.replication.server.logger;
  }

  /** The FAILOVER command. */
  command(client: Client, argv: BinaryString[]): void {
    if (argv.length === 2 && is(argv[1]!, 'abort')) {
      if (this.state === 'no-failover') {
        client.reply.error('ERR No failover in progress.');
        return;
      }
      this.abort('Failover manually aborted');
      client.reply.ok();
      return;
    }
    let timeout = 0;
    let force = false;
    let host: string | null = null;
    let port = 0;
    for (let j = 1; j < argv.length; j++) {
      if (is(argv[j]!, 'timeout') && j + 1 < argv.length && timeout === 0) {
        const ms = parseInteger(argv[++j]!);
        if (ms === null) {
          client.reply.error('ERR value is not an integer or out of range');
          return;
        }
        if (ms <= 0) {
          client.reply.error('ERR FAILOVER timeout must be greater than 0');
          return;
        }
        timeout = ms;
      } else if (is(argv[j]!, 'to') && j + 2 < argv.length && host === null) {
        const p = parseInteger(argv[j + 2]!);
        if (p === null) {
          client.reply.error('ERR value is not an integer or out of range');
          return;
        }
        host = argv[j + 1]!;
        port = p;
        j += 2;
      } else if (is(argv[j]!, 'force') && !force) {
        force = true;
      } else {
        client.reply.error('ERR syntax error');
        return;
      }
    }
    if (this.state !== 'no-failover') {
      client.reply.error('ERR FAILOVER already in progress.');
      return;
    }
    if (this.replication.isReplica) {
      client.reply.error('ERR FAILOVER is not valid when server is a replica.');
      return;
    }
    if (this.replication.replicas.replicas.length === 0) {
      client.reply.error('ERR FAILOVER requires connected replicas.');
      return;
    }
    if (force && (!timeout || host === null)) {
      client.reply.error('ERR FAILOVER with force option requires both a timeout and target HOST and IP.');
      return;
    }
    if (host !== null) {
      const replica = this.findReplica(host, port);
      if (!replica) {
        client.reply.error('ERR FAILOVER target HOST and PORT is not a replica.');
        return;
      }
      if (replica.state !== 'online') {
        client.reply.error('ERR FAILOVER target replica is not online.');
        return;
      }
      this.target = { host, port };
      this.log.notice(`FAILOVER requested to ${host}:${port}.`);
    } else {
      this.log.notice('FAILOVER requested to any replica.');
    }
    this.endTime = timeout ? Date.now() + timeout : 0;
    this.force = force;
    this.state = 'waiting-for-sync';
    // No write may slip in between the replica catching up and the switch.
    this.replication.server.pause.start('write', Infinity, 'failover');
    client.reply.ok();
  }

  /** updateFailoverStatus, from the replication cron. */
  cron(): void {
    if (this.state !== 'waiting-for-sync') return;
    if (this.endTime && this.endTime <= Date.now()) {
      if (this.force && this.target) {
        this.log.notice(`FAILOVER to ${this.target.host}:${this.target.port} time out exceeded, failing over.`);
        this.handOver();
      } else {
        this.abort('Replica never caught up before timeout');
      }
      return;
    }
    const offset = this.replication.offset;
    const replica = this.target
      ? this.findReplica(this.target.host, this.target.port)
      : this.replication.replicas.replicas.find((r) => r.ackOffset === offset && r.ip);
    if (!replica || replica.ackOffset !== offset) return;
    this.target ??= { host: replica.ip, port: replica.capa.listeningPort };
    this.log.notice(`Failover target ${this.target.host}:${this.target.port} is synced, failing over.`);
    this.handOver();
  }

  private handOver(): void {
    this.state = 'failover-in-progress';
    this.replication.setMaster(this.target!.host, this.target!.port);
  }

  /**
   * The target's answer to our PSYNC ... FAILOVER. Returns false when the failover was aborted
   * (the link is gone; the caller must stop).
   */
  targetReplied(accepted: boolean): boolean {
    if (this.state !== 'failover-in-progress') return true;
    if (accepted) {
      this.clear();
      return true;
    }
    this.abort('Failover target rejected psync request');
    return false;
  }

  /**
   * On the target: PSYNC <replid> <offset> FAILOVER from our master. If we share its history we
   * become a master now (then the PSYNC continues as from any replica). False after replying an
   * error.
   */
  acceptPsyncFailover(client: Client, replid: BinaryString): boolean {
    this.log.warning(`Failover request received for replid ${replid}.`);
    if (!this.replication.isReplica) {
      client.reply.error("ERR PSYNC FAILOVER can't be sent to a master.");
      return false;
    }
    if (replid.toLowerCase() !== this.replication.ids.replid) {
      client.reply.error('ERR PSYNC FAILOVER replid must match my replid.');
      return false;
    }
    this.replication.unsetMaster();
    this.log.notice(`MASTER MODE enabled (failover request from '${clientInfoString(client)}')`);
    return true;
  }

  /** abortFailover: back to being a master, writes resume. */
  abort(reason: string): void {
    if (this.state === 'no-failover') return;
    const target = this.target ? `${this.target.host}:${this.target.port}` : 'any replica';
    this.log.notice(`FAILOVER to ${target} aborted: ${reason}`);
    if (this.state === 'failover-in-progress') this.replication.unsetMaster();
    this.clear();
  }

  private clear(): void {
    this.state = 'no-failover';
    this.target = null;
    this.endTime = 0;
    this.force = false;
    this.replication.server.pause.end('failover');
  }

  private findReplica(host: string, port: number) {
    return this.replication.replicas.replicas.find((r) => r.ip.toLowerCase() === host.toLowerCase() && r.capa.listeningPort === port);
  }
}
