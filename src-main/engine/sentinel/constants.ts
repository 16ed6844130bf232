// Sentinel's timing constants and defaults (sentinel.c, Redis 7.0). The periods are in
// milliseconds; SENTINEL DEBUG changes the ones it lists at run time (see SentinelTimers).

export const SENTINEL_PORT = 26379;
export const HELLO_CHANNEL = '__sentinel__:hello';
export const DEFAULT_SLAVE_PRIORITY = 100;
export const DEFAULT_PARALLEL_SYNCS = 1;
export const MAX_PENDING_COMMANDS = 100;
/** How long a reply to SENTINEL IS-MASTER-DOWN-BY-ADDR stays valid. */
export const INFO_VALIDITY_TIME = 5000;

/** The periods SENTINEL DEBUG shows and sets, with sentinel.c's defaults. */
export interface SentinelTimers {
  infoPeriod: number;
  pingPeriod: number;
  askPeriod: number;
  publishPeriod: number;
  defaultDownAfter: number;
  defaultFailoverTimeout: number;
  tiltTrigger: number;
  tiltPeriod: number;
  slaveReconfTimeout: number;
  minLinkReconnectPeriod: number;
  electionTimeout: number;
  scriptMaxRuntime: number;
  scriptRetryDelay: number;
}

export function defaultTimers(): SentinelTimers {
  return {
    infoPeriod: 10000,
    pingPeriod: 1000,
    askPeriod: 1000,
    publishPeriod: 2000,
    defaultDownAfter: 30000,
    defaultFailoverTimeout: 3 * 60 * 1000,
    tiltTrigger: 2000,
    tiltPeriod: 1000 * 30,
    slaveReconfTimeout: 10000,
    minLinkReconnectPeriod: 15000,
    electionTimeout: 10000,
    scriptMaxRuntime: 60000,
    scriptRetryDelay: 30000,
  };
}

/** SENTINEL DEBUG's names for the timers, in its order. */
export const TIMER_NAMES: [string, keyof SentinelTimers][] = [
  ['info-period', 'infoPeriod'],
  ['ping-period', 'pingPeriod'],
  ['ask-period', 'askPeriod'],
  ['publish-period', 'publishPeriod'],
  ['default-down-after', 'defaultDownAfter'],
  ['default-failover-timeout', 'defaultFailoverTimeout'],
  ['tilt-trigger', 'tiltTrigger'],
  ['tilt-period', 'tiltPeriod'],
  ['slave-reconf-timeout', 'slaveReconfTimeout'],
  ['min-link-reconnect-period', 'minLinkReconnectPeriod'],
  ['election-timeout', 'electionTimeout'],
  ['script-max-runtime', 'scriptMaxRuntime'],
  ['script-retry-delay', 'scriptRetryDelay'],
];
