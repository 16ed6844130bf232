// The request parser against pipelined input split at every possible byte, and against the
// malformed requests Redis rejects (networking.c processMultibulkBuffer / processInlineBuffer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtocolError, RequestParser } from '../../../src-main/engine/protocol/request-parser.js';

/** Feeds the chunks in order and collects every request (and the protocol error, if any). */
function parseChunks(chunks: Buffer[]): { requests: string[][]; error?: string } {
  const parser = new RequestParser();
  const requests: string[][] = [];
  try {
    for (const chunk of chunks) {
      parser.feed(chunk);
      for (let argv = parser.next(); argv !== null; argv = parser.next()) requests.push(argv);
    }
  } catch (err) {
    assert.ok(err instanceof ProtocolError, String(err));
    return { requests, error: err.message };
  }
  return { requests };
}

const binaryValue = Buffer.from([0, 13, 10, 255, 42, 36]); // NUL, CR, LF, 0xFF, '*', '$'
const pipeline = Buffer.concat([
  Buffer.from('*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$6\r\n'),
  binaryValue,
  Buffer.from('\r\n'),
  Buffer.from('PING\r\n'),
  Buffer.from('  set  "a b"   \'c\\\'d\'  "\\x41\\n" \n'),
  Buffer.from('*0\r\n'),
  Buffer.from('\r\n'),
  Buffer.from('*1\r\n$4\r\nPING\r\n'),
  Buffer.from('*2\r\n$3\r\nGET\r\n$0\r\n\r\n'),
]);
const expected = [['SET', 'key', binaryValue.toString('latin1')], ['PING'], ['set', 'a b', "c'd", 'A\n'], [], [], ['PING'], ['GET', '']];

test('a pipeline of multibulk and inline requests parses the same when split at any byte', () => {
  assert.deepEqual(parseChunks([pipeline]).requests, expected);
  for (let split = 1; split < pipeline.length; split++) {
    const result = parseChunks([pipeline.subarray(0, split), pipeline.subarray(split)]);
    assert.deepEqual(result.requests, expected, `split at byte ${split}`);
  }
});

test('the same pipeline fed one byte at a time', () => {
  const bytes = [...pipeline].map((b) => Buffer.from([b]));
  assert.deepEqual(parseChunks(bytes).requests, expected);
});

test('a big bulk argument split across many chunks arrives intact', () => {
  const value = Buffer.alloc(200_000, 'x');
  value[0] = 0;
  value[value.length - 1] = 255;
  const request = Buffer.concat([
    Buffer.from(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${value.length}\r\n`),
    value,
    Buffer.from('\r\n*1\r\n$4\r\nPING\r\n'),
  ]);
  for (const size of [1000, 16 * 1024, 65536, 7]) {
    const chunks: Buffer[] = [];
    for (let i = 0; i < request.length; i += size) chunks.push(request.subarray(i, i + size));
    const { requests } = parseChunks(chunks);
    assert.equal(requests.length, 2, `chunk size ${size}`);
    assert.equal(requests[0]![2], value.toString('latin1'));
    assert.deepEqual(requests[1], ['PING']);
  }
});

test('requests before a protocol error are still returned, then the error', () => {
  const result = parseChunks([Buffer.from('PING\r\n*1\r\n$4\r\nECHO\r\n*x\r\n')]);
  assert.deepEqual(result.requests, [['PING'], ['ECHO']]);
  assert.equal(result.error, 'Protocol error: invalid multibulk length');
});

const errors: [string, string | Buffer][] = [
  ['Protocol error: invalid multibulk length', '*abc\r\n'],
  ['Protocol error: invalid multibulk length', '*2147483648\r\n'],
  ['Protocol error: invalid multibulk length', '*-1x\r\n'],
  ["Protocol error: expected '$', got 'x'", '*1\r\nx3\r\nfoo\r\n'],
  ["Protocol error: expected '$', got ':'", '*2\r\n$1\r\na\r\n:1\r\n'],
  ['Protocol error: invalid bulk length', '*1\r\n$-1\r\n'],
  ['Protocol error: invalid bulk length', '*1\r\n$abc\r\n'],
  ['Protocol error: invalid bulk length', '*1\r\n$536870913\r\n'],
  ['Protocol error: unbalanced quotes in request', 'SET "a b\r\n'],
  ['Protocol error: unbalanced quotes in request', "SET 'a'b\r\n"],
  ['Protocol error: unbalanced quotes in request', 'SET "a"b\r\n'],
  ['Protocol error: too big inline request', Buffer.alloc(64 * 1024 + 1, 'a')],
  ['Protocol error: too big mbulk count string', Buffer.concat([Buffer.from('*'), Buffer.alloc(64 * 1024 + 1, '1')])],
  ['Protocol error: too big bulk count string', Buffer.concat([Buffer.from('*1\r\n$'), Buffer.alloc(64 * 1024 + 1, '1')])],
];

for (const [message, input] of errors) {
  test(`protocol error: ${message} for ${JSON.stringify(String(input).slice(0, 30))}`, () => {
    const result = parseChunks([Buffer.isBuffer(input) ? input : Buffer.from(input)]);
    assert.equal(result.error, message);
  });
}

test('*0 and *-1 are empty requests, which Redis skips', () => {
  assert.deepEqual(parseChunks([Buffer.from('*0\r\n*-1\r\nPING\r\n')]).requests, [[], [], ['PING']]);
});

test('inline requests accept a bare LF and a NUL ends the line, as in sdssplitargs', () => {
  assert.deepEqual(parseChunks([Buffer.from('ECHO a\nECHO b\0 c\r\n')]).requests, [
    ['ECHO', 'a'],
    ['ECHO', 'b'],
  ]);
});

test("a client that must still authenticate may only send small requests, with 7.0.15's errors", () => {
  const strict = () => new RequestParser({ maxBulkLength: 512 * 1024 * 1024, authenticated: () => false });
  const tooManyArgs = strict();
  tooManyArgs.feed(Buffer.from('*11\r\n'));
  assert.throws(() => tooManyArgs.next(), { message: 'Protocol error: unauthenticated multibulk length' });
  const tooLong = strict();
  tooLong.feed(Buffer.from('*2\r\n$4\r\nAUTH\r\n$16385\r\n'));
  assert.throws(() => tooLong.next(), { message: 'Protocol error: unauthenticated bulk length' });
  const fine = strict();
  fine.feed(Buffer.from('*2\r\n$4\r\nAUTH\r\n$3\r\npwd\r\n'));
  assert.deepEqual(fine.next(), ['AUTH', 'pwd']);
});

test('an incomplete request left in a big socket chunk is kept as a copy, not a view of the chunk', () => {
  const parser = new RequestParser();
  const requests = Buffer.from('*1\r\n$4\r\nPING\r\n'.repeat(4000));
  parser.feed(Buffer.concat([requests, Buffer.from('*1\r\n$4\r\nPI')]));
  let parsed = 0;
  while (parser.next() !== null) parsed++;
  assert.equal(parsed, 4000);
  assert.equal(parser.bufferedBytes, 2);
  const kept = (parser as unknown as { buf: Buffer }).buf;
  assert.ok(kept.buffer.byteLength < requests.length, 'the pending bytes must not pin the 56 KB chunk');
  parser.feed(Buffer.from('NG\r\n'));
  assert.deepEqual(parser.next(), ['PING']);
});

test('after releaseChunk the parser owns what is left, so the reader may reuse its buffer', () => {
  // The connection reads every socket into one reused buffer: both a half request and requests
  // not parsed yet (a client blocked in BLPOP) must survive that buffer being overwritten.
  const parser = new RequestParser();
  const shared = Buffer.alloc(64);
  const fedLength = shared.write('*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nEC', 'latin1');
  parser.feed(shared.subarray(0, fedLength));
  assert.deepEqual(parser.next(), ['PING']); // then stop, as a blocked client does
  parser.releaseChunk();
  shared.fill(0x78);
  assert.deepEqual(parser.next(), ['GET', 'k']);
  assert.equal(parser.next(), null);
  parser.releaseChunk();
  shared.fill(0x78);
  const rest = shared.write('HO\r\n', 'latin1');
  parser.feed(shared.subarray(0, rest));
  assert.deepEqual(parser.next(), ['ECHO']);
  assert.equal(parser.next(), null);
  parser.releaseChunk();
  assert.equal(parser.bufferedBytes, 0);
});

test('a big argument costs the bytes that arrived, not the length the client announced', () => {
  const parser = new RequestParser();
  parser.feed(Buffer.from('*2\r\n$3\r\nGET\r\n$500000000\r\nabc'));
  assert.equal(parser.next(), null);
  assert.ok(parser.bufferedBytes < 1024, `buffered ${parser.bufferedBytes}`);
  // It still completes, grown as the data comes.
  const whole = new RequestParser();
  whole.feed(Buffer.from('*2\r\n$3\r\nSET\r\n$3000000\r\n'));
  const value = Buffer.alloc(3000000, 'x');
  for (let at = 0; at < value.length; at += 65536) whole.feed(value.subarray(at, at + 65536));
  whole.feed(Buffer.from('\r\n'));
  const argv = whole.next();
  assert.equal(argv?.[1]?.length, 3000000);
});
