// A node's replication state (Redis keeps it in `server.*`): its role, its history (replication
// IDs and offset), the backlog, the replicas attached to it and, when it is a replica, the link
// to its master. This module owns the role changes and the stream; the master's and the
// replica's protocol halves live in master-side.ts and replica-link.ts.
//
// The stream. A master turns each write of the node's write feed into RESP commands (with a
// SELECT when the database changes) and appends them to the backlog and to every replica: the
// offset counts these bytes. A replica does not produce a stream of its own: it passes on, byte
// for byte, the part of its master's stream it has applied, so every node of a chain has the
// same replid, the same offsets and the same backlog contents — which is what lets any of them
// serve a PSYNC for any other after a failover (PSYNC2).
//
// One instance per node, made by ../node.ts, which calls start() after the dataset was loaded.
import type { Server } from '../core/server.js';
import { PROPAGATE_REPL } from '../core/propagation.js';
import type { BinaryString } from '../protocol/request-parser.js';
import type { ReplicationAux } from '../persistence/rdb/snapshot.js';
import type { NodePersistence } from '../persistence/node-persistence.js';
import { replicationInfoFields } from './info-replication.js';
import { ReplicationIds } from './replication-ids.js';
import { ReplicationBacklog } from './backlog.js';
import { CommandEncoder, NO_DB } from '../core/write-feed.js';
import { MasterSide } from './master-side.js';
import { ReplicaLink } from './replica-link.js';
import { ReplicaAckWaiters } from './wait-for-replicas.js';
import { Failover } from './failover.js';
import { replicationGuard } from './command-guard.js';
import { disconnectAllBlockedClients } from '../core/blocking.js';
import { replicasAtShutdown } from './replicas-at-shutdown.js';

export class Replication {
  readonly ids = new ReplicationIds();
  /** master_repl_offset: bytes of stream this node produced or passed on under its history. */
  offset = 0;
  /** Null until the first replica attaches (a master) or the first sync completes (a replica). */
  backlog: ReplicationBacklog | null = null;
  /** The database the stream last SELECTed (server.slaveseldb); -1 forces a SELECT. */
  streamDb = -1;
  private readonly encoder = new CommandEncoder();
  /** The link to our master: non-null exactly when this node is a replica. */
  link: ReplicaLink | null = null;
  readonly replicas: MasterSide;
  readonly waiters: ReplicaAckWaiters;
  readonly failover: Failover;
  /** Since when no replica is attached, ms: the backlog's time to live counts from here. */
  noReplicasSince = Date.now();
  private cronTimer: NodeJS.Timeout | null = null;
  private firstCron: NodeJS.Immediate | null = null;
  private getAckScheduled = false;
  /** The AOF could not restart after a sync: the cron tries again every second. */
  private aofRestartPending = false;

  constructor(
    readonly server: Server,
    private readonly persistence: NodePersistence,
  ) {
    this.replicas = new MasterSide(this);
    this.waiters = new ReplicaAckWaiters(this.replicas);
    this.failover = new Failover(this);
    server.info.set('replication', () => replicationInfoFields(this));
    // Installed now: the dataset loads before start() runs.
    persistence.expiredAtStartup = (dbIndex, key) => this.feedExpiredAtStartup(dbIndex, key);
  }

  get isReplica(): boolean {
    return this.link !== null;
  }

  /** The link with our master is up (repl_state CONNECTED). */
  get linkUp(): boolean {
    return this.link?.state === 'connected';
  }

  /** Hooks replication into the node and, for a configured replica, starts connecting. */
  start(): void {
    const server = this.server;
    server.writeFeed.subscribe((dbIndex, argv) => this.feedCommand(dbIndex, argv), PROPAGATE_REPL);
    server.commandGuards.push(replicationGuard(this));
    // freeMemoryGetNotCountedMemory: what replicas have yet to receive does not count against
    // maxmemory (Redis counts the part of its shared buffer beyond the backlog; here each
    // replica's output is its own copy, the backlog another), or evicting would make DELs
    // that need more memory that makes more evictions.
    server.eviction.notCountedMemory.push(() => {
      let bytes = 0;
      for (const replica of this.replicas.replicas) bytes += replica.outputBytes;
      return bytes;
    });
    // INFO mem_replication_backlog, and each replica's stream still owed (mem_clients_slaves).
    server.memoryParts.replicationBacklog = () => this.backlog?.allocatedBytes ?? 0;
    server.memoryParts.replicaOutput = (client) =>
      this.replicas.replicas.find((replica) => replica.client === client)?.outputBytes ?? client.outputBytes;
    this.persistence.replicationAux = () => this.saveInfo();
    server.shutdownHooks.push(async () => this.stop());
    server.shutdownControl.replicas = replicasAtShutdown(this);
    server.onConfigSet('repl-backlog-size', () => this.backlog?.resize(server.config.int('repl-backlog-size')));
    const target = server.config.replicaOf();
    if (target) {
      // Like redis-server with `replicaof` in its configuration: the cron makes the first attempt.
      this.becomeReplica(target.host, target.port);
    }
    this.resumeFromRdb(this.persistence.startupAux);
    // serverCron first runs as soon as the event loop starts, with replication_cron_loops at 0:
    // a configured replica connects at once, and the PING of loop 0 finds no replica yet (a
    // restarted master's first PING comes repl-ping-replica-period seconds later).
    this.firstCron = setImmediate(() => this.cron());
    this.cronTimer = setInterval(() => this.cron(), 1000);
    this.cronTimer.unref();
  }

  private stop(): void {
    if (this.firstCron) clearImmediate(this.firstCron);
    if (this.cronTimer) clearInterval(this.cronTimer);
    this.link?.close();
    // flushSlavesOutputBuffers: what the replicas are owed goes to their sockets before the
    // node closes them.
    for (const replica of this.replicas.replicas) replica.flush();
  }

  // --- the stream ------------------------------------------------------------------------------

  /** replicationFeedSlaves: a write of this node (a master) enters the stream. */
  private feedCommand(dbIndex: number, argv: BinaryString[]): void {
    // A replica passes on its master's stream instead (proxyFromMaster), identical to the byte.
    if (this.link) return;
    // No backlog means no replica was ever attached: no one needs a stream, and the offset stays.
    if (!this.backlog) return;
    if (dbIndex !== NO_DB && dbIndex !== this.streamDb) {
      this.feedEncoded(['SELECT', String(dbIndex)]);
      this.streamDb = dbIndex;
    }
    this.feedEncoded(argv);
  }

  /** DEBUG REPLICATE: a command into the stream without running it here (replicationFeedSlaves, dictid -1). */
  replicateForDebug(argv: BinaryString[]): void {
    this.feedCommand(NO_DB, argv);
  }

  private feedEncoded(argv: readonly BinaryString[]): void {
    const length = this.encoder.encode(argv); // before reading .bytes: a big command gets its own
    this.feedStream(this.encoder.bytes, length);
  }

  /** replicationFeedStreamFromMasterStream: a replica passes on what it applied. */
  proxyFromMaster(bytes: Buffer): void {
    if (this.backlog) this.feedStream(bytes, bytes.length);
  }

  /** Stream bytes bytes[0, length) (copied by the backlog and the replicas, not kept). */
  private feedStream(bytes: Buffer, length: number): void {
    this.offset += length;
    this.backlog!.append(bytes, length);
    this.replicas.feed(bytes, length);
  }

  /** The master's periodic PING, in the stream so replicas see a live master even when idle. */
  feedPing(): void {
    this.feedCommand(this.streamDb, ['PING']);
  }

  /**
   * replicationRequestAckFromSlaves: ask every replica for an immediate ACK. All requests made
   * during one event-loop turn share a single REPLCONF GETACK (Redis sends it in beforeSleep).
   */
  requestAcks(): void {
    if (this.getAckScheduled) return;
    this.getAckScheduled = true;
    setImmediate(() => {
      this.getAckScheduled = false;
      this.feedCommand(this.streamDb, ['REPLCONF', 'GETACK', '*']);
    });
  }

  createBacklog(): void {
    this.backlog = new ReplicationBacklog(this.server.config.int('repl-backlog-size'), this.offset);
  }

  /**
   * rdbPopulateSaveInfo: the replication position an RDB saved now records, so that a node
   * restarted from it can continue with PSYNC; null when this node has no position to record.
   */
  saveInfo(): ReplicationAux | null {
    const position = (replStreamDb: number): ReplicationAux => ({ replId: this.ids.replid, replOffset: this.offset, replStreamDb });
    if (!this.link && this.backlog) {
      // -1 means no write since the last full sync: the next one starts with a SELECT anyway.
      return position(this.streamDb === -1 ? 0 : this.streamDb);
    }
    if (this.link?.master) return position(this.link.master.client.db.id);
    if (this.link?.cached) return position(this.link.cached.dbIndex);
    return null;
  }

  // --- role changes ----------------------------------------------------------------------------

  /** REPLICAOF host port (replicationSetMaster). */
  setMaster(host: string, port: number): void {
    // Clients blocked on this master's keys would wait for writes only the new master makes.
    disconnectAllBlockedClients(this.server);
    const previous = this.link;
    if (previous) {
      // A link to another master ends, but what it cached stays: if the new master shares that
      // history (a promoted sibling), PSYNC continues from it.
      const wasUp = previous.state === 'connected';
      const link = this.becomeReplica(host, port);
      link.cached = previous.close();
      // The link that just ended counts as down from now (replicationHandleMasterDisconnection).
      link.downSince = wasUp ? Date.now() : previous.downSince;
    } else {
      // A master becoming a replica (replicationCacheMasterUsingMyself): our own history is
      // what the new master may share with us, if it was our replica.
      this.server.logger.notice(
        'Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
      );
      this.becomeReplica(host, port).cached = { replid: this.ids.replid, offset: this.offset, dbIndex: -1 };
    }
    // Our own replicas stay: they may be able to continue with us after we synchronize.
    this.server.logger.notice(`Connecting to MASTER ${host}:${port}`);
    this.link!.connect();
  }

  private becomeReplica(host: string, port: number): ReplicaLink {
    this.link = new ReplicaLink(this, host, port);
    this.server.keyspace.isReplica = true;
    this.server.logger.role = 'S';
    return this.link;
  }

  /** REPLICAOF NO ONE (replicationUnsetMaster): this replica becomes a master. */
  unsetMaster(): void {
    const link = this.link;
    if (!link) return;
    this.link = null; // first, so that losing the master does not reconnect
    if (link.close()) this.server.logger.notice('Discarding previously cached master state.');
    // The history we followed stays valid up to here as replid2: our replicas and former
    // siblings can continue from us with a partial resync.
    this.ids.shift(this.offset);
    this.server.logger.warning(
      `Setting secondary replication ID to ${this.ids.replid2}, valid up to offset: ${this.ids.secondReplOffset}. New replication ID is ${this.ids.replid}`,
    );
    // They must learn the new replid: they reconnect and continue at once.
    this.replicas.disconnectAll();
    this.streamDb = -1;
    this.noReplicasSince = Date.now();
    this.server.keyspace.isReplica = false;
    this.server.logger.role = 'M';
    // An AOF stopped by a sync that never completed resumes now that we are a master.
    this.restartAof();
  }

  // --- events from the replica link --------------------------------------------------------

  /**
   * replicationAttachToNewMaster: a full sync replaces our dataset, so the history our cached
   * master, our backlog and our own replicas describe is over.
   */
  attachToNewMaster(): void {
    // The AOF would otherwise record the old dataset's end and the new one's start as one
    // history: it stops now and starts over with a rewrite once the sync is done.
    this.persistence.aof.disable();
    if (this.link?.cached) {
      this.server.logger.notice('Discarding previously cached master state.');
      this.link.cached = null;
    }
    this.replicas.disconnectAll();
    this.backlog = null;
  }

  /** After a full sync, the master's replid and offset are ours; the previous history is gone. */
  adoptMasterHistory(replid: string, offset: number): void {
    this.ids.replid = replid;
    this.ids.clearSecondary();
    this.offset = offset;
    // A replica keeps a backlog even without replicas of its own: if it is promoted, the
    // others will want to continue from it.
    if (!this.backlog) this.createBacklog();
  }

  /** +CONTINUE after a restart from an RDB: the backlog may not exist yet. */
  resumedFromCache(): void {
    if (!this.backlog) this.createBacklog();
  }

  /** +CONTINUE with another replid: our master was promoted; its old history is our replid2. */
  masterReplidChanged(oldReplid: string, newReplid: string): void {
    this.ids.replid2 = oldReplid;
    this.ids.secondReplOffset = this.offset + 1;
    this.ids.replid = newReplid;
    // Our replicas must learn the new replid (they will continue with us at once).
    this.replicas.disconnectAll();
  }

  /** A full sync completed (restartAOFAfterSYNC). */
  syncFinished(): void {
    this.restartAof();
  }

  /** With appendonly yes, an AOF stopped for a sync starts again from a rewrite of the new data. */
  private restartAof(): void {
    this.aofRestartPending = false;
    if (!this.server.config.bool('appendonly')) return;
    if (!this.persistence.aof.enable()) {
      this.server.logger.warning('Failed enabling the AOF after successful master synchronization! Trying it again in one second.');
      this.aofRestartPending = true;
    }
  }

  /**
   * rdbLoad with RDBFLAGS_FEED_REPL: a key that expired while the master was down is not loaded,
   * and its DEL (UNLINK with lazyfree-lazy-expire) goes to a backlog made for it, so the replicas
   * that still hold the key delete it when they continue. The offset counts these bytes from 0;
   * resumeFromRdb puts them after the RDB's offset.
   */
  private feedExpiredAtStartup(dbIndex: number, key: BinaryString): void {
    if (!this.backlog) this.createBacklog();
    this.feedCommand(dbIndex, [this.server.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key]);
  }

  /**
   * loadDataFromDisk's replication part: the RDB the node started from recorded where in its
   * history it was. A replica resumes from there with PSYNC; a master keeps it as replid2 (with
   * a new replid), so its replicas can continue with +CONTINUE.
   */
  private resumeFromRdb(aux: Map<string, string> | null): void {
    const replid = aux?.get('repl-id');
    const offset = Number(aux?.get('repl-offset') ?? -1);
    const streamDb = Number(aux?.get('repl-stream-db') ?? -1);
    if (!replid || replid.length !== 40 || offset === -1 || streamDb === -1 || !Number.isSafeInteger(offset)) {
      // No history to continue (no RDB, or one saved without a backlog): the backlog the expired
      // keys' DELs went to serves nobody. As in Redis, the offset keeps counting their bytes.
      if (!this.link) this.backlog = null;
      return;
    }
    if (this.link) {
      this.ids.replid = replid;
      this.offset = offset;
      this.link.cached = { replid, offset, dbIndex: streamDb };
    } else {
      this.ids.replid2 = replid;
      this.ids.secondReplOffset = offset + 1;
      // Rebased on the RDB's offset: the DELs fed while loading come right after it, and a
      // replica that had everything up to it gets them from the backlog with its +CONTINUE.
      this.offset += offset;
      if (this.backlog) this.backlog.rebase(offset);
      else this.createBacklog();
      this.noReplicasSince = Date.now();
    }
  }

  // --- cron ------------------------------------------------------------------------------------

  /** replicationCron, once per second. */
  private cron(): void {
    if (this.server.debugKnobs.cronPaused) return; // serverCron runs replicationCron; DEBUG PAUSE-CRON stops it
    if (this.server.yielding.active) return; // nor while a script yields (processEventsWhileBlocked)
    const config = this.server.config;
    this.failover.cron();
    if (this.aofRestartPending) this.restartAof();
    this.link?.cron();
    this.replicas.cron();
    const backlog = this.backlog;
    // A master without replicas frees its backlog after repl-backlog-ttl seconds. Its history
    // ends with it: writes made from now on are not in any stream, so nobody may PSYNC with
    // the old replid (replicas never free theirs: they may be promoted).
    const ttl = config.int('repl-backlog-ttl');
    if (backlog && !this.link && this.replicas.replicas.length === 0 && ttl > 0 && Date.now() - this.noReplicasSince > ttl * 1000) {
      this.ids.change();
      this.ids.clearSecondary();
      this.backlog = null;
      this.server.logger.notice(`Replication backlog freed after ${ttl} seconds without connected replicas.`);
    }
  }
}
