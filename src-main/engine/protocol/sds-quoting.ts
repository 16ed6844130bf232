// Redis's quoting and splitting of strings, from sds.c (7.0), in one place for the whole engine:
//
//   catRepr    sdscatrepr    a string as a double-quoted, escaped literal. Redis uses it for
//                            MONITOR lines (replicationFeedMonitors), CONFIG REWRITE's string
//                            values (rewriteConfigStringOption / rewriteConfigSdsOption, and `dir`
//                            through them), the command-line options turned into config lines
//                            (server.c main) and AOF manifest file names (aofInfoFormat).
//   needsRepr  sdsneedsrepr  whether catRepr is needed for sdssplitargs to read a word back; the
//                            AOF manifest (aofInfoFormat) writes a file name bare unless it does.
//   splitArgs  sdssplitargs  splits a line into arguments: inline requests (processInlineBuffer),
//                            config file lines (loadServerConfigFromString), manifest lines
//                            (aofLoadManifestFromFile) and ACL rule lists.
//
// Strings are binary strings (BinaryString, one char per byte 0-255), as the request parser makes
// them, so every byte round-trips: catRepr(s) read back by splitArgs is s. isprint/isspace are
// the C locale's (Redis only sets LC_COLLATE), so bytes 0x80-0xff are not printable: catRepr
// writes them as \xHH, as Redis does.
//
// Two exceptions, both for text that came from a UTF-8 file or the command line (the config layer
// reads its file as UTF-8 text, not as bytes):
// - A char above 0xff is not a byte. catRepr and needsRepr keep it as it is (needsRepr counts it
//   as non-printable), so that the UTF-8 reader that produced it gets it back. Redis, which holds
//   such text as its UTF-8 bytes, would write each byte as \xHH.
// - `{ text: true }` keeps every char from 0x80 up as it is, for a file written as UTF-8 text that
//   both this engine and redis-server must read back as the same text (the host's redis.conf).
//   The ASCII escapes are sdscatrepr's either way.

/** Options for catRepr/needsRepr. */
export interface ReprOptions {
  /** `s` is Unicode text to be written as UTF-8: chars from 0x80 up are printed as themselves. */
  text?: boolean;
}

/** "\xHH" for every byte, lowercase as sdscatrepr's "\\x%02x". */
const HEX_ESCAPES: string[] = Array.from({ length: 256 }, (_, b) => '\\x' + b.toString(16).padStart(2, '0'));

/** sdscatrepr's escape for a char it does not print as itself. */
function escapeChar(c: number): string {
  switch (c) {
    case 0x5c:
      return '\\\\';
    case 0x22:
      return '\\"';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    default:
      return HEX_ESCAPES[c]!;
  }
}

/** C isprint in the C locale. */
const isPrint = (c: number): boolean => c >= 0x20 && c <= 0x7e;
/** C isspace in the C locale: space, \t \n \v \f \r. */
const isSpaceCode = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/**
 * sds.c sdscatrepr: `s` in double quotes, with \\ \" \n \r \t \a \b escaped, other printable
 * bytes (0x20-0x7e) as themselves and every other byte as \xHH (lowercase hex).
 */
export function catRepr(s: string, options?: ReprOptions): string {
  const keepFrom = options?.text ? 0x80 : 0x100;
  let out = '"';
  let run = 0; // start of the chars not yet copied, all printed as themselves
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((isPrint(c) && c !== 0x22 && c !== 0x5c) || c >= keepFrom) continue;
    out += s.slice(run, i) + escapeChar(c);
    run = i + 1;
  }
  return out + s.slice(run) + '"';
}

/**
 * sds.c sdsneedsrepr: true when `s` holds \\ or ", a non-printable byte or a space (isspace), so
 * that sdssplitargs could not read it back as one bare word. Like Redis, it does not look for a
 * single quote, which sdssplitargs also treats specially: a caller that may meet one and must read
 * the word back checks for it itself.
 */
export function needsRepr(s: string, options?: ReprOptions): boolean {
  const keepFrom = options?.text ? 0x80 : Infinity;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= keepFrom) continue;
    if (c === 0x5c || c === 0x22 || !isPrint(c) || isSpaceCode(c)) return true;
  }
  return false;
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/**
 * sds.c sdssplitargs: splits `line` into arguments at spaces. Double quotes take C-like escapes
 * (\n \r \t \b \a, \xHH, and \<any> for that char); single quotes only \'. A closing quote must
 * be followed by a space or the end of the line. Returns null for unbalanced quotes or a closing
 * quote followed by something else, which each caller turns into its own error
 * ("Protocol error: unbalanced quotes in request", "Unbalanced quotes in configuration line"...).
 */
export function splitArgs(line: string): string[] | null {
  // sdssplitargs walks a C string: a NUL byte ends the line.
  const nul = line.indexOf('\0');
  if (nul !== -1) line = line.slice(0, nul);
  const args: string[] = [];
  let p = 0;
  const n = line.length;
  for (;;) {
    while (p < n && isSpace(line[p])) p++;
    if (p >= n) return args;
    let inDouble = false;
    let inSingle = false;
    let current = '';
    for (let done = false; !done;) {
      const c = line[p];
      if (inDouble) {
        if (c === undefined) return null;
        if (c === '\\' && line[p + 1] === 'x' && isHex(line[p + 2]) && isHex(line[p + 3])) {
          current += String.fromCharCode(parseInt(line.slice(p + 2, p + 4), 16));
          p += 3;
        } else if (c === '\\' && p + 1 < n) {
          p++;
          const e = line[p]!;
          current += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          if (p + 1 < n && !isSpace(line[p + 1])) return null;
          done = true;
        } else {
          current += c;
        }
      } else if (inSingle) {
        if (c === undefined) return null;
        if (c === '\\' && line[p + 1] === "'") {
          p++;
          current += "'";
        } else if (c === "'") {
          if (p + 1 < n && !isSpace(line[p + 1])) return null;
          done = true;
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
      if (p < n) p++;
    }
    args.push(current);
  }
}
