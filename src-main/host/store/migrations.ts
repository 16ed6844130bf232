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
  // 4 -> 5: history (host/history/). One row per node per sample and one per replica a master
  // lists, each in a resolution tier: 0 = every second, 1 = 10 s buckets, 2 = 1 min buckets (the
  // compaction job moves rows down a tier as they age). No foreign keys: history outlives removed
  // nodes. WITHOUT ROWID keeps each row in the primary key's b-tree once, not twice.
  `CREATE TABLE node_samples (
     node_id            INTEGER NOT NULL,
     tier               INTEGER NOT NULL,
     time               INTEGER NOT NULL,              -- ms since the epoch (a bucket's start in tiers 1-2)
     role               TEXT    NOT NULL,              -- 'master' | 'slave'
     ops_per_sec        REAL    NOT NULL,              -- instantaneous_ops_per_sec (bucket: mean)
     used_memory        REAL    NOT NULL,              -- bytes (bucket: mean)
     clients            REAL    NOT NULL,              -- connected_clients (bucket: mean)
     keys               REAL    NOT NULL,              -- sum of keys= over the keyspace (bucket: mean)
     master_repl_offset INTEGER NOT NULL,              -- (bucket: last, i.e. max)
     link_up            INTEGER,                       -- replica: master_link_status up=1/down=0; master: NULL
     sync_full          INTEGER NOT NULL,              -- stats counters (bucket: last)
     sync_partial_ok    INTEGER NOT NULL,
     sync_partial_err   INTEGER NOT NULL,
     aof_enabled        INTEGER NOT NULL,
     aof_rewriting      INTEGER NOT NULL,              -- aof_rewrite_in_progress (bucket: any)
     rdb_saving         INTEGER NOT NULL,              -- rdb_bgsave_in_progress (bucket: any)
     rdb_changes        INTEGER NOT NULL,              -- rdb_changes_since_last_save (bucket: max)
     persistence_ok     INTEGER NOT NULL,              -- last bgsave and last AOF write ok (bucket: all)
     PRIMARY KEY (node_id, tier, time)
   ) WITHOUT ROWID;
   CREATE INDEX node_samples_by_time ON node_samples (tier, time);
   CREATE TABLE replica_samples (
     master_id      INTEGER NOT NULL,
     replica_port   INTEGER NOT NULL,                  -- as the master lists it (its listening port)
     tier           INTEGER NOT NULL,
     time           INTEGER NOT NULL,
     replica_id     INTEGER,                           -- the lab node on that port, if any
     state          TEXT    NOT NULL,                  -- wait_bgsave | send_bulk | online (bucket: last)
     acked_offset   INTEGER NOT NULL,                  -- offset= of the slaveN line (bucket: last)
     lag_bytes      INTEGER NOT NULL,                  -- master_repl_offset - acked_offset (bucket: max)
     seconds_behind REAL,                              -- how long ago the master was at acked_offset (bucket: max)
     ack_lag        REAL    NOT NULL,                  -- Redis's lag=: seconds since the last ACK (bucket: max)
     PRIMARY KEY (master_id, replica_port, tier, time)
   ) WITHOUT ROWID;
   CREATE INDEX replica_samples_by_time ON replica_samples (tier, time);
   CREATE TABLE sync_spans (
     id          INTEGER PRIMARY KEY AUTOINCREMENT,
     replica_id  INTEGER NOT NULL,
     master_port INTEGER,                              -- the master it synced from, per the replica's INFO
     kind        TEXT,                                 -- 'full' | 'partial', NULL until the replica's log says
     started_at  INTEGER NOT NULL,
     ended_at    INTEGER,                              -- NULL while running, or if it never finished
     bytes       INTEGER,                              -- RDB size (full) or backlog sent (partial), from the logs
     outcome     TEXT                                  -- 'ok' | 'failed' | NULL while running
   );
   CREATE INDEX sync_spans_by_time ON sync_spans (started_at);
   CREATE TABLE node_runs (                          -- one row per run of a node, from its INFO server
     node_id        INTEGER NOT NULL,
     run_id         TEXT    NOT NULL,
     redis_version  TEXT    NOT NULL,
     first_seen     INTEGER NOT NULL,
     PRIMARY KEY (node_id, run_id)
   ) WITHOUT ROWID;`,
  // 5 -> 6: link faults applied at a link's relay (host/links/) and the write load generator's
  // start and stop (host/load/). Events is rebuilt again for its CHECK constraint, as in 3 -> 4.
  `CREATE TABLE events_v6 (
     id         INTEGER PRIMARY KEY AUTOINCREMENT,
     time       INTEGER NOT NULL,
     node_id    TEXT    NOT NULL,
     node_name  TEXT    NOT NULL,
     kind       TEXT    NOT NULL CHECK (kind IN ('created','started','stopped','crashed','removed','linked','promoted','failover','link-fault','load','error')),
     message    TEXT    NOT NULL
   );
   INSERT INTO events_v6 SELECT id, time, node_id, node_name, kind, message FROM events;
   DROP TABLE events;
   ALTER TABLE events_v6 RENAME TO events;`,
  // 6 -> 7: each node's settings (host/settings/), a JSON object of directive: value mirroring what
  // the node's own redis.conf holds, so they travel with the node in lab.db.
  `ALTER TABLE nodes ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';`,
  // 7 -> 8: external nodes (host/nodes/external/: a Redis server attached by address, with an
  // optional user and password) and the events read from what the nodes do themselves
  // (host/observed/: role and config changes nobody made through the lab).
  `ALTER TABLE nodes ADD COLUMN external_host TEXT;
   ALTER TABLE nodes ADD COLUMN external_user TEXT;
   ALTER TABLE nodes ADD COLUMN external_password TEXT;
   CREATE TABLE events_v8 (
     id         INTEGER PRIMARY KEY AUTOINCREMENT,
     time       INTEGER NOT NULL,
     node_id    TEXT    NOT NULL,
     node_name  TEXT    NOT NULL,
     kind       TEXT    NOT NULL CHECK (kind IN ('created','started','stopped','crashed','removed','linked','promoted','failover','link-fault','load','error','attached','detached','role','link','sync','config')),
     message    TEXT    NOT NULL
   );
   INSERT INTO events_v8 SELECT id, time, node_id, node_name, kind, message FROM events;
   DROP TABLE events;
   ALTER TABLE events_v8 RENAME TO events;`,
  // 8 -> 9: Sentinels run by the lab (host/sentinels/), and their events (+sdown, +switch-master,
  // ...) as kind 'sentinel'. Events is rebuilt again for its CHECK constraint, as in 3 -> 4.
  `CREATE TABLE sentinels (
     id                  INTEGER PRIMARY KEY AUTOINCREMENT,
     name                TEXT    NOT NULL,
     port                INTEGER NOT NULL,
     master_id           INTEGER NOT NULL,                -- the lab node it was told to monitor
     quorum              INTEGER NOT NULL,
     down_after_ms       INTEGER NOT NULL,
     failover_timeout_ms INTEGER NOT NULL,
     created_at          INTEGER NOT NULL,
     should_run          INTEGER NOT NULL DEFAULT 1
   );
   CREATE TABLE events_v9 (
     id         INTEGER PRIMARY KEY AUTOINCREMENT,
     time       INTEGER NOT NULL,
     node_id    TEXT    NOT NULL,
     node_name  TEXT    NOT NULL,
     kind       TEXT    NOT NULL CHECK (kind IN ('created','started','stopped','crashed','removed','linked','promoted','failover','link-fault','load','error','attached','detached','role','link','sync','config','sentinel')),
     message    TEXT    NOT NULL
   );
   INSERT INTO events_v9 SELECT id, time, node_id, node_name, kind, message FROM events;
   DROP TABLE events;
   ALTER TABLE events_v9 RENAME TO events;`,
];

/**
 * Brings the database to the newest schema (or to `target`, for tests that make a lab.db as an
 * older ReplicaLab wrote it) in one transaction; refuses a lab.db from a newer ReplicaLab.
 */
export function migrate(db: Database.Database, target: number = MIGRATIONS.length): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new Error(`lab.db has schema version ${version}, newer than this ReplicaLab understands (${MIGRATIONS.length})`);
  }
  db.transaction(() => {
    for (let v = version; v < target; v++) db.exec(MIGRATIONS[v]!);
    if (target > version) db.pragma(`user_version = ${target}`);
  })();
}
