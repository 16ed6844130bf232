// The `events` table: what happened to the lab's nodes, kept across restarts for the events list.
import type Database from 'better-sqlite3';
import type { LabEvent, LabEventKind } from '../../api/index.js';

interface EventRow {
  id: number;
  time: number;
  node_id: string;
  node_name: string;
  kind: LabEventKind;
  message: string;
}

export class EventStore {
  constructor(private readonly db: Database.Database) {}

  /** Stores an event stamped with the current time; returns it with its id. */
  add(event: Omit<LabEvent, 'id' | 'time'>): LabEvent {
    const time = Date.now();
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO events (time, node_id, node_name, kind, message) VALUES (?, ?, ?, ?, ?)')
      .run(time, event.nodeId, event.nodeName, event.kind, event.message);
    return { id: Number(lastInsertRowid), time, ...event };
  }

  /** The most recent events, newest first. */
  listRecent(limit: number): LabEvent[] {
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
}
