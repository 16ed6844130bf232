// Migration 6 -> 7 on a lab.db as the previous ReplicaLab wrote it: its nodes and events stay, its
// nodes are lab nodes (no external address), and the new event kinds and external nodes can be stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { LabStore } from '../../../src-main/host/store/lab-store.js';
import { migrate } from '../../../src-main/host/store/migrations.js';
import { tempDir } from '../../support/servers.js';

test('a version 7 lab.db keeps its nodes and events, and then stores external nodes and observed events', () => {
  const dir = tempDir('replicalab-migrate7-');
  try {
    const db = new Database(join(dir, 'lab.db'));
    migrate(db, 7);
    db.prepare("INSERT INTO nodes (name, port, directives, created_at, should_run) VALUES ('node-1', 6379, '[]', 1, 1)").run();
    db.prepare("INSERT INTO events (time, node_id, node_name, kind, message) VALUES (1, '1', 'node-1', 'load', 'load started')").run();
    db.close();

    const store = LabStore.open(dir);
    try {
      const [old] = store.nodes.list();
      assert.equal(old!.name, 'node-1');
      assert.equal(old!.external, null);
      assert.deepEqual(
        store.events.listRecent(10).map((e) => [e.kind, e.message]),
        [['load', 'load started']],
      );
      const external = store.nodes.insertExternal({ port: 7000, external: { host: 'db.example', user: 'app', password: 'pw' } });
      assert.equal(external.name, 'db.example:7000');
      assert.equal(external.shouldRun, false);
      assert.deepEqual(store.nodes.list()[1]!.external, { host: 'db.example', user: 'app', password: 'pw' });
      for (const kind of ['attached', 'detached', 'role', 'link', 'sync', 'config'] as const) {
        store.events.add({ nodeId: external.id, nodeName: external.name, kind, message: kind });
      }
      assert.equal(store.events.listRecent(10).length, 7);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
