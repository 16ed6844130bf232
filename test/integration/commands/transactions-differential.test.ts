// Transactions against Debian's redis-server 7.0, reply for reply: MULTI/EXEC/DISCARD/WATCH/UNWATCH,
// their errors, EXECABORT after a refused command, WATCH invalidated by another client's write, by
// expiry and by FLUSHALL, commands refused inside MULTI; then what an EXEC propagates (one unit,
// wrapped in MULTI/EXEC by the write feed only when it holds several writes), and a seeded random
// stream of transactions from two connections.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPair, type Pair } from '../../support/differential.js';
import { RespClient, show } from '../../support/resp-client.js';
import { seededRandom } from '../../support/command-families.js';
import { loadConfig } from '../../../src-main/engine/config/load.js';
import { Logger } from '../../../src-main/engine/util/logger.js';
import { Node } from '../../../src-main/engine/node.js';
import { Client } from '../../../src-main/engine/core/client.js';
import { executeCommand } from '../../../src-main/engine/core/executor.js';
import { WriteFeed } from '../../../src-main/engine/core/write-feed.js';
import { PROPAGATE_REPL } from '../../../src-main/engine/core/propagation.js';

type Arg = string | number;

let pair: Pair;
/** A second connection to each server, to change keys another client watches. */
let other: { ours: RespClient; redis: RespClient };

before(async () => {
  // DEBUG SET-ACTIVE-EXPIRE 0 keeps logically expired keys stored, for the SWAPDB cases.
  pair = await startPair(['--enable-debug-command', 'yes']);
  const [ours, redis] = await Promise.all(pair.servers.map((s) => RespClient.open(s.port)));
  other = { ours: ours!, redis: redis! };
});
after(async () => {
  other?.ours.close();
  other?.redis.close();
  await pair?.close();
});

/** Runs argv on the second connection of both servers and asserts equal replies. */
async function otherSame(argv: Arg[]): Promise<void> {
  const [a, b] = await Promise.all([other.ours.call(...argv), other.redis.call(...argv)]);
  assert.deepEqual(show(a), show(b), `reply to ${argv.join(' ')} on the second connection differs`);
}

describe('MULTI / EXEC / DISCARD', () => {
  test('queued commands run in order and EXEC returns their replies', async () => {
    await pair.sameAll([
      ['FLUSHALL'],
      ['MULTI'],
      ['SET', 'a', '1'],
      ['INCR', 'a'],
      ['GET', 'a'],
      ['LPUSH', 'a', 'x'], // a runtime error stays inside EXEC's reply
      ['DEL', 'a'],
      ['EXEC'],
      ['EXISTS', 'a'],
      ['MULTI'],
      ['EXEC'],
    ]);
  });

  test('errors: nesting, EXEC/DISCARD without MULTI, WATCH inside MULTI', async () => {
    await pair.sameAll([
      ['EXEC'],
      ['DISCARD'],
      ['MULTI'],
      ['MULTI'],
      ['WATCH', 'x'],
      ['SET', 'k', 'v'],
      ['EXEC'],
      ['GET', 'k'],
      ['MULTI', 'extra'],
      ['EXEC', 'extra'],
      ['DISCARD', 'extra'],
      ['WATCH'],
      ['UNWATCH', 'extra'],
    ]);
  });

  test('a command refused while queueing aborts the transaction with EXECABORT', async () => {
    await pair.sameAll([
      ['DEL', 'k'],
      ['MULTI'],
      ['SET', 'k', 'v'],
      ['NOSUCHCOMMAND', 'x'],
      ['SET', 'k'],
      ['CONFIG', 'NOSUCHSUB'],
      ['EXEC'],
      ['GET', 'k'],
      ['MULTI'],
      ['GET', 'k', 'extra'],
      ['EXEC'],
      ['MULTI'],
      ['SHUTDOWN'], // no_multi
      ['EXEC'],
    ]);
  });

  test('DISCARD drops the queue and the watches', async () => {
    await pair.sameAll([['SET', 'w', '1'], ['WATCH', 'w'], ['MULTI'], ['INCR', 'w'], ['DISCARD'], ['GET', 'w']]);
    await otherSame(['SET', 'w', '2']);
    // The watch went with DISCARD, so this EXEC runs.
    await pair.sameAll([['MULTI'], ['INCR', 'w'], ['EXEC']]);
  });

  test('SELECT inside a transaction', async () => {
    await pair.sameAll([
      ['MULTI'],
      ['SELECT', '1'],
      ['SET', 'db1', 'x'],
      ['SELECT', '0'],
      ['EXEC'],
      ['SELECT', '1'],
      ['GET', 'db1'],
      ['DEL', 'db1'],
      ['SELECT', '0'],
    ]);
  });

  test('RESP3: EXEC aborted by WATCH is a null', async () => {
    // HELLO's reply holds the connection id, which differs between the servers.
    await Promise.all([pair.ours.call('HELLO', '3'), pair.redis.call('HELLO', '3')]);
    await pair.sameAll([
      ['SET', 'r3', '1'],
      ['WATCH', 'r3'],
    ]);
    await otherSame(['SET', 'r3', '2']);
    await pair.sameAll([['MULTI'], ['PING'], ['EXEC'], ['MULTI'], ['SET', 'r3', '3'], ['GET', 'r3'], ['EXEC']]);
    await Promise.all([pair.ours.call('HELLO', '2'), pair.redis.call('HELLO', '2')]);
  });
});

describe('WATCH', () => {
  test('a write by another client makes EXEC return null', async () => {
    await pair.sameAll([['SET', 'wk', '1'], ['WATCH', 'wk'], ['MULTI'], ['INCR', 'wk']]);
    await otherSame(['SET', 'wk', '10']);
    await pair.sameAll([['EXEC'], ['GET', 'wk']]);
  });

  test('reads, writes to other keys and writes before WATCH do not', async () => {
    await pair.sameAll([
      ['SET', 'wk', '1'],
      ['WATCH', 'wk', 'missing'],
      ['GET', 'wk'],
    ]);
    await otherSame(['SET', 'unrelated', '1']);
    await otherSame(['GET', 'wk']);
    await pair.sameAll([['MULTI'], ['INCR', 'wk'], ['EXEC']]);
  });

  test('the client itself changing the key, then UNWATCH', async () => {
    await pair.sameAll([['WATCH', 'wk'], ['SET', 'wk', '5'], ['MULTI'], ['GET', 'wk'], ['EXEC']]);
    await pair.sameAll([['WATCH', 'wk'], ['SET', 'wk', '6'], ['UNWATCH'], ['MULTI'], ['GET', 'wk'], ['EXEC']]);
  });

  test('a watched missing key that gets created, and one that stays missing', async () => {
    await pair.sameAll([['DEL', 'nk'], ['WATCH', 'nk'], ['MULTI'], ['GET', 'nk']]);
    await otherSame(['SET', 'nk', 'x']);
    await pair.sameAll([['EXEC']]);
    await pair.sameAll([
      ['DEL', 'nk2'],
      ['WATCH', 'nk2'],
    ]);
    await otherSame(['DEL', 'nk2']); // deleting a missing key is no change
    await pair.sameAll([['MULTI'], ['GET', 'nk2'], ['EXEC']]);
  });

  test('a watched key expiring makes EXEC fail; one already expired when watched does not', async () => {
    await pair.sameAll([['SET', 'ex', '1', 'PX', '50'], ['WATCH', 'ex'], ['MULTI'], ['GET', 'ex']]);
    await sleep(120);
    await pair.sameAll([['EXEC']]);
    await pair.sameAll([['DEL', 'ex'], ['WATCH', 'ex'], ['MULTI'], ['GET', 'ex'], ['EXEC']]);
  });

  test('FLUSHALL / FLUSHDB touch watched keys that exist, not missing ones', async () => {
    await pair.sameAll([
      ['SET', 'f1', '1'],
      ['WATCH', 'f1'],
    ]);
    await otherSame(['FLUSHALL']);
    await pair.sameAll([['MULTI'], ['PING'], ['EXEC']]);
    await pair.sameAll([['WATCH', 'f2']]);
    await otherSame(['FLUSHDB']);
    await pair.sameAll([['MULTI'], ['PING'], ['EXEC']]);
  });

  test('FLUSHDB touches only the flushed database', async () => {
    await pair.sameAll([['FLUSHALL'], ['SET', 'fd', '1'], ['WATCH', 'fd']]);
    await otherSame(['SELECT', '3']);
    await otherSame(['SET', 'fd', '1']);
    await otherSame(['FLUSHDB']);
    await otherSame(['SELECT', '0']);
    await pair.sameAll([['MULTI'], ['GET', 'fd'], ['EXEC']]);
  });

  test('SWAPDB touches a watched key that exists in either database, not one missing from both', async () => {
    // db.c dbSwapDatabases -> touchAllWatchedKeysInDb(db1, db2) and (db2, db1).
    for (const [where, key] of [
      ['1', 'only1'],
      ['0', 'only0'],
      ['2', 'elsewhere'],
    ] as const) {
      await pair.sameAll([['FLUSHALL'], ['SELECT', where], ['SET', key, 'x'], ['SELECT', '0'], ['WATCH', key]]);
      await otherSame(['SWAPDB', '0', '1']);
      await pair.sameAll([['MULTI'], ['GET', key], ['EXEC']]);
    }
    // A client watching in database 1 sees the swap from the other side.
    await pair.sameAll([['FLUSHALL'], ['SET', 'from0', 'x'], ['SELECT', '1'], ['WATCH', 'from0']]);
    await otherSame(['SWAPDB', '1', '0']);
    await pair.sameAll([['MULTI'], ['GET', 'from0'], ['EXEC'], ['SELECT', '0']]);
  });

  test('SWAPDB and logically expired keys: no change unless a live key comes in', async () => {
    await pair.sameAll([['DEBUG', 'SET-ACTIVE-EXPIRE', '0']]);
    try {
      /** Stores `key` in database `db` with a TTL that is over by the time it is watched. */
      const storeExpired = async (db: string, key: string) => {
        await pair.sameAll([
          ['SELECT', db],
          ['SET', key, 'old', 'PX', '5'],
          ['SELECT', '0'],
        ]);
      };
      const cases: Array<{ name: string; db0?: 'live' | 'expired'; db1?: 'live' | 'expired' }> = [
        { name: 'expired here, missing there', db0: 'expired' },
        { name: 'expired here, live there', db0: 'expired', db1: 'live' },
        { name: 'expired here, expired there', db0: 'expired', db1: 'expired' },
        { name: 'missing here, expired there', db1: 'expired' },
      ];
      for (const { name, db0, db1 } of cases) {
        await pair.sameAll([['FLUSHALL']]);
        if (db0 === 'expired') await storeExpired('0', name);
        if (db1 === 'expired') await storeExpired('1', name);
        if (db1 === 'live')
          await pair.sameAll([
            ['SELECT', '1'],
            ['SET', name, 'new'],
            ['SELECT', '0'],
          ]);
        await sleep(20);
        await pair.sameAll([['WATCH', name]]);
        await otherSame(['SWAPDB', '0', '1']);
        await pair.sameAll([['MULTI'], ['PING', name], ['EXEC']]);
      }
    } finally {
      await pair.sameAll([['DEBUG', 'SET-ACTIVE-EXPIRE', '1']]);
    }
  });

  test('keys are watched per database', async () => {
    await pair.sameAll([
      ['SET', 'pd', '1'],
      ['WATCH', 'pd'],
    ]);
    await otherSame(['SELECT', '2']);
    await otherSame(['SET', 'pd', '2']);
    await otherSame(['SELECT', '0']);
    await pair.sameAll([['MULTI'], ['GET', 'pd'], ['EXEC']]);
  });
});

describe('propagation of EXEC', () => {
  function node() {
    const { config } = loadConfig(['--save', '']); // in memory only: FLUSHALL would save into the cwd
    const server = new Node(config, new Logger({ level: 'warning', file: '' }), null).server;
    const feed = new WriteFeed(server.propagation);
    const stream: string[] = [];
    feed.subscribe((db, argv) => stream.push(`${db}:${argv.join(' ')}`), PROPAGATE_REPL);
    const client = new Client(server, null);
    const run = (...argv: string[]) => executeCommand(client, argv);
    return { run, stream };
  }

  test('several writes are one MULTI ... EXEC unit; reads are left out', () => {
    const { run, stream } = node();
    run('MULTI');
    run('SET', 'a', '1');
    run('GET', 'a');
    run('INCR', 'a');
    run('EXEC');
    // MULTI carries the first wrapped command's database and EXEC the last one's (propagatePendingCommands).
    assert.deepEqual(stream, ['0:MULTI', '0:SET a 1', '0:INCR a', '0:EXEC']);
  });

  test('a single write is sent as is, a read-only EXEC sends nothing', () => {
    const { run, stream } = node();
    run('MULTI');
    run('GET', 'a');
    run('SET', 'a', '1');
    run('EXEC');
    run('MULTI');
    run('GET', 'a');
    run('EXEC');
    assert.deepEqual(stream, ['0:SET a 1']);
  });

  test('an aborted or discarded transaction sends nothing', () => {
    const { run, stream } = node();
    run('MULTI');
    run('SET', 'a', '1');
    run('NOPE');
    run('EXEC');
    run('MULTI');
    run('SET', 'a', '1');
    run('DISCARD');
    assert.deepEqual(stream, []);
  });
});

describe('random transaction streams', () => {
  test('two connections, seeded', async () => {
    const rnd = seededRandom(20240607);
    const keys = ['t1', 't2', 't3', 'tl'];
    const write = (): Arg[] =>
      rnd.pick<() => Arg[]>([
        () => ['SET', rnd.pick(keys), String(rnd.int(100))],
        () => ['INCR', rnd.pick(keys)],
        () => ['DEL', rnd.pick(keys)],
        () => ['LPUSH', rnd.pick(keys), 'x'],
        () => ['APPEND', rnd.pick(keys), 'y'],
        () => ['EXPIRE', rnd.pick(keys), '100'],
      ])();
    const read = (): Arg[] =>
      rnd.pick<() => Arg[]>([() => ['GET', rnd.pick(keys)], () => ['TYPE', rnd.pick(keys)], () => ['EXISTS', ...keys]])();
    await pair.sameAll([['FLUSHALL']]);
    for (let i = 0; i < 1500; i++) {
      const r = rnd.next();
      if (r < 0.1) await pair.sameAll([['WATCH', ...keys.filter(() => rnd.next() < 0.5), rnd.pick(keys)]]);
      else if (r < 0.18) await pair.sameAll([['MULTI']]);
      else if (r < 0.28) await pair.sameAll([['EXEC']]);
      else if (r < 0.31) await pair.sameAll([['DISCARD']]);
      else if (r < 0.33) await pair.sameAll([['UNWATCH']]);
      else if (r < 0.36)
        await pair.sameAll([[rnd.pick(['NOSUCH', 'GET'])]]); // refused: unknown / wrong arity
      else if (r < 0.5) await otherSame(write());
      else if (r < 0.8) await pair.sameAll([write()]);
      else await pair.sameAll([read()]);
    }
    await pair.sameAll([['DISCARD'], ['UNWATCH']]);
  });
});
