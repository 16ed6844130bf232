// The `sentinel ...` lines of a Sentinel's config file (sentinel.c sentinelHandleConfiguration)
// and the lines a config rewrite writes back (rewriteConfigSentinelOption): the monitored
// masters and their settings, the global options, and the state Sentinel must keep across
// restarts (its id, the epochs, the replicas and sentinels it discovered).
import { catRepr } from '../protocol/sds-quoting.js';
import type { Sentinel } from './sentinel.js';
import { executable } from './sentinel-settings.js';

const RUN_ID_SIZE = 40;

function yesNo(value: string): boolean | null {
  const v = value.toLowerCase();
  return v === 'yes' ? true : v === 'no' ? false : null;
}

/** Applies one `sentinel` line (without the word "sentinel"); returns Redis's error text, or null. */
export function applySentinelLine(sentinel: Sentinel, argv: string[]): string | null {
  const name = argv[0]!.toLowerCase();
  const argc = argv.length;
  const master = (): ReturnType<Sentinel['masters']['get']> => sentinel.masters.get(argv[1]!);
  const time = (value: string): number | null => {
    const n = Number.parseInt(value, 10);
    return Number.isNaN(n) || n <= 0 ? null : n;
  };
  if (name === 'monitor' && argc === 5) {
    const quorum = Number.parseInt(argv[4]!, 10) || 0;
    if (quorum <= 0) return 'Quorum must be 1 or greater.';
    const created = sentinel.createMaster(argv[1]!, argv[2]!, Number.parseInt(argv[3]!, 10) || 0, quorum);
    if (typeof created === 'string') return configErrorFor(created);
  } else if (
    (name === 'down-after-milliseconds' || name === 'failover-timeout' || name === 'master-reboot-down-after-period') &&
    argc === 3
  ) {
    const ri = master();
    if (!ri) return 'No such master with specified name.';
    const ms = time(argv[2]!);
    if (ms === null) return 'negative or zero time parameter.';
    if (name === 'down-after-milliseconds') sentinel.setDownAfter(ri, ms);
    else if (name === 'failover-timeout') ri.failoverTimeout = ms;
    else ri.masterRebootDownAfterPeriod = ms;
  } else if (name === 'parallel-syncs' && argc === 3) {
    const ri = master();
    if (!ri) return 'No such master with specified name.';
    ri.parallelSyncs = Number.parseInt(argv[2]!, 10) || 0;
  } else if ((name === 'notification-script' || name === 'client-reconfig-script') && argc === 3) {
    const ri = master();
    if (!ri) return 'No such master with specified name.';
    if (!executable(argv[2]!)) {
      return name === 'notification-script'
        ? 'Notification script seems non existing or non executable.'
        : 'Client reconfiguration script seems non existing or non executable.';
    }
    if (name === 'notification-script') ri.notificationScript = argv[2]!;
    else ri.clientReconfigScript = argv[2]!;
  } else if ((name === 'auth-pass' || name === 'auth-user') && argc === 3) {
    const ri = master();
    if (!ri) return 'No such master with specified name.';
    if (name === 'auth-pass') ri.authPass = argv[2]!;
    else ri.authUser = argv[2]!;
  } else if (name === 'current-epoch' && argc === 2) {
    const epoch = Number(argv[1]);
    if (epoch > sentinel.currentEpoch) sentinel.currentEpoch = epoch;
  } else if (name === 'myid' && argc === 2) {
    if (argv[1]!.length !== RUN_ID_SIZE) return 'Malformed Sentinel id in myid option.';
    sentinel.myid = argv[1]!;
  } else if ((name === 'config-epoch' || name === 'leader-epoch') && argc === 3) {
    const ri = master();
    if (!ri) return 'No such master with specified name.';
    const epoch = Number(argv[2]);
    if (name === 'config-epoch') {
      ri.configEpoch = epoch;
      // A config epoch greater than the current epoch is impossible: fix the current epoch.
      if (epoch > sentinel.currentEpoch) sentinel.currentEpoch = epoch;
    } else ri.leaderEpoch = epoch;
  } else if ((name === 'known-slave' || name === 'known-replica') && argc === 4) {
    const ri = master();
    if (!ri) return 'No such master with specified name.';
    if (typeof sentinel.createReplica(ri, argv[2]!, Number.parseInt(argv[3]!, 10) || 0) === 'string') {
      return 'Wrong hostname or port for replica.';
    }
  } else if (name === 'known-sentinel' && (argc === 4 || argc === 5)) {
    const ri = master();
    if (!ri) return 'No such master with specified name.';
    const si = sentinel.createSentinelPeer(ri, argv[4] ?? null, argv[2]!, Number.parseInt(argv[3]!, 10) || 0);
    if (typeof si === 'string') return 'Wrong hostname or port for sentinel.';
    if (argc === 5) si.runid = argv[4]!;
  } else if (name === 'rename-command' && argc === 4) {
    const ri = master();
    if (!ri) return 'No such master with specified name.';
    sentinel.renamedCommands(ri).set(argv[2]!.toLowerCase(), argv[3]!);
  } else if (name === 'announce-ip' && argc === 2) {
    if (argv[1]!.length) sentinel.announceIp = argv[1]!;
  } else if (name === 'announce-port' && argc === 2) {
    sentinel.announcePort = Number.parseInt(argv[1]!, 10) || 0;
  } else if (name === 'deny-scripts-reconfig' && argc === 2) {
    const v = yesNo(argv[1]!);
    if (v === null) return 'Please specify yes or no for the deny-scripts-reconfig options.';
    sentinel.denyScriptsReconfig = v;
  } else if (name === 'sentinel-user' && argc === 2) {
    sentinel.sentinelUser = argv[1]!.length ? argv[1]! : null;
  } else if (name === 'sentinel-pass' && argc === 2) {
    sentinel.sentinelPass = argv[1]!.length ? argv[1]! : null;
  } else if (name === 'resolve-hostnames' && argc === 2) {
    const v = yesNo(argv[1]!);
    if (v === null) return 'Please specify yes or no for the resolve-hostnames option.';
    sentinel.resolveHostnames = v;
  } else if (name === 'announce-hostnames' && argc === 2) {
    const v = yesNo(argv[1]!);
    if (v === null) return 'Please specify yes or no for the announce-hostnames option.';
    sentinel.announceHostnames = v;
  } else {
    return 'Unrecognized sentinel configuration statement.';
  }
  return null;
}

/** createSentinelRedisInstance's errno, as sentinelHandleConfiguration words it. */
function configErrorFor(reason: string): string {
  if (reason === 'duplicate') return 'Duplicated master name.';
  if (reason === 'unresolvable') return "Can't resolve instance hostname.";
  return 'Invalid port number';
}

/**
 * The lines rewriteConfigSentinelOption produces, in its order: the id, each master's settings
 * and state, its known replicas and sentinels, then the global options and the current epoch.
 */
export function sentinelConfigLines(sentinel: Sentinel): string[] {
  const lines: string[] = [`sentinel myid ${sentinel.myid}`];
  if (sentinel.denyScriptsReconfig === false) lines.push('sentinel deny-scripts-reconfig no');
  if (sentinel.resolveHostnames) lines.push('sentinel resolve-hostnames yes');
  if (sentinel.announceHostnames) lines.push('sentinel announce-hostnames yes');
  for (const master of sentinel.masters.values()) {
    // The address to write is the one the failover is moving to, once the promotion is done.
    const addr = sentinel.currentMasterAddress(master);
    // Addresses are written as announced: the IP, or the hostname with announce-hostnames.
    lines.push(`sentinel monitor ${master.name} ${sentinel.announce(addr)} ${addr.port} ${master.quorum}`);
    if (master.downAfterPeriod !== sentinel.timers.defaultDownAfter) {
      lines.push(`sentinel down-after-milliseconds ${master.name} ${master.downAfterPeriod}`);
    }
    if (master.failoverTimeout !== sentinel.timers.defaultFailoverTimeout) {
      lines.push(`sentinel failover-timeout ${master.name} ${master.failoverTimeout}`);
    }
    if (master.parallelSyncs !== 1) lines.push(`sentinel parallel-syncs ${master.name} ${master.parallelSyncs}`);
    if (master.notificationScript) lines.push(`sentinel notification-script ${master.name} ${master.notificationScript}`);
    if (master.clientReconfigScript) lines.push(`sentinel client-reconfig-script ${master.name} ${master.clientReconfigScript}`);
    if (master.authPass) lines.push(`sentinel auth-pass ${master.name} ${catRepr(master.authPass)}`);
    if (master.authUser) lines.push(`sentinel auth-user ${master.name} ${catRepr(master.authUser)}`);
    if (master.masterRebootDownAfterPeriod) {
      lines.push(`sentinel master-reboot-down-after-period ${master.name} ${master.masterRebootDownAfterPeriod}`);
    }
    lines.push(`sentinel config-epoch ${master.name} ${master.configEpoch}`);
    lines.push(`sentinel leader-epoch ${master.name} ${master.leaderEpoch}`);
    for (const slave of master.slaves.values()) {
      // The replica being promoted is the master now: do not list it twice.
      let slaveAddr = slave.addr;
      if (slaveAddr.hostname === addr.hostname && slaveAddr.port === addr.port) slaveAddr = master.addr;
      if (slaveAddr.hostname === addr.hostname && slaveAddr.port === addr.port) continue;
      lines.push(`sentinel known-replica ${master.name} ${sentinel.announce(slaveAddr)} ${slaveAddr.port}`);
    }
    for (const peer of master.sentinels.values()) {
      if (peer.runid === null) continue;
      lines.push(`sentinel known-sentinel ${master.name} ${sentinel.announce(peer.addr)} ${peer.addr.port} ${peer.runid}`);
    }
    for (const [command, renamed] of sentinel.renamedCommands(master)) {
      lines.push(`sentinel rename-command ${master.name} ${command} ${renamed}`);
    }
  }
  if (sentinel.announceIp) lines.push(`sentinel announce-ip ${catRepr(sentinel.announceIp)}`);
  if (sentinel.announcePort) lines.push(`sentinel announce-port ${sentinel.announcePort}`);
  if (sentinel.sentinelUser) lines.push(`sentinel sentinel-user ${catRepr(sentinel.sentinelUser)}`);
  if (sentinel.sentinelPass) lines.push(`sentinel sentinel-pass ${catRepr(sentinel.sentinelPass)}`);
  lines.push(`sentinel current-epoch ${sentinel.currentEpoch}`);
  return lines;
}
