// The lab reads every number it shows from a node's INFO text. The reference for that text is
// Debian's redis-server: parse what a real master and a real replica print, and check the fields
// against the same server's own answers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseNodeInfo } from '../../../../src-main/host/metrics/info-parser.js';
import { redisCli, startServer, type RunningServer } from '../../../support/servers.js';

let master: RunningServer;
let replica: RunningServer;

before(async () => {
  // No diskless-sync delay: the replica links up at once instead of after Redis's default 5 s.
  master = await startServer('redis', ['--repl-diskless-sync-delay', '0']);
  replica = await startServer('redis', ['--replicaof', '127.0.0.1', String(master.port)]);
  const linked = (): boolean =>
    redisCli(replica.port, ['INFO', 'replication']).includes('master_link_status:up') &&
    redisCli(master.port, ['INFO', 'replication']).includes('state=online');
  for (let i = 0; i < 200 && !linked(); i++) await sleep(50);
  assert.ok(linked(), 'the replica linked up with its master');
});

after(async () => {
  await replica?.stop();
  await master?.stop();
});

test("parses a real master's INFO", () => {
  redisCli(master.port, ['MSET', 'a', '1', 'b', '2']);
  redisCli(master.port, ['-n', '3', 'SET', 'c', '3']);
  const text = redisCli(master.port, ['INFO']);
  const info = parseNodeInfo(text, 1234);
  assert.equal(info.sampledAt, 1234);
  assert.equal(info.role, 'master');
  assert.equal(info.keys, 3, 'keys of db0 and db3 added up');
  assert.equal(info.connectedSlaves, 1);
  assert.match(info.masterReplid, /^[0-9a-f]{40}$/);
  assert.ok(info.masterReplOffset > 0);
  assert.ok(info.usedMemory > 0);
  assert.ok(info.connectedClients >= 1);
  assert.equal(info.masterHost, undefined);
  assert.equal(info.masterLinkStatus, undefined);
  const replicationSection = redisCli(master.port, ['INFO', 'replication'])
    .split(/\r?\n/)
    .filter((line) => line.includes(':'))
    .map((line) => line.slice(0, line.indexOf(':')));
  assert.deepEqual(
    info.replication.map(([field]) => field),
    replicationSection,
    'every replication field, in order',
  );
  assert.match(info.replication.find(([field]) => field === 'slave0')![1], /^ip=127\.0\.0\.1,port=\d+,state=online/);
});

test("parses a real replica's INFO", () => {
  const info = parseNodeInfo(redisCli(replica.port, ['INFO']), Date.now());
  assert.equal(info.role, 'slave');
  assert.equal(info.masterHost, '127.0.0.1');
  assert.equal(info.masterPort, master.port);
  assert.equal(info.masterLinkStatus, 'up');
  assert.equal(info.replication[0]![0], 'role');
  assert.equal(info.replication[0]![1], 'slave');
});
