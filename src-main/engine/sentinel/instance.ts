// The instance model (sentinel.c's sentinelRedisInstance): a monitored master, one of its
// replicas, or another Sentinel watching the same master. Masters own their replicas and
// sentinels; every instance has a link (../sentinel/instance-link.ts) and the times Sentinel's
// checks read. Flags are kept as booleans with the names INFO-style replies print (see flagsText).
import type { InstanceLink } from './instance-link.js';

export type InstanceKind = 'master' | 'slave' | 'sentinel';

export type FailoverState =
  'none' | 'wait_start' | 'select_slave' | 'send_slaveof_noone' | 'wait_promotion' | 'reconf_slaves' | 'update_config';

export interface Address {
  /** The IP Sentinel connects to (a hostname's, once resolved: resolve-hostnames). */
  ip: string;
  /** The address as configured or reported: the IP, or a hostname with resolve-hostnames. */
  hostname: string;
  port: number;
}

/** sentinelAddrEqualsHostname: does `host` (an IP or a hostname) name this address? */
export function sameHost(addr: Address, host: string | null): boolean {
  return host !== null && (host === addr.ip || host === addr.hostname);
}

export class Instance {
  /** The master's name; "ip:port" for a replica; the run id for a sentinel. */
  name: string;
  runid: string | null = null;
  configEpoch = 0;
  addr: Address;
  link: InstanceLink | null = null;

  // Flags (SRI_*).
  sdown = false;
  odown = false;
  /** A sentinel that replied that it thinks our master is down (SRI_MASTER_DOWN). */
  masterDown = false;
  failoverInProgress = false;
  promoted = false;
  reconfSent = false;
  reconfInprog = false;
  reconfDone = false;
  forceFailover = false;
  scriptKillSent = false;
  /** master-reboot-down-after-period: the master restarted with a new run id recently. */
  masterRebootSince = 0;

  // As createSentinelRedisInstance: the first hello goes out a publish period after the
  // instance is known, not at once (so a new Sentinel is discovered about 2 s after it starts).
  lastPubTime = Date.now();
  lastHelloTime = Date.now();
  lastMasterDownReplyTime = Date.now();
  sDownSinceTime = 0;
  oDownSinceTime = 0;
  downAfterPeriod: number;
  masterRebootDownAfterPeriod = 0;
  /** When the last INFO reply arrived (0: never). */
  infoRefresh = 0;
  /** The last INFO text (SENTINEL INFO-CACHE). */
  info: string | null = null;

  roleReported: 'master' | 'slave';
  roleReportedTime = Date.now();
  slaveConfChangeTime = Date.now();

  // Master specific.
  readonly sentinels = new Map<string, Instance>();
  readonly slaves = new Map<string, Instance>();
  quorum = 0;
  parallelSyncs = 1;
  authPass: string | null = null;
  authUser: string | null = null;

  // Replica specific.
  masterLinkDownTime = 0;
  slavePriority = 100;
  replicaAnnounced = true;
  slaveReconfSentTime = 0;
  master: Instance | null;
  slaveMasterHost: string | null = null;
  slaveMasterPort = 0;
  slaveMasterLinkStatusUp = false;
  slaveReplOffset = 0;

  // Failover. For a master: the run id of the sentinel that should fail it over; for a sentinel:
  // the run id it voted for.
  leader: string | null = null;
  leaderEpoch = 0;
  failoverEpoch = 0;
  failoverState: FailoverState = 'none';
  failoverStateChangeTime = 0;
  failoverStartTime = 0;
  failoverTimeout: number;
  failoverDelayLogged = 0;
  promotedSlave: Instance | null = null;
  notificationScript: string | null = null;
  clientReconfigScript: string | null = null;

  constructor(
    readonly kind: InstanceKind,
    name: string,
    addr: Address,
    master: Instance | null,
    defaults: { downAfter: number; failoverTimeout: number },
  ) {
    this.name = name;
    this.addr = addr;
    this.master = master;
    this.roleReported = kind === 'slave' ? 'slave' : 'master';
    this.downAfterPeriod = master ? master.downAfterPeriod : defaults.downAfter;
    this.failoverTimeout = defaults.failoverTimeout;
  }

  /** sentinelRedisInstanceTypeStr. */
  get typeName(): InstanceKind {
    return this.kind;
  }

  get disconnected(): boolean {
    return this.link === null || this.link.disconnected;
  }

  /** The "<type> <name> <ip> <port>[ @ <master> <ip> <port>]" part of an event line (%@). */
  describe(announceIp: (addr: Address) => string = (a) => a.ip): string {
    const base = `${this.kind} ${this.name} ${announceIp(this.addr)} ${this.addr.port}`;
    if (this.kind === 'master' || !this.master) return base;
    return `${base} @ ${this.master.name} ${announceIp(this.master.addr)} ${this.master.addr.port}`;
  }

  /** The flags field of SENTINEL MASTER/REPLICAS/SENTINELS, in sentinel.c's order. */
  flagsText(): string {
    const flags: string[] = [];
    if (this.sdown) flags.push('s_down');
    if (this.odown) flags.push('o_down');
    flags.push(this.kind);
    if (this.disconnected) flags.push('disconnected');
    if (this.masterDown) flags.push('master_down');
    if (this.failoverInProgress) flags.push('failover_in_progress');
    if (this.promoted) flags.push('promoted');
    if (this.reconfSent) flags.push('reconf_sent');
    if (this.reconfInprog) flags.push('reconf_inprog');
    if (this.reconfDone) flags.push('reconf_done');
    if (this.forceFailover) flags.push('force_failover');
    if (this.scriptKillSent) flags.push('script_kill_sent');
    if (this.masterRebootSince) flags.push('master_reboot');
    return flags.join(',');
  }
}

/** Replicas are named "ip:port" ("[ip]:port" for IPv6), as announceSentinelAddr/anetFormatAddr. */
export function replicaName(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
