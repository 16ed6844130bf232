// Replication driven through the lab, as the UI drives it: browser mode as a real process, the LabApi
// over its WebSocket, real nodes, and Debian's redis-cli to write on a master and read on a replica.
// Everything asserted about roles and links is also checked in the nodes' own answers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import type { LabEvent, LabMethod, LabServerFrame, NodeSummary } from '../../../src-main/api/index.js';
import { startBrowserMode, waitUntil, type BrowserModeLab } from '../../support/browser.js';
import { redisCli } from '../../support/servers.js';

/** The renderer's side of the WebSocket transport: calls only. */
class LabCalls {
  private nextId = 1;
  private readonly waiting = new Map<number, (frame: LabServerFrame & { kind: 'response' }) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as LabServerFrame;
      if (frame.kind !== 'response') return;
      this.waiting.get(frame.id)?.(frame);
      this.waiting.delete(frame.id);
    });
  }

  static connect(uiUrl: string): Promise<LabCalls> {
    const url = new URL(uiUrl);
    const ws = new WebSocket(`ws://127.0.0.1:${url.port}/ws?token=${url.searchParams.get('token')}`);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new LabCalls(ws)));
      ws.once('error', reject);
    });
  }

  async call<T>(method: LabMethod, ...params: unknown[]): Promise<T> {
    const id = this.nextId++;
    const response = await new Promise<LabServerFrame & { kind: 'response' }>((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
    if (!response.ok) throw new Error(response.error);
    return response.result as T;
  }

  close(): void {
    this.ws.close();
  }
}

/** `INFO replication` of a node as redis-cli prints it, as field -> value. */
function replicationInfo(port: number): Map<string, string> {
  const text = redisCli(port, ['INFO', 'replication']);
  return new Map(
    text
      .split(/\r?\n/)
      .filter((line) => line.includes(':'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)] as [string, string]),
  );
}

describe('replication through the lab', () => {
  let lab: BrowserModeLab | undefined;
  let client: LabCalls;
  let n1: NodeSummary;
  let n2: NodeSummary;
  let n3: NodeSummary;

  const node = async (id: string): Promise<NodeSummary> => (await client.call<NodeSummary[]>('listNodes')).find((n) => n.id === id)!;
  // What the lab did to the node; what the nodes did themselves (role, link, sync, config) is checked in observed-events.test.ts.
  const eventsOf = async (id: string): Promise<LabEvent[]> =>
    (await client.call<LabEvent[]>('listEvents', 500)).filter(
      (event) => event.nodeId === id && !['role', 'link', 'sync', 'config'].includes(event.kind),
    );
  const linkUp = (replica: NodeSummary, master: NodeSummary) => async (): Promise<boolean> => {
    const now = await node(replica.id);
    return now.master?.nodeId === master.id && now.master.linkStatus === 'up';
  };

  before(async () => {
    lab = await startBrowserMode();
    client = await LabCalls.connect(lab.url);
    [n1, n2, n3] = (await client.call<NodeSummary[]>('listNodes')) as [NodeSummary, NodeSummary, NodeSummary];
  });

  after(async () => {
    client?.close();
    const code = await lab?.stop();
    assert.equal(code, 0, `the lab should exit cleanly:\n${lab?.stderr()}`);
  });

  test('a new lab starts node-2 and node-3 as replicas of node-1, and data flows', async () => {
    assert.equal(n2.replicaOf, n1.id);
    assert.equal(n3.replicaOf, n1.id);
    for (const replica of [n2, n3]) {
      await waitUntil(`${replica.name} reports its link to node-1 up`, linkUp(replica, n1));
      const info = replicationInfo(replica.port);
      assert.equal(info.get('role'), 'slave');
      assert.equal(info.get('master_host'), '127.0.0.1');
      // The lab's link goes through its relay: master_port is the relay's, which leads to node-1.
      const relay = (await node(replica.id)).master!.relay!;
      assert.equal(relay.masterPort, n1.port);
      assert.equal(relay.masterId, n1.id);
      assert.equal(info.get('master_port'), String(relay.port));
      assert.equal(info.get('master_link_status'), 'up');
      assert.match(
        (await eventsOf(replica.id)).find((e) => e.kind === 'started')!.message,
        new RegExp(`--replicaof 127\\.0\\.0\\.1 ${relay.port}`),
      );
    }
    assert.equal(redisCli(n1.port, ['SET', 'lab:greeting', 'hello from node-1']), 'OK');
    for (const replica of [n2, n3]) {
      await waitUntil(`the write reaches ${replica.name}`, () => redisCli(replica.port, ['GET', 'lab:greeting']) === 'hello from node-1');
    }
    assert.match(redisCli(n2.port, ['SET', 'x', '1']), /^READONLY /, 'a replica refuses writes');
  });

  test('linkNode moves node-3 to replicate from node-2 with a real REPLICAOF, and the data stays', async () => {
    const linked = await client.call<NodeSummary>('linkNode', n3.id, n2.id);
    assert.equal(linked.replicaOf, n2.id);
    await waitUntil('node-3 reports its link to node-2 up', linkUp(n3, n2));
    const relay = (await node(n3.id)).master!.relay!;
    assert.equal(relay.masterPort, n2.port);
    assert.equal(replicationInfo(n3.port).get('master_port'), String(relay.port));
    assert.equal(redisCli(n3.port, ['GET', 'lab:greeting']), 'hello from node-1');

    // The node heard REPLICAOF from a client on 127.0.0.1, exactly as if redis-cli had sent it.
    const log = await client.call<string[]>('nodeLog', n3.id);
    assert.ok(
      log.some(
        (line) => line.includes(`REPLICAOF 127.0.0.1:${relay.port} enabled (user request from 'id=`) && line.includes('addr=127.0.0.1:'),
      ),
      log.slice(-20).join('\n'),
    );
    assert.equal((await eventsOf(n3.id))[0]!.kind, 'linked');
  });

  test("the master's INFO lists the replica, and the lab passes its slave line on parsed", async () => {
    // node-3 moved to node-2: node-1's INFO drops it once its connection is gone (the lab's sample
    // may be up to half a second older than that).
    await waitUntil('node-1 lists node-2 online, and node-2 only', async () => {
      const replicas = (await node(n1.id)).info!.replicas;
      return replicas.length === 1 && replicas[0]!.port === n2.port && replicas[0]!.state === 'online';
    });
    const master = await node(n1.id);
    const line = master.info!.replication.find(([field]) => field === 'slave0')![1];
    const replica = master.info!.replicas[0]!;
    assert.equal(line, `ip=${replica.ip},port=${replica.port},state=${replica.state},offset=${replica.offset},lag=${replica.lag}`);
    assert.equal(master.master, null, 'a master has no master');
    assert.equal(master.info!.connectedSlaves, 1);
  });

  test('a link made in the lab is applied again when the lab starts the node', async () => {
    await client.call('stopNode', n2.id);
    const started = await client.call<NodeSummary>('startNode', n2.id);
    assert.equal(started.replicaOf, n1.id);
    assert.equal(replicationInfo(n2.port).get('role'), 'slave');
    const relay = started.master!.relay!;
    assert.equal(relay.masterPort, n1.port);
    assert.equal(replicationInfo(n2.port).get('master_port'), String(relay.port));
    assert.match((await eventsOf(n2.id))[0]!.message, new RegExp(`--replicaof 127\\.0\\.0\\.1 ${relay.port}`));
    assert.equal(redisCli(n1.port, ['SET', 'lab:after-restart', 'yes']), 'OK');
    await waitUntil('the restarted replica catches up', () => redisCli(n2.port, ['GET', 'lab:after-restart']) === 'yes');
  });

  test('nodes replicating from each other, or from themselves, are reported as cycles', async () => {
    await client.call('linkNode', n1.id, n2.id);
    // Made behind the lab's back, with redis-cli: the lab reads the cycle from the nodes' INFO.
    assert.equal(redisCli(n3.port, ['REPLICAOF', '127.0.0.1', String(n3.port)]), 'OK');
    await waitUntil('the loop and the self-replication are reported', async () => {
      const [a, b, c] = await Promise.all([node(n1.id), node(n2.id), node(n3.id)]);
      return (
        JSON.stringify(a.replicationCycle) === JSON.stringify([n1.id, n2.id]) &&
        JSON.stringify(b.replicationCycle) === JSON.stringify([n2.id, n1.id]) &&
        JSON.stringify(c.replicationCycle) === JSON.stringify([n3.id])
      );
    });
    // Both ends of the loop are read-only replicas now. (Their links may still be up: if node-2 answered
    // node-1's PSYNC before noticing that node-1 dropped it, each serves the other, as in Redis.)
    assert.equal(replicationInfo(n1.port).get('role'), 'slave');
    assert.equal(replicationInfo(n2.port).get('role'), 'slave');
    // A node replicating from itself is never linked.
    assert.equal(replicationInfo(n3.port).get('master_link_status'), 'down');
    await waitUntil('node-3 logs the -NOMASTERLINK refusal of its sync', async () =>
      (await client.call<string[]>('nodeLog', n3.id)).some((line) => line.includes('NOMASTERLINK')),
    );
  });

  test('promoting one node breaks the loop; the other links up to it and keeps the data', async () => {
    const promoted = await client.call<NodeSummary>('linkNode', n1.id, null);
    assert.equal(promoted.replicaOf, null);
    assert.equal(replicationInfo(n1.port).get('role'), 'master');
    assert.equal((await eventsOf(n1.id))[0]!.kind, 'promoted');
    await waitUntil('node-2 links up to node-1 again', linkUp(n2, n1));
    assert.equal((await node(n1.id)).replicationCycle, null);
    assert.equal((await node(n2.id)).replicationCycle, null);
    assert.equal(redisCli(n2.port, ['GET', 'lab:greeting']), 'hello from node-1');

    assert.equal(redisCli(n3.port, ['REPLICAOF', 'NO', 'ONE']), 'OK');
    await waitUntil('node-3 is no longer reported', async () => (await node(n3.id)).replicationCycle === null);
  });

  test('crashNode kills the master; its neighbours keep serving, the replica sees the link down, a restart recovers', async () => {
    const crashed = await client.call<NodeSummary>('crashNode', n1.id);
    assert.equal(crashed.status, 'crashed');
    assert.equal((await eventsOf(n1.id))[0]!.kind, 'crashed');
    assert.equal(redisCli(n3.port, ['PING']), 'PONG');
    // replica-serve-stale-data yes: the replica keeps answering reads with what it has.
    assert.equal(redisCli(n2.port, ['GET', 'lab:greeting']), 'hello from node-1');
    await waitUntil('node-2 reports its link down', async () => (await node(n2.id)).master?.linkStatus === 'down');
    await assert.rejects(client.call('crashNode', n1.id), /not running/);

    await client.call('startNode', n1.id);
    await waitUntil('node-2 links up to the restarted node-1', linkUp(n2, n1));
  });

  test('linkNode checks its parameters and the node it acts on', async () => {
    await assert.rejects(client.call('linkNode', n2.id), /master node id, or null/);
    await assert.rejects(client.call('linkNode', n2.id, 'no-such-node'), /no node with id/);
    await client.call('stopNode', n3.id);
    await assert.rejects(client.call('linkNode', n3.id, n1.id), /not running/);
  });
});
