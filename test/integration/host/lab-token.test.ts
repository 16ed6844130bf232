// Browser mode's token belongs to the lab's data directory: the same URL after a restart (token and
// port), a new token with --rotate-token or the rotateToken call, and the old one refused at once.
// Browser mode runs as a real process; requests go over real HTTP and WebSocket connections.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { WebSocket } from 'ws';
import { startBrowserMode, type BrowserModeLab } from '../../support/browser.js';
import { tempDir } from '../../support/servers.js';
import { migrate } from '../../../src-main/host/store/migrations.js';

const tokenOf = (url: string): string => new URL(url).searchParams.get('token')!;
const portOf = (url: string): number => Number(new URL(url).port);

async function pageStatus(port: number, token: string): Promise<number> {
  return (await fetch(`http://127.0.0.1:${port}/?token=${token}`)).status;
}

/** Opens the lab's WebSocket with a token; resolves once open. */
function openSocket(port: number, token: string): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe("browser mode's token", () => {
  const dataDir = tempDir('replicalab-token-');
  let lab: BrowserModeLab | undefined;

  after(async () => {
    await lab?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('stays the same across a restart of the lab, and so does the port', async () => {
    lab = await startBrowserMode({ dataDir, httpPort: null });
    const first = lab.url;
    assert.equal(await lab.stop({ keepData: true }), 0, lab.stderr());
    lab = await startBrowserMode({ dataDir, httpPort: null });
    assert.equal(tokenOf(lab.url), tokenOf(first));
    assert.equal(portOf(lab.url), portOf(first), 'the port it served on last time is tried first');
    assert.match(tokenOf(lab.url), /^[0-9a-f]{64}$/);
    assert.equal(await pageStatus(portOf(lab.url), tokenOf(lab.url)), 200);
  });

  test('is kept in lab.db, which only its owner may read', () => {
    assert.equal(statSync(join(dataDir, 'lab.db')).mode & 0o777, 0o600);
    const db = new Database(join(dataDir, 'lab.db'), { readonly: true });
    try {
      const row = db.prepare("SELECT value FROM settings WHERE key = 'browser_token'").get() as { value: string };
      assert.equal(row.value, tokenOf(lab!.url));
    } finally {
      db.close();
    }
  });

  test('rotateToken returns a new token, closes open sockets, and the old token gets 401', async () => {
    const port = portOf(lab!.url);
    const old = tokenOf(lab!.url);
    const ws = await openSocket(port, old);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    const reply = new Promise<{ ok: boolean; result: { token: string } }>((resolve) =>
      ws.once('message', (data) => resolve(JSON.parse(String(data)) as { ok: boolean; result: { token: string } })),
    );
    ws.send(JSON.stringify({ id: 1, method: 'rotateToken', params: [] }));
    const { ok, result } = await reply;
    assert.ok(ok);
    assert.notEqual(result.token, old);
    assert.equal(await closed, 4001, 'the socket opened with the old token is closed');
    assert.equal(await pageStatus(port, old), 401);
    assert.equal(await pageStatus(port, result.token), 200);
    await assert.rejects(openSocket(port, old), /401/);
    (await openSocket(port, result.token)).close();

    // The rotated token is the lab's from now on, across restarts too.
    assert.equal(await lab!.stop({ keepData: true }), 0, lab!.stderr());
    lab = await startBrowserMode({ dataDir, httpPort: null });
    assert.equal(tokenOf(lab.url), result.token);
  });

  test('--rotate-token starts the lab with a new token and refuses the old one', async () => {
    const old = tokenOf(lab!.url);
    assert.equal(await lab!.stop({ keepData: true }), 0, lab!.stderr());
    lab = await startBrowserMode({ dataDir, httpPort: null, args: ['--rotate-token'] });
    assert.notEqual(tokenOf(lab.url), old);
    assert.equal(await pageStatus(portOf(lab.url), old), 401);
    assert.equal(await pageStatus(portOf(lab.url), tokenOf(lab.url)), 200);
  });

  test('a lab made before tokens were stored opens and gets one', async () => {
    assert.equal(await lab!.stop({ keepData: true }), 0, lab!.stderr());
    // A lab.db at schema version 2, as ReplicaLab wrote it before the settings table existed.
    const oldDir = tempDir('replicalab-token-old-');
    const db = new Database(join(oldDir, 'lab.db'));
    migrate(db, 2);
    db.close();
    try {
      lab = await startBrowserMode({ dataDir: oldDir });
      assert.match(tokenOf(lab.url), /^[0-9a-f]{64}$/);
      assert.equal(await pageStatus(portOf(lab.url), tokenOf(lab.url)), 200);
      assert.equal(await lab.stop(), 0, lab.stderr());
      lab = undefined;
    } finally {
      rmSync(oldDir, { recursive: true, force: true });
    }
  });
});
