// Publish/subscribe (Redis's pubsub.c): who is subscribed to which channel or pattern, and the
// delivery of messages. Subscribers are kept in subscription order, the order Redis delivers in.
// A message is written to each subscriber's reply buffer and flushed once the current event is
// over; the output buffer limits (core/limits.ts) drop a subscriber that stops reading.
//
// Keyspace notifications are published here too (core/keyspace-events.ts).
import type { BinaryString } from '../protocol/request-parser.js';
import { compileGlob, globMatch, type GlobMatcher } from '../util/glob.js';
import type { Client } from './client.js';

export type SubscriptionKind = 'channel' | 'pattern';

/** The push message kinds, as RESP replies name them. */
const NAMES = {
  channel: { subscribe: 'subscribe', unsubscribe: 'unsubscribe' },
  pattern: { subscribe: 'psubscribe', unsubscribe: 'punsubscribe' },
} as const;

export class PubSub {
  private readonly channels = new Map<BinaryString, Set<Client>>();
  private readonly patterns = new Map<BinaryString, Set<Client>>();
  /**
   * `patterns` as arrays, for publish: every keyspace notification is a publish, so on a node with
   * notifications on, this runs for every write, and walking the Map and Sets with iterators
   * allocated on each one. Rebuilt after a pattern subscription changes.
   */
  private patternList: Array<{ pattern: BinaryString; matches: GlobMatcher; clients: Client[] }> | null = null;

  /** INFO stats pubsub_channels. */
  get channelCount(): number {
    return this.channels.size;
  }

  /** INFO stats pubsub_patterns, PUBSUB NUMPAT. */
  get patternCount(): number {
    return this.patterns.size;
  }

  /** SUBSCRIBE / PSUBSCRIBE of one name: pubsubSubscribeChannel / pubsubSubscribePattern. */
  subscribe(client: Client, kind: SubscriptionKind, name: BinaryString): void {
    const own = kind === 'channel' ? client.channels : client.patterns;
    if (!own.has(name)) {
      own.add(name);
      const registry = kind === 'channel' ? this.channels : this.patterns;
      let subscribers = registry.get(name);
      if (!subscribers) registry.set(name, (subscribers = new Set()));
      subscribers.add(client);
      if (kind === 'pattern') this.patternList = null;
    }
    this.confirm(client, NAMES[kind].subscribe, name);
  }

  /** UNSUBSCRIBE / PUNSUBSCRIBE of one name (confirmed even when it was not subscribed). */
  unsubscribe(client: Client, kind: SubscriptionKind, name: BinaryString, notify = true): void {
    const own = kind === 'channel' ? client.channels : client.patterns;
    if (own.delete(name)) {
      const registry = kind === 'channel' ? this.channels : this.patterns;
      const subscribers = registry.get(name)!;
      subscribers.delete(client);
      if (subscribers.size === 0) registry.delete(name);
      if (kind === 'pattern') this.patternList = null;
    }
    if (notify) this.confirm(client, NAMES[kind].unsubscribe, name);
  }

  /**
   * UNSUBSCRIBE / PUNSUBSCRIBE without arguments: every subscription of that kind, or one reply
   * with a null name when there is none (pubsubUnsubscribeAllChannels).
   */
  unsubscribeAll(client: Client, kind: SubscriptionKind, notify = true): void {
    const own = kind === 'channel' ? client.channels : client.patterns;
    if (own.size === 0) {
      if (notify) this.confirm(client, NAMES[kind].unsubscribe, null);
      return;
    }
    for (const name of [...own]) this.unsubscribe(client, kind, name, notify);
  }

  /** A client went away or was RESET: drop its subscriptions silently. */
  forget(client: Client): void {
    this.unsubscribeAll(client, 'channel', false);
    this.unsubscribeAll(client, 'pattern', false);
  }

  /**
   * PUBLISH: delivers to channel then pattern subscribers; returns how many received it. The
   * channel is `channelHead + channelTail`: keyspace notifications pass their `__keyspace@<db>__:`
   * prefix and the key apart, and the channel name is only joined if a channel subscriber needs
   * looking up (matching and writing take the two parts).
   */
  publish(channelHead: string, channelTail: BinaryString, message: BinaryString): number {
    let receivers = 0;
    const direct = this.channels.size === 0 ? undefined : this.channels.get(channelHead === '' ? channelTail : channelHead + channelTail);
    if (direct) {
      for (const client of direct) {
        client.reply.pushHeader(3);
        client.reply.bulk('message');
        client.reply.bulkJoined(channelHead, channelTail);
        client.reply.bulk(message);
        this.delivered(client);
        receivers++;
      }
    }
    if (this.patterns.size === 0) return receivers;
    this.patternList ??= [...this.patterns].map(([pattern, clients]) => ({
      pattern,
      matches: compileGlob(pattern),
      clients: [...clients],
    }));
    // A subscriber that a delivery closes (output buffer limit) stays in this list until the end
    // of the loop; its socket is gone, so what it is given is dropped.
    for (const { pattern, matches, clients } of this.patternList) {
      if (!matches(channelHead, channelTail)) continue;
      for (const client of clients) {
        client.reply.pushHeader(4);
        client.reply.bulk('pmessage');
        client.reply.bulk(pattern);
        client.reply.bulkJoined(channelHead, channelTail);
        client.reply.bulk(message);
        this.delivered(client);
        receivers++;
      }
    }
    return receivers;
  }

  /** PUBSUB CHANNELS [pattern]: channels with at least one subscriber. */
  activeChannels(pattern: BinaryString | undefined): BinaryString[] {
    const names = [...this.channels.keys()];
    return pattern === undefined ? names : names.filter((c) => globMatch(pattern, c));
  }

  /** PUBSUB NUMSUB: subscribers of one channel. */
  subscriberCount(channel: BinaryString): number {
    return this.channels.get(channel)?.size ?? 0;
  }

  /** addReplyPubsub(Un)Subscribed: [kind, name, subscriptions left], a push in RESP3. */
  private confirm(client: Client, kind: string, name: BinaryString | null): void {
    // A push in both protocols (CLIENT_PUSHING): it gets through CLIENT REPLY OFF.
    client.push(() => {
      client.reply.pushHeader(3);
      client.reply.bulk(kind);
      if (name === null) client.reply.null();
      else client.reply.bulk(name);
      client.reply.integer(client.channels.size + client.patterns.size);
    });
  }

  /** A message written outside the subscriber's own command: flush it soon, and bound it. */
  private delivered(client: Client): void {
    client.scheduleFlush();
    client.server.limits.checkOutputBuffer(client);
  }
}
