// The replication stream view: what a master sends down one link (the handshake's replies, the
// RDB payload of a full sync, then PING, REPLCONF GETACK, SELECT, MULTI/EXEC and the writes), each
// with the replication offset after it, and what the replica sends back (REPLCONF ACK <offset>).
// It is read at the lab's relay of the link (a passive tap: every byte still reaches the other side
// unchanged), so only a link made in the lab can be watched. The host reads the stream only while a
// view watches: streamWatch is a lease the view renews; entries come as `stream` pushes.
import { nodeId, type ParamChecks } from './param-checks.js';

/** How long a streamWatch lasts unless renewed; a view renews it every STREAM_RENEW_MS. */
export const STREAM_LEASE_MS = 8000;
export const STREAM_RENEW_MS = 2500;

export type StreamDirection = 'to-replica' | 'to-master';

export type StreamEntryKind =
  /** A command (to the replica: the stream; to the master: the handshake, PSYNC, REPLCONF ACK). */
  | 'command'
  /** A reply line of the master during the handshake: +PONG, +OK, +FULLRESYNC <replid> <offset>, +CONTINUE. */
  | 'reply'
  /** A full sync's RDB payload, as one line. */
  | 'rdb'
  /** Bytes passed unread: the view started mid-stream, or fell behind and skipped to keep up. */
  | 'skipped';

export interface StreamEntry {
  /** Increasing for one link's stream, across connections. */
  seq: number;
  /** When the relay read it, ms since the epoch. */
  at: number;
  /** Which connection through the relay (a reconnect is a new one, with a new handshake). */
  connection: number;
  direction: StreamDirection;
  kind: StreamEntryKind;
  /** The command's name in capitals (SET, REPLCONF), `+FULLRESYNC`, `RDB`, or `skipped`: what the filter matches. */
  name: string;
  /** The line shown: arguments quoted as MONITOR quotes them (long ones cut), or the reply, or what was skipped. */
  text: string;
  /** The entry's size in the stream, in bytes (a command's whole RESP encoding). */
  bytes: number;
  /**
   * To the replica: the master's master_repl_offset after this entry (for +FULLRESYNC the offset it
   * announced; for +CONTINUE the replica's PSYNC offset - 1, where the stream resumes), null while
   * the link has not said where it starts. To the master: the offset a REPLCONF ACK acknowledges.
   */
  offset: number | null;
}

export interface StreamWatchStatus {
  replicaId: string;
  /** The link runs through the lab's relay, so it is being watched; false for a direct link. */
  watching: boolean;
  /** The relay's port and the master behind it, when watching. */
  relayPort: number | null;
  masterId: string | null;
  /** Why the link cannot be watched, for people (a direct link, not a replica, not running). */
  reason: string | null;
}

export interface StreamViewApi {
  /** Starts (or renews, for STREAM_LEASE_MS) watching the replica's link; entries follow as `stream` pushes. */
  streamWatch(replicaId: string): Promise<StreamWatchStatus>;
  /** Stops watching now (the view closed); the relay stops reading the stream. */
  streamUnwatch(replicaId: string): Promise<void>;
}

/** Entries of a watched link since the last push (pushed at most every few hundred ms). */
export type StreamPush = { type: 'stream'; replicaId: string; entries: StreamEntry[] };

export const STREAM_VIEW_PARAM_CHECKS = {
  streamWatch: (params) => [nodeId(params[0])],
  streamUnwatch: (params) => [nodeId(params[0])],
} satisfies ParamChecks<StreamViewApi>;
