// The stream view's incremental reader of a replication link: the same bytes split at every
// position (and fed a byte at a time) must give the same items, with the RDB payload of a full
// sync skipped by its `$<len>` or up to its diskless `$EOF:<mark>`, and a reader started mid-stream
// must find the next command and report what it skipped.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { EOF_MARK_SIZE, PREVIEW_BYTES, StreamParser, type StreamItem } from '../../../src-main/host/stream-view/stream-parser.js';

function resp(...args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg) : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

function readAll(start: 'replies' | 'commands' | 'unsynced', chunks: Buffer[]): StreamItem[] {
  const parser = new StreamParser(start);
  return chunks.flatMap((chunk) => parser.feed(chunk));
}

function splits(stream: Buffer): Buffer[][] {
  const ways: Buffer[][] = [[stream]];
  for (let at = 1; at < stream.length; at++) ways.push([stream.subarray(0, at), stream.subarray(at)]);
  ways.push([...stream].map((byte) => Buffer.from([byte])));
  return ways;
}

/** Items without the binary-string args turned into what a test compares. */
function summary(items: StreamItem[]): string[] {
  return items.map((item) => {
    switch (item.kind) {
      case 'command':
        return `command ${item.args.join(' ')} [${item.sizes.join(',')}] ${item.bytes}@${item.end}`;
      case 'reply':
        return `reply ${item.line} ${item.bytes}@${item.end}`;
      case 'rdb':
        return `rdb ${item.payload} ${item.diskless} ${item.bytes}@${item.end}`;
      case 'skipped':
        return `skipped ${item.bytes}@${item.end}`;
    }
  });
}

const select = resp('SELECT', '0');
const set = resp('SET', 'demo', '1');
const getack = resp('REPLCONF', 'GETACK', '*');
const multi = resp('MULTI');
const incr = resp('INCR', 'n');
const exec = resp('EXEC');
const commands = Buffer.concat([resp('PING'), select, set, getack, multi, incr, exec]);

describe('the stream parser', () => {
  test('reads the same commands, sizes and positions wherever the stream is split', () => {
    const expected = summary(readAll('commands', [commands]));
    assert.deepEqual(expected, [
      'command PING [4] 14@14',
      `command SELECT 0 [6,1] ${select.length}@${14 + select.length}`,
      `command SET demo 1 [3,4,1] ${set.length}@${14 + select.length + set.length}`,
      `command REPLCONF GETACK * [8,6,1] ${getack.length}@${14 + select.length + set.length + getack.length}`,
      `command MULTI [5] ${multi.length}@${14 + select.length + set.length + getack.length + multi.length}`,
      `command INCR n [4,1] ${incr.length}@${14 + select.length + set.length + getack.length + multi.length + incr.length}`,
      `command EXEC [4] ${exec.length}@${commands.length}`,
    ]);
    for (const chunks of splits(commands)) assert.deepEqual(summary(readAll('commands', chunks)), expected);
  });

  test('keeps only a preview of a long argument, and counts all of it', () => {
    const big = Buffer.alloc(100_000, 'x');
    const stream = Buffer.concat([resp('SET', 'big', big), set]);
    const items = readAll('commands', [stream.subarray(0, 5000), stream.subarray(5000, 70_000), stream.subarray(70_000)]);
    assert.equal(items.length, 2);
    const first = items[0]!;
    assert.ok(first.kind === 'command');
    assert.equal(first.args[2]!.length, PREVIEW_BYTES);
    assert.equal(first.sizes[2], 100_000);
    assert.equal(first.bytes, stream.length - set.length);
    assert.equal(items[1]!.end, stream.length);
  });

  const fullResync = Buffer.from('+FULLRESYNC 0123456789abcdef0123456789abcdef01234567 1234\r\n');
  const handshake = Buffer.from('+PONG\r\n+OK\r\n+OK\r\n');

  test('a full sync with a disk RDB: replies, keepalive newlines, the payload skipped by its $<len>, then commands', () => {
    // The payload holds what looks like RESP and CRLFs: it must not be read as commands.
    const payload = Buffer.concat([Buffer.from('REDIS0010'), resp('SET', 'fake', 'x'), randomBytes(300), Buffer.from('\r\n*1\r\n')]);
    const stream = Buffer.concat([handshake, fullResync, Buffer.from('\n\n'), Buffer.from(`$${payload.length}\r\n`), payload, commands]);
    const expected = [
      'reply +PONG 7@7',
      'reply +OK 5@12',
      'reply +OK 5@17',
      `reply ${fullResync.toString().trim()} ${fullResync.length}@${17 + fullResync.length}`,
      `rdb ${payload.length} false ${`$${payload.length}\r\n`.length + payload.length}@${stream.length - commands.length}`,
      ...summary(readAll('commands', [commands])).map((line) =>
        line.replace(/@(\d+)$/, (_m, end: string) => `@${Number(end) + stream.length - commands.length}`),
      ),
    ];
    for (const chunks of splits(stream)) assert.deepEqual(summary(readAll('replies', chunks)), expected);
  });

  test('a diskless full sync: the payload runs to the $EOF: mark, found across any split', () => {
    const mark = Buffer.from('a'.repeat(EOF_MARK_SIZE - 1) + 'b');
    // Almost-marks in the payload (the mark's first 39 bytes) must not end it early.
    const payload = Buffer.concat([Buffer.from('REDIS0010'), mark.subarray(0, 39), randomBytes(64), Buffer.from('aaaa')]);
    const header = Buffer.from(`$EOF:${mark.toString()}\r\n`);
    const stream = Buffer.concat([fullResync, header, payload, mark, set]);
    const rdbEnd = stream.length - set.length;
    const expected = [
      `reply ${fullResync.toString().trim()} ${fullResync.length}@${fullResync.length}`,
      `rdb ${payload.length} true ${header.length + payload.length + EOF_MARK_SIZE}@${rdbEnd}`,
      `command SET demo 1 [3,4,1] ${set.length}@${stream.length}`,
    ];
    for (const chunks of splits(stream)) assert.deepEqual(summary(readAll('replies', chunks)), expected);
  });

  test('+CONTINUE goes straight to the stream', () => {
    const stream = Buffer.concat([Buffer.from('+CONTINUE 0123456789abcdef0123456789abcdef01234567\r\n'), set]);
    for (const chunks of splits(stream)) {
      assert.deepEqual(
        summary(readAll('replies', chunks)).map((line) => line.split(' ')[0]),
        ['reply', 'command'],
      );
    }
  });

  test('a reader started mid-stream skips to the next command boundary and says how much it skipped', () => {
    for (let cut = 1; cut < commands.length; cut++) {
      const parser = new StreamParser('unsynced');
      parser.skip(1000);
      const items = parser.feed(commands.subarray(cut));
      const whole = readAll('commands', [commands]).filter((item) => item.end - item.bytes >= cut);
      const found = items.filter((item) => item.kind === 'command');
      // Every command that begins after the cut is found, none is invented.
      assert.ok(found.length === whole.length, `cut at ${cut}: ${summary(items).join(' | ')}`);
      for (const item of found)
        assert.ok(
          whole.some((w) => w.end + 1000 - cut === item.end && summary([w])[0]!.split(' ')[1] === (item as { args: string[] }).args[0]),
        );
      const skipped = items.filter((item) => item.kind === 'skipped').reduce((sum, item) => sum + item.bytes, 0);
      // What was skipped is reported once reading resumes (nothing yet if no command began after the cut).
      const firstStart = found.length > 0 ? found[0]!.end - found[0]!.bytes - 1000 : 0;
      assert.equal(skipped, firstStart, `cut at ${cut}`);
    }
  });

  test('garbage in the stream is skipped and reading resumes at the next command', () => {
    const stream = Buffer.concat([set, Buffer.from('!!not resp\r\n'), resp('PING'), set]);
    const items = summary(readAll('commands', [stream]));
    assert.equal(items[0], `command SET demo 1 [3,4,1] ${set.length}@${set.length}`);
    assert.ok(items.some((line) => line.startsWith('skipped')));
    assert.equal(items.at(-1), `command SET demo 1 [3,4,1] ${set.length}@${stream.length}`);
  });
});
