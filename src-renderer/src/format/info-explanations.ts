// Short explanations of INFO fields, in the sense Redis 7.0 gives them (server.c genRedisInfoString,
// replication.c). Keyed by field name; a replica's `slaveN` lines share one entry.

const EXPLANATIONS: Record<string, string> = {
  // Replication
  role: 'master, or slave for a replica (Redis 7.0 still says slave here).',
  connected_slaves: 'How many replicas are attached to this node now.',
  slaveN:
    'One attached replica: its address and listening port; state wait_bgsave (waiting for the RDB to be made), send_bulk (the RDB is being sent) or online (streaming); offset, the replication offset it last acknowledged with REPLCONF ACK; lag, seconds since that ACK.',
  master_failover_state: 'Progress of a FAILOVER command: no-failover, waiting-for-sync or failover-in-progress.',
  master_replid:
    'The ID of the replication history this node’s data belongs to. A replica shows its master’s; a promoted node starts a new one.',
  master_replid2:
    'The previous replication ID, kept when this node switched history (it was promoted), so replicas of its old master can still resume; all zeros when there is none.',
  master_repl_offset:
    'The replication offset: how many bytes of replication stream this node has produced (a master) or processed (a replica) in the history master_replid names. A replica with its master’s offset has everything.',
  second_repl_offset:
    'The offset up to which master_replid2 is still accepted: a replica of the old history may resume only if it asks for no byte past it. -1 when there is no previous ID.',
  repl_backlog_active:
    '1 when the node keeps a backlog. A master creates it when the first replica connects and frees it after repl-backlog-ttl seconds with none; a replica keeps one so that it can serve as a master.',
  repl_backlog_size: 'The backlog’s capacity in bytes (repl-backlog-size): how much recent stream is kept for replicas that reconnect.',
  repl_backlog_first_byte_offset:
    'The replication offset of the oldest byte still in the backlog. A replica that needs an earlier byte must do a full sync.',
  repl_backlog_histlen:
    'How many bytes of stream the backlog holds now (at most repl_backlog_size): it covers the offsets from repl_backlog_first_byte_offset up to master_repl_offset.',
  master_host: 'The master this replica replicates from (REPLICAOF).',
  master_port: 'The port of that master.',
  master_link_status: 'up once the link to the master is established and the first sync has finished; down otherwise.',
  master_last_io_seconds_ago: 'Seconds since this replica last heard from its master (-1 without a connected master).',
  master_sync_in_progress: '1 while the replica is receiving the master’s RDB for a full sync.',
  slave_read_repl_offset: 'The offset of the stream this replica has read from its master, including bytes not applied yet.',
  slave_repl_offset: 'The offset this replica has applied: what it acknowledges to its master, and what PSYNC would continue after.',
  slave_priority: 'replica-priority: Sentinel promotes a lower number first; 0 means never.',
  slave_read_only: '1 when the replica refuses writes from clients (replica-read-only).',
  replica_announced: '1 when Sentinel is told about this replica (replica-announced).',
  master_sync_total_bytes: 'Size of the RDB being received in a full sync (-1 when unknown, as in a diskless transfer).',
  master_sync_read_bytes: 'Bytes of that RDB received so far.',
  master_sync_left_bytes: 'Bytes of that RDB still to come.',
  master_sync_perc: 'Percent of that RDB received.',
  master_sync_last_io_seconds_ago: 'Seconds since the last bytes of the sync arrived.',
  master_link_down_since_seconds: 'Seconds since the link to the master went down.',
  min_slaves_good_slaves: 'Replicas whose lag is within min-replicas-max-lag (shown when min-replicas-to-write is set).',
  slave_expires_tracked_keys:
    'Keys a writable replica gave a TTL by its own writes: its master never sends their DEL, so the replica expires them itself.',
  // Stats
  instantaneous_input_repl_kbps:
    'KB/s read from this replica’s master (the replication stream and full syncs), averaged over the last 1.6 s.',
  instantaneous_output_repl_kbps: 'KB/s written to this master’s replicas (the stream and full syncs), averaged over the last 1.6 s.',
  total_net_repl_input_bytes: 'Bytes read from the master since the node started (or CONFIG RESETSTAT).',
  total_net_repl_output_bytes: 'Bytes written to replicas since the node started (or CONFIG RESETSTAT).',
  sync_full: 'Full syncs this master served (an RDB sent to a replica).',
  sync_partial_ok: 'PSYNC requests accepted: replicas that resumed from the backlog without a full sync.',
  sync_partial_err: 'PSYNC requests refused (unknown replication ID, or offset outside the backlog): each became a full sync.',
  total_forks: 'Background jobs that took a point-in-time copy of the data (BGSAVE, AOF rewrite, the RDB of a full sync).',
  latest_fork_usec: 'How long taking the last such copy held the node, in microseconds.',
  unexpected_error_replies:
    'Errors this node replied to its master (or to its replicas, or to the AOF it loaded): a replica that fails a command its master ran has diverged from it.',
  // Memory
  mem_replication_backlog: 'Bytes of memory the replication backlog takes.',
  mem_total_replication_buffers: 'All memory holding replication stream: the backlog and what replicas have yet to receive.',
  mem_clients_slaves: 'Memory of the replicas’ connections, with the stream they have yet to receive.',
  mem_not_counted_for_evict: 'Replication and AOF buffers, which maxmemory does not count.',
  // Persistence
  loading: '1 while the node loads its data file at startup.',
  async_loading: '1 while a replica loads its master’s data in the background (repl-diskless-load swapdb).',
  rdb_changes_since_last_save: 'Writes since the last successful RDB save: what a crash now would lose without an AOF.',
  rdb_bgsave_in_progress: '1 while a background save (BGSAVE, a save point or a full sync) is running.',
  rdb_last_save_time: 'Unix time of the last successful RDB save.',
  rdb_last_bgsave_status: 'ok or err: how the last background save ended.',
  rdb_last_bgsave_time_sec: 'How long the last background save took, in seconds (-1 if none).',
  rdb_current_bgsave_time_sec: 'How long the running background save has taken so far (-1 if none).',
  rdb_saves: 'RDB saves since the node started.',
  aof_enabled: '1 when the append-only file is on (appendonly yes).',
  aof_rewrite_in_progress: '1 while an AOF rewrite (BGREWRITEAOF) is running.',
  aof_rewrite_scheduled: '1 when a rewrite waits for a running background save to end.',
  aof_last_rewrite_time_sec: 'How long the last AOF rewrite took, in seconds (-1 if none).',
  aof_last_bgrewrite_status: 'ok or err: how the last AOF rewrite ended.',
  aof_last_write_status: 'ok or err: whether the last write to the AOF succeeded.',
  aof_rewrites: 'AOF rewrites since the node started.',
  // Clients
  connected_clients: 'Client connections, not counting replicas.',
  blocked_clients: 'Clients waiting in a blocking command (BLPOP, BLMOVE, XREAD BLOCK, WAIT…).',
  tracking_clients: 'Clients with CLIENT TRACKING on.',
  maxclients: 'The most clients the node accepts (maxclients).',
  // Server
  config_file: 'The redis.conf the node was started with.',
  tcp_port: 'The port the node listens on.',
  run_id: 'A random ID for this run of the node: it changes on every start.',
  uptime_in_seconds: 'Seconds since the node started.',
};

export function explainInfoField(field: string): string | undefined {
  return EXPLANATIONS[/^slave\d+$/.test(field) ? 'slaveN' : field];
}
