// Config parsing as redis-server does it: file + command line, quoting, units, include, repeated
// save lines, and the fatal error report, compared byte for byte with Debian's redis-server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, commandLineOptions } from '../../../src-main/engine/config/load.js';
import { ConfigError } from '../../../src-main/engine/config/errors.js';
import { tempDir } from '../../support/servers.js';

function fatalReport(argv: string[]): string {
  try {
    loadConfig(argv);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.report;
  }
  assert.fail(`expected a config error for ${argv.join(' ')}`);
}

test('a config file with comments, quotes, escapes, units and repeated save lines', () => {
  const dir = tempDir();
  const file = join(dir, 'redis.conf');
  writeFileSync(
    file,
    [
      '# a comment',
      '   port 7001   ',
      '',
      'requirepass "p a\\x41ss\\n"',
      "masterauth 'it\\'s'",
      'maxmemory 1gb',
      'client-query-buffer-limit 2m',
      'save 900 1',
      'save 300 10 60 10000',
      'DATABASES 4',
      'appendonly yes',
      'replicaof 127.0.0.1 6379',
      'loglevel WARNING',
    ].join('\n'),
  );
  const { config, configFile } = loadConfig([file, '--port', '7002', '--bind', '127.0.0.1', '::1']);
  assert.equal(configFile, file);
  assert.equal(config.int('port'), 7002, 'the command line comes after the file and wins');
  assert.deepEqual(config.bindAddresses(), ['127.0.0.1', '::1']);
  assert.equal(config.str('requirepass'), 'p aAss\n');
  assert.equal(config.str('masterauth'), "it's");
  assert.equal(config.int('maxmemory'), 1024 ** 3);
  assert.equal(config.int('client-query-buffer-limit'), 2_000_000);
  assert.deepEqual(config.savePoints(), [
    { seconds: 900, changes: 1 },
    { seconds: 300, changes: 10 },
    { seconds: 60, changes: 10000 },
  ]);
  assert.equal(config.int('databases'), 4);
  assert.equal(config.bool('appendonly'), true);
  assert.deepEqual(config.replicaOf(), { host: '127.0.0.1', port: 6379 });
  assert.equal(config.str('loglevel'), 'warning');
  assert.equal(config.render('slaveof'), '127.0.0.1 6379', 'aliases read the same setting');
});

test('save: defaults unless configured, --save "" clears, later save lines add', () => {
  assert.equal(loadConfig([]).config.render('save'), '3600 1 300 100 60 10000');
  assert.deepEqual(loadConfig(['--save', '']).config.savePoints(), []);
  assert.deepEqual(loadConfig(['--save', '', '--save', '10', '2']).config.savePoints(), [{ seconds: 10, changes: 2 }]);
  // `--save` with no value, followed by another option, means `--save ""` (Redis 7.0.1+).
  assert.deepEqual(loadConfig(['--save', '--port', '7000']).config.savePoints(), []);
});

test('command-line options become quoted config lines, as redis-server builds them', () => {
  assert.equal(commandLineOptions(['--port', '7000', '--save', '', '--bind', 'a', 'b']), 'port "7000" \nsave "" \nbind "a" "b" ');
  assert.equal(commandLineOptions(['--requirepass', 'a"b\\c']), 'requirepass "a\\"b\\\\c" ');
});

test('include reads another file in place, relative to dir', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'conf.d'));
  writeFileSync(join(dir, 'conf.d', 'extra.conf'), 'port 7100\ndbfilename extra.rdb\n');
  writeFileSync(join(dir, 'main.conf'), `dir ${dir}\ninclude conf.d/extra.conf\nport 7101\n`);
  const { config } = loadConfig([join(dir, 'main.conf')]);
  assert.equal(config.int('port'), 7101);
  assert.equal(config.str('dbfilename'), 'extra.rdb');
  assert.equal(config.str('dir'), dir);
});

/** Invalid configurations whose report must equal redis-server's (it exits before listening). */
const invalid: string[][] = [
  ['--port', 'abc'],
  ['--port', '99999'],
  ['--port', '1k'],
  ['--databases', '0'],
  ['--loglevel', 'bogus'],
  ['--maxmemory', '1zb'],
  ['--protected-mode', 'maybe'],
  ['--requirepass'],
  ['--save', '10'],
  ['--save', 'abc', '1'],
  ['--replicaof', '1.2.3.4'],
  ['--nosuchdirective', 'x'],
  ['--dir', '/nonexistent-dir-for-test'],
  ['--port', '7000', '--timeout', '-1'],
  ['--client-output-buffer-limit', 'normal', '0', '0'],
];

for (const argv of invalid) {
  test(`fatal config error matches redis-server: ${argv.join(' ')}`, () => {
    const redis = spawnSync('redis-server', argv, { encoding: 'utf8', timeout: 5000 });
    assert.equal(redis.status, 1, `redis-server should reject ${argv.join(' ')}`);
    assert.equal(fatalReport(argv), redis.stderr);
  });
}

test('a bad line in a config file reports its file line number and text', () => {
  const dir = tempDir();
  const file = join(dir, 'bad.conf');
  writeFileSync(file, 'port 7000\n# comment\nbind "127.0.0.1\n');
  const redis = spawnSync('redis-server', [file], { encoding: 'utf8', timeout: 5000 });
  assert.equal(fatalReport([file]), redis.stderr);
  assert.match(redis.stderr, /at line 3\n>>> 'bind "127.0.0.1'\nUnbalanced quotes in configuration line/);
});

test('a config file that cannot be opened is a fatal error', () => {
  assert.match(
    fatalReport(['/nonexistent/redis.conf']),
    /Fatal error, can't open config file '\/nonexistent\/redis.conf': No such file or directory/,
  );
});
