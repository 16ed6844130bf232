// The `sentinel` section of `npm run bench`: how long a failover takes, from a master's crash
// (SIGKILL) to a new master accepting writes, with three Sentinels (quorum 2), two replicas and
// down-after-milliseconds 1000: our Sentinels against Debian's redis-sentinel, both watching
// Debian redis-servers so that only the Sentinels differ. Five rounds, alternating; the median
// counts. Most of the time is down-after-milliseconds, the election's random delays and the
// replicas' INFO period, the same for both by design: the ratio shows whether ours adds to it.
import { deploy } from '../test/support/sentinel-failover.js';
import { RespClient } from '../test/support/resp-client.js';

type Kind = 'ours' | 'redis';
const KINDS: Kind[] = ['redis', 'ours'];
const NAME: Record<Kind, string> = { redis: 'redis-sentinel', ours: 'replica-lab-sentinel' };

/** Polls SET on each port (reconnecting: a failover kills client connections) until one says OK. */
async function firstWritable(ports: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const clients = new Map<number, RespClient | null>();
  try {
    while (Date.now() < deadline) {
      for (const port of ports) {
        try {
          let c = clients.get(port) ?? null;
          if (!c) clients.set(port, (c = await RespClient.open(port)));
          if (String(await c.call('SET', 'probe', '1')) === 'OK') return;
        } catch {
          clients.get(port)?.close();
          clients.set(port, null);
        }
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('no new master accepted writes in time');
  } finally {
    for (const c of clients.values()) c?.close();
  }
}

async function failoverMs(kind: Kind): Promise<number> {
  const d = await deploy('redis', [kind, kind, kind]);
  try {
    const started = performance.now();
    d.master.server.proc.kill('SIGKILL');
    await firstWritable(
      d.replicas.map((r) => r.port),
      120_000,
    );
    return performance.now() - started;
  } finally {
    await d.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function sentinelBench(quick: boolean): Promise<void> {
  const rounds = quick ? 1 : 5;
  console.log(
    `\n## Sentinel failover: crash (SIGKILL) of a redis-server master to a replica accepting writes; 3 Sentinels, quorum 2, 2 replicas, down-after-milliseconds 1000; median of ${rounds} (ms)\n`,
  );
  const times: Record<Kind, number[]> = { redis: [], ours: [] };
  for (let round = 0; round < rounds; round++) {
    for (const kind of KINDS) times[kind].push(await failoverMs(kind));
  }
  console.log(`| | ${NAME.redis} | ${NAME.ours} | ratio |`);
  console.log('|---|---:|---:|---:|');
  const [theirs, ours] = [median(times.redis), median(times.ours)];
  console.log(`| failover | ${theirs.toFixed(0)} | ${ours.toFixed(0)} | ${(ours / theirs).toFixed(2)} |`);
  console.log(
    `\nrounds (ms): ${NAME.redis} ${times.redis.map((t) => t.toFixed(0)).join(', ')}; ${NAME.ours} ${times.ours.map((t) => t.toFixed(0)).join(', ')}`,
  );
}
