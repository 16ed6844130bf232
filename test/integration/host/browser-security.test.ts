// Browser mode's guards, as an attacker on the same machine or a web page in the user's browser
// would meet them, against the real lab process: the token on the page, the assets, the export
// download and the WebSocket API; the Host header (DNS rebinding); the Origin header (another
// site's page or WebSocket); the loopback-only listener; the page's Content-Security-Policy; and
// the token never written anywhere but the UI line it is handed over on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { startBrowserMode, type BrowserModeLab } from '../../support/browser.js';

/** The status a raw request gets: 101 for an accepted WebSocket upgrade. Headers exactly as given. */
function statusOf(port: number, path: string, headers: Record<string, string>, upgrade = false): Promise<number> {
  const wsHeaders = upgrade
    ? {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      }
    : {};
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { ...wsHeaders, ...headers }, setHost: false });
    req.once('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.once('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', reject);
    req.end();
  });
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('browser mode security', () => {
  let lab: BrowserModeLab;
  let port: number;
  let token: string;
  let host: string;
  let wrong: string;

  before(async () => {
    lab = await startBrowserMode();
    const url = new URL(lab.url);
    port = Number(url.port);
    token = url.searchParams.get('token')!;
    host = `127.0.0.1:${port}`;
    wrong = token.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
  });

  after(async () => {
    await lab?.stop();
  });

  test('the page, the assets, the export download and the WebSocket API need the token', async () => {
    const html = await (await fetch(lab.url)).text();
    const asset = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(asset, 'the page names its script');
    for (const path of ['/', '/index.html', `/${asset}`, '/exports/replicalab-logs-20260101-000000.tar.gz']) {
      assert.equal(await statusOf(port, path, { Host: host }), 401, `${path} without a token`);
      assert.equal(await statusOf(port, `${path}?token=${wrong}`, { Host: host }), 401, `${path} with a wrong token`);
      assert.equal(await statusOf(port, path, { Host: host, Cookie: `replicalab_token=${wrong}` }), 401, `${path} with a wrong cookie`);
    }
    assert.equal(await statusOf(port, '/ws', { Host: host }, true), 401, 'WebSocket without a token');
    assert.equal(await statusOf(port, `/ws?token=${wrong}`, { Host: host }, true), 401, 'WebSocket with a wrong token');
    assert.equal(
      await statusOf(port, `/ws?token=${token.slice(0, 16)}`, { Host: host }, true),
      401,
      'WebSocket with a prefix of the token',
    );
    // And with it, each is served.
    assert.equal(await statusOf(port, `/?token=${token}`, { Host: host }), 200);
    assert.equal(await statusOf(port, `/${asset}`, { Host: host, Cookie: `replicalab_token=${token}` }), 200);
    assert.equal(await statusOf(port, `/ws?token=${token}`, { Host: host, Origin: `http://${host}` }, true), 101);
  });

  test('a foreign Host header is refused even with the token (DNS rebinding)', async () => {
    for (const foreign of [`evil.example:${port}`, `127.0.0.1.nip.io:${port}`, '127.0.0.1', `127.0.0.1:${port + 1}`, '']) {
      assert.equal(await statusOf(port, `/?token=${token}`, { Host: foreign }), 403, `page, Host ${foreign}`);
      assert.equal(await statusOf(port, `/ws?token=${token}`, { Host: foreign }, true), 403, `WebSocket, Host ${foreign}`);
    }
    assert.equal(await statusOf(port, `/?token=${token}`, { Host: `localhost:${port}` }), 200);
  });

  test('a foreign Origin is refused on the page and on the WebSocket, even with the token', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`, 'null']) {
      assert.equal(await statusOf(port, `/?token=${token}`, { Host: host, Origin: origin }), 403, `page, Origin ${origin}`);
      assert.equal(await statusOf(port, `/ws?token=${token}`, { Host: host, Origin: origin }, true), 403, `WebSocket, Origin ${origin}`);
    }
    // The ws client sends the Origin it is given, as a browser would.
    const refused = new WebSocket(`ws://${host}/ws?token=${token}`, { origin: 'http://evil.example' });
    const status = await new Promise<number>((resolve) => {
      refused.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      refused.once('open', () => resolve(101));
      refused.once('error', () => undefined);
    });
    refused.terminate();
    assert.equal(status, 403);
    assert.equal(await statusOf(port, `/ws?token=${token}`, { Host: host, Origin: `http://localhost:${port}` }, true), 101);
  });

  test('listens on the loopback interface only', async () => {
    assert.equal(new URL(lab.url).hostname, '127.0.0.1');
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a!.address);
    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ host: address, port });
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      assert.equal(outcome, 'ECONNREFUSED', `the lab's port on ${address}`);
    }
  });

  test('the page has a strict Content-Security-Policy and no inline script', async () => {
    const page = await fetch(lab.url);
    const csp = page.headers.get('content-security-policy') ?? '';
    const directives = new Map(csp.split(/;\s*/).map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as const));
    assert.deepEqual(directives.get('script-src'), ["'self'"], csp);
    assert.deepEqual(directives.get('default-src'), ["'self'"], csp);
    assert.deepEqual(directives.get('object-src'), ["'none'"], csp);
    assert.deepEqual(directives.get('frame-ancestors'), ["'none'"], csp);
    assert.deepEqual(directives.get('base-uri'), ["'none'"], csp);
    assert.deepEqual(directives.get('connect-src'), ["'self'", `ws://127.0.0.1:${port}`, `ws://localhost:${port}`], csp);
    assert.doesNotMatch(csp, /unsafe-eval|'unsafe-inline'[^;]*;?\s*$|script-src[^;]*unsafe/);
    const html = await page.text();
    for (const script of html.match(/<script\b[^>]*>/g) ?? []) assert.match(script, /\bsrc="/, `inline script: ${script}`);
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  });

  test("after a session, the token is on the UI line only: not on stderr, in the nodes' logs or any file but lab.db", async () => {
    // A session: the API over the WebSocket, a console command that fails, and refused requests.
    const ws = new WebSocket(`ws://${host}/ws?token=${token}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const reply = new Promise<string>((resolve) => ws.on('message', (data) => String(data).includes('"id":7') && resolve(String(data))));
    ws.send(JSON.stringify({ id: 7, method: 'listNodes', params: [] }));
    const nodes = JSON.parse(await reply) as { result: Array<{ id: string }> };
    ws.send(JSON.stringify({ id: 8, method: 'consoleRun', params: [nodes.result[0]!.id, 'AUTH not-the-password'] }));
    await new Promise((r) => setTimeout(r, 500));
    ws.close();
    await statusOf(port, `/?token=${wrong}`, { Host: host });
    const dataDir = lab.dataDir;
    const stdout = () => lab.stdout();
    const stderr = lab.stderr();
    assert.equal(await lab.stop({ keepData: true }), 0);
    try {
      assert.equal(stdout().split(token).length - 1, 1, 'the token appears once on stdout: the UI line');
      assert.match(stdout(), new RegExp(`^UI: http://127\\.0\\.0\\.1:${port}/\\?token=${token}\\n$`));
      assert.ok(!stderr.includes(token) && !stderr.includes(wrong), 'stderr never shows a token');
      const files = filesUnder(dataDir).filter((f) => !/lab\.db(-wal|-shm)?$/.test(f));
      assert.ok(
        files.some((f) => f.endsWith('node.log')),
        'the nodes wrote logs',
      );
      for (const file of files) assert.ok(!readFileSync(file).includes(token), `${file} holds the token`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
