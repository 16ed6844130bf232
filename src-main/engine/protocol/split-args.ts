// Redis's sdssplitargs (sds.c): splits an inline request or a config file line into arguments.
// Double quotes take C-like escapes (\n \r \t \b \a \\ \" and \xHH); single quotes only \'.
// A closing quote must be followed by a space or the end of the line. Returns null for unbalanced
// quotes, which the caller turns into its own error ("Protocol error: unbalanced quotes in request"
// or "Unbalanced quotes in configuration line").
// Input and output are binary strings (one char per byte).

const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

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
    for (let done = false; !done; ) {
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
