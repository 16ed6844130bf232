// Scripts past busy-reply-threshold against Debian's redis-server 7.0: the node keeps serving other
// clients, which get -BUSY except for the allow_busy commands; SCRIPT KILL and FUNCTION KILL (and
// their refusals: NOTBUSY, UNKILLABLE, the wrong KILL), FUNCTION STATS of a running function,
// SHUTDOWN refused but SHUTDOWN NOSAVE ending the node, the caller's reply and its pipelined
// commands after the script, and a busy script's writes kept from its replicas until it ends.
// Each scenario runs on both servers and the transcripts of replies must be identical.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { show, RespClient, type Reply } from '../../support/resp-client.js';
import { REDIS_SERVER_VERSION } from '../../support/differential.js';
import { isError, nodesForFile, startNode, startReplica, waitFor, type Kind, type Node } from '../../support/replication.js';

const nodes = nodesForFile();
const KINDS: Kind[] = ['ours', 'redis'];

/** Sends `argv` on a connection of its own, without waiting (the script's caller). */
async function startCaller(
  port: number,
  commands: Array<Array<string | number>>,
): Promise<{ client: RespClient; replies: Promise<Reply[]> }> {
  const client = await RespClient.open(port);
  // One command through call(), which also notices the connection closing (SHUTDOWN NOSAVE).
  const replies = commands.length === 1 ? client.call(...commands[0]!).then((r) => [r]) : client.pipeline(commands);
  replies.catch(() => {}); // awaited later; a closed connection is an answer too
  return { client, replies };
}

/** Waits until `client` is refused with BUSY (the script passed the threshold); returns that reply. */
async function untilBusy(client: RespClient): Promise<string> {
  let last: Reply = null;
  await waitFor('the script to be busy', async () => {
    last = await client.call('GET', 'x');
    return isError(last) && last.error.startsWith('BUSY');
  });
  return (last as unknown as { error: string }).error;
}

async function busyNode(kind: Kind): Promise<Node> {
  const node = nodes.track(await startNode(kind));
  await node.ok('CONFIG', 'SET', 'busy-reply-threshold', '100');
  return node;
}

/** Runs `scenario` on both kinds and asserts the same transcript. */
async function sameOnBoth(scenario: (kind: Kind) => Promise<unknown[]>): Promise<unknown[]> {
  const [ours, redis] = await Promise.all(KINDS.map((kind) => scenario(kind)));
  assert.deepEqual(ours, redis, `transcripts differ (ours, then redis-server ${REDIS_SERVER_VERSION})`);
  return ours!;
}

describe('a script past busy-reply-threshold', () => {
  test('EVAL: BUSY for others, allow_busy commands served, SCRIPT KILL, then the caller and its pipeline', async () => {
    const transcript = await sameOnBoth(async (kind) => {
      const node = await busyNode(kind);
      const out: unknown[] = [show(await node.client.call('SCRIPT', 'KILL'))];
      const caller = await startCaller(node.port, [['EVAL', 'while true do end', 0], ['PING'], ['SET', 'after', '1']]);
      const other = await RespClient.open(node.port);
      out.push(await untilBusy(other));
      for (const argv of [
        ['PING'],
        ['SET', 'x', '1'],
        ['EVAL', 'return 1', 0],
        ['FUNCTION', 'STATS'],
        ['FUNCTION', 'KILL'],
        ['SHUTDOWN'],
        ['SHUTDOWN', 'SAVE'],
        ['MULTI'],
        ['GET', 'x'],
        ['DISCARD'],
        ['WATCH', 'x'],
        ['UNWATCH'],
        ['CLIENT', 'ID'],
      ]) {
        out.push([argv.join(' '), show(await other.call(...argv))]);
      }
      out.push(show(await other.call('SCRIPT', 'KILL')));
      out.push(show(await caller.replies));
      out.push(show(await other.call('SCRIPT', 'KILL')));
      out.push(show(await other.call('GET', 'after')));
      caller.client.close();
      other.close();
      return out;
    });
    // What a user checks: the script was killed and the node answers again.
    assert.match(String(JSON.stringify(transcript)), /Script killed by user with SCRIPT KILL/);
  });

  test('a no-writes shebang script and EVAL_RO are killable the same way', async () => {
    await sameOnBoth(async (kind) => {
      const node = await busyNode(kind);
      const out: unknown[] = [];
      for (const argv of [
        ['EVAL', '#!lua flags=no-writes\nlocal n = 0 while true do n = n + 1 end', 0],
        ['EVAL_RO', "redis.call('GET', 'x') while true do end", 0],
      ]) {
        const caller = await startCaller(node.port, [argv]);
        const other = await RespClient.open(node.port);
        out.push(await untilBusy(other));
        out.push(show(await other.call('SCRIPT', 'KILL')));
        out.push(show(await caller.replies));
        caller.client.close();
        other.close();
      }
      return out;
    });
  });

  test('a script that wrote is UNKILLABLE; SHUTDOWN NOSAVE ends the node', async () => {
    await sameOnBoth(async (kind) => {
      const node = await busyNode(kind);
      const caller = await startCaller(node.port, [['EVAL', "redis.call('SET', 'k', 'v') while true do end", 0]]);
      const other = await RespClient.open(node.port);
      const out: unknown[] = [await untilBusy(other)];
      out.push(show(await other.call('SCRIPT', 'KILL')));
      out.push(show(await other.call('FUNCTION', 'KILL')));
      out.push(show(await other.call('SHUTDOWN')));
      // No reply: the connection closes with the process.
      out.push(await other.call('SHUTDOWN', 'NOSAVE').then(show, (err: Error) => err.message));
      out.push(await caller.replies.then(show, () => 'caller disconnected'));
      const exitCode = await new Promise<number | null>((resolve) => {
        const proc = node.server.proc;
        if (proc.exitCode !== null) resolve(proc.exitCode);
        else proc.once('exit', (code) => resolve(code));
      });
      out.push(['exit', exitCode]);
      caller.client.close();
      other.close();
      return out;
    });
  });

  test('FCALL: BUSY names FUNCTION KILL, FUNCTION STATS shows it, SCRIPT KILL refused, FUNCTION KILL ends it', async () => {
    await sameOnBoth(async (kind) => {
      const node = await busyNode(kind);
      await node.ok('FUNCTION', 'LOAD', "#!lua name=busy\nredis.register_function('spin', function(keys, args) while true do end end)");
      const caller = await startCaller(node.port, [['FCALL', 'spin', 1, 'key', 'arg'], ['PING']]);
      const other = await RespClient.open(node.port);
      const out: unknown[] = [await untilBusy(other)];
      const stats = show(await other.call('FUNCTION', 'STATS')) as unknown[];
      // duration_ms differs from run to run: the rest must match.
      const running = stats[1] as unknown[];
      out.push([stats[0], running.slice(0, 4), running[4], typeof running[5]]);
      out.push(show(await other.call('SCRIPT', 'KILL')));
      out.push(show(await other.call('FUNCTION', 'KILL')));
      out.push(show(await caller.replies));
      out.push(show(await other.call('FUNCTION', 'STATS')));
      caller.client.close();
      other.close();
      return out;
    });
  });

  test('inside MULTI/EXEC: BUSY for others until the whole EXEC is done, SCRIPT KILL, the rest of the queue runs', async () => {
    await sameOnBoth(async (kind) => {
      const node = await busyNode(kind);
      const replica = nodes.track(await startReplica(kind, node));
      const caller = await startCaller(node.port, [
        ['MULTI'],
        ['SET', 'a', '1'],
        ['EVAL', 'while true do end', 0],
        ['INCR', 'a'],
        ['EXEC'],
        ['GET', 'a'],
      ]);
      const other = await RespClient.open(node.port);
      const out: unknown[] = [await untilBusy(other)];
      out.push(show(await other.call('PING')));
      out.push(show(await other.call('SCRIPT', 'KILL')));
      out.push(show(await caller.replies));
      out.push(show(await other.call('GET', 'a')));
      // The transaction's two writes reach the replica (as one MULTI/EXEC unit).
      await waitFor('the replica to have the transaction', async () => show(await replica.client.call('GET', 'a')) === '2');
      caller.client.close();
      other.close();
      return out;
    });
  });

  test('inside MULTI/EXEC: two scripts past the threshold that end on their own, the node busy throughout', async () => {
    // Each script spins on redis.call('TIME') for 500 ms, five times busy-reply-threshold.
    const spin =
      "local s = redis.call('TIME') local t0 = s[1] * 1000000 + s[2] " +
      "repeat local t = redis.call('TIME') until t[1] * 1000000 + t[2] - t0 > 500000 " +
      "return redis.call('INCR', KEYS[1])";
    await sameOnBoth(async (kind) => {
      const node = await busyNode(kind);
      const caller = await startCaller(node.port, [
        ['MULTI'],
        ['EVAL', spin, 1, 'n'],
        ['EVAL', spin, 1, 'n'],
        ['SET', 'last', 'x'],
        ['EXEC'],
        ['PING'],
      ]);
      const other = await RespClient.open(node.port);
      const out: unknown[] = [await untilBusy(other)];
      // From the first script's threshold to the end of EXEC, another client is refused or waits:
      // its first answer is the value EXEC's last command wrote, never what stood between.
      let busyReplies = 0;
      for (;;) {
        const reply = await other.call('GET', 'last');
        if (!(isError(reply) && reply.error.startsWith('BUSY'))) {
          out.push(['first answer', show(reply)]);
          break;
        }
        busyReplies++;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      out.push(show(await caller.replies));
      out.push(show(await other.call('GET', 'n')));
      assert.ok(busyReplies >= 2, `${kind}: only ${busyReplies} BUSY replies during the transaction`);
      caller.client.close();
      other.close();
      return out;
    });
  });

  test("a busy script's writes are not sent to a replica before it ends", async () => {
    await sameOnBoth(async (kind) => {
      const master = await busyNode(kind);
      const replica = nodes.track(await startReplica(kind, master));
      await master.ok('SET', 'before', '0');
      await waitFor('the replica to have the first write', async () => show(await replica.client.call('GET', 'before')) === '0');
      const caller = await startCaller(master.port, [['EVAL', "redis.call('SET', 'first', '1') while true do end", 0]]);
      const other = await RespClient.open(master.port);
      const out: unknown[] = [await untilBusy(other)];
      out.push(show(await replica.client.call('MGET', 'before', 'first')));
      await new Promise((resolve) => setTimeout(resolve, 300));
      out.push(show(await other.call('GET', 'x')));
      // The script never ends: its write never leaves the master (it propagates only as a whole).
      out.push(show(await replica.client.call('MGET', 'before', 'first')));
      // NOW: redis-server would wait for its replica in serverCron, which does not run while busy.
      await other.call('SHUTDOWN', 'NOSAVE', 'NOW').catch(() => {});
      out.push(await caller.replies.then(show, () => 'caller disconnected'));
      await waitFor('the replica to lose its master', async () => (await replica.info()).get('master_link_status') === 'down');
      out.push(show(await replica.client.call('MGET', 'before', 'first')));
      caller.client.close();
      other.close();
      return out;
    });
  });
});
