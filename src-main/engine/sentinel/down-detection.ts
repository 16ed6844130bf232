// Is an instance down? (sentinel.c's sentinelCheckSubjectivelyDown, sentinelCheckObjectivelyDown
// and sentinelAskMasterStateToOtherSentinels.)
//  - SDOWN, subjectively down: no acceptable PING reply for down-after-milliseconds; or a master
//    that has reported itself a replica for too long; or, for master-reboot-down-after-period
//    after a master restarted (a new run id), that master.
//  - ODOWN, objectively down (masters only): SDOWN here, and enough other Sentinels (with us,
//    at least the quorum) replied to SENTINEL IS-MASTER-DOWN-BY-ADDR that it is down for them too.
// The same question, asked with our run id during a failover, is the request for a vote.
import { ReplyError } from '../protocol/reply-parser.js';
import { INFO_VALIDITY_TIME } from './constants.js';
import type { Instance } from './instance.js';
import type { Sentinel } from './sentinel.js';

/** sentinelCheckSubjectivelyDown. */
export function checkSubjectivelyDown(sentinel: Sentinel, ri: Instance): void {
  const link = ri.link!;
  const now = Date.now();
  const timers = sentinel.timers;
  let elapsed = 0;
  if (link.actPingTime) elapsed = now - link.actPingTime;
  else if (link.disconnected) elapsed = now - link.lastAvailTime;

  // A link that looks stuck (connected, but half the down period without a PONG) is closed and
  // reopened, in case the connection rather than the instance is the problem.
  if (
    link.cc &&
    now - link.ccConnTime > timers.minLinkReconnectPeriod &&
    link.actPingTime !== 0 &&
    now - link.actPingTime > ri.downAfterPeriod / 2 &&
    now - link.lastPongTime > ri.downAfterPeriod / 2
  ) {
    link.cc.close();
    link.cc = null;
    link.disconnected = true;
  }
  // The same for a pub/sub link that heard nothing for three hello periods.
  if (link.pc && now - link.pcConnTime > timers.minLinkReconnectPeriod && now - link.pcLastActivity > timers.publishPeriod * 3) {
    link.pc.close();
    link.pc = null;
    link.disconnected = true;
  }

  const down =
    elapsed > ri.downAfterPeriod ||
    (ri.kind === 'master' && ri.roleReported === 'slave' && now - ri.roleReportedTime > ri.downAfterPeriod + timers.infoPeriod * 2) ||
    (ri.masterRebootSince !== 0 && now - ri.masterRebootSince < ri.masterRebootDownAfterPeriod);
  if (down) {
    if (!ri.sdown) {
      sentinel.event('warning', '+sdown', ri, '%@');
      ri.sDownSinceTime = now;
      ri.sdown = true;
    }
  } else if (ri.sdown) {
    sentinel.event('warning', '-sdown', ri, '%@');
    ri.sdown = false;
    ri.scriptKillSent = false;
  }
}

/** sentinelCheckObjectivelyDown. */
export function checkObjectivelyDown(sentinel: Sentinel, master: Instance): void {
  let quorum = 0;
  let odown = false;
  if (master.sdown) {
    quorum = 1;
    for (const peer of master.sentinels.values()) if (peer.masterDown) quorum++;
    if (quorum >= master.quorum) odown = true;
  }
  if (odown) {
    if (!master.odown) {
      sentinel.event('warning', '+odown', master, `%@ #quorum ${quorum}/${master.quorum}`);
      master.odown = true;
      master.oDownSinceTime = Date.now();
    }
  } else if (master.odown) {
    sentinel.event('warning', '-odown', master, '%@');
    master.odown = false;
  }
}

/**
 * sentinelAskMasterStateToOtherSentinels: while the master is SDOWN here, ask every other
 * Sentinel once per ask period (at once when `forced`) whether it is down for them; during our
 * failover the request carries our run id and asks for their vote.
 */
export function askMasterStateToOtherSentinels(sentinel: Sentinel, master: Instance, forced: boolean): void {
  const now = Date.now();
  for (const peer of master.sentinels.values()) {
    const elapsed = now - peer.lastMasterDownReplyTime;
    // An old answer is forgotten: the peer must tell us again.
    if (elapsed > INFO_VALIDITY_TIME) {
      peer.masterDown = false;
      peer.leader = null;
    }
    if (!master.sdown) continue;
    const link = peer.link!;
    if (link.disconnected || !link.cc) continue;
    if (!forced && elapsed < sentinel.timers.askPeriod) continue;
    link.cc.send(
      [
        'SENTINEL',
        'is-master-down-by-addr',
        sentinel.announce(master.addr),
        String(master.addr.port),
        String(sentinel.currentEpoch),
        master.failoverState !== 'none' ? sentinel.myid : '*',
      ],
      (reply) => {
        // sentinelReceiveIsMasterDownReply: [down (0/1), leader run id or "*", leader epoch].
        if (reply instanceof ReplyError || !Array.isArray(reply) || reply.length !== 3) return;
        const [down, leader, leaderEpoch] = reply;
        if (typeof down !== 'number' || typeof leader !== 'string' || typeof leaderEpoch !== 'number') return;
        peer.lastMasterDownReplyTime = Date.now();
        peer.masterDown = down === 1;
        if (leader !== '*') {
          if (peer.leaderEpoch !== leaderEpoch) sentinel.server.logger.warning(`${peer.name} voted for ${leader} ${leaderEpoch}`);
          peer.leader = leader;
          peer.leaderEpoch = leaderEpoch;
        }
      },
    );
  }
}
