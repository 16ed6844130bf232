// INFO: sections in Redis 7.0's order, with its field names (server.c genRedisInfoString).
// Each section is produced by a provider function; subsystems that own a section's numbers
// (replication, persistence) replace its provider with InfoRegistry.set() instead of editing this file;
// the memory section's parts owned by layers above come through server.memoryParts (memory-overhead.ts).
import { cpuUsage } from 'node:process';
import { arch, release, totalmem, type } from 'node:os';
import { REDIS_VERSION } from '../util/version.js';
import type { Server } from './server.js';
import { blockedClientCount } from './blocking.js';
import { memoryOverhead } from './memory-overhead.js';

export type InfoFields = [string, string | number][];
export type InfoProvider = () => InfoFields;

/** Sections INFO prints without arguments ("default"), in order, with their titles. */
const DEFAULT_SECTIONS = [
  'server',
  'clients',
  'memory',
  'persistence',
  'stats',
  'replication',
  'cpu',
  'modules',
  'errorstats',
  'cluster',
  'keyspace',
];
/** Additional sections for `INFO all` / `INFO everything`. */
const ALL_SECTIONS = [
  'server',
  'clients',
  'memory',
  'persistence',
  'stats',
  'replication',
  'cpu',
  'modules',
  'commandstats',
  'errorstats',
  'latencystats',
  'cluster',
  'keyspace',
];
const TITLES: Record<string, string> = {
  server: 'Server',
  clients: 'Clients',
  memory: 'Memory',
  persistence: 'Persistence',
  stats: 'Stats',
  replication: 'Replication',
  cpu: 'CPU',
  modules: 'Modules',
  commandstats: 'Commandstats',
  errorstats: 'Errorstats',
  latencystats: 'Latencystats',
  cluster: 'Cluster',
  keyspace: 'Keyspace',
  sentinel: 'Sentinel',
};

export class InfoRegistry {
  private readonly providers = new Map<string, InfoProvider>();
  /**
   * The sections INFO knows, in order, for "default" and for "all": a Sentinel (../sentinel/)
   * has fewer, and one of its own.
   */
  defaultSections: readonly string[] = DEFAULT_SECTIONS;
  allSections: readonly string[] = ALL_SECTIONS;

  constructor(server: Server) {
    this.set('server', () => serverSection(server));
    this.set('clients', () => clientsSection(server));
    this.set('memory', () => memorySection(server));
    this.set('persistence', () => persistenceSection(server));
    this.set('stats', () => statsSection(server));
    this.set('replication', () => []); // replaced by ../replication/ when it starts
    this.set('cpu', cpuSection);
    this.set('modules', () => []);
    this.set('commandstats', () => commandStatsSection(server));
    this.set('errorstats', () => [...server.stats.errorCodes].map(([code, n]) => [`errorstat_${code}`, `count=${n}`]));
    this.set('latencystats', () => latencyStatsSection(server));
    this.set('cluster', () => [['cluster_enabled', 0]]);
    this.set('keyspace', () => keyspaceSection(server));
  }

  /** Installs or replaces the provider of a section. */
  set(section: string, provider: InfoProvider): void {
    this.providers.set(section, provider);
  }

  /** The INFO text for the given section arguments (none = default). */
  render(args: string[] = []): string {
    const wanted = new Set<string>();
    const names = args.map((a) => a.toLowerCase());
    if (names.length === 0) names.push('default');
    for (const name of names) {
      if (name === 'default') this.defaultSections.forEach((s) => wanted.add(s));
      else if (name === 'all' || name === 'everything') this.allSections.forEach((s) => wanted.add(s));
      else wanted.add(name);
    }
    const parts: string[] = [];
    for (const section of this.allSections) {
      if (!wanted.has(section)) continue;
      const fields = this.providers.get(section)!();
      parts.push(`# ${TITLES[section]}\r\n` + fields.map(([k, v]) => `${k}:${v}\r\n`).join(''));
    }
    return parts.join('\r\n');
  }
}

function serverSection(server: Server): InfoFields {
  const now = Date.now();
  const uptimeSec = Math.floor((now - server.startedAt) / 1000);
  return [
    ['redis_version', REDIS_VERSION],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', '0'],
    ['redis_mode', server.mode],
    ['os', `${type()} ${release()} ${arch() === 'x64' ? 'x86_64' : arch()}`],
    ['arch_bits', 64],
    ['monotonic_clock', 'POSIX clock_gettime'],
    ['multiplexing_api', 'epoll'],
    ['atomicvar_api', 'c11-builtin'],
    ['gcc_version', '0.0.0'],
    ['process_id', process.pid],
    ['process_supervised', 'no'],
    ['run_id', server.runId],
    ['tcp_port', server.port],
    ['server_time_usec', now * 1000],
    ['uptime_in_seconds', uptimeSec],
    ['uptime_in_days', Math.floor(uptimeSec / 86400)],
    ['hz', server.config.int('hz')],
    ['configured_hz', server.config.int('hz')],
    ['lru_clock', Math.floor(now / 1000) & ((1 << 24) - 1)],
    ['executable', process.argv[1] ?? process.execPath],
    ['config_file', server.configFile ?? ''],
    ['io_threads_active', 0],
  ];
}

function clientsSection(server: Server): InfoFields {
  return [
    ['connected_clients', server.clients.size],
    ['cluster_connections', 0],
    ['maxclients', server.config.int('maxclients')],
    ['client_recent_max_input_buffer', 0],
    ['client_recent_max_output_buffer', 0],
    ['blocked_clients', blockedClientCount(server)],
    ['tracking_clients', server.tracking.clientCount],
    ['clients_in_timeout_table', 0],
  ];
}

function memorySection(server: Server): InfoFields {
  const mh = memoryOverhead(server);
  const scripting = server.memoryParts.scripting;
  const maxmemory = server.config.int('maxmemory');
  const memoryLua = scripting.evalVm();
  const memoryFunctions = scripting.functionsVm();
  const scripts = mh.luaCaches + mh.functionsCaches;
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  return [
    ['used_memory', mh.used],
    ['used_memory_human', bytesToHuman(mh.used)],
    ['used_memory_rss', mh.rss],
    ['used_memory_rss_human', bytesToHuman(mh.rss)],
    ['used_memory_peak', mh.peak],
    ['used_memory_peak_human', bytesToHuman(mh.peak)],
    ['used_memory_peak_perc', `${mh.peakPerc.toFixed(2)}%`],
    ['used_memory_overhead', mh.overheadTotal],
    ['used_memory_startup', mh.startup],
    ['used_memory_dataset', mh.dataset],
    ['used_memory_dataset_perc', `${mh.datasetPerc.toFixed(2)}%`],
    ['allocator_allocated', mh.allocatorAllocated],
    ['allocator_active', mh.allocatorActive],
    ['allocator_resident', mh.allocatorResident],
    ['total_system_memory', totalmem()],
    ['total_system_memory_human', bytesToHuman(totalmem())],
    ['used_memory_lua', memoryLua], // deprecated in 7.0, renamed used_memory_vm_eval
    ['used_memory_vm_eval', memoryLua],
    ['used_memory_lua_human', bytesToHuman(memoryLua)],
    ['used_memory_scripts_eval', mh.luaCaches],
    ['number_of_cached_scripts', scripting.cachedScripts()],
    ['number_of_functions', scripting.functions()],
    ['number_of_libraries', scripting.libraries()],
    ['used_memory_vm_functions', memoryFunctions],
    ['used_memory_vm_total', memoryFunctions + memoryLua],
    ['used_memory_vm_total_human', bytesToHuman(memoryFunctions + memoryLua)],
    ['used_memory_functions', mh.functionsCaches],
    ['used_memory_scripts', scripts],
    ['used_memory_scripts_human', bytesToHuman(scripts)],
    ['maxmemory', maxmemory],
    ['maxmemory_human', bytesToHuman(maxmemory)],
    ['maxmemory_policy', server.config.str('maxmemory-policy')],
    ['allocator_frag_ratio', ratio(mh.allocatorActive, mh.allocatorAllocated)],
    ['allocator_frag_bytes', mh.allocatorActive - mh.allocatorAllocated],
    ['allocator_rss_ratio', ratio(mh.allocatorResident, mh.allocatorActive)],
    ['allocator_rss_bytes', mh.allocatorResident - mh.allocatorActive],
    ['rss_overhead_ratio', ratio(mh.rss, mh.allocatorResident)],
    ['rss_overhead_bytes', mh.rss - mh.allocatorResident],
    // Named so for compatibility: the whole RSS overhead, fragmentation and more (total_frag).
    ['mem_fragmentation_ratio', ratio(mh.rss, mh.used)],
    ['mem_fragmentation_bytes', mh.rss - mh.used],
    ['mem_not_counted_for_evict', server.eviction.notCounted()],
    ['mem_replication_backlog', mh.replBacklog],
    ['mem_total_replication_buffers', mh.replBuffers],
    ['mem_clients_slaves', mh.clientsSlaves],
    ['mem_clients_normal', mh.clientsNormal],
    ['mem_cluster_links', 0], // no cluster bus
    ['mem_aof_buffer', mh.aofBuffer],
    ['mem_allocator', `v8-${process.versions.v8}`],
    // No active defragmentation: V8's collector compacts its heap itself.
    ['active_defrag_running', 0],
    // Deleted values are dropped in the main thread (V8 frees them later), never handed to a
    // lazyfree thread: nothing is pending or freed that way.
    ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', 0],
  ];
}

function persistenceSection(server: Server): InfoFields {
  return [
    ['loading', 0],
    ['async_loading', 0],
    ['rdb_changes_since_last_save', server.keyspace.dirty],
    ['rdb_bgsave_in_progress', 0],
    ['rdb_last_save_time', Math.floor(server.startedAt / 1000)],
    ['rdb_last_bgsave_status', 'ok'],
    ['rdb_last_bgsave_time_sec', -1],
    ['rdb_current_bgsave_time_sec', -1],
    ['rdb_saves', 0],
    ['aof_enabled', server.config.bool('appendonly') ? 1 : 0],
    ['aof_rewrite_in_progress', 0],
    ['aof_rewrite_scheduled', 0],
    ['aof_last_rewrite_time_sec', -1],
    ['aof_current_rewrite_time_sec', -1],
    ['aof_last_bgrewrite_status', 'ok'],
    ['aof_rewrites', 0],
    ['aof_last_write_status', 'ok'],
  ];
}

function statsSection(server: Server): InfoFields {
  const s = server.stats;
  const m = server.metrics;
  const kbps = (metric: { value: number }) => (metric.value / 1024).toFixed(2);
  const expire = server.activeExpire;
  return [
    ['total_connections_received', s.connectionsReceived],
    ['total_commands_processed', s.commandsProcessed],
    ['instantaneous_ops_per_sec', Math.round(m.ops.value)],
    ['total_net_input_bytes', s.netInputBytes],
    ['total_net_output_bytes', s.netOutputBytes],
    ['total_net_repl_input_bytes', s.netReplInputBytes],
    ['total_net_repl_output_bytes', s.netReplOutputBytes],
    ['instantaneous_input_kbps', kbps(m.netInput)],
    ['instantaneous_output_kbps', kbps(m.netOutput)],
    ['instantaneous_input_repl_kbps', kbps(m.netReplInput)],
    ['instantaneous_output_repl_kbps', kbps(m.netReplOutput)],
    ['rejected_connections', s.rejectedConnections],
    ['sync_full', s.syncFull],
    ['sync_partial_ok', s.syncPartialOk],
    ['sync_partial_err', s.syncPartialErr],
    ['expired_keys', server.keyspace.expiredKeys],
    ['expired_stale_perc', (expire.staleFraction * 100).toFixed(2)],
    ['expired_time_cap_reached_count', expire.timeCapReachedCount],
    ['expire_cycle_cpu_milliseconds', Math.floor(expire.timeUsedMicros / 1000)],
    ['evicted_keys', server.eviction.evictedKeys],
    // maxmemory-clients is accepted but clients are never evicted for it.
    ['evicted_clients', 0],
    ['total_eviction_exceeded_time', server.eviction.exceededTime().total],
    ['current_eviction_exceeded_time', server.eviction.exceededTime().current],
    ['keyspace_hits', server.keyspace.hits],
    ['keyspace_misses', server.keyspace.misses],
    ['pubsub_channels', server.pubsub.channelCount],
    ['pubsub_patterns', server.pubsub.patternCount],
    ['pubsubshard_channels', server.pubsub.shardChannelCount],
    ['latest_fork_usec', s.latestForkUsec],
    ['total_forks', s.forks],
    ['migrate_cached_sockets', server.migrateSockets.size],
    ['slave_expires_tracked_keys', server.keyspace.replicaKeysWithExpireCount],
    // No active defragmentation (see active_defrag_running in the memory section).
    ['active_defrag_hits', 0],
    ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0],
    ['active_defrag_key_misses', 0],
    ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0],
    ['tracking_total_keys', server.tracking.totalKeys],
    ['tracking_total_items', server.tracking.totalItems],
    ['tracking_total_prefixes', server.tracking.totalPrefixes],
    ['unexpected_error_replies', s.unexpectedErrorReplies],
    ['total_error_replies', s.errorReplies],
    ['dump_payload_sanitizations', s.dumpPayloadSanitizations],
    ['total_reads_processed', s.readsProcessed],
    ['total_writes_processed', s.writesProcessed],
    // One thread does all socket I/O, as redis-server with io-threads 1.
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
    // A client's reply buffer (protocol/reply-writer.ts) grows as a reply needs, and one grown
    // past 64 KB is let go once sent: Redis resizes its reply buffers in clientsCron instead.
    ['reply_buffer_shrinks', s.replyBufferShrinks],
    ['reply_buffer_expands', s.replyBufferExpands],
  ];
}

function cpuSection(): InfoFields {
  const cpu = cpuUsage();
  const sys = (cpu.system / 1e6).toFixed(6);
  const user = (cpu.user / 1e6).toFixed(6);
  return [
    ['used_cpu_sys', sys],
    ['used_cpu_user', user],
    ['used_cpu_sys_children', '0.000000'],
    ['used_cpu_user_children', '0.000000'],
    ['used_cpu_sys_main_thread', sys],
    ['used_cpu_user_main_thread', user],
  ];
}

/** INFO latencystats: the configured percentiles of each command's latency, in µs. */
function latencyStatsSection(server: Server): InfoFields {
  const percentiles = server.config
    .str('latency-tracking-info-percentiles')
    .split(' ')
    .filter((p) => p !== '')
    .map(Number);
  const fields: InfoFields = [];
  for (const command of server.commands.all()) {
    for (const c of [command, ...(command.subcommandMap?.values() ?? [])]) {
      const histogram = c.histogram;
      if (histogram === null) continue;
      const values = percentiles.map((p) => `p${p}=${(histogram.valueAtPercentile(p) / 1000).toFixed(3)}`);
      fields.push([`latency_percentiles_usec_${c.fullName}`, values.join(',')]);
    }
  }
  return fields;
}

function commandStatsSection(server: Server): InfoFields {
  const fields: InfoFields = [];
  for (const command of server.commands.all()) {
    for (const c of [command, ...(command.subcommandMap?.values() ?? [])]) {
      const s = c.stats;
      if (s.calls === 0 && s.rejectedCalls === 0 && s.failedCalls === 0) continue;
      const usec = Math.round(s.usec);
      const perCall = s.calls ? (s.usec / s.calls).toFixed(2) : '0.00';
      fields.push([
        `cmdstat_${c.fullName}`,
        `calls=${s.calls},usec=${usec},usec_per_call=${perCall},rejected_calls=${s.rejectedCalls},failed_calls=${s.failedCalls}`,
      ]);
    }
  }
  return fields;
}

function keyspaceSection(server: Server): InfoFields {
  const fields: InfoFields = [];
  for (const db of server.keyspace.dbs) {
    if (db.size === 0) continue;
    fields.push([`db${db.id}`, `keys=${db.size},expires=${db.volatileCount},avg_ttl=0`]);
  }
  return fields;
}

/** Redis's bytesToHuman: B, K, M, G... with two decimals. */
export function bytesToHuman(n: number): string {
  const units = ['B', 'K', 'M', 'G', 'T', 'P'];
  if (n < 1024) return `${n}B`;
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(2)}${units[i]}`;
}
