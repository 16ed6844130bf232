// Debian's redis-cli in its special modes (--scan, --bigkeys, --memkeys, --stat, --pipe, -3,
// --raw/--no-raw, -x) against our node, each compared with what the same redis-cli prints against
// Debian's redis-server holding the same data. These modes drive a server through SCAN, TYPE, the
// per-type size commands, INFO, RESP3 and raw pipelining, the way people inspect a real server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { startServer, type RunningServer } from '../../support/servers.js';
import { RespClient } from '../../support/resp-client.js';
import { serves } from '../../support/command-families.js';

let ours: RunningServer;
let redis: RunningServer;

before(async () => {
  // DEBUG DIGEST compares whole datasets after --pipe; redis-server refuses DEBUG unless enabled.
  const args = ['--enable-debug-command', 'yes'];
  [ours, redis] = await Promise.all([startServer('ours', args), startServer('redis', args)]);
});
after(async () => {
  await Promise.all([ours?.stop(), redis?.stop()]);
});

interface CliRun {
  stdout: string;
  stderr: string;
}

/** Runs redis-cli against `port`; what it printed, bytes as latin1 (--pipe reports errors on stderr). */
function run(port: number, args: string[], input?: Buffer | string): CliRun {
  const child = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
    input,
    encoding: 'latin1',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.error) throw child.error;
  return { stdout: child.stdout, stderr: child.stderr };
}

/** Runs redis-cli against `port` and returns its standard output; it must print nothing on stderr. */
function cli(port: number, args: string[], input?: Buffer | string): string {
  const { stdout, stderr } = run(port, args, input);
  assert.equal(stderr, '', `redis-cli ${args.join(' ')} wrote to stderr`);
  return stdout;
}

/** Runs the same redis-cli invocation against both servers and asserts identical output. */
function sameRun(args: string[], input?: Buffer | string): CliRun {
  const mine = run(ours.port, args, input);
  assert.deepEqual(mine, run(redis.port, args, input), `redis-cli ${args.join(' ')} prints differently (ours, then redis-server)`);
  return mine;
}

/** sameRun for an invocation that must print nothing on stderr; returns its standard output. */
function sameOutput(args: string[], input?: Buffer | string): string {
  const { stdout, stderr } = sameRun(args, input);
  assert.equal(stderr, '', `redis-cli ${args.join(' ')} wrote to stderr`);
  return stdout;
}

/** Sends the same commands to both servers, pipelined, and returns our replies. */
async function onBoth(commands: string[][]): Promise<void> {
  for (const server of [ours, redis]) {
    const client = await RespClient.open(server.port);
    try {
      await client.pipeline(commands);
    } finally {
      client.close();
    }
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * A dataset in which each type's biggest key is unique (no two keys of a type share a size), so
 * --bigkeys has one right answer whatever order SCAN visits the keys in.
 */
const DATASET: string[][] = [
  ['FLUSHALL'],
  ...range(300).map((i) => ['SET', `user:${i}`, `name-${i}`]),
  ['SET', 'blob', 'x'.repeat(5000)],
  ['SET', 'counter', '42'],
  ['RPUSH', 'queue', ...range(250).map(String)],
  ['RPUSH', 'small-list', 'a', 'b', 'c'],
  ['HSET', 'profile', ...range(40).flatMap((i) => [`field${i}`, `value${i}`])],
  ['HSET', 'small-hash', 'f', 'v'],
  ['SADD', 'tags', ...range(70).map((i) => `tag${i}`)],
  ['SADD', 'ints', '1', '2', '3'],
  ['ZADD', 'ranking', ...range(90).flatMap((i) => [String(i / 4), `player${i}`])],
  ['ZADD', 'small-zset', '1', 'a'],
];
const DATASET_KEYS = 300 + 10;

describe('redis-cli modes against our node and redis-server', () => {
  before(async () => {
    await onBoth(DATASET);
  });

  test('--scan lists every key once, with and without --pattern', () => {
    const sorted = (text: string) => text.split('\n').filter(Boolean).sort();
    const all = sorted(cli(ours.port, ['--scan']));
    assert.equal(all.length, DATASET_KEYS);
    assert.equal(new Set(all).size, all.length, '--scan printed a key twice');
    assert.deepEqual(all, sorted(cli(redis.port, ['--scan'])));

    const users = sorted(cli(ours.port, ['--scan', '--pattern', 'user:1?']));
    assert.deepEqual(
      users,
      range(10)
        .map((i) => `user:1${i}`)
        .sort(),
    );
    assert.deepEqual(users, sorted(cli(redis.port, ['--scan', '--pattern', 'user:1?'])));
    assert.deepEqual(sorted(cli(ours.port, ['--scan', '--pattern', 'small-*'])), ['small-hash', 'small-list', 'small-zset']);
    assert.equal(cli(ours.port, ['--scan', '--pattern', 'nothing-matches-*']), '');
  });

  test('--bigkeys: the same summary (biggest key per type, counts and sizes)', () => {
    const summary = (text: string) => {
      const at = text.indexOf('-------- summary -------');
      assert.ok(at >= 0, `no summary in:\n${text}`);
      return text.slice(at);
    };
    const mine = summary(cli(ours.port, ['--bigkeys']));
    assert.equal(mine, summary(cli(redis.port, ['--bigkeys'])));
    assert.match(mine, /^Sampled 310 keys in the keyspace!$/m);
    assert.match(mine, /^Biggest string found '"blob"' has 5000 bytes$/m);
    assert.match(mine, /^Biggest {3}list found '"queue"' has 250 items$/m);
    assert.match(mine, /^Biggest {4}set found '"tags"' has 70 members$/m);
    assert.match(mine, /^2 zsets with 91 members \(00\.65% of keys, avg size 45\.50\)$/m);
  });

  test('--memkeys: the same keys per type, sizes in bytes from MEMORY USAGE', async (t) => {
    const client = await RespClient.open(ours.port);
    const served = await serves(client, 'memory');
    client.close();
    if (!served) {
      t.skip('our node does not serve MEMORY USAGE yet, which --memkeys asks for every key');
      return;
    }
    // Byte counts depend on each server's allocator; everything else (which keys were sampled,
    // how many of each type) must match, and the biggest string is the 5000-byte blob on both.
    const shape = (text: string) =>
      text
        .slice(text.indexOf('-------- summary -------'))
        .replace(/\d+ bytes/g, 'N bytes')
        .replace(/avg size [\d.]+/g, 'avg size N')
        .split('\n')
        .filter((line) => !line.startsWith('Biggest'));
    const mine = cli(ours.port, ['--memkeys']);
    assert.deepEqual(shape(mine), shape(cli(redis.port, ['--memkeys'])));
    assert.match(mine, /^Biggest string found '"blob"' has \d+ bytes$/m);
  });

  test('--stat prints live rows with the keys, clients and requests of the node', async () => {
    const [mine, theirs] = await Promise.all([statLines(ours.port, 4), statLines(redis.port, 4)]);
    // The two header lines are fixed text; the rows carry live numbers.
    assert.deepEqual(mine.slice(0, 2), theirs.slice(0, 2));
    assert.match(mine[0]!, /^------- data ------ -+ load -+ - child -$/);
    const rows = mine.slice(2).map((line) => line.trim().split(/\s+/));
    let previousRequests = -1;
    for (const row of rows) {
      // keys, mem, clients, blocked, requests "(+n)", connections
      assert.equal(row[0], String(DATASET_KEYS), `keys column of ${row.join(' ')}`);
      assert.match(row[1]!, /^\d+(\.\d+)?[BKMG]$/);
      assert.equal(row[2], '1', 'redis-cli is the only client');
      assert.equal(row[3], '0', 'no blocked clients');
      const requests = Number(row[4]);
      assert.ok(requests > previousRequests, 'the request counter grows with every INFO');
      previousRequests = requests;
      assert.match(row[5]!, /^\(\+\d+\)$/);
    }
  });

  test('-3 (RESP3): maps, sets, doubles, nulls and HELLO print the same as against redis-server', () => {
    const commands = [
      ['HGETALL', 'small-hash'],
      ['CONFIG', 'GET', 'maxmemory'],
      ['SMEMBERS', 'ints'],
      ['ZSCORE', 'ranking', 'player3'],
      ['ZRANGE', 'ranking', '0', '2', 'WITHSCORES'],
      ['ZMSCORE', 'ranking', 'player1', 'nobody'],
      ['ZINCRBY', 'small-zset', '0.5', 'a'],
      ['ZADD', 'small-zset', 'INCR', '1e3', 'a'],
      ['ZPOPMIN', 'no-such-zset'],
      ['GET', 'no-such-key'],
      ['EXISTS', 'queue'],
      ['LRANGE', 'small-list', '0', '-1'],
      ['SMISMEMBER', 'ints', '1', '9'],
      ['HRANDFIELD', 'small-hash', '1', 'WITHVALUES'],
      ['BLPOP', 'no-such-list', '0.01'],
      ['INCRBYFLOAT', 'float', '1.5'],
      ['LPOS', 'small-list', 'zz'],
      ['GETRANGE', 'blob', '0', '3'],
      ['TYPE', 'ranking'],
      ['SET', 'small-list', 'x', 'NX'],
      ['HINCRBY', 'small-hash', 'f', '1'],
    ];
    for (const argv of commands) sameOutput(['-3', '--no-raw', ...argv]);
    // HELLO's reply is a map with the connection id in it, which differs between two servers.
    const hello = (port: number) => cli(port, ['-3', '--no-raw', 'HELLO', '3']).replace(/"id" => \(integer\) \d+/, '"id" => (integer) N');
    const mine = hello(ours.port);
    assert.equal(mine, hello(redis.port));
    assert.match(mine, /^3# "proto" => \(integer\) 3$/m);
    assert.match(cli(ours.port, ['-3', '--no-raw', 'ZSCORE', 'ranking', 'player3']), /^\(double\) 0\.75$/m);
  });

  test('--raw and --no-raw print values, nils, errors and aggregates the same', () => {
    // A NUL cannot travel in a process argument: -x brings the value in through standard input.
    sameOutput(['-x', 'SET', 'lines'], 'first\nsecond\x00third "quoted" \xff');
    for (const mode of ['--raw', '--no-raw']) {
      for (const argv of [
        ['GET', 'lines'],
        ['GET', 'no-such-key'],
        ['LRANGE', 'small-list', '0', '-1'],
        ['HGETALL', 'profile'],
        ['ZRANGE', 'ranking', '0', '3', 'WITHSCORES'],
        ['INCR', 'counter'],
        ['LPUSH', 'blob', 'x'],
        ['NOSUCHCOMMAND'],
        ['MGET', 'counter', 'no-such-key', 'lines'],
        ['LRANGE', 'no-such-key', '0', '-1'],
      ]) {
        sameOutput([mode, ...argv]);
      }
    }
    assert.equal(cli(ours.port, ['--raw', 'GET', 'lines']), 'first\nsecond\x00third "quoted" \xff\n');
    assert.equal(cli(ours.port, ['--no-raw', 'GET', 'lines']), '"first\\nsecond\\x00third \\"quoted\\" \\xff"\n');
  });

  test('-x takes the last argument from standard input, binary safe', () => {
    const payload = Buffer.from('line one\nline two\r\n\x00\x01\xfe\xff end', 'latin1');
    assert.equal(sameOutput(['-x', 'SET', 'from-stdin'], payload), 'OK\n');
    sameOutput(['STRLEN', 'from-stdin']);
    assert.equal(cli(ours.port, ['STRLEN', 'from-stdin']), `${payload.length}\n`);
    assert.equal(cli(ours.port, ['--raw', 'GET', 'from-stdin']), `${payload.toString('latin1')}\n`);
    assert.equal(sameOutput(['-x', 'HSET', 'small-hash', 'stdin-field'], 'abc'), '1\n');
    sameOutput(['HGET', 'small-hash', 'stdin-field']);
  });

  test('--pipe: 100000 commands of mass insertion, then the same data as redis-server', async () => {
    await onBoth([['FLUSHALL']]);
    const input = massInsertion(100_000);
    const report = sameOutput(['--pipe'], input);
    assert.match(report, /^All data transferred\. Waiting for the last reply\.\.\.$/m);
    assert.match(report, /^Last reply received from server\.$/m);
    assert.match(report, /^errors: 0, replies: 100000$/m);
    assert.equal(cli(ours.port, ['DBSIZE']), cli(redis.port, ['DBSIZE']));
    assert.equal(cli(ours.port, ['DBSIZE']), '50400\n');
    const digest = sameOutput(['DEBUG', 'DIGEST']);
    assert.notEqual(digest, `${'0'.repeat(40)}\n`);
  });

  test('--pipe reports the commands that failed, as redis-server does', () => {
    const input = Buffer.concat([
      encode(['SET', 'pipe-str', 'v']),
      encode(['LPUSH', 'pipe-str', 'x']),
      encode(['INCR', 'pipe-str']),
      encode(['NOSUCHCOMMAND', 'a']),
      encode(['GET']),
      encode(['RPUSH', 'pipe-list', 'a', 'b']),
    ]);
    const { stdout, stderr } = sameRun(['--pipe'], input);
    assert.match(stdout, /^errors: 4, replies: 6$/m);
    assert.equal(
      stderr,
      [
        'WRONGTYPE Operation against a key holding the wrong kind of value',
        'ERR value is not an integer or out of range',
        "ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'a' ",
        "ERR wrong number of arguments for 'get' command",
        '',
      ].join('\n'),
    );
  });
});

/** Starts `redis-cli --stat`, reads `rows` data rows after its two header lines, then stops it. */
function statLines(port: number, rows: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    // redis-cli writes --stat rows with printf: line buffering makes them arrive as printed.
    const child = spawn('stdbuf', ['-oL', 'redis-cli', '-h', '127.0.0.1', '-p', String(port), '--stat', '-i', '0.1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`redis-cli --stat printed too little in time:\n${out}`));
    }, 15_000);
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const lines = out.split('\n').slice(0, -1);
      if (lines.length >= rows + 2) {
        clearTimeout(timer);
        child.kill();
        resolve(lines.slice(0, rows + 2));
      }
    });
    child.on('error', reject);
  });
}

/** One command in RESP, as a client library would send it. */
function encode(argv: string[]): Buffer {
  return Buffer.from(`*${argv.length}\r\n${argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`, 'latin1');
}

/**
 * `count` commands as a mass-insertion file: in every ten, five SETs, an INCRBY of one of them,
 * and one write to each aggregate type, so every type arrives through one raw pipe. For 100000
 * commands that leaves 50000 strings and 100 keys of each of the four aggregate types.
 */
function massInsertion(count: number): Buffer {
  const commands: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const bucket = i % 1000;
    const argv: string[][] = [
      ['SET', `key:${i}`, String(i)],
      ['SET', `key:${i}`, String(i)],
      ['SET', `key:${i}`, String(i)],
      ['SET', `key:${i}`, String(i)],
      ['SET', `key:${i}`, `value-${i}`],
      ['INCRBY', `key:${i - 5}`, '7'],
      ['RPUSH', `list:${bucket}`, `item${i}`],
      ['HSET', `hash:${bucket}`, `f${i}`, `v${i}`],
      ['SADD', `set:${bucket}`, String(i)],
      ['ZADD', `zset:${bucket}`, String(i / 3), `m${i}`],
    ];
    commands.push(encode(argv[i % 10]!));
  }
  return Buffer.concat(commands);
}
