// Failed authentications are logged and counted exactly as Redis 7.0 counts them, beside Debian's
// redis-server: every WRONGPASS is an ACL LOG entry with reason "auth" (object AUTH or HELLO as
// typed, the username tried), an error reply (`total_error_replies`, `errorstat_WRONGPASS`) and a
// failed call of AUTH or HELLO in commandstats; commands refused for want of AUTH are NOAUTH
// errors and rejected calls. Redis 7.0 has no INFO field that counts only authentication failures
// (`acl_access_denied_auth` came in 7.2): both servers must show the same set of INFO stats fields.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPair, REDIS_SERVER_VERSION, type Pair } from '../../support/differential.js';
import { RespClient, show } from '../../support/resp-client.js';
import { parseInfo } from '../../support/replication.js';

let pair: Pair;
before(async () => {
  pair = await startPair(['--requirepass', 'admin-secret']);
});
after(async () => {
  await pair?.close();
});

/** Runs the same connection's commands on both servers and returns both replies, shown. */
async function onEach(commands: Array<Array<string | number>>): Promise<[unknown[], unknown[]]> {
  const runs = await Promise.all(
    pair.servers.map(async (server) => {
      const client = await RespClient.open(server.port);
      const replies: unknown[] = [];
      for (const argv of commands) replies.push(show(await client.call(...argv)));
      client.close();
      return replies;
    }),
  );
  return [runs[0]!, runs[1]!];
}

/** What an admin connection reads on one server: the counters that must agree. */
async function counters(port: number): Promise<Record<string, unknown>> {
  const admin = await RespClient.open(port);
  try {
    await admin.call('AUTH', 'admin-secret');
    const stats = parseInfo(String(await admin.call('INFO', 'stats')));
    const errorstats = Object.fromEntries(parseInfo(String(await admin.call('INFO', 'errorstats'))));
    // calls, rejected_calls and failed_calls; the timings differ by nature.
    const commandstats = Object.fromEntries(
      [...parseInfo(String(await admin.call('INFO', 'commandstats')))]
        .filter(([name]) => /^cmdstat_(auth|hello|get)$/.test(name))
        .map(([name, value]) => [name, value.replace(/usec=\d+,usec_per_call=[\d.]+,/, '')]),
    );
    const log = (show(await admin.call('ACL', 'LOG')) as unknown[][]).map((entry) => {
      const fields = Object.fromEntries(entry.reduce<unknown[][]>((acc, v, i) => (i % 2 ? acc : [...acc, [v, entry[i + 1]]]), []));
      return { reason: fields.reason, context: fields.context, object: fields.object, username: fields.username, count: fields.count };
    });
    return {
      total_error_replies: stats.get('total_error_replies'),
      statsFields: [...stats.keys()].sort(),
      errorstats,
      commandstats,
      log,
    };
  } finally {
    admin.close();
  }
}

test('WRONGPASS and NOAUTH replies, the ACL LOG and the INFO counters are those of redis-server', async () => {
  const [ours, redis] = await onEach([
    ['GET', 'k'],
    ['AUTH', 'wrong'],
    ['AUTH', 'default', 'wrong'],
    ['AUTH', 'nobody', 'pw'],
    ['auth', 'wrong'],
    ['HELLO', '3', 'AUTH', 'default', 'bad'],
    ['GET', 'k'],
    ['AUTH', 'admin-secret'],
    ['GET', 'k'],
  ]);
  assert.deepEqual(ours, redis, `replies (ours, then redis-server ${REDIS_SERVER_VERSION})`);
  assert.equal((ours[1] as { error: string }).error, 'WRONGPASS invalid username-password pair or user is disabled.');
  assert.match((ours[0] as { error: string }).error, /^NOAUTH Authentication required\.$/);

  const [oursCounters, redisCounters] = await Promise.all(pair.servers.map((s) => counters(s.port)));
  // Every stats field we show is one Redis 7.0 has (we do not show all of them: defrag, forks...).
  const redisFields = new Set(redisCounters.statsFields as string[]);
  assert.deepEqual(
    (oursCounters.statsFields as string[]).filter((f) => !redisFields.has(f)),
    [],
    'INFO stats fields redis-server 7.0 lacks',
  );
  delete oursCounters.statsFields;
  delete redisCounters.statsFields;
  assert.deepEqual(oursCounters, redisCounters, `counters (ours, then redis-server ${REDIS_SERVER_VERSION})`);
  // What a user reading them would check: five failures, newest first in the log, where Redis
  // groups repeats of the same reason, object (as typed: `auth` is not `AUTH`) and user into one
  // entry with a count.
  assert.equal(oursCounters.total_error_replies, '7');
  assert.deepEqual(oursCounters.errorstats, { errorstat_NOAUTH: 'count=2', errorstat_WRONGPASS: 'count=5' });
  assert.ok(![...redisFields].some((f) => f.startsWith('acl_access_denied')), 'redis-server 7.0 has no acl_access_denied_* field');
  assert.deepEqual(oursCounters.commandstats, {
    cmdstat_auth: 'calls=6,rejected_calls=0,failed_calls=4',
    cmdstat_hello: 'calls=1,rejected_calls=0,failed_calls=1',
    cmdstat_get: 'calls=1,rejected_calls=2,failed_calls=0',
  });
  assert.deepEqual(oursCounters.log, [
    { reason: 'auth', context: 'toplevel', object: 'HELLO', username: 'default', count: 1 },
    { reason: 'auth', context: 'toplevel', object: 'auth', username: 'default', count: 1 },
    { reason: 'auth', context: 'toplevel', object: 'AUTH', username: 'nobody', count: 1 },
    { reason: 'auth', context: 'toplevel', object: 'AUTH', username: 'default', count: 2 },
  ]);
});
