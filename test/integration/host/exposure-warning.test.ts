// Who can reach a lab node: it binds 127.0.0.1 (another local address is refused), and once it is
// bound beyond loopback without a password, Redis's protected mode refuses a client from a
// non-loopback address with Redis 7.0's DENIED text while the lab warns beside the node; the
// warning changes with protected-mode no and goes once the node has a password.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OTHER_ADDRESS, pingFrom } from '../../support/network.js';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeSummary, NodeWarning } from '../../../src-main/api/index.js';
import { LabHost } from '../../../src-main/host/lab-host.js';
import { PROTECTED_MODE_DENIED } from '../../../src-main/engine/core/protected-mode.js';
import { waitUntil } from '../../support/browser.js';
import { nodesOnFreePorts } from '../../support/lab-nodes.js';
import { redisCli, ROOT, tempDir } from '../../support/servers.js';

const WORKER = join(ROOT, 'out', 'main', 'node-worker.js');

describe('a lab node open to the network', { skip: OTHER_ADDRESS ? false : 'no non-loopback address on this machine' }, () => {
  const dataDir = tempDir('replicalab-exposure-');
  let lab: LabHost;
  let node: NodeSummary;
  const warnings = async (): Promise<NodeWarning[]> => (await lab.listNodes()).find((n) => n.id === node.id)!.warnings;
  const exposure = async (): Promise<string | undefined> => (await warnings()).find((w) => w.kind === 'exposed-node')?.message;

  before(async () => {
    lab = await LabHost.open({ dataDir, workerScript: WORKER });
    [node] = (await nodesOnFreePorts(lab, 1)) as [NodeSummary];
  });

  after(async () => {
    await lab?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('binds 127.0.0.1 by default: its port on another local address refuses connections, and no warning', async () => {
    assert.match(readFileSync(join(node.dir, 'redis.conf'), 'utf8'), /^bind 127\.0\.0\.1$/m);
    assert.equal(redisCli(node.port, ['CONFIG', 'GET', 'bind']), 'bind\n127.0.0.1');
    assert.equal(await pingFrom(OTHER_ADDRESS!, node.port), 'ECONNREFUSED');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal(await exposure(), undefined);
  });

  test('bound beyond loopback without a password: DENIED for a non-loopback client, and the lab warns', async () => {
    assert.equal(redisCli(node.port, ['CONFIG', 'SET', 'bind', `127.0.0.1 ${OTHER_ADDRESS}`]), 'OK');
    // CONFIG SET bind listens on the new address at once (a moment later than the reply).
    await waitUntil('listening on the other address', async () => (await pingFrom(OTHER_ADDRESS!, node.port)) !== 'ECONNREFUSED');
    assert.equal(await pingFrom(OTHER_ADDRESS!, node.port), PROTECTED_MODE_DENIED);
    assert.equal(redisCli(node.port, ['PING']), 'PONG', 'loopback clients are served');
    await waitUntil('warned', async () => (await exposure()) !== undefined);
    assert.equal(
      await exposure(),
      `Listens on 127.0.0.1 ${OTHER_ADDRESS} without a password: protected mode refuses every client that is not on the loopback interface ` +
        'with "-DENIED Redis is running in protected mode…". Set requirepass (or an ACL user) before other machines connect, or bind 127.0.0.1.',
    );
  });

  test('with protected-mode no the warning says the data is open to anyone', async () => {
    redisCli(node.port, ['CONFIG', 'SET', 'protected-mode', 'no']);
    assert.equal(await pingFrom(OTHER_ADDRESS!, node.port), '+PONG\r\n');
    await waitUntil('open warning', async () => /protected-mode no/.test((await exposure()) ?? ''));
    assert.match((await exposure())!, /^Open to the network without a password: bind 127\.0\.0\.1 \S+, protected-mode no\./);
    redisCli(node.port, ['CONFIG', 'SET', 'protected-mode', 'yes']);
  });

  test('a password set in the lab ends the warning; a non-loopback client then gets NOAUTH, not DENIED', async () => {
    await lab.applyNodeSettings(node.id, { requirepass: 'lab-secret' });
    await waitUntil('gone', async () => (await exposure()) === undefined);
    assert.equal(await pingFrom(OTHER_ADDRESS!, node.port).then((r) => r.split('\r\n')[0]), '-NOAUTH Authentication required.');
  });
});
