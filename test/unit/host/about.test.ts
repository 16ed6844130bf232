// The About box names every version a bug report needs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { aboutText } from '../../../src-main/host/app/about.js';
import { redisCli, ROOT, startServer } from '../../support/servers.js';

test('About: ReplicaLab’s version, the Redis version the nodes report, and the runtime’s', async () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const node = await startServer('ours');
  let reported: string;
  try {
    reported = /redis_version:(\S+)/.exec(redisCli(node.port, ['INFO', 'server']))![1]!;
  } finally {
    await node.stop();
  }
  const text = aboutText({ electron: '39.2.0', chrome: '142.0.0.0', node: '22.20.0', v8: '14.2' });
  assert.equal(
    text,
    [
      `ReplicaLab ${pkg.version}`,
      `Nodes answer as Redis ${reported}`,
      'Electron 39.2.0',
      'Chromium 142.0.0.0',
      'Node 22.20.0',
      'V8 14.2',
    ].join('\n'),
  );
});
