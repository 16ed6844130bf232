// INFO persistence, field by field and in order as Redis 7.0 prints it (server.c
// genRedisInfoString). Fork-related numbers (copy-on-write sizes, module forks) are 0: there is
// no fork; the snapshot's own copies are per key (snapshot.ts).
import type { Server } from '../core/server.js';
import type { InfoFields } from '../core/info.js';
import type { NodePersistence } from './node-persistence.js';

export function persistenceInfoSection(server: Server, persistence: NodePersistence): InfoFields {
  const { rdb, aof } = persistence;
  const loading = server.loading.current;
  // The job Redis would have forked for, if one runs (a BGSAVE or an AOF rewrite).
  const job = rdb.progress ?? aof.rewriteProgress;
  const fields: InfoFields = [
    ['loading', loading ? 1 : 0],
    ['async_loading', 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', job && job.keysTotal > 0 ? ((job.keysProcessed / job.keysTotal) * 100).toFixed(2) : '0.00'],
    ['current_save_keys_processed', job?.keysProcessed ?? 0],
    ['current_save_keys_total', job?.keysTotal ?? 0],
    ['rdb_changes_since_last_save', server.keyspace.dirty],
    ['rdb_bgsave_in_progress', rdb.inProgress ? 1 : 0],
    ['rdb_last_save_time', rdb.lastSaveTime],
    ['rdb_last_bgsave_status', rdb.lastBgsaveOk ? 'ok' : 'err'],
    ['rdb_last_bgsave_time_sec', rdb.lastBgsaveDurationSec],
    ['rdb_current_bgsave_time_sec', rdb.currentDurationSec],
    ['rdb_saves', rdb.saves],
    ['rdb_last_cow_size', 0],
    ['rdb_last_load_keys_expired', rdb.lastLoad.keysExpired],
    ['rdb_last_load_keys_loaded', rdb.lastLoad.keysLoaded],
    ['aof_enabled', aof.state !== 'off' ? 1 : 0],
    ['aof_rewrite_in_progress', aof.rewriteInProgress ? 1 : 0],
    ['aof_rewrite_scheduled', aof.rewriteScheduled ? 1 : 0],
    ['aof_last_rewrite_time_sec', aof.lastRewriteDurationSec],
    ['aof_current_rewrite_time_sec', aof.currentRewriteDurationSec],
    ['aof_last_bgrewrite_status', aof.lastRewriteOk ? 'ok' : 'err'],
    ['aof_rewrites', aof.rewrites],
    ['aof_rewrites_consecutive_failures', aof.consecutiveRewriteFailures],
    ['aof_last_write_status', aof.lastWriteOk ? 'ok' : 'err'],
    ['aof_last_cow_size', 0],
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
  ];
  if (aof.state !== 'off') {
    fields.push(
      ['aof_current_size', aof.currentSize],
      ['aof_base_size', aof.baseSize],
      ['aof_pending_rewrite', aof.rewriteScheduled ? 1 : 0],
      ['aof_buffer_length', aof.bufferedBytes],
      ['aof_pending_bio_fsync', aof.fsyncInProgress ? 1 : 0],
      ['aof_delayed_fsync', aof.delayedFsyncs],
    );
  }
  if (loading) {
    const elapsedSec = (Date.now() - loading.startedAtMs) / 1000;
    const perc = loading.totalBytes ? (loading.loadedBytes / loading.totalBytes) * 100 : 0;
    const rate = loading.loadedBytes / Math.max(elapsedSec, 0.001);
    const eta = loading.totalBytes && rate ? Math.round((loading.totalBytes - loading.loadedBytes) / rate) : 1;
    fields.push(
      ['loading_start_time', Math.floor(loading.startedAtMs / 1000)],
      ['loading_total_bytes', loading.totalBytes],
      ['loading_rdb_used_mem', loading.rdbUsedMemory],
      ['loading_loaded_bytes', loading.loadedBytes],
      ['loading_loaded_perc', perc.toFixed(2)],
      ['loading_eta_seconds', eta],
    );
  }
  return fields;
}
