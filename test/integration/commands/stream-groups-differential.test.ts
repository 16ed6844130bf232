// Stream consumer groups against Debian's redis-server 7.0, reply for reply: XGROUP (CREATE with
// MKSTREAM and ENTRIESREAD, SETID, DESTROY, CREATECONSUMER, DELCONSUMER, HELP, every error),
// XREADGROUP (">" and history reads, NOACK, COUNT, several streams, errors), XACK, XPENDING (both
// forms, IDLE, a consumer), XCLAIM (every option, deleted entries), XAUTOCLAIM (cursor, COUNT,
// deleted entries), XINFO STREAM [FULL] / GROUPS / CONSUMERS with 7.0's entries-read and lag, a
// waiting XREADGROUP, what all of it propagates (read back from each server's AOF), and groups
// carried by DUMP / RESTORE both ways. Times (idle, seen-time, delivery time) differ between the
// servers by a few ms: they are compared for their shape only.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pairForFile, type Pair } from '../../support/differential.js';
import { RespClient, show, type Reply } from '../../support/resp-client.js';
import { readAofIncrements } from '../../support/blocking-pair.js';

const pair = pairForFile(['--appendonly', 'yes', '--appendfsync', 'always']);

type Arg = string | Buffer | number;

/** Replies with the fields that hold times replaced by "<time>" (what both servers cannot share). */
function masked(reply: unknown): unknown {
  const shown = show(reply as Reply);
  const walk = (v: unknown): unknown => {
    if (!Array.isArray(v)) return v;
    const out = v.map(walk);
    for (let i = 0; i + 1 < out.length; i++) {
      if (out[i] === 'idle' || out[i] === 'seen-time') out[i + 1] = typeof out[i + 1] === 'number' ? '<time>' : out[i + 1];
    }
    return out;
  };
  return walk(shown);
}

/** Sends argv to both; compares the replies with `mask` applied (default: time fields). */
async function sameMasked(p: Pair, argv: Arg[], mask: (r: unknown) => unknown = masked): Promise<unknown> {
  const [a, b] = await Promise.all([p.ours.call(...argv), p.redis.call(...argv)]);
  assert.deepEqual(mask(a), mask(b), `reply to ${argv.map(String).join(' ')} differs (ours, then redis-server)`);
  return mask(a);
}

/** XPENDING's extended rows without the idle time: [id, consumer, deliveries]. */
const pendingRows = (r: unknown): unknown => {
  const shown = show(r as Reply);
  return Array.isArray(shown) ? shown.map((row) => (Array.isArray(row) ? [row[0], row[1], row[3]] : row)) : shown;
};

/** XINFO STREAM FULL with every delivery and seen time masked. */
const fullInfo = (r: unknown): unknown => {
  const shown = masked(r) as unknown[];
  if (!Array.isArray(shown)) return shown;
  const groups = shown[shown.indexOf('groups') + 1] as unknown[][];
  for (const group of groups ?? []) {
    const pending = group[group.indexOf('pending') + 1] as unknown[][];
    for (const row of pending) row[2] = '<time>';
    const consumers = group[group.indexOf('consumers') + 1] as unknown[][];
    for (const consumer of consumers) {
      const own = consumer[consumer.indexOf('pending') + 1] as unknown[][];
      for (const row of own) row[1] = '<time>';
    }
  }
  return shown;
};

async function setup(commands: Arg[][]): Promise<void> {
  await pair.sameAll([['FLUSHALL'], ...commands]);
}

const five: Arg[][] = [1, 2, 3, 4, 5].map((i) => ['XADD', 's', `${i}-0`, 'f', String(i)]);

describe('consumer groups', () => {
  test('XGROUP CREATE / SETID / DESTROY / CREATECONSUMER / DELCONSUMER, errors; XINFO GROUPS entries-read and lag', async () => {
    await setup(five);
    await pair.sameAll([
      ['XGROUP', 'CREATE', 's', 'g', '$'],
      ['XGROUP', 'CREATE', 's', 'g0', '0'],
      ['XGROUP', 'CREATE', 's', 'g3', '3', 'ENTRIESREAD', '3'],
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XGROUP', 'CREATE', 's', 'bad', 'x'],
      ['XGROUP', 'CREATE', 's', 'bad', '-'],
      ['XGROUP', 'CREATE', 's', 'bad', '0', 'ENTRIESREAD', '-2'],
      ['XGROUP', 'CREATE', 's', 'bad', '0', 'ENTRIESREAD', 'x'],
      ['XGROUP', 'CREATE', 's', 'bad', '0', 'FOO'],
      ['XGROUP', 'CREATE', 'missing', 'g', '0'],
      ['XGROUP', 'CREATE', 'made', 'g', '$', 'MKSTREAM'],
      ['XGROUP', 'CREATE', 'made', 'g2', '5', 'MKSTREAM', 'ENTRIESREAD', '-1'],
      ['TYPE', 'made'],
      ['XLEN', 'made'],
      ['XINFO', 'GROUPS', 's'],
      ['XINFO', 'GROUPS', 'made'],
      ['XGROUP', 'SETID', 's', 'g0', '2'],
      ['XGROUP', 'SETID', 's', 'g', '$', 'ENTRIESREAD', '5'],
      ['XGROUP', 'SETID', 's', 'g3', '-'],
      ['XGROUP', 'SETID', 's', 'nogroup', '0'],
      ['XGROUP', 'SETID', 'missing', 'g', '0'],
      ['XGROUP', 'SETID', 's', 'g', '0', 'MKSTREAM'],
      ['XGROUP', 'SETID', 's', 'g', '0', 'ENTRIESREAD'],
      ['XINFO', 'GROUPS', 's'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'alice'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'alice'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'bob'],
      ['XGROUP', 'CREATECONSUMER', 's', 'nogroup', 'alice'],
      ['XGROUP', 'DELCONSUMER', 's', 'g', 'bob'],
      ['XGROUP', 'DELCONSUMER', 's', 'g', 'nobody'],
      ['XGROUP', 'DELCONSUMER', 's', 'nogroup', 'bob'],
      ['XGROUP', 'DESTROY', 's', 'g3'],
      ['XGROUP', 'DESTROY', 's', 'g3'],
      ['XGROUP', 'DESTROY', 'missing', 'g3'],
      ['XGROUP', 'DESTROY', 's'],
      ['XGROUP', 'CREATE', 's'],
      ['XGROUP', 'FOO', 's', 'g'],
      ['XGROUP', 'HELP'],
      ['XINFO', 'HELP'],
      ['SET', 'str', 'x'],
      ['XGROUP', 'CREATE', 'str', 'g', '0'],
      ['XGROUP', 'CREATE', 'str', 'g', '0', 'MKSTREAM'],
      ['XINFO', 'GROUPS', 's'],
      ['XDEL', 's', '3-0'],
      ['XINFO', 'GROUPS', 's'],
      ['XINFO', 'GROUPS', 'str'],
      ['XINFO', 'GROUPS', 'missing'],
      ['XINFO', 'STREAM', 's'],
      ['XINFO', 'STREAM', 'made'],
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNT'],
      ['XINFO', 'STREAM', 's', 'PARTIAL'],
      ['XINFO', 'STREAM', 's', 'FULL', 'X', '1'],
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', 'x'],
      ['XINFO', 'STREAM', 'missing', 'FULL', 'COUNT'],
      ['XINFO', 'FOO', 's'],
      ['XINFO', 'CONSUMERS', 's', 'nogroup'],
    ]);
    await sameMasked(pair, ['XINFO', 'CONSUMERS', 's', 'g']);
  });

  test('XREADGROUP: ">" and history reads, NOACK, COUNT, several streams; XACK; XPENDING both forms', async () => {
    await setup([...five, ['XADD', 't', '1-0', 'x', 'y'], ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATE', 't', 'g', '$']]);
    await pair.sameAll([
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '1', 'STREAMS', 's', 't', '>', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'carol', 'NOACK', 'COUNT', '1', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 's', '1-0'],
      ['XREADGROUP', 'GROUP', 'g', 'carol', 'STREAMS', 's', '0'],
      ['XPENDING', 's', 'g'],
      ['XPENDING', 't', 'g'],
      ['XINFO', 'GROUPS', 's'],
      ['XDEL', 's', '2-0'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'],
      ['XACK', 's', 'g', '1-0', '1-0', '9-0'],
      ['XACK', 's', 'g', '2-0', 'bad'],
      ['XACK', 's', 'nogroup', '2-0'],
      ['XACK', 'missing', 'g', '2-0'],
      ['XPENDING', 's', 'g'],
      ['XREADGROUP', 'GROUP', 'g', 'dave', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'dave', 'STREAMS', 's', '>'],
      ['XINFO', 'GROUPS', 's'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '$'],
      ['XREADGROUP', 'GROUP', 'nogroup', 'alice', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 'missing', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>', '>'],
      ['XREADGROUP', 'COUNT', '1', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', 'bad'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '10', 'STREAMS', 's', '>'],
      ['XREAD', 'STREAMS', 's', '>'],
      ['SET', 'str', 'v'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 'str', '>'],
      ['MULTI'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>'],
      ['EXEC'],
    ]);
    for (const argv of [
      ['XPENDING', 's', 'g', '-', '+', '10'],
      ['XPENDING', 's', 'g', '(3-0', '+', '1'],
      ['XPENDING', 's', 'g', '-', '(5-0', '10', 'alice'],
      ['XPENDING', 's', 'g', '-', '+', '10', 'nobody'],
      ['XPENDING', 's', 'g', 'IDLE', '0', '-', '+', '10'],
      ['XPENDING', 's', 'g', 'IDLE', '100000', '-', '+', '10'],
      ['XPENDING', 's', 'g', '-', '+', '-1'],
      ['XPENDING', 's', 'g', 'IDLE', '10', '-', '+'],
      ['XPENDING', 's', 'g', '-', '+'],
      ['XPENDING', 's', 'g', '-', '+', 'x'],
      ['XPENDING', 's', 'g', 'bad', '+', '1'],
      ['XPENDING', 's', 'nogroup', '-', '+', '1'],
      ['XPENDING', 'missing', 'g'],
      ['XPENDING', 'str', 'g'],
    ]) {
      await sameMasked(pair, argv, pendingRows);
    }
  });

  test('XCLAIM: min idle, FORCE, JUSTID, RETRYCOUNT, TIME, LASTID, deleted entries, errors', async () => {
    await setup([...five, ['XGROUP', 'CREATE', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '3', 'STREAMS', 's', '>']]);
    await pair.sameAll([
      ['XCLAIM', 's', 'g', 'bob', '0', '1-0', 'JUSTID'],
      ['XCLAIM', 's', 'g', 'bob', '3600000', '2-0'],
      ['XCLAIM', 's', 'g', 'bob', '0', '2-0', '3-0', '4-0', 'RETRYCOUNT', '7'],
      ['XCLAIM', 's', 'g', 'carol', '0', '4-0', '5-0', 'FORCE', 'JUSTID'],
      ['XCLAIM', 's', 'g', 'carol', '0', '5-0', 'FORCE'],
      ['XCLAIM', 's', 'g', 'carol', '0', '1-0', 'TIME', '1000', 'LASTID', '9-0'],
      ['XCLAIM', 's', 'g', 'carol', '0', '1-0', 'IDLE', '5000', 'JUSTID'],
      ['XINFO', 'GROUPS', 's'],
      ['XDEL', 's', '2-0'],
      ['XCLAIM', 's', 'g', 'dave', '0', '2-0', '3-0', 'JUSTID'],
      ['XCLAIM', 's', 'g', 'dave', '0', '99-0', 'FORCE'],
      ['XCLAIM', 's', 'g', 'dave', 'x', '1-0'],
      ['XCLAIM', 's', 'g', 'dave', '0', '1-0', 'IDLE', 'x'],
      ['XCLAIM', 's', 'g', 'dave', '0', '1-0', 'TIME', 'x'],
      ['XCLAIM', 's', 'g', 'dave', '0', '1-0', 'RETRYCOUNT', 'x'],
      ['XCLAIM', 's', 'g', 'dave', '0', '1-0', 'LASTID', 'x'],
      ['XCLAIM', 's', 'g', 'dave', '0', '1-0', 'BOGUS'],
      ['XCLAIM', 's', 'g', 'dave', '0', 'bad'],
      ['XCLAIM', 's', 'nogroup', 'dave', '0', '1-0'],
      ['XCLAIM', 'missing', 'g', 'dave', '0', '1-0'],
    ]);
    await sameMasked(pair, ['XPENDING', 's', 'g', '-', '+', '10'], pendingRows);
    await sameMasked(pair, ['XINFO', 'CONSUMERS', 's', 'g']);
  });

  test('XAUTOCLAIM: the cursor, COUNT, JUSTID, deleted entries reported, errors', async () => {
    const adds: Arg[][] = Array.from({ length: 12 }, (_, i) => ['XADD', 's', `${i + 1}-0`, 'f', String(i + 1)]);
    await setup([
      ...adds,
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>'],
      ['XDEL', 's', '3-0', '4-0'],
    ]);
    await pair.sameAll([
      ['XAUTOCLAIM', 's', 'g', 'bob', '0', '0', 'COUNT', '3'],
      ['XAUTOCLAIM', 's', 'g', 'bob', '0', '3-0', 'COUNT', '3', 'JUSTID'],
      ['XAUTOCLAIM', 's', 'g', 'bob', '3600000', '0'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '(8-0', 'JUSTID'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '12-0', 'COUNT', '1'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '-'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '0', 'COUNT', '0'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '0', 'COUNT', 'x'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '0', 'FOO'],
      ['XAUTOCLAIM', 's', 'g', 'carol', 'x', '0'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', 'bad'],
      ['XAUTOCLAIM', 's', 'nogroup', 'carol', '0', '0'],
      ['XAUTOCLAIM', 'missing', 'g', 'carol', '0', '0'],
      ['XPENDING', 's', 'g'],
    ]);
  });

  test('XINFO STREAM FULL, and groups carried by DUMP / RESTORE both ways', async () => {
    await setup([
      ...five,
      ['XGROUP', 'CREATE', 's', 'g1', '0'],
      ['XGROUP', 'CREATE', 's', 'g2', '$'],
      ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '2', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '1', 'STREAMS', 's', '>'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g2', 'idle'],
      ['XDEL', 's', '4-0'],
    ]);
    await sameMasked(pair, ['XINFO', 'STREAM', 's', 'FULL'], fullInfo);
    await sameMasked(pair, ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '1'], fullInfo);
    await sameMasked(pair, ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '0'], fullInfo);
    const ours = (await pair.ours.call('DUMP', 's')) as Buffer;
    const theirs = (await pair.redis.call('DUMP', 's')) as Buffer;
    assert.equal(show(await pair.redis.call('RESTORE', 'fromours', '0', ours)), 'OK');
    assert.equal(show(await pair.ours.call('RESTORE', 'fromredis', '0', theirs)), 'OK');
    // The same stream, groups, PELs and consumers, times included, whichever server made it.
    assert.deepEqual(
      show(await pair.redis.call('XINFO', 'STREAM', 'fromours', 'FULL')),
      show(await pair.ours.call('XINFO', 'STREAM', 's', 'FULL')),
    );
    assert.deepEqual(
      show(await pair.ours.call('XINFO', 'STREAM', 'fromredis', 'FULL')),
      show(await pair.redis.call('XINFO', 'STREAM', 's', 'FULL')),
    );
    await pair.same(['DEBUG', 'DIGEST-VALUE', 'fromours', 'fromredis']);
  });

  test('a waiting XREADGROUP is served by the next XADD; a destroyed group ends the wait with NOGROUP', async () => {
    await setup([
      ['XADD', 's', '1-0', 'f', 'v'],
      ['XGROUP', 'CREATE', 's', 'g', '$'],
    ]);
    const run = async (port: number) => {
      const [waiter, other, writer] = await Promise.all([RespClient.open(port), RespClient.open(port), RespClient.open(port)]);
      try {
        const read = waiter.call('XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
        await blockedCount(writer, 1);
        await writer.call('XSETID', 's', '5-0');
        await writer.call('XADD', 's', '6-0', 'f', 'new');
        const gone = other.call('XREADGROUP', 'GROUP', 'g', 'bob', 'BLOCK', '0', 'STREAMS', 's', '>');
        await blockedCount(writer, 1);
        await writer.call('XGROUP', 'DESTROY', 's', 'g');
        return [show(await read), show(await gone)];
      } finally {
        for (const c of [waiter, other, writer]) c.close();
      }
    };
    const [ours, theirs] = await Promise.all(pair.servers.map((s) => run(s.port)));
    assert.deepEqual(ours, theirs);
    assert.deepEqual(theirs, [
      [['s', [['6-0', ['f', 'new']]]]],
      { error: 'NOGROUP the consumer group this client was blocked on no longer exists' },
    ]);
  });

  test('what group commands propagate, as Redis writes them to its AOF', async () => {
    await setup([...five, ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATE', 's', 'h', '0']]);
    await pair.sameAll([
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'NOACK', 'COUNT', '1', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'NOACK', 'COUNT', '1', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'erin', 'NOACK', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'GROUP', 'h', 'dave', 'STREAMS', 's', '>'],
      ['XACK', 's', 'g', '1-0', '7-0'],
      ['XACK', 's', 'g', '7-0'],
      ['XCLAIM', 's', 'g', 'carol', '0', '2', 'JUSTID'],
      ['XCLAIM', 's', 'g', 'carol', '0', '2-0', 'LASTID', '9-0', 'RETRYCOUNT', '4', 'TIME', '12345'],
      ['XCLAIM', 's', 'h', 'carol', '3600000', '3-0', 'LASTID', '8-0'],
      ['XDEL', 's', '5-0'],
      ['XAUTOCLAIM', 's', 'h', 'frank', '0', '0', 'COUNT', '2', 'JUSTID'],
      ['XAUTOCLAIM', 's', 'h', 'frank', '0', '0'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'zed'],
      ['XGROUP', 'DELCONSUMER', 's', 'g', 'zed'],
      ['XGROUP', 'SETID', 's', 'h', '$'],
      ['XGROUP', 'DESTROY', 's', 'h'],
      ['SET', 'done', '1'],
    ]);
    const [ours, theirs] = await Promise.all(pair.servers.map((s) => readAofAfterFlush(s.dir)));
    // Delivery times are the servers' clocks: compared for their shape.
    const timeless = (commands: string[][]) =>
      commands.map((argv) => argv.map((a, i) => (argv[0] === 'XCLAIM' && argv[i - 1] === 'TIME' && /^\d+$/.test(a) ? '<time>' : a)));
    assert.deepEqual(timeless(ours), timeless(theirs), 'propagated commands differ (ours, then redis-server)');
    assert.ok(theirs.some((argv) => argv[0] === 'XCLAIM') && theirs.some((argv) => argv[1] === 'CREATECONSUMER'));
  });
});

test('what a served waiting XREADGROUP propagates, NOACK with a new consumer included', async () => {
  await setup([['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM']]);
  const run = async (port: number, dir: string) => {
    const [waiter, writer] = await Promise.all([RespClient.open(port), RespClient.open(port)]);
    try {
      const first = waiter.call('XREADGROUP', 'GROUP', 'g', 'newc', 'NOACK', 'BLOCK', '0', 'STREAMS', 's', '>');
      await blockedCount(writer, 1);
      await writer.call('XADD', 's', '1-0', 'f', 'v');
      const second = waiter.call('XREADGROUP', 'GROUP', 'g', 'other', 'BLOCK', '0', 'STREAMS', 's', '>');
      await blockedCount(writer, 1);
      await writer.call('XADD', 's', '2-0', 'f', 'v');
      const replies = [show(await first), show(await second)];
      await writer.call('SET', 'done', '1');
      return { replies, aof: await readAofAfterFlush(dir) };
    } finally {
      waiter.close();
      writer.close();
    }
  };
  const [ours, theirs] = await Promise.all(pair.servers.map((s) => run(s.port, s.dir)));
  const timeless = (commands: string[][]) => commands.map((argv) => argv.map((a, i) => (argv[i - 1] === 'TIME' ? '<time>' : a)));
  assert.deepEqual(ours.replies, theirs.replies);
  assert.deepEqual(timeless(ours.aof), timeless(theirs.aof), 'propagated commands differ (ours, then redis-server)');
  assert.deepEqual(timeless(theirs.aof), [
    ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'],
    ['XADD', 's', '1-0', 'f', 'v'],
    ['MULTI'],
    ['XGROUP', 'CREATECONSUMER', 's', 'g', 'newc'],
    ['XGROUP', 'SETID', 's', 'g', '1-0', 'ENTRIESREAD', '1'],
    ['EXEC'],
    ['XADD', 's', '2-0', 'f', 'v'],
    ['XCLAIM', 's', 'g', 'other', '0', '2-0', 'TIME', '<time>', 'RETRYCOUNT', '1', 'FORCE', 'JUSTID', 'LASTID', '2-0'],
    ['SET', 'done', '1'],
  ]);
});

async function blockedCount(client: RespClient, count: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const info = String(show(await client.call('INFO', 'clients')));
    if (Number(/blocked_clients:(\d+)/.exec(info)?.[1]) === count) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never saw ${count} blocked clients`);
}

/** The commands in a server's AOF increment files after the last FLUSHALL, once SET done arrived. */
async function readAofAfterFlush(dir: string): Promise<string[][]> {
  const aofDir = join(dir, 'appendonlydir');
  for (let attempt = 0; attempt < 200; attempt++) {
    const commands = readAofIncrements(aofDir);
    const flush = commands.findLastIndex((argv) => argv[0]!.toUpperCase() === 'FLUSHALL');
    const after = commands.slice(flush + 1).filter((argv) => argv[0]!.toUpperCase() !== 'SELECT');
    if (after.at(-1)?.[0] === 'SET') return after;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${dir}: the AOF never got the final SET`);
}
