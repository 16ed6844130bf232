// The one place where a request from the renderer, as it arrives over either transport (Electron IPC
// or the browser-mode WebSocket), becomes a LabApi call. Everything that arrives is untrusted: the
// method must be on the whitelist and the parameters must pass that method's check, which its API
// slice declares (src-main/api/*.ts), so that LabHost itself can rely on its signatures.
import { isLabMethod, LAB_PARAM_CHECKS, type LabApi, type LabMethod, type LabResponse } from '../../api/index.js';
import { isRecord } from '../../api/param-checks.js';

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
  const args = LAB_PARAM_CHECKS[method](params);
  return (api[method] as (...a: Parameters<LabApi[M]>) => Promise<unknown>).apply(api, args);
}
