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

export interface NodePanelApi {
  nodePanel(id: string): Promise<NodePanelData>;
}

export const NODE_PANEL_PARAM_CHECKS = {
  nodePanel: (params) => [nodeId(params[0])],
} satisfies ParamChecks<NodePanelApi>;
