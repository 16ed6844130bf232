// The one typed API between the renderer and the lab host, composed from one slice per feature
// (nodes, replication, events, logs, access, history, export, links, load, console, node panel, backlog, settings, sentinels, stream view; metrics and wire
// carry types and constants only).
//
// The renderer calls `LabApi` methods and subscribes to `LabPush` messages. It never knows the
// transport: in the Electron window the calls travel over IPC through the preload whitelist
// (src-main/electron/preload.ts), in browser mode over a WebSocket (src-main/host/transport/).
// Both transports carry exactly the shapes in wire.ts, and both check the method name against
// LAB_METHODS, which is derived from the slices' parameter checks: one list, checked complete by
// the compiler (see oneCheckPerMethod below).
//
// This folder must stay free of Node, Electron and Vue imports: both sides import it.
import { ACCESS_PARAM_CHECKS, type AccessApi } from './access.js';
import { BACKLOG_PARAM_CHECKS, type BacklogApi } from './backlog.js';
import { CONSOLE_PARAM_CHECKS, type ConsoleApi, type ConsolePush } from './console.js';
import { EVENTS_PARAM_CHECKS, type EventPush, type EventsApi } from './events.js';
import { EXPORT_PARAM_CHECKS, type ExportApi } from './export.js';
import { HISTORY_PARAM_CHECKS, type HistoryApi, type HistoryPush } from './history.js';
import { LINKS_PARAM_CHECKS, type LinksApi } from './links.js';
import { LOAD_PARAM_CHECKS, type LoadApi, type LoadPush } from './load.js';
import { LOGS_PARAM_CHECKS, type LogPush, type LogsApi } from './logs.js';
import { NODE_PANEL_PARAM_CHECKS, type NodePanelApi } from './node-panel.js';
import { NODES_PARAM_CHECKS, type NodesApi, type NodesPush } from './nodes.js';
import type { ParamChecks } from './param-checks.js';
import type { LabRequest } from './wire.js';
import { REPLICATION_PARAM_CHECKS, type ReplicationApi } from './replication.js';
import { SETTINGS_PARAM_CHECKS, type SettingsApi } from './settings.js';
import { SENTINELS_PARAM_CHECKS, type SentinelsApi } from './sentinels.js';
import { STREAM_VIEW_PARAM_CHECKS, type StreamPush, type StreamViewApi } from './stream-view.js';

export type * from './access.js';
export type * from './backlog.js';
export type * from './node-panel.js';
export * from './console.js';
export type * from './events.js';
export type * from './history.js';
export * from './export.js';
export * from './links.js';
export * from './load.js';
export type * from './logs.js';
export type * from './metrics.js';
export type * from './nodes.js';
export type * from './replication.js';
export * from './settings.js';
export * from './sentinels.js';
export * from './stream-view.js';
export * from './wire.js';

/** What the renderer may ask of the host. Every method resolves or rejects with an Error whose message is for people. */
export interface LabApi
  extends
    NodesApi,
    ReplicationApi,
    EventsApi,
    LogsApi,
    AccessApi,
    HistoryApi,
    ExportApi,
    LinksApi,
    LoadApi,
    ConsoleApi,
    NodePanelApi,
    BacklogApi,
    SettingsApi,
    SentinelsApi,
    StreamViewApi {}

export type LabMethod = keyof LabApi;

/** Pushed by the host, unrequested. */
export type LabPush = NodesPush | EventPush | LogPush | HistoryPush | LoadPush | ConsolePush | StreamPush;

type LabParamChecks = ParamChecks<LabApi>;

/**
 * Accepts exactly one check per LabApi method, so that the whitelist below cannot drift from the
 * interface: a method without a check fails `LabParamChecks`, and a check for something that is not
 * a LabApi method (a slice spread here but missing from LabApi) fails the `never`. Either way
 * `npm run typecheck` fails; each slice's own `satisfies ParamChecks<...>` catches the same within it.
 */
function oneCheckPerMethod<T extends LabParamChecks & { [K in Exclude<keyof T, LabMethod>]: never }>(checks: T): LabParamChecks {
  return checks;
}

/** The parameter check for every method: where a request from either transport is validated. */
export const LAB_PARAM_CHECKS: LabParamChecks = oneCheckPerMethod({
  ...NODES_PARAM_CHECKS,
  ...REPLICATION_PARAM_CHECKS,
  ...EVENTS_PARAM_CHECKS,
  ...LOGS_PARAM_CHECKS,
  ...ACCESS_PARAM_CHECKS,
  ...HISTORY_PARAM_CHECKS,
  ...EXPORT_PARAM_CHECKS,
  ...LINKS_PARAM_CHECKS,
  ...LOAD_PARAM_CHECKS,
  ...CONSOLE_PARAM_CHECKS,
  ...NODE_PANEL_PARAM_CHECKS,
  ...BACKLOG_PARAM_CHECKS,
  ...SETTINGS_PARAM_CHECKS,
  ...SENTINELS_PARAM_CHECKS,
  ...STREAM_VIEW_PARAM_CHECKS,
});

/** The whitelist: the only method names either transport forwards. */
export const LAB_METHODS: readonly LabMethod[] = Object.freeze(Object.keys(LAB_PARAM_CHECKS) as LabMethod[]);

export function isLabMethod(name: unknown): name is LabMethod {
  return typeof name === 'string' && (LAB_METHODS as readonly string[]).includes(name);
}

/**
 * The request a bridge sends for `call(method, params)`, checked as the host will check it (the
 * method on the whitelist, the parameters through its check), so that a bad call fails in the
 * caller with the host's message. Throws for people. The host checks again: a compromised renderer
 * need not use this.
 */
export function checkedLabRequest(id: number, method: unknown, params: unknown): LabRequest {
  if (!isLabMethod(method)) throw new Error(`unknown method ${JSON.stringify(method)}`);
  if (!Array.isArray(params)) throw new Error('params must be an array');
  LAB_PARAM_CHECKS[method](params);
  return { id, method, params };
}
