// The built-in write load generator: per master, a worker thread of the host that opens its own
// connections to the node and sends pipelined writes at a target rate, reporting what it achieved.
import { isRecord, nodeId, type ParamChecks } from './param-checks.js';

/** The write commands the generator mixes; each key type gets its own key names (`load:<type>:<n>`). */
export const LOAD_COMMAND_KINDS = ['set', 'incr', 'hset', 'lpush', 'sadd', 'zadd'] as const;
export type LoadCommandKind = (typeof LOAD_COMMAND_KINDS)[number];

export interface LoadOptions {
  /** Target writes per second. */
  rate: number;
  /** Distinct keys written, per command kind. */
  keys: number;
  /** Bytes of each value written (SET, HSET, LPUSH, SADD, ZADD members). */
  valueSize: number;
  /** The commands to mix, in equal shares. */
  mix: LoadCommandKind[];
  /** TTL given to what is written, in seconds (SET EX; EXPIRE after the others); 0 for none. */
  ttlSeconds: number;
}

/** The generator's limits: it must never drown the lab (or the machine) it runs in. */
export const LOAD_BOUNDS = { maxRate: 20_000, maxKeys: 1_000_000, maxValueSize: 65_536, maxTtlSeconds: 86_400 } as const;

export interface LoadStatus {
  masterId: string;
  masterName: string;
  options: LoadOptions;
  /** 'running' while it sends; 'connecting' while the node cannot be reached (it retries every second). */
  state: 'running' | 'connecting';
  /** Writes the node acknowledged per second, over the last report interval (about a second). */
  achievedRate: number;
  /** Writes acknowledged, and error replies, since the start. */
  acknowledged: number;
  errors: number;
  /** The last error reply or connection error, in the node's or the system's words. */
  lastError: string | null;
  startedAt: number;
}

export interface LoadApi {
  /** Starts (or restarts with new options) the generator on a running master. Rejects on bad options, changing nothing. */
  startLoad(masterId: string, options: LoadOptions): Promise<LoadStatus>;
  /** Stops the master's generator; resolves with its last status, or null if none ran. */
  stopLoad(masterId: string): Promise<LoadStatus | null>;
  /** Every generator running now. */
  listLoads(): Promise<LoadStatus[]>;
}

/** Pushed with every report of any generator (about once a second while one runs), and when one stops. */
export type LoadPush = { type: 'load'; loads: LoadStatus[] };

export const LOAD_PARAM_CHECKS = {
  startLoad: (params) => [nodeId(params[0]), loadOptions(params[1])],
  stopLoad: (params) => [nodeId(params[0])],
  listLoads: () => [],
} satisfies ParamChecks<LoadApi>;

function wholeNumber(value: unknown, min: number, max: number, what: string): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new Error(`${what} must be a whole number from ${min} to ${max}`);
  }
  return value as number;
}

/** Checks LoadOptions against LOAD_BOUNDS; the messages say what is allowed. */
export function loadOptions(value: unknown): LoadOptions {
  if (!isRecord(value)) throw new Error('startLoad needs { rate, keys, valueSize, mix, ttlSeconds }');
  const rate = wholeNumber(value.rate, 1, LOAD_BOUNDS.maxRate, 'the rate (writes per second)');
  const keys = wholeNumber(value.keys, 1, LOAD_BOUNDS.maxKeys, 'the key space (keys)');
  const valueSize = wholeNumber(value.valueSize, 1, LOAD_BOUNDS.maxValueSize, 'the value size (bytes)');
  const ttlSeconds = wholeNumber(value.ttlSeconds ?? 0, 0, LOAD_BOUNDS.maxTtlSeconds, 'the TTL (seconds)');
  const mix = value.mix;
  if (!Array.isArray(mix) || mix.length === 0 || !mix.every((kind) => (LOAD_COMMAND_KINDS as readonly unknown[]).includes(kind))) {
    throw new Error(`the mix must name one or more of ${LOAD_COMMAND_KINDS.join(', ')}`);
  }
  if (rate * valueSize > 64 * 1024 * 1024) {
    throw new Error('rate × value size must stay within 64 MB/s: lower the rate or the value size');
  }
  return { rate, keys, valueSize, mix: [...new Set(mix as LoadCommandKind[])], ttlSeconds };
}
