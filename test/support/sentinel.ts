// Sentinels for tests: ours (the replica-lab-sentinel bin, as a user runs it) or Debian's
// redis-sentinel, each with its own config file in a temporary directory, started on a free
// port of 127.0.0.1 and stopped after the file's tests. A Sentinel logs "Sentinel ID is ..."
// once it runs (it prints no "Ready to accept connections").
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { ROOT, freePort, tempDir } from './servers.js';
import { RespClient, type Reply } from './resp-client.js';
import { waitFor, type Kind } from './replication.js';

export const OUR_SENTINEL_BIN = join(ROOT, 'node_modules', '.bin', 'replica-lab-sentinel');

export interface SentinelProcess {
  kind: Kind;
  port: number;
  dir: string;
  configFile: string;
  client: RespClient;
  output(): string;
  /** SENTINEL <args...>. */
  sentinel(...args: Array<string | number>): Promise<Reply>;
  /** SENTINEL MASTER <name> as a field map. */
  master(name: string): Promise<Map<string, string>>;
  /** SENTINEL GET-MASTER-ADDR-BY-NAME as "ip:port", or null. */
  masterAddr(name: string): Promise<string | null>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function fieldsOf(reply: Reply): Map<string, string> {
  const items = Array.isArray(reply) ? reply : [];
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < items.length; i += 2) fields.set(String(items[i]), String(items[i + 1]));
  return fields;
}

/** The `sentinel monitor` lines of one master, with short timeouts for tests. */
export function monitorLines(
  name: string,
  masterPort: number,
  quorum: number,
  opts: { downAfter?: number; failoverTimeout?: number } = {},
): string[] {
  return [
    `sentinel monitor ${name} 127.0.0.1 ${masterPort} ${quorum}`,
    `sentinel down-after-milliseconds ${name} ${opts.downAfter ?? 1000}`,
    `sentinel failover-timeout ${name} ${opts.failoverTimeout ?? 5000}`,
  ];
}

export async function startSentinel(kind: Kind, lines: string[], opts: { timeoutMs?: number } = {}): Promise<SentinelProcess> {
  const port = await freePort();
  const dir = tempDir('replicalab-sentinel-');
  const configFile = join(dir, 'sentinel.conf');
  writeFileSync(configFile, [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, ...lines, ''].join('\n'));
  const bin = kind === 'ours' ? OUR_SENTINEL_BIN : 'redis-sentinel';
  const proc = spawn(bin, [configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${bin} on ${port} not running in time:\n${out}`)), opts.timeoutMs ?? 15000);
    const check = () => {
      if (out.includes('Sentinel ID is')) {
        clearTimeout(timer);
        ok();
      }
    };
    proc.stdout!.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${bin} exited with ${code}:\n${out}`));
    });
  });
  const client = await RespClient.open(port);
  const s: SentinelProcess = {
    kind,
    port,
    dir,
    configFile,
    client,
    output: () => out,
    sentinel: (...args) => client.call('SENTINEL', ...args),
    master: async (name) => fieldsOf(await client.call('SENTINEL', 'MASTER', name)),
    async masterAddr(name) {
      const r = await client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name);
      return Array.isArray(r) && r.length === 2 ? `${String(r[0])}:${String(r[1])}` : null;
    },
    async stop(signal = 'SIGTERM') {
      client.close();
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return s;
}

/** The Sentinels of a test file: stopped after its last test. */
export function sentinelsForFile(): (s: SentinelProcess) => SentinelProcess {
  const all: SentinelProcess[] = [];
  after(async () => {
    await Promise.all(all.map((s) => s.stop()));
  });
  return (s) => {
    all.push(s);
    return s;
  };
}

/** Waits until every Sentinel reports `addr` as the master's address. */
export async function waitForMaster(sentinels: SentinelProcess[], name: string, addr: string, timeoutMs = 60000): Promise<void> {
  await waitFor(
    `all sentinels report ${name} at ${addr}`,
    async () => (await Promise.all(sentinels.map((s) => s.masterAddr(name)))).every((a) => a === addr),
    timeoutMs,
  );
}

/** Waits until each Sentinel knows the others (hello discovery). */
export async function waitForDiscovery(sentinels: SentinelProcess[], name: string, replicas: number, timeoutMs = 30000): Promise<void> {
  await waitFor(
    'sentinels discovered each other and the replicas',
    async () => {
      for (const s of sentinels) {
        const m = await s.master(name);
        if (Number(m.get('num-other-sentinels')) !== sentinels.length - 1 || Number(m.get('num-slaves')) !== replicas) return false;
      }
      return true;
    },
    timeoutMs,
  );
}
