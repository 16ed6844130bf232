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
