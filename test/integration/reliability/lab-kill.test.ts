// The lab process itself killed with SIGKILL (browser mode, as `npm start -- --headless` runs it)
// while its nodes run with AOF on and a client writes: the nodes are worker threads of the lab's
// process, so they end with it (no orphan keeps a port); started again on the same data directory,
// the lab starts every node from its own files, each replica links again, no write the master
// acknowledged (appendfsync always) is missing, and lab.db passes SQLite's integrity check with
// every node in it. A lab.db that is damaged (garbage bytes, truncated) is named in the error and
// left as it was, and the lab refuses to start rather than begin an empty lab over it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { readFileSync, rmSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeSummary } from '../../../src-main/api/index.js';
import { LabClient, LabProcess, tryConnect } from '../../support/lab-process.js';
import { RespClient } from '../../support/resp-client.js';
import { freePort, tempDir } from '../../support/servers.js';
import { parseInfo, waitFor } from '../../support/replication.js';

const dirs: string[] = [];
const labs: LabProcess[] = [];
after(async () => {
  for (const lab of labs) await lab.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function startLab(dataDir: string, httpPort: number): Promise<{ lab: LabProcess; client: LabClient }> {
  const lab = await LabProcess.start(dataDir, httpPort);
  labs.push(lab);
  return { lab, client: await LabClient.connect(lab) };
}

async function info(client: RespClient, section = 'replication'): Promise<Map<string, string>> {
  return parseInfo(String(await client.call('INFO', section)));
}

/** A lab with one master (AOF, appendfsync always) and two replicas (AOF), on free ports. */
async function labWithNodes(client: LabClient): Promise<NodeSummary[]> {
  for (const node of await client.call<NodeSummary[]>('listNodes')) await client.call('removeNode', node.id, { deleteDir: true });
  const master = await client.call<NodeSummary>('addNode', {
    name: 'master',
    port: await freePort(),
    settings: { appendonly: 'yes', appendfsync: 'always' },
  });
  const replicas: NodeSummary[] = [];
  for (const name of ['replica-1', 'replica-2']) {
    const replica = await client.call<NodeSummary>('addNode', { name, port: await freePort(), settings: { appendonly: 'yes' } });
    await client.call('linkNode', replica.id, master.id);
    replicas.push(replica);
  }
  return [master, ...replicas];
}

async function waitReplicasInSync(master: RespClient, replicas: RespClient[]): Promise<void> {
  await waitFor(
    'the replicas caught up',
    async () => {
      const offset = (await info(master)).get('master_repl_offset');
      for (const replica of replicas) {
        const fields = await info(replica);
        if (fields.get('master_link_status') !== 'up' || fields.get('slave_repl_offset') !== offset) return false;
      }
      return true;
    },
    60000,
  );
}

test('SIGKILL of the lab: on restart every node recovers from its files and lab.db is intact', async () => {
  const dataDir = tempDir('replicalab-labkill-');
  dirs.push(dataDir);
  const httpPort = await freePort();
  let { lab, client } = await startLab(dataDir, httpPort);
  const nodes = await labWithNodes(client);
  const [master, ...replicas] = nodes;

  // Writes without pause; the lab is killed in the middle of them.
  const writer = await RespClient.open(master!.port);
  for (let i = 0; i < 500; i++) assert.equal(await writer.call('SET', `before:${i}`, String(i)), 'OK');
  const acknowledged: number[] = [];
  let writing = true;
  const writes = (async () => {
    for (let i = 0; writing; i++) {
      try {
        if ((await writer.call('SET', `during:${i}`, String(i))) === 'OK') acknowledged.push(i);
      } catch {
        return; // the connection ended with the lab
      }
    }
  })();
  await waitFor('some writes during the run', () => acknowledged.length > 200);
  await lab.stop('SIGKILL');
  writing = false;
  await writes;
  writer.close();
  client.close();

  // The nodes were threads of the lab's process: nothing listens on their ports any more.
  for (const node of nodes) assert.equal(await tryConnect(node.port), 'ECONNREFUSED', `${node.name} still answers on ${node.port}`);

  ({ lab, client } = await startLab(dataDir, httpPort));
  const listed = await client.call<NodeSummary[]>('listNodes');
  assert.deepEqual(
    listed.map((n) => [n.name, n.port, n.status, n.replicaOf]).sort(),
    nodes.map((n) => [n.name, n.port, 'running', n.name === 'master' ? null : master!.id]).sort(),
  );
  const masterClient = await RespClient.open(master!.port);
  const replicaClients = await Promise.all(replicas.map((r) => RespClient.open(r.port)));
  try {
    const keys = ['before:499', ...acknowledged.map((i) => `during:${i}`)];
    const values = (await masterClient.call('MGET', ...keys)) as Array<Buffer | null>;
    const missing = keys.filter((_, j) => values[j] === null);
    assert.deepEqual(missing, [], 'acknowledged writes missing after the restart');
    await waitReplicasInSync(masterClient, replicaClients);
    const digest = String(await masterClient.call('DEBUG', 'DIGEST'));
    for (const replica of replicaClients) assert.equal(String(await replica.call('DEBUG', 'DIGEST')), digest);
    assert.equal((await info(masterClient, 'persistence')).get('aof_last_write_status'), 'ok');
  } finally {
    masterClient.close();
    replicaClients.forEach((c) => c.close());
  }

  // lab.db: SQLite's own check, and the nodes are all in it (a second connection, read-only, as the export reads it).
  const db = new Database(join(dataDir, 'lab.db'), { readonly: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM nodes').get() as { n: number }).n, 3);
  } finally {
    db.close();
  }
  client.close();
  assert.equal(await lab.stop(), 0);
});

test('a damaged lab.db (garbage bytes, truncated) is named in the error, kept as it is, and the lab does not start', async () => {
  // A real lab.db with some history in it, closed cleanly.
  const dataDir = tempDir('replicalab-labdb-');
  dirs.push(dataDir);
  const httpPort = await freePort();
  const { lab, client } = await startLab(dataDir, httpPort);
  await labWithNodes(client);
  client.close();
  assert.equal(await lab.stop(), 0);
  const file = join(dataDir, 'lab.db');
  const good = readFileSync(file);

  const cases: Array<[string, () => void]> = [
    ['garbage bytes', () => writeFileSync(file, Buffer.from(Array.from({ length: 16384 }, (_, i) => (i * 7919) % 251)))],
    ['truncated to half', () => (writeFileSync(file, good), truncateSync(file, Math.floor(good.length / 2)))],
    [
      'a page overwritten in the middle',
      () => (writeFileSync(file, good), overwrite(file, Math.floor(good.length / 4096 / 2) * 4096, 4096)),
    ],
    ['empty', () => writeFileSync(file, '')],
  ];
  for (const [what, damage] of cases) {
    damage();
    const before = readFileSync(file);
    const result = await LabProcess.refused(dataDir, httpPort);
    assert.equal(result.code, 1, `${what}: the lab must refuse to start\n${result.stderr}`);
    assert.equal(result.stdout, '', `${what}: no UI line`);
    assert.ok(result.stderr.includes(file), `${what}: the error names ${file}:\n${result.stderr}`);
    assert.match(result.stderr, /is damaged/);
    assert.ok(readFileSync(file).equals(before), `${what}: lab.db was changed`);
    assert.equal(statSync(file).size, before.length);
  }
});

function overwrite(file: string, at: number, length: number): void {
  const bytes = readFileSync(file);
  for (let i = at; i < Math.min(bytes.length, at + length); i++) bytes[i] = (i * 31) & 0xff;
  writeFileSync(file, bytes);
}
