// The lab's memory across restarts: which nodes exist (with their settings and whether they should
// be running) and what happened to them (the events the UI lists). One SQLite file, lab.db, in the
// lab's data directory; WAL so that reads never wait for a write.
//
// The schema is versioned with SQLite's `user_version`: MIGRATIONS[i] takes a database from version
// i to i+1, so a later release appends a migration and existing labs upgrade in place on open.
import Database from 'better-sqlite3';
import { SQLITE_BINDING_ENV } from '../app/electron-sqlite.js';
import { join } from 'node:path';
import type { LabEvent, LabEventKind } from '../../api/index.js';

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
}

const MIGRATIONS: readonly string[] = [
  // 0 -> 1: the walking skeleton.
  `CREATE TABLE nodes (
     id          INTEGER PRIMARY KEY AUTOINCREMENT, -- AUTOINCREMENT: ids (and so node dirs) are never reused
     name        TEXT    NOT NULL,
     port        INTEGER NOT NULL UNIQUE,
     directives  TEXT    NOT NULL DEFAULT '[]',     -- JSON: [["appendonly","yes"], ...]
     created_at  INTEGER NOT NULL,                  -- ms since the epoch
     should_run  INTEGER NOT NULL DEFAULT 1
   );
   CREATE TABLE events (
     id         INTEGER PRIMARY KEY AUTOINCREMENT,
     time       INTEGER NOT NULL,
     node_id    TEXT    NOT NULL,                   -- no foreign key: events outlive removed nodes
     node_name  TEXT    NOT NULL,
     kind       TEXT    NOT NULL CHECK (kind IN ('created','started','stopped','crashed','removed','error')),
     message    TEXT    NOT NULL
   );`,
  // 1 -> 2: replication. The link a user makes in the lab is lab configuration, like the port: it
  // is stored here and applied again whenever the lab starts the node (see LabHost.linkNode).
  // SQLite cannot change a CHECK constraint in place, so events is rebuilt with the new kinds.
  `ALTER TABLE nodes ADD COLUMN replica_of INTEGER;   -- NULL: the node's own redis.conf decides its role
   CREATE TABLE events_v2 (
     id         INTEGER PRIMARY KEY AUTOINCREMENT,
     time       INTEGER NOT NULL,
     node_id    TEXT    NOT NULL,
     node_name  TEXT    NOT NULL,
     kind       TEXT    NOT NULL CHECK (kind IN ('created','started','stopped','crashed','removed','linked','promoted','error')),
     message    TEXT    NOT NULL
   );
   INSERT INTO events_v2 SELECT id, time, node_id, node_name, kind, message FROM events;
   DROP TABLE events;
   ALTER TABLE events_v2 RENAME TO events;`,
];

interface NodeRow {
  id: number;
  name: string;
  port: number;
  directives: string;
  created_at: number;
  should_run: number;
  replica_of: number | null;
}

interface EventRow {
  id: number;
  time: number;
  node_id: string;
  node_name: string;
  kind: LabEventKind;
  message: string;
}

export class LabStore {
  private constructor(private readonly db: Database.Database) {}

  /** Opens (creating or migrating) `<dataDir>/lab.db`. */
  static open(dataDir: string): LabStore {
    // In the Electron window the addon must be the Electron-ABI build the launcher prepared.
    const nativeBinding = process.env[SQLITE_BINDING_ENV];
    const db = new Database(join(dataDir, 'lab.db'), nativeBinding ? { nativeBinding } : {});
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return new LabStore(db);
  }

  /** False only for a brand-new lab: AUTOINCREMENT remembers ids even after every node was removed. */
  everHadNodes(): boolean {
    const row = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'nodes'").get() as { seq: number } | undefined;
    return (row?.seq ?? 0) > 0;
  }

  listNodes(): StoredNode[] {
    return (this.db.prepare('SELECT * FROM nodes ORDER BY id').all() as NodeRow[]).map(toStoredNode);
  }

  /** Inserts a node; `name` defaults to `node-<id>`. */
  insertNode(node: { name?: string; port: number; directives: StoredNode['directives']; shouldRun: boolean }): StoredNode {
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

  setShouldRun(id: string, shouldRun: boolean): void {
    this.db.prepare('UPDATE nodes SET should_run = ? WHERE id = ?').run(shouldRun ? 1 : 0, Number(id));
  }

  setReplicaOf(id: string, masterId: string | null): void {
    this.db.prepare('UPDATE nodes SET replica_of = ? WHERE id = ?').run(masterId === null ? null : Number(masterId), Number(id));
  }

  /** Deletes the node, and the links of nodes that were to replicate from it (they keep running as they are). */
  deleteNode(id: string): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE nodes SET replica_of = NULL WHERE replica_of = ?').run(Number(id));
      this.db.prepare('DELETE FROM nodes WHERE id = ?').run(Number(id));
    })();
  }

  addEvent(event: Omit<LabEvent, 'id' | 'time'>): LabEvent {
    const time = Date.now();
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO events (time, node_id, node_name, kind, message) VALUES (?, ?, ?, ?, ?)')
      .run(time, event.nodeId, event.nodeName, event.kind, event.message);
    return { id: Number(lastInsertRowid), time, ...event };
  }

  /** The most recent events, newest first. */
  listEvents(limit: number): LabEvent[] {
    const rows = this.db.prepare('SELECT * FROM events ORDER BY id DESC LIMIT ?').all(limit) as EventRow[];
    return rows.map((row) => ({
      id: row.id,
      time: row.time,
      nodeId: row.node_id,
      nodeName: row.node_name,
      kind: row.kind,
      message: row.message,
    }));
  }

  close(): void {
    this.db.close();
  }
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new Error(`lab.db has schema version ${version}, newer than this ReplicaLab understands (${MIGRATIONS.length})`);
  }
  db.transaction(() => {
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
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
  };
}
