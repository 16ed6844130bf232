// The load worker's reply counter: replies of every RESP2 type, whole or split anywhere across
// chunks, each counted once, error texts passed on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplyCounter } from '../../../src-main/host/load/reply-counter.js';

const STREAM = Buffer.from(
  '+OK\r\n:1\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n$5\r\nhello\r\n$-1\r\n*2\r\n$1\r\na\r\n*1\r\n:7\r\n*-1\r\n$0\r\n\r\n',
);

test('counts each reply once, however the stream is split', () => {
  for (let size = 1; size <= STREAM.length; size++) {
    const counter = new ReplyCounter();
    const seen: Array<string | null> = [];
    for (let at = 0; at < STREAM.length; at += size) counter.feed(STREAM.subarray(at, at + size), (error) => seen.push(error));
    assert.equal(seen.length, 8, `chunks of ${size}`);
    assert.deepEqual(
      seen.filter((e) => e !== null),
      ['WRONGTYPE Operation against a key holding the wrong kind of value'],
    );
  }
});

test('a reply still incomplete is not counted', () => {
  const counter = new ReplyCounter();
  let count = 0;
  counter.feed(Buffer.from('$10\r\nhello'), () => count++);
  assert.equal(count, 0);
  counter.feed(Buffer.from('world\r\n'), () => count++);
  assert.equal(count, 1);
});
