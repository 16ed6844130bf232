// Latency tracking (Redis 7.0): INFO latencystats and LATENCY HISTOGRAM beside redis-server. The
// latencies themselves differ between two servers, so what is compared is the shape: which
// commands have data, their call counts, the percentile names, and histogram buckets that are
// HdrHistogram's (powers of two from 1024 ns, reported as their highest equivalent value in µs).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { onBoth, pairForFile, plain } from '../../support/differential.js';
import type { RespClient } from '../../support/resp-client.js';

const pair = pairForFile();
const debugPair = pairForFile(['--enable-debug-command', 'yes']);

/** The µs keys Redis reports: floor((1024·2^k + 2^(k+3) - 1) / 1000). */
const BUCKET_KEYS = new Set(Array.from({ length: 21 }, (_, k) => Math.floor((1024 * 2 ** k + 2 ** (k + 3) - 1) / 1000)));

/** LATENCY HISTOGRAM's reply as sorted [command, calls] pairs, its buckets checked. */
function shape(reply: unknown): unknown {
  const flat = plain(reply) as unknown[];
  const out: unknown[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const [, calls, , buckets] = flat[i + 1] as [string, number, string, number[]];
    let previous = 0;
    for (let j = 0; j < buckets.length; j += 2) {
      assert.ok(BUCKET_KEYS.has(buckets[j]!), `bucket ${buckets[j]} of ${String(flat[i])}`);
      assert.ok(buckets[j + 1]! > previous, 'cumulative counts grow');
      previous = buckets[j + 1]!;
    }
    assert.equal(previous, calls, 'the last bucket holds every call');
    out.push([flat[i], calls]);
  }
  // Redis lists the subcommands of a container in its dict's order: compare as a set.
  return out.sort((a, b) => String(a).localeCompare(String(b)));
}

/** INFO latencystats as {command: [percentile names]}, with each value checked as µs with 3 decimals. */
async function latencyStats(c: RespClient): Promise<Record<string, string[]>> {
  const text = String(plain(await c.call('INFO', 'latencystats')));
  const stats: Record<string, string[]> = {};
  for (const line of text.split('\r\n')) {
    const m = /^latency_percentiles_usec_(.+?):(.*)$/.exec(line);
    if (!m) continue;
    stats[m[1]!] = (m[2] === '' ? [] : m[2]!.split(',')).map((field) => {
      assert.match(field, /^p[\d.]+=\d+\.\d{3}$/, line);
      return field.split('=')[0]!;
    });
  }
  return Object.fromEntries(Object.entries(stats).sort());
}

describe('latency tracking', () => {
  test('INFO latencystats and LATENCY HISTOGRAM have the shape redis-server gives', async () => {
    await onBoth(pair, async (_port, open) => {
      const c = await open();
      const log: unknown[] = [];
      // One at a time: a pattern lists them in Redis's dict order.
      log.push(plain(await c.call('CONFIG', 'GET', 'latency-tracking')));
      log.push(plain(await c.call('CONFIG', 'GET', 'latency-tracking-info-percentiles')));
      log.push(plain(await c.call('CONFIG', 'RESETSTAT')));
      for (let i = 0; i < 5; i++) await c.call('SET', `k${i}`, 'v');
      await c.call('GET', 'k1');
      await c.call('CONFIG', 'GET', 'maxmemory');
      log.push(await latencyStats(c));
      log.push(shape(await c.call('LATENCY', 'HISTOGRAM', 'set', 'GET', 'nosuchcommand')));
      log.push(shape(await c.call('LATENCY', 'HISTOGRAM', 'config')));
      log.push(shape(await c.call('LATENCY', 'HISTOGRAM', 'config|get', 'lpush')));
      log.push((shape(await c.call('LATENCY', 'HISTOGRAM')) as unknown[]).length > 3);
      log.push(plain(await c.call('CONFIG', 'SET', 'latency-tracking-info-percentiles', '0 99.99 100')));
      log.push(plain(await c.call('CONFIG', 'GET', 'latency-tracking-info-percentiles')));
      log.push(await latencyStats(c));
      log.push(plain(await c.call('CONFIG', 'SET', 'latency-tracking-info-percentiles', '101')));
      log.push(plain(await c.call('CONFIG', 'SET', 'latency-tracking-info-percentiles', '')));
      log.push(await latencyStats(c));
      log.push(plain(await c.call('CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9')));
      // Off: nothing more is recorded.
      await c.call('CONFIG', 'SET', 'latency-tracking', 'no');
      await c.call('CONFIG', 'RESETSTAT');
      await c.call('SET', 'k', 'v');
      log.push(shape(await c.call('LATENCY', 'HISTOGRAM')));
      await c.call('CONFIG', 'SET', 'latency-tracking', 'yes');
      await c.call('CONFIG', 'RESETSTAT');
      log.push(shape(await c.call('LATENCY', 'HISTOGRAM')));
      return log;
    });
  });

  test('a blocking command is counted when it is called and timed when it is served; a timed-out one is never timed', async () => {
    await onBoth(pair, async (_port, open) => {
      const c = await open();
      const waiter = await open();
      const log: unknown[] = [];
      await c.call('CONFIG', 'RESETSTAT');
      await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
      await c.call('SLOWLOG', 'RESET');
      const served = waiter.call('BLPOP', 'lt:q', '5');
      const commandStats = async () =>
        String(plain(await c.call('INFO', 'commandstats')))
          .split('\r\n')
          .filter((line) => line.startsWith('cmdstat_blpop:'))
          .map((line) => /calls=\d+/.exec(line)![0]);
      const slowlogged = async () =>
        (plain(await c.call('SLOWLOG', 'GET', '100')) as unknown[][])
          .map((entry) => (entry[3] as string[])[0])
          .filter((name) => name === 'BLPOP').length;
      // Blocked: one call counted, no latency sample, nothing in the slow log yet.
      for (let i = 0; i < 50 && (await commandStats()).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      log.push(await commandStats(), (await latencyStats(c))['blpop'] ?? 'no latency data', await slowlogged());
      await c.call('RPUSH', 'lt:q', 'x');
      log.push(plain(await served));
      log.push(await commandStats(), shape(await c.call('LATENCY', 'HISTOGRAM', 'blpop')), await slowlogged());
      // A BLPOP that times out adds a call, but no latency sample.
      log.push(plain(await waiter.call('BLPOP', 'lt:empty', '0.05')));
      log.push(await commandStats(), shape(await c.call('LATENCY', 'HISTOGRAM', 'blpop')));
      await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
      return log;
    });
  });

  test('RESP3: the histograms are maps', async () => {
    await onBoth(pair, async (_port, open) => {
      const c = await open();
      await c.call('HELLO', '3');
      await c.call('CONFIG', 'RESETSTAT');
      await c.call('PING');
      const reply = plain(await c.call('LATENCY', 'HISTOGRAM', 'ping')) as { map: [string, { map: [string, unknown][] }][] };
      const [[name, inner]] = reply.map;
      return [name, inner.map.map(([k, v]) => [k, k === 'calls' ? v : typeof v === 'object' && v !== null && 'map' in v])];
    });
  });

  test('COMMAND INFO and DOCS of LATENCY HISTOGRAM and GRAPH', async () => {
    for (const sub of ['histogram', 'graph']) {
      await pair.same(['COMMAND', 'INFO', `latency|${sub}`]);
      await pair.same(['COMMAND', 'DOCS', `latency|${sub}`]);
    }
  });

  test('LATENCY GRAPH draws the latency monitor samples as Redis does', async () => {
    await onBoth(debugPair, async (_port, open) => {
      const c = await open();
      const log: unknown[] = [plain(await c.call('LATENCY', 'GRAPH', 'command'))];
      await c.call('CONFIG', 'SET', 'latency-monitor-threshold', '10');
      await c.call('DEBUG', 'SLEEP', '0.03');
      // The latencies themselves differ by a millisecond or so, and the sample's age (the last
      // column, "0s" or "1s" as a second boundary falls): both are masked.
      const graph = String(plain(await c.call('LATENCY', 'GRAPH', 'command')));
      log.push(graph.replace(/\d+ ms/g, 'N ms').replace(/\n\d\ns\n$/, '\nN\ns\n'));
      log.push(plain(await c.call('LATENCY', 'GRAPH', 'command', 'extra')));
      return log;
    });
  });
});
