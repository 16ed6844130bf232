// Node logs stay bounded on disk: a lab whose rotation size is tiny, a node that logs a line per
// SAVE, and what the disk and the exported archive then hold. Every line the node wrote (as the
// host saw them arrive) must be in the archive's parts, read oldest first, once and in order.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { NodeSummary } from '../../../src-main/api/index.js';
import { LabHost } from '../../../src-main/host/lab-host.js';
import { logPartsInOrder } from '../../../src-main/host/nodes/log-rotation.js';
import { waitUntil } from '../../support/browser.js';
import { nodesOnFreePorts } from '../../support/lab-nodes.js';
import { ROOT, tempDir } from '../../support/servers.js';

const WORKER = join(ROOT, 'out', 'main', 'node-worker.js');
const MAX_BYTES = 2048;
const SAVES = 200;

describe('node log rotation', () => {
  const dataDir = tempDir('replicalab-logrotate-');
  const outDir = tempDir('replicalab-logrotate-out-');
  let lab: LabHost;
  let master: NodeSummary;
  const seen: string[] = [];

  before(async () => {
    lab = await LabHost.open({ dataDir, workerScript: WORKER, logRotation: { maxBytes: MAX_BYTES, keep: 100 } });
    [master] = (await nodesOnFreePorts(lab, 1)) as [NodeSummary];
    lab.onPush((push) => {
      if (push.type === 'log' && push.nodeId === master.id) seen.push(push.line);
    });
    const client = new Redis({ port: master.port, host: '127.0.0.1', lazyConnect: true });
    await client.connect();
    try {
      // Each SAVE logs "DB saved on disk" (about 55 bytes): 200 of them fill several 2 KB parts.
      for (let i = 0; i < SAVES; i++) assert.equal(await client.save(), 'OK');
    } finally {
      client.disconnect();
    }
    await waitUntil('the host has seen every SAVE logged', () => seen.filter((l) => l.endsWith('DB saved on disk')).length === SAVES);
  });

  after(async () => {
    await lab?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  });

  test('node.log is rotated into node.log.1 … .N, none much past the size limit', () => {
    const parts = logPartsInOrder(join(master.dir, 'node.log'));
    assert.ok(parts.length >= 5, `expected at least 5 parts, found ${parts.join(', ')}`);
    assert.equal(parts.at(-1), join(master.dir, 'node.log'));
    assert.equal(parts.at(-2), join(master.dir, 'node.log.1'));
    // A part is rotated once it reaches the limit; lines the worker appended before the host saw
    // the one that crossed it may follow, so allow some slack, but nowhere near unbounded.
    for (const part of parts.slice(0, -1)) {
      const size = statSync(part).size;
      assert.ok(size >= MAX_BYTES && size < MAX_BYTES * 2, `${part}: ${size} bytes`);
    }
  });

  test('the export holds every part, oldest first, and together they hold every line once, in order', async () => {
    const onDisk = logPartsInOrder(join(master.dir, 'node.log')).map((p) => readFileSync(p, 'utf8'));
    const archive = await lab.exportLogs();
    const unpacked = join(outDir, 'unpacked');
    execFileSync('mkdir', ['-p', unpacked]);
    execFileSync('tar', ['-xzf', archive.file, '-C', unpacked]);
    const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as {
      nodes: Array<{ id: string; files: string[] }>;
    };
    const files = manifest.nodes.find((n) => n.id === master.id)!.files.filter((f) => f.startsWith('node.log'));
    const expectedNames = [...Array.from({ length: onDisk.length - 1 }, (_, i) => `node.log.${onDisk.length - 1 - i}`), 'node.log'];
    assert.deepEqual(files, expectedNames);

    const dir = join(unpacked, 'nodes', `${master.id}-${master.name}`);
    const whole = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    assert.equal(whole, onDisk.join(''), 'the archived parts are the files on disk');
    const lines = whole.split('\n').filter(Boolean);
    assert.equal(lines.filter((l) => l.endsWith('DB saved on disk')).length, SAVES);
    // Every line the host received, as a subsequence of the archived log (same order, none lost).
    let at = 0;
    for (const line of seen) {
      while (at < lines.length && lines[at] !== line) at++;
      assert.ok(at < lines.length, `line missing or out of order in the archive: ${line}`);
      at++;
    }
    // The log starts with the node's first start, not somewhere in the middle (nothing was dropped).
    assert.match(lines[0]!, /Redis is starting|oO0OoO0OoO0Oo/);
  });
});
