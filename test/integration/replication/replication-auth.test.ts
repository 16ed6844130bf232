// The replication link authenticates as a restricted ACL user, as the Redis docs recommend: the
// master has a `replica-user` allowed only what a replica sends (PING, REPLCONF, PSYNC), and the
// replica names it with masteruser/masterauth. Our nodes and Debian's redis-server 7.0, in every
// direction: the replica syncs as that user, and a wrong masterauth leaves the link down with
// Redis's log line on the replica and an `auth` entry in the master's ACL LOG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodesForFile, startNode, waitFor, waitInSync, type Kind, type Node } from '../../support/replication.js';
import type { Reply } from '../../support/resp-client.js';

const { track } = nodesForFile();

const REPLICA_USER = ['ACL', 'SETUSER', 'replica-user', 'on', '>replica-secret', '+psync', '+replconf', '+ping'];
const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';

/** ACL LOG's entries as objects of their fields (RESP2: flat arrays of name, value). */
function aclLog(reply: Reply): Array<Record<string, string>> {
  assert.ok(Array.isArray(reply), 'ACL LOG is an array');
  return reply.map((entry) => {
    assert.ok(Array.isArray(entry));
    const fields: Record<string, string> = {};
    for (let i = 0; i < entry.length; i += 2) fields[String(entry[i])] = String(entry[i + 1]);
    return fields;
  });
}

async function masterWithReplicaUser(kind: Kind): Promise<Node> {
  const master = track(await startNode(kind));
  await master.ok(...REPLICA_USER);
  await master.ok('SET', 'before-sync', 'v1');
  return master;
}

for (const [masterKind, replicaKind] of [
  ['ours', 'ours'],
  ['redis', 'ours'],
  ['ours', 'redis'],
] as const) {
  test(`${masterKind} master -> ${replicaKind} replica: syncs as replica-user (+psync +replconf +ping), a wrong masterauth is refused and logged`, async () => {
    const master = await masterWithReplicaUser(masterKind);
    const replica = track(
      await startNode(replicaKind, [
        '--replicaof',
        `127.0.0.1 ${master.port}`,
        '--masteruser',
        'replica-user',
        '--masterauth',
        'replica-secret',
      ]),
    );
    await waitFor('replica linked', async () => (await replica.info()).get('master_link_status') === 'up');
    await master.ok('SET', 'after-sync', 'v2');
    await waitInSync(master, [replica]);
    assert.equal(String(await replica.ok('GET', 'before-sync')), 'v1');
    assert.equal(String(await replica.ok('GET', 'after-sync')), 'v2');
    // The master sees the link as replica-user's connection, not the default user's.
    const replicaLink = String(await master.ok('CLIENT', 'LIST', 'TYPE', 'replica'));
    assert.match(replicaLink, /\bflags=S\b.*\buser=replica-user\b/);
    assert.deepEqual(aclLog(await master.ok('ACL', 'LOG')), [], 'no refusal while syncing');

    // A wrong password: the link goes down and stays down, and both sides say why.
    await replica.ok('CONFIG', 'SET', 'masterauth', 'wrong-secret');
    await replica.ok('CLIENT', 'KILL', 'TYPE', 'master');
    await waitFor('the replica logs the refused AUTH', () => replica.server.output().includes(`# Unable to AUTH to MASTER: -${WRONGPASS}`));
    assert.equal((await replica.info()).get('master_link_status'), 'down');
    const [entry] = aclLog(await master.ok('ACL', 'LOG', '1'));
    assert.ok(entry, "the master's ACL LOG has the refusal");
    assert.equal(entry.reason, 'auth');
    assert.equal(entry.context, 'toplevel');
    assert.equal(entry.object, 'AUTH');
    assert.equal(entry.username, 'replica-user');
    assert.match((await master.info('errorstats')).get('errorstat_WRONGPASS') ?? '', /^count=[1-9]\d*$/);
    await master.ok('SET', 'while-refused', 'v3');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await replica.client.call('GET', 'while-refused'), null, 'nothing reaches a replica that cannot authenticate');

    // The right password again: it resumes.
    await replica.ok('CONFIG', 'SET', 'masterauth', 'replica-secret');
    await waitInSync(master, [replica]);
    assert.equal(String(await replica.ok('GET', 'while-refused')), 'v3');
  });
}

test('a replica-user without +psync cannot replicate: the master refuses PSYNC with NOPERM', async () => {
  for (const kind of ['ours', 'redis'] as const) {
    const master = track(await startNode(kind));
    await master.ok('ACL', 'SETUSER', 'replica-user', 'on', '>replica-secret', '+replconf', '+ping');
    const replica = track(
      await startNode('ours', [
        '--replicaof',
        `127.0.0.1 ${master.port}`,
        '--masteruser',
        'replica-user',
        '--masterauth',
        'replica-secret',
      ]),
    );
    await waitFor(`${kind}: the master's ACL LOG refuses psync`, async () =>
      aclLog(await master.ok('ACL', 'LOG')).some((e) => e.reason === 'command' && e.object === 'psync' && e.username === 'replica-user'),
    );
    assert.equal((await replica.info()).get('master_link_status'), 'down', kind);
  }
});
