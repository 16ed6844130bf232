// The write load generator through the lab host: started on a new lab's master it moves the
// master's master_repl_offset and its replicas' offsets, at about the rate asked for, as the nodes'
// own INFO (read with Debian's redis-cli) shows; Stop stops the writes; bad options are refused with
// a clear message and start nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { LAB_PARAM_CHECKS, type LoadOptions, type NodeSummary } from '../../../src-main/api/index.js';
import { LabHost } from '../../../src-main/host/lab-host.js';
import { waitUntil } from '../../support/browser.js';
import { redisCli, ROOT, tempDir } from '../../support/servers.js';

const WORKER = join(ROOT, 'out', 'main', 'node-worker.js');

function infoField(port: number, field: string, section = 'all'): string {
  const line = redisCli(port, ['INFO', section])
    .split(/\r?\n/)
    .find((l) => l.startsWith(`${field}:`));
  return line?.slice(field.length + 1) ?? '';
}

/** Calls of one command on the node so far, from INFO commandstats (0 if never called). */
function calls(port: number, command: string): number {
  const stat = infoField(port, `cmdstat_${command}`, 'commandstats');
  return stat ? Number(/calls=(\d+)/.exec(stat)![1]) : 0;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the write load generator', () => {
  const dataDir = tempDir('replicalab-load-');
  let lab: LabHost;
  let master: NodeSummary;
  let replicas: NodeSummary[];
  const options: LoadOptions = { rate: 500, keys: 1000, valueSize: 100, mix: ['set', 'hset', 'lpush', 'zadd'], ttlSeconds: 0 };

  before(async () => {
    lab = await LabHost.open({ dataDir, workerScript: WORKER });
    [master, ...replicas] = await lab.listNodes();
    await waitUntil('both replicas are linked', () => replicas.every((r) => infoField(r.port, 'master_link_status') === 'up'));
  });

  after(async () => {
    await lab?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('500 writes/s on the master move its offset and its replicas, at about that rate', async () => {
    const offsetBefore = Number(infoField(master.port, 'master_repl_offset'));
    const started = await lab.startLoad(master.id, options);
    assert.equal(started.masterId, master.id);
    const setsBefore = calls(master.port, 'set');
    const t0 = Date.now();
    await sleep(3000);
    const sets = calls(master.port, 'set') - setsBefore;
    const elapsed = (Date.now() - t0) / 1000;
    // A quarter of the mix is SET: about 125 a second.
    const setRate = sets / elapsed;
    assert.ok(setRate > 80 && setRate < 170, `SET calls per second: ${setRate.toFixed(0)}`);

    const status = (await lab.listLoads()).find((load) => load.masterId === master.id)!;
    assert.equal(status.state, 'running');
    assert.ok(status.achievedRate > 350 && status.achievedRate < 650, `achieved ${status.achievedRate} writes/s for 500`);
    assert.equal(status.errors, 0, String(status.lastError));

    const offset = Number(infoField(master.port, 'master_repl_offset'));
    assert.ok(offset > offsetBefore + 100_000, `master_repl_offset moved from ${offsetBefore} to ${offset}`);
    for (const replica of replicas) {
      await waitUntil(`${replica.name} follows past ${offset}`, () => Number(infoField(replica.port, 'master_repl_offset')) >= offset);
    }
    assert.ok(Number(infoField(master.port, 'db0', 'keyspace').match(/keys=(\d+)/)![1]) > 100);
  });

  test('Stop stops the writes', async () => {
    const last = await lab.stopLoad(master.id);
    assert.ok(last && last.acknowledged > 1000, `acknowledged: ${last?.acknowledged}`); // about 3.3 s at 500/s
    assert.deepEqual(await lab.listLoads(), []);
    await sleep(300);
    const setsAfterStop = calls(master.port, 'set');
    await sleep(1500);
    assert.equal(calls(master.port, 'set'), setsAfterStop, 'no SET after Stop');
    const messages = (await lab.listEvents(20)).filter((e) => e.kind === 'load').map((e) => e.message);
    assert.ok(
      messages.some((m) => m.startsWith('write load started: 500 writes/s over 1000 keys, 100-byte values')),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) => m.startsWith('write load stopped after')),
      messages.join('\n'),
    );
  });

  test('bad options are refused with a clear message and start nothing', async () => {
    const check = (o: unknown): unknown => LAB_PARAM_CHECKS.startLoad!([master.id, o]);
    assert.throws(() => check({ ...options, rate: 0 }), /the rate \(writes per second\) must be a whole number from 1 to 20000/);
    assert.throws(() => check({ ...options, rate: 50_000 }), /from 1 to 20000/);
    assert.throws(() => check({ ...options, keys: 0 }), /the key space \(keys\) must be a whole number from 1 to 1000000/);
    assert.throws(() => check({ ...options, valueSize: 100_000 }), /the value size \(bytes\) must be a whole number from 1 to 65536/);
    assert.throws(() => check({ ...options, mix: ['flushall'] }), /the mix must name one or more of set, incr, hset, lpush, sadd, zadd/);
    assert.throws(() => check({ ...options, mix: [] }), /the mix must name one or more/);
    assert.throws(() => check({ ...options, ttlSeconds: -1 }), /the TTL \(seconds\) must be a whole number from 0 to 86400/);
    assert.throws(() => check({ ...options, rate: 20_000, valueSize: 65_536 }), /within 64 MB\/s/);
    await assert.rejects(lab.startLoad(replicas[0]!.id, options), /is a replica and refuses writes: start the load on its master/);
    assert.deepEqual(await lab.listLoads(), []);
  });

  test('with a TTL, what it writes expires', async () => {
    await lab.startLoad(master.id, { rate: 200, keys: 50, valueSize: 10, mix: ['set', 'sadd'], ttlSeconds: 30 });
    await sleep(1000);
    await lab.stopLoad(master.id);
    const ttl = Number(redisCli(master.port, ['TTL', redisCli(master.port, ['--scan', '--pattern', 'load:sadd:*']).split('\n')[0]!]));
    assert.ok(ttl > 0 && ttl <= 30, `TTL of a load:sadd key: ${ttl}`);
  });
});
