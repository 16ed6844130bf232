// The relays of the lab's replication links, one per replica whose link the lab made (linkNode, or
// its stored master when the lab starts it). A relay lives as long as that link: a replica that
// stops and starts again keeps its relay, its port and its fault; linking the replica to another
// master opens a new relay (a REPLICAOF naming the same host and port would be "Already connected
// to specified master"), and promoting it, removing either node, or a failover that changes the
// stored links closes it. Relays are not stored: when the lab starts again each link gets a new
// relay on a new port with no fault, and the replica is started with `--replicaof` naming it (its
// PSYNC names the replication ID and offset, not an address, so it still resumes partially).
import type { LinkRelayInfo } from '../../api/index.js';
import { nodeAddress } from '../nodes/node-address.js';
import type { NodeRegistry } from '../nodes/node-registry.js';
import { LinkRelay } from './link-relay.js';

interface Route {
  replicaId: string;
  masterId: string;
  relay: LinkRelay;
}

export class LinkRelays {
  private readonly routes = new Map<string, Route>();

  constructor(private readonly registry: NodeRegistry) {}

  /**
   * The relay for `replicaId`'s link to `masterId`: the one it has, or a new one, not yet
   * registered (adopt it once the replica was told about it; discard it if that failed).
   */
  async relayFor(replicaId: string, masterId: string): Promise<LinkRelay> {
    const route = this.routes.get(replicaId);
    if (route && route.masterId === masterId) return route.relay;
    const master = nodeAddress(this.registry.get(masterId));
    return LinkRelay.open(master.port, master.host);
  }

  /** The replica now uses `relay` for its link to `masterId`; a relay it used before is closed. */
  adopt(replicaId: string, masterId: string, relay: LinkRelay): void {
    const previous = this.routes.get(replicaId);
    if (previous?.relay === relay) return;
    this.routes.set(replicaId, { replicaId, masterId, relay });
    if (previous) void previous.relay.close();
  }

  /** A relay from relayFor that was never adopted. */
  discard(relay: LinkRelay): void {
    if (![...this.routes.values()].some((route) => route.relay === relay)) void relay.close();
  }

  /** The replica's relay, if its link was made in the lab. */
  relayOf(replicaId: string): LinkRelay | undefined {
    return this.routes.get(replicaId)?.relay;
  }

  /** The master the replica's relay forwards to, if its link was made in the lab. */
  masterOf(replicaId: string): string | null {
    return this.routes.get(replicaId)?.masterId ?? null;
  }

  /** The replica no longer replicates through the lab (promoted): its relay closes. */
  drop(replicaId: string): void {
    const route = this.routes.get(replicaId);
    if (!route) return;
    this.routes.delete(replicaId);
    void route.relay.close();
  }

  /** Closes every relay whose link is no longer the stored one (a removed node, a failover's switch). */
  prune(): void {
    for (const route of [...this.routes.values()]) {
      const replica = this.registry.find(route.replicaId);
      if (!replica || replica.stored.replicaOf !== route.masterId || !this.registry.find(route.masterId)) this.drop(route.replicaId);
    }
  }

  /** What the topology shows of the relay listening on `port`, if one of the lab's relays does. */
  infoByPort(port: number): LinkRelayInfo | null {
    for (const route of this.routes.values()) {
      if (route.relay.port !== port) continue;
      const { relay } = route;
      return {
        port: relay.port,
        masterPort: relay.upstreamPort,
        masterId: route.masterId,
        replicaId: route.replicaId,
        fault: relay.currentFault,
        connections: relay.connections.size,
        bytesToReplica: relay.bytesToReplica,
        bytesToMaster: relay.bytesToMaster,
      };
    }
    return null;
  }

  async closeAll(): Promise<void> {
    const routes = [...this.routes.values()];
    this.routes.clear();
    await Promise.all(routes.map((route) => route.relay.close()));
  }
}
