// The reply parser our outbound connections (a Sentinel's links) read with: every RESP2 reply
// type, nested arrays, and replies split at every byte across reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplyError, ReplyParser, type Reply } from '../../../src-main/engine/protocol/reply-parser.js';

const STREAM = '+PONG\r\n-ERR no\r\n:42\r\n$5\r\nhe\r\no\r\n$-1\r\n*3\r\n$7\r\nmessage\r\n*1\r\n:1\r\n$0\r\n\r\n*-1\r\n';
const EXPECTED: Reply[] = ['PONG', new ReplyError('ERR no'), 42, 'he\r\no', null, ['message', [1], ''], null];

function parseAll(chunks: Buffer[]): Reply[] {
  const parser = new ReplyParser();
  const out: Reply[] = [];
  for (const chunk of chunks) {
    parser.feed(chunk);
    for (let r = parser.next(); r !== undefined; r = parser.next()) out.push(r);
  }
  return out;
}

test('parses every RESP2 reply type in one read', () => {
  assert.deepEqual(parseAll([Buffer.from(STREAM, 'latin1')]), EXPECTED);
});

test('parses replies split at any byte', () => {
  const bytes = Buffer.from(STREAM, 'latin1');
  for (let cut = 1; cut < bytes.length; cut++) {
    assert.deepEqual(parseAll([bytes.subarray(0, cut), bytes.subarray(cut)]), EXPECTED, `cut at ${cut}`);
  }
  assert.deepEqual(parseAll([...bytes].map((b) => Buffer.from([b]))), EXPECTED);
});
