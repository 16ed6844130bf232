// The engine's public face for Sentinels (what the lab uses): startSentinel() in this process,
// monitoring a redis-server master with a replica; the handle's state and the protocol agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSentinel } from '../../../src-main/engine/index.js';
import { nodesForFile, startNode, startReplica, waitFor } from '../../support/replication.js';
import { RespClient } from '../../support/resp-client.js';
import { tempDir } from '../../support/servers.js';
import { fieldsOf } from '../../support/sentinel.js';

const { track } = nodesForFile();

test('startSentinel runs a Sentinel whose state the handle and SENTINEL MASTERS report alike', async () => {
  const master = track(await startNode('redis'));
  const replica = track(await startReplica('redis', master));
  const dir = tempDir('replicalab-sentinel-api-');
  const file = join(dir, 'sentinel.conf');
  writeFileSync(file, `bind 127.0.0.1\nport 0\ndir ${dir}\nsentinel monitor lab 127.0.0.1 ${master.port} 1\n`);
  const lines: string[] = [];
  const handle = await startSentinel({ argv: [file], logSink: (l) => lines.push(l) });
  try {
    assert.match(handle.myid, /^[0-9a-f]{40}$/);
    await waitFor('replica discovered', () => handle.masters()[0]?.replicas.length === 1);
    const state = handle.masters()[0]!;
    assert.deepEqual([state.name, state.ip, state.port, state.quorum], ['lab', '127.0.0.1', master.port, 1]);
    assert.equal(state.replicas[0]!.port, replica.port);
    const client = await RespClient.open(handle.port);
    const masters = (await client.call('SENTINEL', 'MASTERS')) as never[];
    const fields = fieldsOf(masters[0]!);
    assert.equal(fields.get('name'), 'lab');
    assert.equal(fields.get('num-slaves'), '1');
    assert.match(handle.info('sentinel'), /master0:name=lab,status=ok,address=127\.0\.0\.1:\d+,slaves=1,sentinels=1/);
    client.close();
    assert.ok(lines.some((l) => /^\d+:X .* # \+monitor master lab 127\.0\.0\.1 \d+ quorum 1$/.test(l)));
    assert.match(readFileSync(file, 'utf8'), new RegExp(`^sentinel myid ${handle.myid}$`, 'm'));
  } finally {
    await handle.shutdown();
  }
  assert.match(lines.at(-1) ?? '', /# Sentinel is now ready to exit, bye bye\.\.\.$/);
});
