// The public face of the server engine: how any Node process (the CLI, the lab host's worker
// threads, tests) starts and stops one Redis-compatible node. Nothing here, nor anything below
// src-main/engine, may import Electron, Vue or the lab host.

export type { LogSink, StartOptions, NodeHandle } from './node.js';
export { startNode, ConfigError, ShutdownInsisted } from './node.js';
// Redis's quoting (sdscatrepr / sdsneedsrepr), for whoever writes a redis.conf a node will read, and
// its splitting (sdssplitargs), for the lab's console, which reads typed lines as redis-cli does.
export { catRepr, needsRepr, splitArgs } from './protocol/sds-quoting.js';
// Reading an RDB file without a node (its aux fields: repl-id, repl-offset, ...), for the lab host
// to tell what a stopped node would load if it started.
export { readRdbFile } from './persistence/rdb/rdb-reader.js';
// The Redis version the nodes answer as (the desktop app's About box shows it).
export { REDIS_VERSION } from './util/version.js';
// A Sentinel (Redis's sentinel mode): started like a node, from a config file it rewrites; its
// state is what SENTINEL MASTERS / REPLICAS / SENTINELS report over the protocol, and the handle.
export type { SentinelStartOptions, SentinelHandle, SentinelMasterState } from './sentinel/sentinel-node.js';
export { startSentinel } from './sentinel/sentinel-node.js';
