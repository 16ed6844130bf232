// Per-node settings: the redis.conf directives a user can set on a node from the lab, at creation
// (addNode's `settings`) and later (applyNodeSettings). Values are the node's own CONFIG GET/SET
// strings ("yes", "60", "100mb", "3600 1 300 100"); the node is the judge of every value, so the
// only checks here are that names are known and values are strings.
import { isRecord, nodeId, type ParamChecks } from './param-checks.js';

/** The settings the lab offers, in the order the Settings panel shows them. */
export const NODE_SETTING_NAMES = [
  'save',
  'appendonly',
  'appendfsync',
  'requirepass',
  'masteruser',
  'masterauth',
  'repl-diskless-sync',
  'repl-diskless-sync-delay',
  'repl-diskless-load',
  'repl-backlog-size',
  'repl-backlog-ttl',
  'repl-timeout',
  'repl-ping-replica-period',
  'replica-read-only',
  'replica-serve-stale-data',
  'replica-priority',
  'min-replicas-to-write',
  'min-replicas-max-lag',
  'maxmemory',
  'maxmemory-policy',
] as const;

export type NodeSettingName = (typeof NODE_SETTING_NAMES)[number];

/** Some or all settings, by name, as CONFIG GET prints them and CONFIG SET takes them. */
export type NodeSettingValues = Partial<Record<NodeSettingName, string>>;

export interface NodeSettingsView {
  nodeId: string;
  /**
   * Every setting: read from the running node with CONFIG GET, or, for a stopped node, lab.db's copy
   * of what the node had when the lab last read it (its redis.conf is what it will start with).
   */
  values: NodeSettingValues;
  /** True when `values` came from the running node now. */
  live: boolean;
}

export interface SettingsRefusal {
  /** The setting the node refused; null when the group failed as a whole (CONFIG REWRITE). */
  name: NodeSettingName | null;
  /** The node's own error text. */
  error: string;
}

export interface ApplySettingsResult {
  /** The node's settings after the call: all of the changes, or (refused) none of them. */
  settings: NodeSettingsView;
  refused: SettingsRefusal | null;
}

export interface SettingsApi {
  nodeSettings(id: string): Promise<NodeSettingsView>;
  /**
   * Applies the changes to the running node (CONFIG SET each, then CONFIG REWRITE so its redis.conf
   * keeps them) all or nothing: if the node refuses one, those already set go back to their values
   * before the call, and `refused` carries the node's own error.
   */
  applyNodeSettings(id: string, changes: NodeSettingValues): Promise<ApplySettingsResult>;
}

export const SETTINGS_PARAM_CHECKS = {
  nodeSettings: (params) => [nodeId(params[0])],
  applyNodeSettings: (params) => [nodeId(params[0]), settingValues(params[1])],
} satisfies ParamChecks<SettingsApi>;

const KNOWN = new Set<string>(NODE_SETTING_NAMES);

/** Known names with string values of a sane length; the node checks what the values mean. */
export function settingValues(value: unknown): NodeSettingValues {
  if (!isRecord(value)) throw new Error('settings must be an object of name: value');
  const values: NodeSettingValues = {};
  for (const [name, setting] of Object.entries(value)) {
    if (!KNOWN.has(name)) throw new Error(`unknown setting '${name}'`);
    if (typeof setting !== 'string' || setting.length > 1024)
      throw new Error(`the value of '${name}' must be a string of at most 1024 characters`);
    values[name as NodeSettingName] = setting;
  }
  return values;
}
