// The console's reply formatter and line splitter against Debian's redis-cli 7.0: the same command
// lines go to two fresh redis-servers, one through `redis-cli --no-raw` (its tty formatter, reading
// the lines from stdin as its prompt would), the other through our splitter, reply reader and
// formatter over a plain socket; the printed text must be identical. Then the RESP3 shapes a
// command line cannot easily produce, built by hand.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { encodeCommand, INVALID_ARGUMENTS, splitCommandLine } from '../../../src-main/host/console/command-line.js';
import { formatReplyTTY } from '../../../src-main/host/console/reply-format.js';
import { RespReader, type ConsoleReply } from '../../../src-main/host/console/resp-reader.js';
import { redisCli, startServer, type RunningServer } from '../../support/servers.js';

const LINES = [
  'SET greeting "hello world"',
  'GET greeting',
  'GET missing',
  'SET e "a\\x00b\\n\\xff\\"\\\\\\x7f\\t\\r\\a\\b"',
  'GET e',
  "SET 'single quoted' x",
  'ECHO "\\x41\\x4z"',
  'SET é ü',
  'GET é',
  'SET a "a b',
  'GET "a"b',
  'INCR counter',
  'INCRBY counter -5',
  'LRANGE nothing 0 -1',
  'RPUSH big 1 2 3 4 5 6 7 8 9 10 11',
  'LRANGE big 0 -1',
  'HSET h f1 v1 f2 "x y"',
  'HGETALL h',
  'SCAN 0 MATCH e COUNT 100',
  'ZADD z 1.5 a 2 b',
  'ZRANGE z 0 -1 WITHSCORES',
  'COMMAND INFO get',
  'BOGUS arg',
  'SET',
  'HELLO 3',
  'HGETALL h',
  'HGETALL nothing',
  'SMEMBERS nothing',
  'SADD s m',
  'SMEMBERS s',
  'ZRANGE z 0 -1 WITHSCORES',
  'ZSCORE z a',
  'CONFIG GET maxmemory',
  'COMMAND DOCS get',
  'DEBUG PROTOCOL double',
  'DEBUG PROTOCOL true',
  'DEBUG PROTOCOL false',
  'DEBUG PROTOCOL null',
  'DEBUG PROTOCOL map',
  'DEBUG PROTOCOL set',
  'DEBUG PROTOCOL verbatim',
  'HELLO 2',
  'ZSCORE z a',
];

/** One connection, each line sent and its reply printed, as the console does. */
async function ourOutput(port: number, lines: string[]): Promise<string> {
  const socket: Socket = connect({ host: '127.0.0.1', port });
  await new Promise((resolve) => socket.once('connect', resolve));
  const reader = new RespReader();
  const waiting: Array<(reply: ConsoleReply) => void> = [];
  socket.on('data', (chunk: Buffer) => {
    reader.feed(chunk);
    for (const reply of reader.takeReplies()) waiting.shift()!(reply);
  });
  let out = '';
  for (const line of lines) {
    const args = splitCommandLine(line);
    if (args === null) {
      out += INVALID_ARGUMENTS + '\n';
      continue;
    }
    const reply = new Promise<ConsoleReply>((resolve) => waiting.push(resolve));
    socket.write(encodeCommand(args));
    out += formatReplyTTY(await reply);
  }
  socket.destroy();
  return out;
}

describe('console output against redis-cli', () => {
  let forCli: RunningServer;
  let forUs: RunningServer;

  before(async () => {
    forCli = await startServer('redis', ['--enable-debug-command', 'yes']);
    forUs = await startServer('redis', ['--enable-debug-command', 'yes']);
  });
  after(async () => {
    await forCli?.stop();
    await forUs?.stop();
  });

  test('every line prints exactly what redis-cli prints', async () => {
    // Without a command, redis-cli reads lines as at its prompt; --no-raw keeps the tty format.
    const expected = redisCli(forCli.port, ['--no-raw'], LINES.join('\n') + '\n') + '\n';
    const actual = await ourOutput(forUs.port, LINES);
    // The connection ids in HELLO are each server's own; both are fresh, so they match too.
    assert.equal(actual, expected);
    // Sanity: the comparison covered the shapes it is meant to.
    for (const shape of [
      '(integer) 1',
      '(nil)',
      '(empty array)',
      ' 1) "1"',
      '1# "f1" => "v1"',
      '1~ "m"',
      '(double) 1.5',
      '(true)',
      '(error) ERR',
      INVALID_ARGUMENTS,
      '"\\xc3\\xbc"',
    ]) {
      assert.ok(actual.includes(shape), `output has ${shape}:\n${actual}`);
    }
  });
});

describe('formatReplyTTY, shapes built by hand', () => {
  const str = (bytes: string): ConsoleReply => ({ type: 'string', bytes });
  test('empty RESP3 aggregates say what they are', () => {
    assert.equal(formatReplyTTY({ type: 'map', items: [] }), '(empty hash)\n');
    assert.equal(formatReplyTTY({ type: 'set', items: [] }), '(empty set)\n');
    assert.equal(formatReplyTTY({ type: 'push', items: [] }), '(empty push)\n');
  });
  test('a push (a RESP3 pub/sub message) is numbered as an array', () => {
    const push: ConsoleReply = { type: 'push', items: [str('message'), str('ch'), str('hi')] };
    assert.equal(formatReplyTTY(push), '1) "message"\n2) "ch"\n3) "hi"\n');
  });
  test('nested arrays indent under their parent index, widened by the widest index', () => {
    const inner: ConsoleReply = { type: 'array', items: [str('a'), { type: 'integer', value: '2' }] };
    const items: ConsoleReply[] = Array.from({ length: 10 }, () => ({ type: 'nil' }) as ConsoleReply);
    items[9] = inner;
    const text = formatReplyTTY({ type: 'array', items });
    assert.ok(text.endsWith('10) 1) "a"\n    2) (integer) 2\n'), text);
    assert.ok(text.startsWith(' 1) (nil)\n'), text);
  });
  test('a map value of several lines starts on its own line', () => {
    const map: ConsoleReply = { type: 'map', items: [str('k'), { type: 'array', items: [str('x'), str('y')] }] };
    assert.equal(formatReplyTTY(map), '1# "k" => \n   1) "x"\n   2) "y"\n');
  });
  test('the reader takes replies split anywhere across chunks', () => {
    const reader = new RespReader();
    const bytes = Buffer.from('*2\r\n$3\r\nfoo\r\n%1\r\n+k\r\n,3.5\r\n:7\r\n');
    for (let i = 0; i < bytes.length; i++) reader.feed(bytes.subarray(i, i + 1));
    const replies = reader.takeReplies();
    assert.equal(replies.map((reply) => formatReplyTTY(reply)).join(''), '1) "foo"\n2) 1# k => (double) 3.5\n(integer) 7\n');
  });
});
