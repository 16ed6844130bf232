// LabApi's link faults: cut, stall, slow and restore, applied at the relay of a replica's link
// (link-relay.ts) and recorded as `link-fault` events that say what the relay did and what the
// replica will see. The nodes are never told anything: the effects (a link down, repl-timeout, a
// partial or full resync, lag) show up in their own INFO and logs.
import type { LinkFault, NodeSummary, SlowLinkLimits } from '../../api/index.js';
import type { EventRecorder } from '../events/event-recorder.js';
import type { InfoPoller } from '../metrics/info-poller.js';
import type { LabNode } from '../nodes/lab-node.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import type { NodeSummaries } from '../nodes/node-summary.js';
import type { LinkRelay } from './link-relay.js';
import type { LinkRelays } from './link-relays.js';

export class LinkFaults {
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
