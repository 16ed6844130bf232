// The `nodes` table: which nodes the lab has, with the settings the lab owns for each one.
import type Database from 'better-sqlite3';
import type { NodeSettingValues } from '../../api/index.js';

export interface StoredNode {
  id: string;
  name: string;
  port: number;
  /** Extra redis.conf directives beyond the ones the host writes itself. */
  directives: Array<[string, ...string[]]>;
  createdAt: number;
  /** Whether the user wants it running: the lab starts these nodes again when it starts. */
  shouldRun: boolean;
  /** The lab node it was linked to with linkNode; re-applied (REPLICAOF) whenever the lab starts it. */
  replicaOf: string | null;
  /** The node's settings as the lab last read them from it (its redis.conf is the source of truth). */
  settings: NodeSettingValues;
  /**
   * Set for an external node: a Redis server the user attached by address (nodes/external/), which
   * the lab never starts, stops or crashes. `port` is its port. The password stays in lab.db (an
   * owner-only file) and is never sent to the renderer.
   */
  external: ExternalAddress | null;
}

export interface ExternalAddress {
  host: string;
  user: string | null;
  password: string | null;
}

interface NodeRow {
  id: number;
  name: string;
  port: number;
  directives: string;
  created_at: number;
  should_run: number;
  replica_of: number | null;
  settings: string;
  external_host: string | null;
  external_user: string | null;
  external_password: string | null;
}

export class NodeStore {
  constructor(private readonly db: Database.Database) {}

  /** False only for a brand-new lab: AUTOINCREMENT remembers ids even after every node was removed. */
  everHadNodes(): boolean {
    const row = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'nodes'").get() as { seq: number } | undefined;
    return (row?.seq ?? 0) > 0;
  }

  list(): StoredNode[] {
    return (this.db.prepare('SELECT * FROM nodes ORDER BY id').all() as NodeRow[]).map(toStoredNode);
  }

  /** Inserts a node; `name` defaults to `node-<id>`. */
  insert(node: { name?: string; port: number; directives: StoredNode['directives']; shouldRun: boolean }): StoredNode {
    const insert = this.db.transaction((): number => {
      const { lastInsertRowid } = this.db
        .prepare('INSERT INTO nodes (name, port, directives, created_at, should_run) VALUES (?, ?, ?, ?, ?)')
        .run(node.name ?? '', node.port, JSON.stringify(node.directives), Date.now(), node.shouldRun ? 1 : 0);
      const id = Number(lastInsertRowid);
      if (!node.name) this.db.prepare('UPDATE nodes SET name = ? WHERE id = ?').run(`node-${id}`, id);
      return id;
    });
    const id = insert();
    return toStoredNode(this.db.prepare('SELECT * FROM nodes WHERE id = ?').get(id) as NodeRow);
  }

  /** Inserts an external node (never started by the lab, so should_run stays 0); `name` defaults to `host:port`. */
  insertExternal(node: { name?: string; port: number; external: ExternalAddress }): StoredNode {
    const { lastInsertRowid } = this.db
      .prepare(
        'INSERT INTO nodes (name, port, directives, created_at, should_run, external_host, external_user, external_password) VALUES (?, ?, ?, ?, 0, ?, ?, ?)',
      )
      .run(
        node.name ?? `${node.external.host}:${node.port}`,
        node.port,
        '[]',
        Date.now(),
        node.external.host,
        node.external.user,
        node.external.password,
      );
    return toStoredNode(this.db.prepare('SELECT * FROM nodes WHERE id = ?').get(Number(lastInsertRowid)) as NodeRow);
  }

  setShouldRun(id: string, shouldRun: boolean): void {
    this.db.prepare('UPDATE nodes SET should_run = ? WHERE id = ?').run(shouldRun ? 1 : 0, Number(id));
  }

  setReplicaOf(id: string, masterId: string | null): void {
    this.db.prepare('UPDATE nodes SET replica_of = ? WHERE id = ?').run(masterId === null ? null : Number(masterId), Number(id));
  }

  setSettings(id: string, settings: NodeSettingValues): void {
    this.db.prepare('UPDATE nodes SET settings = ? WHERE id = ?').run(JSON.stringify(settings), Number(id));
  }

  /** Deletes the node, and the links of nodes that were to replicate from it (they keep running as they are). */
  delete(id: string): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE nodes SET replica_of = NULL WHERE replica_of = ?').run(Number(id));
      this.db.prepare('DELETE FROM nodes WHERE id = ?').run(Number(id));
    })();
  }
}

function toStoredNode(row: NodeRow): StoredNode {
  return {
    id: String(row.id),
    name: row.name,
    port: row.port,
    directives: JSON.parse(row.directives) as StoredNode['directives'],
    createdAt: row.created_at,
    shouldRun: row.should_run === 1,
    replicaOf: row.replica_of === null ? null : String(row.replica_of),
    settings: JSON.parse(row.settings) as NodeSettingValues,
    external: row.external_host === null ? null : { host: row.external_host, user: row.external_user, password: row.external_password },
  };
}
