// Publish/subscribe (Redis's pubsub.c): who is subscribed to which channel or pattern, and the
// delivery of messages. Subscribers are kept in subscription order, the order Redis delivers in.
// A message is written to each subscriber's reply buffer and flushed once the current event is
// over; the output buffer limits (core/limits.ts) drop a subscriber that stops reading.
//
// Keyspace notifications are published here too (core/keyspace-events.ts).
import type { BinaryString } from '../protocol/request-parser.js';
import { compileGlob, globMatch, type GlobMatcher } from '../util/glob.js';
import type { Client } from './client.js';

/**
 * What a client subscribes to: a channel, a pattern, or a shard channel (Redis 7.0's sharded
 * pub/sub: SSUBSCRIBE / SPUBLISH, a namespace of its own, which in cluster mode stays within the
 * key's shard and on a single node is simply a second set of channels).
 */
export type SubscriptionKind = 'channel' | 'pattern' | 'shard';

/** The push message kinds, as RESP replies name them. */
const NAMES = {
  channel: { subscribe: 'subscribe', unsubscribe: 'unsubscribe' },
  pattern: { subscribe: 'psubscribe', unsubscribe: 'punsubscribe' },
  shard: { subscribe: 'ssubscribe', unsubscribe: 'sunsubscribe' },
} as const;

export class PubSub {
  private readonly channels = new Map<BinaryString, Set<Client>>();
  private readonly patterns = new Map<BinaryString, Set<Client>>();
  private readonly shardChannels = new Map<BinaryString, Set<Client>>();
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

  /** INFO stats pubsubshard_channels. */
  get shardChannelCount(): number {
    return this.shardChannels.size;
  }

  private registry(kind: SubscriptionKind): Map<BinaryString, Set<Client>> {
    return kind === 'channel' ? this.channels : kind === 'pattern' ? this.patterns : this.shardChannels;
  }

  /** SUBSCRIBE / PSUBSCRIBE of one name: pubsubSubscribeChannel / pubsubSubscribePattern. */
  subscribe(client: Client, kind: SubscriptionKind, name: BinaryString): void {
    const own = client.subscriptions(kind);
    if (!own.has(name)) {
      own.add(name);
      const registry = this.registry(kind);
      let subscribers = registry.get(name);
      if (!subscribers) registry.set(name, (subscribers = new Set()));
      subscribers.add(client);
      if (kind === 'pattern') this.patternList = null;
    }
    this.confirm(client, NAMES[kind].subscribe, name, kind);
  }

  /** UNSUBSCRIBE / PUNSUBSCRIBE of one name (confirmed even when it was not subscribed). */
  unsubscribe(client: Client, kind: SubscriptionKind, name: BinaryString, notify = true): void {
    const own = client.subscriptions(kind);
    if (own.delete(name)) {
      const registry = this.registry(kind);
      const subscribers = registry.get(name)!;
      subscribers.delete(client);
      if (subscribers.size === 0) registry.delete(name);
      if (kind === 'pattern') this.patternList = null;
    }
    if (notify) this.confirm(client, NAMES[kind].unsubscribe, name, kind);
  }

  /**
   * UNSUBSCRIBE / PUNSUBSCRIBE without arguments: every subscription of that kind, or one reply
   * with a null name when there is none (pubsubUnsubscribeAllChannels).
   */
  unsubscribeAll(client: Client, kind: SubscriptionKind, notify = true): void {
    const own = client.subscriptions(kind);
    if (own.size === 0) {
      if (notify) this.confirm(client, NAMES[kind].unsubscribe, null, kind);
      return;
    }
    for (const name of [...own]) this.unsubscribe(client, kind, name, notify);
  }

  /** A client went away or was RESET: drop its subscriptions silently. */
  forget(client: Client): void {
    this.unsubscribeAll(client, 'channel', false);
    this.unsubscribeAll(client, 'pattern', false);
    this.unsubscribeAll(client, 'shard', false);
  }

  /** SPUBLISH: delivers ["smessage", channel, message] to the shard channel's subscribers. */
  publishShard(channel: BinaryString, message: BinaryString): number {
    const subscribers = this.shardChannels.get(channel);
    if (!subscribers) return 0;
    for (const client of subscribers) {
      client.reply.pushHeader(3);
      client.reply.bulk('smessage');
      client.reply.bulk(channel);
      client.reply.bulk(message);
      this.delivered(client);
    }
    return subscribers.size;
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

  /** PUBSUB CHANNELS / SHARDCHANNELS [pattern]: channels with at least one subscriber. */
  activeChannels(pattern: BinaryString | undefined, kind: 'channel' | 'shard' = 'channel'): BinaryString[] {
    const names = [...this.registry(kind).keys()];
    return pattern === undefined ? names : names.filter((c) => globMatch(pattern, c));
  }

  /** PUBSUB NUMSUB / SHARDNUMSUB: subscribers of one channel. */
  subscriberCount(channel: BinaryString, kind: 'channel' | 'shard' = 'channel'): number {
    return this.registry(kind).get(channel)?.size ?? 0;
  }

  /**
   * addReplyPubsub(Un)Subscribed: [kind, name, subscriptions left], a push in RESP3. The count is
   * of channels and patterns, or of shard channels for the shard kind (clientShardSubscriptionsCount).
   */
  private confirm(client: Client, kind: string, name: BinaryString | null, of: SubscriptionKind): void {
    // A push in both protocols (CLIENT_PUSHING): it gets through CLIENT REPLY OFF.
    client.push(() => {
      client.reply.pushHeader(3);
      client.reply.bulk(kind);
      if (name === null) client.reply.null();
      else client.reply.bulk(name);
      client.reply.integer(of === 'shard' ? client.shardChannels.size : client.channels.size + client.patterns.size);
    });
  }

  /** A message written outside the subscriber's own command: flush it soon, and bound it. */
  private delivered(client: Client): void {
    client.scheduleFlush();
    client.server.limits.checkOutputBuffer(client);
  }
}
