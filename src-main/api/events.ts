// The lab's event history: what happened to which node, stored across restarts, listed on request
// and pushed as it happens.
import { optionalCount, type ParamChecks } from './param-checks.js';

export type LabEventKind =
  | 'created'
  | 'started'
  | 'stopped'
  | 'crashed'
  | 'removed'
  | 'linked'
  | 'promoted'
  /** FAILOVER TO, each master_failover_state the master went through, its end, or FAILOVER ABORT. */
  | 'failover'
  /** A fault applied to a link at its relay (cut, stall, slow) or lifted (restore). */
  | 'link-fault'
  /** The write load generator started or stopped on a master. */
  | 'load'
  /** An external node was attached (by address) or detached; the lab never started or stopped it. */
  | 'attached'
  | 'detached'
  /**
   * A node's role changed as its own INFO shows it (master, replica of host:port), saying whether the
   * lab did it (linkNode, failover) or someone else (redis-cli REPLICAOF, a FAILOVER sent by hand).
   */
  | 'role'
  /** A replica's link to its master went down or came up, as its INFO master_link_status shows. */
  | 'link'
  /** A full or partial resynchronization ended, with its bytes and duration, read from the node logs. */
  | 'sync'
  /** A watched setting changed as the node's CONFIG GET shows it, by the lab or by someone else. */
  | 'config'
  /** A Sentinel's event from its pub/sub (+sdown, +odown, +switch-master, ...), or its lifecycle. */
  | 'sentinel'
  | 'error';

export interface LabEvent {
  id: number;
  /** ms since the epoch */
  time: number;
  nodeId: string;
  nodeName: string;
  kind: LabEventKind;
  message: string;
}

export interface EventsApi {
  /** The most recent events, newest first. */
  listEvents(limit?: number): Promise<LabEvent[]>;
}

/** Pushed as each event is recorded. */
export type EventPush = { type: 'event'; event: LabEvent };

export const EVENTS_PARAM_CHECKS = {
  listEvents: (params) => [optionalCount(params[0])],
} satisfies ParamChecks<EventsApi>;
