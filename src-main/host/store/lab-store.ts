// The lab's memory across restarts: which nodes exist (with their settings and whether they should
// be running) and what happened to them (the events the UI lists). One SQLite file, lab.db, in the
// lab's data directory; WAL so that reads never wait for a write. Each table group has its own
// store class (node-store.ts, event-store.ts, settings-store.ts, history-store.ts); the schema's history is in migrations.ts.
import Database from 'better-sqlite3';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { SQLITE_BINDING_ENV } from '../app/electron-sqlite.js';
import { EventStore } from './event-store.js';
import { HistoryStore } from './history-store.js';
import { migrate } from './migrations.js';
import { NodeStore } from './node-store.js';
import { SentinelStore } from './sentinel-store.js';
import { SettingsStore } from './settings-store.js';

export type { StoredNode } from './node-store.js';

export class LabStore {
  readonly nodes: NodeStore;
  readonly events: EventStore;
  readonly settings: SettingsStore;
  readonly history: HistoryStore;
  readonly sentinels: SentinelStore;

  private constructor(private readonly db: Database.Database) {
    this.nodes = new NodeStore(db);
    this.events = new EventStore(db);
    this.settings = new SettingsStore(db);
    this.history = new HistoryStore(db);
    this.sentinels = new SentinelStore(db);
  }

  /** Opens (creating or migrating) `<dataDir>/lab.db`. */
  static open(dataDir: string): LabStore {
    // In the Electron window the addon must be the Electron-ABI build the launcher prepared.
    const nativeBinding = process.env[SQLITE_BINDING_ENV];
    const file = LabStore.file(dataDir);
    const db = new Database(file, nativeBinding ? { nativeBinding } : {});
    // lab.db holds browser mode's token: only its owner may read it. SQLite gives the -wal and -shm
    // files it creates next the same permissions as the database file.
    chmodSync(file, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return new LabStore(db);
  }

  /** lab.db's path, for readers with a connection of their own (the export). */
  static file(dataDir: string): string {
    return join(dataDir, 'lab.db');
  }

  close(): void {
    this.db.close();
  }
}
