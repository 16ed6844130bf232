// The `replication` section of `npm run bench` (issue 5, Performance): a pair of Debian
// redis-servers against a pair (or trio) of our nodes, in the same run, alternating.
//
//   full sync    1M keys of 100-byte strings on a master, a fresh replica, from REPLICAOF to
//                `master_link_status:up` (INFO polled every 10 ms). Both kinds with their defaults
//                (diskless sync on the master, repl-diskless-load disabled on the replica) and
//                repl-diskless-sync-delay 0, so the RDB starts at once.
//   lag          a master with two replicas under ~20k SETs/s: the time from a write's reply on
//                the master to the moment the replica has applied it. See measureLag for why
//                keyspace notifications are the probe.
//   throughput   redis-benchmark -t set -P 16 -c 50 on a master with two replicas attached, as a
//                ratio to the same master without replicas.
//   big value    one SET of a 100 MB string on a master with one replica: from sending it to the
//                replica holding all of it (STRLEN polled every 5 ms). The value reaches the
//                replica in hundreds of socket reads, the case that once took 50 s.
import { connect, type Socket } from 'node:net';
import { startServer, type RunningServer } from '../test/support/servers.js';
import { RespClient } from '../test/support/resp-client.js';

type Kind = 'ours' | 'redis';
const KINDS: Kind[] = ['redis', 'ours'];
const NAME: Record<Kind, string> = { redis: 'redis-server', ours: 'replica-lab-server' };

/** What the section borrows from run.ts, so that every section loads and benchmarks the same way. */
export interface BenchTools {
  quick: boolean;
  stringKeysPayload(keys: number): string;
  loadWithPipe(port: number, payload: string): void;
  redisBenchmark(port: number, tests: string[], pipeline: number, requests: number): Map<string, number>;
}

const BASE = ['--repl-diskless-sync-delay', '0'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ratio = (ours: number, theirs: number) => (theirs > 0 ? (ours / theirs).toFixed(2) : 'n/a');

function infoField(text: string, field: string): string | undefined {
  return new RegExp(`^${field}:(.*)\r$`, 'm').exec(text)?.[1];
}

async function waitLinkUp(replica: RespClient, timeoutMs: number, pollMs = 10): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const info = String(await replica.call('INFO', 'replication'));
    if (infoField(info, 'master_link_status') === 'up') return;
    if (performance.now() > deadline) throw new Error('replica link not up in time');
    await sleep(pollMs);
  }
}

async function startReplicas(kind: Kind, master: RunningServer, count: number, extra: string[] = []): Promise<RunningServer[]> {
  const replicas: RunningServer[] = [];
  for (let i = 0; i < count; i++) {
    const r = await startServer(kind, [...BASE, '--replicaof', `127.0.0.1 ${master.port}`, ...extra]);
    replicas.push(r);
    const c = await RespClient.open(r.port);
    await waitLinkUp(c, 120_000, 50);
    c.close();
  }
  return replicas;
}

// --- full sync -----------------------------------------------------------------------------------

interface FullSync {
  ms: number;
  /** Offsets (ms from REPLICAOF) of the replica's log lines, to see where the time goes. */
  phases: Array<[string, number]>;
}

/**
 * The replica's log lines that mark the phases of a full sync (same words in both kinds).
 * redis-server loads the RDB after receiving it; ours parses it while receiving, so its last
 * byte received and its dataset loaded are almost the same moment.
 */
const PHASES: Array<[string, RegExp]> = [
  ['RDB transfer starts', /MASTER <-> REPLICA sync: receiving/],
  ['RDB received ("Loading DB in memory")', /MASTER <-> REPLICA sync: Loading DB in memory/],
  ['dataset loaded ("Finished with success")', /MASTER <-> REPLICA sync: Finished with success/],
];

async function fullSyncRun(kind: Kind, payload: string, tools: BenchTools): Promise<FullSync> {
  const master = await startServer(kind, BASE);
  const replica = await startServer(kind, BASE);
  try {
    tools.loadWithPipe(master.port, payload);
    const c = await RespClient.open(replica.port);
    const logStart = replica.output().length;
    const startedWall = Date.now();
    const started = performance.now();
    await c.call('REPLICAOF', '127.0.0.1', String(master.port));
    await waitLinkUp(c, 300_000);
    const ms = performance.now() - started;
    c.close();
    // Log lines carry ms timestamps ("22 Nov 2026 12:00:00.123"): offsets from REPLICAOF.
    const log = replica.output().slice(logStart).split('\n');
    const phases: Array<[string, number]> = [];
    for (const [name, re] of PHASES) {
      const line = log.find((l) => re.test(l));
      const stamp = line && /(\d\d) (\w{3}) (\d{4}) (\d\d:\d\d:\d\d\.\d{3})/.exec(line);
      if (stamp) phases.push([name, Date.parse(`${stamp[2]} ${stamp[1]} ${stamp[3]} ${stamp[4]} UTC`) - startedWall]);
    }
    return { ms, phases };
  } finally {
    await replica.stop();
    await master.stop();
  }
}

async function fullSync(tools: BenchTools): Promise<void> {
  const keys = tools.quick ? 100_000 : 1_000_000;
  const payload = tools.stringKeysPayload(keys);
  console.log(
    `\n## Replication: full sync of ${keys} keys of 100-byte strings to a fresh replica (REPLICAOF until master_link_status:up)\n`,
  );
  const best = {} as Record<Kind, FullSync>;
  for (let round = 0; round < 2; round++) {
    for (const kind of KINDS) {
      const run = await fullSyncRun(kind, payload, tools);
      if (!best[kind] || run.ms < best[kind].ms) best[kind] = run;
    }
  }
  console.log('| measure (ms) | redis-server | replica-lab-server | ratio |');
  console.log('|---|---:|---:|---:|');
  console.log(
    `| REPLICAOF until link up | ${best.redis.ms.toFixed(0)} | ${best.ours.ms.toFixed(0)} | ${ratio(best.ours.ms, best.redis.ms)} |`,
  );
  // Phases from the replica's log (ms resolution, from REPLICAOF): where the time goes.
  for (const [name] of PHASES) {
    const a = best.redis.phases.find((p) => p[0] === name)?.[1];
    const b = best.ours.phases.find((p) => p[0] === name)?.[1];
    console.log(`| replica log: ${name}, at | ${a ?? '?'} | ${b ?? '?'} | |`);
  }
}

// --- propagation lag -----------------------------------------------------------------------------

/**
 * Why keyspace notifications: the replica publishes `__keyspace@0__:<key>` right after it applied
 * the SET from its master's stream (notify.c runs inside the command), so the moment a subscriber
 * gets the message is the moment the value became readable plus one local socket hop — the same
 * hop a GET's reply would take, without the sampling error of polling (a poller sees the value
 * only on its next GET, up to a poll interval late, and 20k GETs/s of polling would load the
 * replicas that are being measured). The writer records when each SET's reply arrives; the lag of
 * a write on a replica is notification time minus reply time, on the bench's one clock. A
 * notification can beat the reply (the master writes both sockets in the same turn): that write
 * was readable on the replica when the client learnt of it, and counts as lag 0.
 *
 * The writer paces itself at `rate` writes/s: every millisecond it sends, as one pipelined write,
 * the SETs that are due by then. Keys are lag:<i>; the first second is warm-up and not counted.
 */
async function measureLag(masterPort: number, replicaPorts: number[], rate: number, seconds: number): Promise<number[]> {
  const prefix = Buffer.from('__keyspace@0__:lag:');
  const total = rate * seconds;
  const warmup = rate; // one second
  const replyAt = new Float64Array(total).fill(-1);
  const seenAt = replicaPorts.map(() => new Float64Array(total).fill(-1));

  // Subscribers: scan each chunk for the channel name and take the key number after it (the
  // pattern itself ends in '*', not a digit, so it never matches).
  const subscribers = await Promise.all(
    replicaPorts.map(
      (port, r) =>
        new Promise<Socket>((resolve, reject) => {
          const s = connect({ host: '127.0.0.1', port }, () => {
            s.write(`CONFIG SET notify-keyspace-events K$\r\nPSUBSCRIBE __keyspace@0__:lag:*\r\n`);
          });
          let carry = Buffer.alloc(0);
          let ready = false;
          s.on('data', (chunk: Buffer) => {
            const now = performance.now();
            const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
            if (!ready && buf.includes('psubscribe')) {
              ready = true;
              resolve(s);
            }
            let at = 0;
            let lastComplete = 0;
            for (;;) {
              const hit = buf.indexOf(prefix, at);
              if (hit === -1) break;
              let p = hit + prefix.length;
              let n = 0;
              let digits = 0;
              while (p < buf.length && buf[p]! >= 48 && buf[p]! <= 57) {
                n = n * 10 + buf[p]! - 48;
                p++;
                digits++;
              }
              if (p >= buf.length) break; // the number may continue in the next chunk
              if (digits > 0 && buf[p] === 13 && n < total && seenAt[r]![n]! < 0) seenAt[r]![n] = now;
              at = p;
              lastComplete = p;
            }
            const keep = Math.max(lastComplete, buf.length - 64);
            carry = Buffer.from(buf.subarray(keep));
          });
          s.once('error', reject);
        }),
    ),
  );

  // The writer: replies are "+OK\r\n", 5 bytes each, in order.
  const writer = await new Promise<Socket>((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: masterPort }, () => resolve(s));
    s.once('error', reject);
  });
  writer.setNoDelay(true);
  let replied = 0;
  let partial = 0;
  const allReplied = new Promise<void>((resolve) => {
    writer.on('data', (chunk: Buffer) => {
      const now = performance.now();
      partial += chunk.length;
      while (partial >= 5) {
        partial -= 5;
        replyAt[replied++] = now;
      }
      if (replied >= total) resolve();
    });
  });
  const value = 'x'.repeat(32);
  let sent = 0;
  const started = performance.now();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
    if (due > sent) {
      let batch = '';
      for (; sent < due; sent++) {
        const key = `lag:${sent}`;
        batch += `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${value.length}\r\n${value}\r\n`;
      }
      writer.write(batch);
    }
    await sleep(1);
  }
  await allReplied;
  // Let the replicas catch up with the last writes.
  const deadline = performance.now() + 10_000;
  while (seenAt.some((seen) => seen[total - 1]! < 0) && performance.now() < deadline) await sleep(20);
  writer.destroy();
  for (const s of subscribers) s.destroy();

  const lags: number[] = [];
  let missing = 0;
  for (const seen of seenAt) {
    for (let i = warmup; i < total; i++) {
      if (seen[i]! < 0) missing++;
      else lags.push(Math.max(0, seen[i]! - replyAt[i]!));
    }
  }
  if (missing > 0) throw new Error(`${missing} writes never seen on a replica`);
  return lags;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface LagFigures {
  p50: number;
  p99: number;
  max: number;
}

async function lagRun(kind: Kind, rate: number, seconds: number): Promise<LagFigures> {
  const master = await startServer(kind, BASE);
  let replicas: RunningServer[] = [];
  try {
    replicas = await startReplicas(kind, master, 2);
    const lags = await measureLag(
      master.port,
      replicas.map((r) => r.port),
      rate,
      seconds,
    );
    lags.sort((a, b) => a - b);
    return { p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags[lags.length - 1]! };
  } finally {
    for (const r of replicas) await r.stop();
    await master.stop();
  }
}

async function lag(tools: BenchTools): Promise<void> {
  const rate = 20_000;
  const seconds = tools.quick ? 3 : 6;
  console.log(`\n## Replication: propagation lag, ${rate} SETs/s for ${seconds} s (first second not counted), two replicas\n`);
  console.log("From a SET's reply on the master to its keyspace notification from each replica (ms).\n");
  const best = {} as Record<Kind, LagFigures>;
  for (let round = 0; round < 2; round++) {
    for (const kind of KINDS) {
      const run = await lagRun(kind, rate, seconds);
      // The better round: the one with the lower p99.
      if (!best[kind] || run.p99 < best[kind].p99) best[kind] = run;
    }
  }
  console.log('| lag (ms) | redis-server | replica-lab-server | ratio |');
  console.log('|---|---:|---:|---:|');
  for (const m of ['p50', 'p99', 'max'] as const) {
    console.log(`| ${m} | ${best.redis[m].toFixed(2)} | ${best.ours[m].toFixed(2)} | ${ratio(best.ours[m], best.redis[m])} |`);
  }
}

// --- master throughput ---------------------------------------------------------------------------

async function throughputRun(kind: Kind, requests: number, tools: BenchTools): Promise<{ alone: number; withReplicas: number }> {
  const master = await startServer(kind, BASE);
  let replicas: RunningServer[] = [];
  try {
    const alone = tools.redisBenchmark(master.port, ['set'], 16, requests).get('SET') ?? 0;
    replicas = await startReplicas(kind, master, 2);
    const withReplicas = tools.redisBenchmark(master.port, ['set'], 16, requests).get('SET') ?? 0;
    return { alone, withReplicas };
  } finally {
    for (const r of replicas) await r.stop();
    await master.stop();
  }
}

async function throughput(tools: BenchTools): Promise<void> {
  const requests = tools.quick ? 200_000 : 2_000_000;
  console.log(`\n## Replication: master throughput, redis-benchmark -t set -P 16 -c 50 -n ${requests} (requests/s)\n`);
  const best = { redis: { alone: 0, withReplicas: 0 }, ours: { alone: 0, withReplicas: 0 } };
  for (let round = 0; round < 2; round++) {
    for (const kind of KINDS) {
      const run = await throughputRun(kind, requests, tools);
      best[kind].alone = Math.max(best[kind].alone, run.alone);
      best[kind].withReplicas = Math.max(best[kind].withReplicas, run.withReplicas);
    }
  }
  console.log('| server | no replicas | two replicas | with / without |');
  console.log('|---|---:|---:|---:|');
  for (const kind of KINDS) {
    const b = best[kind];
    console.log(`| ${NAME[kind]} | ${b.alone.toFixed(0)} | ${b.withReplicas.toFixed(0)} | ${ratio(b.withReplicas, b.alone)} |`);
  }
}

// --- a big value ---------------------------------------------------------------------------------

async function bigValueRun(kind: Kind, value: Buffer): Promise<{ reply: number; replica: number }> {
  const master = await startServer(kind, BASE);
  let replicas: RunningServer[] = [];
  const clients: RespClient[] = [];
  try {
    replicas = await startReplicas(kind, master, 1);
    const [writer, reader] = [await RespClient.open(master.port), await RespClient.open(replicas[0]!.port)];
    clients.push(writer, reader);
    const started = performance.now();
    await writer.call('SET', 'big', value);
    const reply = performance.now() - started;
    while (Number(await reader.call('STRLEN', 'big')) !== value.length) await sleep(5);
    return { reply, replica: performance.now() - started };
  } finally {
    for (const c of clients) c.close();
    for (const r of replicas) await r.stop();
    await master.stop();
  }
}

async function bigValue(tools: BenchTools): Promise<void> {
  const bytes = tools.quick ? 20_000_000 : 100_000_000;
  console.log(`\n## Replication: one SET of a ${bytes / 1e6} MB value, master with one replica (ms)\n`);
  const value = Buffer.alloc(bytes, 'replica-lab ');
  const best = {} as Record<Kind, { reply: number; replica: number }>;
  for (let round = 0; round < 2; round++) {
    for (const kind of KINDS) {
      const run = await bigValueRun(kind, value);
      if (!best[kind] || run.replica < best[kind].replica) best[kind] = run;
    }
  }
  console.log('| measure (ms) | redis-server | replica-lab-server | ratio |');
  console.log('|---|---:|---:|---:|');
  console.log(
    `| SET until its reply | ${best.redis.reply.toFixed(0)} | ${best.ours.reply.toFixed(0)} | ${ratio(best.ours.reply, best.redis.reply)} |`,
  );
  console.log(
    `| SET until the replica holds it | ${best.redis.replica.toFixed(0)} | ${best.ours.replica.toFixed(0)} | ${ratio(best.ours.replica, best.redis.replica)} |`,
  );
}

export async function replicationBench(tools: BenchTools, parts: string[] = []): Promise<void> {
  const want = (p: string) => parts.length === 0 || parts.includes(p);
  if (want('fullsync')) await fullSync(tools);
  if (want('lag')) await lag(tools);
  if (want('throughput')) await throughput(tools);
  if (want('bigvalue')) await bigValue(tools);
}
