// `npm run bench`: measures our node against Debian's redis-server in the same run, on the same
// machine, alternating between the two so that neither gets a quieter moment, and prints ratios.
// Figures go to docs/benchmarks.md by hand, with the command line that produced them.
//
//   npm run bench                 # everything
//   npm run bench -- throughput   # one section: throughput | scripting | types | memory | persistence | replication | sentinel | export | ui
//   npm run bench -- replication:lag   # one part of replication: fullsync | lag | throughput | bigvalue
//   npm run bench -- --quick      # fewer requests, for a smoke run
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { startServer, tempDir, type RunningServer } from '../test/support/servers.js';
import { RespClient } from '../test/support/resp-client.js';
import { exportBench } from './export.js';
import { replicationBench } from './replication.js';
import { sentinelBench } from './sentinel.js';
import { uiBench } from './ui.js';

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
  // -P 16 runs ten times faster: more requests, so that a test lasts about as long as at -P 1.
  const requestsFor = (pipeline: number) => (quick ? 20_000 : pipeline === 1 ? 200_000 : 1_000_000);
  // Both servers get the same warm-up pass (discarded) before the measured one: a node is a
  // long-running process, and without it our first test would time V8 compiling the command path.
  const warmup = quick ? 5_000 : 50_000;
  console.log(
    `\n## Throughput: redis-benchmark -c 50 -t ${tests.join(',')}, -n ${requestsFor(1)} at -P 1 and ${requestsFor(16)} at -P 16, after a warm-up pass of -n ${warmup} (requests/s)\n`,
  );
  console.log('| test | pipeline | redis-server | replica-lab-server | ratio |');
  console.log('|---|---:|---:|---:|---:|');
  for (const pipeline of [1, 16]) {
    // Three rounds, alternating servers; the best round counts for each server and test (on a
    // shared 2-core machine a single -P 1 figure moves by ±15% from one run to the next).
    const best: Record<Kind, Map<string, number>> = { redis: new Map(), ours: new Map() };
    for (let round = 0; round < 3; round++) {
      const r = await withBoth((_kind, s) => {
        redisBenchmark(s.port, tests, pipeline, warmup);
        return redisBenchmark(s.port, tests, pipeline, requestsFor(pipeline));
      });
      for (const kind of KINDS) for (const [t, v] of r[kind]) best[kind].set(t, Math.max(best[kind].get(t) ?? 0, v));
    }
    for (const t of best.redis.keys()) {
      const a = best.redis.get(t)!;
      const b = best.ours.get(t) ?? 0;
      console.log(`| ${t} | ${pipeline} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${ratio(b, a)} |`);
    }
  }
}

/**
 * redis-benchmark running one command line (its `__rand_int__` replaced by random numbers below
 * `random`); returns requests per second.
 */
function customBenchmark(port: number, argv: string[], pipeline: number, requests: number, random = 100_000): number {
  const out = spawnSync(
    'redis-benchmark',
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-c',
      '50',
      '-n',
      String(requests),
      '-P',
      String(pipeline),
      '-r',
      String(random),
      '--csv',
      ...argv,
    ],
    { encoding: 'utf8', timeout: 600_000 },
  );
  if (out.status !== 0) throw new Error(`redis-benchmark failed: ${out.stderr}`);
  return Number(out.stdout.split('\n')[1]!.split('","')[1]!.replace(/"/g, ''));
}

/**
 * Commands of the other data types, as redis-benchmark's -t does not cover them: XADD to one
 * stream, XREADGROUP reading those entries one by one through a consumer group, PFADD of random
 * elements to one HyperLogLog, GEOADD of random members. At -P 1, median of three rounds, each
 * round running redis-server then our node.
 */
const TYPE_COMMANDS: { name: string; argv: string[] }[] = [
  { name: 'XADD', argv: ['XADD', 'bench:stream', '*', 'field', 'value:__rand_int__'] },
  { name: 'XREADGROUP', argv: ['XREADGROUP', 'GROUP', 'bench', 'consumer', 'COUNT', '1', 'STREAMS', 'bench:stream', '>'] },
  { name: 'PFADD', argv: ['PFADD', 'bench:hll', 'element:__rand_int__'] },
  { name: 'GEOADD', argv: ['GEOADD', 'bench:geo', '13.361389', '38.115556', 'member:__rand_int__'] },
];

async function types() {
  const requests = quick ? 20_000 : 100_000;
  const warmup = quick ? 5_000 : 20_000;
  const rounds = 3;
  console.log(
    `\n## Other data types: redis-benchmark -c 50 -P 1 -n ${requests} -r 100000, after a warm-up pass of -n ${warmup}; median of ${rounds} rounds, each running redis-server then ours (requests/s)\n`,
  );
  for (const { name, argv } of TYPE_COMMANDS) console.log(`- ${name}: \`${argv.join(' ')}\``);
  console.log('\n| test | pipeline | redis-server | replica-lab-server | ratio |');
  console.log('|---|---:|---:|---:|---:|');
  const results: Record<Kind, Map<string, number[]>> = { redis: new Map(), ours: new Map() };
  for (let round = 0; round < rounds; round++) {
    const r = await withBoth(async (_kind, s) => {
      const client = await RespClient.open(s.port);
      // XREADGROUP reads what XADD wrote: a group from the start of the stream.
      await client.call('XGROUP', 'CREATE', 'bench:stream', 'bench', '0', 'MKSTREAM');
      client.close();
      const figures = new Map<string, number>();
      for (const { name, argv } of TYPE_COMMANDS) {
        customBenchmark(s.port, argv, 1, warmup);
        figures.set(name, customBenchmark(s.port, argv, 1, requests));
      }
      return figures;
    });
    for (const kind of KINDS) for (const [t, v] of r[kind]) results[kind].set(t, [...(results[kind].get(t) ?? []), v]);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  for (const { name } of TYPE_COMMANDS) {
    const a = median(results.redis.get(name)!);
    const b = median(results.ours.get(name)!);
    console.log(`| ${name} | 1 | ${a.toFixed(0)} | ${b.toFixed(0)} | ${ratio(b, a)} |`);
  }
}

/** A small script, as applications run them: one read-modify-write of a key through redis.call. */
const SMALL_SCRIPT = "return redis.call('INCRBY', KEYS[1], ARGV[1])";

/** EVALSHA of SMALL_SCRIPT with redis-benchmark (random keys), at -P 1 and -P 16. */
async function scripting() {
  const requests = quick ? 20_000 : 100_000;
  const warmup = quick ? 5_000 : 20_000;
  console.log(
    `\n## Scripting: redis-benchmark -c 50 -n ${requests} EVALSHA <sha of ${JSON.stringify(SMALL_SCRIPT)}> 1 key:__rand_int__ 1, after a warm-up pass of -n ${warmup} (requests/s)\n`,
  );
  console.log('| test | pipeline | redis-server | replica-lab-server | ratio |');
  console.log('|---|---:|---:|---:|---:|');
  for (const pipeline of [1, 16]) {
    const r = await withBoth(async (_kind, s) => {
      const client = await RespClient.open(s.port);
      const sha = String(await client.call('SCRIPT', 'LOAD', SMALL_SCRIPT));
      client.close();
      const run = (n: number) => customBenchmark(s.port, ['EVALSHA', sha, '1', 'key:__rand_int__', '1'], pipeline, n);
      run(warmup);
      return run(requests);
    });
    console.log(`| EVALSHA | ${pipeline} | ${r.redis.toFixed(0)} | ${r.ours.toFixed(0)} | ${ratio(r.ours, r.redis)} |`);
  }
}

/** The dataset of the memory and persistence sections: `keys` SETs of 100-byte strings, as RESP for redis-cli --pipe. */
function stringKeysPayload(keys: number): string {
  const value = 'x'.repeat(100);
  const lines: string[] = [];
  for (let i = 0; i < keys; i++) {
    const k = `key:${i}`;
    lines.push(`*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$100\r\n${value}\r\n`);
  }
  return lines.join('');
}

function loadWithPipe(port: number, payload: string): void {
  const p = spawnSync('redis-cli', ['-p', String(port), '--pipe'], { input: payload, encoding: 'utf8', timeout: 600_000 });
  if (p.status !== 0) throw new Error(`redis-cli --pipe failed: ${p.stdout} ${p.stderr}`);
}

const datasetKeys = () => (quick ? 100_000 : 1_000_000);

/** 1M keys of 100-byte strings, loaded with redis-cli --pipe, then resident memory. */
async function memory() {
  const keys = datasetKeys();
  const payload = stringKeysPayload(keys);
  console.log(`\n## Memory: ${keys} keys of 100-byte strings (loaded with redis-cli --pipe), resident set size\n`);
  const r = await withBoth((_kind, s) => {
    const before = rssBytes(s.proc.pid!);
    loadWithPipe(s.port, payload);
    return { before, after: rssBytes(s.proc.pid!) };
  });
  const mb = (n: number) => (n / 1048576).toFixed(1);
  console.log('| server | RSS empty (MiB) | RSS loaded (MiB) |');
  console.log('|---|---:|---:|');
  for (const kind of KINDS)
    console.log(`| ${kind === 'ours' ? 'replica-lab-server' : 'redis-server'} | ${mb(r[kind].before)} | ${mb(r[kind].after)} |`);
  console.log(`\nratio (loaded RSS, ours / redis-server): ${ratio(r.ours.after, r.redis.after)}`);
}

interface PersistenceFigures {
  saveMs: number;
  /** From spawning the restarted server to "Ready to accept connections". */
  startMs: number;
  /** The server's own "DB loaded from disk: N seconds". */
  loadMs: number;
  worstGetMs: number;
  getsDuringBgsave: number;
}

/**
 * Worst latency of GETs sent one after the other while a BGSAVE runs: from just before BGSAVE
 * (redis-server's fork pauses it there) until INFO says the save is over.
 */
async function worstGetDuringBgsave(port: number): Promise<{ worstMs: number; gets: number }> {
  const reader = await RespClient.open(port);
  const control = await RespClient.open(port);
  let saving = true;
  let worstMs = 0;
  let gets = 0;
  const loop = (async () => {
    for (let i = 0; saving; i++) {
      const started = performance.now();
      await reader.call('GET', `key:${(i * 7919) % datasetKeys()}`);
      worstMs = Math.max(worstMs, performance.now() - started);
      gets++;
    }
  })();
  await new Promise((r) => setTimeout(r, 50)); // the loop is running before the save starts
  const reply = await control.call('BGSAVE');
  if (reply !== 'Background saving started') throw new Error(`BGSAVE: ${JSON.stringify(reply)}`);
  while (/rdb_bgsave_in_progress:1/.test(String(await control.call('INFO', 'persistence')))) {
    await new Promise((r) => setTimeout(r, 10));
  }
  saving = false;
  await loop;
  reader.close();
  control.close();
  return { worstMs, gets };
}

async function persistenceRun(kind: Kind, payload: string): Promise<PersistenceFigures> {
  const dir = tempDir('replicalab-bench-');
  try {
    const server = await startServer(kind, [], { dir });
    let saveMs: number;
    let bgsave: { worstMs: number; gets: number };
    try {
      loadWithPipe(server.port, payload);
      const c = await RespClient.open(server.port);
      const started = performance.now();
      const reply = await c.call('SAVE');
      saveMs = performance.now() - started;
      c.close();
      if (reply !== 'OK') throw new Error(`SAVE: ${JSON.stringify(reply)}`);
      bgsave = await worstGetDuringBgsave(server.port);
    } finally {
      await server.stop();
    }
    const spawned = performance.now();
    const restarted = await startServer(kind, [], { dir, timeoutMs: 300_000 });
    const startMs = performance.now() - spawned;
    await restarted.stop();
    const loadedSec = /DB loaded from disk: ([\d.]+) seconds/.exec(restarted.output())?.[1];
    if (loadedSec === undefined) throw new Error(`${kind} did not log "DB loaded from disk":\n${restarted.output()}`);
    return { saveMs, startMs, loadMs: Number(loadedSec) * 1000, worstGetMs: bgsave.worstMs, getsDuringBgsave: bgsave.gets };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** SAVE, load at start and GET latency during BGSAVE, for the dataset of the memory section. */
async function persistence() {
  const keys = datasetKeys();
  const payload = stringKeysPayload(keys);
  console.log(`\n## Persistence: ${keys} keys of 100-byte strings (loaded with redis-cli --pipe)\n`);
  // Two rounds, alternating servers; the better of the two rounds counts for each figure.
  const best = {} as Record<Kind, PersistenceFigures>;
  for (let round = 0; round < 2; round++) {
    for (const kind of KINDS) {
      const run = await persistenceRun(kind, payload);
      const prev = best[kind];
      best[kind] = prev
        ? {
            saveMs: Math.min(prev.saveMs, run.saveMs),
            startMs: Math.min(prev.startMs, run.startMs),
            loadMs: Math.min(prev.loadMs, run.loadMs),
            worstGetMs: Math.min(prev.worstGetMs, run.worstGetMs),
            getsDuringBgsave: Math.max(prev.getsDuringBgsave, run.getsDuringBgsave),
          }
        : run;
    }
  }
  const { redis, ours } = best;
  const row = (name: string, a: number, b: number) => console.log(`| ${name} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${ratio(b, a)} |`);
  console.log('| measure (ms) | redis-server | replica-lab-server | ratio |');
  console.log('|---|---:|---:|---:|');
  row('SAVE', redis.saveMs, ours.saveMs);
  row('load at start ("DB loaded from disk")', redis.loadMs, ours.loadMs);
  row('start until ready', redis.startMs, ours.startMs);
  row('worst GET latency during BGSAVE', redis.worstGetMs, ours.worstGetMs);
  console.log(`\nGETs answered during BGSAVE: redis-server ${redis.getsDuringBgsave}, replica-lab-server ${ours.getsDuringBgsave}`);
}

console.log(`# ReplicaLab benchmarks (${new Date().toISOString()}, node ${process.version}, ${quick ? 'quick' : 'full'})`);
if (want('throughput')) await throughput();
if (want('scripting')) await scripting();
if (want('types')) await types();
if (want('memory')) await memory();
if (want('persistence')) await persistence();
const replicationParts = sections.filter((s) => s.startsWith('replication:')).map((s) => s.slice('replication:'.length));
if (want('replication') || replicationParts.length !== 0) {
  await replicationBench({ quick, stringKeysPayload, loadWithPipe, redisBenchmark }, replicationParts);
}
if (want('sentinel')) await sentinelBench(quick);
if (want('export')) await exportBench({ quick });
if (want('ui')) await uiBench({ quick });
