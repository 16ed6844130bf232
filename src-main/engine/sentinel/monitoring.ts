// Keeping in touch with every instance (sentinel.c's sentinelReconnectInstance,
// sentinelSendPeriodicCommands, sentinelPingReplyCallback and sentinelRefreshInstanceInfo): the
// links are (re)opened at most once per PING period, PING goes out every second (or every
// down-after-milliseconds when shorter), INFO every 10 s (every second for the replicas of a
// master that is down or failing over), and each INFO reply updates what Sentinel knows: the
// run id, the role, the replicas a master lists, what a replica says of its master. The INFO
// reply is also where a failover sees its replica promoted and its replicas re-pointed.
import type { Reply } from '../protocol/reply-parser.js';
import { ReplyError } from '../protocol/reply-parser.js';
import type { Sentinel } from './sentinel.js';
import { sameHost, type Instance } from './instance.js';
import { RespConnection } from './instance-link.js';
import { HELLO_CHANNEL, MAX_PENDING_COMMANDS } from './constants.js';
import { receiveHello, sendHello } from './hello.js';
import { askMasterStateToOtherSentinels, checkObjectivelyDown, checkSubjectivelyDown } from './down-detection.js';
import { failoverStateMachine, startFailoverIfNeeded, onReplicaInfo } from './failover.js';

/** sentinelHandleRedisInstance: one instance's turn in the timer. */
export function handleInstance(sentinel: Sentinel, ri: Instance): void {
  reconnectInstance(sentinel, ri);
  sendPeriodicCommands(sentinel, ri);
  if (sentinel.tilt) {
    if (Date.now() - sentinel.tiltStartTime < sentinel.timers.tiltPeriod) return;
    sentinel.tilt = false;
    sentinel.event('warning', '-tilt', null, '#tilt mode exited');
  }
  checkSubjectivelyDown(sentinel, ri);
  if (ri.kind === 'master') {
    checkObjectivelyDown(sentinel, ri);
    if (startFailoverIfNeeded(sentinel, ri)) askMasterStateToOtherSentinels(sentinel, ri, true);
    failoverStateMachine(sentinel, ri);
    askMasterStateToOtherSentinels(sentinel, ri, false);
  }
}

/** AUTH with the master's auth-user/auth-pass, or sentinel-user/-pass towards other Sentinels. */
function sendAuthIfNeeded(sentinel: Sentinel, ri: Instance, conn: RespConnection): void {
  const master = ri.kind === 'master' ? ri : ri.master!;
  const [user, pass] = ri.kind === 'sentinel' ? [sentinel.sentinelUser, sentinel.sentinelPass] : [master.authUser, master.authPass];
  if (!pass) return;
  conn.send(user ? [sentinel.mapCommand(ri, 'AUTH'), user, pass] : [sentinel.mapCommand(ri, 'AUTH'), pass]);
}

/** CLIENT SETNAME sentinel-<first 8 chars of our id>-<cmd|pubsub>, so `CLIENT LIST` shows who we are. */
function setClientName(sentinel: Sentinel, ri: Instance, conn: RespConnection, type: 'cmd' | 'pubsub'): void {
  conn.send([sentinel.mapCommand(ri, 'CLIENT'), 'SETNAME', `sentinel-${sentinel.myid.slice(0, 8)}-${type}`]);
}

/** sentinelReconnectInstance. */
function reconnectInstance(sentinel: Sentinel, ri: Instance): void {
  const link = ri.link!;
  if (!link.disconnected || ri.addr.port === 0) return;
  const now = Date.now();
  if (now - link.lastReconnTime < sentinel.timers.pingPeriod) return;
  link.lastReconnTime = now;
  const onClose = (conn: RespConnection): void => {
    // instanceLinkConnectionError: the link is down until the next reconnection.
    if (link.cc === conn) link.cc = null;
    if (link.pc === conn) link.pc = null;
    link.disconnected = true;
  };
  if (!link.cc) {
    const cc = new RespConnection(ri.addr.ip, ri.addr.port, onClose);
    link.cc = cc;
    link.ccConnTime = Date.now();
    sendAuthIfNeeded(sentinel, ri, cc);
    setClientName(sentinel, ri, cc, 'cmd');
    sendPing(sentinel, ri);
  }
  if (ri.kind !== 'sentinel' && !link.pc) {
    const pc = new RespConnection(ri.addr.ip, ri.addr.port, onClose);
    link.pc = pc;
    link.pcConnTime = Date.now();
    link.pcLastActivity = Date.now();
    sendAuthIfNeeded(sentinel, ri, pc);
    setClientName(sentinel, ri, pc, 'pubsub');
    pc.send([sentinel.mapCommand(ri, 'SUBSCRIBE'), HELLO_CHANNEL], () => {
      // The subscription is confirmed: from now on the connection only receives messages.
      pc.onPush = (message) => {
        link.pcLastActivity = Date.now();
        receiveHello(sentinel, ri, message);
      };
    });
  }
  if (link.cc && (ri.kind === 'sentinel' || link.pc)) link.disconnected = false;
}

/** sentinelSendPing: PING on the command link; true when it went out. */
export function sendPing(sentinel: Sentinel, ri: Instance): boolean {
  const link = ri.link!;
  if (!link.cc) return false;
  link.cc.send([sentinel.mapCommand(ri, 'PING')], (reply) => pingReply(sentinel, ri, reply));
  link.lastPingTime = Date.now();
  // The oldest unanswered PING is what tells how long the instance has been silent.
  if (link.actPingTime === 0) link.actPingTime = link.lastPingTime;
  return true;
}

/** sentinelPingReplyCallback. */
function pingReply(sentinel: Sentinel, ri: Instance, reply: Reply): void {
  const link = ri.link!;
  const text = reply instanceof ReplyError ? reply.message : typeof reply === 'string' ? reply : null;
  if (text !== null) {
    if (text.startsWith('PONG') || text.startsWith('LOADING') || text.startsWith('MASTERDOWN')) {
      link.lastAvailTime = Date.now();
      link.actPingTime = 0;
    } else if (text.startsWith('BUSY') && ri.sdown && !ri.scriptKillSent) {
      // A script is stuck: SCRIPT KILL may bring the instance back without a failover.
      link.cc?.send([sentinel.mapCommand(ri, 'SCRIPT'), 'KILL']);
      ri.scriptKillSent = true;
    }
  }
  link.lastPongTime = Date.now();
}

/** sentinelSendPeriodicCommands. */
function sendPeriodicCommands(sentinel: Sentinel, ri: Instance): void {
  const link = ri.link!;
  if (link.disconnected || !link.cc) return;
  // A slow instance must not make us pile up commands (SENTINEL_MAX_PENDING_COMMANDS).
  if (link.pendingCommands >= MAX_PENDING_COMMANDS) return;
  const now = Date.now();
  const timers = sentinel.timers;
  let infoPeriod = timers.infoPeriod;
  if (ri.kind === 'slave' && (ri.master!.odown || ri.master!.failoverInProgress || ri.masterLinkDownTime)) infoPeriod = 1000;
  const pingPeriod = Math.min(ri.downAfterPeriod, timers.pingPeriod);
  if (ri.kind !== 'sentinel' && (ri.infoRefresh === 0 || now - ri.infoRefresh > infoPeriod)) {
    link.cc.send([sentinel.mapCommand(ri, 'INFO')], (reply) => {
      if (typeof reply === 'string') refreshInstanceInfo(sentinel, ri, reply);
    });
  }
  if (now - link.lastPongTime > pingPeriod && now - link.lastPingTime > pingPeriod / 2) sendPing(sentinel, ri);
  if (now - ri.lastPubTime > timers.publishPeriod) sendHello(sentinel, ri);
}

/** What INFO says of an instance, as sentinelRefreshInstanceInfo reads it. */
interface ParsedInfo {
  runid: string | null;
  role: 'master' | 'slave' | null;
  replicas: { ip: string; port: number }[];
  masterLinkDownTime: number;
  masterHost: string | null;
  masterPort: number | null;
  masterLinkUp: boolean;
  slavePriority: number | null;
  slaveReplOffset: number | null;
  replicaAnnounced: boolean | null;
}

export function parseInfo(text: string): ParsedInfo {
  const info: ParsedInfo = {
    runid: null,
    role: null,
    replicas: [],
    masterLinkDownTime: 0,
    masterHost: null,
    masterPort: null,
    masterLinkUp: false,
    slavePriority: null,
    slaveReplOffset: null,
    replicaAnnounced: null,
  };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.length >= 47 && line.startsWith('run_id:')) info.runid = line.slice(7, 47);
    else if (/^slave\d+:/.test(line)) {
      const body = line.slice(line.indexOf(':') + 1);
      if (body.includes('ip=')) {
        // slave0:ip=127.0.0.1,port=6380,state=online,offset=...,lag=...
        const fields = new Map(body.split(',').map((kv) => kv.split('=') as [string, string]));
        const ip = fields.get('ip');
        const port = fields.get('port');
        if (ip !== undefined && port !== undefined) info.replicas.push({ ip, port: Number.parseInt(port, 10) });
      } else {
        // The old format: slave0:<ip>,<port>,<state>.
        const [ip, port] = body.split(',');
        if (ip !== undefined && port !== undefined) info.replicas.push({ ip, port: Number.parseInt(port, 10) });
      }
    } else if (line.startsWith('master_link_down_since_seconds:')) {
      info.masterLinkDownTime = Number.parseInt(line.slice(31), 10) * 1000;
    } else if (line === 'role:master') info.role = 'master';
    else if (line === 'role:slave') info.role = 'slave';
    else if (line.startsWith('master_host:')) info.masterHost = line.slice(12);
    else if (line.startsWith('master_port:')) info.masterPort = Number.parseInt(line.slice(12), 10);
    else if (line.startsWith('master_link_status:')) info.masterLinkUp = line.slice(19) === 'up';
    else if (line.startsWith('slave_priority:')) info.slavePriority = Number.parseInt(line.slice(15), 10);
    else if (line.startsWith('slave_repl_offset:')) info.slaveReplOffset = Number(line.slice(18));
    else if (line.startsWith('replica_announced:')) info.replicaAnnounced = line.slice(18) === '1';
  }
  return info;
}

/** sentinelRefreshInstanceInfo. */
export function refreshInstanceInfo(sentinel: Sentinel, ri: Instance, text: string): void {
  const info = parseInfo(text);
  ri.info = text;
  ri.masterLinkDownTime = info.masterLinkDownTime;
  if (info.runid !== null && ri.runid !== info.runid) {
    if (ri.runid !== null) {
      sentinel.event('notice', '+reboot', ri, '%@');
      if (ri.kind === 'master' && ri.masterRebootDownAfterPeriod !== 0) ri.masterRebootSince = Date.now();
    }
    ri.runid = info.runid;
  }
  if (ri.kind === 'master' && info.role === 'master') {
    for (const { ip, port } of info.replicas) {
      if (Number.isNaN(port)) continue;
      if (lookupReplica(ri, ip, port)) continue;
      const slave = sentinel.createReplica(ri, ip, port);
      if (typeof slave !== 'string') {
        sentinel.event('notice', '+slave', slave, '%@');
        sentinel.flushConfig();
      }
    }
  }
  if (info.role === 'slave') {
    if (info.masterHost !== null && ri.slaveMasterHost !== info.masterHost) {
      ri.slaveMasterHost = info.masterHost;
      ri.slaveConfChangeTime = Date.now();
    }
    if (info.masterPort !== null && ri.slaveMasterPort !== info.masterPort) {
      ri.slaveMasterPort = info.masterPort;
      ri.slaveConfChangeTime = Date.now();
    }
    ri.slaveMasterLinkStatusUp = info.masterLinkUp;
    if (info.slavePriority !== null) ri.slavePriority = info.slavePriority;
    if (info.slaveReplOffset !== null) ri.slaveReplOffset = info.slaveReplOffset;
    if (info.replicaAnnounced !== null) ri.replicaAnnounced = info.replicaAnnounced;
  }
  ri.infoRefresh = Date.now();
  const role = info.role;
  if (role === null) return;
  if (role !== ri.roleReported) {
    ri.roleReportedTime = Date.now();
    ri.roleReported = role;
    if (role === 'slave') ri.slaveConfChangeTime = Date.now();
    const coherent = (ri.kind === 'master' && role === 'master') || (ri.kind === 'slave' && role === 'slave');
    sentinel.event('verbose', coherent ? '+role-change' : '-role-change', ri, `%@ new reported role is ${role}`);
  }
  // Nothing below runs in TILT: what we see may be stale.
  if (sentinel.tilt) return;
  if (ri.kind === 'slave') onReplicaInfo(sentinel, ri, role);
}

function lookupReplica(master: Instance, ip: string, port: number): Instance | undefined {
  for (const slave of master.slaves.values()) if (sameHost(slave.addr, ip) && slave.addr.port === port) return slave;
  return undefined;
}
