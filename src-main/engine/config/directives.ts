// Every configuration directive a node knows: its type, default, bounds and whether CONFIG SET may
// change it at run time. Parsing (config files, command line, CONFIG SET) and rendering (CONFIG GET,
// CONFIG REWRITE) both read this one table, so a directive is added in one place.
//
// Types follow Redis's config.c: bool (yes/no), numeric (with bounds; `memory` ones take units
// like 1k, 1kb, 1mb, 1gb), enum (one of a list, several when `multi`), string, and `special` for
// directives with their own syntax (save, bind, replicaof, client-output-buffer-limit...).
// `applies: false` marks directives accepted for compatibility that have no effect on our nodes
// (cluster, TLS, threads, allocator tuning): they are stored and shown by CONFIG GET.

export type ConfigValue = boolean | number | string | string[];

interface Common {
  name: string;
  /** Older names that read and write the same setting (slaveof for replicaof...). */
  aliases?: string[];
  /** CONFIG SET may change it (Redis's IMMUTABLE_CONFIG flag is the opposite). */
  mutable: boolean;
  /** False when we accept the directive only so real redis.conf files load. */
  applies?: boolean;
  /**
   * Redis's HIDDEN_CONFIG (its debugging directives): CONFIG GET shows it only when asked by its
   * exact name, never for a pattern such as `*`.
   */
  hidden?: boolean;
}

export type Directive = Common &
  (
    | { type: 'bool'; default: boolean }
    | { type: 'int'; default: number; min: number; max: number; memory?: boolean }
    | { type: 'enum'; default: string; values: string[]; multi?: boolean }
    | { type: 'string'; default: string }
    | { type: 'special'; default: string; syntax: SpecialSyntax }
  );

/** Directives with their own argument syntax; the parser has one function per kind. */
export type SpecialSyntax =
  | 'save'
  | 'bind'
  | 'replicaof'
  | 'dir'
  | 'client-output-buffer-limit'
  | 'oom-score-adj-values'
  | 'latency-tracking-info-percentiles'
  | 'notify-keyspace-events';

const INT_MAX = 2147483647;
const UINT_MAX = 4294967295;
const LLONG_MAX = Number.MAX_SAFE_INTEGER;

const bool = (name: string, def: boolean, mutable = true, extra: Partial<Common> = {}): Directive => ({
  name,
  type: 'bool',
  default: def,
  mutable,
  ...extra,
});
const int = (name: string, def: number, min: number, max: number, mutable = true, extra: Partial<Common> = {}): Directive => ({
  name,
  type: 'int',
  default: def,
  min,
  max,
  mutable,
  ...extra,
});
const memory = (name: string, def: number, min: number, max: number, mutable = true, extra: Partial<Common> = {}): Directive => ({
  name,
  type: 'int',
  default: def,
  min,
  max,
  memory: true,
  mutable,
  ...extra,
});
const str = (name: string, def: string, mutable = true, extra: Partial<Common> = {}): Directive => ({
  name,
  type: 'string',
  default: def,
  mutable,
  ...extra,
});
const oneOf = (
  name: string,
  def: string,
  values: string[],
  mutable = true,
  extra: Partial<Common> & { multi?: boolean } = {},
): Directive => ({
  name,
  type: 'enum',
  default: def,
  values,
  mutable,
  ...extra,
});
const special = (name: string, def: string, syntax: SpecialSyntax, mutable = true, extra: Partial<Common> = {}): Directive => ({
  name,
  type: 'special',
  default: def,
  syntax,
  mutable,
  ...extra,
});
const inert = { applies: false };

export const DIRECTIVES: Directive[] = [
  // Network and clients
  int('port', 6379, 0, 65535),
  special('bind', '* -::*', 'bind'),
  str('bind-source-addr', ''),
  bool('protected-mode', true),
  int('tcp-backlog', 511, 0, INT_MAX, false),
  int('tcp-keepalive', 300, 0, INT_MAX),
  int('timeout', 0, 0, INT_MAX),
  int('maxclients', 10000, 1, UINT_MAX),
  memory('client-query-buffer-limit', 1024 * 1024 * 1024, 1024 * 1024, LLONG_MAX),
  memory('proto-max-bulk-len', 512 * 1024 * 1024, 1024 * 1024, LLONG_MAX),
  special(
    'client-output-buffer-limit',
    'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
    'client-output-buffer-limit',
  ),
  str('unixsocket', '', false, inert),
  int('unixsocketperm', 0, 0, 0o777, false, inert),
  int('socket-mark-id', 0, 0, UINT_MAX, true, inert),

  // General
  bool('daemonize', false, false),
  oneOf('supervised', 'no', ['upstart', 'systemd', 'auto', 'no'], false, inert),
  str('pidfile', '', false),
  oneOf('loglevel', 'notice', ['debug', 'verbose', 'notice', 'warning']),
  str('logfile', '', false),
  bool('syslog-enabled', false, false, inert),
  str('syslog-ident', 'redis', false, inert),
  oneOf(
    'syslog-facility',
    'local0',
    ['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'],
    false,
    inert,
  ),
  int('databases', 16, 1, INT_MAX, false),
  bool('always-show-logo', false, false),
  bool('set-proc-title', true, false, inert),
  str('proc-title-template', '{title} {listen-addr} {server-mode}', true, inert),
  bool('crash-log-enabled', true, true, inert),
  bool('crash-memcheck-enabled', true, true, inert),
  str('ignore-warnings', '', true, inert),
  int('hz', 10, 0, INT_MAX),
  bool('dynamic-hz', true),
  oneOf('shutdown-on-sigint', 'default', ['default', 'save', 'nosave', 'now', 'force'], true, { multi: true }),
  oneOf('shutdown-on-sigterm', 'default', ['default', 'save', 'nosave', 'now', 'force'], true, { multi: true }),
  int('shutdown-timeout', 10, 0, INT_MAX),
  oneOf('enable-protected-configs', 'no', ['no', 'yes', 'local'], false),
  oneOf('enable-debug-command', 'no', ['no', 'yes', 'local'], false),
  oneOf('enable-module-command', 'no', ['no', 'yes', 'local'], false),

  // Snapshotting
  special('save', '3600 1 300 100 60 10000', 'save'),
  bool('stop-writes-on-bgsave-error', true),
  bool('rdbcompression', true),
  bool('rdbchecksum', true, false),
  oneOf('sanitize-dump-payload', 'no', ['no', 'yes', 'clients']),
  str('dbfilename', 'dump.rdb'),
  bool('rdb-del-sync-files', false),
  special('dir', '', 'dir'),
  bool('rdb-save-incremental-fsync', true),
  // Debugging directives (hidden): slow down saving and loading per key, in microseconds (a
  // negative value -n sleeps 1 microsecond with probability 1/n), and how many bytes a load reads
  // between two turns of serving clients.
  int('rdb-key-save-delay', 0, -INT_MAX - 1, INT_MAX, true, { hidden: true }),
  int('key-load-delay', 0, -INT_MAX - 1, INT_MAX, true, { hidden: true }),
  int('loading-process-events-interval-bytes', 2 * 1024 * 1024, 1024, INT_MAX, true, { hidden: true }),
  // Redis's software watchdog (SIGALRM stack traces of a blocked event loop) and exit() instead of
  // abort() on a panic: accepted and shown; a node here reports a blocked loop through LATENCY.
  int('watchdog-period', 0, 0, INT_MAX, true, { hidden: true, applies: false }),
  bool('use-exit-on-panic', false, true, { hidden: true, applies: false }),
  // 7.0.15's switch for Lua's deprecated getfenv/setfenv/newproxy; fixed at start.
  bool('lua-enable-deprecated-api', false, false, { hidden: true }),

  // Replication
  special('replicaof', '', 'replicaof', false, { aliases: ['slaveof'] }),
  str('masterauth', ''),
  str('masteruser', ''),
  bool('replica-serve-stale-data', true, true, { aliases: ['slave-serve-stale-data'] }),
  bool('replica-read-only', true, true, { aliases: ['slave-read-only'] }),
  bool('repl-diskless-sync', true),
  int('repl-diskless-sync-delay', 5, 0, INT_MAX),
  int('repl-diskless-sync-max-replicas', 0, 0, INT_MAX),
  oneOf('repl-diskless-load', 'disabled', ['disabled', 'on-empty-db', 'swapdb']),
  int('repl-ping-replica-period', 10, 1, INT_MAX, true, { aliases: ['repl-ping-slave-period'] }),
  int('repl-timeout', 60, 1, INT_MAX),
  bool('repl-disable-tcp-nodelay', false),
  memory('repl-backlog-size', 1024 * 1024, 1, LLONG_MAX),
  int('repl-backlog-ttl', 3600, 0, INT_MAX),
  int('replica-priority', 100, 0, INT_MAX, true, { aliases: ['slave-priority'] }),
  bool('replica-announced', true),
  int('min-replicas-to-write', 0, 0, INT_MAX, true, { aliases: ['min-slaves-to-write'] }),
  int('min-replicas-max-lag', 10, 0, INT_MAX, true, { aliases: ['min-slaves-max-lag'] }),
  str('replica-announce-ip', '', true, { aliases: ['slave-announce-ip'] }),
  int('replica-announce-port', 0, 0, 65535, true, { aliases: ['slave-announce-port'] }),
  bool('replica-ignore-disk-write-errors', false),
  bool('replica-lazy-flush', false, true, { aliases: ['slave-lazy-flush'] }),
  bool('replica-ignore-maxmemory', true, true, { aliases: ['slave-ignore-maxmemory'] }),
  oneOf('propagation-error-behavior', 'ignore', ['ignore', 'panic', 'panic-on-replicas']),

  // Security
  str('requirepass', ''),
  str('aclfile', '', false),
  int('acllog-max-len', 128, 0, LLONG_MAX),
  oneOf('acl-pubsub-default', 'resetchannels', ['allchannels', 'resetchannels']),

  // Memory management
  memory('maxmemory', 0, 0, LLONG_MAX),
  oneOf('maxmemory-policy', 'noeviction', [
    'volatile-lru',
    'volatile-lfu',
    'volatile-random',
    'volatile-ttl',
    'allkeys-lru',
    'allkeys-lfu',
    'allkeys-random',
    'noeviction',
  ]),
  int('maxmemory-samples', 5, 1, 64),
  int('maxmemory-eviction-tenacity', 10, 0, 100),
  memory('maxmemory-clients', 0, 0, LLONG_MAX),
  bool('lazyfree-lazy-eviction', false),
  bool('lazyfree-lazy-expire', false),
  bool('lazyfree-lazy-server-del', false),
  bool('lazyfree-lazy-user-del', false),
  bool('lazyfree-lazy-user-flush', false),
  int('active-expire-effort', 1, 1, 10),
  int('lfu-log-factor', 10, 0, INT_MAX),
  int('lfu-decay-time', 1, 0, INT_MAX),

  // Append only file
  bool('appendonly', false),
  str('appendfilename', 'appendonly.aof', false),
  str('appenddirname', 'appendonlydir', false),
  oneOf('appendfsync', 'everysec', ['always', 'everysec', 'no']),
  bool('no-appendfsync-on-rewrite', false),
  int('auto-aof-rewrite-percentage', 100, 0, INT_MAX),
  memory('auto-aof-rewrite-min-size', 64 * 1024 * 1024, 0, LLONG_MAX),
  bool('aof-load-truncated', true),
  bool('aof-use-rdb-preamble', true),
  bool('aof-timestamp-enabled', false),
  bool('aof-rewrite-incremental-fsync', true),
  bool('aof-disable-auto-gc', false),

  // Scripting, slow log, latency, notifications
  int('busy-reply-threshold', 5000, 0, LLONG_MAX, true, { aliases: ['lua-time-limit'] }),
  int('slowlog-log-slower-than', 10000, -1, LLONG_MAX),
  int('slowlog-max-len', 128, 0, LLONG_MAX),
  int('latency-monitor-threshold', 0, 0, LLONG_MAX),
  bool('latency-tracking', true),
  special('latency-tracking-info-percentiles', '50 99 99.9', 'latency-tracking-info-percentiles'),
  special('notify-keyspace-events', '', 'notify-keyspace-events'),

  // Data structure encodings (thresholds decide OBJECT ENCODING, as in Redis)
  int('hash-max-listpack-entries', 512, 0, LLONG_MAX, true, { aliases: ['hash-max-ziplist-entries'] }),
  int('hash-max-listpack-value', 64, 0, LLONG_MAX, true, { aliases: ['hash-max-ziplist-value'] }),
  int('list-max-listpack-size', -2, -5, INT_MAX, true, { aliases: ['list-max-ziplist-size'] }),
  int('list-compress-depth', 0, 0, INT_MAX),
  int('set-max-intset-entries', 512, 0, LLONG_MAX),
  int('zset-max-listpack-entries', 128, 0, LLONG_MAX, true, { aliases: ['zset-max-ziplist-entries'] }),
  int('zset-max-listpack-value', 64, 0, LLONG_MAX, true, { aliases: ['zset-max-ziplist-value'] }),
  memory('hll-sparse-max-bytes', 3000, 0, LLONG_MAX),
  memory('stream-node-max-bytes', 4096, 0, LLONG_MAX),
  int('stream-node-max-entries', 100, 0, LLONG_MAX),
  bool('activerehashing', true),
  int('tracking-table-max-keys', 1000000, 0, LLONG_MAX),

  // Accepted for compatibility: threads, allocator, defrag, OS tuning, cluster, TLS.
  int('io-threads', 1, 1, 128, false, inert),
  bool('io-threads-do-reads', false, false, inert),
  bool('activedefrag', false, true, inert),
  memory('active-defrag-ignore-bytes', 100 * 1024 * 1024, 1, LLONG_MAX, true, inert),
  int('active-defrag-threshold-lower', 10, 0, 1000, true, inert),
  int('active-defrag-threshold-upper', 100, 0, 1000, true, inert),
  int('active-defrag-cycle-min', 1, 1, 99, true, inert),
  int('active-defrag-cycle-max', 25, 1, 99, true, inert),
  int('active-defrag-max-scan-fields', 1000, 1, LLONG_MAX, true, inert),
  bool('jemalloc-bg-thread', true, true, inert),
  bool('disable-thp', true, false, inert),
  oneOf('oom-score-adj', 'no', ['no', 'yes', 'relative', 'absolute'], true, inert),
  special('oom-score-adj-values', '0 200 800', 'oom-score-adj-values', true, inert),
  str('server_cpulist', '', false, inert),
  str('bio_cpulist', '', false, inert),
  str('aof_rewrite_cpulist', '', false, inert),
  str('bgsave_cpulist', '', false, inert),
  bool('cluster-enabled', false, false, inert),
  str('cluster-config-file', 'nodes.conf', false, inert),
  int('cluster-node-timeout', 15000, 0, LLONG_MAX, true, inert),
  int('cluster-port', 0, 0, 65535, false, inert),
  int('cluster-replica-validity-factor', 10, 0, INT_MAX, true, { ...inert, aliases: ['cluster-slave-validity-factor'] }),
  int('cluster-migration-barrier', 1, 0, INT_MAX, true, inert),
  bool('cluster-allow-replica-migration', true, true, inert),
  bool('cluster-require-full-coverage', true, true, inert),
  bool('cluster-replica-no-failover', false, true, { ...inert, aliases: ['cluster-slave-no-failover'] }),
  bool('cluster-allow-reads-when-down', false, true, inert),
  bool('cluster-allow-pubsubshard-when-down', true, true, inert),
  memory('cluster-link-sendbuf-limit', 0, 0, LLONG_MAX, true, inert),
  str('cluster-announce-ip', '', true, inert),
  str('cluster-announce-hostname', '', true, inert),
  int('cluster-announce-port', 0, 0, 65535, true, inert),
  int('cluster-announce-bus-port', 0, 0, 65535, true, inert),
  int('cluster-announce-tls-port', 0, 0, 65535, true, inert),
  oneOf('cluster-preferred-endpoint-type', 'ip', ['ip', 'hostname', 'unknown-endpoint'], true, inert),
  int('tls-port', 0, 0, 65535, true, inert),
  str('tls-cert-file', '', true, inert),
  str('tls-key-file', '', true, inert),
  str('tls-key-file-pass', '', true, inert),
  str('tls-client-cert-file', '', true, inert),
  str('tls-client-key-file', '', true, inert),
  str('tls-client-key-file-pass', '', true, inert),
  str('tls-dh-params-file', '', true, inert),
  str('tls-ca-cert-file', '', true, inert),
  str('tls-ca-cert-dir', '', true, inert),
  str('tls-protocols', '', true, inert),
  str('tls-ciphers', '', true, inert),
  str('tls-ciphersuites', '', true, inert),
  oneOf('tls-auth-clients', 'yes', ['no', 'yes', 'optional'], true, inert),
  bool('tls-replication', false, true, inert),
  bool('tls-cluster', false, true, inert),
  bool('tls-prefer-server-ciphers', false, true, inert),
  bool('tls-session-caching', true, true, inert),
  int('tls-session-cache-size', 20480, 0, INT_MAX, true, inert),
  int('tls-session-cache-timeout', 300, 0, INT_MAX, true, inert),
];

const BY_NAME = new Map<string, Directive>();
for (const d of DIRECTIVES) {
  BY_NAME.set(d.name, d);
  for (const alias of d.aliases ?? []) BY_NAME.set(alias, d);
}

/** The directive for a name or alias (lowercase), if any. */
export function findDirective(name: string): Directive | undefined {
  return BY_NAME.get(name);
}

/**
 * Directives that are lines of their own kind rather than settings (config.c handles them before
 * the table): they may repeat and are collected in order.
 */
export const LINE_DIRECTIVES = ['include', 'user', 'rename-command', 'loadmodule', 'sentinel'] as const;
