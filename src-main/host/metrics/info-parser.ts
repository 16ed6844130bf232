// Turns a node's own INFO text into the fields the lab shows. Nothing here computes a number: every
// value is read from the node's answer, so the screen shows what `redis-cli INFO` would show.
import type { AttachedReplicaInfo, NodeLiveInfo } from '../../api/index.js';

/** One `# Title` section of INFO text and its `field:value` pairs, in the node's order. */
export interface InfoSectionText {
  title: string;
  fields: Array<[string, string]>;
}

/** INFO text as its sections, in the node's order, each with its title as the node wrote it ("Replication"). */
export function infoSections(text: string): InfoSectionText[] {
  const sections: InfoSectionText[] = [];
  let current: InfoSectionText | null = null;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    if (line.startsWith('#')) {
      current = { title: line.slice(1).trim(), fields: [] };
      sections.push(current);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0 || !current) continue;
    current.fields.push([line.slice(0, colon), line.slice(colon + 1)]);
  }
  return sections;
}

/** INFO text as sections: lower-case section name -> its `field:value` pairs in the node's order. */
function parseInfoSections(text: string): Map<string, Array<[string, string]>> {
  return new Map(infoSections(text).map((section) => [section.title.toLowerCase(), section.fields]));
}

/** Parses the default `INFO` output (server, clients, memory, stats, replication, keyspace, ...). */
export function parseNodeInfo(text: string, sampledAt: number): NodeLiveInfo {
  const sections = parseInfoSections(text);
  const fields = new Map<string, string>();
  for (const pairs of sections.values()) for (const [key, value] of pairs) fields.set(key, value);
  const num = (key: string): number => {
    const value = Number(fields.get(key));
    return Number.isFinite(value) ? value : 0;
  };

  const live: NodeLiveInfo = {
    sampledAt,
    role: fields.get('role') === 'slave' ? 'slave' : 'master',
    uptimeSeconds: num('uptime_in_seconds'),
    connectedClients: num('connected_clients'),
    usedMemory: num('used_memory'),
    keys: countKeys(sections.get('keyspace') ?? []),
    opsPerSec: num('instantaneous_ops_per_sec'),
    connectedSlaves: num('connected_slaves'),
    masterReplOffset: num('master_repl_offset'),
    masterReplid: fields.get('master_replid') ?? '',
    replicas: attachedReplicas(sections.get('replication') ?? []),
    replication: sections.get('replication') ?? [],
  };
  const masterHost = fields.get('master_host');
  if (masterHost !== undefined) live.masterHost = masterHost;
  if (fields.has('master_port')) live.masterPort = num('master_port');
  const link = fields.get('master_link_status');
  if (link === 'up' || link === 'down') live.masterLinkStatus = link;
  return live;
}

/** The master's `slaveN:ip=127.0.0.1,port=6380,state=online,offset=1234,lag=0` lines, in order. */
function attachedReplicas(replication: Array<[string, string]>): AttachedReplicaInfo[] {
  const replicas: AttachedReplicaInfo[] = [];
  for (const [field, value] of replication) {
    if (!/^slave\d+$/.test(field)) continue;
    const parts = new Map(
      value.split(',').map((part) => {
        const eq = part.indexOf('=');
        return [part.slice(0, eq), part.slice(eq + 1)] as const;
      }),
    );
    replicas.push({
      ip: parts.get('ip') ?? '',
      port: Number(parts.get('port') ?? 0),
      state: parts.get('state') ?? '',
      offset: Number(parts.get('offset') ?? 0),
      lag: Number(parts.get('lag') ?? 0),
    });
  }
  return replicas;
}

/** Sums `keys=N` over the keyspace section's `dbN:keys=..,expires=..,avg_ttl=..` lines. */
function countKeys(keyspace: Array<[string, string]>): number {
  let total = 0;
  for (const [db, value] of keyspace) {
    if (!/^db\d+$/.test(db)) continue;
    const match = /(?:^|,)keys=(\d+)/.exec(value);
    if (match) total += Number(match[1]);
  }
  return total;
}
