// The Sentinel's global state (sentinel.c's `struct sentinelState`): the monitored masters, the
// current epoch, this Sentinel's id, TILT, the global options, and the timer that drives every
// check (sentinelTimer, run at a randomized hz so that Sentinels do not act in lock step). The
// checks themselves live in the modules named after sentinel.c's parts: monitoring.ts (links,
// PING, INFO), hello.ts (discovery), down-detection.ts (SDOWN, ODOWN, asking the others),
// leader-election.ts (votes) and failover.ts (the state machine).
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns';
import type { Server } from '../core/server.js';
import type { LogLevel } from '../util/logger.js';
import { defaultTimers, type SentinelTimers } from './constants.js';
import { Instance, replicaName, sameHost, type Address } from './instance.js';
import { InstanceLink } from './instance-link.js';
import { handleInstance } from './monitoring.js';
import { failoverSwitchToPromotedSlave } from './failover.js';
import { ScriptQueue } from './scripts.js';

/** Why an instance could not be created (createSentinelRedisInstance's errno). */
export type CreateError = 'duplicate' | 'unresolvable' | 'invalid-port';

/** SENTINEL SIMULATE-FAILURE flags. */
export interface SimulatedFailures {
  crashAfterElection: boolean;
  crashAfterPromotion: boolean;
}

export class Sentinel {
  readonly masters = new Map<string, Instance>();
  currentEpoch = 0;
  myid = '';
  tilt = false;
  tiltStartTime = 0;
  previousTime = Date.now();
  announceIp: string | null = null;
  announcePort = 0;
  denyScriptsReconfig = true;
  sentinelUser: string | null = null;
  sentinelPass: string | null = null;
  resolveHostnames = false;
  announceHostnames = false;
  readonly simulated: SimulatedFailures = { crashAfterElection: false, crashAfterPromotion: false };
  readonly timers: SentinelTimers = defaultTimers();
  /** The notification and client-reconfig scripts waiting or running. */
  readonly scripts = new ScriptQueue({ event: (level, type, message) => this.event(level, type, null, message), timers: this.timers });
  /** Writes the config file (set by the node; sentinelFlushConfig). */
  saveConfig: () => void = () => {};
  /** SIMULATE-FAILURE's crash: the process exits at once (set by the node). */
  crash: () => void = () => {};
  private readonly renames = new WeakMap<Instance, Map<string, string>>();
  /** Hostname lookups under way (resolve-hostnames); the node waits for them before it starts. */
  readonly resolving: Promise<void>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  /** The core this Sentinel serves on (attached by sentinel-node.ts once it is built). */
  server!: Server;

  // --- instances ---------------------------------------------------------------------------

  private defaults() {
    return { downAfter: this.timers.defaultDownAfter, failoverTimeout: this.timers.defaultFailoverTimeout };
  }

  /**
   * createSentinelAddr: with resolve-hostnames a hostname is kept (for the config and, with
   * announce-hostnames, for what we announce) and resolved to the IP we connect to.
   */
  private makeAddress(host: string, port: number): Address {
    const addr: Address = { ip: host, hostname: host, port };
    if (!isIpAddress(host)) {
      const resolved = new Promise<void>((resolve) =>
        lookup(host, { family: 4 }, (err, address) => {
          if (!err) addr.ip = address;
          resolve();
        }),
      );
      if (this.timer === null) this.resolving.push(resolved);
    }
    return addr;
  }

  private checkAddress(ip: string, port: number): CreateError | null {
    if (port < 0 || port > 65535) return 'invalid-port';
    if (!this.resolveHostnames && !isIpAddress(ip)) return 'unresolvable';
    return null;
  }

  /** sentinelRedisInstance for SENTINEL MONITOR and `sentinel monitor`; a string is the error. */
  createMaster(name: string, ip: string, port: number, quorum: number): Instance | CreateError {
    const error = this.checkAddress(ip, port);
    if (error) return error;
    if (this.masters.has(name)) return 'duplicate';
    const master = new Instance('master', name, this.makeAddress(ip, port), null, this.defaults());
    master.quorum = quorum;
    master.link = new InstanceLink();
    this.masters.set(name, master);
    return master;
  }

  createReplica(master: Instance, ip: string, port: number): Instance | CreateError {
    const error = this.checkAddress(ip, port);
    if (error) return error;
    const name = replicaName(ip, port);
    if (master.slaves.has(name)) return 'duplicate';
    const slave = new Instance('slave', name, this.makeAddress(ip, port), master, this.defaults());
    slave.link = new InstanceLink();
    master.slaves.set(name, slave);
    return slave;
  }

  /** Another Sentinel of `master`, named by its run id (or "ip:port" when unknown yet). */
  createSentinelPeer(master: Instance, runid: string | null, ip: string, port: number): Instance | CreateError {
    const error = this.checkAddress(ip, port);
    if (error) return error;
    const name = runid ?? replicaName(ip, port);
    if (master.sentinels.has(name)) return 'duplicate';
    const peer = new Instance('sentinel', name, this.makeAddress(ip, port), master, this.defaults());
    peer.link = new InstanceLink();
    master.sentinels.set(name, peer);
    return peer;
  }

  releaseInstance(ri: Instance): void {
    ri.link?.closeAll();
    for (const slave of ri.slaves.values()) this.releaseInstance(slave);
    for (const peer of ri.sentinels.values()) this.releaseInstance(peer);
  }

  removeMaster(master: Instance): void {
    this.releaseInstance(master);
    this.masters.delete(master.name);
  }

  /** sentinelPropagateDownAfterPeriod: a master's setting applies to its replicas and sentinels. */
  setDownAfter(master: Instance, ms: number): void {
    master.downAfterPeriod = ms;
    for (const ri of [...master.slaves.values(), ...master.sentinels.values()]) ri.downAfterPeriod = ms;
  }

  renamedCommands(master: Instance): Map<string, string> {
    let map = this.renames.get(master);
    if (!map) this.renames.set(master, (map = new Map()));
    return map;
  }

  /** sentinelInstanceMapCommand: a command's name on this instance (rename-command). */
  mapCommand(ri: Instance, command: string): string {
    if (ri.kind === 'sentinel') return command;
    const master = ri.kind === 'master' ? ri : ri.master!;
    return this.renames.get(master)?.get(command.toLowerCase()) ?? command;
  }

  /**
   * sentinelGetCurrentMasterAddress: during a failover, once the replica is promoted, the master's
   * address is the promoted replica's (what hello messages and the config report).
   */
  currentMasterAddress(master: Instance): Address {
    if (
      master.failoverInProgress &&
      master.promotedSlave &&
      (master.failoverState === 'reconf_slaves' || master.failoverState === 'update_config')
    ) {
      return master.promotedSlave.addr;
    }
    return master.addr;
  }

  /** announceSentinelAddr: an address as events, replies and hellos show it. */
  announce(addr: Address): string {
    return this.announceHostnames ? addr.hostname : addr.ip;
  }

  /**
   * sentinelResetMaster: forgets the replicas (and the sentinels unless keepSentinels), drops the
   * links and any failover, as after a switch or SENTINEL RESET.
   */
  resetMaster(master: Instance, opts: { keepSentinels: boolean; event: boolean }): void {
    for (const slave of master.slaves.values()) this.releaseInstance(slave);
    master.slaves.clear();
    if (!opts.keepSentinels) {
      for (const peer of master.sentinels.values()) this.releaseInstance(peer);
      master.sentinels.clear();
    }
    master.link?.closeAll();
    master.sdown = master.odown = master.masterDown = master.failoverInProgress = false;
    master.promoted = master.reconfSent = master.reconfInprog = master.reconfDone = false;
    master.forceFailover = master.scriptKillSent = false;
    master.masterRebootSince = 0;
    master.leader = null;
    master.failoverState = 'none';
    master.failoverStateChangeTime = 0;
    master.failoverStartTime = 0;
    master.promotedSlave = null;
    master.runid = null;
    master.slaveMasterHost = null;
    const now = Date.now();
    const link = master.link!;
    link.actPingTime = now;
    // Two departures from sentinelResetMaster, both closing a race that a down-after-milliseconds
    // as short as the PING period (1 s, as in the lab and the tests) makes likely: a switched
    // master could be judged S_DOWN, and at once O_DOWN, before anyone reconnected to it, and
    // failed over again although it is healthy.
    //  - Connect now: the reconnection throttle counted attempts to the old address, and could
    //    hold the first PING to the new one until act_ping_time was nearly down-after old.
    //  - Forget what the other Sentinels said of the master: their "down" replies were about the
    //    old address (Redis keeps them up to INFO_VALIDITY_TIME).
    link.lastReconnTime = 0;
    for (const peer of master.sentinels.values()) {
      peer.masterDown = false;
      peer.leader = null;
    }
    link.lastPingTime = 0;
    link.lastAvailTime = now;
    link.lastPongTime = now;
    master.roleReportedTime = now;
    master.roleReported = 'master';
    if (opts.event) this.event('warning', '+reset-master', master, '%@');
  }

  /**
   * sentinelResetMasterAndChangeAddress: the master now lives at ip:port; its known replicas
   * (minus the new master, plus the old master's address) are added back.
   */
  resetMasterAndChangeAddress(master: Instance, ip: string, port: number): void {
    const replicas: Address[] = [];
    for (const slave of master.slaves.values()) {
      if (sameHost(slave.addr, ip) && slave.addr.port === port) continue;
      replicas.push({ ...slave.addr });
    }
    if (!sameHost(master.addr, ip) || master.addr.port !== port) replicas.push({ ...master.addr });
    this.resetMaster(master, { keepSentinels: true, event: false });
    master.addr = this.makeAddress(ip, port);
    master.oDownSinceTime = 0;
    master.sDownSinceTime = 0;
    for (const addr of replicas) {
      const slave = this.createReplica(master, addr.hostname, addr.port);
      if (typeof slave !== 'string') this.event('notice', '+slave', slave, '%@');
    }
    this.flushConfig();
  }

  // --- events and the config file ---------------------------------------------------------

  /**
   * sentinelEvent: logs `<type> <message>` and publishes the message on the channel named
   * `type`. A message starting with "%@" begins with the instance's description.
   */
  event(level: LogLevel, type: string, ri: Instance | null, fmt: string): void {
    let msg = fmt;
    if (ri && fmt.startsWith('%@')) msg = ri.describe((a) => this.announce(a)) + fmt.slice(2);
    this.server.logger.log(level, `${type} ${msg}`);
    if (level !== 'debug') this.server.pubsub.publish('', type, msg);
    // The master's notification script hears every warning about it or its instances.
    if (level === 'warning' && ri) {
      const master = ri.kind === 'master' ? ri : ri.master;
      if (master?.notificationScript) this.scripts.schedule(master.notificationScript, type, msg);
    }
  }

  /**
   * sentinelCallClientReconfScript: tells the master's client-reconfig script that the master
   * moved from `from` to `to`; `role` is leader for the Sentinel that ran the failover.
   */
  callClientReconfScript(master: Instance, role: 'leader' | 'observer', from: Address, to: Address): void {
    if (!master.clientReconfigScript) return;
    this.scripts.schedule(master.clientReconfigScript, master.name, role, 'start', from.ip, String(from.port), to.ip, String(to.port));
  }

  /** sentinelFlushConfig. */
  flushConfig(): void {
    try {
      this.saveConfig();
      this.server.logger.notice('Sentinel new configuration saved on disk');
    } catch (err) {
      this.server.logger.warning(`WARNING: Sentinel was not able to save the new configuration on disk!!!: ${(err as Error).message}`);
    }
  }

  // --- the timer --------------------------------------------------------------------------

  start(): void {
    this.previousTime = Date.now();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.scripts.stop();
    for (const master of this.masters.values()) this.releaseInstance(master);
  }

  /** server.hz = CONFIG_DEFAULT_HZ + rand() % CONFIG_DEFAULT_HZ: desynchronizes the Sentinels. */
  private schedule(): void {
    if (this.stopped) return;
    const hz = 10 + Math.floor(Math.random() * 10);
    this.timer = setTimeout(() => {
      this.tick();
      this.schedule();
    }, 1000 / hz);
  }

  /** sentinelTimer. */
  tick(): void {
    this.checkTiltCondition();
    let switchTo: Instance | null = null;
    for (const master of this.masters.values()) {
      handleInstance(this, master);
      for (const slave of master.slaves.values()) handleInstance(this, slave);
      for (const peer of master.sentinels.values()) handleInstance(this, peer);
      if (master.failoverState === 'update_config') switchTo = master;
    }
    if (switchTo) failoverSwitchToPromotedSlave(this, switchTo);
    this.scripts.run();
  }

  /**
   * sentinelCheckTiltCondition: if the timer ran late (or the clock went back), what we measured
   * cannot be trusted: enter TILT, during which no instance is judged down and no failover starts.
   */
  private checkTiltCondition(): void {
    const now = Date.now();
    const delta = now - this.previousTime;
    if (delta < 0 || delta > this.timers.tiltTrigger) this.enterTilt();
    this.previousTime = Date.now();
  }

  enterTilt(): void {
    this.tilt = true;
    this.tiltStartTime = Date.now();
    this.event('warning', '+tilt', null, '#tilt mode entered');
  }

  /** The master whose sentinels include this address and run id (getSentinelRedisInstanceByAddrAndRunID). */
  static findByAddrAndRunid(instances: Map<string, Instance>, ip: string | null, port: number, runid: string | null): Instance | null {
    for (const ri of instances.values()) {
      if (runid !== null && ri.runid !== runid) continue;
      if (ip !== null && (!sameHost(ri.addr, ip) || ri.addr.port !== port)) continue;
      return ri;
    }
    return null;
  }

  static newRunId(): string {
    return randomBytes(20).toString('hex');
  }
}

function isIpAddress(text: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(text) || (text.includes(':') && /^[0-9a-fA-F:.]+$/.test(text));
}
