// The README.md inside every exported archive: what each file is, for whoever unpacks it later.
export const ARCHIVE_README = `# ReplicaLab export

This archive was written by ReplicaLab's export (the Export button, or \`replica-lab export\`).
Times are milliseconds since the Unix epoch (UTC) unless a field ends in \`Iso\`.

| file | what it holds |
|---|---|
| manifest.json | ReplicaLab's version; the time range; every node with its port, settings (extra redis.conf directives), version (redis_version from its INFO in its latest run), and the files included; the topology at export time: the link the lab keeps for each node, plus each node's role and each master's replicas as their latest samples reported them |
| events.ndjson, events.csv | what happened to the nodes (created, started, stopped, crashed, linked, ...), one per line |
| node-samples.ndjson, .csv | each node's INFO, one row a second (tier 0), or 10 s (tier 1) and 1 min (tier 2) buckets for older history: ops/s, memory, clients, keys, master_repl_offset, link status, sync counters, AOF/RDB state |
| replica-samples.ndjson, .csv | each replica as its master listed it: acknowledged offset, lag in bytes (master_repl_offset minus acknowledged offset), seconds behind master (how long ago the master was at the acknowledged offset), and ack_lag, which is Redis's own lag= (seconds since the last ACK) |
| syncs.ndjson, .csv | each full or partial resynchronization of a replica, with its start, end, bytes and outcome, read from the nodes' logs |
| nodes/<id>-<name>/node.log.N … node.log.1, node.log | the node's whole log as it was when the export began: the parts the lab rotated out (node.log.N the oldest) and the current file; read in that order they are one log |
| nodes/<id>-<name>/redis.conf | the node's own config file |
| nodes/<id>-<name>/dump.rdb, appendonlydir/ | the node's data files, only if they were asked for |
| sentinels/<id>-<name>/sentinel.log, sentinel.conf | each Sentinel's log and its config file as the Sentinel last rewrote it; its events are in events.* (kind 'sentinel') |

In a downsampled bucket (tier 1 or 2) gauges are means, offsets and counters the last value, lags
the worst, and a flag (link down, saving, rewriting) is set if it was set at any moment.
`;
