// Faults on replication links. Every link the lab makes (linkNode, or a replica the lab starts with
// its stored master) runs through a lab-owned TCP relay on 127.0.0.1: the replica's REPLICAOF names
// the relay's port, and the relay passes every byte unchanged to the master and back. These calls
// apply a fault at that relay; the nodes themselves are never told, they just see the network.
import type { NodeSummary } from './nodes.js';
import { isRecord, nodeId, type ParamChecks } from './param-checks.js';

/** What the relay of a link does now. Faults are not stored: a lab that starts again starts with none. */
export type LinkFault =
  | { kind: 'none' }
  /** Connections closed, new ones reset at once, until restore. */
  | { kind: 'cut' }
  /** Connections kept open, nothing forwarded either way, until restore. */
  | { kind: 'stall' }
  /** Each direction limited to `bandwidthKBps` KB/s (0: no limit), each chunk held `delayMs` first. */
  | { kind: 'slow'; bandwidthKBps: number; delayMs: number };

export interface SlowLinkLimits {
  /** KB/s (1 KB = 1024 bytes) in each direction; 0 for no bandwidth limit. */
  bandwidthKBps: number;
  /** Added one-way delay in ms; 0 for none. */
  delayMs: number;
}

/** Bounds of SlowLinkLimits: beyond them a "slow" link is either not slow or not a link. */
export const SLOW_LINK_BOUNDS = { maxBandwidthKBps: 1_000_000, maxDelayMs: 60_000 } as const;

/** The relay a replica reaches its master through (a MasterPointer field). */
export interface LinkRelayInfo {
  /** The relay's port on 127.0.0.1: the master_port the replica's INFO shows. */
  port: number;
  /** The master's own port, where the relay forwards to, and the lab node listening there. */
  masterPort: number;
  masterId: string;
  /** The replica whose link this relay is: the fault controls act on it. */
  replicaId: string;
  fault: LinkFault;
  /** Connections open through the relay now. */
  connections: number;
  /** Bytes relayed since the relay opened: master to replica, and replica to master. */
  bytesToReplica: number;
  bytesToMaster: number;
}

export interface LinksApi {
  /** Closes the replica's connections to its master at the relay and refuses new ones until restoreLink. */
  cutLink(replicaId: string): Promise<NodeSummary>;
  /** Lifts any fault: connections flow again (held ones carry on) and new ones are accepted. */
  restoreLink(replicaId: string): Promise<NodeSummary>;
  /** Keeps the connections open but forwards nothing, either way, until restoreLink. */
  stallLink(replicaId: string): Promise<NodeSummary>;
  /** Limits bandwidth and adds delay on the link, in both directions, until restoreLink. */
  slowLink(replicaId: string, limits: SlowLinkLimits): Promise<NodeSummary>;
}

export const LINKS_PARAM_CHECKS = {
  cutLink: (params) => [nodeId(params[0])],
  restoreLink: (params) => [nodeId(params[0])],
  stallLink: (params) => [nodeId(params[0])],
  slowLink: (params) => [nodeId(params[0]), slowLinkLimits(params[1])],
} satisfies ParamChecks<LinksApi>;

/** Checks SlowLinkLimits; the messages say what is allowed. */
export function slowLinkLimits(value: unknown): SlowLinkLimits {
  if (!isRecord(value)) throw new Error('slowLink needs { bandwidthKBps, delayMs }');
  const { bandwidthKBps, delayMs } = value;
  if (!Number.isInteger(bandwidthKBps) || (bandwidthKBps as number) < 0 || (bandwidthKBps as number) > SLOW_LINK_BOUNDS.maxBandwidthKBps) {
    throw new Error(`the bandwidth must be a whole number of KB/s from 0 (no limit) to ${SLOW_LINK_BOUNDS.maxBandwidthKBps}`);
  }
  if (!Number.isInteger(delayMs) || (delayMs as number) < 0 || (delayMs as number) > SLOW_LINK_BOUNDS.maxDelayMs) {
    throw new Error(`the delay must be a whole number of ms from 0 to ${SLOW_LINK_BOUNDS.maxDelayMs}`);
  }
  if (bandwidthKBps === 0 && delayMs === 0) throw new Error('a slow link needs a bandwidth limit, a delay, or both');
  return { bandwidthKBps: bandwidthKBps as number, delayMs: delayMs as number };
}
