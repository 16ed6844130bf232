// Sentinels run by the lab: Redis 7.0 Sentinel processes (our engine's Sentinel mode, one worker
// thread each, like a data node) that monitor a chosen master. What each Sentinel sees is read
// from the Sentinel itself over the protocol (SENTINEL MASTERS, SENTINEL MYID, its sentinel.conf's
// current-epoch), and its pub/sub events are recorded as lab events of kind 'sentinel'.
import type { NodeStatus } from './nodes.js';
import { isRecord, nodeId, type ParamChecks } from './param-checks.js';

export interface AddSentinelOptions {
  /** The lab node to monitor: the Sentinel is given its real address, never a relay's. */
  masterId: string;
  /** How many Sentinels must agree the master is down (default 2). */
  quorum?: number;
  /** down-after-milliseconds (default 1000: the lab wants to see a failover quickly). */
  downAfterMs?: number;
  /** failover-timeout in ms (default 10000). */
  failoverTimeoutMs?: number;
  port?: number;
}

/** What one Sentinel reports about the master it monitors (its SENTINEL MASTERS entry). */
export interface SentinelView {
  /** The monitored master's name in the Sentinel (the lab names it after the node). */
  name: string;
  /** The address the Sentinel now holds as the master's, and the lab node there. */
  ip: string;
  port: number;
  masterNodeId: string | null;
  flags: string[];
  sdown: boolean;
  odown: boolean;
  quorum: number;
  numOtherSentinels: number;
  numSlaves: number;
  configEpoch: number;
  failoverState: string;
}

export interface SentinelSummary {
  id: string;
  name: string;
  port: number;
  /** The lab node it was told to monitor when it was added. */
  masterId: string;
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
  status: NodeStatus;
  lastError: string | null;
  /** Read from the running Sentinel; null while stopped or not read yet. */
  myid: string | null;
  currentEpoch: number | null;
  /** The id of the Sentinel the last +elected-leader / +vote-for-leader named, if any. */
  leader: string | null;
  view: SentinelView | null;
  /** Its own directory: sentinel.conf and sentinel.log. */
  dir: string;
}

/** The sentinel failover demonstration's outcome, measured by the host. */
export interface SentinelDemoResult {
  masterId: string;
  /** When the master's thread was killed (ms since the epoch). */
  crashedAt: number;
  /** The lab node that accepted the first write after the crash, and when. */
  newMasterId: string;
  writableAt: number;
  /** writableAt - crashedAt. */
  msToWritable: number;
  /** How many SETs were tried (on every former replica in turn) until one was accepted. */
  attempts: number;
}

export interface SentinelsApi {
  listSentinels(): Promise<SentinelSummary[]>;
  addSentinel(options: AddSentinelOptions): Promise<SentinelSummary>;
  startSentinel(id: string): Promise<SentinelSummary>;
  stopSentinel(id: string): Promise<SentinelSummary>;
  restartSentinel(id: string): Promise<SentinelSummary>;
  crashSentinel(id: string): Promise<SentinelSummary>;
  removeSentinel(id: string): Promise<void>;
  /**
   * Crashes the master (as the Crash control does) and resolves once one of its former replicas
   * accepts a write (SET replicalab:sentinel-demo), or rejects after `timeoutMs` (default 60 s).
   * Needs at least two running Sentinels monitoring it.
   */
  sentinelFailoverDemo(masterId: string, timeoutMs?: number): Promise<SentinelDemoResult>;
}

export const SENTINEL_LIMITS = {
  maxQuorum: 16,
  minDownAfterMs: 100,
  maxDownAfterMs: 600_000,
  minFailoverTimeoutMs: 1000,
  maxFailoverTimeoutMs: 3_600_000,
} as const;

export const SENTINELS_PARAM_CHECKS = {
  listSentinels: () => [],
  addSentinel: (params) => [addSentinelOptions(params[0])],
  startSentinel: (params) => [nodeId(params[0])],
  stopSentinel: (params) => [nodeId(params[0])],
  restartSentinel: (params) => [nodeId(params[0])],
  crashSentinel: (params) => [nodeId(params[0])],
  removeSentinel: (params) => [nodeId(params[0])],
  sentinelFailoverDemo: (params) => [nodeId(params[0]), optionalInteger(params[1], 'the timeout', 1000, 600_000)],
} satisfies ParamChecks<SentinelsApi>;

function optionalInteger(value: unknown, what: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new Error(`${what} must be a whole number from ${min} to ${max}`);
  }
  return value as number;
}

export function addSentinelOptions(value: unknown): AddSentinelOptions {
  if (!isRecord(value)) throw new Error('addSentinel needs { masterId, quorum?, downAfterMs?, failoverTimeoutMs?, port? }');
  const L = SENTINEL_LIMITS;
  return {
    masterId: nodeId(value.masterId),
    quorum: optionalInteger(value.quorum, 'the quorum', 1, L.maxQuorum),
    downAfterMs: optionalInteger(value.downAfterMs, 'down-after-milliseconds', L.minDownAfterMs, L.maxDownAfterMs),
    failoverTimeoutMs: optionalInteger(value.failoverTimeoutMs, 'failover-timeout', L.minFailoverTimeoutMs, L.maxFailoverTimeoutMs),
    port: optionalInteger(value.port, 'the port', 1, 65535),
  };
}
