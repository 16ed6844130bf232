// Functions against Debian's redis-server 7.0: FUNCTION LOAD (its metadata and registration errors),
// FCALL / FCALL_RO, LIST, STATS, DELETE, FLUSH, DUMP / RESTORE, reply for reply; then functions
// kept in RDB files, read both ways between ours and redis-server, and replicated both ways.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pairForFile } from '../../support/differential.js';
import { show } from '../../support/resp-client.js';
import { nodesForFile, startNode, startReplica, waitInSync, type Kind } from '../../support/replication.js';

const pair = pairForFile();
const nodes = nodesForFile();

const LIB1 = [
  '#!lua name=lib1',
  "redis.register_function('echo', function(keys, args) return {keys[1], args[1]} end)",
  "redis.register_function{function_name='setter', callback=function(keys, args) return redis.call('SET', keys[1], args[1]) end, description='sets'}",
  "redis.register_function{function_name='reader', callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes'}}",
  "redis.register_function{function_name='badwrite', callback=function() return redis.call('SET', 'x', 1) end, flags={'no-writes', 'allow-stale'}}",
  "redis.register_function('fails', function() error('in a function') end)",
].join('\n');

describe('FUNCTION LOAD errors', () => {
  test('metadata and registration', () =>
    pair.sameAll(
      [
        'return 1',
        '#!lua',
        '#!lua name=x foo=bar\n',
        '#!js name=x\n',
        '#!lua\nx',
        '#!lua name=a name=b\n',
        '#!lua name=bad-name\n',
        '#!lua name=empty\n',
        '#!lua name=l\nlocal x = string.len("a")',
        "#!lua name=l\nredis.register_function('f', 1)",
        "#!lua name=l\nredis.register_function('bad name!', function() end)",
        "#!lua name=l\nredis.call('get', 'x')",
        '#!lua name=l\nreturn 1 +',
        "#!lua name=l\nredis.register_function{function_name='f', callback=function() end, flags={'bogus'}}",
        "#!lua name=l\nredis.register_function{function_name='f'}",
        '#!lua name=l\nredis.register_function{callback=function() end}',
        "#!lua name=l\nredis.register_function{function_name='f', callback=function() end, other=1}",
        '#!lua name=l\nredis.register_function()',
        "#!lua name=l\nredis.register_function('f', function() end)\nredis.register_function('f', function() end)",
        "#!lua name=l\nerror('at load')",
      ].map((code) => ['FUNCTION', 'LOAD', code]),
    ));
});

describe('FCALL and the FUNCTION commands', () => {
  test('load, call, list, delete, flush', async () => {
    await pair.sameAll([
      ['FUNCTION', 'FLUSH'],
      ['FUNCTION', 'LOAD', LIB1],
      ['FUNCTION', 'LOAD', LIB1],
      ['FUNCTION', 'LOAD', "#!lua name=lib2\nredis.register_function('echo', function() return 1 end)"],
      ['FUNCTION', 'LOAD', 'BOGUS', LIB1],
      ['FCALL', 'echo', 1, 'k', 'a'],
      ['FCALL', 'setter', 1, 'fk', 'fv'],
      ['GET', 'fk'],
      ['FCALL', 'reader', 1, 'fk'],
      ['FCALL_RO', 'reader', 1, 'fk'],
      ['FCALL_RO', 'setter', 1, 'fk', 'v'],
      ['FCALL', 'badwrite', 0],
      ['FCALL', 'fails', 0],
      ['FCALL', 'nosuch', 0],
      ['FCALL', 'echo', 'x'],
      ['FCALL', 'echo', 5],
      ['FCALL', 'echo', -1],
      ['FUNCTION', 'STATS'],
      ['FUNCTION', 'LIST', 'BOGUS'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME', 'nomatch*'],
      ['FUNCTION', 'DELETE', 'nosuch'],
      ['FUNCTION', 'LOAD', 'REPLACE', "#!lua name=lib1\nredis.register_function('only', function() return 'replaced' end)"],
      ['FCALL', 'only', 0],
      ['FCALL', 'echo', 0],
      ['FUNCTION', 'LIST', 'WITHCODE'],
      ['FUNCTION', 'DELETE', 'lib1'],
      ['FUNCTION', 'LIST'],
      ['FUNCTION', 'FLUSH', 'BOGUS'],
      ['FUNCTION', 'FLUSH', 'SYNC'],
      ['FUNCTION', 'KILL'],
      ['FUNCTION', 'RESTORE', 'garbage'],
      ['FUNCTION', 'RESTORE', 'garbage', 'BOGUS'],
    ]);
    // A library's functions come in hash order: compared as a set.
    await pair.same(['FUNCTION', 'LOAD', LIB1]);
    const [ours, redis] = await Promise.all([pair.ours.call('FUNCTION', 'LIST'), pair.redis.call('FUNCTION', 'LIST')]);
    const sorted = (reply: unknown) => JSON.stringify(reply, (_k, v) => (Array.isArray(v) && v.length === 5 ? [...v].sort() : v));
    assert.equal(sorted(show(ours)), sorted(show(redis)));
  });

  test('DUMP of one server restores on the other, with each policy', async () => {
    await pair.sameAll([
      ['FUNCTION', 'FLUSH'],
      ['FUNCTION', 'LOAD', LIB1],
    ]);
    for (const [from, to] of [
      [pair.redis, pair.ours],
      [pair.ours, pair.redis],
    ] as const) {
      const payload = (await from.call('FUNCTION', 'DUMP')) as Buffer;
      assert.deepEqual(show(await to.call('FUNCTION', 'RESTORE', payload)), { error: 'ERR Library lib1 already exists' });
      assert.equal(show(await to.call('FUNCTION', 'RESTORE', payload, 'REPLACE')), 'OK');
      assert.equal(show(await to.call('FUNCTION', 'FLUSH')), 'OK');
      assert.equal(show(await to.call('FUNCTION', 'RESTORE', payload, 'FLUSH')), 'OK');
      assert.deepEqual(show(await to.call('FCALL', 'echo', 1, 'k', 'a')), ['k', 'a']);
    }
  });
});

describe('functions in RDB files and through replication', () => {
  const withDir = async (run: (dir: string) => Promise<void>) => {
    const dir = mkdtempSync(join(tmpdir(), 'functions-rdb-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  for (const [writer, reader] of [
    ['redis', 'ours'],
    ['ours', 'redis'],
  ] as [Kind, Kind][]) {
    test(`an RDB saved by ${writer} with a library loads in ${reader}`, () =>
      withDir(async (dir) => {
        const first = await startNode(writer, [], { dir });
        await first.ok('FUNCTION', 'LOAD', LIB1);
        await first.ok('SET', 'k', 'v');
        await first.ok('SAVE');
        await first.stop();
        const second = nodes.track(await startNode(reader, [], { dir }));
        assert.deepEqual(show(await second.ok('FCALL', 'echo', 1, 'k', 'a')), ['k', 'a']);
        assert.equal(show(await second.ok('FCALL', 'reader', 1, 'k')), 'v');
        assert.equal(((await second.ok('FUNCTION', 'LIST')) as unknown[]).length, 1);
        await nodes.stop(second);
      }));
  }

  for (const [masterKind, replicaKind] of [
    ['ours', 'redis'],
    ['redis', 'ours'],
  ] as [Kind, Kind][]) {
    test(`functions reach a ${replicaKind} replica of a ${masterKind} master, by full sync and by the stream`, async () => {
      const master = nodes.track(await startNode(masterKind));
      await master.ok('FUNCTION', 'LOAD', LIB1);
      const replica = nodes.track(await startReplica(replicaKind, master));
      assert.deepEqual(show(await replica.ok('FCALL_RO', 'reader', 1, 'nokey')), null);
      await master.ok(
        'FUNCTION',
        'LOAD',
        "#!lua name=lib2\nredis.register_function{function_name='two', callback=function() return 2 end, flags={'no-writes'}}",
      );
      await master.ok('FCALL', 'setter', 1, 'fk', 'from-master');
      await master.ok('FUNCTION', 'DELETE', 'lib1');
      await waitInSync(master, [replica]);
      assert.equal(show(await replica.ok('FCALL_RO', 'two', 0)), 2);
      assert.equal(show(await replica.ok('GET', 'fk')), 'from-master');
      assert.deepEqual(show(await replica.client.call('FCALL', 'echo', 0)), { error: 'ERR Function not found' });
      await master.ok('FUNCTION', 'FLUSH');
      await waitInSync(master, [replica]);
      assert.deepEqual(show(await replica.ok('FUNCTION', 'LIST')), []);
      await nodes.stop(replica);
      await nodes.stop(master);
    });
  }
});
