// Redis's glob matcher (util.c stringmatchlen), used by KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE...
// `*` any run, `?` one char, `[abc]` `[^abc]` `[a-z]` classes, `\x` a literal x. Binary strings in,
// so it matches byte by byte like the C version, quirks included (an empty string matches no
// pattern; callers special-case a lone "*").

export function globMatch(pattern: string, text: string, nocase = false): boolean {
  if (nocase) {
    pattern = pattern.toLowerCase();
    text = text.toLowerCase();
  }
  return matchFrom(pattern, 0, text, 0, 0);
}

// stringmatchlen_impl bounds its recursion the same way, so a pathological pattern cannot blow the stack.
const MAX_NESTING = 1000;

function matchFrom(p: string, pi: number, s: string, si: number, nesting: number): boolean {
  if (nesting > MAX_NESTING) return false;
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si < slen) {
    switch (p[pi]) {
      case '*': {
        while (pi + 1 < plen && p[pi + 1] === '*') pi++;
        if (pi + 1 === plen) return true;
        for (let k = si; k < slen; k++) if (matchFrom(p, pi + 1, s, k, nesting + 1)) return true;
        return false;
      }
      case '?':
        si++;
        break;
      case '[': {
        pi++;
        const negate = p[pi] === '^';
        if (negate) pi++;
        let matched = false;
        for (;;) {
          if (p[pi] === '\\' && plen - pi >= 2) {
            pi++;
            if (p[pi] === s[si]) matched = true;
          } else if (p[pi] === ']') {
            break;
          } else if (pi >= plen) {
            pi--; // unterminated class: the end of the pattern closes it
            break;
          } else if (plen - pi >= 3 && p[pi + 1] === '-') {
            let start = p.charCodeAt(pi);
            let end = p.charCodeAt(pi + 2);
            if (start > end) [start, end] = [end, start];
            const c = s.charCodeAt(si);
            pi += 2;
            if (c >= start && c <= end) matched = true;
          } else if (p[pi] === s[si]) {
            matched = true;
          }
          pi++;
        }
        if (negate) matched = !matched;
        if (!matched) return false;
        si++;
        break;
      }
      case '\\':
        if (plen - pi >= 2) pi++;
        if (p[pi] !== s[si]) return false;
        si++;
        break;
      default:
        if (p[pi] !== s[si]) return false;
        si++;
        break;
    }
    pi++;
    if (si === slen) {
      while (pi < plen && p[pi] === '*') pi++;
      break;
    }
  }
  return pi === plen && si === slen;
}
