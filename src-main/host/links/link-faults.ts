// LabApi's link faults: cut, stall, slow and restore, applied at the relay of a replica's link
// (link-relay.ts) and recorded as `link-fault` events that say what the relay did and what the
// replica will see. The nodes are never told anything: the effects (a link down, repl-timeout, a
// partial or full resync, lag) show up in their own INFO and logs. From a fault until the replica
// has synchronised again after it, the replica's own log lines about its link (a timeout, the
// resync it got) are recorded as events too, word for word, so the event list tells the story.
import type { LinkFault, NodeSummary, SlowLinkLimits } from '../../api/index.js';
import type { EventRecorder } from '../events/event-recorder.js';
import type { InfoPoller } from '../metrics/info-poller.js';
import type { LabNode } from '../nodes/lab-node.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import type { NodeSummaries } from '../nodes/node-summary.js';
import type { LinkRelay } from './link-relay.js';
import type { LinkRelays } from './link-relays.js';

/** Replica log lines worth an event while a fault is, or just was, on its link; the last ones end the watch. */
const LINK_LOG_LINES = ['MASTER timeout: no data nor PING received', 'Timeout connecting to the MASTER', 'Full resync from master'];
const RESYNCED_LOG_LINES = ['Successful partial resynchronization with master', 'MASTER <-> REPLICA sync: Finished with success'];

export class LinkFaults {
  /** Replicas whose log is watched: a fault was applied, and they have not resynchronised since it was lifted. */
  private readonly watched = new Map<string, { restored: boolean; recorded: Set<string> }>();

  constructor(
    private readonly registry: NodeRegistry,
    private readonly relays: LinkRelays,
    private readonly events: EventRecorder,
    private readonly info: InfoPoller,
    private readonly summaries: NodeSummaries,
  ) {}

  cut(replicaId: string): Promise<NodeSummary> {
    return this.apply(
      replicaId,
      { kind: 'cut' },
      (relay, closed) => `link cut at the relay (port ${relay.port}): ${closed} closed, new connections reset until Restore`,
    );
  }

  stall(replicaId: string): Promise<NodeSummary> {
    return this.apply(
      replicaId,
      { kind: 'stall' },
      (relay, held) =>
        `link stalled at the relay (port ${relay.port}): ${held} kept open, nothing forwarded either way until Restore ` +
        `(the replica's repl-timeout decides when it gives up)`,
    );
  }

  slow(replicaId: string, limits: SlowLinkLimits): Promise<NodeSummary> {
    const bandwidth = limits.bandwidthKBps > 0 ? `${limits.bandwidthKBps} KB/s each way` : 'no bandwidth limit';
    return this.apply(
      replicaId,
      { kind: 'slow', ...limits },
      (relay) => `link slowed at the relay (port ${relay.port}): ${bandwidth}, ${limits.delayMs} ms added delay`,
    );
  }

  restore(replicaId: string): Promise<NodeSummary> {
    return this.apply(
      replicaId,
      { kind: 'none' },
      (relay, open, before) =>
        `link restored at the relay (port ${relay.port}) after ${faultName(before)}: ${open} carrying on, new connections accepted`,
    );
  }

  private async apply(
    replicaId: string,
    fault: LinkFault,
    describe: (relay: LinkRelay, connections: string, before: LinkFault) => string,
  ): Promise<NodeSummary> {
    const replica = this.registry.get(replicaId);
    const relay = this.relayOf(replica);
    const before = relay.currentFault;
    const count = relay.connections.size;
    relay.setFault(fault);
    this.watched.set(replicaId, { restored: fault.kind === 'none', recorded: new Set() });
    const master = this.registry.find(replica.stored.replicaOf ?? '');
    const connections = `${count} connection${count === 1 ? '' : 's'}`;
    this.events.record(
      replica.stored,
      'link-fault',
      `${describe(relay, connections, before)}; link from ${master?.stored.name ?? 'its master'}`,
    );
    await this.info.refresh(replica);
    return this.summaries.of(replica);
  }

  /** A log line of a node (every node's lines come here): recorded if it tells what a fault did to a link. */
  logLine(nodeId: string, line: string): void {
    const watch = this.watched.get(nodeId);
    if (!watch) return;
    const resynced = RESYNCED_LOG_LINES.some((text) => line.includes(text));
    if (!resynced && !LINK_LOG_LINES.some((text) => line.includes(text))) return;
    const replica = this.registry.find(nodeId);
    if (!replica) return;
    // The message as the node logged it, without its pid, role and time stamp.
    const message = line.replace(/^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ . /, '');
    // A replica retries on its own schedule: each kind of line once per fault is the story, not a flood.
    const kind = message.replace(/[\d:a-f]{8,}.*$/, '');
    if (watch.recorded.has(kind)) return;
    watch.recorded.add(kind);
    this.events.record(replica.stored, 'link-fault', `the replica logged: ${message}`);
    if (resynced && watch.restored) this.watched.delete(nodeId);
  }

  private relayOf(replica: LabNode): LinkRelay {
    const relay = this.relays.relayOf(replica.stored.id);
    if (!relay) {
      throw new Error(
        `${replica.stored.name} has no link made in the lab to apply a fault to: choose its master in "Replicate from…" ` +
          `(a link made by FAILOVER or typed into redis-cli goes straight to the master)`,
      );
    }
    return relay;
  }
}

function faultName(fault: LinkFault): string {
  return fault.kind === 'none' ? 'no fault' : fault.kind === 'slow' ? 'a slow link' : `a ${fault.kind}`;
}
