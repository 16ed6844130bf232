// How SENTINEL MASTER(S), REPLICAS and SENTINELS show an instance (sentinel.c's
// addReplySentinelRedisInstance): field/value pairs, a map in RESP3, in Redis's order.
import type { Client } from '../core/client.js';
import type { Instance } from './instance.js';
import type { Sentinel } from './sentinel.js';

/** addReplySentinelRedisInstance: an instance's state as field/value pairs. */
export function replyInstance(sentinel: Sentinel, client: Client, ri: Instance): void {
  const now = Date.now();
  const link = ri.link!;
  const fields: [string, string | number][] = [
    ['name', ri.name],
    ['ip', sentinel.announce(ri.addr)],
    ['port', ri.addr.port],
    ['runid', ri.runid ?? ''],
    ['flags', ri.flagsText()],
    ['link-pending-commands', link.pendingCommands],
    ['link-refcount', 1],
  ];
  fields.push(
    ['last-ping-sent', link.actPingTime ? now - link.actPingTime : 0],
    ['last-ok-ping-reply', now - link.lastAvailTime],
    ['last-ping-reply', now - link.lastPongTime],
  );
  if (ri.sdown) fields.push(['s-down-time', now - ri.sDownSinceTime]);
  if (ri.odown) fields.push(['o-down-time', now - ri.oDownSinceTime]);
  fields.push(['down-after-milliseconds', ri.downAfterPeriod]);
  if (ri.kind !== 'sentinel') {
    fields.push(
      ['info-refresh', now - ri.infoRefresh],
      ['role-reported', ri.roleReported],
      ['role-reported-time', now - ri.roleReportedTime],
    );
  }
  if (ri.kind === 'master') {
    fields.push(
      ['config-epoch', ri.configEpoch],
      ['num-slaves', ri.slaves.size],
      ['num-other-sentinels', ri.sentinels.size],
      ['quorum', ri.quorum],
      ['failover-timeout', ri.failoverTimeout],
      ['parallel-syncs', ri.parallelSyncs],
    );
    if (ri.notificationScript) fields.push(['notification-script', ri.notificationScript]);
    if (ri.clientReconfigScript) fields.push(['client-reconfig-script', ri.clientReconfigScript]);
  }
  if (ri.kind === 'slave') {
    fields.push(
      ['master-link-down-time', ri.masterLinkDownTime],
      ['master-link-status', ri.slaveMasterLinkStatusUp ? 'ok' : 'err'],
      ['master-host', ri.slaveMasterHost ?? '?'],
      ['master-port', ri.slaveMasterPort],
      ['slave-priority', ri.slavePriority],
      ['slave-repl-offset', ri.slaveReplOffset],
      ['replica-announced', ri.replicaAnnounced ? 1 : 0],
    );
  }
  if (ri.kind === 'sentinel') {
    fields.push(['last-hello-message', now - ri.lastHelloTime], ['voted-leader', ri.leader ?? '?'], ['voted-leader-epoch', ri.leaderEpoch]);
  }
  client.reply.mapHeader(fields.length);
  for (const [name, value] of fields) {
    client.reply.bulk(name);
    client.reply.bulk(String(value));
  }
}

export function replyInstances(sentinel: Sentinel, client: Client, instances: Instance[]): void {
  client.reply.arrayHeader(instances.length);
  for (const ri of instances) replyInstance(sentinel, client, ri);
}
