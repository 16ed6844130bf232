// The failover scenario the Sentinel tests share: a master with two replicas (of one kind of
// server), three Sentinels (any mix of ours and redis-sentinel) with quorum 2; the master
// crashes (SIGKILL); the Sentinels must agree on a new master (a former replica) and epoch, the
// new master must accept writes, the other replica must follow it, and the old master, started
// again, must come back as its replica.
import assert from 'node:assert/strict';
import { parseInfo, startNode, startReplica, waitFor, type Kind, type Node } from './replication.js';
import { RespClient, type Reply } from './resp-client.js';
import { monitorLines, startSentinel, waitForDiscovery, waitForMaster, type SentinelProcess } from './sentinel.js';

/**
 * One command on a new connection: a failover ends with CLIENT KILL TYPE normal on the
 * instances it reconfigures (so clients reconnect and learn the new roles), which closes any
 * connection a test kept open.
 */
export async function fresh(port: number, ...argv: string[]): Promise<Reply> {
  // A Sentinel's CLIENT KILL may also hit this connection while the command is under way: try
  // again (a few times) on a connection that closed before its reply.
  for (let attempt = 1; ; attempt++) {
    try {
      const client = await RespClient.open(port);
      try {
        return await client.call(...argv);
      } finally {
        client.close();
      }
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function freshInfo(port: number): Promise<Map<string, string>> {
  return parseInfo(String(await fresh(port, 'INFO', 'replication')));
}

export interface Deployment {
  master: Node;
  replicas: Node[];
  sentinels: SentinelProcess[];
  /** Everything started, for stopping. */
  stop(): Promise<void>;
}

export async function deploy(
  serverKind: Kind,
  sentinelKinds: Kind[],
  opts: { replicaArgs?: string[][]; quorum?: number; sentinelLines?: (index: number) => string[] } = {},
): Promise<Deployment> {
  const started: { stop(): Promise<void> }[] = [];
  const master = await startNode(serverKind);
  started.push(master);
  const replicas: Node[] = [];
  for (const args of opts.replicaArgs ?? [[], []]) {
    const r = await startReplica(serverKind, master, args);
    started.push(r);
    replicas.push(r);
  }
  const sentinels: SentinelProcess[] = [];
  for (const [index, kind] of sentinelKinds.entries()) {
    const s = await startSentinel(kind, [
      ...monitorLines('mymaster', master.port, opts.quorum ?? 2),
      ...(opts.sentinelLines?.(index) ?? []),
    ]);
    started.push(s);
    sentinels.push(s);
  }
  await waitForDiscovery(sentinels, 'mymaster', replicas.length);
  return {
    master,
    replicas,
    sentinels,
    async stop() {
      for (const n of started) {
        if ('server' in n) (n as Node).server.proc.kill('SIGCONT');
      }
      await Promise.all(started.map((n) => n.stop().catch(() => {})));
    },
  };
}

/** Crashes the master and waits for the failover; returns the new master. */
export async function crashAndFailOver(d: Deployment): Promise<Node> {
  await d.master.ok('SET', 'before', 'crash');
  await waitFor('the replicas have the write', async () => {
    for (const r of d.replicas) if (String(await r.client.call('GET', 'before')) !== 'crash') return false;
    return true;
  });
  d.master.server.proc.kill('SIGKILL');
  await waitFor(
    'a replica is promoted',
    async () => {
      const addr = await d.sentinels[0]!.masterAddr('mymaster');
      return addr !== `127.0.0.1:${d.master.port}`;
    },
    60000,
  );
  const addr = (await d.sentinels[0]!.masterAddr('mymaster'))!;
  await waitForMaster(d.sentinels, 'mymaster', addr);
  const promoted = d.replicas.find((r) => `127.0.0.1:${r.port}` === addr);
  assert.ok(promoted, `the new master ${addr} is one of the replicas`);
  // The Sentinels agree on the epoch of the new configuration.
  await waitFor(
    'same config epoch everywhere',
    async () => {
      const epochs = await Promise.all(d.sentinels.map(async (s) => (await s.master('mymaster')).get('config-epoch')));
      return epochs.every((e) => e === epochs[0]) && Number(epochs[0]) >= 1;
    },
    30000,
  );
  // It is a master that accepts writes, and has the data.
  await waitFor(
    'the new master accepts writes',
    async () => String(await fresh(promoted.port, 'SET', 'after', 'failover')) === 'OK',
    30000,
  );
  assert.equal(String(await fresh(promoted.port, 'GET', 'before')), 'crash');
  // The other replica follows it.
  for (const r of d.replicas.filter((x) => x !== promoted)) {
    await waitFor(
      'the other replica follows the new master',
      async () => {
        const info = await freshInfo(r.port);
        return info.get('master_port') === String(promoted.port) && info.get('master_link_status') === 'up';
      },
      60000,
    );
    await waitFor('the write reaches the other replica', async () => String(await fresh(r.port, 'GET', 'after')) === 'failover');
  }
  return promoted;
}

/** Starts the old master again on its port: it must become a replica of the new master. */
export async function oldMasterReturns(d: Deployment, kind: Kind, promoted: Node): Promise<Node> {
  const old = await startNode(kind, [], { port: d.master.port });
  try {
    await waitFor(
      'the old master is converted to a replica of the new one',
      async () => {
        // Whatever master the Sentinels hold now: with down-after-milliseconds as short as the
        // PING period, redis-sentinel itself sometimes fails the just-promoted master over again
        // (a switched master judged down before it was reconnected to), and that is Redis's
        // behaviour, not a test failure.
        const now = (await d.sentinels[0]!.masterAddr('mymaster')) ?? `127.0.0.1:${promoted.port}`;
        const info = await freshInfo(old.port);
        return info.get('role') === 'slave' && `127.0.0.1:${info.get('master_port')}` === now && info.get('master_link_status') === 'up';
      },
      90000,
    );
  } catch (err) {
    // What the Sentinels did about it, and what the old master says, for whoever reads the failure.
    const logs = d.sentinels.map((s) => `${s.kind} sentinel ${s.port}:\n` + s.output().split('\n').slice(-40).join('\n'));
    const info = await fresh(old.port, 'INFO', 'replication').catch((e: Error) => e.message);
    throw new Error(`${(err as Error).message}\nold master ${old.port}: ${String(info)}\n${logs.join('\n')}`);
  }
  await waitFor('the old master has the new data', async () => String(await fresh(old.port, 'GET', 'after')) === 'failover');
  return old;
}
