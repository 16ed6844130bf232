// Each node's log lines (Redis log format): the recent tail on request, new lines as pushes.
import { nodeId, optionalCount, type ParamChecks } from './param-checks.js';

export interface LogsApi {
  /** Recent log lines of one node (Redis log format), oldest first. */
  nodeLog(id: string, limit?: number): Promise<string[]>;
}

/** Pushed for every line a node logs. */
export type LogPush = { type: 'log'; nodeId: string; line: string };

export const LOGS_PARAM_CHECKS = {
  nodeLog: (params) => [nodeId(params[0]), optionalCount(params[1])],
} satisfies ParamChecks<LogsApi>;
