// Checks for the parameters of a LabApi call. Whatever arrives over IPC or the WebSocket is
// untrusted: each API slice declares one check per method, turning `unknown[]` into exactly the
// arguments its interface declares (or throwing a message for people), so the host can rely on its
// signatures. Pure TypeScript on purpose: this folder is imported by the renderer too.

/** One check per method of `Api`, each returning that method's parameters. */
export type ParamChecks<Api extends Record<keyof Api, (...args: never[]) => unknown>> = {
  [M in keyof Api]: (params: unknown[]) => Parameters<Api[M]>;
};

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function nodeId(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) throw new Error('a node id must be a non-empty string');
  return value;
}

export function optionalCount(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || (value as number) < 1) throw new Error('a limit must be a positive integer');
  return value as number;
}
