// The stream view's API on a real lab host (a new lab: a master and two replicas linked through
// relays): streamWatch pushes what the master sends down the replica's link, and the stream is read
// only while watched: after streamUnwatch, or once a watch is not renewed within STREAM_LEASE_MS,
// writes bring no more `stream` pushes. A master has no link of its own to watch.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { STREAM_LEASE_MS, type NodeSummary, type StreamEntry } from '../../../src-main/api/index.js';
import { LabHost } from '../../../src-main/host/lab-host.js';
import { redisCli, ROOT, tempDir } from '../../support/servers.js';
import { waitFor } from '../../support/replication.js';

const WORKER = join(ROOT, 'out', 'main', 'node-worker.js');

describe('stream view API', () => {
  const dataDir = tempDir('replicalab-stream-view-');
  let lab: LabHost;
  let master: NodeSummary;
  let replica: NodeSummary;
  const pushed: StreamEntry[] = [];

  before(async () => {
    lab = await LabHost.open({ dataDir, workerScript: WORKER });
    lab.onPush((push) => {
      if (push.type === 'stream' && push.replicaId === replica.id) pushed.push(...push.entries);
    });
    await waitFor(
      'a replica linked through its relay',
      async () => {
        const nodes = await lab.listNodes();
        master = nodes.find((node) => node.master === null && node.status === 'running')!;
        replica = nodes.find((node) => node.master?.relay && node.master.linkStatus === 'up')!;
        return master !== undefined && replica !== undefined;
      },
      60000,
    );
  });

  after(async () => {
    await lab.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const setShown = (key: string): boolean => pushed.some((entry) => entry.text === `"SET" "${key}" "1"`);

  test('pushes the link’s stream while watched, and nothing after streamUnwatch', async () => {
    const status = await lab.streamWatch(replica.id);
    assert.equal(status.watching, true);
    assert.equal(status.relayPort, replica.master!.relay!.port);
    assert.equal(status.masterId, master.id);
    assert.equal(redisCli(master.port, ['SET', 'watched', '1']), 'OK');
    await waitFor('SET watched pushed', () => setShown('watched'));

    await lab.streamUnwatch(replica.id);
    assert.equal(redisCli(master.port, ['SET', 'unwatched', '1']), 'OK');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(setShown('unwatched'), false);
  });

  test('a watch that is not renewed lapses after STREAM_LEASE_MS', async () => {
    await lab.streamWatch(replica.id);
    assert.equal(redisCli(master.port, ['SET', 'leased', '1']), 'OK');
    await waitFor('SET leased pushed', () => setShown('leased'));
    await new Promise((resolve) => setTimeout(resolve, STREAM_LEASE_MS + 500));
    assert.equal(redisCli(master.port, ['SET', 'lapsed', '1']), 'OK');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(setShown('lapsed'), false);
  });

  test('a master has no link of its own to watch', async () => {
    const status = await lab.streamWatch(master.id);
    assert.equal(status.watching, false);
    assert.match(status.reason ?? '', /is not a running replica/);
  });
});
