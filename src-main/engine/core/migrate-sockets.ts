// MIGRATE's cached connections (cluster.c migrateCachedSocket): one blocking connection per
// target host:port, kept for reuse by the next MIGRATE to the same target, with the database it
// last selected there, and closed after 10 seconds unused (migrateCloseTimedoutSockets, from the
// cron) or when a transfer fails. INFO stats counts them (migrate_cached_sockets).
import { SyncConnection } from '../util/sync-io.js';

/** cluster.c MIGRATE_SOCKET_CACHE_ITEMS / MIGRATE_SOCKET_CACHE_TTL. */
const CACHE_ITEMS = 64;
const CACHE_TTL_MS = 10_000;

export interface MigrateSocket {
  connection: SyncConnection;
  /** The database selected on the target, or -1 (a SELECT is sent first). */
  lastDbId: number;
  lastUse: number;
}

export class MigrateSockets {
  private readonly cached = new Map<string, MigrateSocket>();

  get size(): number {
    return this.cached.size;
  }

  /** migrateGetSocket: the cached connection to host:port, or a new one; the error text otherwise. */
  get(host: string, port: string, timeoutMs: number): MigrateSocket | { error: string } {
    const name = `${host}:${port}`;
    const cached = this.cached.get(name);
    if (cached) {
      cached.lastUse = Date.now();
      return cached;
    }
    if (this.cached.size === CACHE_ITEMS) {
      // Too many: drop one at random.
      const names = [...this.cached.keys()];
      this.close(names[Math.floor(Math.random() * names.length)]!);
    }
    const connection = SyncConnection.connect(host, Number.parseInt(port, 10) || 0, timeoutMs);
    if (!(connection instanceof SyncConnection)) return { error: 'IOERR error or timeout connecting to the client' };
    const socket = { connection, lastDbId: -1, lastUse: Date.now() };
    this.cached.set(name, socket);
    return socket;
  }

  /** migrateCloseSocket. */
  close(name: string): void {
    const socket = this.cached.get(name);
    if (!socket) return;
    socket.connection.close();
    this.cached.delete(name);
  }

  /** migrateCloseTimedoutSockets: once a second from the cron. */
  closeTimedOut(now = Date.now()): void {
    for (const [name, socket] of this.cached) if (now - socket.lastUse > CACHE_TTL_MS) this.close(name);
  }
}
