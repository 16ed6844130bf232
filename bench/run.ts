// `npm run bench`: measures our node against Debian's redis-server in the same run, on the same
// machine, alternating between the two so that neither gets a quieter moment, and prints ratios.
// Figures go to docs/benchmarks.md by hand, with the command line that produced them.
//
//   npm run bench                 # everything
//   npm run bench -- throughput   # one section: throughput | memory
//   npm run bench -- --quick      # fewer requests, for a smoke run
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startServer, type RunningServer } from '../test/support/servers.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const sections = args.filter((a) => !a.startsWith('--'));
const want = (name: string) => sections.length === 0 || sections.includes(name);

type Kind = 'ours' | 'redis';
const KINDS: Kind[] = ['redis', 'ours'];

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}

/** One redis-benchmark run; returns requests per second per test name. */
function redisBenchmark(port: number, tests: string[], pipeline: number, requests: number): Map<string, number> {
  const r = spawnSync(
    'redis-benchmark',
    ['-h', '127.0.0.1', '-p', String(port), '-c', '50', '-n', String(requests), '-P', String(pipeline), '-t', tests.join(','), '--csv'],
    { encoding: 'utf8', timeout: 600_000 },
  );
  if (r.status !== 0) throw new Error(`redis-benchmark failed: ${r.stderr}`);
  const out = new Map<string, number>();
  for (const line of r.stdout.split('\n').slice(1)) {
    const cells = line.split('","').map((c) => c.replace(/"/g, ''));
    if (cells.length > 1) out.set(cells[0]!.split(' ')[0]!, Number(cells[1]));
  }
  return out;
}

async function withBoth<T>(fn: (kind: Kind, server: RunningServer) => Promise<T> | T): Promise<Record<Kind, T>> {
  const result = {} as Record<Kind, T>;
  for (const kind of KINDS) {
    const server = await startServer(kind);
    try {
      result[kind] = await fn(kind, server);
    } finally {
      await server.stop();
    }
  }
  return result;
}

const ratio = (ours: number, theirs: number) => (theirs > 0 ? (ours / theirs).toFixed(2) : 'n/a');

async function throughput() {
  const tests = ['set', 'get', 'incr', 'lpush', 'lpop', 'sadd', 'hset', 'zadd', 'mset'];
  const requests = quick ? 20_000 : 200_000;
  console.log(`\n## Throughput: redis-benchmark -c 50 -n ${requests} -t ${tests.join(',')} (requests/s)\n`);
  console.log('| test | pipeline | redis-server | replica-lab-server | ratio |');
  console.log('|---|---:|---:|---:|---:|');
  for (const pipeline of [1, 16]) {
    // Two rounds, alternating servers; the better of the two rounds counts for each server.
    const best: Record<Kind, Map<string, number>> = { redis: new Map(), ours: new Map() };
    for (let round = 0; round < 2; round++) {
      const r = await withBoth((_kind, s) => redisBenchmark(s.port, tests, pipeline, requests));
      for (const kind of KINDS) for (const [t, v] of r[kind]) best[kind].set(t, Math.max(best[kind].get(t) ?? 0, v));
    }
    for (const t of best.redis.keys()) {
      const a = best.redis.get(t)!;
      const b = best.ours.get(t) ?? 0;
      console.log(`| ${t} | ${pipeline} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${ratio(b, a)} |`);
    }
  }
}

/** 1M keys of 100-byte strings, loaded with redis-cli --pipe, then resident memory. */
async function memory() {
  const keys = quick ? 100_000 : 1_000_000;
  const value = 'x'.repeat(100);
  const lines: string[] = [];
  for (let i = 0; i < keys; i++) {
    const k = `key:${i}`;
    lines.push(`*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$100\r\n${value}\r\n`);
  }
  const payload = lines.join('');
  console.log(`\n## Memory: ${keys} keys of 100-byte strings (loaded with redis-cli --pipe), resident set size\n`);
  const r = await withBoth((_kind, s) => {
    const before = rssBytes(s.proc.pid!);
    const p = spawnSync('redis-cli', ['-p', String(s.port), '--pipe'], { input: payload, encoding: 'utf8', timeout: 600_000 });
    if (p.status !== 0) throw new Error(`redis-cli --pipe failed: ${p.stdout} ${p.stderr}`);
    return { before, after: rssBytes(s.proc.pid!) };
  });
  const mb = (n: number) => (n / 1048576).toFixed(1);
  console.log('| server | RSS empty (MiB) | RSS loaded (MiB) |');
  console.log('|---|---:|---:|');
  for (const kind of KINDS) console.log(`| ${kind === 'ours' ? 'replica-lab-server' : 'redis-server'} | ${mb(r[kind].before)} | ${mb(r[kind].after)} |`);
  console.log(`\nratio (loaded RSS, ours / redis-server): ${ratio(r.ours.after, r.redis.after)}`);
}

console.log(`# ReplicaLab benchmarks (${new Date().toISOString()}, node ${process.version}, ${quick ? 'quick' : 'full'})`);
if (want('throughput')) await throughput();
if (want('memory')) await memory();
