// INFO replication, field by field and in the order of Redis 7.0 (server.c genRedisInfoString),
// for both roles and during a sync. The lab's views read these fields, people compare them with
// redis-server's: nothing may be renamed, reordered or approximated.
import type { InfoFields } from '../core/info.js';
import type { Replication } from './replication.js';
import type { ReplicaState } from './attached-replica.js';

/** replstateToString: both waiting states read "wait_bgsave". */
export const STATE_NAMES: Record<ReplicaState, string> = {
  wait_bgsave_start: 'wait_bgsave',
  wait_bgsave_end: 'wait_bgsave',
  send_bulk: 'send_bulk',
  online: 'online',
};

const secondsSince = (ms: number, now: number) => Math.floor((now - ms) / 1000);

export function replicationInfoFields(replication: Replication): InfoFields {
  const server = replication.server;
  const config = server.config;
  const now = Date.now();
  const link = replication.link;
  const fields: InfoFields = [['role', link ? 'slave' : 'master']];

  if (link) {
    // Before any link, Redis reports 1 for both offsets.
    const applied = link.master?.offset ?? link.cached?.offset ?? 1;
    const read = link.master?.readOffset ?? link.cached?.offset ?? 1;
    fields.push(
      ['master_host', link.host],
      ['master_port', link.port],
      ['master_link_status', link.state === 'connected' ? 'up' : 'down'],
      ['master_last_io_seconds_ago', link.master ? secondsSince(link.master.lastInteraction, now) : -1],
      ['master_sync_in_progress', link.state === 'transfer' ? 1 : 0],
      ['slave_read_repl_offset', read],
      ['slave_repl_offset', applied],
    );
    const download = link.download;
    if (link.state === 'transfer' && download) {
      const total = Math.max(download.size, 0);
      fields.push(
        ['master_sync_total_bytes', download.size],
        ['master_sync_read_bytes', download.read],
        ['master_sync_left_bytes', download.size - download.read],
        ['master_sync_perc', (total ? (download.read / total) * 100 : 0).toFixed(2)],
        ['master_sync_last_io_seconds_ago', secondsSince(download.lastIo, now)],
      );
    }
    if (link.state !== 'connected') {
      fields.push(['master_link_down_since_seconds', link.downSince ? secondsSince(link.downSince, now) : -1]);
    }
    fields.push(
      ['slave_priority', config.int('replica-priority')],
      ['slave_read_only', config.bool('replica-read-only') ? 1 : 0],
      ['replica_announced', config.bool('replica-announced') ? 1 : 0],
    );
  }

  const replicas = replication.replicas;
  fields.push(['connected_slaves', replicas.replicas.length]);
  if (config.int('min-replicas-to-write') && config.int('min-replicas-max-lag')) {
    fields.push(['min_slaves_good_slaves', replicas.goodReplicas]);
  }
  let index = 0;
  for (const replica of replicas.replicas) {
    const ip = replica.ip;
    if (!ip) continue;
    const lag = replica.state === 'online' ? secondsSince(replica.ackTime, now) : 0;
    fields.push([
      `slave${index++}`,
      `ip=${ip},port=${replica.capa.listeningPort},state=${STATE_NAMES[replica.state]},offset=${replica.ackOffset},lag=${lag}`,
    ]);
  }

  const ids = replication.ids;
  const backlog = replication.backlog;
  fields.push(
    ['master_failover_state', replication.failover.state],
    ['master_replid', ids.replid],
    ['master_replid2', ids.replid2],
    ['master_repl_offset', replication.offset],
    ['second_repl_offset', ids.secondReplOffset],
    ['repl_backlog_active', backlog ? 1 : 0],
    ['repl_backlog_size', config.int('repl-backlog-size')],
    ['repl_backlog_first_byte_offset', backlog ? backlog.firstByteOffset : 0],
    ['repl_backlog_histlen', backlog ? backlog.histlen : 0],
  );
  return fields;
}
