// ACL users, rules and enforcement against Debian's redis-server 7.0: the same users are set up on
// both servers (ACL SETUSER, `--user` lines, an ACL file) and every reply must be identical, from
// rule errors and ACL LIST text to NOPERM refusals, the ACL log, and the connections Redis closes
// when a user is deleted or loses channels. Two things differ by nature and are normalised: the
// order of single-command rules in ACL LIST / GETUSER (Redis follows its command hash table, whose
// seed is random per process), and the age and client details of ACL LOG entries.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPair, type Pair } from '../../support/differential.js';
import { RespClient, show, type Reply } from '../../support/resp-client.js';
import { startServer, tempDir } from '../../support/servers.js';

type Arg = string | number;

/** One connection on each server, driven in lockstep. */
class Twin {
  private constructor(
    readonly ours: RespClient,
    readonly redis: RespClient,
  ) {}

  static async open(pair: Pick<Pair, 'servers'>): Promise<Twin> {
    const [ours, redis] = await Promise.all(pair.servers.map((s) => RespClient.open(s.port)));
    return new Twin(ours!, redis!);
  }

  /** Sends argv on both; the (normalised) replies must match. */
  async same(argv: Arg[], normalise: (r: unknown) => unknown = (r) => r): Promise<unknown> {
    const [a, b] = await Promise.all([this.ours.call(...argv), this.redis.call(...argv)]);
    const [na, nb] = [normalise(show(a)), normalise(show(b))];
    assert.deepEqual(na, nb, `reply to ${argv.join(' ')} differs (ours, then redis-server)`);
    return na;
  }

  /** Both connections were closed by their server (or close within a second). */
  async closedByServer(): Promise<void> {
    const closed = (c: RespClient) => Promise.race([c.closed().then(() => true), sleep(1000).then(() => false)]);
    assert.deepEqual(await Promise.all([closed(this.ours), closed(this.redis)]), [true, true], 'both servers close the connection');
  }

  close(): void {
    this.ours.close();
    this.redis.close();
  }
}

/**
 * Sorts each run of single-command rules (+get -set +select|0) in an ACL LIST / GETUSER text:
 * Redis emits them in its command hash table's random order, categories come first in both.
 */
function sortCommandRules(text: string): string {
  const tokens = text.replace(/\(/g, '( ').replace(/\)/g, ' )').split(' ');
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    out.push(...run.sort());
    run = [];
  };
  for (const t of tokens) {
    if (/^[+-][^@]/.test(t)) run.push(t);
    else {
      flush();
      out.push(t);
    }
  }
  flush();
  return out.join(' ');
}

/** Applies sortCommandRules to every string in a reply. */
function normaliseRules(reply: unknown): unknown {
  if (typeof reply === 'string') return sortCommandRules(reply);
  if (Array.isArray(reply)) return reply.map(normaliseRules);
  if (reply && typeof reply === 'object' && 'map' in reply) return { map: (reply as { map: unknown[] }).map.map(normaliseRules) };
  if (reply && typeof reply === 'object' && 'set' in reply) return { set: (reply as { set: unknown[] }).set.map(normaliseRules) };
  return reply;
}

/** ACL LOG entries without their age and client details (per-process facts). */
function normaliseLog(reply: unknown): unknown {
  if (!Array.isArray(reply)) return reply;
  return reply.map((entry) => {
    if (!Array.isArray(entry)) return entry;
    const fields = [...entry];
    const at = (name: string) => fields.indexOf(name) + 1;
    fields[at('age-seconds')] = 'AGE';
    // Keep the client fields both servers compute the same way.
    const info = String(fields[at('client-info')]);
    fields[at('client-info')] = info.match(/ (flags|db|sub|psub|multi|cmd|user|resp)=\S*/g)?.join('') ?? info;
    return fields;
  });
}

const sortedArray = (r: unknown) => (Array.isArray(r) ? [...r].map(String).sort() : r);

let pair: Pair;
let admin: Twin;
before(async () => {
  pair = await startPair();
  admin = await Twin.open(pair);
});
after(async () => {
  admin?.close();
  await pair?.close();
});

/** Runs argv as `user` (password "pw") on a fresh connection of each server. */
async function asUser(user: string, commands: Arg[][], normalise?: (r: unknown) => unknown): Promise<void> {
  const twin = await Twin.open(pair);
  try {
    await twin.same(['AUTH', user, 'pw']);
    for (const argv of commands) await twin.same(argv, normalise);
  } finally {
    twin.close();
  }
}

describe('ACL rules and their canonical text', () => {
  const ruleSets: string[][] = [
    [],
    ['on', '>pw', '~k*', '+get', '+set'],
    ['+@string', '-get', '%R~r*', '%W~w*', '&ch*', '+config|get', '+select|0'],
    ['allcommands', '-@string', '+get'],
    ['+@all', '-@dangerous'],
    ['nocommands', '+@pubsub', '+@connection', '-ping'],
    ['+config', '-config|set', '+acl|whoami', '+debug|object', '+select|1', '+SELECT|2', '-select'],
    ['allkeys', 'allchannels', 'resetkeys', '~a', '%RW~b', '%W~a', '%R~c', '%r~d', '%w~d'],
    ['on', 'nopass', 'skip-sanitize-payload', '>p1', '>p2', '<p1', '#' + 'a'.repeat(64), '!' + 'a'.repeat(64)],
    ['reset', 'on', '>pw', '(+get ~x)', '(~y', '+set', '&c)', 'resetchannels', '&z'],
    ['(+@all ~*)', 'clearselectors', '+@admin'],
    ['+@transaction', '+@bitmap'],
    // ACL LIST picks categories by counting commands, Redis's whole table (streams, geo,
    // scripting... included, served here or not), so these texts depend on every command's categories.
    ['+@all', '-@dangerous', '-@slow', '+info'],
    ['-@all', '+@read', '+@write', '-@list', '+lpush'],
    ['+@read', '-@keyspace', '+@hash', '+@set'],
    ['+@fast', '-@write', '+client', '-client|kill'],
    ['+@all', '-@admin', '-@connection', '+select|0', '-select'],
    ['+@read', '+@geo', '+@stream', '+@hyperloglog', '-@scripting'],
    // Rules naming commands this node does not serve (scripting, streams, geo, cluster...).
    ['on', '>pw', '~*', '-eval', '-flushall', '+@all', '-@dangerous'],
    ['on', '>pw', '~*', '+@all', '-@dangerous', '-eval', '-flushall'],
    ['+xadd', '+xinfo|stream', '+georadius', '+pfadd', '+script|load', '+function', '-function|flush', '+sort_ro'],
    ['+@all', '-evalsha', '-fcall', '-cluster|reset', '-object', '+object|encoding', '+eval|x'],
  ];

  test('ACL SETUSER then GETUSER and LIST describe every user the same way', async () => {
    for (const [i, rules] of ruleSets.entries()) {
      await admin.same(['ACL', 'SETUSER', `rules${i}`, ...rules]);
      await admin.same(['ACL', 'GETUSER', `rules${i}`], normaliseRules);
    }
    await admin.same(['ACL', 'LIST'], normaliseRules);
    await admin.same(['ACL', 'USERS']);
    // Rules accumulate on an existing user, and a described user rebuilds identically.
    await admin.same(['ACL', 'SETUSER', 'rules1', '-set', '+@hash', '~other']);
    await admin.same(['ACL', 'GETUSER', 'rules1'], normaliseRules);
    await admin.same(['ACL', 'DELUSER', ...ruleSets.map((_, i) => `rules${i}`)]);
  });

  test('RESP3 GETUSER is a map with a set of flags', async () => {
    const twin = await Twin.open(pair);
    await twin.same(['HELLO', '3'], (r) =>
      JSON.stringify(r)
        .replace(/"id",\d+/, '')
        .replace(/"version","[^"]+"/, ''),
    );
    await twin.same(['ACL', 'SETUSER', 'r3', 'on', '+get', '(~x +set)']);
    await twin.same(['ACL', 'GETUSER', 'r3'], normaliseRules);
    await twin.same(['ACL', 'GETUSER', 'nobody']);
    await twin.same(['ACL', 'DELUSER', 'r3']);
    twin.close();
  });

  test('rule errors leave the user unchanged', async () => {
    await admin.same(['ACL', 'SETUSER', 'e', 'on', '+get']);
    for (const rules of [
      ['+nocmd'],
      ['~a*', 'allkeys', '~b'],
      ['allchannels', '&x'],
      ['<nopw'],
      ['!' + 'b'.repeat(64)],
      ['#abc'],
      ['#' + 'A'.repeat(64)],
      ['+@nocat'],
      ['-@nocat'],
      ['+config|get|x'],
      ['+get|'],
      ['+config|nosub'],
      ['-config|nosub'],
      ['-select|0'],
      ['+get|x|y'],
      ['foo'],
      ['@all'],
      ['+'],
      ['-'],
      ['(+get ~x'],
      ['on', '~a', '(+get ~x)', '(+set'],
      ['(+get x)'],
      ['%X~a'],
      ['%RR~a'],
      ['%~a'],
      ['("~a b")'],
      ['~a b'],
      ['&a\tb'],
      ['+set', 'bogus', '+del'],
    ]) {
      await admin.same(['ACL', 'SETUSER', 'e', ...rules]);
    }
    await admin.same(['ACL', 'SETUSER', 'bad user']);
    await admin.same(['ACL', 'SETUSER', 'e', '', '%R', '%W~', '()', '( "+get )']);
    await admin.same(['ACL', 'GETUSER', 'e'], normaliseRules);
    await admin.same(['ACL', 'DELUSER', 'e']);
  });

  test('acl-pubsub-default decides the channels of new users and of reset', async () => {
    await admin.same(['CONFIG', 'SET', 'acl-pubsub-default', 'allchannels']);
    await admin.same(['ACL', 'SETUSER', 'p1']);
    await admin.same(['ACL', 'SETUSER', 'p2', 'resetchannels', 'reset', '(+get)']);
    await admin.same(['CONFIG', 'SET', 'acl-pubsub-default', 'resetchannels']);
    await admin.same(['ACL', 'SETUSER', 'p3', '(+get)']);
    await admin.same(['ACL', 'LIST'], normaliseRules);
    await admin.same(['ACL', 'DELUSER', 'p1', 'p2', 'p3']);
  });
});

describe('what rules allow', () => {
  // Every command we serve is checked with ACL DRYRUN.
  const ruleSets = [
    ['+@all', '-@dangerous', '-@slow', '+info'],
    ['-@all', '+@read', '+@write', '-@list', '+lpush'],
    ['+@read', '-@keyspace', '+@hash', '+@set'],
    ['+@fast', '-@write', '+client', '-client|kill'],
    ['+@all', '-@admin', '-@connection', '+select|0', '-select'],
    ['-eval', '-flushall', '+@all', '-@dangerous'],
  ];

  test('ACL DRYRUN gives the same verdict for every served command', async () => {
    const names = (show(await pair.ours.call('COMMAND', 'LIST')) as string[]).filter((n) => n !== 'acl');
    const infos = show(await pair.ours.call('COMMAND', 'INFO', ...names)) as unknown[][];
    const lines: string[][] = [];
    for (const info of infos) {
      const subs = (info[9] as unknown[][]) ?? [];
      const variants = subs.length
        ? subs.map((s) => [String(s[0]).split('|')[0]!, String(s[0]).split('|')[1]!, Number(s[1])] as const)
        : [[String(info[0]), null, Number(info[1])] as const];
      for (const [name, subName, arity] of variants) {
        const base = subName ? [name, subName] : [name];
        const fill = Math.max(Math.abs(arity), base.length) - base.length;
        lines.push([...base, ...Array.from({ length: fill }, (_, i) => (i === 0 ? 'k1' : String(i)))]);
      }
    }
    for (const [i, rules] of ruleSets.entries()) {
      await admin.same(['ACL', 'SETUSER', `sem${i}`, 'on', '~k*', ...rules]);
      for (const line of lines) await admin.same(['ACL', 'DRYRUN', `sem${i}`, ...line]);
      await admin.same(['ACL', 'DELUSER', `sem${i}`]);
    }
  });
});

describe('ACL subcommands', () => {
  test('CAT, GENPASS, WHOAMI, USERS, HELP and their errors', async () => {
    await admin.same(['ACL', 'CAT']);
    // Every command Redis lists, served here or not (Redis's order follows its hash table).
    for (const category of [...(show(await pair.redis.call('ACL', 'CAT')) as string[]), 'READ', 'Geo']) {
      await admin.same(['ACL', 'CAT', category], sortedArray);
    }
    for (const argv of [
      ['ACL', 'CAT', 'nope'],
      ['ACL', 'CAT', 'a', 'b'],
      ['ACL', 'GENPASS', '0'],
      ['ACL', 'GENPASS', '4097'],
      ['ACL', 'GENPASS', '-1'],
      ['ACL', 'GENPASS', 'x'],
      ['ACL', 'GENPASS', '1', '2'],
      ['ACL', 'WHOAMI'],
      ['ACL', 'WHOAMI', 'x'],
      ['ACL', 'USERS'],
      ['ACL', 'HELP'],
      ['ACL', 'HELP', 'x'],
      ['ACL', 'LIST', 'x'],
      ['ACL', 'GETUSER'],
      ['ACL', 'DELUSER'],
      ['ACL', 'SETUSER'],
      ['ACL', 'DELUSER', 'default'],
      ['ACL', 'DELUSER', 'nobody', 'default'],
      ['ACL', 'DELUSER', 'nobody'],
      ['ACL', 'LOAD'],
      ['ACL', 'SAVE'],
      ['ACL', 'LOAD', 'x'],
      ['ACL', 'foo'],
      ['ACL'],
      ['ACL', 'LOG', 'abc'],
      ['ACL', 'LOG', '1', '2'],
      ['ACL', 'DRYRUN', 'default'],
      ['COMMAND', 'INFO', 'acl|setuser', 'acl|cat', 'acl|help', 'acl|whoami'],
      ['COMMAND', 'DOCS', 'acl|dryrun'],
    ]) {
      await admin.same(argv);
    }
    for (const bits of ['1', '5', '8', '9', '256', '4096']) {
      const [a, b] = await Promise.all([pair.ours.call('ACL', 'GENPASS', bits), pair.redis.call('ACL', 'GENPASS', bits)]);
      assert.equal(String(a).length, String(b).length, `ACL GENPASS ${bits} length`);
      assert.match(String(a), /^[0-9a-f]+$/);
    }
  });

  test('DRYRUN reports refusals without running anything', async () => {
    await admin.same([
      'ACL',
      'SETUSER',
      'dry',
      'on',
      '>pw',
      '~k*',
      '%R~r*',
      '&c*',
      '+@read',
      '+publish',
      '+subscribe',
      '+psubscribe',
      '+lpush',
    ]);
    for (const argv of [
      ['get', 'k1'],
      ['get', 'x'],
      ['get', 'r1'],
      ['lpush', 'r1', 'v'],
      ['lpush', 'k1', 'v'],
      ['set', 'k1', 'v'],
      ['mget', 'k1', 'r2', 'x', 'y'],
      ['publish', 'c1', 'm'],
      ['publish', 'zz', 'm'],
      ['subscribe', 'c1', 'zz', 'yy'],
      ['psubscribe', 'c*'],
      ['psubscribe', 'c1'],
      ['config', 'get', 'x'],
      ['config', 'nosub', 'x'],
      ['config'],
      ['nocmd', 'x'],
      ['get'],
      ['ping'],
      ['auth', 'a', 'b'],
    ]) {
      await admin.same(['ACL', 'DRYRUN', 'dry', ...argv]);
    }
    await admin.same(['ACL', 'DRYRUN', 'nobody', 'get', 'x']);
    await admin.same(['ACL', 'DELUSER', 'dry']);
  });
});

describe('enforcement', () => {
  test('commands, keys and channels are refused with NOPERM and logged', async () => {
    await admin.same(['ACL', 'LOG', 'RESET']);
    await admin.same(['ACL', 'SETUSER', 'u1', 'on', '>pw', '~k*', '&c*', '+@read', '+@connection']);
    await asUser('u1', [
      ['GET', 'x'],
      ['GET', 'k1'],
      ['MGET', 'k1', 'k2', 'x', 'y'],
      ['SET', 'k1', 'v'],
      ['PUBLISH', 'c1', 'm'],
      ['SUBSCRIBE', 'x1'],
      ['CONFIG', 'GET', 'port'],
      ['ACL', 'WHOAMI'],
      ['MULTI'],
      ['PING'],
      ['EXISTS', 'x'],
    ]);
    await admin.same(['ACL', 'LOG'], normaliseLog);
    await admin.same(['ACL', 'LOG', '2'], normaliseLog);
    await admin.same(['ACL', 'LOG', '-1'], normaliseLog);
    await admin.same(['ACL', 'LOG', 'RESET']);
    await admin.same(['ACL', 'LOG']);
    await admin.same(['ACL', 'DELUSER', 'u1']);
  });

  test('read and write key permissions follow each command key specs', async () => {
    await admin.same(['FLUSHALL']);
    await admin.same(['ACL', 'SETUSER', 'rw', 'on', '>pw', '+@all', '%R~r*', '%W~w*', '~b*']);
    await asUser('rw', [
      ['SET', 'w1', 'v'],
      ['SET', 'r1', 'v'],
      ['SET', 'w1', 'v', 'GET'],
      ['SET', 'b1', 'v', 'GET'],
      ['GET', 'r1'],
      ['GET', 'w1'],
      ['APPEND', 'w1', 'x'],
      ['INCR', 'w2'],
      ['INCR', 'b2'],
      ['LPUSH', 'wl', 'a', 'b'],
      ['LPOP', 'wl'],
      ['LRANGE', 'rl', '0', '-1'],
      ['EXISTS', 'r1', 'w1', 'x'],
      ['TYPE', 'w1'],
      ['STRLEN', 'w1'],
      ['DEL', 'w1', 'r1'],
      ['COPY', 'r1', 'w9'],
      ['COPY', 'w9', 'r9'],
      ['RENAME', 'b1', 'w5'],
      ['RENAME', 'w5', 'b1'],
      ['SINTERSTORE', 'w6', 'r1', 'r2'],
      ['SINTERSTORE', 'r6', 'r1', 'r2'],
      ['SINTERSTORE', 'w6', 'w1'],
      ['ZUNIONSTORE', 'w7', '2', 'r1', 'r2'],
      ['ZUNIONSTORE', 'w7', '2', 'r1', 'w2'],
      ['ZUNION', '2', 'r1', 'r2'],
      ['LMPOP', '2', 'b1', 'w1', 'LEFT'],
      ['LMPOP', '1', 'b1', 'LEFT'],
      ['BITOP', 'AND', 'w8', 'r1', 'r2'],
      ['BITFIELD', 'r1', 'GET', 'u8', '0'],
      ['BITFIELD', 'r1', 'SET', 'u8', '0', '1'],
      ['BITFIELD', 'b3', 'SET', 'u8', '0', '1'],
      ['LMOVE', 'b4', 'w4', 'LEFT', 'RIGHT'],
      ['LMOVE', 'w4', 'b4', 'LEFT', 'RIGHT'],
      ['OBJECT', 'ENCODING', 'x'],
      ['WATCH', 'anything'],
    ]);
    await admin.same(['KEYS', '*'], sortedArray);
    await admin.same(['ACL', 'DELUSER', 'rw']);
  });

  test('first-arg rules, subcommand rules and selectors', async () => {
    await admin.same([
      'ACL',
      'SETUSER',
      'fa',
      'on',
      '>pw',
      'allkeys',
      '-@all',
      '+select|0',
      '+SELECT|2',
      '+config|get',
      '+client',
      '-client|kill',
      '(+set ~s*)',
      '(+get ~g*)',
    ]);
    await asUser('fa', [
      ['SELECT', '0'],
      ['SELECT', '1'],
      ['SELECT', '2'],
      ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'SET', 'maxmemory', '0'],
      ['CLIENT', 'GETNAME'],
      ['CLIENT', 'KILL', 'ID', '999999'],
      ['SET', 's1', 'v'],
      ['GET', 's1'],
      ['GET', 'g1'],
      ['SET', 'g1', 'v'],
      ['DEL', 'x'],
    ]);
    await admin.same(['ACL', 'SETUSER', 'sel', 'on', '>pw', 'resetkeys', '+get', '~a*', '(+get ~b*)', '(+set %W~c*)']);
    await asUser('sel', [
      ['GET', 'a1'],
      ['GET', 'b1'],
      ['GET', 'c1'],
      ['SET', 'c1', 'v'],
      ['SET', 'a1', 'v'],
      ['MGET', 'a1', 'b1'],
      ['SET', 'c1', 'v', 'GET'],
    ]);
    await admin.same(['ACL', 'LOG', '3'], normaliseLog);
    await admin.same(['ACL', 'DELUSER', 'fa', 'sel']);
  });

  test('a transaction refuses what the rules refuse, and EXEC checks again', async () => {
    await admin.same(['ACL', 'LOG', 'RESET']);
    await admin.same(['ACL', 'SETUSER', 'tx', 'on', '>pw', '~*', '+@all']);
    const twin = await Twin.open(pair);
    await twin.same(['AUTH', 'tx', 'pw']);
    await twin.same(['MULTI']);
    await twin.same(['GET', 'a']);
    await twin.same(['SET', 'a', '1']);
    await twin.same(['PUBLISH', 'ch', 'm']);
    await admin.same(['ACL', 'SETUSER', 'tx', '-get', 'resetkeys', '%R~a', 'resetchannels']);
    await twin.same(['EXEC']);
    await admin.same(['ACL', 'LOG'], normaliseLog);
    await twin.same(['MULTI']);
    await twin.same(['GET', 'a']);
    await twin.same(['INCR', 'a']);
    await twin.same(['EXEC']);
    await admin.same(['ACL', 'LOG', '1'], normaliseLog);
    twin.close();
    await admin.same(['ACL', 'DELUSER', 'tx']);
  });
});

describe('authentication', () => {
  test('AUTH, HELLO AUTH and disabled users', async () => {
    await admin.same(['ACL', 'SETUSER', 'au', 'on', '>pw', '>pw2', '+@all', '~*']);
    await admin.same(['ACL', 'SETUSER', 'off', 'off', '>pw', '+@all']);
    await admin.same(['ACL', 'SETUSER', 'np', 'on', 'nopass', '+acl|whoami']);
    const twin = await Twin.open(pair);
    for (const argv of [
      ['AUTH', 'au', 'wrong'],
      ['AUTH', 'nouser', 'pw'],
      ['AUTH', 'pw'],
      ['AUTH', 'off', 'pw'],
      ['HELLO', '3', 'AUTH', 'au', 'bad'],
      ['AUTH', 'au', 'pw2'],
      ['ACL', 'WHOAMI'],
      ['AUTH', 'np', 'anything'],
      ['ACL', 'WHOAMI'],
      ['GET', 'x'],
      ['HELLO', '2', 'AUTH', 'au', 'pw'],
      ['ACL', 'WHOAMI'],
      ['RESET'],
      ['ACL', 'WHOAMI'],
    ]) {
      await twin.same(argv, (r) => JSON.stringify(r).replace(/"id",\d+/, ''));
    }
    twin.close();
    await admin.same(['ACL', 'LOG', '4'], normaliseLog);
    await admin.same(['ACL', 'DELUSER', 'au', 'off', 'np']);
  });

  test('requirepass and the default user: who must authenticate, checked on every command', async () => {
    const early = await Twin.open(pair);
    // A round trip first: a server accepts a connection when its event loop gets to it, which
    // could otherwise be after the CONFIG SET below.
    await early.same(['PING']);
    await admin.same(['CONFIG', 'SET', 'requirepass', 'secret']);
    const late = await Twin.open(pair);
    await late.same(['PING']);
    await early.same(['PING']); // connected before the password: still authenticated
    await late.same(['AUTH', 'wrong']);
    await late.same(['AUTH', 'default', 'secret']);
    await late.same(['PING']);
    const waiting = await Twin.open(pair);
    await waiting.same(['PING']);
    await admin.same(['AUTH', 'secret']);
    await admin.same(['CONFIG', 'SET', 'requirepass', '']);
    await waiting.same(['PING']); // the default user needs no password any more
    await waiting.same(['HELLO', '2']); // but HELLO asks whether this connection authenticated
    await admin.same(['ACL', 'SETUSER', 'default', 'resetpass']);
    const third = await Twin.open(pair);
    await third.same(['PING']);
    await third.same(['AUTH', 'x']);
    await admin.same(['ACL', 'SETUSER', 'default', 'nopass', 'off']);
    await third.same(['PING']);
    await admin.same(['ACL', 'SETUSER', 'default', 'on']);
    await third.same(['PING']);
    await admin.same(['ACL', 'LIST'], normaliseRules);
    for (const t of [early, late, waiting, third]) t.close();
  });
});

describe('connections of changed users', () => {
  test('ACL DELUSER closes the deleted user connections, its own after the reply', async () => {
    await admin.same(['ACL', 'SETUSER', 'gone', 'on', '>pw', '+@all', '~*']);
    const other = await Twin.open(pair);
    await other.same(['AUTH', 'gone', 'pw']);
    const self = await Twin.open(pair);
    await self.same(['AUTH', 'gone', 'pw']);
    await self.same(['ACL', 'DELUSER', 'gone']);
    await Promise.all([other.closedByServer(), self.closedByServer()]);
    other.close();
    self.close();
  });

  test('subscribers that lose a channel are disconnected', async () => {
    await admin.same(['ACL', 'SETUSER', 'ps', 'on', '>pw', '+@all', '~*', '&news*', '&sport']);
    const sub = await Twin.open(pair);
    await sub.same(['AUTH', 'ps', 'pw']);
    await sub.same(['SUBSCRIBE', 'sport']);
    await sub.same(['PSUBSCRIBE', 'news*']);
    await sub.same(['PSUBSCRIBE', 'news1']);
    await sub.same(['SUBSCRIBE', 'other']);
    await admin.same(['ACL', 'SETUSER', 'ps', '&extra']); // adding keeps everyone
    await sub.same(['PING']);
    await admin.same(['ACL', 'SETUSER', 'ps', 'resetchannels', '&sport', '&news*']);
    await sub.same(['PING']);
    await admin.same(['ACL', 'SETUSER', 'ps', 'resetchannels', '&news*']); // sport revoked
    await sub.closedByServer();
    sub.close();
    await admin.same(['ACL', 'DELUSER', 'ps']);
  });
});

describe('a seeded random stream as a restricted user', () => {
  test('random rules, then random commands on random keys, reply for reply', async () => {
    let seed = Number(process.env.SEED ?? 20240601);
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const keys = ['ra', 'rb', 'wa', 'wb', 'ba', 'xa'];
    const rulePool = [
      '+@read',
      '+@write',
      '-@write',
      '+@string',
      '-@string',
      '+@list',
      '-@list',
      '+@hash',
      '+@set',
      '+@sortedset',
      '+@keyspace',
      '-@keyspace',
      '+@fast',
      '-@slow',
      '+get',
      '-get',
      '+set',
      '-set',
      '+del',
      '+lpush',
      '-lpop',
      '~r*',
      '%R~r*',
      '%W~w*',
      '~b*',
      '%RW~x*',
      'allkeys',
      'resetkeys',
      '&c*',
      'allchannels',
      'resetchannels',
      '+@pubsub',
    ];
    const commandPool: (() => Arg[])[] = [
      () => ['GET', pick(keys)],
      () => ['SET', pick(keys), 'v'],
      () => ['SET', pick(keys), 'v', 'GET'],
      () => ['INCR', pick(keys)],
      () => ['APPEND', pick(keys), 'x'],
      () => ['DEL', pick(keys), pick(keys)],
      () => ['EXISTS', pick(keys)],
      () => ['MGET', pick(keys), pick(keys)],
      () => ['LPUSH', pick(keys), 'a'],
      () => ['LPOP', pick(keys)],
      () => ['LRANGE', pick(keys), 0, -1],
      () => ['HSET', pick(keys), 'f', 'v'],
      () => ['HGET', pick(keys), 'f'],
      () => ['SADD', pick(keys), 'm'],
      () => ['SUNIONSTORE', pick(keys), pick(keys), pick(keys)],
      () => ['ZADD', pick(keys), 1, 'm'],
      () => ['COPY', pick(keys), pick(keys)],
      () => ['RENAME', pick(keys), pick(keys)],
      () => ['TYPE', pick(keys)],
      () => ['EXPIRE', pick(keys), 100],
      () => ['PUBLISH', pick(['c1', 'd1']), 'm'],
      () => ['PING'],
    ];
    const twin = await Twin.open(pair);
    for (let round = 0; round < 25; round++) {
      const rules = ['reset', 'on', '>pw', ...Array.from({ length: 2 + Math.floor(random() * 6) }, () => pick(rulePool))];
      await admin.same(['ACL', 'SETUSER', 'rnd', ...rules]);
      await twin.same(['AUTH', 'rnd', 'pw']);
      for (let step = 0; step < 60; step++) {
        const argv = pick(commandPool)();
        // A failed rename moves the test data around: the replies still compare as they go.
        await twin.same(argv);
      }
    }
    twin.close();
    await admin.same(['ACL', 'DELUSER', 'rnd']);
    await admin.same(['FLUSHALL']);
  });
});

describe('users from the configuration', () => {
  test('`user` lines on the command line, with the default user redefined', async () => {
    const args = [
      '--user',
      'default',
      'on',
      'nopass',
      '~*',
      '&*',
      '+@all',
      '-flushall',
      '--user',
      'app',
      'on',
      '>pw',
      '~app:*',
      '+@read',
      '+@write',
      '--requirepass',
      'ignored-by-user-line',
    ];
    const cfg = await startPair(args);
    try {
      for (const argv of [
        ['ACL', 'LIST'],
        ['FLUSHALL'],
        ['AUTH', 'app', 'pw'],
        ['GET', 'app:1'],
        ['GET', 'other'],
        ['CONFIG', 'GET', 'requirepass'],
      ]) {
        await cfg.same(argv, { unordered: false });
      }
    } finally {
      await cfg.close();
    }
  });

  test('`user` lines naming scripting and stream commands start fine, and their rules apply', async () => {
    const args = [
      '--user',
      'app',
      'on',
      '>pw',
      '~*',
      '+@all',
      '-@dangerous',
      '-eval',
      '-flushall',
      '--user',
      'streams',
      'on',
      '>pw',
      '~*',
      '-@all',
      '+xadd',
      '+xread',
      '+@geo',
      '+script|load',
      '+get',
    ];
    const cfg = await startPair(args);
    try {
      const twin = await Twin.open(cfg);
      await twin.same(['ACL', 'LIST'], normaliseRules);
      await twin.same(['ACL', 'GETUSER', 'app'], normaliseRules);
      await twin.same(['AUTH', 'app', 'pw']);
      await twin.same(['GET', 'k']);
      await twin.same(['FLUSHALL']);
      await twin.same(['CONFIG', 'GET', 'port']); // refused by -@dangerous
      await twin.same(['ACL', 'WHOAMI']);
      // Served now, and allowed by +xadd / +xread.
      await twin.same(['XADD', 's', '1-1', 'f', 'v']);
      await twin.same(['XREAD', 'STREAMS', 's', '0']);
      await twin.same(['XLEN', 's']); // refused: not in the rules
      // Scripting is served too: -eval refuses EVAL, SCRIPT LOAD is allowed.
      await twin.same(['EVAL', 'return 1', '0']);
      await twin.same(['SCRIPT', 'LOAD', 'return 1']);
      twin.close();
    } finally {
      await cfg.close();
    }
  });

  test('bad `user` lines stop startup with Redis fatal config error', async () => {
    for (const args of [
      ['--user', 'alice', 'on', 'bogus'],
      ['--user', 'alice', 'on', '~a', 'allkeys', '~b'],
      ['--user', 'alice', 'on', '--user', 'alice', 'off'],
      ['--user', 'alice', 'on', '(+get'],
      ['--user', 'alice', 'on', '#abc'],
    ]) {
      const outputs = await Promise.all((['ours', 'redis'] as const).map((kind) => failedStart(kind, args)));
      assert.equal(fatalPart(outputs[0]!), fatalPart(outputs[1]!), `startup error for ${args.join(' ')}`);
    }
  });

  test('an unknown command in a `user` line, or users and an aclfile together, stop startup', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'users.acl'), 'user bob on >x ~* +@all\n');
    for (const args of [
      ['--user', 'alice', 'on', '+nocmd'],
      ['--user', 'alice', 'on', '--aclfile', join(dir, 'users.acl')],
      ['--aclfile', join(dir, 'missing.acl')],
    ]) {
      const outputs = await Promise.all((['ours', 'redis'] as const).map((kind) => failedStart(kind, args)));
      assert.deepEqual(logMessages(outputs[0]!), logMessages(outputs[1]!), `startup log for ${args.join(' ')}`);
    }
  });
});

/** A server that must refuse to start: what it printed. */
async function failedStart(kind: 'ours' | 'redis', args: string[]): Promise<string> {
  try {
    const server = await startServer(kind, args, { timeoutMs: 5000 });
    await server.stop();
    throw new Error(`${kind} started with ${args.join(' ')}`);
  } catch (err) {
    return (err as Error).message;
  }
}

/** The FATAL CONFIG FILE ERROR block without the version line. */
function fatalPart(output: string): string {
  const at = output.indexOf('Reading the configuration file');
  return at === -1 ? output : output.slice(at).trim();
}

/** The ACL-related warnings a server logged before exiting. */
function logMessages(output: string): string[] {
  return output
    .split('\n')
    .filter((l) => / # (Error|Critical|Configuring|Aborting)/.test(l))
    .map((l) => l.slice(l.indexOf(' # ') + 3));
}

describe('the ACL file', () => {
  // Its own `same`: ACL rule text is normalised before comparing.
  let filePair: Omit<Pair, 'sameAll'>;
  let files: string[];
  before(async () => {
    // Each server reads `users.acl` in its own dir: write the same file in both before starting.
    const dirs = [tempDir(), tempDir()];
    files = dirs.map((d) => join(d, 'users.acl'));
    for (const f of files) writeFileSync(f, 'user default on nopass ~* &* +@all\nuser bob on >x ~* (+get ~y)\n');
    const servers = await Promise.all([
      startServer('ours', ['--aclfile', 'users.acl'], { dir: dirs[0] }),
      startServer('redis', ['--aclfile', 'users.acl'], { dir: dirs[1] }),
    ]);
    const [ours, redis] = await Promise.all(servers.map((s) => RespClient.open(s.port)));
    filePair = {
      ours: ours!,
      redis: redis!,
      servers,
      same: async (argv, opts) => {
        const [a, b] = await Promise.all([ours!.call(...argv), redis!.call(...argv)]);
        const n = (r: Reply) => normaliseRules(show(r));
        assert.deepEqual(
          opts?.unordered ? sortedArray(n(a)) : n(a),
          opts?.unordered ? sortedArray(n(b)) : n(b),
          `reply to ${argv.join(' ')} differs`,
        );
        return a;
      },
      close: async () => {
        ours!.close();
        redis!.close();
        await Promise.all(servers.map((s) => s.stop()));
      },
    };
  });
  after(async () => {
    await filePair?.close();
  });

  const writeBoth = (text: string) => {
    for (const f of files) writeFileSync(f, text);
  };

  test('LOAD, SAVE, and the connections of reloaded users', async () => {
    await filePair.same(['ACL', 'LIST']);
    const bob = await Twin.open(filePair);
    await bob.same(['AUTH', 'bob', 'x']);
    await filePair.same(['ACL', 'SETUSER', 'carol', 'on', 'nopass', '+@all', '-@dangerous', '~c*']);
    await filePair.same(['ACL', 'SAVE']);
    assert.equal(normaliseFile(readFileSync(files[0]!, 'latin1')), normaliseFile(readFileSync(files[1]!, 'latin1')));
    await filePair.same(['ACL', 'LOAD']);
    await bob.closedByServer(); // every user but default is a new user after LOAD
    bob.close();
    await filePair.same(['ACL', 'SETUSER', 'default', '>pw']);
    await filePair.same(['ACL', 'LOAD']);
    await filePair.same(['ACL', 'LIST']);
  });

  test('a broken file is refused as a whole, with every problem described', async () => {
    writeBoth('user a on +nocmd\nuser a off\nfoo bar\n\nuser b (+get\nuser c on %Q~x\nuser d on #xyz\nuser e on ~x allkeys ~y foo +nope\n');
    const [a, b] = await Promise.all([filePair.ours.call('ACL', 'LOAD'), filePair.redis.call('ACL', 'LOAD')]);
    // The messages name the file as configured, which is the same relative name on both.
    assert.deepEqual(show(a), show(b));
    writeBoth('user  default   on nopass ~* &* +@all\n\n user\tx on\nuser y on ( +get ) \r\nUSER z\n');
    await filePair.same(['ACL', 'LOAD']);
    writeBoth('user default on nopass ~* &* +@all\nuser y on ( +get ) \r\n\nuser z on >a ~* +@all -@dangerous\n');
    await filePair.same(['ACL', 'LOAD']);
    await filePair.same(['ACL', 'LIST']);
    writeBoth('user y on\n');
    await filePair.same(['ACL', 'LOAD']);
    await filePair.same(['ACL', 'LIST']); // no default user in the file: it gets the initial rules
  });
});

/** An ACL file with each line's single-command rules sorted (see sortCommandRules). */
function normaliseFile(text: string): string {
  return text.split('\n').map(sortCommandRules).join('\n');
}
