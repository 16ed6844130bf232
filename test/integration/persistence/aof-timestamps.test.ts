// aof-timestamp-enabled (Redis 7.0): `#TS:<unix seconds>` annotations before the first command of
// each second, and at the start of a rewritten RESP base, so that redis-check-aof
// --truncate-to-timestamp can cut an AOF back to a point in time. Our files against
// redis-server's, and cut by Debian's own redis-check-aof, then loaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodesForFile, startNode, waitFor, type Kind } from '../../support/replication.js';
import { tempDir } from '../../support/servers.js';

const nodes = nodesForFile();
const ARGS = ['--appendonly', 'yes', '--aof-timestamp-enabled', 'yes', '--aof-use-rdb-preamble', 'no'];

function aofFile(dir: string, type: 'b' | 'i'): string {
  const manifest = readFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'utf8');
  const name = new RegExp(`file (\\S+) seq \\d+ type ${type}`).exec(manifest)![1]!;
  return join(dir, 'appendonlydir', name);
}

/** Waits until the wall clock enters a new second, so that the next write gets its own annotation. */
async function nextSecond(): Promise<number> {
  const now = Math.floor(Date.now() / 1000);
  await new Promise((r) => setTimeout(r, (now + 1) * 1000 - Date.now() + 20));
  return now + 1;
}

for (const kind of ['ours', 'redis'] as Kind[]) {
  test(`${kind}: timestamped AOF, cut back in time by redis-check-aof and loaded`, async () => {
    const dir = tempDir();
    let node = nodes.track(await startNode(kind, ARGS, { dir }));
    await nextSecond();
    await node.ok('SET', 'first', '1');
    await node.ok('SET', 'second', '2');
    const later = await nextSecond();
    await node.ok('SET', 'later', '3');
    const incr = readFileSync(aofFile(dir, 'i'), 'latin1');
    const stamps = incr.match(/^#TS:(\d+)\r$/gm) ?? [];
    assert.equal(stamps.length, 2, `one annotation per second with writes:\n${incr}`);
    assert.ok(incr.startsWith('#TS:'), 'the first command of the file is annotated');
    assert.ok(incr.indexOf(`#TS:${later}\r\n`) < incr.indexOf('later'), 'the annotation comes before the command');

    await nodes.stop(node);

    // Cut back to the second before 'later': the commands annotated after it go.
    const out = execFileSync('redis-check-aof', ['--truncate-to-timestamp', String(later - 1), aofFile(dir, 'i')], { encoding: 'utf8' });
    assert.match(out, /Successfully truncated AOF/);
    node = nodes.track(await startNode(kind, ARGS, { dir }));
    assert.equal(await node.client.call('EXISTS', 'first', 'second'), 2);
    assert.equal(await node.client.call('EXISTS', 'later'), 0);

    // A rewritten RESP base starts with an annotation too, and loads.
    await node.ok('BGREWRITEAOF');
    await waitFor('the rewrite ends', async () => (await node.info('persistence')).get('aof_rewrite_in_progress') === '0');
    assert.match(readFileSync(aofFile(dir, 'b'), 'latin1'), /^#TS:\d+\r\n\*2\r\n\$6\r\nSELECT/);
    await nodes.stop(node);
    node = nodes.track(await startNode(kind, ARGS, { dir }));
    assert.equal(await node.client.call('EXISTS', 'first', 'second'), 2);
  });
}
