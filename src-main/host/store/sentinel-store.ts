// The `sentinels` table: the Sentinels the lab runs, each with the master it was told to monitor
// and the settings it started with (its sentinel.conf is its own afterwards, as for a data node).
import type Database from 'better-sqlite3';

export interface StoredSentinel {
  id: string;
  name: string;
  port: number;
  masterId: string;
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
  createdAt: number;
  shouldRun: boolean;
}

interface SentinelRow {
  id: number;
  name: string;
  port: number;
  master_id: number;
  quorum: number;
  down_after_ms: number;
  failover_timeout_ms: number;
  created_at: number;
  should_run: number;
}

export class SentinelStore {
  constructor(private readonly db: Database.Database) {}

  list(): StoredSentinel[] {
    return (this.db.prepare('SELECT * FROM sentinels ORDER BY id').all() as SentinelRow[]).map((row) => ({
      id: `s${row.id}`,
      name: row.name,
      port: row.port,
      masterId: String(row.master_id),
      quorum: row.quorum,
      downAfterMs: row.down_after_ms,
      failoverTimeoutMs: row.failover_timeout_ms,
      createdAt: row.created_at,
      shouldRun: row.should_run === 1,
    }));
  }

  /** Inserts a Sentinel; `name` defaults to `sentinel-<n>`. Its id is `s<n>`, never a data node's id. */
  add(sentinel: Omit<StoredSentinel, 'id' | 'name' | 'createdAt' | 'shouldRun'> & { name?: string }): StoredSentinel {
    const createdAt = Date.now();
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare(
          'INSERT INTO sentinels (name, port, master_id, quorum, down_after_ms, failover_timeout_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run('', sentinel.port, Number(sentinel.masterId), sentinel.quorum, sentinel.downAfterMs, sentinel.failoverTimeoutMs, createdAt);
      const n = Number(lastInsertRowid);
      const name = sentinel.name ?? `sentinel-${n}`;
      this.db.prepare('UPDATE sentinels SET name = ? WHERE id = ?').run(name, n);
      return { ...sentinel, id: `s${n}`, name, createdAt, shouldRun: true };
    })();
  }

  setShouldRun(id: string, shouldRun: boolean): void {
    this.db.prepare('UPDATE sentinels SET should_run = ? WHERE id = ?').run(shouldRun ? 1 : 0, rowId(id));
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM sentinels WHERE id = ?').run(rowId(id));
  }
}

function rowId(id: string): number {
  return Number(id.slice(1));
}
