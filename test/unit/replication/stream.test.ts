// The replication stream's building blocks: the backlog's offsets and trimming (what decides
// between +CONTINUE and a full sync), and the write feed's framing (MULTI/EXEC units, RESP bytes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplicationBacklog } from '../../../src-main/engine/replication/backlog.js';
import { CommandEncoder, encodeCommand, WriteFeed } from '../../../src-main/engine/core/write-feed.js';
import { PROPAGATE_REPL, Propagation } from '../../../src-main/engine/core/propagation.js';
import { ReplicationIds } from '../../../src-main/engine/replication/replication-ids.js';

test('an empty backlog starts at the next byte of the stream and covers exactly that offset', () => {
  const backlog = new ReplicationBacklog(1024, 500);
  assert.equal(backlog.firstByteOffset, 501);
  assert.equal(backlog.histlen, 0);
  assert.ok(backlog.covers(501));
  assert.ok(!backlog.covers(500));
  assert.ok(!backlog.covers(502));
  assert.deepEqual(backlog.readFrom(501), []);
});

test('the backlog returns the stream from any offset it still holds', () => {
  const backlog = new ReplicationBacklog(1 << 20, 0);
  const stream = Buffer.from('*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n');
  backlog.append(stream.subarray(0, 10));
  backlog.append(stream.subarray(10));
  assert.equal(backlog.histlen, stream.length);
  assert.equal(backlog.lastByteOffset, stream.length);
  for (const offset of [1, 5, 15, stream.length, stream.length + 1]) {
    assert.ok(backlog.covers(offset));
    assert.deepEqual(Buffer.concat(backlog.readFrom(offset)), stream.subarray(offset - 1));
  }
  assert.ok(!backlog.covers(stream.length + 2));
});

test('a full backlog drops whole blocks from its head and keeps at least its size', () => {
  const size = 40000;
  const backlog = new ReplicationBacklog(size, 0);
  const written: Buffer[] = [];
  for (let i = 0; i < 100; i++) {
    const chunk = Buffer.alloc(777 + (i % 13) * 100, i);
    written.push(chunk);
    backlog.append(chunk);
  }
  const stream = Buffer.concat(written);
  assert.ok(backlog.histlen >= size, `histlen ${backlog.histlen}`);
  assert.ok(backlog.histlen < size + 16 * 1024 + 2000, `histlen ${backlog.histlen}`);
  assert.equal(backlog.lastByteOffset, stream.length);
  assert.equal(backlog.firstByteOffset, stream.length - backlog.histlen + 1);
  assert.ok(!backlog.covers(backlog.firstByteOffset - 1));
  assert.deepEqual(Buffer.concat(backlog.readFrom(backlog.firstByteOffset)), stream.subarray(backlog.firstByteOffset - 1));
  // Shrinking keeps only the most recent history.
  backlog.resize(1000);
  assert.ok(backlog.histlen < 1000 + 16 * 1024 + 2000);
  assert.deepEqual(Buffer.concat(backlog.readFrom(backlog.firstByteOffset)), stream.subarray(backlog.firstByteOffset - 1));
});

test('PSYNC2 ids: replid2 is accepted up to second_repl_offset only', () => {
  const ids = new ReplicationIds('a'.repeat(40));
  assert.ok(ids.accepts('a'.repeat(40), 12345));
  assert.ok(ids.accepts('A'.repeat(40), 1), 'replids compare case-insensitively (strcasecmp)');
  ids.shift(100);
  assert.equal(ids.replid2, 'a'.repeat(40));
  assert.equal(ids.secondReplOffset, 101);
  assert.notEqual(ids.replid, 'a'.repeat(40));
  assert.ok(ids.accepts('a'.repeat(40), 101));
  assert.ok(!ids.accepts('a'.repeat(40), 102));
  assert.ok(ids.accepts(ids.replid, 5000));
  ids.clearSecondary();
  assert.ok(!ids.accepts('a'.repeat(40), 50));
  assert.equal(ids.secondReplOffset, -1);
});

test('the write feed wraps a unit of several effects in MULTI/EXEC, in the databases of the first and last effects', () => {
  const propagation = new Propagation();
  const feed = new WriteFeed(propagation);
  const seen: Array<[number, string[]]> = [];
  feed.subscribe((db, argv) => seen.push([db, argv]), PROPAGATE_REPL);
  // One command, one effect: as is.
  let frame = propagation.begin();
  propagation.end(frame, 3, ['SET', 'k', 'v'], 1);
  // A command that found an expired key first: DEL, then its own write, as one transaction.
  frame = propagation.begin();
  propagation.expired(3, 'old');
  propagation.end(frame, 3, ['SET', 'old', 'new'], 1);
  // Active expiry outside any command: a lone DEL.
  propagation.expired(5, 'gone');
  assert.deepEqual(seen, [
    [3, ['SET', 'k', 'v']],
    // 7.0's propagatePendingCommands: a SELECT the unit needs goes before its MULTI.
    [3, ['MULTI']],
    [3, ['DEL', 'old']],
    [3, ['SET', 'old', 'new']],
    [3, ['EXEC']],
    [5, ['DEL', 'gone']],
  ]);
});

test('commands are encoded as RESP multibulk, byte for byte', () => {
  const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('latin1');
  const encoded = encodeCommand(['SET', binary, '']);
  const expected = Buffer.concat([
    Buffer.from('*3\r\n$3\r\nSET\r\n$256\r\n'),
    Buffer.from(binary, 'latin1'),
    Buffer.from('\r\n$0\r\n\r\n'),
  ]);
  assert.deepEqual(encoded, expected);
  const many = Array.from({ length: 12 }, (_, i) => 'x'.repeat(i * 10));
  assert.equal(encodeCommand(many).toString('latin1'), `*12\r\n${many.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`);
});

test('the reused encoder frames every size, and a big command does not disturb the reused buffer', () => {
  const encoder = new CommandEncoder();
  const reference = (argv: string[]) => `*${argv.length}\r\n${argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;
  const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('latin1');
  const cases = [
    ['PING'],
    ['SET', 'k', binary.slice(0, 24)],
    ['SET', 'key', binary.slice(0, 25)],
    ['RPUSH', 'list', ...Array.from({ length: 150 }, (_, i) => String(i))],
    ['SET', 'big', 'v'.repeat(100_000)],
    ['SET', binary, ''],
  ];
  for (const argv of cases) {
    const length = encoder.encode(argv);
    assert.equal(encoder.bytes.toString('latin1', 0, length), reference(argv));
  }
});
