// DEBUG's subcommands (7.0's debug.c) against Debian's redis-server: the replies of every one a
// tool may call, their effects on the node (reload options, AOF reload, replication ID, the
// replication stream, the cron, checksums, slow AOF writes), and the deliberate crashes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pairForFile, REDIS_SERVER_VERSION } from '../../support/differential.js';
import { RespClient, show } from '../../support/resp-client.js';
import { isError, nodesForFile, startNode, startReplica, waitFor, type Kind, type Node } from '../../support/replication.js';

const KINDS: Kind[] = ['ours', 'redis'];

describe('DEBUG replies, side by side with redis-server', () => {
  const pair = pairForFile(['--enable-debug-command', 'yes']);

  test('every subcommand answers as Redis does, errors and argument counts included', async () => {
    await pair.sameAll([
      ['DEBUG', 'no-such-subcommand'],
      ['DEBUG', 'HELP'],
      ['DEBUG', 'HELP', 'extra'],
      ['DEBUG', 'PROTOCOL'],
      ['DEBUG', 'PROTOCOL', 'bogus'],
      ['DEBUG', 'ERROR', 'MYERR something went wrong'],
      ['DEBUG', 'ERROR', 'line\r\nbreak'],
      ['DEBUG', 'ERROR'],
      ['DEBUG', 'LOG', 'a line for the log'],
      ['DEBUG', 'LEAK', 'x'],
      ['DEBUG', 'STRUCTSIZE'],
      ['DEBUG', 'HTSTATS', '0'],
      ['DEBUG', 'HTSTATS', '99'],
      ['DEBUG', 'HTSTATS', 'x'],
      ['DEBUG', 'HTSTATS-KEY', 'missing'],
      ['DEBUG', 'SDSLEN', 'missing'],
      ['DEBUG', 'LISTPACK', 'missing'],
      ['DEBUG', 'QUICKLIST', 'missing'],
      ['DEBUG', 'CLIENT-EVICTION'],
      ['DEBUG', 'PAUSE-CRON', '0'],
      ['DEBUG', 'REPLYBUFFER', 'RESIZING', '1'],
      ['DEBUG', 'REPLYBUFFER', 'PEAK-RESET-TIME', 'never'],
      ['DEBUG', 'REPLYBUFFER', 'PEAK-RESET-TIME', 'reset'],
      ['DEBUG', 'REPLYBUFFER', 'PEAK-RESET-TIME', 'x'],
      ['DEBUG', 'REPLYBUFFER', 'other', '1'],
      ['DEBUG', 'CLUSTERLINK', 'KILL', 'to', 'abc'],
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '5gb'],
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', 'x'],
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0'],
      ['DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '0'],
      ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
      ['DEBUG', 'AOF-FLUSH-SLEEP', '0'],
      ['DEBUG', 'SET-DISABLE-DENY-SCRIPTS', '0'],
      ['DEBUG', 'DROP-CLUSTER-PACKET-FILTER', '-1'],
      ['DEBUG', 'DROP-CLUSTER-PACKET-FILTER', 'x'],
      ['DEBUG', 'MALLCTL', 'no.such.key'],
      ['DEBUG', 'STRINGMATCH-TEST'],
      ['DEBUG', 'SLEEP', '0'],
      ['DEBUG', 'SLEEP', 'abc'],
      ['DEBUG', 'POPULATE', 'x'],
      ['DEBUG', 'POPULATE', '-1'],
      ['DEBUG', 'POPULATE', '3', 'p', '12'],
      ['GET', 'p:1'],
      ['DEBUG', 'RELOAD', 'bogus'],
      ['DEBUG', 'RESTART', 'x'],
      ['DEBUG', 'CONFIG-REWRITE-FORCE-ALL'],
      ['DEBUG', 'DIGEST', 'extra'],
      ['DEBUG', 'CHANGE-REPL-ID', 'extra'],
      ['SET', 'int', '12'],
      ['SET', 'str', 'hello'],
      ['RPUSH', 'list', 'a', 'b'],
      ['DEBUG', 'SDSLEN', 'int'],
      ['DEBUG', 'SDSLEN', 'str'],
      ['DEBUG', 'LISTPACK', 'list'],
      ['DEBUG', 'QUICKLIST', 'list'],
      ['DEBUG', 'HTSTATS-KEY', 'list'],
      ['CONFIG', 'SET', 'maxmemory-clients', '1mb'],
      ['CONFIG', 'SET', 'maxmemory-clients', '0'],
    ]);
    // DEBUG OBJECT: the same encodings, sizes and refcounts (the address and clocks differ; a shared
    // integer in Redis keeps the clock of the server's start).
    for (const key of ['int', 'str', 'list']) {
      const [ours, redis] = await Promise.all([pair.ours.call('DEBUG', 'OBJECT', key), pair.redis.call('DEBUG', 'OBJECT', key)]);
      const fields = (reply: unknown) =>
        String(reply)
          .split(' ')
          .filter((f) => /^(refcount|encoding|serializedlength):/.test(f));
      assert.deepEqual(fields(ours), fields(redis), `DEBUG OBJECT ${key} (ours ${ours}, redis-server ${REDIS_SERVER_VERSION}: ${redis})`);
    }
  });

  test('DEBUG PROTOCOL gives every RESP type in RESP2 and RESP3', async () => {
    const types = ['string', 'integer', 'double', 'bignum', 'null', 'array', 'set', 'map', 'attrib', 'push', 'verbatim', 'true', 'false'];
    for (const protocol of ['2', '3']) {
      const [ours, redis] = await Promise.all(pair.servers.map((s) => RespClient.open(s.port)));
      try {
        await Promise.all([ours!.call('HELLO', protocol), redis!.call('HELLO', protocol)]);
        for (const type of types) {
          const replies = await Promise.all([ours!.call('DEBUG', 'PROTOCOL', type), redis!.call('DEBUG', 'PROTOCOL', type)]);
          assert.deepEqual(show(replies[0]!), show(replies[1]!), `DEBUG PROTOCOL ${type} in RESP${protocol}`);
        }
        // The push is followed by a real reply, which arrives as the next, unrequested, frame.
        assert.deepEqual(ours!.unsolicited.map(show), redis!.unsolicited.map(show));
      } finally {
        ours!.close();
        redis!.close();
      }
    }
  });

  test('hidden debugging directives answer their exact name only, as in Redis', async () => {
    for (const name of [
      'rdb-key-save-delay',
      'key-load-delay',
      'loading-process-events-interval-bytes',
      'watchdog-period',
      'use-exit-on-panic',
    ]) {
      await pair.same(['CONFIG', 'GET', name]);
      await pair.same(['CONFIG', 'GET', `${name.slice(0, 5)}*`], { unordered: true });
    }
    await pair.same(['CONFIG', 'SET', 'rdb-key-save-delay', '-5']);
    await pair.same(['CONFIG', 'GET', 'rdb-key-save-delay']);
    await pair.same(['CONFIG', 'SET', 'loading-process-events-interval-bytes', '100']);
    await pair.same(['CONFIG', 'SET', 'rdb-key-save-delay', '0']);
  });
});

describe('DEBUG effects on the node', () => {
  const nodes = nodesForFile();

  async function both(args: string[] = []): Promise<Node[]> {
    return Promise.all(KINDS.map(async (kind) => nodes.track(await startNode(kind, args))));
  }

  test('RELOAD NOSAVE NOFLUSH MERGE adds the saved keys, the saved value winning', async () => {
    for (const node of await both()) {
      await node.ok('SET', 'a', 'saved');
      await node.ok('SAVE');
      await node.ok('SET', 'a', 'newer');
      await node.ok('SET', 'b', 'only-in-memory');
      assert.equal(await node.ok('DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE'), 'OK');
      assert.equal(String(await node.ok('GET', 'a')), 'saved', node.kind);
      assert.equal(String(await node.ok('GET', 'b')), 'only-in-memory', node.kind);
      // Without NOFLUSH the dataset is replaced by the file.
      assert.equal(await node.ok('DEBUG', 'RELOAD', 'NOSAVE'), 'OK');
      assert.equal(await node.client.call('EXISTS', 'b'), 0, node.kind);
    }
  });

  test('RELOAD NOFLUSH without MERGE and a key in both: the node dies as Redis does', async () => {
    for (const node of await both()) {
      await node.ok('SET', 'dup', '1');
      await node.ok('SAVE');
      const reply = node.client.call('DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH').catch((err: Error) => err);
      // 'close', not 'exit': the process's last output lines may still be in its pipes at 'exit'.
      const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        node.server.proc.once('close', (code, signal) => resolve({ code, signal })),
      );
      assert.ok((await reply) instanceof Error, `${node.kind}: the connection closes without a reply`);
      assert.equal(exit.signal, 'SIGABRT', node.kind);
      assert.match(node.server.output(), /RDB has duplicated key 'dup' in DB 0/, node.kind);
      assert.match(node.server.output(), /Guru Meditation: Duplicated key found in RDB file/, node.kind);
      await nodes.stop(node);
    }
  });

  test('SEGFAULT, PANIC and ASSERT crash the node with a bug report and its signal', async () => {
    const expected: Array<[string, NodeJS.Signals, RegExp]> = [
      ['SEGFAULT', 'SIGSEGV', /crashed by signal: 11/],
      ['PANIC', 'SIGABRT', /Guru Meditation: DEBUG PANIC called at Unix time \d+/],
      ['ASSERT', 'SIGABRT', /=== ASSERTION FAILED ===/],
    ];
    for (const [subcommand, signal, line] of expected) {
      for (const node of await both()) {
        const exited = new Promise<NodeJS.Signals | null>((resolve) => node.server.proc.once('close', (_code, s) => resolve(s)));
        node.client.call('DEBUG', subcommand).catch(() => {});
        assert.equal(await exited, signal, `${node.kind} DEBUG ${subcommand}`);
        const output = node.server.output();
        assert.match(output, /=== REDIS BUG REPORT START: Cut & paste starting from here ===/, node.kind);
        assert.match(output, line, `${node.kind} DEBUG ${subcommand}`);
        await nodes.stop(node);
      }
    }
  });

  test('LOADAOF reloads the AOF without writing it again, and logs it once', async () => {
    // appendfsync always: with everysec Redis may hold writes back while a background fsync runs,
    // and the file sizes compared below would race with it.
    for (const node of await both(['--appendonly', 'yes', '--appendfsync', 'always'])) {
      for (let i = 0; i < 50; i++) await node.ok('SET', `k${i}`, `v${i}`);
      await node.ok('DEL', 'k0');
      const digestBefore = await node.ok('DEBUG', 'DIGEST');
      const aofDir = join(node.server.dir, 'appendonlydir');
      const sizes = () => JSON.stringify(readdirSizes(aofDir));
      const before = sizes();
      assert.equal(await node.ok('DEBUG', 'LOADAOF'), 'OK');
      assert.equal(await node.ok('DEBUG', 'DIGEST'), digestBefore, node.kind);
      assert.equal(await node.ok('DBSIZE'), 49, node.kind);
      assert.equal(sizes(), before, `${node.kind}: the reload appended nothing to the AOF`);
      // New writes still go after what was loaded.
      await node.ok('SET', 'after', '1');
      assert.equal(await node.ok('DEBUG', 'LOADAOF'), 'OK');
      assert.equal(String(await node.ok('GET', 'after')), '1', node.kind);
      assert.equal(node.server.output().match(/Append Only File loaded by DEBUG LOADAOF/g)?.length, 2, node.kind);
    }
  });

  test('LOADAOF of a damaged AOF ends the node, as at start', async () => {
    for (const node of await both(['--appendonly', 'yes', '--aof-load-truncated', 'no'])) {
      await node.ok('SET', 'x', '1');
      const incr = readFileSync(join(node.server.dir, 'appendonlydir', 'appendonly.aof.manifest'), 'utf8').match(
        /file (\S+\.incr\.aof)/,
      )![1]!;
      appendFileSync(join(node.server.dir, 'appendonlydir', incr), '*3\r\n$3\r\nSET\r\n$1\r\nz\r\n$5\r\nab');
      const exited = new Promise<number | null>((resolve) => node.server.proc.once('close', (code) => resolve(code)));
      node.client.call('DEBUG', 'LOADAOF').catch(() => {});
      assert.equal(await exited, 1, node.kind);
      assert.match(node.server.output(), /Unexpected end of file reading the append only file/, node.kind);
      await nodes.stop(node);
    }
  });

  test('CHANGE-REPL-ID starts a new replication history', async () => {
    for (const node of await both()) {
      const before = (await node.info()).get('master_replid');
      assert.equal(await node.ok('DEBUG', 'CHANGE-REPL-ID'), 'OK');
      const info = await node.info();
      assert.notEqual(info.get('master_replid'), before, node.kind);
      assert.equal(info.get('master_replid2'), '0'.repeat(40), node.kind);
      assert.equal(node.server.output().match(/Changing replication IDs after receiving DEBUG change-repl-id/g)?.length, 1, node.kind);
    }
  });

  test('REPLICATE sends a command to the replicas only', async () => {
    for (const master of await both()) {
      const replica = nodes.track(await startReplica('redis', master));
      assert.equal(await master.ok('DEBUG', 'REPLICATE', 'SET', 'diverged', 'yes'), 'OK');
      await waitFor(
        `${master.kind} master's DEBUG REPLICATE reaches the replica`,
        async () => String(await replica.client.call('GET', 'diverged')) === 'yes',
      );
      assert.equal(await master.client.call('EXISTS', 'diverged'), 0, master.kind);
    }
  });

  test('PAUSE-CRON stops active expiry until resumed', async () => {
    for (const node of await both()) {
      await node.ok('DEBUG', 'PAUSE-CRON', '1');
      await node.ok('SET', 'short', 'v', 'PX', '20');
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(await node.ok('DBSIZE'), 1, `${node.kind}: the expired key is still stored while the cron is paused`);
      await node.ok('DEBUG', 'PAUSE-CRON', '0');
      await waitFor(`${node.kind} expires the key once the cron runs`, async () => (await node.ok('DBSIZE')) === 0);
    }
  });

  test('SET-SKIP-CHECKSUM-VALIDATION lets RESTORE take a payload with a wrong CRC', async () => {
    for (const node of await both()) {
      await node.ok('SET', 'src', 'value');
      const payload = Buffer.from((await node.ok('DUMP', 'src')) as Buffer);
      payload[payload.length - 1] ^= 0xff;
      const refused = await node.client.call('RESTORE', 'copy', '0', payload);
      assert.ok(isError(refused) && /checksum/.test(refused.error), `${node.kind}: ${JSON.stringify(refused)}`);
      await node.ok('DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '1');
      assert.equal(await node.ok('RESTORE', 'copy', '0', payload), 'OK', node.kind);
      assert.equal(String(await node.ok('GET', 'copy')), 'value', node.kind);
    }
  });

  test('AOF-FLUSH-SLEEP delays the reply of a write until the AOF is written, with appendfsync everysec and always', async () => {
    // The reply to a write leaves only after the AOF has it (and, with always, fsynced it).
    for (const node of [...(await both(['--appendonly', 'yes'])), ...(await both(['--appendonly', 'yes', '--appendfsync', 'always']))]) {
      await node.ok('DEBUG', 'AOF-FLUSH-SLEEP', '300000');
      const started = performance.now();
      await node.ok('SET', 'slow', '1');
      const elapsed = performance.now() - started;
      await node.ok('DEBUG', 'AOF-FLUSH-SLEEP', '0');
      assert.ok(elapsed >= 250, `${node.kind}: the SET answered after ${elapsed.toFixed(0)} ms`);
    }
  });

  test('rdb-key-save-delay makes a BGSAVE last while the node keeps serving', async () => {
    for (const node of await both()) {
      await node.ok('DEBUG', 'POPULATE', '20');
      await node.ok('CONFIG', 'SET', 'rdb-key-save-delay', '50000'); // 50 ms a key: 1 s in all
      await node.ok('BGSAVE');
      const started = performance.now();
      assert.equal(await node.ok('PING'), 'PONG');
      assert.ok(performance.now() - started < 200, `${node.kind} answers during the save`);
      assert.equal((await node.info('persistence')).get('rdb_bgsave_in_progress'), '1', node.kind);
      await waitFor(`${node.kind} BGSAVE ends`, async () => (await node.info('persistence')).get('rdb_bgsave_in_progress') === '0', 20000);
      const took = performance.now() - started;
      assert.ok(took >= 700, `${node.kind}: the save of 20 keys at 50 ms each took ${took.toFixed(0)} ms`);
      await node.ok('CONFIG', 'SET', 'rdb-key-save-delay', '0');
    }
  });
});

function readdirSizes(dir: string): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const name of readFileSync(join(dir, 'appendonly.aof.manifest'), 'utf8').match(/file (\S+)/g) ?? []) {
    const file = name.slice(5);
    sizes[file] = statSync(join(dir, file)).size;
  }
  return sizes;
}
