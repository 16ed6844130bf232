// Moving a full-sync RDB from master to replicas, in the two framings of the protocol:
//
//   disk      the snapshot is saved to the node's RDB file first (`dbfilename` in `dir`, as
//             Redis's BGSAVE for SYNC does), then sent from the file as a bulk whose length is
//             known: `$<len>\r\n<len bytes>` (no trailing CRLF).
//   diskless  (repl-diskless-sync, replicas with `capa eof`) the snapshot goes straight to the
//             sockets while it is produced, so its length is unknown upfront: the bulk is
//             `$EOF:<40 random chars>\r\n<rdb><the same 40 chars>`.
//
// Both use the persistence layer's point-in-time snapshot, which runs in slices while the node
// keeps serving: the moment it starts is the moment the replicas' buffered stream starts from.
import { createReadStream, fstatSync, openSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Server } from '../core/server.js';
import { writeSnapshot, type ReplicationAux, type SnapshotSink } from '../persistence/rdb/snapshot.js';
import { TempFile } from '../persistence/durable-file.js';
import type { AttachedReplica } from './attached-replica.js';
import { RdbWriter, standardAuxFields } from '../persistence/rdb/rdb-writer.js';
import { REDIS_VERSION } from '../util/version.js';
import { randomReplicationId } from './replication-ids.js';
import { usedMemory } from '../keyspace/used-memory.js';

/**
 * Saves the snapshot to the node's RDB file (through a temp file, renamed when complete). As for
 * BGSAVE, chunks are written and fsynced in the thread pool: with a large dataset, synchronous
 * writes and the final fsync would stall every client (Redis does this in its fork child).
 */
export async function saveRdbForReplication(server: Server, aux: ReplicationAux, signal: AbortSignal): Promise<string> {
  const path = server.config.path(server.config.str('dbfilename'));
  // Not BGSAVE's temp name: without fork both saves are this process, and a user's BGSAVE may run
  // while a replica's sync saves (Redis would share one child); each writes its own temp file and
  // renames a complete snapshot over the dump.
  const temp = new TempFile(server.config.path(`temp-repl-${process.pid}.rdb`));
  try {
    await writeSnapshot(server, (chunk) => temp.writeInBackground(chunk), { replication: aux, signal });
    await temp.commit(path);
  } catch (err) {
    temp.discard();
    throw err;
  }
  return path;
}

/**
 * sendBulkToSlave: `$<len>\r\n` then the file's bytes, read 64 KB at a time in the thread pool
 * and written at the pace the replica reads them: when the socket cannot take a chunk, reading
 * pauses until 'drain'. So a slow or stopped replica neither blocks the event loop nor makes
 * the master hold the file in memory. Resolves when everything was handed to the socket; false
 * if the replica went away first.
 */
export function sendRdbFile(replica: AttachedReplica, path: string): Promise<boolean> {
  // Open now: a later sync may replace the file while this one is still being sent.
  const fd = openSync(path, 'r');
  replica.write(`$${fstatSync(fd).size}\r\n`);
  replica.flush(); // the file's chunks go to the socket directly, after the header
  const stats = replica.client.server.stats;
  return new Promise((resolve) => {
    const socket = replica.socket;
    const file = createReadStream('', { fd, highWaterMark: 64 * 1024 });
    const onClose = () => {
      file.destroy();
      resolve(false);
    };
    socket.once('close', onClose);
    file.on('data', (chunk) => {
      stats.netOutputBytes += chunk.length;
      stats.netReplOutputBytes += chunk.length;
      if (!socket.write(chunk)) {
        file.pause();
        socket.once('drain', () => file.resume());
      }
    });
    file.once('end', () => {
      socket.off('close', onClose);
      resolve(!socket.destroyed);
    });
    file.once('error', (err) => {
      replica.client.server.logger.warning(`Read error sending DB to replica: ${err.message}`);
      socket.off('close', onClose);
      replica.close();
      resolve(false);
    });
  });
}

/**
 * rdbSaveToSlavesSockets: streams one snapshot to several replicas at once with EOF framing.
 * A replica that reads slowly holds the snapshot back (as Redis's child waits on its pipe);
 * when every replica is gone, the snapshot is abandoned.
 *
 * `stalls` is kept up to date with each replica's repl_last_partial_write: since when (ms) bytes
 * handed to its socket are waiting for the kernel to take them. A replica that stopped reading
 * keeps its entry, and the master's cron drops it after repl-timeout — without that, one stuck
 * replica would hold the snapshot, and every other replica sharing it, forever.
 */
export async function streamRdbToReplicas(
  server: Server,
  replicas: AttachedReplica[],
  aux: ReplicationAux,
  options: { withoutData: boolean },
  stalls: Map<AttachedReplica, number>,
): Promise<void> {
  const mark = randomReplicationId();
  const abort = new AbortController();
  for (const replica of replicas) replica.write(`$EOF:${mark}\r\n`);
  const alive = () => replicas.filter((r) => !r.socket.destroyed);
  const sinks: SnapshotSink[] = replicas.map((replica) => (chunk) => {
    if (alive().length === 0) {
      server.logger.warning('Diskless rdb transfer, last replica dropped, killing fork child.');
      abort.abort(new Error('no replica left'));
      return;
    }
    replica.write(chunk);
    replica.flush(); // to the socket now, so that its buffer state says whether it keeps up
    const socket = replica.socket;
    if (!socket.writableNeedDrain || socket.destroyed) return;
    stalls.set(replica, Date.now());
    return drained(socket).then(() => void stalls.delete(replica));
  });
  if (options.withoutData) writeRdbWithoutData(server, (chunk) => void sinks.forEach((sink) => sink(chunk)), aux);
  else await writeSnapshot(server, sinks, { replication: aux, signal: abort.signal });
  for (const replica of alive()) replica.write(mark);
}

/** An RDB with the header and aux fields only (REPLCONF rdb-filter-only). */
function writeRdbWithoutData(server: Server, sink: (chunk: Buffer) => void, aux: ReplicationAux): void {
  const writer = new RdbWriter(sink, { checksum: server.config.bool('rdbchecksum') });
  writer.begin(standardAuxFields({ redisVersion: REDIS_VERSION, usedMemory: usedMemory(server.keyspace), replication: aux }));
  writer.end();
}

/** Resolves when the socket can take more data again ('drain'), or is gone. */
function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}
