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
import { closeSync, createReadStream, fstatSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Server } from '../server/server.js';
import { writeSnapshot, type ReplicationAux, type SnapshotSink } from '../persistence/snapshot.js';
import type { AttachedReplica } from './attached-replica.js';
import { RdbWriter, standardAuxFields } from '../persistence/rdb-writer.js';
import { REDIS_VERSION } from '../version.js';
import { randomReplicationId } from './replication-ids.js';

/** Saves the snapshot to the node's RDB file (through a temp file, renamed when complete). */
export async function saveRdbForReplication(server: Server, aux: ReplicationAux, signal: AbortSignal): Promise<string> {
  const path = server.config.path(server.config.str('dbfilename'));
  const temp = server.config.path(`temp-${process.pid}.rdb`);
  const fd = openSync(temp, 'w');
  try {
    await writeSnapshot(server, (chunk) => void writeSync(fd, chunk), { replication: aux, signal });
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(temp);
    throw err;
  }
  closeSync(fd);
  renameSync(temp, path);
  return path;
}

/**
 * sendBulkToSlave: `$<len>\r\n` then the file's bytes, at the pace the replica reads them.
 * Resolves when everything was handed to the socket; false if the replica went away first.
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
 */
export async function streamRdbToReplicas(
  server: Server,
  replicas: AttachedReplica[],
  aux: ReplicationAux,
  options: { withoutData: boolean },
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
    return drained(replica.socket);
  });
  if (options.withoutData) writeRdbWithoutData(server, (chunk) => void sinks.forEach((sink) => sink(chunk)), aux);
  else await writeSnapshot(server, sinks, { replication: aux, signal: abort.signal });
  for (const replica of alive()) replica.write(mark);
}

/** An RDB with the header and aux fields only (REPLCONF rdb-filter-only). */
function writeRdbWithoutData(server: Server, sink: (chunk: Buffer) => void, aux: ReplicationAux): void {
  const writer = new RdbWriter(sink, { checksum: server.config.bool('rdbchecksum') });
  const memory = process.memoryUsage();
  writer.begin(standardAuxFields({ redisVersion: REDIS_VERSION, usedMemory: memory.heapUsed + memory.external, replication: aux }));
  writer.end();
}

/** Resolves when the socket can take more data (or is gone); nothing to wait for otherwise. */
function drained(socket: Socket): Promise<void> | void {
  if (!socket.writableNeedDrain || socket.destroyed) return;
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
