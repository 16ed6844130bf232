// What the sorted-set commands share besides aggregate-access.ts: the encoding limits, committing
// a change with its "del" event, keyspace notifications, and the reply shapes of scored members.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import type { ListpackLimits, SortedSet, ZSetEntry } from '../keyspace/types/zset.js';
import { commitWrite } from './aggregate-access.js';

/** The encoding limits currently configured. */
export function listpackLimits(client: Client): ListpackLimits {
  const config = client.server.config;
  return {
    maxEntries: config.int('zset-max-listpack-entries'),
    maxValueLength: config.int('zset-max-listpack-value'),
  };
}

/**
 * Records a write of `changes` (what Redis adds to server.dirty) to `zset` at `key`: stores it
 * when new (`existed` false), deletes the key when the write emptied the set, reporting "del".
 */
export function commitZSet(client: Client, key: BinaryString, zset: SortedSet, existed: boolean, changes: number): void {
  if (commitWrite(client.db, key, zset, existed, changes)) notify(client, 'g', 'del', key);
}

export function notify(client: Client, eventClass: 'z' | 'g', event: string, key: BinaryString): void {
  client.server.keyspaceEvents.notify(eventClass, event, key, client.db.id);
}

/**
 * A list of members, with their scores when asked: a flat array (member, score, ...) in RESP2,
 * an array of pairs in RESP3 (ZRANGE WITHSCORES and the commands replying like it).
 */
export function replyEntries(client: Client, entries: readonly ZSetEntry[], withScores: boolean): void {
  const reply = client.reply;
  if (!withScores) {
    reply.arrayHeader(entries.length);
    for (const e of entries) reply.bulk(e.member);
    return;
  }
  const pairs = reply.protocol === 3;
  reply.arrayHeader(pairs ? entries.length : entries.length * 2);
  for (const e of entries) {
    if (pairs) reply.arrayHeader(2);
    reply.bulk(e.member);
    reply.double(e.score);
  }
}
