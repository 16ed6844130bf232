// The Redis 7 multi-part AOF manifest (aof.c aofInfoFormat / aofLoadManifestFromFile): one line
// per file, `file <name> seq <n> type <b|h|i>`, base first, then history, then increments.
// Names that need it are quoted with sdscatrepr and read back with sdssplitargs, so any file
// name Redis accepts round-trips. Strings are latin1 so that every byte survives.

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
  return files.map((f) => `file ${needsRepr(f.fileName) ? quoteRepr(f.fileName) : f.fileName} seq ${f.seq} type ${f.type}\n`).join('');
}

/** atoll: optional sign and leading digits, anything else ignored (0 when none). */
function atoll(s: string): number {
  const m = /^[ \t\n\v\f\r]*([-+]?\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}

const isSpace = (c: string | undefined): boolean => c !== undefined && ' \t\n\v\f\r'.includes(c);
const isPrint = (code: number): boolean => code >= 0x20 && code <= 0x7e;
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** sds.c sdsneedsrepr. */
function needsRepr(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' || c === '"' || !isPrint(s.charCodeAt(i)) || isSpace(c)) return true;
  }
  return false;
}

const REPR_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\x07': '\\a', '\b': '\\b' };

/** sds.c sdscatrepr. */
function quoteRepr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const code = s.charCodeAt(i);
    out += REPR_ESCAPES[c] ?? (isPrint(code) ? c : `\\x${code.toString(16).padStart(2, '0')}`);
  }
  return out + '"';
}

const UNESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' };

/** sds.c sdssplitargs: null on unbalanced quotes or a closing quote not followed by a space. */
export function splitArgs(line: string): string[] | null {
  const args: string[] = [];
  let p = 0;
  for (;;) {
    while (isSpace(line[p])) p++;
    if (p >= line.length) return args;
    let current = '';
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      const c = line[p];
      if (inDouble) {
        if (c === '\\' && line[p + 1] === 'x' && isHex(line[p + 2]) && isHex(line[p + 3])) {
          current += String.fromCharCode(parseInt(line.slice(p + 2, p + 4), 16));
          p += 3;
        } else if (c === '\\' && p + 1 < line.length) {
          p++;
          current += UNESCAPES[line[p]!] ?? line[p]!;
        } else if (c === '"') {
          if (p + 1 < line.length && !isSpace(line[p + 1])) return null;
          done = true;
        } else if (c === undefined) {
          return null;
        } else {
          current += c;
        }
      } else if (inSingle) {
        if (c === '\\' && line[p + 1] === "'") {
          p++;
          current += "'";
        } else if (c === "'") {
          if (p + 1 < line.length && !isSpace(line[p + 1])) return null;
          done = true;
        } else if (c === undefined) {
          return null;
        } else {
          current += c;
        }
      } else if (c === undefined || c === ' ' || c === '\n' || c === '\r' || c === '\t') {
        done = true;
      } else if (c === '"') {
        inDouble = true;
      } else if (c === "'") {
        inSingle = true;
      } else {
        current += c;
      }
      if (p < line.length) p++;
    }
    args.push(current);
  }
}
