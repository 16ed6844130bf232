// Browser mode end to end, as a user meets it: `npm start -- --headless` (the launcher, as a real
// process), the printed UI line, the token guard, the LabApi over a real WebSocket, and real nodes
// that Debian's redis-cli talks to. Ports 6379.. may be held by other programs, so no test assumes
// which ports the nodes got: they only have to be distinct, real and answering.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { LabEvent, LabPush, NodeSummary } from '../../../src-main/api/index.js';
import { LabClient, LabProcess, tryConnect } from '../../support/lab-process.js';
import { freePort, redisCli, tempDir } from '../../support/servers.js';

function wsUpgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

const isNodesPush = (push: LabPush): push is LabPush & { type: 'nodes' } => push.type === 'nodes';

describe('browser mode (npm start -- --headless)', () => {
  const dataDir = tempDir('replicalab-host-');
  let lab: LabProcess;
  let client: LabClient;
  let base: string;
  let initialNodes: NodeSummary[];

  before(async () => {
    lab = await LabProcess.start(dataDir, await freePort());
    base = `http://127.0.0.1:${lab.url.port}`;
    client = await LabClient.connect(lab);
  });

  after(async () => {
    client?.close();
    await lab?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('prints the UI line with a 32-byte hex token', () => {
    assert.equal(lab.url.hostname, '127.0.0.1');
    assert.match(lab.token, /^[0-9a-f]{64}$/);
    assert.match(lab.stdout, /^UI: http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}\n$/);
  });

  test('answers page, asset and WebSocket requests without a valid token with 401', async () => {
    const page = await fetch(lab.url);
    const asset = /(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
    assert.ok(asset, 'the page links a script asset');

    assert.equal((await fetch(`${base}/`)).status, 401);
    assert.equal((await fetch(`${base}/index.html`)).status, 401);
    assert.equal((await fetch(`${base}/${asset}`)).status, 401);
    const wrong = 'f'.repeat(64) === lab.token ? 'e'.repeat(64) : 'f'.repeat(64);
    assert.equal((await fetch(`${base}/?token=${wrong}`)).status, 401);
    assert.equal((await fetch(`${base}/${asset}`, { headers: { cookie: `replicalab_token=${wrong}` } })).status, 401);
    assert.equal(await wsUpgradeStatus(`ws://127.0.0.1:${lab.url.port}/ws`), 401);
    assert.equal(await wsUpgradeStatus(`ws://127.0.0.1:${lab.url.port}/ws?token=${wrong}`), 401);
  });

  test('serves the page with the token, sets the HttpOnly cookie, and the cookie opens the assets', async () => {
    const page = await fetch(lab.url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const html = await page.text();
    assert.match(html, /<div id="app">/);
    const cookie = page.headers.get('set-cookie') ?? '';
    assert.match(cookie, new RegExp(`^replicalab_token=${lab.token};`));
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);

    const asset = /(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/.exec(html)![1];
    const viaCookie = await fetch(`${base}/${asset}`, { headers: { cookie: `replicalab_token=${lab.token}` } });
    assert.equal(viaCookie.status, 200);
    assert.match(viaCookie.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(await wsUpgradeStatus(`ws://127.0.0.1:${lab.url.port}/ws?token=${lab.token}`), 101);
  });

  test('serves nothing outside the renderer folder', async () => {
    for (const path of ['/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2f..%2fpackage.json']) {
      const res = await fetch(`${base}${path}?token=${lab.token}`);
      assert.equal(res.status, 404, path);
    }
  });

  test('a new lab has three running nodes on distinct real ports that answer PING', async () => {
    initialNodes = await client.call<NodeSummary[]>('listNodes');
    assert.equal(initialNodes.length, 3);
    assert.equal(new Set(initialNodes.map((n) => n.port)).size, 3);
    for (const node of initialNodes) {
      assert.equal(node.status, 'running', `${node.name}: ${node.lastError}`);
      assert.ok(node.port >= 6379, `port ${node.port} counts up from 6379`);
      assert.equal(node.cliCommand, `redis-cli -p ${node.port}`);
      assert.ok(node.dir.startsWith(join(dataDir, 'nodes')), node.dir);
      assert.equal(redisCli(node.port, ['PING']), 'PONG');
      // The node runs from its own redis.conf and logs to its own node.log, both in its directory.
      const conf = readFileSync(join(node.dir, 'redis.conf'), 'utf8');
      assert.match(conf, new RegExp(`^port ${node.port}$`, 'm'));
      assert.match(conf, /^bind 127\.0\.0\.1$/m);
      assert.equal(redisCli(node.port, ['CONFIG', 'GET', 'dir']), `dir\n${node.dir}`);
      assert.match(readFileSync(join(node.dir, 'node.log'), 'utf8'), /Ready to accept connections/);
    }
  });

  test('pushes the node list with numbers read from the nodes themselves', async () => {
    const node = initialNodes[0]!;
    assert.equal(redisCli(node.port, ['SET', 'host-test-key', 'v']), 'OK');
    const since = Date.now();
    const push = await client.waitForPush(
      (p): p is LabPush & { type: 'nodes' } =>
        isNodesPush(p) && p.nodes.some((n) => n.id === node.id && n.info !== null && n.info.sampledAt > since && n.info.keys === 1),
    );
    const info = push.nodes.find((n) => n.id === node.id)!.info!;
    assert.equal(info.role, 'master');
    assert.ok(info.replication.some(([field, value]) => field === 'role' && value === 'master'));
    assert.ok(info.masterReplid.length > 0);
  });

  test('addNode creates and starts a fourth node on its own port', async () => {
    const added = await client.call<NodeSummary>('addNode', { name: 'extra' });
    assert.equal(added.name, 'extra');
    assert.equal(added.status, 'running');
    assert.ok(!initialNodes.some((n) => n.port === added.port));
    assert.equal(redisCli(added.port, ['SET', 'k', 'v']), 'OK');
    assert.equal(redisCli(added.port, ['GET', 'k']), 'v');
    assert.equal((await client.call<NodeSummary[]>('listNodes')).length, 4);
  });

  test('stopNode stops the node: its port refuses connections', async () => {
    const node = initialNodes[1]!;
    const stopped = await client.call<NodeSummary>('stopNode', node.id);
    assert.equal(stopped.status, 'stopped');
    assert.equal(stopped.info, null);
    assert.equal(await tryConnect(node.port), 'ECONNREFUSED');
  });

  test('the events list has created, started and stopped, newest first', async () => {
    const events = await client.call<LabEvent[]>('listEvents');
    const kinds = (nodeId: string) =>
      events
        .filter((e) => e.nodeId === nodeId)
        .map((e) => e.kind)
        .reverse();
    assert.deepEqual(kinds(initialNodes[0]!.id), ['created', 'started']);
    assert.deepEqual(kinds(initialNodes[1]!.id), ['created', 'started', 'stopped']);
    assert.ok(
      events.every((e, i) => i === 0 || e.id < events[i - 1]!.id),
      'newest first',
    );
  });

  test("nodeLog returns the node's own log lines", async () => {
    const lines = await client.call<string[]>('nodeLog', initialNodes[0]!.id);
    assert.ok(
      lines.some((line) => line.includes('Ready to accept connections')),
      lines.join('\n'),
    );
  });

  test('refuses methods that are not on the whitelist and malformed parameters', async () => {
    const unknown = await client.send({ id: 900, method: 'constructor', params: [] }, 900);
    assert.deepEqual(unknown, { kind: 'response', id: 900, ok: false, error: 'unknown method "constructor"' });
    const badId = await client.send({ id: 901, method: 'stopNode', params: [{ not: 'an id' }] }, 901);
    assert.equal(badId.ok, false);
    await assert.rejects(client.call('startNode', 'no-such-node'), /no node with id/);
  });

  test('removeNode stops the node and deletes its directory', async () => {
    const extra = (await client.call<NodeSummary[]>('listNodes')).find((n) => n.name === 'extra')!;
    await client.call('removeNode', extra.id, { deleteDir: true });
    assert.equal(await tryConnect(extra.port), 'ECONNREFUSED');
    assert.ok(!existsSync(extra.dir), extra.dir);
    assert.ok(!(await client.call<NodeSummary[]>('listNodes')).some((n) => n.id === extra.id));
    const kinds = (await client.call<LabEvent[]>('listEvents')).filter((e) => e.nodeId === extra.id).map((e) => e.kind);
    assert.deepEqual(kinds, ['removed', 'stopped', 'started', 'created']);
  });

  test('SIGTERM stops every node gracefully and exits 0, having printed one line', async () => {
    const nodes = await client.call<NodeSummary[]>('listNodes');
    assert.equal(await lab.stop(), 0, lab.stderr);
    for (const node of nodes) assert.equal(await tryConnect(node.port), 'ECONNREFUSED', `${node.name} on ${node.port}`);
    assert.equal(lab.stdout.split('\n').filter(Boolean).length, 1, lab.stdout);
  });

  test('a restarted lab starts the nodes that were running, and only those', async () => {
    const earlier = initialNodes;
    lab = await LabProcess.start(dataDir, await freePort());
    client = await LabClient.connect(lab);
    const nodes = await client.call<NodeSummary[]>('listNodes');
    assert.equal(nodes.length, 3);
    const status = Object.fromEntries(nodes.map((n) => [n.id, n.status]));
    assert.deepEqual(status, { [earlier[0]!.id]: 'running', [earlier[1]!.id]: 'stopped', [earlier[2]!.id]: 'running' });
    for (const node of nodes.filter((n) => n.status === 'running')) {
      assert.equal(node.port, earlier.find((n) => n.id === node.id)!.port, 'a node keeps its port');
      assert.equal(redisCli(node.port, ['PING']), 'PONG');
    }
  });
});
