// Client-side caching (Redis's tracking.c): which clients may hold which keys in a local cache,
// and the invalidation messages they get when those keys change.
//
// Two modes, as in Redis:
//   - default: the keys a tracking client read (a readonly command's keys, see rememberKeys) are
//     remembered in one table for the whole server (not per database); a change to such a key
//     sends `invalidate [key]` to each client that read it, once, and forgets it;
//   - BCAST: the client names prefixes instead; every key changed under one of them is collected
//     during the event-loop turn and sent as one `invalidate [keys...]` per prefix at its end
//     (Redis does it in beforeSleep; here just before the turn's writes, see OutputScheduler).
// A flush (FLUSHALL, FLUSHDB, a loaded RDB) sends `invalidate null` to every tracking client.
//
// Where the message goes (sendTrackingMessage): a RESP3 client gets a push on its own connection;
// with REDIRECT <id> the message goes to that client instead, as a push if it speaks RESP3, or as
// a pub/sub message of the `__redis__:invalidate` channel if it is a RESP2 subscriber. A message
// for the client whose command is running waits until its reply is written (Redis 7.0's
// tracking_pending_keys), so it never lands inside the reply.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from './client.js';
import type { Server } from './server.js';

/** A client's tracking options (CLIENT TRACKING ON ...). */
export interface TrackingState {
  /** The client id messages go to; 0 for the client itself. */
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** CLIENT CACHING YES/NO given for the next command (CLIENT_TRACKING_CACHING). */
  caching: boolean;
  /** The redirect target went away (CLIENT_TRACKING_BROKEN_REDIR). */
  brokenRedirect: boolean;
  /** BCAST prefixes, in the order given (TRACKINGINFO sorts them as Redis's rax does). */
  prefixes: Set<BinaryString>;
}

/** What CLIENT TRACKING ON asks for. */
export interface TrackingOptions {
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  prefixes: BinaryString[];
}

/** A BCAST prefix: its subscribers, and the keys changed under it this turn with who changed them. */
interface PrefixState {
  clients: Set<Client>;
  keys: Map<BinaryString, Client | null>;
}

/** The channel a RESP2 redirect target subscribes to. */
export const INVALIDATE_CHANNEL = '__redis__:invalidate';

/** A message waiting for the current command's reply: a key, or null for a flush. */
type Pending = BinaryString | null;

export class Tracking {
  /** Clients with tracking on (INFO tracking_clients). */
  clientCount = 0;
  /** Key -> ids of the clients that may cache it (Redis's TrackingTable). */
  private readonly table = new Map<BinaryString, Set<number>>();
  /** Ids stored across the table (INFO tracking_total_items). */
  private items = 0;
  private readonly prefixTable = new Map<BinaryString, PrefixState>();
  /** Redis's current_client: the client whose command is running, set by the executor. */
  current: Client | null = null;
  /** Set while `current`'s command runs (CLIENT_EXECUTING_COMMAND): its messages wait for the reply. */
  executing = false;
  /** Messages for `current`, sent after its reply. */
  private pending: Pending[] = [];
  /** Rounds trackingLimitUsedSlots ended still over the limit (more effort each time). */
  private limitRounds = 0;

  constructor(private readonly server: Server) {
    server.keyspace.addObserver({ afterChange: (_db, key) => this.keyModified(key) });
    server.keyspace.onFlushed = () => this.invalidateAllOnFlush();
    server.clientCloseHooks.push((client) => this.disable(client));
    server.output.beforeWrites = () => this.broadcastInvalidations();
  }

  get totalKeys(): number {
    return this.table.size;
  }

  get totalItems(): number {
    return this.items;
  }

  get totalPrefixes(): number {
    return this.prefixTable.size;
  }

  /** checkPrefixCollisionsOrReply: the error for prefixes that overlap each other or the client's own, or null. */
  prefixCollision(client: Client, prefixes: BinaryString[]): string | null {
    const overlap = (a: BinaryString, b: BinaryString) => a.startsWith(b) || b.startsWith(a);
    for (let i = 0; i < prefixes.length; i++) {
      const p = prefixes[i]!;
      for (const existing of sortedBytes([...(client.tracking?.prefixes ?? [])])) {
        if (overlap(p, existing)) {
          return `ERR Prefix '${p}' overlaps with an existing prefix '${existing}'. Prefixes for a single client must not overlap.`;
        }
      }
      for (let j = i + 1; j < prefixes.length; j++) {
        if (overlap(p, prefixes[j]!)) {
          return `ERR Prefix '${p}' overlaps with another provided prefix '${prefixes[j]!}'. Prefixes for a single client must not overlap.`;
        }
      }
    }
    return null;
  }

  /** enableTracking: turns tracking on (or changes its options) for `client`. */
  enable(client: Client, options: TrackingOptions): void {
    let state = client.tracking;
    if (state === null) {
      this.clientCount++;
      state = client.tracking = {
        redirect: 0,
        bcast: false,
        optin: false,
        optout: false,
        noloop: false,
        caching: false,
        brokenRedirect: false,
        prefixes: new Set(),
      };
    }
    state.brokenRedirect = state.bcast = state.optin = state.optout = state.noloop = false;
    state.redirect = options.redirect;
    if (options.bcast) {
      state.bcast = true;
      for (const prefix of options.prefixes.length === 0 ? [''] : options.prefixes) this.subscribePrefix(client, state, prefix);
    }
    state.optin = options.optin;
    state.optout = options.optout;
    state.noloop = options.noloop;
  }

  /** disableTracking: CLIENT TRACKING OFF, or the client went away. Its ids in the table go lazily. */
  disable(client: Client): void {
    const state = client.tracking;
    if (state === null) return;
    for (const prefix of state.prefixes) {
      const bs = this.prefixTable.get(prefix);
      if (!bs) continue;
      bs.clients.delete(client);
      if (bs.clients.size === 0) this.prefixTable.delete(prefix);
    }
    client.tracking = null;
    this.clientCount--;
  }

  private subscribePrefix(client: Client, state: TrackingState, prefix: BinaryString): void {
    let bs = this.prefixTable.get(prefix);
    if (!bs) this.prefixTable.set(prefix, (bs = { clients: new Set(), keys: new Map() }));
    bs.clients.add(client);
    state.prefixes.add(prefix);
  }

  /**
   * trackingRememberKeys: after a readonly command of a tracking client (not in BCAST mode), the
   * keys it named may now be in its cache. OPTIN remembers only after CLIENT CACHING YES, OPTOUT
   * all but after CLIENT CACHING NO.
   */
  rememberKeys(client: Client, keys: readonly BinaryString[]): void {
    const state = client.tracking!;
    if ((state.optin && !state.caching) || (state.optout && state.caching)) return;
    for (const key of keys) {
      let ids = this.table.get(key);
      if (!ids) this.table.set(key, (ids = new Set()));
      if (!ids.has(client.id)) {
        ids.add(client.id);
        this.items++;
      }
    }
  }

  /** resetClient: CLIENT CACHING covers the next command (or transaction), then lapses. */
  afterCommand(client: Client, commandName: string): void {
    const state = client.tracking;
    if (state !== null && state.caching && client.multi === null && !commandName.startsWith('client')) state.caching = false;
    if (this.pending.length !== 0 && !this.server.transactions.executing) this.sendPending();
  }

  /** signalModifiedKey's trackingInvalidateKey(c, key, bcast 1). */
  private keyModified(key: BinaryString): void {
    if (this.clientCount === 0 && this.table.size === 0) return;
    this.invalidateKey(key, true);
  }

  /**
   * trackingInvalidateKey: tells every client that read `key` that it changed, and forgets them;
   * with `bcast`, also queues it for the BCAST prefixes it falls under.
   */
  private invalidateKey(key: BinaryString, bcast: boolean): void {
    if (bcast && this.prefixTable.size !== 0) this.rememberKeyToBroadcast(key);
    const ids = this.table.get(key);
    if (!ids) return;
    for (const id of ids) {
      const target = this.server.clients.get(id);
      const state = target?.tracking;
      if (!target || !state || state.bcast) continue;
      if (state.noloop && target === this.current) continue;
      if (target === this.current && this.executing) this.pending.push(key);
      else this.send(target, { key });
    }
    this.items -= ids.size;
    this.table.delete(key);
  }

  private rememberKeyToBroadcast(key: BinaryString): void {
    let scheduled = false;
    for (const [prefix, bs] of this.prefixTable) {
      if (!key.startsWith(prefix)) continue;
      bs.keys.set(key, this.current);
      scheduled = true;
    }
    if (scheduled) this.server.output.inputHandled();
  }

  /** trackingBroadcastInvalidationMessages: the turn's changed keys to the BCAST subscribers. */
  private broadcastInvalidations(): void {
    if (this.clientCount === 0) return;
    for (const prefix of sortedBytes([...this.prefixTable.keys()])) {
      const bs = this.prefixTable.get(prefix)!;
      if (bs.keys.size === 0) continue;
      const keys = sortedBytes([...bs.keys.keys()]);
      for (const client of bs.clients) {
        // NOLOOP: not the keys this client changed itself.
        const own = client.tracking?.noloop ? keys.filter((k) => bs.keys.get(k) !== client) : keys;
        if (own.length !== 0) this.send(client, { keys: own });
      }
      bs.keys.clear();
    }
  }

  /** trackingInvalidateKeysOnFlush: every tracking client is told that all keys changed. */
  private invalidateAllOnFlush(): void {
    if (this.clientCount !== 0) {
      for (const client of this.server.clients.values()) {
        if (client.tracking === null) continue;
        if (client === this.current && this.executing) this.pending.push(null);
        else this.send(client, { flush: true });
      }
    }
    this.table.clear();
    this.items = 0;
  }

  /** trackingHandlePendingKeyInvalidations: after the current command's reply. */
  private sendPending(): void {
    const pending = this.pending;
    this.pending = [];
    const client = this.current;
    if (client === null || client.tracking === null) return;
    for (const key of pending) this.send(client, key === null ? { flush: true } : { key });
  }

  /**
   * trackingLimitUsedSlots (before each command): over `tracking-table-max-keys`, random keys are
   * invalidated as if they changed, with more effort each time the last round did not suffice.
   */
  limitUsedSlots(): void {
    const max = this.server.config.int('tracking-table-max-keys');
    if (max === 0 || this.table.size <= max) {
      this.limitRounds = 0;
      return;
    }
    let effort = 100 * (this.limitRounds + 1);
    while (effort-- > 0 && this.table.size > 0) {
      // A random walk in Redis; any key will do, so take one from a random position.
      const skip = Math.floor(Math.random() * Math.min(this.table.size, 64));
      const iterator = this.table.keys();
      for (let i = 0; i < skip; i++) iterator.next();
      this.invalidateKey(iterator.next().value!, false);
      if (this.table.size <= max) {
        this.limitRounds = 0;
        return;
      }
    }
    this.limitRounds++;
  }

  /** sendTrackingMessage: one invalidation, to the client or to its redirect target. */
  private send(client: Client, message: { key?: BinaryString; keys?: BinaryString[]; flush?: boolean }): void {
    const state = client.tracking!;
    let target = client;
    if (state.redirect !== 0) {
      const redirected = this.server.clients.get(state.redirect);
      if (!redirected) {
        state.brokenRedirect = true;
        // The client must learn that its invalidations have nowhere to go.
        if (client.reply.protocol === 3) {
          client.push(() => {
            client.reply.pushHeader(2);
            client.reply.bulk('tracking-redir-broken');
            client.reply.integer(state.redirect);
          });
          client.scheduleFlush();
        }
        return;
      }
      target = redirected;
    }
    const reply = target.reply;
    if (reply.protocol === 3) {
      target.push(() => {
        reply.pushHeader(2);
        reply.bulk('invalidate');
        writeKeys(client, target, message);
      });
    } else if (target !== client && target.inPubSubContext) {
      target.push(() => {
        reply.pushHeader(3);
        reply.bulk('message');
        reply.bulk(INVALIDATE_CHANNEL);
        writeKeys(client, target, message);
      });
    } else {
      // RESP2 has no pushes on the client's own connection.
      return;
    }
    target.scheduleFlush();
    this.server.limits.checkOutputBuffer(target);
  }
}

/**
 * The message's value: the keys as an array, or for a flush the null of the *tracking* client's
 * protocol (Redis writes shared.null[c->resp] of the client that enabled tracking).
 */
function writeKeys(client: Client, target: Client, message: { key?: BinaryString; keys?: BinaryString[]; flush?: boolean }): void {
  const reply = target.reply;
  if (message.flush) {
    reply.encoded(Buffer.from(client.reply.protocol === 3 ? '_\r\n' : '$-1\r\n', 'latin1'));
  } else if (message.keys) {
    reply.bulkArray(message.keys);
  } else {
    reply.arrayHeader(1);
    reply.bulk(message.key!);
  }
}

/** Keys in Redis's rax order: bytewise, which for latin1 strings is code-unit order. */
function sortedBytes(keys: BinaryString[]): BinaryString[] {
  return keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
