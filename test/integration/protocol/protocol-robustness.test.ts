// Bad input on the wire: requests that break the protocol are refused as redis-server refuses them
// and the connection is closed; limits hold while bytes keep arriving; pushes get through CLIENT
// REPLY OFF; and a seeded fuzzer (mutated RESP, inline lines, huge lengths, deep arrays, binary
// garbage, frames split at random bytes, connections dropped mid-command, RESP3) never crashes the
// node, never changes its data, keeps its memory bounded, and never stops a new connection from
// getting its PING answered.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { startServer, type RunningServer } from '../../support/servers.js';
import { RespClient } from '../../support/resp-client.js';
import { random } from '../../support/replication.js';

/** Sends `bytes` (in the given pieces) on a fresh connection; collects what comes back until the server closes or `waitMs` passes. */
function exchange(port: number, pieces: Buffer[], waitMs = 400): Promise<{ reply: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let reply = '';
    let closed = false;
    socket.on('data', (d) => (reply += d.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
      finish();
    });
    const timer = setTimeout(finish, waitMs);
    let done = false;
    function finish(): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ reply, closed });
    }
    socket.on('connect', () => {
      for (const piece of pieces) if (!socket.destroyed) socket.write(piece);
    });
  });
}

describe('protocol limits, side by side with redis-server', () => {
  let servers: RunningServer[] = [];
  before(async () => {
    servers = await Promise.all([startServer('ours', ['--requirepass', 'pw']), startServer('redis', ['--requirepass', 'pw'])]);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  const cases: Record<string, string> = {
    'an unauthenticated client sends more than 10 arguments': '*11\r\n',
    'an unauthenticated client sends a bulk over 16 KB': '*1\r\n$16385\r\n',
    'a negative multibulk count is an empty request': '*-1\r\nPING\r\n',
    'a bulk length that is not a number': '*1\r\n$1x\r\n',
    'a bulk without its CRLF': '*1\r\n$4\r\nPINGxx',
    'a count line without a newline, over 64 KB': `*${'1'.repeat(70000)}`,
  };
  for (const [name, request] of Object.entries(cases)) {
    test(`${name}: the same reply and close`, async () => {
      const [ours, redis] = await Promise.all(servers.map((s) => exchange(s.port, [Buffer.from(request, 'latin1')])));
      assert.deepEqual(ours, redis);
    });
  }

  test('an endless inline line is cut off at 64 KB while it keeps arriving', async () => {
    for (const server of servers) {
      const socket = connect(server.port, '127.0.0.1');
      let sent = 0;
      let reply = '';
      socket.on('data', (d) => (reply += d.toString('latin1')));
      const closed = new Promise<void>((resolve) => {
        socket.on('close', () => resolve());
        socket.on('error', () => resolve());
      });
      const chunk = Buffer.alloc(16 * 1024, 'a');
      const pump = (): void => {
        while (!socket.destroyed && sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!socket.write(chunk)) return void socket.once('drain', pump);
        }
      };
      socket.on('connect', pump);
      await closed;
      // The kernel's buffers take some megabytes before the refusal arrives; never the 64 MB sent.
      assert.ok(sent < 32 * 1024 * 1024, `${server.port}: cut off after ${sent} bytes`);
      if (reply) assert.equal(reply, '-ERR Protocol error: too big inline request\r\n');
    }
  });

  test('a client whose query buffer passes client-query-buffer-limit is closed and logged', async () => {
    for (const server of servers) {
      const admin = await RespClient.open(server.port);
      await admin.call('AUTH', 'pw');
      await admin.call('CONFIG', 'SET', 'client-query-buffer-limit', '1mb');
      const auth = Buffer.from('*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n');
      const big = Buffer.concat([Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5000000\r\n'), Buffer.alloc(2 * 1024 * 1024, 'v')]);
      const result = await exchange(server.port, [auth, big], 3000);
      assert.equal(result.closed, true, `port ${server.port}`);
      assert.match(server.output(), /Closing client that reached max query buffer length/);
      assert.equal(await admin.call('EXISTS', 'k'), 0);
      admin.close();
    }
  });
});

describe('pushes and CLIENT REPLY OFF, side by side with redis-server', () => {
  let servers: RunningServer[] = [];
  before(async () => {
    servers = await Promise.all([startServer('ours'), startServer('redis')]);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  for (const protocol of ['2', '3']) {
    test(`RESP${protocol}: subscribe confirmations and messages reach a subscriber that turned replies off`, async () => {
      const seen: string[] = [];
      for (const server of servers) {
        const subscriber = connect(server.port, '127.0.0.1');
        let got = '';
        subscriber.on('data', (d) => (got += d.toString('latin1')));
        subscriber.write(`${protocol === '3' ? 'HELLO 3\r\n' : ''}CLIENT REPLY OFF\r\nSUBSCRIBE ch\r\nPING\r\n`);
        const publisher = await RespClient.open(server.port);
        // Published once the subscription is in place.
        for (let i = 0; i < 50 && String(await publisher.call('PUBSUB', 'NUMSUB', 'ch')) !== 'ch,1'; i++) {
          await new Promise((r) => setTimeout(r, 20));
        }
        await publisher.call('PUBLISH', 'ch', 'hello');
        await new Promise((r) => setTimeout(r, 100));
        publisher.close();
        subscriber.destroy();
        seen.push(protocol === '3' ? got.slice(got.indexOf('>')) : got);
      }
      assert.equal(seen[0], seen[1]);
      assert.match(seen[0]!, /subscribe[\s\S]*message[\s\S]*hello/);
    });
  }
});

/** Random bytes that look like RESP to varying degrees. */
function fuzzInput(rnd: () => number): Buffer {
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: T[]): T => xs[int(xs.length)]!;
  const arg = (): string => pick(['k', 'x'.repeat(int(40)), String(int(1e6) - 5e5), '\r\n', '*', '$', '"', "'", '\\x41', '', 'é']);
  const command = (): string[] => [
    pick(['GET', 'EXISTS', 'LRANGE', 'ZSCORE', 'HGET', 'PING', 'ECHO', 'TYPE', 'STRLEN', 'SMEMBERS', 'NOSUCH', 'get', 'HELLO']),
    ...Array.from({ length: int(5) }, arg),
  ];
  const multibulk = (argv: string[]): string =>
    `*${argv.length}\r\n${argv.map((a) => `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`).join('')}`;
  switch (int(9)) {
    case 0: // a well-formed read-only (or unknown) command
      return Buffer.from(multibulk(command()), 'latin1');
    case 1: // an inline command
      return Buffer.from(`${command().join(' ')}\r\n`, 'latin1');
    case 2: {
      // a well-formed command with one byte flipped
      const bytes = Buffer.from(multibulk(command()), 'latin1');
      bytes[int(bytes.length)] = int(256);
      return bytes;
    }
    case 3: // huge or negative lengths
      return Buffer.from(
        pick([
          `*${int(2 ** 31)}\r\n`,
          `*1\r\n$${int(2 ** 40)}\r\n`,
          `*1\r\n$-${int(9)}\r\n`,
          `*-${int(9)}\r\n`,
          '*1\r\n$99999999999999999999\r\n',
        ]),
        'latin1',
      );
    case 4: // nested arrays (a client must not send them; the server refuses)
      return Buffer.from('*1\r\n'.repeat(1 + int(200)) + '$1\r\nx\r\n', 'latin1');
    case 5: // binary garbage
      return Buffer.from(Array.from({ length: 1 + int(300) }, () => int(256)));
    case 6: // RESP3 and then a command
      return Buffer.from(`*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n${multibulk(command())}`, 'latin1');
    case 7: // a command cut off in the middle (the connection will drop)
      return Buffer.from(multibulk(command()), 'latin1').subarray(0, 1 + int(10));
    default: // pipelined well-formed commands
      return Buffer.from(Array.from({ length: 1 + int(20) }, () => multibulk(command())).join(''), 'latin1');
  }
}

describe('the fuzzer', () => {
  let server: RunningServer;
  let admin: RespClient;
  before(async () => {
    server = await startServer('ours', ['--enable-debug-command', 'yes']);
    admin = await RespClient.open(server.port);
  });
  after(async () => {
    admin.close();
    await server.stop();
  });

  test('500 connections of seeded random input: no crash, the data unchanged, memory bounded, PING always answered', async () => {
    await admin.call('DEBUG', 'POPULATE', '1000');
    await admin.call('RPUSH', 'k', 'a', 'b');
    const digest = String(await admin.call('DEBUG', 'DIGEST'));
    const memoryBefore = Number(/used_memory:(\d+)/.exec(String(await admin.call('INFO', 'memory')))![1]);
    const rnd = random(20261207);
    let slowestPingMs = 0;
    for (let batch = 0; batch < 50; batch++) {
      const connections = Array.from({ length: 10 }, () => {
        const input = Buffer.concat(Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => fuzzInput(rnd)));
        // Split at random bytes, as TCP may deliver it.
        const pieces: Buffer[] = [];
        for (let at = 0; at < input.length;) {
          const size = 1 + Math.floor(rnd() * 64);
          pieces.push(input.subarray(at, at + size));
          at += size;
        }
        return exchange(server.port, pieces, 50 + Math.floor(rnd() * 100));
      });
      await Promise.all(connections);
      const started = performance.now();
      const probe = await RespClient.open(server.port);
      assert.equal(await probe.call('PING'), 'PONG', `batch ${batch}: a new connection is answered`);
      probe.close();
      slowestPingMs = Math.max(slowestPingMs, performance.now() - started);
    }
    assert.equal(String(await admin.call('DEBUG', 'DIGEST')), digest, 'refused and read-only input changed nothing');
    const memoryAfter = Number(/used_memory:(\d+)/.exec(String(await admin.call('INFO', 'memory')))![1]);
    assert.ok(memoryAfter - memoryBefore < 16 * 1024 * 1024, `used_memory grew by ${memoryAfter - memoryBefore} bytes`);
    const clients = String(await admin.call('CLIENT', 'LIST'))
      .trim()
      .split('\n');
    assert.equal(clients.length, 1, `only the admin connection is left:\n${clients.join('\n')}`);
    // Reported, not asserted: the machine's load decides it (the issue's goal is under 100 ms).
    console.log(`# slowest PING of a new connection during the fuzzing: ${slowestPingMs.toFixed(1)} ms`);
  });
});
