// LOLWUT beside redis-server: the plain version line, Schotter (VERSION 5) byte for byte wherever
// Redis's drawing does not use rand() (its first two rows of squares), and the shape of the
// random pictures: Schotter's full default and VERSION 6's skyline.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pairForFile, startPair } from '../../support/differential.js';
import { show } from '../../support/resp-client.js';

const pair = pairForFile();

/** The reply as text lines (bulk strings are UTF-8 bytes). */
async function lines(client: typeof pair.ours, ...args: Array<string | number>): Promise<string[]> {
  const reply = await client.call('LOLWUT', ...args);
  assert.ok(Buffer.isBuffer(reply), JSON.stringify(show(reply)));
  return reply.toString('utf8').split('\n');
}

describe('LOLWUT', () => {
  test('the version line, errors, and VERSION routing', async () => {
    for (const argv of [
      ['LOLWUT'],
      ['LOLWUT', 'foo'],
      ['LOLWUT', 'VERSION'],
      ['LOLWUT', 'VERSION', 'x'],
      ['LOLWUT', 'VERSION', '5', 'x'],
      ['LOLWUT', 'VERSION', '6', '10', 'y'],
      ['LOLWUT', 'VERSION', '7'],
      ['LOLWUT', 'VERSION', '59'],
      ['LOLWUT', 'VERSION', '-1'],
      ['COMMAND', 'INFO', 'LOLWUT'],
      ['COMMAND', 'DOCS', 'LOLWUT'],
    ]) {
      await pair.same(argv);
    }
  });

  test('Schotter is drawn as Redis draws it (the rows it never rotates)', async () => {
    for (const args of [
      [66, 8, 2],
      [66, 8, 1],
      [10, 2, 1],
      [1, 1, 1],
      [3, 1, 2],
      [33, 5, 2],
      [100, 13, 2],
      [1000, 200, 2],
      [0, 0, 0],
      [-5, 500, 2],
      [7, 3, 2, 'ignored'],
    ]) {
      await pair.same(['LOLWUT', 'VERSION', '5', ...args]);
    }
    // Version 4.9 draws Schotter too.
    await pair.same(['LOLWUT', 'VERSION', '4', '20', '3', '1']);
  });

  test('random pictures have the same shape: default Schotter and the VERSION 6 skyline', async () => {
    for (const args of [
      ['VERSION', '5'],
      ['VERSION', '5', 40, 6, 9],
    ]) {
      const [ours, redis] = await Promise.all([lines(pair.ours, ...args), lines(pair.redis, ...args)]);
      assert.deepEqual(
        ours.map((l) => [...l].length),
        redis.map((l) => [...l].length),
      );
      assert.equal(ours.at(-2), redis.at(-2));
      assert.ok(
        ours
          .slice(0, -3)
          .join('')
          .match(/^[\u2800-\u28ff]*$/u),
      );
    }
    for (const args of [
      ['VERSION', '6'],
      ['VERSION', '6', 30, 7],
    ]) {
      const [ours, redis] = await Promise.all([lines(pair.ours, ...args), lines(pair.redis, ...args)]);
      const ESC = String.fromCharCode(27);
      const cells = (l: string) => l.match(new RegExp(`${ESC}\\[[0-9;]+m ${ESC}\\[0m`, 'g')) ?? [];
      assert.deepEqual(
        ours.map((l) => cells(l).length),
        redis.map((l) => cells(l).length),
      );
      assert.deepEqual(ours.slice(-3), redis.slice(-3));
      const colours = (all: string[]) => new Set(all.flatMap(cells));
      for (const c of colours(ours))
        assert.ok(['\x1b[0;30;40m \x1b[0m', '\x1b[0;90;100m \x1b[0m', '\x1b[0;37;47m \x1b[0m', '\x1b[0;97;107m \x1b[0m'].includes(c));
    }
  });

  test('RESP3: a verbatim string', async () => {
    const p = await startPair();
    try {
      await Promise.all([p.ours.call('HELLO', '3'), p.redis.call('HELLO', '3')]);
      await p.same(['LOLWUT', 'VERSION', '5', '20', '4', '2']);
      await p.same(['LOLWUT']);
    } finally {
      await p.close();
    }
  });
});
