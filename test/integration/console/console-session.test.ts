// A console session's connection against Debian's redis-server, as redis-cli behaves: a port
// nobody listens on prints redis-cli's own "Could not connect" line and the prompt becomes
// `not connected>`; the next line connects once the server is there; a cancelled BLPOP leaves the
// session authenticated and in the database it SELECTed (the fresh connection repeats AUTH and
// SELECT, as redis-cli's cliConnect does); a server that goes away mid-command prints redis-cli's
// "Server closed the connection".
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ConsoleSession } from '../../../src-main/host/console/console-session.js';
import { freePort, redisCli, startServer, type RunningServer } from '../../support/servers.js';

describe('console session', () => {
  let server: RunningServer | undefined;
  after(async () => {
    await server?.stop();
  });

  test('connects, cancels, re-authenticates and reports a lost server as redis-cli does', async () => {
    const port = await freePort();
    const streamed: string[][] = [];
    const session = new ConsoleSession(
      () => port,
      (lines) => streamed.push(lines),
    );

    const refused = await session.run('PING');
    const cli = spawnSync('redis-cli', ['-p', String(port), 'PING'], { encoding: 'utf8' });
    assert.deepEqual(refused.lines, [cli.stderr.trim()]);
    assert.equal(refused.prompt, 'not connected>');

    server = await startServer('redis', [], { port });
    assert.deepEqual((await session.run('PING')).lines, ['PONG']);
    assert.equal(redisCli(port, ['CONFIG', 'SET', 'requirepass', 'pw']), 'OK');
    assert.deepEqual((await session.run('AUTH pw')).lines, ['OK']);
    const selected = await session.run('SELECT 2');
    assert.equal(selected.prompt, `127.0.0.1:${port}[2]>`);

    const waiting = session.run('BLPOP nothing 0');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(session.cancel(), true);
    assert.deepEqual((await waiting).lines, [], 'a cancel prints nothing more');
    // The fresh connection is authenticated and in database 2.
    assert.deepEqual((await session.run('SET here 1')).lines, ['OK']);
    assert.equal(redisCli(port, ['-a', 'pw', '--no-auth-warning', '-n', '2', 'GET', 'here']), '1');

    const lost = session.run('BLPOP nothing 0');
    await new Promise((resolve) => setTimeout(resolve, 200));
    redisCli(port, ['-a', 'pw', '--no-auth-warning', 'CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']);
    assert.deepEqual((await lost).lines, ['Error: Server closed the connection']);
    assert.deepEqual((await session.run('PING')).lines, ['PONG'], 'the next line connects again');
    session.close();
    assert.deepEqual(streamed, []);
  });
});
