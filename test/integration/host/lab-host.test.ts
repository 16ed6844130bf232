// The lab host's handling of nodes that do not end the way they were asked to: a crash (the thread
// killed without saving), a node that cannot start, and a node shut down by a client. The host runs
// in this test process, with the real built worker and real nodes on real ports.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server } from 'node:net';
import { rmSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { LabEvent, NodeSummary } from '../../../src-main/api/index.js';
import { LabHost } from '../../../src-main/host/lab-host.js';
import { redisCli, ROOT, tempDir } from '../../support/servers.js';

const WORKER = join(ROOT, 'out', 'main', 'node-worker.js');

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

function occupy(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('lab host', () => {
  const dataDir = tempDir('replicalab-labhost-');
  let lab: LabHost;
  let nodes: NodeSummary[];
  const eventsOf = async (id: string): Promise<LabEvent[]> => (await lab.listEvents(1000)).filter((e) => e.nodeId === id);

  before(async () => {
    lab = await LabHost.open({ dataDir, workerScript: WORKER });
    nodes = await lab.listNodes();
  });

  after(async () => {
    await lab?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a crashed node is marked crashed with the reason, and its neighbours keep serving', async () => {
    const [victim, neighbour] = nodes as [NodeSummary, NodeSummary];
    await lab.crashNode(victim.id);
    const after = (await lab.listNodes()).find((n) => n.id === victim.id)!;
    assert.equal(after.status, 'crashed');
    assert.match(after.lastError ?? '', /terminated without saving/);
    assert.equal((await eventsOf(victim.id))[0]!.kind, 'crashed');
    assert.ok(await refuses(victim.port));
    assert.equal(redisCli(neighbour.port, ['PING']), 'PONG');
  });

  test('a crashed node can be started again on its port', async () => {
    const restarted = await lab.startNode(nodes[0]!.id);
    assert.equal(restarted.status, 'running');
    assert.equal(restarted.lastError, null);
    assert.equal(redisCli(restarted.port, ['PING']), 'PONG');
  });

  test('a node whose port another program took cannot start, and says why', async () => {
    const node = nodes[2]!;
    await lab.stopNode(node.id);
    const squatter = await occupy(node.port);
    try {
      await assert.rejects(lab.startNode(node.id), /could not start: .*Failed listening on port/);
      const summary = (await lab.listNodes()).find((n) => n.id === node.id)!;
      assert.equal(summary.status, 'stopped');
      assert.match(summary.lastError ?? '', /Failed listening on port/);
      assert.equal((await eventsOf(node.id))[0]!.kind, 'error');
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });

  test('addNode refuses a port that is taken, naming who has it', async () => {
    await assert.rejects(lab.addNode({ port: nodes[0]!.port }), new RegExp(`port ${nodes[0]!.port} already belongs to ${nodes[0]!.name}`));
    const squatter = await occupy(0);
    const port = (squatter.address() as { port: number }).port;
    try {
      await assert.rejects(lab.addNode({ port }), /in use by another program/);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });

  test('SHUTDOWN from redis-cli stops the node for good: stopped, not crashed', async () => {
    const node = nodes[1]!;
    // Not redisCli(): its spawnSync would block this thread, which hosts the lab and must end the
    // node's worker before redis-cli sees the connection close.
    await new Promise((resolve) => execFile('redis-cli', ['-p', String(node.port), 'SHUTDOWN', 'NOSAVE'], { timeout: 10_000 }, resolve));
    await until(async () => (await lab.listNodes()).find((n) => n.id === node.id)!.status === 'stopped', 'the node to stop');
    const [event] = await eventsOf(node.id);
    assert.equal(event!.kind, 'stopped');
    assert.match(event!.message, /SHUTDOWN/);
    assert.ok(await refuses(node.port));
  });
});
