// Every schema change lab.db has been through, in order. The schema is versioned with SQLite's
// `user_version`: MIGRATIONS[i] takes a database from version i to i+1, so a later release appends
// a migration and existing labs upgrade in place on open. Never edit a migration that has shipped.
import type Database from 'better-sqlite3';

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
  // is stored here and applied again whenever the lab starts the node (see ReplicationLinks).
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
  // 2 -> 3: lab-wide settings, one text value per key (browser mode's token and HTTP port first),
  // so what belongs to a lab stays with its data directory.
  `CREATE TABLE settings (
     key    TEXT PRIMARY KEY,
     value  TEXT NOT NULL
   );`,
  // 3 -> 4: failover events (FAILOVER TO, each master_failover_state it went through, ABORT). As in
  // 1 -> 2, events is rebuilt because SQLite cannot change a CHECK constraint in place.
  `CREATE TABLE events_v4 (
     id         INTEGER PRIMARY KEY AUTOINCREMENT,
     time       INTEGER NOT NULL,
     node_id    TEXT    NOT NULL,
     node_name  TEXT    NOT NULL,
     kind       TEXT    NOT NULL CHECK (kind IN ('created','started','stopped','crashed','removed','linked','promoted','failover','error')),
     message    TEXT    NOT NULL
   );
   INSERT INTO events_v4 SELECT id, time, node_id, node_name, kind, message FROM events;
   DROP TABLE events;
   ALTER TABLE events_v4 RENAME TO events;`,
];

/** Brings the database to the newest schema in one transaction; refuses a lab.db from a newer ReplicaLab. */
export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new Error(`lab.db has schema version ${version}, newer than this ReplicaLab understands (${MIGRATIONS.length})`);
  }
  db.transaction(() => {
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
}
