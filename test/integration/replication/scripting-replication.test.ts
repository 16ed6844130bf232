// A script replicates as its effects, as in Redis 7.0: the writes it made (several wrapped in
// MULTI ... EXEC, one alone, none for a read-only script), never the EVAL itself. Checked three
// ways: the AOF of ours against redis-server's for the same scripts; a redis-server replica of our
// master running scripts; our replica of a redis-server master running scripts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { blockingPairForFile, readAofAfterFlush } from '../../support/blocking-pair.js';
import { assertSameData, nodesForFile, startNode, startReplica, waitInSync, type Kind } from '../../support/replication.js';

const pair = blockingPairForFile();
const nodes = nodesForFile();

/** Scripts with writes of every shape; ends with `SET done` so the AOF reader knows it has all. */
const SCRIPTS: Array<Array<string | number>> = [
  ['EVAL', "redis.call('SET', KEYS[1], ARGV[1]); redis.call('INCR', 'counter'); return 1", 1, 'k1', 'v1'],
  ['EVAL', "return redis.call('SET', KEYS[1], 'one write')", 1, 'k2'],
  ['EVAL', "return redis.call('GET', 'k1')", 0],
  ['EVAL', "redis.call('DEL', 'nokey'); return 0", 0],
  ['EVAL', "redis.call('SET', 'ex', 'v', 'EX', 100); redis.call('INCRBYFLOAT', 'f', '1.5'); return 1", 0],
  ['EVAL', "redis.call('SELECT', 5); redis.call('SET', 'in5', 'x'); redis.call('SELECT', 0); redis.call('SET', 'in0', 'y'); return 1", 0],
  ['EVAL', "redis.call('SET', 'before_error', 1); redis.call('INCR', 'k1'); return 1", 0],
  [
    'EVAL',
    "redis.set_repl(redis.REPL_NONE); redis.call('SET', 'not_replicated', 1); redis.set_repl(redis.REPL_ALL); redis.call('SET', 'replicated', 1); return 1",
    0,
  ],
  [
    'EVAL',
    "redis.call('RPUSH', 'l', 'a', 'b', 'c'); redis.call('LPOP', 'l'); redis.call('SADD', 's', 'm'); return redis.call('LLEN', 'l')",
    0,
  ],
  [
    'EVAL',
    "redis.set_repl(redis.REPL_AOF); redis.call('SET', 'aof_only', 1); redis.set_repl(redis.REPL_REPLICA); redis.call('SET', 'replicas_only', 1); return 1",
    0,
  ],
  ['SET', 'done', 1],
];

describe('script effects in the AOF', () => {
  test('the AOF holds what redis-server 7.0 records for the same scripts', async () => {
    await pair.onBoth(async (node) => {
      const client = await node.open();
      const replies = [];
      for (const argv of SCRIPTS) replies.push(await client.call(...argv));
      return replies;
    });
    const [ours, redis] = await Promise.all(pair.nodes.map((node) => readAofAfterFlush(node)));
    // SET EX ... becomes SET ... PXAT <absolute time>: compare without the time itself.
    const normalize = (commands: string[][]) =>
      commands.map((argv) => argv.map((a, i) => (i > 0 && argv[i - 1]?.toUpperCase() === 'PXAT' ? '<time>' : a)));
    assert.deepEqual(normalize(ours), normalize(redis));
    assert.ok(
      ours.some((argv) => argv[0] === 'MULTI'),
      'a script with several writes is wrapped in MULTI/EXEC',
    );
    assert.ok(!ours.some((argv) => argv[0]?.toUpperCase() === 'EVAL'), 'no EVAL is propagated');
  });
});

async function runScripts(kinds: { master: Kind; replica: Kind }): Promise<void> {
  const master = nodes.track(await startNode(kinds.master));
  const replica = nodes.track(await startReplica(kinds.replica, master));
  const sha = String(await master.ok('SCRIPT', 'LOAD', "return redis.call('INCRBY', KEYS[1], ARGV[1])"));
  // All but those that write past replication on purpose (set_repl), and the final SET.
  const scripts = SCRIPTS.filter((argv) => !String(argv[1]).includes('set_repl') && argv[0] === 'EVAL');
  for (let i = 0; i < 50; i++) {
    const argv = scripts[i % scripts.length]!;
    // One script fails after its first write (INCR of a string): that write still replicates.
    await master.client.call(...argv);
    await master.ok('EVALSHA', sha, 1, `n${i % 7}`, i);
  }
  await master.ok('SET', 'done', 1);
  await waitInSync(master, [replica]);
  await assertSameData([master, replica]);
  // redis.set_repl: what went to the AOF only never reaches the replica.
  await master.ok('EVAL', String(SCRIPTS.find((argv) => String(argv[1]).includes('REPL_AOF'))![1]), 0);
  await waitInSync(master, [replica]);
  assert.deepEqual([await replica.ok('EXISTS', 'aof_only'), await replica.ok('EXISTS', 'replicas_only')], [0, 1]);
  // A replica refuses a script's writes from its own clients.
  const refused = await replica.client.call('EVAL', "return redis.call('SET', 'x', 1)", 0);
  assert.match(JSON.stringify(refused), /READONLY You can't write against a read only replica\./);
  await nodes.stop(replica);
  await nodes.stop(master);
}

describe('script effects between ours and redis-server', () => {
  test('a redis-server replica of our master running scripts ends with the same data', () =>
    runScripts({ master: 'ours', replica: 'redis' }));
  test('our replica of a redis-server master running scripts ends with the same data', () =>
    runScripts({ master: 'redis', replica: 'ours' }));
});
