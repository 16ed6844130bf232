// The one place where a request from the renderer, as it arrives over either transport (Electron IPC
// or the browser-mode WebSocket), becomes a LabApi call. Everything that arrives is untrusted: the
// method must be on the whitelist and the parameters must have the types LabApi declares, checked
// here so that LabHost itself can rely on its signatures.
import { isLabMethod, type AddNodeOptions, type LabApi, type LabMethod, type LabResponse } from '../../api/lab-api.js';

type ParamCheck<M extends LabMethod> = (params: unknown[]) => Parameters<LabApi[M]>;

const PARAM_CHECKS: { [M in LabMethod]: ParamCheck<M> } = {
  listNodes: () => [],
  addNode: (params) => [addNodeOptions(params[0])],
  startNode: (params) => [nodeId(params[0])],
  stopNode: (params) => [nodeId(params[0])],
  removeNode: (params) => [nodeId(params[0])],
  // null, not a missing argument, means "promote": a dropped parameter must not promote by accident.
  linkNode: (params) => {
    if (params[1] !== null && typeof params[1] !== 'string') throw new Error('linkNode needs a master node id, or null to promote');
    return [nodeId(params[0]), params[1] === null ? null : nodeId(params[1])];
  },
  crashNode: (params) => [nodeId(params[0])],
  listEvents: (params) => [optionalCount(params[0])],
  nodeLog: (params) => [nodeId(params[0]), optionalCount(params[1])],
};

/** Validates and performs one request; never throws: failures become `{ ok: false, error }` for people. */
export async function dispatchLabRequest(api: LabApi, request: unknown): Promise<LabResponse> {
  const id = isRecord(request) && typeof request.id === 'number' ? request.id : -1;
  try {
    if (!isRecord(request) || id < 0) throw new Error('a request needs a numeric id, a method and params');
    const { method, params = [] } = request;
    if (!isLabMethod(method)) throw new Error(`unknown method ${JSON.stringify(method)}`);
    if (!Array.isArray(params)) throw new Error('params must be an array');
    return { id, ok: true, result: await call(api, method, params) };
  } catch (error) {
    return { id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function call<M extends LabMethod>(api: LabApi, method: M, params: unknown[]): Promise<unknown> {
  const args = PARAM_CHECKS[method](params);
  return (api[method] as (...a: Parameters<LabApi[M]>) => Promise<unknown>).apply(api, args);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nodeId(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) throw new Error('a node id must be a non-empty string');
  return value;
}

function optionalCount(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || (value as number) < 1) throw new Error('a limit must be a positive integer');
  return value as number;
}

function addNodeOptions(value: unknown): AddNodeOptions | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new Error('addNode options must be an object');
  const options: AddNodeOptions = {};
  if (value.name !== undefined) {
    if (typeof value.name !== 'string' || value.name.trim().length === 0 || value.name.length > 64) {
      throw new Error('a node name must be 1 to 64 characters');
    }
    options.name = value.name.trim();
  }
  if (value.port !== undefined) {
    if (!Number.isInteger(value.port) || (value.port as number) < 1 || (value.port as number) > 65535) {
      throw new Error('a port must be an integer from 1 to 65535');
    }
    options.port = value.port as number;
  }
  return options;
}
