// The failover state machine (sentinel.c's sentinelStartFailover ... sentinelFailoverSwitchToPromotedSlave):
//
//   wait_start          wait to be elected leader of the failover epoch (or abort after the
//                       election timeout); SENTINEL FAILOVER skips the election
//   select_slave        pick the replica to promote (sentinelSelectSlave); none: abort
//   send_slaveof_noone  REPLICAOF NO ONE to it (inside MULTI, with CONFIG REWRITE and CLIENT KILL)
//   wait_promotion      until its INFO says role:master (onReplicaInfo), or failover-timeout
//   reconf_slaves       REPLICAOF <promoted> to the other replicas, parallel-syncs at a time,
//                       until each reports the new master and a link that is up
//   update_config       the timer switches the master to the promoted replica's address
//
// The INFO replies of replicas drive the transitions, and also repair replicas outside a
// failover: a replica that turned master on its own is converted back, one that follows another
// master is re-pointed (+convert-to-slave, +fix-slave-config).
import { sameHost, type Address, type Instance } from './instance.js';
import type { Sentinel } from './sentinel.js';
import { getLeader } from './leader-election.js';
import { forceHelloUpdate } from './hello.js';

/** sentinelStartFailoverIfNeeded: true when a failover just started. */
export function startFailoverIfNeeded(sentinel: Sentinel, master: Instance): boolean {
  if (!master.odown || master.failoverInProgress) return false;
  // After a failover attempt (ours or a vote for another), wait twice the failover timeout.
  if (Date.now() - master.failoverStartTime < master.failoverTimeout * 2) {
    if (master.failoverDelayLogged !== master.failoverStartTime) {
      master.failoverDelayLogged = master.failoverStartTime;
      const when = ctime(new Date(master.failoverStartTime + master.failoverTimeout * 2));
      sentinel.server.logger.warning(`Next failover delay: I will not start a failover before ${when}`);
    }
    return false;
  }
  startFailover(sentinel, master);
  return true;
}

/** sentinelStartFailover. */
export function startFailover(sentinel: Sentinel, master: Instance): void {
  master.failoverState = 'wait_start';
  master.failoverInProgress = true;
  master.failoverEpoch = ++sentinel.currentEpoch;
  sentinel.event('warning', '+new-epoch', master, String(sentinel.currentEpoch));
  sentinel.event('warning', '+try-failover', master, '%@');
  master.failoverStartTime = Date.now() + Math.floor(Math.random() * 1000);
  master.failoverStateChangeTime = Date.now();
}

/** sentinelFailoverStateMachine. */
export function failoverStateMachine(sentinel: Sentinel, master: Instance): void {
  if (!master.failoverInProgress) return;
  switch (master.failoverState) {
    case 'wait_start':
      return failoverWaitStart(sentinel, master);
    case 'select_slave':
      return failoverSelectSlave(sentinel, master);
    case 'send_slaveof_noone':
      return failoverSendSlaveOfNoOne(sentinel, master);
    case 'wait_promotion':
      return failoverWaitPromotion(sentinel, master);
    case 'reconf_slaves':
      return failoverReconfNextSlave(sentinel, master);
    default:
      return;
  }
}

function setState(master: Instance, state: Instance['failoverState']): void {
  master.failoverState = state;
  master.failoverStateChangeTime = Date.now();
}

/** sentinelAbortFailover. */
export function abortFailover(master: Instance): void {
  master.failoverInProgress = false;
  master.forceFailover = false;
  setState(master, 'none');
  if (master.promotedSlave) {
    master.promotedSlave.promoted = false;
    master.promotedSlave = null;
  }
}

function failoverWaitStart(sentinel: Sentinel, master: Instance): void {
  const leader = getLeader(sentinel, master, master.failoverEpoch);
  const isLeader = leader !== null && leader === sentinel.myid;
  if (!isLeader && !master.forceFailover) {
    const electionTimeout = Math.min(sentinel.timers.electionTimeout, master.failoverTimeout);
    if (Date.now() - master.failoverStartTime > electionTimeout) {
      sentinel.event('warning', '-failover-abort-not-elected', master, '%@');
      abortFailover(master);
    }
    return;
  }
  sentinel.event('warning', '+elected-leader', master, '%@');
  if (sentinel.simulated.crashAfterElection) sentinel.crash();
  setState(master, 'select_slave');
  sentinel.event('warning', '+failover-state-select-slave', master, '%@');
}

/**
 * sentinelSelectSlave: among the replicas that are up, answered recently, have a fresh INFO, were
 * not cut from the master for too long and have a priority other than 0, the one with the lowest
 * priority, then the greatest replication offset, then the smallest run id.
 */
export function selectSlave(sentinel: Sentinel, master: Instance): Instance | null {
  const now = Date.now();
  const ping = sentinel.timers.pingPeriod;
  let maxMasterDownTime = 0;
  if (master.sdown) maxMasterDownTime += now - master.sDownSinceTime;
  maxMasterDownTime += master.downAfterPeriod * 10;
  const candidates: Instance[] = [];
  for (const slave of master.slaves.values()) {
    if (slave.sdown || slave.odown) continue;
    if (slave.disconnected) continue;
    if (now - slave.link!.lastAvailTime > ping * 5) continue;
    if (slave.slavePriority === 0) continue;
    const infoValidity = master.sdown ? ping * 5 : sentinel.timers.infoPeriod * 3;
    if (now - slave.infoRefresh > infoValidity) continue;
    if (slave.masterLinkDownTime > maxMasterDownTime) continue;
    candidates.push(slave);
  }
  candidates.sort(compareSlavesForPromotion);
  return candidates[0] ?? null;
}

function compareSlavesForPromotion(a: Instance, b: Instance): number {
  if (a.slavePriority !== b.slavePriority) return a.slavePriority - b.slavePriority;
  if (a.slaveReplOffset !== b.slaveReplOffset) return a.slaveReplOffset > b.slaveReplOffset ? -1 : 1;
  // A replica without a run id (an old Redis) sorts last.
  if (a.runid === null) return b.runid === null ? 0 : 1;
  if (b.runid === null) return -1;
  return a.runid.toLowerCase() < b.runid.toLowerCase() ? -1 : a.runid.toLowerCase() > b.runid.toLowerCase() ? 1 : 0;
}

function failoverSelectSlave(sentinel: Sentinel, master: Instance): void {
  const slave = selectSlave(sentinel, master);
  if (!slave) {
    sentinel.event('warning', '-failover-abort-no-good-slave', master, '%@');
    abortFailover(master);
    return;
  }
  sentinel.event('warning', '+selected-slave', slave, '%@');
  slave.promoted = true;
  master.promotedSlave = slave;
  setState(master, 'send_slaveof_noone');
  sentinel.event('notice', '+failover-state-send-slaveof-noone', slave, '%@');
}

function failoverSendSlaveOfNoOne(sentinel: Sentinel, master: Instance): void {
  const promoted = master.promotedSlave!;
  if (promoted.disconnected) {
    if (Date.now() - master.failoverStateChangeTime > master.failoverTimeout) {
      sentinel.event('warning', '-failover-abort-slave-timeout', master, '%@');
      abortFailover(master);
    }
    return;
  }
  if (!sendSlaveOf(sentinel, promoted, null)) return;
  sentinel.event('notice', '+failover-state-wait-promotion', promoted, '%@');
  setState(master, 'wait_promotion');
}

function failoverWaitPromotion(sentinel: Sentinel, master: Instance): void {
  if (Date.now() - master.failoverStateChangeTime > master.failoverTimeout) {
    sentinel.event('warning', '-failover-abort-slave-timeout', master, '%@');
    abortFailover(master);
  }
}

/** sentinelFailoverReconfNextSlave: REPLICAOF the promoted replica, parallel-syncs at a time. */
function failoverReconfNextSlave(sentinel: Sentinel, master: Instance): void {
  const slaves = [...master.slaves.values()];
  let inProgress = slaves.filter((s) => s.reconfSent || s.reconfInprog).length;
  for (const slave of slaves) {
    if (inProgress >= master.parallelSyncs) break;
    if (slave.promoted || slave.reconfDone) continue;
    // A replica that does not move on in time is considered done: the Sentinels fix it later.
    if (slave.reconfSent && Date.now() - slave.slaveReconfSentTime > sentinel.timers.slaveReconfTimeout) {
      sentinel.event('notice', '-slave-reconf-sent-timeout', slave, '%@');
      slave.reconfSent = false;
      slave.reconfDone = true;
    }
    if (slave.reconfSent || slave.reconfInprog) continue;
    if (slave.disconnected) continue;
    if (sendSlaveOf(sentinel, slave, master.promotedSlave!.addr)) {
      slave.reconfSent = true;
      slave.slaveReconfSentTime = Date.now();
      sentinel.event('notice', '+slave-reconf-sent', slave, '%@');
      inProgress++;
    }
  }
  failoverDetectEnd(sentinel, master);
}

/** sentinelFailoverDetectEnd. */
function failoverDetectEnd(sentinel: Sentinel, master: Instance): void {
  const promoted = master.promotedSlave;
  if (!promoted || promoted.sdown) return;
  let notReconfigured = 0;
  for (const slave of master.slaves.values()) {
    if (slave.promoted || slave.reconfDone || slave.sdown) continue;
    notReconfigured++;
  }
  let timeout = false;
  if (Date.now() - master.failoverStateChangeTime > master.failoverTimeout) {
    notReconfigured = 0;
    timeout = true;
    sentinel.event('warning', '+failover-end-for-timeout', master, '%@');
  }
  if (notReconfigured === 0) {
    sentinel.event('warning', '+failover-end', master, '%@');
    setState(master, 'update_config');
  }
  if (timeout) {
    // Best effort for the replicas that never got the command.
    for (const slave of master.slaves.values()) {
      if (slave.promoted || slave.reconfDone || slave.reconfSent || slave.disconnected) continue;
      if (sendSlaveOf(sentinel, slave, promoted.addr)) {
        sentinel.event('notice', '+slave-reconf-sent-be', slave, '%@');
        slave.reconfSent = true;
      }
    }
  }
}

/** sentinelFailoverSwitchToPromotedSlave. */
export function failoverSwitchToPromotedSlave(sentinel: Sentinel, master: Instance): void {
  const ref = master.promotedSlave ?? master;
  sentinel.event(
    'warning',
    '+switch-master',
    master,
    `${master.name} ${sentinel.announce(master.addr)} ${master.addr.port} ${sentinel.announce(ref.addr)} ${ref.addr.port}`,
  );
  sentinel.resetMasterAndChangeAddress(master, ref.addr.hostname, ref.addr.port);
}

/**
 * sentinelSendSlaveOf: REPLICAOF host port (NO ONE when `addr` is null) in a transaction with
 * CONFIG REWRITE (so the change survives a restart) and CLIENT KILL of normal and pub/sub
 * clients (so they reconnect and find out the new role). True when it was sent.
 */
export function sendSlaveOf(sentinel: Sentinel, ri: Instance, addr: Address | null): boolean {
  const cc = ri.link?.cc;
  if (!cc || ri.link!.disconnected) return false;
  const [host, port] = addr ? [sentinel.announce(addr), String(addr.port)] : ['NO', 'ONE'];
  const map = (name: string) => sentinel.mapCommand(ri, name);
  cc.send([map('MULTI')]);
  cc.send([map('SLAVEOF'), host, port]);
  cc.send([map('CONFIG'), 'REWRITE']);
  cc.send([map('CLIENT'), 'KILL', 'TYPE', 'normal']);
  cc.send([map('CLIENT'), 'KILL', 'TYPE', 'pubsub']);
  cc.send([map('EXEC')]);
  return true;
}

/** sentinelMasterLooksSane. */
function masterLooksSane(sentinel: Sentinel, master: Instance): boolean {
  return (
    master.roleReported === 'master' && !master.sdown && !master.odown && Date.now() - master.infoRefresh < sentinel.timers.infoPeriod * 2
  );
}

/** sentinelRedisInstanceNoDownFor: not SDOWN (nor disconnected) for at least `ms`. */
function noDownFor(ri: Instance, ms: number): boolean {
  let mostRecent = ri.sDownSinceTime;
  const link = ri.link!;
  if (link.disconnected && link.lastAvailTime > mostRecent) mostRecent = link.lastAvailTime;
  return mostRecent === 0 || Date.now() - mostRecent > ms;
}

/** The part of sentinelRefreshInstanceInfo about replicas, once INFO told their role. */
export function onReplicaInfo(sentinel: Sentinel, ri: Instance, role: 'master' | 'slave'): void {
  const master = ri.master!;
  if (role === 'master') {
    if (ri.promoted && master.failoverInProgress && master.failoverState === 'wait_promotion') {
      // Our promotion worked: the failover epoch becomes the master's configuration epoch.
      master.configEpoch = master.failoverEpoch;
      setState(master, 'reconf_slaves');
      sentinel.flushConfig();
      sentinel.event('warning', '+promoted-slave', ri, '%@');
      if (sentinel.simulated.crashAfterPromotion) sentinel.crash();
      sentinel.event('warning', '+failover-state-reconf-slaves', master, '%@');
      sentinel.callClientReconfScript(master, 'leader', master.addr, ri.addr);
      forceHelloUpdate(sentinel, master);
    } else {
      // A replica turned master on its own: after a while (so a newer configuration can reach
      // us first), make it a replica of our master again.
      const wait = sentinel.timers.publishPeriod * 4;
      if (!ri.promoted && masterLooksSane(sentinel, master) && noDownFor(ri, wait) && Date.now() - ri.roleReportedTime > wait) {
        if (sendSlaveOf(sentinel, ri, master.addr)) sentinel.event('notice', '+convert-to-slave', ri, '%@');
      }
    }
    return;
  }
  // A replica of another master is re-pointed, once the master looks sane.
  if (ri.slaveMasterPort !== master.addr.port || !sameHost(master.addr, ri.slaveMasterHost)) {
    const wait = master.failoverTimeout;
    if (masterLooksSane(sentinel, master) && noDownFor(ri, wait) && Date.now() - ri.slaveConfChangeTime > wait) {
      if (sendSlaveOf(sentinel, ri, master.addr)) sentinel.event('notice', '+fix-slave-config', ri, '%@');
    }
  }
  // A replica being re-pointed during the failover: sent -> in progress -> done.
  if (ri.reconfSent || ri.reconfInprog) {
    const promoted = master.promotedSlave;
    if (ri.reconfSent && promoted && sameHost(promoted.addr, ri.slaveMasterHost) && ri.slaveMasterPort === promoted.addr.port) {
      ri.reconfSent = false;
      ri.reconfInprog = true;
      sentinel.event('notice', '+slave-reconf-inprog', ri, '%@');
    }
    if (ri.reconfInprog && ri.slaveMasterLinkStatusUp) {
      ri.reconfInprog = false;
      ri.reconfDone = true;
      sentinel.event('notice', '+slave-reconf-done', ri, '%@');
    }
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ctime(3) without the newline: "Mon Dec  7 15:31:55 2026". */
function ctime(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${d.getFullYear()}`;
}
