// Everything about one node at a glance: every INFO section as the node wrote it, the files in its
// directory, and where its directory, redis.conf and log are. Read on request (the panel polls
// while open), not pushed: INFO everything is too large to send twice a second for every node.
import { nodeId, type ParamChecks } from './param-checks.js';

export interface InfoSection {
  /** As the node wrote it: "Server", "Replication", "Persistence"... */
  title: string;
  fields: Array<[string, string]>;
}

export interface NodeFileEntry {
  /** Relative to the node's directory, with `/` (appendonlydir/appendonly.aof.1.incr.aof). */
  path: string;
  size: number;
  /** ms since the epoch */
  modifiedAt: number;
}

export interface NodePanelData {
  id: string;
  dir: string;
  configFile: string;
  logFile: string;
  /** When INFO was read; null when the node is not running (then `sections` is empty). */
  sampledAt: number | null;
  /** `INFO everything`, section by section, in the node's order. */
  sections: InfoSection[];
  /** The files in the node's directory (one level of subfolders, as appendonlydir), by path. */
  files: NodeFileEntry[];
}

/** One line of CLIENT LIST, its `field=value` pairs in the node's order (id, addr, name, age, idle, flags, db, cmd, user...). */
export type ClientListEntry = Array<[string, string]>;

export interface NodePanelApi {
  nodePanel(id: string): Promise<NodePanelData>;
  /**
   * The node's CLIENT LIST, sent as a client like any other (so it lists itself, and a node with
   * requirepass answers NOAUTH, which is the rejection's message). On request only: a connection
   * every poll would show in the node's own connection counters.
   */
  nodeClients(id: string): Promise<ClientListEntry[]>;
}

export const NODE_PANEL_PARAM_CHECKS = {
  nodePanel: (params) => [nodeId(params[0])],
  nodeClients: (params) => [nodeId(params[0])],
} satisfies ParamChecks<NodePanelApi>;
