// Our Sentinel beside Debian's redis-sentinel 7.0, each monitoring the same kind of Debian
// redis-server master with a replica: the same commands get the same shapes of replies (fields,
// errors, roles), the replica is discovered from the master's INFO, and the config file is
// rewritten with the Sentinel's id, epochs and known replicas. Also the CLI: the config file is
// required, bad `sentinel` lines get Redis's report, and `replica-lab-server --sentinel` works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodesForFile, startNode, startReplica, waitFor, type Kind } from '../../support/replication.js';
import { OUR_SENTINEL_BIN, fieldsOf, monitorLines, sentinelsForFile, startSentinel } from '../../support/sentinel.js';
import { OUR_SERVER_BIN, freePort, tempDir } from '../../support/servers.js';

const { track } = nodesForFile();
const keep = sentinelsForFile();

interface Observed {
  role: unknown;
  masterFields: string[];
  replicaFields: string[];
  replica: Map<string, string>;
  addr: string | null;
  infoLine: string | undefined;
  errors: unknown[];
  debugKeys: unknown;
  commandCount: unknown;
  config: string;
  ckquorum: unknown;
  hello: [string | undefined, string | undefined];
}

async function observe(kind: Kind): Promise<Observed> {
  const master = track(await startNode('redis'));
  track(await startReplica('redis', master, ['--replica-priority', '50']));
  const s = keep(await startSentinel(kind, monitorLines('mymaster', master.port, 2)));
  await waitFor(`${kind} sentinel discovers the replica`, async () => (await s.master('mymaster')).get('num-slaves') === '1');
  await waitFor(`${kind} sentinel reads the replica's INFO`, async () => {
    const replicas = await s.sentinel('REPLICAS', 'mymaster');
    return Array.isArray(replicas) && fieldsOf(replicas[0]!).get('master-link-status') === 'ok';
  });
  const replicas = (await s.sentinel('REPLICAS', 'mymaster')) as unknown[];
  const info = String(await s.client.call('INFO'));
  return {
    role: await s.client.call('ROLE'),
    masterFields: [...(await s.master('mymaster')).keys()],
    replicaFields: [...fieldsOf(replicas[0] as never).keys()],
    replica: fieldsOf(replicas[0] as never),
    addr: await s.masterAddr('mymaster'),
    infoLine: info.split('\r\n').find((l) => l.startsWith('master0:')),
    errors: [
      await s.sentinel('MASTER', 'nope'),
      await s.sentinel('FOO'),
      await s.client.call('GET', 'x'),
      await s.sentinel('SET', 'mymaster', 'quorum', '0'),
      await s.sentinel('SET', 'mymaster', 'foo', '1'),
      await s.sentinel('MONITOR', 'mymaster', '127.0.0.1', String(master.port), '2'),
      await s.sentinel('MONITOR', 'other', '127.0.0.1', String(master.port), '0'),
      await s.sentinel('REMOVE', 'nope'),
      await s.sentinel('GET-MASTER-ADDR-BY-NAME', 'nope'),
      await s.sentinel('SET', 'mymaster', 'notification-script', '/bin/true'),
      await s.client.call('PUBLISH', 'chan', 'x'),
      await s.sentinel('SIMULATE-FAILURE', 'HELP'),
      await s.sentinel('IS-MASTER-DOWN-BY-ADDR', '127.0.0.1', 'x', '0', '*'),
    ],
    debugKeys: [...fieldsOf(await s.sentinel('DEBUG')).keys()],
    commandCount: await s.client.call('COMMAND', 'COUNT'),
    config: readFileSync(s.configFile, 'utf8'),
    ckquorum: await s.sentinel('CKQUORUM', 'mymaster'),
    hello: await (async () => {
      const fields = fieldsOf(await s.client.call('HELLO'));
      return [fields.get('mode'), fields.get('role')] as [string | undefined, string | undefined];
    })(),
  };
}

test('our Sentinel answers as redis-sentinel does while monitoring a redis-server master and its replica', async () => {
  const [ours, redis] = [await observe('ours'), await observe('redis')];
  assert.deepEqual(ours.role, redis.role);
  assert.deepEqual(ours.role, [Buffer.from('sentinel'), [Buffer.from('mymaster')]]);
  assert.deepEqual(ours.masterFields, redis.masterFields);
  assert.deepEqual(ours.replicaFields, redis.replicaFields);
  assert.equal(ours.replica.get('slave-priority'), '50');
  assert.equal(ours.replica.get('flags'), 'slave');
  assert.match(ours.addr ?? '', /^127\.0\.0\.1:\d+$/);
  assert.match(ours.infoLine ?? '', /^master0:name=mymaster,status=ok,address=127\.0\.0\.1:\d+,slaves=1,sentinels=1$/);
  assert.match(redis.infoLine ?? '', /^master0:name=mymaster,status=ok,address=127\.0\.0\.1:\d+,slaves=1,sentinels=1$/);
  // Error texts (the MONITOR duplicate names the port, which differs: compare the rest).
  assert.deepEqual(ours.errors, redis.errors);
  assert.deepEqual(ours.debugKeys, redis.debugKeys);
  assert.deepEqual(ours.commandCount, redis.commandCount);
  assert.deepEqual(ours.ckquorum, redis.ckquorum);
  assert.deepEqual(ours.hello, redis.hello);
  assert.deepEqual(ours.hello, ['sentinel', undefined]);
  for (const config of [ours.config, redis.config]) {
    assert.match(config, /^sentinel myid [0-9a-f]{40}$/m);
    assert.match(config, /^sentinel known-replica mymaster 127\.0\.0\.1 \d+$/m);
    assert.match(config, /^sentinel current-epoch 0$/m);
    assert.match(config, /^sentinel config-epoch mymaster 0$/m);
  }
});

test('redis-sentinel reads the config file our Sentinel rewrote, and ours reads its', async () => {
  const master = track(await startNode('redis'));
  track(await startReplica('redis', master));
  for (const [writer, reader] of [
    ['ours', 'redis'],
    ['redis', 'ours'],
  ] as const) {
    const first = await startSentinel(writer, monitorLines('mymaster', master.port, 1));
    await waitFor('replica discovered', async () => (await first.master('mymaster')).get('num-slaves') === '1');
    const myid = String(await first.sentinel('MYID'));
    const text = readFileSync(first.configFile, 'utf8');
    await first.stop();
    const dir = tempDir('replicalab-sentinel-reread-');
    const file = join(dir, 'sentinel.conf');
    // The same file, on a new port: the id and the known replica come from it.
    const port = String(await freePort());
    writeFileSync(file, text.replace(/^port \d+$/m, `port ${port}`).replace(/^dir .*$/m, `dir ${dir}`));
    const r = spawnSync(reader === 'ours' ? OUR_SENTINEL_BIN : 'redis-sentinel', [file], {
      encoding: 'utf8',
      timeout: 3000,
    });
    assert.match(r.stdout, new RegExp(`Sentinel ID is ${myid}`), `${reader} reads ${writer}'s file:\n${r.stdout}${r.stderr}`);
  }
});

test("the config file is required, and bad sentinel lines get redis-sentinel's report", () => {
  const run = (bin: string, args: string[]) => {
    const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 10000 });
    return { status: r.status, text: (r.stdout + r.stderr).replace(/^\d+:X [^#]*# /gm, '') };
  };
  const missing = run(OUR_SENTINEL_BIN, []);
  assert.equal(missing.status, 1);
  assert.equal(missing.text.trim(), run('redis-sentinel', []).text.trim());
  assert.equal(missing.text.trim(), 'Sentinel needs config file on disk to save state. Exiting...');
  const dir = tempDir('replicalab-sentinel-bad-');
  for (const bad of ['sentinel monitor m 127.0.0.1 1 0', 'sentinel foo', 'sentinel down-after-milliseconds nope 10', 'sentinel myid 123']) {
    const file = join(dir, 'bad.conf');
    writeFileSync(file, `port 0\n${bad}\n`);
    const ours = run(OUR_SENTINEL_BIN, [file]);
    const theirs = run('redis-sentinel', [file]);
    assert.equal(ours.status, 1);
    assert.equal(ours.text.trim(), theirs.text.trim(), bad);
  }
});

test('replica-lab-server --sentinel runs a Sentinel, on port 26379 unless told otherwise', async () => {
  const dir = tempDir('replicalab-sentinel-flag-');
  const file = join(dir, 'sentinel.conf');
  writeFileSync(file, 'bind 127.0.0.1\n');
  const r = spawnSync(OUR_SERVER_BIN, ['--sentinel', file, '--port', '0'], { encoding: 'utf8', timeout: 3000 });
  assert.match(r.stdout, /Running mode=sentinel, port=\d+\./);
  assert.match(r.stdout, /Sentinel ID is [0-9a-f]{40}/);
  // The default port: the config has none. (Only the log line is checked: 26379 may be in use.)
  const d = spawnSync(OUR_SERVER_BIN, [file, '--sentinel', '--port', '0'], { encoding: 'utf8', timeout: 3000 });
  assert.match(d.stdout, /Running mode=sentinel/);
  assert.match(readFileSync(file, 'utf8'), /^sentinel myid [0-9a-f]{40}$/m);
});

test('resolve-hostnames and announce-hostnames: a master given by name, shown as redis-sentinel shows it', async () => {
  const master = track(await startNode('redis'));
  for (const announce of ['no', 'yes']) {
    const shown: Record<string, unknown> = {};
    for (const kind of ['ours', 'redis'] as const) {
      const s = keep(
        await startSentinel(kind, [
          'sentinel resolve-hostnames yes',
          `sentinel announce-hostnames ${announce}`,
          `sentinel monitor m localhost ${master.port} 1`,
        ]),
      );
      await waitFor(
        `${kind} connects to the master by name`,
        async () => (await s.master('m')).get('role-reported') === 'master' && (await s.master('m')).get('runid') !== '',
      );
      shown[kind] = [
        (await s.master('m')).get('ip'),
        await s.masterAddr('m'),
        /^sentinel monitor m (\S+) \d+ 1$/m.exec(readFileSync(s.configFile, 'utf8'))?.[1],
      ];
    }
    assert.deepEqual(shown.ours, shown.redis, `announce-hostnames ${announce}`);
    assert.equal((shown.ours as string[])[0], announce === 'yes' ? 'localhost' : '127.0.0.1');
  }
});
