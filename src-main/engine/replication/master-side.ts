// The master's half of replication (replication.c, "MASTER" part): answering SYNC/PSYNC and
// REPLCONF, deciding between a partial and a full resynchronization, producing RDBs for full syncs
// (one RDB shared by the replicas that wait for it), feeding the stream to every replica, and the
// periodic duties: PING in the stream, keepalive newlines, dropping replicas that stopped acking.
import type { Client } from '../core/client.js';
import type { BinaryString } from '../protocol/request-parser.js';
import { parseInteger } from '../util/numbers.js';
import { is } from '../core/replies.js';
import { splitArgs } from '../protocol/sds-quoting.js';
import { clientInfoString } from '../core/client-info.js';
import { AttachedReplica, defaultCapabilities, type OutputLimit, type ReplicaCapabilities } from './attached-replica.js';
import { saveRdbForReplication, sendRdbFile, streamRdbToReplicas } from './rdb-transfer.js';
import type { Replication } from './replication.js';

/** An RDB being produced for replicas (Redis: an RDB child with type disk or socket). */
interface RdbJob {
  target: 'disk' | 'socket';
  /** The replicas that will receive this RDB (replicas may join a disk job while it runs). */
  replicas: AttachedReplica[];
  /**
   * Socket target: since when each replica's socket has had bytes waiting to be taken
   * (repl_last_partial_write), for the cron's full-sync timeout.
   */
  stalls: Map<AttachedReplica, number>;
}

export class MasterSide {
  /** Attached replicas in the order they came (server.slaves). */
  readonly replicas: AttachedReplica[] = [];
  /** Replicas online with an ACK within min-replicas-max-lag (repl_good_slaves_count). */
  goodReplicas = 0;
  /** REPLCONF settings of connections that have not (yet) asked for SYNC. */
  private readonly capabilities = new WeakMap<Client, ReplicaCapabilities>();
  private rdbJob: RdbJob | null = null;
  private cronLoops = 0;
  /** client-output-buffer-limit for the replica class, re-read when CONFIG SET changes it. */
  private outputLimit: OutputLimit;

  constructor(private readonly replication: Replication) {
    const server = replication.server;
    this.outputLimit = replicaOutputLimit(server.config.str('client-output-buffer-limit'));
    server.onConfigSet('client-output-buffer-limit', () => {
      this.outputLimit = replicaOutputLimit(server.config.str('client-output-buffer-limit'));
    });
    // config.c's updateGoodSlaves: the count is only kept while the rule is on, so turning it on
    // (or changing the lag) must count at once, or the next write would be judged by a stale 0.
    for (const name of ['min-replicas-to-write', 'min-replicas-max-lag']) server.onConfigSet(name, () => this.refreshGoodReplicas());
  }

  private get server() {
    return this.replication.server;
  }

  private get log() {
    return this.replication.server.logger;
  }

  replicaOf(client: Client): AttachedReplica | undefined {
    return this.replicas.find((r) => r.client === client);
  }

  // --- REPLCONF --------------------------------------------------------------------------------

  /** REPLCONF <option> <value> ...: a replica configuring its link, or acknowledging the stream. */
  replconf(client: Client, argv: BinaryString[]): void {
    if (argv.length % 2 === 0) {
      client.reply.error('ERR syntax error');
      return;
    }
    const attached = this.replicaOf(client);
    const capa = attached?.capa ?? this.capabilities.get(client) ?? defaultCapabilities();
    for (let j = 1; j < argv.length; j += 2) {
      const option = argv[j]!;
      const value = argv[j + 1]!;
      if (is(option, 'listening-port')) {
        const port = parseInteger(value);
        if (port === null) {
          client.reply.error('ERR value is not an integer or out of range');
          return;
        }
        capa.listeningPort = port;
      } else if (is(option, 'ip-address')) {
        // NET_HOST_STR_LEN: 256 including the terminator.
        if (value.length >= 256) {
          client.reply.error(`ERR REPLCONF ip-address provided by replica instance is too long: ${value.length} bytes`);
          return;
        }
        capa.announcedIp = value;
      } else if (is(option, 'capa')) {
        // Capabilities this master does not know are ignored, so replicas can announce new ones.
        if (is(value, 'eof')) capa.eof = true;
        else if (is(value, 'psync2')) capa.psync2 = true;
      } else if (is(option, 'ack')) {
        // Internal: the replica reports how much of the stream it processed. Never replied to.
        this.acknowledge(client, value);
        return;
      } else if (is(option, 'getack')) {
        // Sent by a master to its replica, which is this node only if it is a replica.
        this.replication.link?.sendAck();
        return;
      } else if (is(option, 'rdb-only')) {
        const flag = parseInteger(value);
        if (flag === null) {
          client.reply.error('ERR value is not an integer or out of range');
          return;
        }
        if (flag !== 0 && flag !== 1) {
          client.reply.error('ERR value is out of range, value must between 0 and 1');
          return;
        }
        capa.rdbOnly = flag === 1;
      } else if (is(option, 'rdb-filter-only')) {
        const filters = splitArgs(value);
        if (filters === null) {
          client.reply.error('ERR Missing rdb-filter-only values');
          return;
        }
        const unsupported = filters.find((f) => f.toLowerCase() !== 'functions');
        if (unsupported !== undefined) {
          client.reply.error(`ERR Unsupported rdb-filter-only option: ${unsupported}`);
          return;
        }
        capa.withoutData = true;
      } else {
        client.reply.error(`ERR Unrecognized REPLCONF option: ${option}`);
        return;
      }
    }
    if (!attached) this.capabilities.set(client, capa);
    client.reply.ok();
  }

  private acknowledge(client: Client, value: BinaryString): void {
    const replica = this.replicaOf(client);
    const offset = parseInteger(value);
    if (!replica || offset === null) return;
    if (offset > replica.ackOffset) replica.ackOffset = offset;
    replica.ackTime = Date.now();
    if (replica.startStreamOnAck && replica.state === 'online') this.startCommandStream(replica);
    this.replication.waiters.check();
  }

  // --- SYNC / PSYNC ----------------------------------------------------------------------------

  /** syncCommand: SYNC, or PSYNC <replid> <offset> [FAILOVER]. */
  sync(client: Client, argv: BinaryString[]): void {
    if (this.replicaOf(client)) return; // already a replica: ignore
    const psync = is(argv[0]!, 'psync');
    if (psync && argv.length > 3 && is(argv[3]!, 'failover')) {
      if (!this.replication.failover.acceptPsyncFailover(client, argv[1]!)) return;
    }
    // Replicas must not sync with a node that is handing its role over.
    if (this.replication.failover.inProgress) {
      client.reply.error("NOMASTERLINK Can't SYNC while failing over");
      return;
    }
    // A replica that is not linked to its own master has nothing to offer: this is also what
    // stops a node that replicates from itself (or a loop of nodes) from spinning.
    if (this.replication.isReplica && !this.replication.linkUp) {
      client.reply.error("NOMASTERLINK Can't SYNC while not connected with my master");
      return;
    }
    // The RDB and the stream are written straight to the socket: replies still pending for
    // earlier commands would end up after them.
    if (client.reply.pendingBytes > 0) {
      client.reply.error('ERR SYNC and PSYNC are invalid with pending output');
      return;
    }
    const capa = this.capabilities.get(client) ?? defaultCapabilities();
    // A filtered RDB is always streamed: it must not replace the node's RDB file.
    if (capa.withoutData && !capa.eof) {
      client.reply.error('ERR Filtered replica requires EOF capability');
      return;
    }
    this.capabilities.delete(client);
    const replica = new AttachedReplica(client, capa, !psync, (r) => this.dropForOutputLimit(r));
    this.log.notice(`Replica ${replica.name} asks for synchronization`);

    if (psync) {
      const offset = parseInteger(argv[2]!);
      if (offset === null) {
        client.reply.error('ERR value is not an integer or out of range');
        this.log.warning(`Replica ${replica.name} asks for synchronization but with a wrong offset`);
        return;
      }
      if (this.tryPartialResync(replica, argv[1]!, offset)) {
        this.server.stats.syncPartialOk++;
        return;
      }
      // "?" is a replica asking for a full sync on purpose: not a failed partial one.
      if (argv[1] !== '?') this.server.stats.syncPartialErr++;
    }

    this.server.stats.syncFull++;
    this.attach(replica);
    if (this.replicas.length === 1 && this.replication.backlog === null) {
      // A new backlog starts a new history: no one could PSYNC with what came before.
      this.replication.ids.change();
      this.replication.ids.clearSecondary();
      this.replication.createBacklog();
      const ids = this.replication.ids;
      this.log.notice(`Replication backlog created, my new replication IDs are '${ids.replid}' and '${ids.replid2}'`);
    }

    const job = this.rdbJob;
    if (job?.target === 'disk') {
      // A disk RDB is being made: a replica that buffers the stream since it started lets this
      // one use the same RDB, with a copy of that buffer.
      const peer = job.replicas.find((r) => r.state === 'wait_bgsave_end' && !r.capa.rdbOnly && this.replicas.includes(r));
      if (peer && capa.withoutData === peer.capa.withoutData) {
        replica.copyHeldStreamOf(peer);
        this.setupFullResync(replica, peer.initialOffset);
        job.replicas.push(replica);
        this.log.notice('Waiting for end of BGSAVE for SYNC');
      } else {
        this.log.notice("Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC");
      }
    } else if (job?.target === 'socket') {
      this.log.notice('Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC');
    } else if (this.disklessSync && capa.eof && !capa.withoutData && this.server.config.int('repl-diskless-sync-delay') > 0) {
      // The RDB is started by the cron once the delay passed, so that replicas arriving
      // meanwhile share it.
      this.log.notice('Delay next BGSAVE for diskless SYNC');
    } else {
      this.startRdb();
    }
  }

  /** masterTryPartialResynchronization: true when the replica continues from the backlog. */
  private tryPartialResync(replica: AttachedReplica, replid: string, offset: number): boolean {
    const ids = this.replication.ids;
    if (!ids.accepts(replid, offset)) {
      if (replid === '?') {
        this.log.notice(`Full resync requested by replica ${replica.name}`);
      } else if (replid.toLowerCase() !== ids.replid && replid.toLowerCase() !== ids.replid2) {
        this.log.notice(
          `Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${replid}', my replication IDs are '${ids.replid}' and '${ids.replid2}')`,
        );
      } else {
        this.log.notice(
          `Partial resynchronization not accepted: Requested offset for second ID was ${offset}, but I can reply up to ${ids.secondReplOffset}`,
        );
      }
      return false;
    }
    const backlog = this.replication.backlog;
    if (!backlog || !backlog.covers(offset)) {
      this.log.notice(`Unable to partial resync with replica ${replica.name} for lack of backlog (Replica request was: ${offset}).`);
      if (offset > this.replication.offset) {
        this.log.warning(
          `Warning: replica ${replica.name} tried to PSYNC with an offset that is greater than the master replication offset.`,
        );
      }
      return false;
    }
    replica.state = 'online';
    replica.ackTime = Date.now();
    this.attach(replica);
    replica.write(replica.capa.psync2 ? `+CONTINUE ${ids.replid}\r\n` : '+CONTINUE\r\n');
    let sent = 0;
    for (const part of backlog.readFrom(offset)) {
      replica.write(part);
      sent += part.length;
    }
    this.log.notice(
      `Partial resynchronization request from ${replica.name} accepted. Sending ${sent} bytes of backlog starting from offset ${offset}.`,
    );
    // No SELECT needed: the replica kept its selected database from the previous link.
    replica.startStream();
    this.refreshGoodReplicas();
    return true;
  }

  private attach(replica: AttachedReplica): void {
    this.replicas.push(replica);
    replica.client.isReplica = true;
    const socket = replica.socket;
    if (this.server.config.bool('repl-disable-tcp-nodelay')) socket.setNoDelay(false);
    socket.once('close', () => this.detach(replica));
  }

  /** freeClient for a replica: forget it, and start the backlog's time to live if it was the last. */
  private detach(replica: AttachedReplica): void {
    const at = this.replicas.indexOf(replica);
    if (at === -1) return;
    this.replicas.splice(at, 1);
    this.log.notice(`Connection with replica ${replica.name} lost.`);
    if (this.replicas.length === 0) this.replication.noReplicasSince = Date.now();
    this.refreshGoodReplicas();
  }

  /** disconnectSlaves: every replica must reconnect (and will try a partial resync). */
  disconnectAll(): void {
    for (const replica of [...this.replicas]) replica.close();
  }

  /**
   * replicationSetupSlaveForFullResync: the replica's RDB is the one taken at `offset`; writes
   * from now on are buffered for it, and the stream restarts with a SELECT.
   */
  private setupFullResync(replica: AttachedReplica, offset: number): void {
    replica.initialOffset = offset;
    replica.state = 'wait_bgsave_end';
    this.replication.streamDb = -1;
    // Replicas that used the old SYNC command do not expect this reply.
    if (!replica.preSync) replica.write(`+FULLRESYNC ${this.replication.ids.replid} ${offset}\r\n`);
  }

  private get disklessSync(): boolean {
    return this.server.config.bool('repl-diskless-sync');
  }

  /**
   * startBgsaveForReplication: one RDB for every replica waiting for one. Diskless when enabled
   * and every one of them understands the EOF framing.
   */
  private startRdb(): void {
    const first = this.replicas.find((r) => r.state === 'wait_bgsave_start');
    if (!first) return;
    // One RDB serves replicas that want the same contents.
    const withoutData = first.capa.withoutData;
    const waiting = this.replicas.filter((r) => r.state === 'wait_bgsave_start' && r.capa.withoutData === withoutData);
    const target = (this.disklessSync || withoutData) && waiting.every((r) => r.capa.eof) ? 'socket' : 'disk';
    this.log.notice(`Starting BGSAVE for SYNC with target: ${target === 'socket' ? 'replicas sockets' : 'disk'}`);
    const aux = this.replication.saveInfo()!;
    const offset = this.replication.offset;
    for (const replica of waiting) this.setupFullResync(replica, offset);
    const job: RdbJob = { target, replicas: waiting, stalls: new Map() };
    this.rdbJob = job;
    const run = target === 'socket' ? this.runSocketJob(job, aux) : this.runDiskJob(job, aux);
    void run
      .catch((err: Error) => {
        this.log.warning(`SYNC failed. BGSAVE child returned an error: ${err.message}`);
        for (const replica of job.replicas) if (replica.state === 'wait_bgsave_end') replica.close();
      })
      .finally(() => {
        if (this.rdbJob === job) this.rdbJob = null;
        this.startPendingRdb();
      });
  }

  private async runSocketJob(job: RdbJob, aux: NonNullable<ReturnType<Replication['saveInfo']>>): Promise<void> {
    await streamRdbToReplicas(this.server, job.replicas, aux, { withoutData: job.replicas[0]!.capa.withoutData }, job.stalls);
    for (const replica of job.replicas) {
      if (replica.socket.destroyed || replica.state !== 'wait_bgsave_end') continue;
      this.log.notice(
        `Streamed RDB transfer with replica ${replica.name} succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming`,
      );
      this.putOnline(replica);
      replica.startStreamOnAck = true;
    }
  }

  private async runDiskJob(job: RdbJob, aux: NonNullable<ReturnType<Replication['saveInfo']>>): Promise<void> {
    const abort = new AbortController();
    const path = await saveRdbForReplication(this.server, aux, abort.signal);
    this.log.notice('DB saved on disk');
    // The RDB exists: from here on this job no longer blocks the next one (the child exited).
    this.rdbJob = null;
    for (const replica of job.replicas) {
      if (replica.socket.destroyed || replica.state !== 'wait_bgsave_end') continue;
      replica.state = 'send_bulk';
      void sendRdbFile(replica, path).then((sent) => {
        if (!sent) return;
        this.putOnline(replica);
        this.startCommandStream(replica);
      });
    }
  }

  /** replicaPutOnline: the RDB is delivered; the replica counts as in sync from now on. */
  private putOnline(replica: AttachedReplica): void {
    if (replica.capa.rdbOnly) return;
    replica.state = 'online';
    replica.ackTime = Date.now(); // no false timeout before its first ACK
    this.refreshGoodReplicas();
    this.log.notice(`Synchronization with replica ${replica.name} succeeded`);
  }

  /** replicaStartCommandStream: send the buffered stream (or, for an RDB-only client, hang up). */
  private startCommandStream(replica: AttachedReplica): void {
    if (replica.capa.rdbOnly) {
      this.log.notice(`Close the connection with replica ${replica.name} as RDB transfer is complete`);
      replica.close();
      return;
    }
    replica.startStream();
  }

  /**
   * shouldStartChildReplication: an RDB is due when replicas wait and none is being made, for
   * diskless syncs once the first waiter waited repl-diskless-sync-delay seconds or
   * repl-diskless-sync-max-replicas are waiting.
   */
  private startPendingRdb(): void {
    if (this.rdbJob) return;
    const waiting = this.replicas.filter((r) => r.state === 'wait_bgsave_start');
    if (waiting.length === 0) return;
    const config = this.server.config;
    const maxReplicas = config.int('repl-diskless-sync-max-replicas');
    const now = Date.now();
    const maxIdle = Math.max(...waiting.map((r) => Math.floor((now - r.client.lastInteraction) / 1000)));
    if (!this.disklessSync || (maxReplicas > 0 && waiting.length >= maxReplicas) || maxIdle >= config.int('repl-diskless-sync-delay')) {
      this.startRdb();
    }
  }

  // --- the stream ----------------------------------------------------------------------------

  /** Sends stream bytes bytes[0, length) to every replica (the backlog got them already). */
  feed(bytes: Buffer, length: number): void {
    for (const replica of this.replicas) replica.feed(bytes, length, this.outputLimit);
  }

  private dropForOutputLimit(replica: AttachedReplica): void {
    if (replica.socket.destroyed) return;
    this.log.warning(`Client ${clientInfoString(replica.client)} scheduled to be closed ASAP for overcoming of output buffer limits.`);
    replica.close();
  }

  // --- min-replicas ----------------------------------------------------------------------------

  /** refreshGoodSlavesCount: online replicas whose last ACK is at most min-replicas-max-lag old. */
  refreshGoodReplicas(): void {
    const config = this.server.config;
    const maxLag = config.int('min-replicas-max-lag');
    if (!config.int('min-replicas-to-write') || !maxLag) return;
    const now = Date.now();
    this.goodReplicas = this.replicas.filter((r) => r.state === 'online' && Math.floor((now - r.ackTime) / 1000) <= maxLag).length;
  }

  /** checkGoodReplicasStatus: false when min-replicas-to-write forbids writes right now. */
  enoughGoodReplicas(): boolean {
    const config = this.server.config;
    const min = config.int('min-replicas-to-write');
    return this.replication.isReplica || !config.int('min-replicas-max-lag') || !min || this.goodReplicas >= min;
  }

  /** Replicas that acknowledged at least `offset` (replicationCountAcksByOffset). */
  countAcks(offset: number): number {
    return this.replicas.filter((r) => r.state === 'online' && r.ackOffset >= offset).length;
  }

  // --- cron ------------------------------------------------------------------------------------

  /** The master's part of replicationCron, once per second. */
  cron(): void {
    const config = this.server.config;
    const now = Date.now();
    // PING the replicas now and then, so they can detect a master that is gone even when the
    // TCP connection is not closed. It is a real command in the stream: it moves the offset.
    if (this.cronLoops++ % config.int('repl-ping-replica-period') === 0 && this.replicas.length !== 0) {
      this.replication.feedPing();
    }
    // Replicas waiting for their RDB get a newline every second: it keeps the link from timing
    // out and is ignored by the replica. Not during a diskless transfer: it would corrupt it.
    for (const replica of this.replicas) {
      const presync = replica.state === 'wait_bgsave_start' || (replica.state === 'wait_bgsave_end' && this.rdbJob?.target !== 'socket');
      if (presync) replica.write('\n');
    }
    const timeoutMs = config.int('repl-timeout') * 1000;
    for (const replica of [...this.replicas]) {
      if (replica.state === 'online' && !replica.preSync && now - replica.ackTime > timeoutMs) {
        this.log.warning(`Disconnecting timedout replica (streaming sync): ${replica.name}`);
        replica.close();
        this.detach(replica); // freeClient: INFO stops counting it now, not at the close event
        continue;
      }
      // Only diskless transfers: a replica that stopped reading holds back the snapshot every
      // replica of the job shares. A disk-made RDB is sent to each replica on its own, so a
      // stuck one delays nobody else (as in Redis, it is not timed out).
      const stalledSince = this.rdbJob?.target === 'socket' ? this.rdbJob.stalls.get(replica) : undefined;
      if (replica.state === 'wait_bgsave_end' && stalledSince !== undefined && now - stalledSince > timeoutMs) {
        this.log.warning(`Disconnecting timedout replica (full sync): ${replica.name}`);
        replica.close();
        this.detach(replica); // freeClient: INFO stops counting it now, not at the close event
      }
    }
    this.startPendingRdb();
    this.refreshGoodReplicas();
  }
}

/** The `slave` triple of client-output-buffer-limit ("normal h s t slave h s t pubsub h s t"). */
function replicaOutputLimit(setting: string): OutputLimit {
  const parts = setting.split(' ');
  const at = parts.indexOf('slave');
  return { hard: Number(parts[at + 1]), soft: Number(parts[at + 2]), softSeconds: Number(parts[at + 3]) };
}
