// The ACL building blocks on their own: rule parsing and its errors, the canonical text of users
// (and that it rebuilds the same user), the permission check with key and channel patterns,
// selector merging, `user` line checks, the ACL log's folding, and protected mode's decision
// (which only a non-loopback client could trigger, so it is tested here rather than over a socket).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Node } from '../../../src-main/engine/node.js';
import { loadConfig } from '../../../src-main/engine/config/load.js';
import { Logger } from '../../../src-main/engine/util/logger.js';
import { AclCommands } from '../../../src-main/engine/acl/command-index.js';
import { ACL_CATEGORIES } from '../../../src-main/engine/core/command-table.js';
import { AclUser } from '../../../src-main/engine/acl/user.js';
import { applyUserRule, mergeSelectorArguments, hashPassword, type RuleContext } from '../../../src-main/engine/acl/rules.js';
import { describeUser } from '../../../src-main/engine/acl/describe.js';
import { checkCommand, Denial } from '../../../src-main/engine/acl/check.js';
import { checkUserDeclaration } from '../../../src-main/engine/acl/acl-file.js';
import { AclLog } from '../../../src-main/engine/acl/acl-log.js';
import { isLoopback, refusedByProtectedMode } from '../../../src-main/engine/core/protected-mode.js';

const table = new Node(loadConfig(['--save', '']).config, new Logger({ level: 'warning', file: '' }), null).server.commands;
const commands = new AclCommands(table);
const warnings: string[] = [];
const ctx: RuleContext & { commands: AclCommands } = { commands, allChannelsByDefault: false, warn: (m) => warnings.push(m) };

function user(...rules: string[]): AclUser {
  const u = new AclUser('u', commands.count, false);
  for (const rule of rules) assert.equal(applyUserRule(u, rule, ctx), null, `rule ${rule}`);
  return u;
}

function verdict(u: AclUser, ...argv: string[]): string {
  const denied = checkCommand(u, commands, table.lookup(argv)!, argv);
  if (denied === null) return 'ok';
  const reason = { [Denial.Command]: 'Command', [Denial.Key]: 'Key', [Denial.Channel]: 'Channel' }[denied.reason];
  return `${reason}@${denied.index}`;
}

test('rule errors carry Redis errno reasons', () => {
  const cases: [string[], string][] = [
    [['+nocmd'], 'ENOENT'],
    [['+@nocat'], 'ENOENT'],
    [['-select|0'], 'ENOENT'],
    [['+config|get|x'], 'ECHILD'],
    [['+get|'], 'EINVAL'],
    [['foo'], 'EINVAL'],
    [['%~a'], 'EINVAL'],
    [['%RR~a'], 'EINVAL'],
    [['~a b'], 'EINVAL'],
    [['allkeys', '~b'], 'EEXIST'],
    [['allchannels', '&b'], 'EISDIR'],
    [['<nopw'], 'ENODEV'],
    [['#abc'], 'EBADMSG'],
    [['(+get x)'], 'EINVAL'],
  ];
  for (const [rules, expected] of cases) {
    const u = new AclUser('u', commands.count, false);
    const errors = rules.map((r) => applyUserRule(u, r, ctx)).filter((e) => e !== null);
    assert.deepEqual(errors, [expected], rules.join(' '));
  }
});

test('ACLs know every Redis 7.0 command, with the categories our served commands report', () => {
  // Each served command and subcommand has the ACL categories Redis gives it (COMMAND INFO's).
  for (const served of table.all()) {
    for (const command of [served, ...(served.subcommandMap?.values() ?? [])]) {
      const id = commands.idOf(command);
      assert.equal(commands.byId[id]!.served, command, command.fullName);
      const known = ACL_CATEGORIES.filter((_, category) => commands.inCategory(id, category));
      assert.deepEqual([...known].sort(), [...command.categories].sort(), `categories of ${command.fullName}`);
    }
  }
  // Commands this node does not serve are known too, so rules may name them.
  for (const name of [
    'eval',
    'xadd',
    'georadius',
    'pfadd',
    'fcall',
    'script|load',
    'function|flush',
    'cluster|info',
    'sort',
    'object|encoding',
  ]) {
    assert.ok(commands.lookup(name), name);
    assert.ok(commands.lookup(name.toUpperCase()), name.toUpperCase());
  }
  assert.equal(commands.lookup('script|load|x'), undefined);
  assert.equal(commands.lookup('eval|x'), undefined);
  // +@all undoes the -eval before it (Redis applies rules in order); the later -xadd stays.
  const u = user('on', '~*', '-eval', '-flushall', '+@all', '-@dangerous', '-xadd', '-script|flush');
  const text = describeUser(u, commands).split(' ');
  assert.deepEqual([text.includes('-eval'), text.includes('-xadd'), text.includes('-script|flush')], [false, true, true]);
  assert.equal(verdict(u, 'get', 'k'), 'ok');
  assert.equal(verdict(u, 'flushall'), 'Command@0');
  // Category rules select unserved commands as Redis does: +@geo then -@geo leaves nothing.
  const geo = user('+@geo');
  assert.match(describeUser(geo, commands), /-@all \+@geo$/);
  assert.match(describeUser(user('+@geo', '-@geo'), commands), /-@all$/);
});

test('users are described in Redis order and canonical form, and the text rebuilds them', () => {
  const u = user('on', '>pw', '%RW~a', '%W~a', '%R~b', '&c*', '+@string', '-get', '+select|0', '+config|get', '(+set ~s*)');
  const text = describeUser(u, commands);
  assert.equal(
    text,
    `on #${hashPassword('pw')} ~a %R~b resetchannels &c* -@all +@string +select|0 -get +config|get (~s* resetchannels -@all +set)`,
  );
  const rebuilt = user(...mergeRules(text.split(' ')));
  assert.equal(describeUser(rebuilt, commands), text);
  assert.equal(describeUser(user('+@all', '-@dangerous'), commands), 'off resetchannels +@all -@dangerous');
  assert.equal(describeUser(user('reset'), commands), 'off sanitize-payload resetchannels -@all');
  assert.match(warnings.join('\n'), /Deprecation warning: .*offender: \+select\|0/);
});

function mergeRules(args: string[]): string[] {
  const merged = mergeSelectorArguments(args);
  assert.ok('rules' in merged);
  return merged.rules;
}

test('selectors spread over arguments are merged, an unclosed one is located', () => {
  assert.deepEqual(mergeSelectorArguments(['on', '(+get', '~x)', '(~y)']), { rules: ['on', '(+get ~x)', '(~y)'] });
  assert.deepEqual(mergeSelectorArguments(['on', '~a', '(+get ~x)', '(+set']), { unmatchedAt: 3 });
});

test('the unrestricted flag is what lets the check return at once', () => {
  assert.equal(user('+@all', '~*', '&*').unrestricted, true);
  assert.equal(user('+@all', '~*', '&*', '-get').unrestricted, false);
  assert.equal(user('+@all', '~*').unrestricted, false);
  const u = user('+@all', '~*', '&*');
  applyUserRule(u, 'resetkeys', ctx);
  assert.equal(u.unrestricted, false);
});

test('commands, keys (read/write) and channels are checked per selector', () => {
  const u = user('+@all', '%R~r*', '%W~w*', '~b*', '&news*');
  assert.equal(verdict(u, 'GET', 'r1'), 'ok');
  assert.equal(verdict(u, 'GET', 'w1'), 'Key@1');
  assert.equal(verdict(u, 'SET', 'w1', 'v'), 'ok');
  assert.equal(verdict(u, 'SET', 'w1', 'v', 'GET'), 'Key@1');
  assert.equal(verdict(u, 'LPUSH', 'w1', 'v'), 'ok');
  assert.equal(verdict(u, 'LPOP', 'w1'), 'Key@1');
  assert.equal(verdict(u, 'LPOP', 'b1'), 'ok');
  assert.equal(verdict(u, 'EXISTS', 'r1', 'w1'), 'ok');
  assert.equal(verdict(u, 'EXISTS', 'zz'), 'Key@1');
  assert.equal(verdict(u, 'COPY', 'r1', 'w1'), 'ok');
  assert.equal(verdict(u, 'COPY', 'w1', 'r1'), 'Key@1');
  assert.equal(verdict(u, 'SUNIONSTORE', 'w1', 'r1', 'r2'), 'ok');
  assert.equal(verdict(u, 'SUNIONSTORE', 'w1', 'r1', 'w2'), 'Key@3');
  assert.equal(verdict(u, 'ZUNIONSTORE', 'w1', '2', 'r1', 'w2'), 'Key@4');
  assert.equal(verdict(u, 'BITFIELD', 'r1', 'GET', 'u8', '0'), 'ok');
  assert.equal(verdict(u, 'BITFIELD', 'r1', 'SET', 'u8', '0', '1'), 'Key@1');
  assert.equal(verdict(u, 'PUBLISH', 'news1', 'm'), 'ok');
  assert.equal(verdict(u, 'PUBLISH', 'other', 'm'), 'Channel@1');
  assert.equal(verdict(u, 'SUBSCRIBE', 'news1', 'other'), 'Channel@2');
  assert.equal(verdict(u, 'PSUBSCRIBE', 'news*'), 'ok');
  assert.equal(verdict(u, 'PSUBSCRIBE', 'news1'), 'Channel@1'); // patterns compare literally

  const narrow = user('-@all', '+get', '+select|0', '~a*', '(+set ~b*)');
  assert.equal(verdict(narrow, 'GET', 'a1'), 'ok');
  assert.equal(verdict(narrow, 'SET', 'b1', 'v'), 'ok');
  assert.equal(verdict(narrow, 'SET', 'a1', 'v'), 'Key@1'); // the selector that knows SET refuses the key
  assert.equal(verdict(narrow, 'DEL', 'a1'), 'Command@0');
  assert.equal(verdict(narrow, 'SELECT', '0'), 'ok');
  assert.equal(verdict(narrow, 'SELECT', '1'), 'Command@0');
  assert.equal(verdict(narrow, 'AUTH', 'x', 'y'), 'ok'); // no_auth commands are never refused
});

test('config `user` lines: syntax checked early, errors named as Redis names them', () => {
  assert.equal(checkUserDeclaration(['alice', 'on', '+nocmd'], []), null); // unknown commands wait for startup
  assert.equal(checkUserDeclaration(['alice', 'on', 'bogus'], []), "Error in user declaration 'alice': Syntax error");
  assert.equal(
    checkUserDeclaration(['alice', 'on', '~a', 'allkeys', '~b'], []),
    "Error in user declaration '~a': Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
  );
  assert.equal(
    checkUserDeclaration(['alice', 'off'], [['alice', 'on']]),
    "Error in user declaration 'alice': Duplicate user found. A user can only be defined once in config files",
  );
  assert.equal(checkUserDeclaration(['alice', '('], []), "Error in user declaration 'user': Unknown command or category name in ACL");
});

test('the ACL log folds repeats within a minute and keeps the newest first', () => {
  const log = new AclLog();
  const entry = { reason: 'key' as const, context: 'toplevel' as const, object: 'k', username: 'u', clientInfo: 'c1' };
  log.add({ ...entry, time: 1000 }, 3);
  log.add({ ...entry, object: 'other', time: 2000 }, 3);
  log.add({ ...entry, time: 3000, clientInfo: 'c2' }, 3);
  assert.deepEqual(
    log.newest(10).map((e) => [e.object, e.count, e.clientInfo]),
    [
      ['k', 2, 'c2'],
      ['other', 1, 'c1'],
    ],
  );
  log.add({ ...entry, time: 100_000 }, 3); // more than a minute later: a new entry
  log.add({ ...entry, object: 'x', time: 100_001 }, 3);
  assert.deepEqual(
    log.newest(10).map((e) => e.object),
    ['x', 'k', 'k'],
  );
  assert.equal(log.newest(-1).length, 0);
});

test('protected mode refuses non-loopback clients only without a default password', () => {
  assert.equal(refusedByProtectedMode(true, true, '10.0.0.5'), true);
  assert.equal(refusedByProtectedMode(true, true, '::ffff:192.168.1.2'), true);
  assert.equal(refusedByProtectedMode(true, true, '2001:db8::1'), true);
  assert.equal(refusedByProtectedMode(true, true, undefined), true);
  assert.equal(refusedByProtectedMode(true, true, '127.0.0.1'), false);
  assert.equal(refusedByProtectedMode(true, true, '127.1.2.3'), true); // as redis-server 7.0.15 does
  assert.equal(refusedByProtectedMode(true, true, '::1'), false);
  assert.equal(refusedByProtectedMode(true, true, '::ffff:127.0.0.1'), false);
  assert.equal(refusedByProtectedMode(true, false, '10.0.0.5'), false); // a password lifts it
  assert.equal(refusedByProtectedMode(false, true, '10.0.0.5'), false);
  assert.equal(isLoopback('128.0.0.1'), false);
});
