// The server CLI's network defaults beside Debian's redis-server 7.0: started with no `bind`, ours
// listens on loopback only (the `bind 127.0.0.1 -::1` Redis ships in redis.conf) where redis-server
// takes its built-in `* -::*`; told to bind every interface, both use protected mode, so a client
// from a non-loopback address of this machine gets the same DENIED text and is disconnected while
// loopback clients are served; a password, or protected-mode no, lets it in; CONFIG SET bind moves the
// listeners at once. (Lab nodes bind 127.0.0.1: test/integration/host/exposure-warning.test.ts.)
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { OTHER_ADDRESS, pingFrom } from '../../support/network.js';
import { rmSync } from 'node:fs';
import { PROTECTED_MODE_DENIED } from '../../../src-main/engine/core/protected-mode.js';
import { freePort, OUR_SERVER_BIN, redisCli, tempDir } from '../../support/servers.js';
import { waitUntil } from '../../support/browser.js';

const skip = OTHER_ADDRESS ? false : 'no non-loopback address on this machine';

const started: Array<{ proc: ChildProcess; dir: string }> = [];
after(() => {
  for (const { proc, dir } of started) {
    proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Starts a server with exactly `args` after --port/--dir (no --bind unless given); resolves with its port. */
async function serverWith(kind: 'ours' | 'redis', args: string[]): Promise<number> {
  const port = await freePort();
  const dir = tempDir();
  const proc = spawn(kind === 'ours' ? OUR_SERVER_BIN : 'redis-server', ['--port', String(port), '--dir', dir, '--save', '', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push({ proc, dir });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const check = (d: Buffer): void => {
      out += d;
      if (out.includes('Ready to accept connections')) resolve();
    };
    proc.stdout!.on('data', check);
    proc.stderr!.on('data', check);
    proc.once('exit', (code) => reject(new Error(`${kind} exited with ${code}:\n${out}`)));
  });
  return port;
}

test("with no bind: ours listens on loopback only (redis.conf's bind), redis-server on every interface", { skip }, async () => {
  const ours = await serverWith('ours', []);
  assert.equal(redisCli(ours, ['CONFIG', 'GET', 'bind']), 'bind\n127.0.0.1 -::1');
  assert.equal(await pingFrom(OTHER_ADDRESS!, ours), 'ECONNREFUSED');
  assert.equal(await pingFrom('127.0.0.1', ours), '+PONG\r\n');
  const theirs = await serverWith('redis', []);
  assert.equal(redisCli(theirs, ['CONFIG', 'GET', 'bind']), 'bind\n* -::*');
});

test('bind * -::* and no password: every interface, protected mode, DENIED for a non-loopback client', { skip }, async () => {
  for (const kind of ['ours', 'redis'] as const) {
    const port = await serverWith(kind, ['--bind', '*', '-::*']);
    assert.equal(redisCli(port, ['CONFIG', 'GET', 'bind']), 'bind\n* -::*', kind);
    assert.equal(redisCli(port, ['CONFIG', 'GET', 'protected-mode']), 'protected-mode\nyes', kind);
    assert.equal(await pingFrom(OTHER_ADDRESS!, port), PROTECTED_MODE_DENIED, kind);
    assert.equal(await pingFrom('127.0.0.1', port), '+PONG\r\n', kind);
    assert.match(redisCli(port, ['INFO', 'stats']), /^rejected_connections:1\r?$/m, kind);
  }
});

test('--bind 0.0.0.0 without a password is protected too; with requirepass or protected-mode no it is not', { skip }, async () => {
  for (const kind of ['ours', 'redis'] as const) {
    assert.equal(await pingFrom(OTHER_ADDRESS!, await serverWith(kind, ['--bind', '0.0.0.0'])), PROTECTED_MODE_DENIED, kind);
    const withPassword = await pingFrom(OTHER_ADDRESS!, await serverWith(kind, ['--bind', '0.0.0.0', '--requirepass', 'pw']));
    assert.equal(withPassword, '-NOAUTH Authentication required.\r\n', kind);
    const unprotected = await pingFrom(OTHER_ADDRESS!, await serverWith(kind, ['--bind', '0.0.0.0', '--protected-mode', 'no']));
    assert.equal(unprotected, '+PONG\r\n', kind);
  }
});

test('--bind 127.0.0.1 listens on loopback only; CONFIG SET bind moves the listeners at once', { skip }, async () => {
  for (const kind of ['ours', 'redis'] as const) {
    const port = await serverWith(kind, ['--bind', '127.0.0.1']);
    assert.equal(await pingFrom(OTHER_ADDRESS!, port), 'ECONNREFUSED', kind);
    assert.equal(redisCli(port, ['CONFIG', 'SET', 'bind', `127.0.0.1 ${OTHER_ADDRESS}`]), 'OK', kind);
    await waitUntil(`${kind} listens on ${OTHER_ADDRESS}`, async () => (await pingFrom(OTHER_ADDRESS!, port)) !== 'ECONNREFUSED');
    assert.equal(await pingFrom(OTHER_ADDRESS!, port), PROTECTED_MODE_DENIED, kind);
    assert.equal(redisCli(port, ['CONFIG', 'SET', 'bind', '127.0.0.1']), 'OK', kind);
    await waitUntil(`${kind} stops listening on ${OTHER_ADDRESS}`, async () => (await pingFrom(OTHER_ADDRESS!, port)) === 'ECONNREFUSED');
    await waitUntil(`${kind} listens on 127.0.0.1`, () => redisCli(port, ['PING']) === 'PONG');
  }
});

test('CONFIG SET bind to an address not on this machine is refused with Redis error; connected clients stay', async () => {
  // Documentation ranges (TEST-NET-2, -3): not this machine's addresses.
  const foreign = ['198.51.100.254', '203.0.113.254'].find((a) => a !== OTHER_ADDRESS)!;
  for (const kind of ['ours', 'redis'] as const) {
    const port = await serverWith(kind, ['--bind', '127.0.0.1']);
    const client = connect({ host: '127.0.0.1', port });
    await new Promise((resolve) => client.once('connect', resolve));
    assert.equal(
      redisCli(port, ['CONFIG', 'SET', 'bind', foreign]),
      "ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.\n", // redis-cli adds a line after an error
      kind,
    );
    assert.equal(redisCli(port, ['CONFIG', 'GET', 'bind']), 'bind\n127.0.0.1', `${kind} keeps its bind`);
    assert.equal(redisCli(port, ['CONFIG', 'SET', 'bind', '127.0.0.1 -::1']), 'OK', kind);
    await waitUntil(`${kind} listens again`, () => redisCli(port, ['PING']) === 'PONG');
    const reply = new Promise<string>((resolve) => client.once('data', (d) => resolve(String(d))));
    client.write('PING\r\n');
    assert.equal(await reply, '+PONG\r\n', `${kind}: the client connected before the rebind is still served`);
    client.destroy();
  }
});
