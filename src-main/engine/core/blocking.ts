// Blocked clients (Redis's blocked.c): the blocking operations on keys (BLPOP, BRPOP, BLMOVE,
// BRPOPLPUSH, BLMPOP, and the sorted sets' BZPOPMIN, BZPOPMAX, BZMPOP), and waits for something
// else than a key (WAIT: Redis's BLOCKED_WAIT), which share everything but the serving by key.
//
// How it works, as in Redis:
//   - A command that finds nothing to take calls blockForKeys(): the client waits on its keys
//     (in its database) with a deadline; it runs no further commands until unblocked (the
//     connection keeps reading and queues them, see isBlocked / resumeWhenUnblocked).
//   - Every change to a key someone waits on marks the key "ready" (signalKeyAsReady; Redis
//     signals when a key is added, which is the only way a waited-on key gains contents).
//   - After each top-level command (or MULTI/EXEC as a whole) the executor calls
//     handleClientsBlockedOnKeys(): for each ready key that now holds a value of the type a
//     waiting client wants, clients are served in the order they blocked, each through the
//     serve() callback its command registered, until the key is gone. Serving a BLMOVE can make
//     its destination ready, so the loop repeats until nothing is ready.
//   - serve() replies and changes the keyspace like the non-blocking command would, and
//     propagates that command as its effect (a served BLPOP is an LPOP, BLMOVE an LMOVE...).
//     Each client served is its own propagation unit, like Redis's afterCommand per receiver.
//   - A deadline reached replies as the command does on timeout (a null array for the key
//     operations); a disconnect just forgets the client; CLIENT UNBLOCK ends the wait with that
//     timeout reply or an error reply (unblockByRequest).
//   - A wait that is not on keys (blockClient) is ended by its owner with unblockClient() once it
//     replied; its deadline, CLIENT UNBLOCK, a disconnect and the blocked clients count work the
//     same, and its ended() callback tells the owner the wait is over, however it ended.
//   - While EXEC runs its queue (client.denyBlocking, Redis's CLIENT_DENY_BLOCKING) a command
//     must not block: it answers as if it had timed out at once.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Database } from '../keyspace/database.js';
import type { TypeName } from '../keyspace/value.js';
import { parseLongDouble, type LongDouble } from '../util/long-double.js';
import { parseInteger } from '../util/numbers.js';
import type { Client } from './client.js';
import { LatencyHistogram } from './latency-histogram.js';
import type { Server } from './server.js';

/** What every wait has, whatever it waits for (Redis's client->bpop timeout and btype's timeout reply). */
export interface BlockingWait {
  /** Absolute deadline in ms (Date.now() clock), 0 for none: what parseBlockTimeout returns. */
  deadline: number;
  /**
   * replyToBlockedClientTimedOut: the reply when the deadline passes or CLIENT UNBLOCK ends the
   * wait as a timeout. The key operations reply a null array when this is not given.
   */
  timedOut?(): void;
  /** Called once when the wait ends for any reason (served, timed out, unblocked, disconnected). */
  ended?(): void;
}

/** What a blocking command waits for and how it completes (Redis's client->bpop). */
export interface BlockRequest extends BlockingWait {
  /** Keys in the client's current database; duplicates are ignored. */
  keys: readonly BinaryString[];
  /** The value type that can serve this client (BLOCKED_LIST, BLOCKED_ZSET...). */
  type: Exclude<TypeName, 'string'>;
  /**
   * Serves the client from `key`, which holds a non-empty value of `type`: reply, change the
   * value through the Database API, notify, and propagate the effect. Called at most once; the
   * client is unblocked right after, whatever serve() replied (even an error, e.g. BLMOVE
   * finding a destination of the wrong type), unless serve() returns false: it found nothing for
   * this client and replied nothing (a stream changed without an entry past the one an XREAD
   * waits after), so the client keeps waiting.
   */
  serve(key: BinaryString): void | boolean;
}

interface BlockedClient {
  client: Client;
  db: Database;
  keys: Set<BinaryString>;
  /** A wait that is not on keys (blockClient) has no keys, so it is never served by key. */
  request: BlockRequest | (BlockingWait & { keys: readonly BinaryString[]; type?: undefined; serve?: undefined });
  timer: NodeJS.Timeout | null;
  /** Runs the commands the client sent while waiting (installed by its connection). */
  resume: (() => void) | null;
}

// setTimeout cannot wait longer than this; longer deadlines are re-armed when it fires.
const MAX_TIMER_MS = 2 ** 31 - 1;
const INT64_LIMIT = 2n ** 63n;

/**
 * timeout.c getTimeoutFromObjectOrReply with UNIT_SECONDS, as 7.0 does it: a long double number
 * of seconds (strtold syntax: hex, exponents, "inf"), times 1000 in long double, rounded up,
 * converted to a 64-bit integer (where anything out of range, such as inf, becomes LLONG_MIN,
 * so "negative"). Returns the absolute deadline in ms, 0 for "forever", or null after replying.
 */
export function parseBlockTimeout(client: Client, arg: BinaryString): number | null {
  // The usual case, a whole number of seconds, needs none of the long double care.
  const whole = parseInteger(arg);
  let ms: bigint | null = whole !== null && Math.abs(whole) < 2 ** 40 ? BigInt(whole) * 1000n : null;
  if (ms === null) {
    const seconds = parseLongDouble(arg);
    if (seconds === null) {
      client.reply.error('ERR timeout is not a float or out of range');
      return null;
    }
    ms = seconds === 'infinite' ? -1n : ceilMilliseconds(seconds);
    if (ms >= INT64_LIMIT) ms = -1n;
  }
  if (ms < 0n) {
    client.reply.error('ERR timeout is negative');
    return null;
  }
  return ms === 0n ? 0 : Date.now() + Number(ms);
}

/** ceill(seconds * 1000.0L): the product rounded to a 64-bit significand (ties to even), then up. */
function ceilMilliseconds(seconds: LongDouble): bigint {
  let mantissa = seconds.mantissa * 1000n;
  let exponent = seconds.exponent;
  const excess = mantissa.toString(2).length - 64;
  if (excess > 0) {
    const half = 1n << BigInt(excess - 1);
    const rest = mantissa & ((half << 1n) - 1n);
    mantissa >>= BigInt(excess);
    exponent += excess;
    if (rest > half || (rest === half && (mantissa & 1n) === 1n)) mantissa++;
  }
  let magnitude: bigint;
  let fractional = false;
  if (exponent >= 0) {
    magnitude = mantissa << BigInt(exponent);
  } else {
    magnitude = mantissa >> BigInt(-exponent);
    fractional = magnitude << BigInt(-exponent) !== mantissa;
  }
  // Rounding up moves a positive value away from zero and a negative one towards it.
  if (seconds.negative) return -magnitude;
  return fractional ? magnitude + 1n : magnitude;
}

/** The blocked clients of one node, by database and key (server.blocked). */
export class BlockedClients {
  private readonly byClient = new Map<Client, BlockedClient>();
  /** db -> key -> clients waiting on it, in the order they blocked (a Set keeps insertion order). */
  private readonly waiting = new Map<Database, Map<BinaryString, Set<BlockedClient>>>();
  /** Keys signalled since the last handleClientsBlockedOnKeys, in order, without repeats. */
  private ready: Array<[Database, BinaryString]> = [];
  private readonly readySet = new Map<Database, Set<BinaryString>>();

  /**
   * Whether the keyspace observer is installed: only from the first block on, so a node whose
   * clients never block pays nothing per write.
   */
  private observing = false;

  constructor(private readonly server: Server) {
    // A client that disconnects while waiting must not be served: its element would be lost.
    server.clientCloseHooks.push((client) => {
      const blocked = this.byClient.get(client);
      if (blocked) this.unblock(blocked);
    });
  }

  get count(): number {
    return this.byClient.size;
  }

  isBlocked(client: Client): boolean {
    return this.byClient.has(client);
  }

  setResumer(client: Client, resume: () => void): void {
    const blocked = this.byClient.get(client);
    if (blocked) blocked.resume = resume;
  }

  block(client: Client, request: BlockedClient['request']): void {
    if (!this.observing) {
      this.observing = true;
      this.server.keyspace.addObserver({
        afterChange: (db, key) => {
          if (this.byClient.size !== 0) this.signalKeyAsReady(db, key);
        },
      });
    }
    const blocked: BlockedClient = {
      client,
      db: client.db,
      keys: new Set(request.keys),
      request,
      timer: null,
      resume: null,
    };
    let byKey = this.waiting.get(blocked.db);
    if (!byKey) this.waiting.set(blocked.db, (byKey = new Map()));
    for (const key of blocked.keys) {
      let clients = byKey.get(key);
      if (!clients) byKey.set(key, (clients = new Set()));
      clients.add(blocked);
    }
    this.byClient.set(client, blocked);
    if (request.deadline !== 0) this.armTimer(blocked);
  }

  /** Ends a wait: forgets the client and lets it run its queued commands (unblockClient). */
  unblock(blocked: BlockedClient): void {
    if (this.byClient.get(blocked.client) !== blocked) return;
    this.byClient.delete(blocked.client);
    blocked.client.blockedCall = null;
    const byKey = this.waiting.get(blocked.db)!;
    for (const key of blocked.keys) {
      const clients = byKey.get(key)!;
      clients.delete(blocked);
      if (clients.size === 0) byKey.delete(key);
    }
    if (byKey.size === 0) this.waiting.delete(blocked.db);
    if (blocked.timer) clearTimeout(blocked.timer);
    blocked.request.ended?.();
    const client = blocked.client;
    if (client.socket?.destroyed) return;
    client.scheduleFlush();
    // Like processUnblockedClients in beforeSleep: the commands it sent meanwhile run after the
    // current event, not in the middle of the command that woke it.
    if (blocked.resume && !client.closeAfterReply) setImmediate(blocked.resume);
  }

  /** CLIENT UNBLOCK: ends the wait as a timeout (null reply) or with an error. */
  unblockByRequest(client: Client, how: 'timeout' | 'error'): boolean {
    const blocked = this.byClient.get(client);
    if (!blocked) return false;
    if (how === 'error') client.reply.error('UNBLOCKED client unblocked via CLIENT UNBLOCK');
    else this.replyTimedOut(blocked);
    this.unblock(blocked);
    return true;
  }

  /**
   * disconnectAllBlockedClients: when the node becomes a replica, waiting on its keys makes no
   * sense any more (only its master writes them): every waiting client gets an error and is closed.
   */
  disconnectAll(): void {
    for (const blocked of [...this.byClient.values()]) {
      blocked.client.reply.error('UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)');
      blocked.client.closeAfterReply = true;
      this.unblock(blocked);
    }
  }

  signalKeyAsReady(db: Database, key: BinaryString): void {
    if (!this.waiting.get(db)?.has(key)) return;
    let keys = this.readySet.get(db);
    if (!keys) this.readySet.set(db, (keys = new Set()));
    if (keys.has(key)) return;
    keys.add(key);
    this.ready.push([db, key]);
  }

  /**
   * scanDatabaseForReadyKeys: SWAPDB changes a database's contents without touching its keys one
   * by one, so every waited-on key that now holds a value is signalled (serveKey checks its type).
   */
  scanDatabaseForReadyKeys(db: Database): void {
    const byKey = this.waiting.get(db);
    if (!byKey) return;
    for (const key of byKey.keys()) if (db.peek(key) !== undefined) this.signalKeyAsReady(db, key);
  }

  handleClientsBlockedOnKeys(): void {
    while (this.ready.length !== 0) {
      const batch = this.ready;
      this.ready = [];
      for (const [db, key] of batch) {
        // Unmark first, so that serving can signal the key again (BLMOVE onto itself).
        const keys = this.readySet.get(db)!;
        keys.delete(key);
        if (keys.size === 0) this.readySet.delete(db);
        this.serveKey(db, key);
      }
    }
  }

  /** serveClientsBlockedOnListKey and friends: first blocked, first served, while the key lasts. */
  private serveKey(db: Database, key: BinaryString): void {
    const clients = this.waiting.get(db)?.get(key);
    if (!clients) return;
    const propagation = this.server.propagation;
    for (const blocked of [...clients]) {
      const value = db.peekLive(key);
      if (value === undefined || typeof value === 'string') return;
      if (blocked.request.type !== value.type || this.byClient.get(blocked.client) !== blocked) continue;
      if (blocked.client.socket?.destroyed) {
        this.unblock(blocked);
        continue;
      }
      const frame = propagation.begin();
      let keepWaiting = false;
      const startedAt = performance.now();
      const errorsBefore = this.server.stats.errorReplies;
      try {
        keepWaiting = blocked.request.serve!(key) === false;
      } catch (err) {
        // As in call(): a bug in serving one client must not take the node down.
        this.server.logger.warning(`Error serving a blocked client: ${(err as Error).stack ?? err}`);
        blocked.client.reply.error(`ERR internal error serving a blocked client: ${(err as Error).message}`);
      } finally {
        propagation.end(frame, db.id, [], 0);
        if (!keepWaiting) {
          this.statsOnUnblock(blocked.client, (performance.now() - startedAt) * 1000, this.server.stats.errorReplies > errorsBefore);
          this.unblock(blocked);
        }
      }
    }
  }

  /**
   * blocked.c updateStatsOnUnblock (7.0), for a client served on a key: its command's time grows
   * by the call that blocked plus the serving (7.0 counts that call's time twice, and so do we),
   * which is also the latency histogram's sample and the slow log's duration.
   */
  private statsOnUnblock(client: Client, replyUsec: number, hadErrors: boolean): void {
    const call = client.blockedCall;
    if (call === null) return;
    client.blockedCall = null;
    const server = this.server;
    const total = call.usec + replyUsec;
    call.command.stats.usec += total;
    if (hadErrors) call.command.stats.failedCalls++;
    if (server.latencyTracking) (call.command.histogram ??= new LatencyHistogram()).record(Math.floor(total) * 1000);
    if (total >= server.slowlog.thresholdUs) server.slowlog.consider(client, call.command, call.argv, total);
    if (server.latency.thresholdMs !== 0) server.latency.addSampleIfNeeded('command-unblocking', replyUsec / 1000);
  }

  /** replyToBlockedClientTimedOut: every key-blocked command answers a null array. */
  private replyTimedOut(blocked: BlockedClient): void {
    if (blocked.request.timedOut) blocked.request.timedOut();
    else blocked.client.reply.nullArray();
  }

  /** unblockClient, for the owner of a wait that is not on keys. */
  end(client: Client): void {
    const blocked = this.byClient.get(client);
    if (blocked) this.unblock(blocked);
  }

  private armTimer(blocked: BlockedClient): void {
    const wait = blocked.request.deadline - Date.now();
    blocked.timer = setTimeout(
      () => {
        if (Date.now() < blocked.request.deadline) {
          this.armTimer(blocked);
          return;
        }
        this.replyTimedOut(blocked);
        this.unblock(blocked);
      },
      Math.min(Math.max(wait, 0), MAX_TIMER_MS),
    );
  }
}

// --- API for blocking commands -------------------------------------------------------------------

/** Makes `client` wait (blockForKeys). The command replies nothing now; serve() or the deadline will. */
export function blockForKeys(client: Client, request: BlockRequest): void {
  client.server.blocked.block(client, request);
}

/**
 * blockClient for a wait that is not on keys (BLOCKED_WAIT): the client runs no further commands
 * until its owner, having replied, calls unblockClient(), or until the deadline's timedOut() reply.
 */
export function blockClient(client: Client, wait: BlockingWait): void {
  client.server.blocked.block(client, { ...wait, keys: [] });
}

/** unblockClient: ends the wait of a client blocked with blockClient(); its commands resume. */
export function unblockClient(client: Client): void {
  client.server.blocked.end(client);
}

/**
 * CLIENT_DENY_BLOCKING: the command must answer as a timeout instead of blocking (inside EXEC,
 * and for clients nobody could wake: the master link, the AOF loader).
 */
export function blockingDenied(client: Client): boolean {
  return client.denyBlocking || client.isMaster || client.socket === null;
}

// --- API for the rest of the server ------------------------------------------------------------

/** Whether `client` is waiting; its connection must not run its further commands meanwhile. */
export function isBlocked(client: Client): boolean {
  return client.server.blocked.isBlocked(client);
}

/**
 * For the connection, when it stops because the client blocked: `resume` runs the commands the
 * client sends meanwhile, once the wait is over.
 */
export function resumeWhenUnblocked(client: Client, resume: () => void): void {
  client.server.blocked.setResumer(client, resume);
}

/** Serves the clients waiting on keys that commands made ready; the executor calls it after each command. */
export function handleClientsBlockedOnKeys(server: Server): void {
  server.blocked.handleClientsBlockedOnKeys();
}

/** CLIENT UNBLOCK <id> [TIMEOUT|ERROR]: false when the client is not blocked. */
export function unblockByRequest(client: Client, how: 'timeout' | 'error'): boolean {
  return client.server.blocked.unblockByRequest(client, how);
}

/** SWAPDB: the clients waiting on keys of `db` that hold values after the swap are served next. */
export function scanDatabaseForReadyKeys(server: Server, db: Database): void {
  server.blocked.scanDatabaseForReadyKeys(db);
}

/** REPLICAOF host port: the waiting clients get -UNBLOCKED and are disconnected, as in Redis. */
export function disconnectAllBlockedClients(server: Server): void {
  server.blocked.disconnectAll();
}

/** INFO clients blocked_clients. */
export function blockedClientCount(server: Server): number {
  return server.blocked.count;
}
