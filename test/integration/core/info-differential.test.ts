// INFO beside redis-server 7.0: every section has the same fields in the same order (with the AOF
// on and off, as a master and as a replica), and the counters people read in a replication lab
// move as redis-server's do: socket reads and writes, forks, replication throughput, the backlog's
// memory, errors replied to a master, keys a writable replica expires itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RespClient } from '../../support/resp-client.js';
import { nodesForFile, startNode, startReplica, waitFor, parseInfo, type Kind, type Node } from '../../support/replication.js';

const { track } = nodesForFile();
const KINDS: Kind[] = ['ours', 'redis'];

async function node(kind: Kind, args: string[] = []): Promise<Node> {
  return track(await startNode(kind, args));
}

async function replicaOf(kind: Kind, master: Node, args: string[] = []): Promise<Node> {
  return track(await startReplica(kind, master, args));
}

/**
 * Sections whose lines are one per command run, error code seen or database used: which lines
 * there are depends on what ran, not on the server; the tests of those commands compare them.
 */
const PER_ITEM_SECTIONS = new Set(['Commandstats', 'Errorstats', 'Latencystats', 'Keyspace']);

/** Each section's title and its field names, in order. */
async function layout(n: Node): Promise<[string, string[]][]> {
  const text = String(await n.ok('INFO', 'everything'));
  return text.split('\r\n\r\n').map((block) => {
    const [title, ...lines] = block.split('\r\n').filter((l) => l !== '');
    const name = title!.replace(/^# /, '');
    return [name, PER_ITEM_SECTIONS.has(name) ? [] : lines.map((l) => l.slice(0, l.indexOf(':')))];
  });
}

async function everything(n: Node): Promise<Map<string, string>> {
  return parseInfo(String(await n.ok('INFO', 'everything')));
}

const num = async (n: Node, field: string) => Number((await everything(n)).get(field));

test('INFO everything has the same sections and fields, in the same order, as redis-server', async () => {
  for (const args of [[], ['--appendonly', 'yes']]) {
    const [ours, redis] = await Promise.all(KINDS.map((kind) => node(kind, args)));
    assert.deepEqual(await layout(ours!), await layout(redis!), `a master, ${args.join(' ') || 'no AOF'}`);
    // As replicas of the same redis-server master.
    const master = await node('redis');
    for (const n of [ours!, redis!]) await n.ok('REPLICAOF', '127.0.0.1', master.port);
    await waitFor('both linked', async () => {
      const links = await Promise.all([ours!, redis!].map((n) => n.info()));
      return links.every((info) => info.get('master_link_status') === 'up');
    });
    assert.deepEqual(await layout(ours!), await layout(redis!), `a replica, ${args.join(' ') || 'no AOF'}`);
  }
});

test('total_reads_processed and total_writes_processed count one read and one write per command sent alone', async () => {
  for (const kind of KINDS) {
    const n = await node(kind);
    const before = await everything(n);
    for (let i = 0; i < 10; i++) await n.ok('PING');
    const after = await everything(n);
    // The 10 PINGs and the second INFO were read; the 10 replies and the first INFO's written.
    const reads = Number(after.get('total_reads_processed')) - Number(before.get('total_reads_processed'));
    const writes = Number(after.get('total_writes_processed')) - Number(before.get('total_writes_processed'));
    assert.equal(reads, 11, `${kind} reads`);
    assert.equal(writes, 11, `${kind} writes`);
    await n.ok('CONFIG', 'RESETSTAT');
    const reset = await everything(n);
    assert.equal(reset.get('total_reads_processed'), '1', `${kind}: RESETSTAT, then INFO's own read`);
    assert.equal(reset.get('total_forks'), '0', kind);
  }
});

test('total_forks counts BGSAVE and BGREWRITEAOF; latest_fork_usec is the time it took', async () => {
  for (const kind of KINDS) {
    const n = await node(kind);
    for (let i = 0; i < 100; i++) await n.ok('SET', `k${i}`, 'v');
    assert.equal(await num(n, 'total_forks'), 0, kind);
    await n.ok('BGSAVE');
    await waitFor(`${kind} BGSAVE ends`, async () => (await n.info('persistence')).get('rdb_bgsave_in_progress') === '0');
    assert.equal(await num(n, 'total_forks'), 1, kind);
    assert.ok((await num(n, 'latest_fork_usec')) >= 0, kind);
    await n.ok('BGREWRITEAOF');
    await waitFor(`${kind} rewrite ends`, async () => (await n.info('persistence')).get('aof_rewrite_in_progress') === '0');
    assert.equal(await num(n, 'total_forks'), 2, kind);
    // SAVE serialises in the main thread: no fork.
    await n.ok('SAVE');
    assert.equal(await num(n, 'total_forks'), 2, kind);
  }
});

test('a master streaming to a replica: repl kbps on both ends, the backlog and replication buffers in INFO memory', async () => {
  for (const kind of KINDS) {
    const backlogSize = 256 * 1024;
    const master = await node(kind, ['--repl-backlog-size', String(backlogSize)]);
    const replica = await replicaOf(kind, master);
    const value = 'x'.repeat(1000);
    // About 100 KB/s for two seconds: the instantaneous rates average the last 1.6 s.
    let outKbps = 0;
    let inKbps = 0;
    for (let round = 0; round < 20; round++) {
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < 100; i++) writes.push(master.ok('SET', `k${round}:${i}`, value));
      await Promise.all(writes);
      await new Promise((r) => setTimeout(r, 100));
      outKbps = Math.max(outKbps, await num(master, 'instantaneous_output_repl_kbps'));
      inKbps = Math.max(inKbps, await num(replica, 'instantaneous_input_repl_kbps'));
    }
    assert.ok(outKbps > 10, `${kind} master sends the stream: ${outKbps} KB/s`);
    assert.ok(inKbps > 10, `${kind} replica reads it: ${inKbps} KB/s`);
    assert.equal(await num(replica, 'instantaneous_output_repl_kbps'), 0, `${kind}: the replica has no replica`);
    // Replication bytes (the full sync's RDB included) are part of the totals, as redis-server sums them.
    const replicaInfo = await everything(replica);
    const replIn = Number(replicaInfo.get('total_net_repl_input_bytes'));
    assert.ok(replIn > 2_000_000, `${kind} replica read the stream: ${replIn}`);
    assert.ok(Number(replicaInfo.get('total_net_input_bytes')) >= replIn, kind);
    // 2 MB went through a 256 KB backlog: it holds its size, plus at most the block in filling.
    const info = await everything(master);
    const backlog = Number(info.get('mem_replication_backlog'));
    assert.ok(backlog >= backlogSize && backlog <= backlogSize + 2 * 16 * 1024 + 4096, `${kind} mem_replication_backlog ${backlog}`);
    assert.ok(Number(info.get('mem_total_replication_buffers')) >= backlog, kind);
    assert.ok(Number(info.get('mem_clients_slaves')) > 0, `${kind}: the replica client's memory`);
  }
});

test('errors a replica replies to its master are unexpected_error_replies; its own expiring keys slave_expires_tracked_keys', async () => {
  const master = await node('ours');
  for (const kind of KINDS) {
    const replica = await replicaOf(kind, master, ['--replica-read-only', 'no']);
    // The replica's own key shadows the master's list: the pushed LPUSH fails there.
    await replica.ok('SET', `list:${kind}`, 'string');
    await replica.ok('SET', `mine:${kind}`, 'v', 'EX', '100');
    await master.ok('LPUSH', `list:${kind}`, 'a');
    await waitFor(`${kind} replica got the LPUSH`, async () => (await num(replica, 'unexpected_error_replies')) === 1);
    // Logged as loudly as Redis logs it (networking.c afterErrorReply).
    const critical = replica.server
      .output()
      .split('\n')
      .find((line) => line.includes('== CRITICAL =='));
    assert.match(
      critical ?? '',
      /# == CRITICAL == This replica is sending an error to its master: '-WRONGTYPE Operation against a key holding the wrong kind of value' after processing the command 'lpush'$/,
      kind,
    );
    assert.equal(await num(replica, 'slave_expires_tracked_keys'), 1, kind);
    assert.equal(await num(master, 'unexpected_error_replies'), 0);
  }
});

test('the active expire cycle reports the stale share it found and its time', async () => {
  for (const kind of KINDS) {
    const n = await node(kind);
    for (let i = 0; i < 500; i++) await n.ok('SET', `t${i}`, 'v', 'PX', '20');
    await waitFor(`${kind} expired them`, async () => (await num(n, 'expired_keys')) === 500);
    const info = await everything(n);
    assert.ok(Number(info.get('expired_stale_perc')) > 0, `${kind} expired_stale_perc ${info.get('expired_stale_perc')}`);
    assert.match(info.get('expired_stale_perc')!, /^\d+\.\d\d$/, kind);
    assert.ok(Number(info.get('expire_cycle_cpu_milliseconds')) >= 0, kind);
  }
});

test('INFO memory: startup, overhead and dataset add up; scripts and functions are counted', async () => {
  const n = await node('ours');
  const before = await everything(n);
  const startup = Number(before.get('used_memory_startup'));
  assert.ok(startup > 0);
  assert.ok(Number(before.get('used_memory_overhead')) >= startup);
  assert.match(before.get('used_memory_peak_perc')!, /^\d+\.\d\d%$/);
  assert.match(before.get('used_memory_dataset_perc')!, /^-?\d+\.\d\d%$/);
  assert.ok(Number(before.get('used_memory_vm_eval')) > 0, 'the Lua state has a size');
  assert.equal(before.get('used_memory_lua'), before.get('used_memory_vm_eval'));
  const body = 'return 1 -- ' + 'x'.repeat(1000);
  await n.ok('SCRIPT', 'LOAD', body);
  const code = "#!lua name=lib\nredis.register_function('f', function() return 1 end)";
  await n.ok('FUNCTION', 'LOAD', code);
  const after = await everything(n);
  assert.equal(Number(after.get('used_memory_scripts_eval')), 40 + body.length, 'the cached body and its sha1');
  assert.ok(Number(after.get('used_memory_functions')) >= code.length);
  assert.equal(
    Number(after.get('used_memory_scripts')),
    Number(after.get('used_memory_scripts_eval')) + Number(after.get('used_memory_functions')),
  );
  assert.equal(
    Number(after.get('used_memory_vm_total')),
    Number(after.get('used_memory_vm_eval')) + Number(after.get('used_memory_vm_functions')),
  );
  // A second client adds its reply buffer to mem_clients_normal.
  const other = await RespClient.open(n.port);
  try {
    const expected = Number(after.get('mem_clients_normal')) + 1024;
    await waitFor('the second client counted', async () => (await num(n, 'mem_clients_normal')) === expected);
  } finally {
    other.close();
  }
});

test('dump_payload_sanitizations counts the encodings RESTORE checks in full, as sanitize-dump-payload decides', async () => {
  const counts: Record<string, number[]> = {};
  for (const kind of KINDS) {
    const n = await node(kind);
    await n.ok('RPUSH', 'list', 'a', 'b', 'c');
    await n.ok('SADD', 'intset', '1', '2', '3');
    await n.ok('HSET', 'hash', 'f', 'v');
    await n.ok('ZADD', 'zset', '1', 'm');
    await n.ok('XADD', 'stream', '1-1', 'f', 'v');
    await n.ok('SET', 'string', 'v');
    const keys = ['list', 'intset', 'hash', 'zset', 'stream', 'string'];
    const payloads = await Promise.all(keys.map(async (key) => (await n.client.call('DUMP', key)) as Buffer));
    counts[kind] = [];
    for (const mode of ['no', 'yes', 'clients']) {
      await n.ok('CONFIG', 'SET', 'sanitize-dump-payload', mode);
      const before = await num(n, 'dump_payload_sanitizations');
      for (const [i, key] of keys.entries()) await n.ok('RESTORE', key, '0', payloads[i]!, 'REPLACE');
      counts[kind].push((await num(n, 'dump_payload_sanitizations')) - before);
    }
    // With `yes`, the encodings of a file loaded are sanitized and counted too (`clients` skips them).
    for (const mode of ['yes', 'clients']) {
      await n.ok('CONFIG', 'SET', 'sanitize-dump-payload', mode);
      const before = await num(n, 'dump_payload_sanitizations');
      await n.ok('DEBUG', 'RELOAD');
      counts[kind].push((await num(n, 'dump_payload_sanitizations')) - before);
    }
  }
  assert.deepEqual(counts.ours, counts.redis);
  assert.ok(counts.redis![1]! > 0 && counts.redis![3]! > 0, JSON.stringify(counts.redis));
});
