// The multi-part AOF's life as aof.c leads it, side by side with Debian's redis-server: the files
// and manifest a node creates when it starts empty, when the AOF is switched on at run time, when
// rewrites follow each other (history files removed, sequence numbers consecutive across restarts),
// when it is switched off (no new file), with an appendfilename holding spaces, and with empty
// files in the set. After each scenario both directories must hold the same file names, the same
// manifest, and the same data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REDIS_SERVER_VERSION } from '../../support/differential.js';
import { nodesForFile, startNode, waitFor, type Kind, type Node } from '../../support/replication.js';
import { tempDir } from '../../support/servers.js';

const nodes = nodesForFile();

interface State {
  files: string[];
  manifest: string;
  digest: string;
}

function filesOf(dir: string): { files: string[]; manifest: string } {
  const aofDir = join(dir, 'appendonlydir');
  let files: string[] = [];
  try {
    files = readdirSync(aofDir).sort();
  } catch {
    return { files: [], manifest: '' };
  }
  const manifestName = files.find((f) => f.endsWith('.manifest'));
  return { files, manifest: manifestName ? readFileSync(join(aofDir, manifestName), 'latin1') : '' };
}

async function rewriteDone(node: Node): Promise<void> {
  await waitFor(`${node.kind} rewrite done`, async () => {
    const info = await node.info('persistence');
    return info.get('aof_rewrite_in_progress') === '0' && info.get('aof_rewrite_scheduled') === '0';
  });
}

/** Runs `scenario` on a node of each kind (each in its own directory) and compares the results. */
async function sameOnBoth(scenario: (kind: Kind, dir: string) => Promise<Node>): Promise<void> {
  const results: State[] = [];
  for (const kind of ['ours', 'redis'] as Kind[]) {
    const dir = tempDir();
    const node = await scenario(kind, dir);
    const digest = String(await node.ok('DEBUG', 'DIGEST'));
    await nodes.stop(node);
    results.push({ ...filesOf(dir), digest });
  }
  assert.deepEqual(results[0], results[1], `ours, then redis-server ${REDIS_SERVER_VERSION}`);
}

const AOF = ['--appendonly', 'yes'];

test('starting empty creates the base, the incr file and the manifest', async () => {
  await sameOnBoth(async (kind, dir) => nodes.track(await startNode(kind, AOF, { dir })));
});

test('an appendfilename with spaces names every file, quoted in the manifest', async () => {
  await sameOnBoth(async (kind, dir) => {
    const node = nodes.track(await startNode(kind, [...AOF, '--appendfilename', 'my data.aof'], { dir }));
    await node.ok('SET', 'k', 'v');
    return node;
  });
});

test('CONFIG SET appendonly yes at run time writes a base by a rewrite, then appends', async () => {
  await sameOnBoth(async (kind, dir) => {
    const node = nodes.track(await startNode(kind, [], { dir }));
    await node.ok('SET', 'before', '1');
    await node.ok('CONFIG', 'SET', 'appendonly', 'yes');
    await rewriteDone(node);
    await node.ok('SET', 'after', '2');
    return node;
  });
});

test('rewrites in a row: history files removed, sequence numbers consecutive, also across a restart', async () => {
  await sameOnBoth(async (kind, dir) => {
    let node = nodes.track(await startNode(kind, AOF, { dir }));
    for (let i = 0; i < 2; i++) {
      await node.ok('SET', `k${i}`, 'v');
      await node.ok('BGREWRITEAOF');
      await rewriteDone(node);
    }
    await nodes.stop(node);
    node = nodes.track(await startNode(kind, AOF, { dir }));
    await node.ok('SET', 'after-restart', 'v');
    await node.ok('BGREWRITEAOF');
    await rewriteDone(node);
    await node.ok('SET', 'last', 'v');
    return node;
  });
});

test('switched off, the AOF opens no new file; switched on again, it starts a new base', async () => {
  await sameOnBoth(async (kind, dir) => {
    const node = nodes.track(await startNode(kind, AOF, { dir }));
    await node.ok('SET', 'a', '1');
    await node.ok('CONFIG', 'SET', 'appendonly', 'no');
    await node.ok('SET', 'b', '2');
    await node.ok('BGREWRITEAOF').catch(() => {}); // refused or scheduled nowhere: the AOF is off
    await new Promise((r) => setTimeout(r, 300));
    const off = filesOf(dir);
    await node.ok('CONFIG', 'SET', 'appendonly', 'yes');
    await rewriteDone(node);
    await node.ok('SET', 'c', '3');
    await node.ok('SET', 'off-files', off.files.join(','));
    return node;
  });
});

test('empty files in the set (an empty base, an empty incr between two) load', async () => {
  await sameOnBoth(async (kind, dir) => {
    const aofDir = join(dir, 'appendonlydir');
    mkdirSync(aofDir);
    const set = (k: string) => `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$1\r\nv\r\n`;
    writeFileSync(join(aofDir, 'appendonly.aof.1.base.aof'), '');
    writeFileSync(join(aofDir, 'appendonly.aof.1.incr.aof'), set('one'));
    writeFileSync(join(aofDir, 'appendonly.aof.2.incr.aof'), '');
    writeFileSync(join(aofDir, 'appendonly.aof.4.incr.aof'), set('four'));
    writeFileSync(
      join(aofDir, 'appendonly.aof.manifest'),
      [
        'file appendonly.aof.1.base.aof seq 1 type b',
        'file appendonly.aof.1.incr.aof seq 1 type i',
        'file appendonly.aof.2.incr.aof seq 2 type i',
        'file appendonly.aof.4.incr.aof seq 4 type i',
        '',
      ].join('\n'),
    );
    const node = nodes.track(await startNode(kind, AOF, { dir }));
    assert.equal(await node.client.call('EXISTS', 'one', 'four'), 2, kind);
    await node.ok('SET', 'new', 'v');
    return node;
  });
});

const setCommand = (k: string): string => `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$1\r\nv\r\n`;

test('an old appendonly.aof in both the server directory and the AOF directory: nothing is overwritten', async () => {
  // redis-server 7.0 stops on an assertion (aof.c '!aofFileExist(server.aof_filename)'); ours
  // refuses to start with a message naming both files. Neither touches a file.
  for (const kind of ['ours', 'redis'] as Kind[]) {
    const dir = tempDir();
    writeFileSync(join(dir, 'appendonly.aof'), setCommand('from-server-dir'));
    mkdirSync(join(dir, 'appendonlydir'));
    writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof'), setCommand('from-aof-dir'));
    await assert.rejects(startNode(kind, AOF, { dir }), /exited/, kind);
    assert.equal(readFileSync(join(dir, 'appendonly.aof'), 'latin1'), setCommand('from-server-dir'), kind);
    assert.equal(readFileSync(join(dir, 'appendonlydir', 'appendonly.aof'), 'latin1'), setCommand('from-aof-dir'), kind);
    assert.deepEqual(readdirSync(join(dir, 'appendonlydir')), ['appendonly.aof'], kind);
  }
});

test('an upgrade interrupted after its manifest was written is finished at the next start', async () => {
  await sameOnBoth(async (kind, dir) => {
    writeFileSync(join(dir, 'appendonly.aof'), setCommand('old'));
    mkdirSync(join(dir, 'appendonlydir'));
    writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'file appendonly.aof seq 1 type b\n');
    const node = nodes.track(await startNode(kind, AOF, { dir }));
    assert.equal(await node.client.call('EXISTS', 'old'), 1, kind);
    return node;
  });
});

test('two servers sharing one directory, each with its own appenddirname, keep apart', async () => {
  for (const kind of ['ours', 'redis'] as Kind[]) {
    const dir = tempDir();
    const args = (name: string) => [...AOF, '--appenddirname', name, '--dbfilename', `${name}.rdb`];
    const [a, b] = [nodes.track(await startNode(kind, args('a'), { dir })), nodes.track(await startNode(kind, args('b'), { dir }))];
    await a.ok('SET', 'only-a', '1');
    await b.ok('SET', 'only-b', '1');
    await Promise.all([nodes.stop(a), nodes.stop(b)]);
    const [a2, b2] = [nodes.track(await startNode(kind, args('a'), { dir })), nodes.track(await startNode(kind, args('b'), { dir }))];
    assert.deepEqual([await a2.client.call('EXISTS', 'only-a'), await a2.client.call('EXISTS', 'only-b')], [1, 0], kind);
    assert.deepEqual([await b2.client.call('EXISTS', 'only-a'), await b2.client.call('EXISTS', 'only-b')], [0, 1], kind);
    await Promise.all([nodes.stop(a2), nodes.stop(b2)]);
  }
});
