// Exporting the lab's logs: one archive (tar.gz) of a time range with the events, the samples, each
// node's whole log and redis.conf, and optionally its data files. The host writes it in its data
// directory's exports/ folder; browser mode then offers it as a download at `download`.
import { isRecord, type ParamChecks } from './param-checks.js';

export interface ExportRequest {
  /** ms since the epoch; default: the beginning of the lab's history. */
  since?: number;
  /** ms since the epoch; default: now. */
  until?: number;
  /** Include each node's RDB and AOF files (can be large). */
  includeData?: boolean;
}

export interface ExportedArchive {
  /** The archive's file name (replica-lab-YYYYMMDD-HHMMSS.tar.gz). */
  name: string;
  /** Where it is: where the host wrote it, or in the Electron window where the user chose to save it. */
  file: string;
  bytes: number;
  /** Browser mode's URL path that downloads it once (the file is then deleted); null in the Electron window. */
  download: string | null;
}

export interface ExportApi {
  exportLogs(request?: ExportRequest): Promise<ExportedArchive>;
}

/** Browser mode serves exported archives under this path: `${EXPORT_DOWNLOAD_PATH}<name>`. */
export const EXPORT_DOWNLOAD_PATH = '/exports/';

/** An archive name as the host makes them, and nothing else (the download route serves only these). */
export const EXPORT_NAME = /^replica-lab-\d{8}-\d{6}(?:-\d+)?\.tar\.gz$/;

function exportRequest(value: unknown): ExportRequest | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new Error('an export request must be an object { since?, until?, includeData? }');
  const request: ExportRequest = {};
  for (const key of ['since', 'until'] as const) {
    const v = value[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${key} must be a time in ms`);
    request[key] = v;
  }
  if (request.since !== undefined && request.until !== undefined && request.until <= request.since)
    throw new Error('until must come after since');
  if (value.includeData !== undefined) {
    if (typeof value.includeData !== 'boolean') throw new Error('includeData must be true or false');
    request.includeData = value.includeData;
  }
  return request;
}

export const EXPORT_PARAM_CHECKS = {
  exportLogs: (params) => [exportRequest(params[0])],
} satisfies ParamChecks<ExportApi>;
