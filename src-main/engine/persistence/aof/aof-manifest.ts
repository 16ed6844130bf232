// The Redis 7 multi-part AOF manifest (aof.c aofInfoFormat / aofLoadManifestFromFile): one line
// per file, `file <name> seq <n> type <b|h|i>`, base first, then history, then increments.
// Names that need it are quoted with sdscatrepr and read back with sdssplitargs, so any file
// name Redis accepts round-trips. Strings are latin1 so that every byte survives.

import { catRepr, needsRepr, splitArgs } from '../../protocol/sds-quoting.js';

export type AofFileType = 'b' | 'h' | 'i';

export interface AofFileInfo {
  fileName: string;
  seq: number;
  type: AofFileType;
}

export interface AofManifest {
  base: AofFileInfo | null;
  history: AofFileInfo[];
  incr: AofFileInfo[];
}

/** aofLoadManifestFromFile's fatal error, with the line Redis would log under it. */
export class AofManifestError extends Error {
  constructor(
    readonly reason: string,
    readonly lineNumber: number | null = null,
    readonly line: string | null = null,
  ) {
    super(lineNumber === null ? reason : `${reason} (at line ${lineNumber}: '${line}')`);
    this.name = 'AofManifestError';
  }
}

/** fgets(buf, MANIFEST_MAX_LINE+1): a line longer than this is an error. */
const MANIFEST_MAX_LINE = 1024;

export function parseAofManifest(text: string): AofManifest {
  const manifest: AofManifest = { base: null, history: [], incr: [] };
  if (text.length === 0) throw new AofManifestError('Found an empty AOF manifest');
  let maxIncrSeq = 0;
  let lineNumber = 0;
  let pos = 0;
  while (pos < text.length) {
    const newline = text.indexOf('\n', pos);
    const rawEnd = newline === -1 ? text.length : newline + 1;
    // fgets stops after MANIFEST_MAX_LINE bytes; what it got must contain the newline.
    const raw = text.slice(pos, Math.min(rawEnd, pos + MANIFEST_MAX_LINE));
    pos += raw.length;
    lineNumber++;
    if (raw.startsWith('#')) continue;
    if (!raw.includes('\n')) throw new AofManifestError('The AOF manifest file contains too long line');
    const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    const fail = (reason: string): never => {
      throw new AofManifestError(reason, lineNumber, line);
    };
    if (line.length === 0) fail('Invalid AOF manifest file format');
    const argv = splitArgs(line);
    // 'argc < 6' allows for fields added by future versions.
    if (argv === null || argv.length < 6 || argv.length % 2 !== 0) fail('Invalid AOF manifest file format');
    let fileName: string | null = null;
    let seq = 0;
    let type = '';
    for (let i = 0; i < argv!.length; i += 2) {
      const key = argv![i]!.toLowerCase();
      const value = argv![i + 1]!;
      if (key === 'file') {
        fileName = value;
        if (value.includes('/') || value.includes('\\')) fail("File can't be a path, just a filename");
      } else if (key === 'seq') {
        seq = atoll(value);
      } else if (key === 'type') {
        type = value.charAt(0);
      }
    }
    if (!fileName || !seq || !type) fail('Invalid AOF manifest file format');
    const info = { fileName: fileName!, seq, type: type as AofFileType };
    if (type === 'b') {
      if (manifest.base) fail('Found duplicate base file information');
      manifest.base = info;
    } else if (type === 'h') {
      manifest.history.push(info);
    } else if (type === 'i') {
      if (seq <= maxIncrSeq) fail('Found a non-monotonic sequence number');
      manifest.incr.push(info);
      maxIncrSeq = seq;
    } else {
      fail('Unknown AOF file type');
    }
  }
  return manifest;
}

/** getAofManifestAsString: base, then history, then increments, each via aofInfoFormat. */
export function formatAofManifest(manifest: AofManifest): string {
  const files = [...(manifest.base ? [manifest.base] : []), ...manifest.history, ...manifest.incr];
  return files.map((f) => `file ${needsRepr(f.fileName) ? catRepr(f.fileName) : f.fileName} seq ${f.seq} type ${f.type}\n`).join('');
}

/** atoll: optional sign and leading digits, anything else ignored (0 when none). */
function atoll(s: string): number {
  const m = /^[ \t\n\v\f\r]*([-+]?\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}
