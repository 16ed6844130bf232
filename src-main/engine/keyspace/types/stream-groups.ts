// Consumer groups of a stream (t_stream.c streamCreateCG, streamCreateConsumer, streamDelConsumer,
// the NACK bookkeeping, and 7.0's read counters: streamEstimateDistanceFromFirstEverEntry,
// streamRangeHasTombstones). The commands are in ../../commands/stream-groups.ts and
// stream-readgroup.ts.
import type { BinaryString } from '../../protocol/request-parser.js';
import {
  IdMap,
  MAX_ID,
  MIN_ID,
  compareIds,
  isZeroId,
  type ConsumerGroup,
  type PendingEntry,
  type StreamConsumer,
  type StreamId,
  type StreamValue,
} from './stream.js';

/** SCG_INVALID_ENTRIES_READ. */
export const INVALID_ENTRIES_READ = -1n;

/** streamCreateCG: null when a group of that name exists. */
export function createGroup(s: StreamValue, name: BinaryString, lastId: StreamId, entriesRead: bigint): ConsumerGroup | null {
  if (s.groups.has(name)) return null;
  const group: ConsumerGroup = { name, lastId, entriesRead, pending: new IdMap(), consumers: new Map() };
  s.groups.set(name, group);
  return group;
}

/** streamCreateConsumer: null when it exists. */
export function createConsumer(group: ConsumerGroup, name: BinaryString, now: number): StreamConsumer | null {
  if (group.consumers.has(name)) return null;
  const consumer: StreamConsumer = { name, seenTime: now, pending: new IdMap() };
  group.consumers.set(name, consumer);
  return consumer;
}

/** streamDelConsumer: its pending entries leave the group's PEL too. Returns how many it had. */
export function deleteConsumer(group: ConsumerGroup, consumer: StreamConsumer): number {
  const pending = consumer.pending.size;
  for (const nack of consumer.pending.values()) group.pending.delete(nack.id);
  group.consumers.delete(consumer.name);
  return pending;
}

/** Removes one NACK from both PELs. */
export function dropPending(group: ConsumerGroup, nack: PendingEntry): void {
  group.pending.delete(nack.id);
  nack.consumer.pending.delete(nack.id);
}

/** Moves `nack` to `consumer`'s PEL (a no-op when it is already there). */
export function assignPending(nack: PendingEntry, consumer: StreamConsumer): void {
  if (nack.consumer === consumer) return;
  nack.consumer.pending.delete(nack.id);
  nack.consumer = consumer;
  consumer.pending.set(nack);
}

/** Consumers in the rax's byte order (how Redis lists them). */
export function consumersInOrder(group: ConsumerGroup): StreamConsumer[] {
  return [...group.consumers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function groupsInOrder(s: StreamValue): ConsumerGroup[] {
  return [...s.groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** streamRangeHasTombstones: whether max_deleted_entry_id lies within [start, end]. */
export function rangeHasTombstones(s: StreamValue, start: StreamId | null, end: StreamId | null): boolean {
  if (!s.length || isZeroId(s.maxDeletedEntryId)) return false;
  // The latest tombstone is before the first entry: none is left in the stream.
  if (compareIds(s.firstId, s.maxDeletedEntryId) > 0) return false;
  return compareIds(start ?? MIN_ID, s.maxDeletedEntryId) <= 0 && compareIds(s.maxDeletedEntryId, end ?? MAX_ID) <= 0;
}

/** streamEstimateDistanceFromFirstEverEntry: the read counter of `id`, or -1 when unknown. */
export function estimateEntriesRead(s: StreamValue, id: StreamId): bigint {
  if (!s.entriesAdded) return 0n;
  if (!s.length && compareIds(id, s.lastId) < 1) return s.entriesAdded;
  const cmpLast = compareIds(id, s.lastId);
  if (cmpLast === 0) return s.entriesAdded;
  if (cmpLast > 0) return INVALID_ENTRIES_READ;
  const cmpFirst = compareIds(id, s.firstId);
  if (isZeroId(s.maxDeletedEntryId) || compareIds(s.maxDeletedEntryId, s.firstId) < 0) {
    if (cmpFirst < 0) return s.entriesAdded - BigInt(s.length);
    if (cmpFirst === 0) return s.entriesAdded - BigInt(s.length) + 1n;
  }
  return INVALID_ENTRIES_READ;
}

/** streamReplyWithCGLag's number: the group's lag, or null when it cannot be known. */
export function groupLag(s: StreamValue, group: ConsumerGroup): bigint | null {
  if (!s.entriesAdded) return 0n;
  if (group.entriesRead !== INVALID_ENTRIES_READ && !rangeHasTombstones(s, group.lastId, null)) {
    return s.entriesAdded - group.entriesRead;
  }
  const estimate = estimateEntriesRead(s, group.lastId);
  return estimate === INVALID_ENTRIES_READ ? null : s.entriesAdded - estimate;
}

/**
 * What delivering entry `id` to a group does to its counters (streamReplyWithRange): a valid
 * counter with no tombstone ahead counts one more read, otherwise it is estimated again.
 */
export function advanceGroup(s: StreamValue, group: ConsumerGroup, id: StreamId): boolean {
  if (compareIds(id, group.lastId) <= 0) return false;
  if (group.entriesRead !== INVALID_ENTRIES_READ && !rangeHasTombstones(s, id, null)) group.entriesRead++;
  else if (s.entriesAdded) group.entriesRead = estimateEntriesRead(s, id);
  group.lastId = id;
  return true;
}
