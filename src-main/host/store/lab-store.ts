// The lab's memory across restarts: which nodes exist (with their settings and whether they should
// be running) and what happened to them (the events the UI lists). One SQLite file, lab.db, in the
// lab's data directory; WAL so that reads never wait for a write. Each table group has its own
// store class (node-store.ts, event-store.ts, settings-store.ts, history-store.ts); the schema's history is in migrations.ts.
import Database from 'better-sqlite3';
import { chmodSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SQLITE_BINDING_ENV } from '../app/electron-sqlite.js';
import { EventStore } from './event-store.js';
import { HistoryStore } from './history-store.js';
import { migrate } from './migrations.js';
import { NodeStore } from './node-store.js';
import { SentinelStore } from './sentinel-store.js';
import { SettingsStore } from './settings-store.js';

export type { StoredNode } from './node-store.js';

/** lab.db exists but cannot be used as it is; the message says where it is and what to do. */
export class LabStoreDamagedError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(
      `${file} is damaged (${reason}); the lab will not start on it and has left it as it is. ` +
        "Restore a copy of it, or move it away to start an empty lab (the nodes' directories beside it are kept).",
    );
    this.name = 'LabStoreDamagedError';
  }
}

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

  /**
   * Opens (creating or migrating) `<dataDir>/lab.db`. A lab.db that is damaged (not a database,
   * truncated, failing SQLite's quick_check) is left exactly as it is and the lab refuses to open:
   * replacing it would silently forget every node and its history. The error names the file.
   */
  static open(dataDir: string): LabStore {
    // In the Electron window the addon must be the Electron-ABI build the launcher prepared.
    const nativeBinding = process.env[SQLITE_BINDING_ENV];
    const file = LabStore.file(dataDir);
    // SQLite takes an empty file for a new database; an empty lab.db is one whose writing failed.
    if (existsSync(file) && statSync(file).size === 0) throw new LabStoreDamagedError(file, 'the file is empty');
    let db: Database.Database | null = null;
    try {
      db = new Database(file, nativeBinding ? { nativeBinding } : {});
      // Before anything writes to it. A -wal file left by a killed lab is read as part of it.
      const problems = db.pragma('quick_check', { simple: false }) as Array<{ quick_check: string }>;
      if (problems.length !== 1 || problems[0]!.quick_check !== 'ok') {
        throw new LabStoreDamagedError(
          file,
          problems
            .map((p) => p.quick_check)
            .slice(0, 3)
            .join('; '),
        );
      }
      // lab.db holds browser mode's token: only its owner may read it. SQLite gives the -wal and -shm
      // files it creates next the same permissions as the database file.
      chmodSync(file, 0o600);
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      migrate(db);
      return new LabStore(db);
    } catch (error) {
      db?.close();
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))) {
        throw new LabStoreDamagedError(file, (error as Error).message);
      }
      throw error;
    }
  }

  /** lab.db's path, for readers with a connection of their own (the export). */
  static file(dataDir: string): string {
    return join(dataDir, 'lab.db');
  }

  close(): void {
    this.db.close();
  }
}
