// The command table and the executor's checks, driven through a socket-less client: Redis's exact
// error texts for unknown commands, unknown subcommands and wrong arity, and sane metadata.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../src-main/engine/config/load.js';
import { Logger } from '../../../src-main/engine/util/logger.js';
import { Node } from '../../../src-main/engine/node.js';
import { Client } from '../../../src-main/engine/core/client.js';
import { executeCommand } from '../../../src-main/engine/core/executor.js';

function newClient(args: string[] = []): Client {
  const { config } = loadConfig(['--save', '', ...args]); // in memory only: FLUSHALL would save into the cwd
  const server = new Node(config, new Logger({ level: 'warning', file: '' }), null).server;
  return new Client(server, null);
}

/** Runs one command and returns the raw RESP reply. */
function run(client: Client, ...argv: string[]): string {
  executeCommand(client, argv, performance.now());
  return client.reply.take()?.toString('latin1') ?? '';
}

test("unknown commands get Redis's text, quoting at most 128 characters of arguments", () => {
  const c = newClient();
  assert.equal(run(c, 'foo', 'a', 'b'), "-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n");
  assert.equal(run(c, 'foo'), "-ERR unknown command 'foo', with args beginning with: \r\n");
  const long = run(c, 'nope', 'x'.repeat(100), 'y'.repeat(100), 'z');
  assert.equal(long, `-ERR unknown command 'nope', with args beginning with: '${'x'.repeat(100)}' '${'y'.repeat(25)}' \r\n`);
  // CR/LF inside arguments must not break the error line.
  assert.equal(run(c, 'bad\r\ncmd'), "-ERR unknown command 'bad  cmd', with args beginning with: \r\n");
});

test('unknown subcommands of a container command point at its HELP', () => {
  const c = newClient();
  assert.equal(run(c, 'config', 'foo'), "-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n");
  assert.equal(run(c, 'COMMAND', 'bar', 'x'), "-ERR unknown subcommand 'bar'. Try COMMAND HELP.\r\n");
});

test('wrong arity names the command, or container|subcommand', () => {
  const c = newClient();
  assert.equal(run(c, 'get'), "-ERR wrong number of arguments for 'get' command\r\n");
  assert.equal(run(c, 'GET', 'a', 'b'), "-ERR wrong number of arguments for 'get' command\r\n");
  assert.equal(run(c, 'set', 'k'), "-ERR wrong number of arguments for 'set' command\r\n");
  assert.equal(run(c, 'config'), "-ERR wrong number of arguments for 'config' command\r\n");
  assert.equal(run(c, 'config', 'get'), "-ERR wrong number of arguments for 'config|get' command\r\n");
  assert.equal(run(c, 'ping', 'a', 'b'), "-ERR wrong number of arguments for 'ping' command\r\n");
});

test('commands are found case-insensitively and run', () => {
  const c = newClient();
  assert.equal(run(c, 'PiNg'), '+PONG\r\n');
  assert.equal(run(c, 'SET', 'k', 'v'), '+OK\r\n');
  assert.equal(run(c, 'get', 'k'), '$1\r\nv\r\n');
  assert.equal(run(c, 'Config', 'GET', 'databases'), '*2\r\n$9\r\ndatabases\r\n$2\r\n16\r\n');
});

test('with requirepass, commands other than AUTH/QUIT-like ones need authentication', () => {
  const c = newClient(['--requirepass', 'secret']);
  assert.equal(run(c, 'get', 'k'), '-NOAUTH Authentication required.\r\n');
  assert.equal(run(c, 'quit'), '+OK\r\n');
});

test('every command has consistent metadata', () => {
  const c = newClient();
  const commands = c.server.commands.all().flatMap((cmd) => [cmd, ...(cmd.subcommandMap?.values() ?? [])]);
  assert.ok(commands.length > 10);
  for (const cmd of commands) {
    assert.equal(cmd.name, cmd.name.toLowerCase(), cmd.fullName);
    assert.notEqual(cmd.arity, 0, cmd.fullName);
    assert.ok(!(cmd.flags.includes('write') && cmd.flags.includes('readonly')), `${cmd.fullName}: write and readonly`);
    if (cmd.firstKey > 0) {
      assert.ok(cmd.keyStep > 0, `${cmd.fullName}: key step`);
      assert.ok(cmd.lastKey < 0 || cmd.lastKey >= cmd.firstKey, `${cmd.fullName}: last key`);
      // WATCH names keys without reading or writing them (Redis flags it neither way either), and
      // the sharded pub/sub commands declare their channels as not_key key specs, for routing only.
      if (cmd.name !== 'watch' && !cmd.keySpecs?.some((s) => s.flags.includes('not_key'))) {
        assert.ok(cmd.flags.includes('write') || cmd.flags.includes('readonly'), `${cmd.fullName}: a key command reads or writes`);
      }
    }
    assert.ok(cmd.categories.includes('fast') !== cmd.categories.includes('slow'), `${cmd.fullName}: fast xor slow`);
    if (cmd.flags.includes('write')) assert.ok(cmd.categories.includes('write'), `${cmd.fullName}: @write`);
    if (cmd.subcommandMap) assert.ok(cmd.subcommandMap.size > 0);
    else assert.equal(typeof cmd.handler, 'function', `${cmd.fullName}: handler`);
  }
});

test('COMMAND COUNT, INFO and GETKEYS describe the table', () => {
  const c = newClient();
  assert.equal(run(c, 'command', 'count'), `:${c.server.commands.size}\r\n`);
  const info = run(c, 'command', 'info', 'get', 'nosuchcommand');
  assert.ok(info.startsWith('*2\r\n*10\r\n$3\r\nget\r\n:2\r\n'), info);
  assert.ok(info.endsWith('*-1\r\n'), info);
  assert.equal(run(c, 'command', 'getkeys', 'set', 'a', 'b'), '*1\r\n$1\r\na\r\n');
  assert.equal(run(c, 'command', 'getkeys', 'del', 'a', 'b'), '*2\r\n$1\r\na\r\n$1\r\nb\r\n');
  assert.equal(run(c, 'command', 'getkeys', 'echo', 'x'), '-ERR The command has no key arguments\r\n');
  assert.equal(run(c, 'command', 'getkeys', 'ping'), "-ERR wrong number of arguments for 'command|getkeys' command\r\n");
});

test('writes are propagated as their effects, reads not at all', () => {
  const c = newClient();
  const seen: string[][] = [];
  // The unit hook is what the write feed (replication, AOF) consumes.
  c.server.propagation.onPropagateUnit = (effects) => {
    for (const e of effects) seen.push([String(e.dbIndex), ...e.argv]);
  };
  run(c, 'get', 'k');
  run(c, 'set', 'k', 'v');
  run(c, 'set', 'k', 'v2', 'GET');
  run(c, 'set', 'k', 'v3', 'NX'); // no change: not propagated
  run(c, 'select', '3');
  run(c, 'set', 't', 'v', 'EX', '100');
  run(c, 'del', 'missing');
  assert.equal(seen.length, 3, JSON.stringify(seen));
  assert.deepEqual(seen[0], ['0', 'set', 'k', 'v']);
  assert.deepEqual(seen[1], ['0', 'set', 'k', 'v2'], 'GET only shapes the reply');
  assert.deepEqual(seen[2]!.slice(0, 5), ['3', 'SET', 't', 'v', 'PXAT'], 'a relative TTL becomes absolute');
  assert.ok(Math.abs(Number(seen[2]![5]) - (Date.now() + 100_000)) < 5000);
});
