// The one-click Sentinel failover demonstration: crash a master that at least two Sentinels
// monitor (the same Crash the node controls offer), then measure how long until a former replica
// accepts a write. The measure is a real client's: SET on a lab key, tried on each former replica
// in turn until one answers OK instead of READONLY. The Sentinels' own events (votes, promotion,
// replicas re-pointed) arrive meanwhile through their pub/sub and are recorded as they happen.
import type { SentinelDemoResult } from '../../api/index.js';
import type { EventRecorder } from '../events/event-recorder.js';
import { sendNodeCommand } from '../nodes/node-command.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import type { SentinelService } from './sentinel-service.js';

export const DEMO_KEY = 'replicalab:sentinel-demo';
const POLL_INTERVAL_MS = 50;
const DEFAULT_TIMEOUT_MS = 60_000;

export async function sentinelFailoverDemo(
  deps: { nodes: NodeRegistry; sentinels: SentinelService; events: EventRecorder; crash(id: string): Promise<unknown> },
  masterId: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<SentinelDemoResult> {
  const master = deps.nodes.get(masterId);
  if (!master.running) throw new Error(`${master.stored.name} is not running`);
  const replicas = deps.nodes.all().filter((node) => node.stored.replicaOf === masterId);
  if (replicas.length === 0) throw new Error(`${master.stored.name} has no replicas to promote`);
  const watching = await deps.sentinels.watching(masterId);
  if (watching.length < 2) {
    throw new Error(`${master.stored.name} needs at least 2 running Sentinels monitoring it (it has ${watching.length})`);
  }
  deps.events.record(
    master.stored,
    'sentinel',
    `failover demo: crashing ${master.stored.name}, watched by ${watching.map((s) => s.name).join(', ')}`,
  );
  await deps.crash(masterId);
  const crashedAt = Date.now();
  let attempts = 0;
  while (Date.now() - crashedAt < timeoutMs) {
    for (const replica of replicas) {
      if (!replica.running) continue;
      attempts++;
      try {
        await sendNodeCommand(replica.running.port, ['SET', DEMO_KEY, String(Date.now())]);
      } catch {
        continue; // READONLY until a Sentinel promotes it
      }
      const writableAt = Date.now();
      const result = { masterId, crashedAt, newMasterId: replica.stored.id, writableAt, msToWritable: writableAt - crashedAt, attempts };
      deps.events.record(
        replica.stored,
        'sentinel',
        `failover demo: ${replica.stored.name} accepted SET ${DEMO_KEY} ${(result.msToWritable / 1000).toFixed(2)} s after ${master.stored.name} crashed`,
      );
      return result;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  deps.events.record(master.stored, 'sentinel', `failover demo: no replica accepted a write within ${timeoutMs / 1000} s`);
  throw new Error(`no former replica of ${master.stored.name} accepted a write within ${timeoutMs / 1000} s`);
}
