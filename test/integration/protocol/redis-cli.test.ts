// replica-lab-server as a user runs it, driven by Debian's redis-cli, next to Debian's redis-server:
// the same commands must get the same replies from both.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { OUR_SERVER_BIN, freePort, redisCli, startServer, type RunningServer } from '../../support/servers.js';

let ours: RunningServer;
let redis: RunningServer;

before(async () => {
  [ours, redis] = await Promise.all([startServer('ours'), startServer('redis')]);
});
after(async () => {
  await Promise.all([ours?.stop(), redis?.stop()]);
});

/** Sends raw bytes and returns everything received until the server closes or goes quiet. */
function rawExchange(port: number, bytes: string): Promise<{ reply: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.from(bytes, 'latin1')));
    let reply = '';
    const quiet = setTimeout(() => {
      socket.destroy();
      resolve({ reply, closed: false });
    }, 700);
    socket.on('data', (d) => (reply += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(quiet);
      resolve({ reply, closed: true });
    });
  });
}

const sameReplies: string[][] = [
  ['PING'],
  ['PING', 'hello'],
  ['ECHO', 'a b'],
  ['SET', 'k', 'v'],
  ['GET', 'k'],
  ['SET', 'k', 'v2', 'GET'],
  ['SET', 'k', 'v3', 'NX'],
  ['SET', 'k', 'v3', 'XX', 'GET'],
  ['SET', 'n', '1', 'XX'],
  ['SET', 'k', 'v', 'EX', '0'],
  ['SET', 'k', 'v', 'PX', 'abc'],
  ['SET', 'k', 'v', 'KEEPTTL', 'EX', '10'],
  ['SET', 'k', 'v', 'NX', 'XX'],
  ['SET', 'k', 'v', 'EX'],
  ['GET', 'nosuchkey'],
  ['GET'],
  ['EXISTS', 'k', 'k', 'nosuchkey'],
  ['DEL', 'k', 'nosuchkey'],
  ['DBSIZE'],
  ['SELECT', '16'],
  ['SELECT', 'x'],
  ['FLUSHDB', 'bogus'],
  ['CONFIG', 'GET', 'databases'],
  ['CONFIG', 'GET', 'maxmemory-p*'],
  ['CONFIG', 'GET', 'nosuchparam'],
  ['CONFIG', 'nosub'],
  ['CONFIG'],
  ['COMMAND', 'GETKEYS', 'SET', 'a', 'b'],
  ['COMMAND', 'GETKEYS', 'PING'],
  ['COMMAND', 'GETKEYS', 'ECHO', 'x'],
  ['COMMAND', 'GETKEYS', 'GET'],
  ['COMMAND', 'nosub'],
  ['nosuchcommand', 'a', 'b'],
  ['SHUTDOWN', 'bogus'],
  ['FLUSHALL'],
  ['DBSIZE'],
];

test('redis-cli gets the same replies from our node and from redis-server', () => {
  for (const argv of sameReplies) {
    assert.equal(redisCli(ours.port, argv), redisCli(redis.port, argv), `reply to ${argv.join(' ')}`);
  }
});

test('SET then GET through redis-cli, including a binary-safe value', () => {
  assert.equal(redisCli(ours.port, ['SET', 'greeting', 'hello world']), 'OK');
  assert.equal(redisCli(ours.port, ['GET', 'greeting']), 'hello world');
  assert.equal(redisCli(ours.port, ['SET', 'bin', 'a\x01b\xff']), 'OK');
  assert.equal(redisCli(ours.port, ['--no-raw', 'GET', 'bin']), redisCli(redis.port, ['--no-raw', 'ECHO', 'a\x01b\xff']));
});

test('commands piped into redis-cli, one per line', () => {
  const script = 'SET piped 1\nGET piped\nPING\nSELECT 2\nGET piped\nDBSIZE\n';
  assert.equal(redisCli(ours.port, [], script), redisCli(redis.port, [], script));
  assert.equal(redisCli(ours.port, [], 'SET a "x y"\nGET a\n'), 'OK\nx y');
});

test('inline requests over a raw connection, pipelined with multibulk ones', async () => {
  const bytes = "PING\r\nSET inl \"a b\"\r\n*2\r\n$3\r\nGET\r\n$3\r\ninl\r\n\r\nECHO 'it\\'s'\nQUIT\r\n";
  const [a, b] = await Promise.all([rawExchange(ours.port, bytes), rawExchange(redis.port, bytes)]);
  assert.deepEqual(a, b);
  assert.equal(a.reply, "+PONG\r\n+OK\r\n$3\r\na b\r\n$4\r\nit's\r\n+OK\r\n");
  assert.equal(a.closed, true, 'QUIT closes the connection');
});

const protocolErrors = [
  '*abc\r\n',
  '*1\r\nx3\r\n',
  '*1\r\n$-5\r\n',
  '*1\r\n$536870913\r\n',
  'SET "unbalanced\r\n',
  'PING\r\n*1\r\n$4\r\nPING\r\n*x\r\nPING\r\n',
];
for (const bytes of protocolErrors) {
  test(`protocol error reply and close, as redis-server: ${JSON.stringify(bytes)}`, async () => {
    const [a, b] = await Promise.all([rawExchange(ours.port, bytes), rawExchange(redis.port, bytes)]);
    assert.deepEqual(a, b);
    assert.equal(a.closed, true);
    assert.match(a.reply, /-ERR Protocol error: /);
  });
}

test('INFO has Redis 7.0 sections and fields', () => {
  const info = redisCli(ours.port, ['INFO']);
  for (const section of ['# Server', '# Clients', '# Memory', '# Persistence', '# Stats', '# Replication', '# CPU', '# Keyspace']) {
    assert.ok(info.includes(section), section);
  }
  assert.match(info, /^redis_version:7\.0\.\d+\r?$/m);
  assert.match(info, new RegExp(`^tcp_port:${ours.port}\\r?$`, 'm'));
  assert.match(info, /^role:master\r?$/m);
  assert.match(info, /^connected_slaves:0\r?$/m);
  assert.match(info, /^master_replid:[0-9a-f]{40}\r?$/m);
  assert.match(info, /^master_repl_offset:0\r?$/m);
  const fieldNames = (text: string) =>
    text
      .split('\n')
      .filter((l) => l.includes(':'))
      .map((l) => l.split(':')[0]);
  const replication = redisCli(ours.port, ['INFO', 'replication']);
  assert.deepEqual(fieldNames(replication), fieldNames(redisCli(redis.port, ['INFO', 'replication'])));
  redisCli(ours.port, ['SET', 'x', '1']);
  assert.match(redisCli(ours.port, ['INFO', 'keyspace']), /^db0:keys=\d+,expires=\d+,avg_ttl=\d+\r?$/m);
});

test('redis-cli interactive mode starts without errors (it reads COMMAND DOCS for its hints)', async () => {
  const output = await new Promise<string>((resolve) => {
    // `script` gives redis-cli a terminal; TERM=dumb keeps linenoise from querying the cursor.
    const cli = spawn('script', ['-qec', `redis-cli -p ${ours.port}`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, TERM: 'dumb' },
    });
    let out = '';
    cli.stdout.on('data', (d) => (out += d));
    cli.stderr.on('data', (d) => (out += d));
    cli.stdin.end('SET interactive yes\nGET interactive\nexit\n');
    const timer = setTimeout(() => cli.kill(), 10_000);
    cli.on('exit', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
  assert.match(output, /> OK/);
  assert.match(output, /> "yes"/);
  assert.doesNotMatch(output, /ERR|Error/);
  assert.match(
    redisCli(ours.port, ['INFO', 'commandstats']),
    /^cmdstat_command\|docs:calls=[1-9]\d*,.*rejected_calls=0,failed_calls=0\r?$/m,
  );
});

test("SIGTERM shuts down cleanly with exit code 0 and Redis's log lines", async () => {
  const node = await startServer('ours');
  assert.equal(await node.stop('SIGTERM'), 0);
  assert.match(node.output(), /Received SIGTERM scheduling shutdown\.\.\./);
  assert.match(node.output(), /# User requested shutdown\.\.\./);
  assert.match(node.output(), /# Redis is now ready to exit, bye bye\.\.\./);
});

test('SHUTDOWN ends the process with exit code 0', async () => {
  const node = await startServer('ours');
  const exited = new Promise<number | null>((r) => node.proc.once('exit', (code) => r(code)));
  redisCli(node.port, ['SHUTDOWN', 'NOSAVE']);
  assert.equal(await exited, 0);
  await node.stop();
});

test("a busy port: Redis's message and a non-zero exit code", async () => {
  const port = redis.port;
  const proc = spawn(OUR_SERVER_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', ''], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
  assert.notEqual(code, 0);
  assert.match(
    out,
    new RegExp(`# Warning: Could not create server TCP listening socket 127\\.0\\.0\\.1:${port}: bind: Address already in use`),
  );
  assert.match(out, new RegExp(`# Failed listening on port ${port} \\(TCP\\), aborting\\.`));
});

test("log lines are in Redis's format and end startup with Ready to accept connections", () => {
  const lines = ours.output().trim().split('\n');
  for (const line of lines) assert.match(line, /^\d+:[MSC] \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2}\.\d{3} [.\-*#] /, line);
  assert.match(lines.at(-1)!, /\* Ready to accept connections$/);
});

test("a config error stops startup with redis-server's report and exit code 1", async () => {
  const port = await freePort();
  const run = (bin: string) =>
    new Promise<{ code: number | null; err: string }>((resolve) => {
      const p = spawn(bin, ['--port', String(port), '--loglevel', 'loud'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      p.stderr.on('data', (d) => (err += d));
      p.on('exit', (code) => resolve({ code, err }));
    });
  const [a, b] = await Promise.all([run(OUR_SERVER_BIN), run('redis-server')]);
  assert.deepEqual(a, b);
  assert.equal(a.code, 1);
});
