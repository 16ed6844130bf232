// The replica's half of replication (replication.c, "SLAVE" part): the link to the master, from
// TCP connect to a synchronized stream, as a state machine driven by socket events and by the
// once-a-second cron. States and transitions follow Redis's repl_state:
//
//   connect ──cron──> connecting ──TCP up──> receive_ping_reply   (we sent PING)
//     receive_ping_reply ──+PONG / -NOAUTH──> send_handshake
//     send_handshake: AUTH [masteruser] masterauth (if set), REPLCONF listening-port,
//       REPLCONF ip-address (if replica-announce-ip), REPLCONF capa eof capa psync2 — written
//       together, then their replies are read one by one:
//     receive_auth_reply ──> receive_port_reply ──> receive_ip_reply ──> receive_capa_reply
//       (an AUTH error stops the attempt; REPLCONF errors are only logged: old masters)
//     send_psync: PSYNC <cached replid> <cached offset+1>, or PSYNC ? -1 without a cached master
//     receive_psync_reply
//       +FULLRESYNC <replid> <offset> ──> transfer (the RDB follows) ──> connected
//       +CONTINUE [<replid>]          ──> connected (the missing stream follows)
//       -NOMASTERLINK / -LOADING      ──> connect (the master cannot serve us yet; cron retries)
//       -ERR (no PSYNC)               ──> SYNC, then transfer
//   connected: the stream is applied; REPLCONF ACK every second; repl-timeout watches the master.
//
// Any failure during the handshake or transfer closes the socket and goes back to `connect`, and
// the cron tries again a second later: a master that is down, or a node told to replicate from
// itself, costs one attempt per second, never a busy loop.
import { connect, type Socket } from 'node:net';
import type { Server } from '../core/server.js';
import { strerror } from '../config/errors.js';
import { encodeCommand } from '../core/write-feed.js';
import { MasterClient, type CachedMaster } from './master-client.js';
import { RdbDownload, SyncError } from './rdb-download.js';
import type { RdbLoadResult } from '../persistence/rdb/rdb-load.js';
import type { Replication } from './replication.js';

export type LinkState =
  | 'connect'
  | 'connecting'
  | 'receive_ping_reply'
  | 'send_handshake'
  | 'receive_auth_reply'
  | 'receive_port_reply'
  | 'receive_ip_reply'
  | 'receive_capa_reply'
  | 'send_psync'
  | 'receive_psync_reply'
  | 'transfer'
  | 'connected';

const HANDSHAKE_STATES: ReadonlySet<LinkState> = new Set([
  'receive_ping_reply',
  'send_handshake',
  'receive_auth_reply',
  'receive_port_reply',
  'receive_ip_reply',
  'receive_capa_reply',
  'send_psync',
  'receive_psync_reply',
]);

export class ReplicaLink {
  state: LinkState = 'connect';
  /** The synchronized master connection (server.master). */
  master: MasterClient | null = null;
  /** What remains of the last master connection, for a partial resync (server.cached_master). */
  cached: CachedMaster | null = null;
  /** The full sync's RDB being received. */
  download: RdbDownload | null = null;
  /** When the link went down, ms; 0 while up or never up (repl_down_since). */
  downSince = 0;
  /** The socket of a link being established (repl_transfer_s). */
  private socket: Socket | null = null;
  /** Last I/O on the link being established, ms (repl_transfer_lastio). */
  private lastIo = Date.now();
  /** Bytes received during the handshake that do not form a complete line yet. */
  private pendingLine = '';
  /** From +FULLRESYNC: the history and offset the RDB corresponds to. */
  private syncReplid = '';
  private syncOffset = -1;

  constructor(
    private readonly replication: Replication,
    readonly host: string,
    readonly port: number,
  ) {}

  private get server(): Server {
    return this.replication.server;
  }

  private get log() {
    return this.replication.server.logger;
  }

  get inHandshake(): boolean {
    return HANDSHAKE_STATES.has(this.state);
  }

  // --- connecting and the handshake ------------------------------------------------------------

  /** connectWithMaster. */
  connect(): void {
    const socket = connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    this.socket = socket;
    this.pendingLine = '';
    this.lastIo = Date.now();
    this.state = 'connecting';
    this.log.notice('MASTER <-> REPLICA sync started');
    socket.once('connect', () => this.connected(socket));
    socket.on('data', (chunk: Buffer) => this.receive(socket, chunk));
    socket.on('error', (err) => {
      if (this.socket !== socket) return;
      if (this.state === 'transfer') {
        this.fail(`I/O error trying to sync with MASTER: ${strerror(err)}`);
      } else {
        this.fail(`Error condition on socket for SYNC: ${describeSocketError(err)}`);
      }
    });
    socket.once('close', () => {
      if (this.socket !== socket) return;
      if (this.state === 'transfer') this.fail('I/O error trying to sync with MASTER: connection lost');
      else if (this.state === 'connecting') this.fail('Error condition on socket for SYNC: Connection reset by peer');
      else this.fail('Master did not respond to command during SYNC handshake');
    });
  }

  private connected(socket: Socket): void {
    if (this.socket !== socket) return;
    this.log.notice('Non blocking connect for SYNC fired the event.');
    this.state = 'receive_ping_reply';
    this.send(['PING']);
  }

  private send(argv: string[]): void {
    this.socket?.write(encodeCommand(argv.map((a) => Buffer.from(a).toString('latin1'))));
  }

  private receive(socket: Socket, chunk: Buffer): void {
    if (this.socket !== socket) return;
    this.lastIo = Date.now();
    if (this.state === 'transfer') {
      this.receivePayload(chunk);
      return;
    }
    // A reply can end the handshake (+FULLRESYNC, +CONTINUE, an error): what follows it is then
    // the RDB or the stream, and was handed on with the reply.
    let at = 0;
    while (this.socket === socket && this.inHandshake) {
      const newline = chunk.indexOf(10, at);
      if (newline === -1) {
        this.pendingLine += chunk.toString('latin1', at);
        return;
      }
      const line = (this.pendingLine + chunk.toString('latin1', at, newline)).replace(/\r$/, '');
      this.pendingLine = '';
      at = newline + 1;
      this.handshakeReply(line, chunk.subarray(at));
    }
  }

  /** syncWithMaster: one reply line of the handshake; `rest` is what followed it. */
  private handshakeReply(line: string, rest: Buffer): void {
    const config = this.server.config;
    switch (this.state) {
      case 'receive_ping_reply':
        // +PONG, or an authentication error, which AUTH will solve. Old masters said
        // "operation not permitted" instead of using an error code.
        if (
          line[0] !== '+' &&
          !line.startsWith('-NOAUTH') &&
          !line.startsWith('-NOPERM') &&
          !line.startsWith('-ERR operation not permitted')
        ) {
          this.fail(`Error reply to PING from master: '${line}'`);
          return;
        }
        this.log.notice('Master replied to PING, replication can continue...');
        this.sendHandshake();
        return;
      case 'receive_auth_reply':
        if (line[0] === '-') {
          this.fail(`Unable to AUTH to MASTER: ${line}`);
          return;
        }
        this.state = 'receive_port_reply';
        return;
      case 'receive_port_reply':
        // Not every Redis version knows these REPLCONF options: errors are not fatal.
        if (line[0] === '-') this.log.notice(`(Non critical) Master does not understand REPLCONF listening-port: ${line}`);
        this.state = config.str('replica-announce-ip') ? 'receive_ip_reply' : 'receive_capa_reply';
        return;
      case 'receive_ip_reply':
        if (line[0] === '-') this.log.notice(`(Non critical) Master does not understand REPLCONF ip-address: ${line}`);
        this.state = 'receive_capa_reply';
        return;
      case 'receive_capa_reply':
        if (line[0] === '-') this.log.notice(`(Non critical) Master does not understand REPLCONF capa: ${line}`);
        this.sendPsync();
        return;
      case 'receive_psync_reply':
        this.psyncReply(line, rest);
        return;
      default:
        this.fail(`syncWithMaster(): state machine error, state should be RECEIVE_PSYNC but is ${this.state}`);
    }
  }

  private sendHandshake(): void {
    const config = this.server.config;
    const auth = config.str('masterauth');
    if (auth) this.send(config.str('masteruser') ? ['AUTH', config.str('masteruser'), auth] : ['AUTH', auth]);
    const port = config.int('replica-announce-port') || this.server.port;
    this.send(['REPLCONF', 'listening-port', String(port)]);
    const announceIp = config.str('replica-announce-ip');
    if (announceIp) this.send(['REPLCONF', 'ip-address', announceIp]);
    this.send(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']);
    this.state = auth ? 'receive_auth_reply' : 'receive_port_reply';
  }

  /** slaveTryPartialResynchronization, writing half. */
  private sendPsync(): void {
    const cached = this.cached;
    if (cached) {
      this.log.notice(`Trying a partial resynchronization (request ${cached.replid}:${cached.offset + 1}).`);
    } else {
      this.log.notice('Partial resynchronization not possible (no cached master)');
    }
    const argv = cached ? ['PSYNC', cached.replid, String(cached.offset + 1)] : ['PSYNC', '?', '-1'];
    // A master handing its role to us asks us to take over at once.
    if (this.replication.failover.inProgress) argv.push('FAILOVER');
    this.send(argv);
    this.state = 'receive_psync_reply';
  }

  /** slaveTryPartialResynchronization, reading half. */
  private psyncReply(line: string, rest: Buffer): void {
    // A master still preparing may send empty lines to keep the link alive.
    if (line === '') return;
    const outcome = line.startsWith('+FULLRESYNC') || line.startsWith('+CONTINUE') ? 'accepted' : 'refused';
    // A failover target that refuses us ends the failover (which also ends this link).
    if (!this.replication.failover.targetReplied(outcome === 'accepted')) return;
    if (line.startsWith('+FULLRESYNC')) {
      const [, replid, offset] = line.split(' ');
      if (!replid || offset === undefined || replid.length !== 40) {
        this.log.warning('Master replied with wrong +FULLRESYNC syntax.');
        // Blank the id so that no later PSYNC can match it.
        this.syncReplid = '\0'.repeat(40);
        this.syncOffset = -1;
      } else {
        this.syncReplid = replid;
        this.syncOffset = Number(offset);
        this.log.notice(`Full resync from master: ${replid}:${this.syncOffset}`);
      }
      this.startTransfer(rest);
      return;
    }
    if (line.startsWith('+CONTINUE')) {
      this.log.notice('Successful partial resynchronization with master.');
      this.continueSync(line.slice(10).trim(), rest);
      this.log.notice('MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.');
      return;
    }
    if (line.startsWith('-NOMASTERLINK') || line.startsWith('-LOADING')) {
      this.log.notice(`Master is currently unable to PSYNC but should be in the future: ${line}`);
      this.fail(null);
      return;
    }
    if (line.startsWith('-ERR')) {
      this.log.notice(`Master does not support PSYNC or is in error state (reply: ${line})`);
    } else {
      this.log.warning(`Unexpected reply to PSYNC from master: ${line}`);
    }
    // An old master: fall back to SYNC. Its stream has no offsets (master_initial_offset -1).
    this.log.notice('Retrying with SYNC...');
    this.socket!.write('SYNC\r\n');
    this.syncReplid = '?'.repeat(40);
    this.syncOffset = -1;
    this.startTransfer(rest);
  }

  // --- full sync ----------------------------------------------------------------------------

  private startTransfer(rest: Buffer): void {
    this.state = 'transfer';
    this.download = new RdbDownload(this.server, `${this.host}:${this.port}`);
    if (rest.length) this.receivePayload(rest);
  }

  private receivePayload(chunk: Buffer): void {
    const download = this.download!;
    let after: Buffer | null;
    try {
      after = download.receive(chunk);
    } catch (err) {
      if (!(err instanceof SyncError)) throw err;
      this.fail(err.message);
      return;
    }
    if (after !== null) void this.loadDownload(download, after);
  }

  /** The RDB is in: replace the dataset with it and become a synchronized replica. */
  private async loadDownload(download: RdbDownload, after: Buffer): Promise<void> {
    const socket = this.socket!;
    socket.pause(); // the stream that follows waits in the kernel until we can apply it
    // Our dataset is about to become the master's: a cached master, our backlog and our own
    // replicas all describe the history we are leaving (replicationAttachToNewMaster).
    this.replication.attachToNewMaster();
    this.log.notice('MASTER <-> REPLICA sync: Flushing old data');
    this.log.notice('MASTER <-> REPLICA sync: Loading DB in memory');
    let result: RdbLoadResult;
    try {
      result = await download.load();
    } catch (err) {
      if (this.socket !== socket) return;
      const from = download.toDisk ? 'disk' : 'socket';
      this.log.warning(`Failed trying to load the MASTER synchronization DB from ${from}: ${(err as Error).message}`);
      this.fail(null, true);
      return;
    }
    if (this.socket !== socket || this.download !== download) return; // REPLICAOF changed meanwhile
    const streamDb = Number(result.aux.get('repl-stream-db') ?? 0);
    this.download = null;
    this.socket = null;
    this.master = this.createMaster(socket, { replid: this.syncReplid, offset: this.syncOffset, dbIndex: streamDb });
    this.state = 'connected';
    this.downSince = 0;
    // After a full sync we share the master's history: its replid and offset are ours now.
    this.replication.adoptMasterHistory(this.syncReplid, this.syncOffset);
    this.log.notice('MASTER <-> REPLICA sync: Finished with success');
    // After a diskless transfer the master waits for our first ACK to start the stream.
    if (download.usesEofMark) this.master.sendAck();
    this.master.start(after);
    this.replication.syncFinished();
  }

  /** +CONTINUE: the cached master comes back to life on the new socket. */
  private continueSync(newReplid: string, rest: Buffer): void {
    const cached = this.cached!;
    if (newReplid.length === 40 && newReplid !== cached.replid) {
      // The master's history changed (it was promoted): our previous id stays valid up to
      // where we are, so our own replicas can still continue from us.
      this.log.warning(`Master replication ID changed to ${newReplid}`);
      this.replication.masterReplidChanged(cached.replid, newReplid);
      cached.replid = newReplid;
    }
    const socket = this.socket!;
    this.socket = null;
    this.cached = null;
    this.master = this.createMaster(socket, cached);
    this.state = 'connected';
    this.downSince = 0;
    this.replication.resumedFromCache();
    this.master.start(rest);
  }

  private createMaster(socket: Socket, state: CachedMaster): MasterClient {
    socket.removeAllListeners('data');
    socket.removeAllListeners('close');
    socket.removeAllListeners('error');
    socket.removeAllListeners('connect');
    return new MasterClient(this.server, socket, state, {
      applied: (bytes) => this.replication.proxyFromMaster(bytes),
      lost: (master) => this.masterLost(master),
    });
  }

  // --- losing the link -----------------------------------------------------------------------

  /**
   * freeClient on the master + replicationCacheMaster: keep what a PSYNC needs, and reconnect
   * right away (waiting for the cron could let the master's backlog move past us).
   */
  private masterLost(master: MasterClient): void {
    if (this.master !== master) return;
    this.master = null;
    this.log.notice('Connection with master lost.');
    this.log.notice('Caching the disconnected master state.');
    this.cached = master.preSync ? null : master.toCached();
    this.state = 'connect';
    this.downSince = Date.now();
    if (this.replication.link !== this) return; // REPLICAOF NO ONE / another master: no reconnect
    this.log.notice(`Reconnecting to MASTER ${this.host}:${this.port}`);
    this.connect();
  }

  /**
   * The handshake or transfer failed: close it and go back to `connect` (cancelReplicationHandshake).
   * `message` is logged as a warning. With `reconnect` the next attempt starts at once, otherwise
   * the cron starts it within a second.
   */
  private fail(message: string | null, reconnect = false): void {
    if (message) this.log.warning(message);
    this.abortAttempt();
    if (reconnect) {
      this.log.notice(`Reconnecting to MASTER ${this.host}:${this.port} after failure`);
      this.connect();
    }
  }

  private abortAttempt(): void {
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
    this.download?.abort();
    this.download = null;
    if (this.state !== 'connected') this.state = 'connect';
  }

  /** Ends the link for good (REPLICAOF NO ONE, another master, shutdown); returns the cache. */
  close(): CachedMaster | null {
    this.abortAttempt();
    const master = this.master;
    if (master) {
      this.master = null;
      this.log.notice('Connection with master lost.');
      this.log.notice('Caching the disconnected master state.');
      this.cached = master.preSync ? null : master.toCached();
      master.close();
    }
    this.state = 'connect';
    return this.cached;
  }

  /** REPLCONF GETACK from the master, and the cron's periodic ACK. */
  sendAck(): void {
    if (this.master && !this.master.preSync) this.master.sendAck();
  }

  // --- cron ------------------------------------------------------------------------------------

  /** The replica's part of replicationCron, once per second. */
  cron(): void {
    const timeoutMs = this.server.config.int('repl-timeout') * 1000;
    const now = Date.now();
    if ((this.state === 'connecting' || this.inHandshake) && now - this.lastIo > timeoutMs) {
      this.fail('Timeout connecting to the MASTER...', true);
    }
    if (this.state === 'transfer' && this.download && !this.download.loading && now - this.download.lastIo > timeoutMs) {
      this.fail(
        "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.",
        true,
      );
    }
    if (this.state === 'connected' && this.master && now - this.master.lastInteraction > timeoutMs) {
      this.log.warning('MASTER timeout: no data nor PING received...');
      this.master.close();
    }
    if (this.state === 'connect') {
      this.log.notice(`Connecting to MASTER ${this.host}:${this.port}`);
      this.connect();
    }
    // While a big RDB loads the master hears nothing from us: a newline keeps it from timing out.
    if (this.state === 'transfer' && this.download?.loading) this.socket?.write('\n');
    this.sendAck();
  }
}

/** Redis prints connect errors through strerror: "Connection refused" rather than Node's text. */
function describeSocketError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'Connection refused';
    case 'ECONNRESET':
      return 'Connection reset by peer';
    case 'ETIMEDOUT':
      return 'Connection timed out';
    case 'EHOSTUNREACH':
      return 'No route to host';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'Name or service not known';
    default:
      return strerror(err);
  }
}
