// What the Settings panel and the Add node dialog show for each node setting (api/settings.ts):
// labels, the kind of control, and Redis 7.0's defaults (a new node starts with them, so the Add
// node dialog sends only what the user changed). Persistence is shown as one choice (none, RDB,
// AOF, both) over the two directives that make it: `save` and `appendonly`.
import type { NodeSettingName, NodeSettingValues } from '@api/index.js';

export type FieldKind = 'yesno' | 'choice' | 'number' | 'text' | 'password';

export interface SettingField {
  name: NodeSettingName;
  label: string;
  kind: FieldKind;
  options?: readonly string[];
  /** A short hint under the label: the unit, or what the value means. */
  hint?: string;
}

export interface SettingGroup {
  title: string;
  fields: SettingField[];
}

/** redis.conf's default save points (node-files.ts writes the same into every new node's config). */
export const DEFAULT_SAVE_POINTS = '3600 1 300 100 60 10000';

/** Redis 7.0's defaults, as CONFIG GET prints them. */
export const SETTING_DEFAULTS: Required<NodeSettingValues> = {
  save: DEFAULT_SAVE_POINTS,
  appendonly: 'no',
  appendfsync: 'everysec',
  requirepass: '',
  masteruser: '',
  masterauth: '',
  'repl-diskless-sync': 'yes',
  'repl-diskless-sync-delay': '5',
  'repl-diskless-load': 'disabled',
  'repl-backlog-size': '1048576',
  'repl-backlog-ttl': '3600',
  'repl-timeout': '60',
  'repl-ping-replica-period': '10',
  'replica-read-only': 'yes',
  'replica-serve-stale-data': 'yes',
  'replica-priority': '100',
  'min-replicas-to-write': '0',
  'min-replicas-max-lag': '10',
  maxmemory: '0',
  'maxmemory-policy': 'noeviction',
};

/** Everything but persistence, which has its own control (PersistenceChoice). */
export const SETTING_GROUPS: SettingGroup[] = [
  {
    title: 'Authentication',
    fields: [
      { name: 'requirepass', label: 'requirepass', kind: 'password', hint: 'clients must AUTH with it; empty: none' },
      { name: 'masteruser', label: 'masteruser', kind: 'text', hint: 'the ACL user this replica authenticates as' },
      {
        name: 'masterauth',
        label: 'masterauth',
        kind: 'password',
        hint: "the master's password (set for you when linking to a protected master)",
      },
    ],
  },
  {
    title: 'Replication',
    fields: [
      { name: 'repl-diskless-sync', label: 'repl-diskless-sync', kind: 'yesno', hint: 'send the RDB over the socket, not through a file' },
      { name: 'repl-diskless-sync-delay', label: 'repl-diskless-sync-delay', kind: 'number', hint: 'seconds to wait for more replicas' },
      { name: 'repl-diskless-load', label: 'repl-diskless-load', kind: 'choice', options: ['disabled', 'on-empty-db', 'swapdb'] },
      { name: 'repl-backlog-size', label: 'repl-backlog-size', kind: 'text', hint: 'bytes, or 1mb, 64mb…' },
      { name: 'repl-backlog-ttl', label: 'repl-backlog-ttl', kind: 'number', hint: 'seconds without replicas before it is freed' },
      { name: 'repl-timeout', label: 'repl-timeout', kind: 'number', hint: 'seconds' },
      { name: 'repl-ping-replica-period', label: 'repl-ping-replica-period', kind: 'number', hint: 'seconds' },
      { name: 'replica-read-only', label: 'replica-read-only', kind: 'yesno' },
      { name: 'replica-serve-stale-data', label: 'replica-serve-stale-data', kind: 'yesno' },
      { name: 'replica-priority', label: 'replica-priority', kind: 'number', hint: 'lower wins a promotion; 0: never' },
      { name: 'min-replicas-to-write', label: 'min-replicas-to-write', kind: 'number', hint: 'refuse writes with fewer good replicas' },
      { name: 'min-replicas-max-lag', label: 'min-replicas-max-lag', kind: 'number', hint: 'seconds' },
    ],
  },
  {
    title: 'Memory',
    fields: [
      { name: 'maxmemory', label: 'maxmemory', kind: 'text', hint: 'bytes, or 100mb, 1gb…; 0: no limit' },
      {
        name: 'maxmemory-policy',
        label: 'maxmemory-policy',
        kind: 'choice',
        options: [
          'noeviction',
          'allkeys-lru',
          'allkeys-lfu',
          'allkeys-random',
          'volatile-lru',
          'volatile-lfu',
          'volatile-random',
          'volatile-ttl',
        ],
      },
    ],
  },
];

export type PersistenceMode = 'none' | 'rdb' | 'aof' | 'both';

export const PERSISTENCE_MODES: ReadonlyArray<{ mode: PersistenceMode; label: string }> = [
  { mode: 'none', label: 'None' },
  { mode: 'rdb', label: 'RDB snapshots' },
  { mode: 'aof', label: 'AOF' },
  { mode: 'both', label: 'RDB and AOF' },
];

export function persistenceMode(values: NodeSettingValues): PersistenceMode {
  const rdb = (values.save ?? '') !== '';
  const aof = values.appendonly === 'yes';
  return rdb ? (aof ? 'both' : 'rdb') : aof ? 'aof' : 'none';
}

/** The `save` and `appendonly` values for a mode, keeping the save points already typed. */
export function withPersistence(values: NodeSettingValues, mode: PersistenceMode, savePoints: string): NodeSettingValues {
  const rdb = mode === 'rdb' || mode === 'both';
  const aof = mode === 'aof' || mode === 'both';
  return { ...values, save: rdb ? savePoints || DEFAULT_SAVE_POINTS : '', appendonly: aof ? 'yes' : 'no' };
}

/** The settings of `draft` that differ from `base`: what Apply (or Add node) sends. */
export function changedSettings(draft: NodeSettingValues, base: NodeSettingValues): NodeSettingValues {
  const changes: NodeSettingValues = {};
  for (const [name, value] of Object.entries(draft) as Array<[NodeSettingName, string | undefined]>) {
    if (value !== undefined && value !== base[name]) changes[name] = value;
  }
  return changes;
}

/** The setting named in an addNode error ("the node refused maxmemory-policy: ERR …"), to mark its field. */
export function refusedSettingOf(message: string): NodeSettingName | null {
  const match = /the node refused ([a-z-]+):/.exec(message);
  return match && match[1]! in SETTING_DEFAULTS ? (match[1] as NodeSettingName) : null;
}
