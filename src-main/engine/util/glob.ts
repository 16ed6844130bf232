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

/** The characters that make a pattern more than literal text (outside a class). */
const SPECIAL = /[*?[\\]/;

/** Whether `head + tail` matches a compiled pattern (the text comes in two parts; see compileGlob). */
export type GlobMatcher = (head: string, tail: string) => boolean;

/**
 * A matcher for one pattern that is tested against many texts: a pub/sub pattern on every
 * publish (every keyspace notification is one), KEYS over a whole keyspace. The text is given
 * as two parts, so that a keyspace notification's channel (`__keyspace@0__:` and the key) never
 * has to be joined into one string. The two shapes most patterns have skip the general matcher:
 * literal text (equality), and a literal prefix followed only by stars, as in `user:*` or
 * `__keyspace@0__:*` (a prefix test; like stringmatchlen, a star finds nothing to match in an
 * empty text).
 */
export function compileGlob(pattern: string): GlobMatcher {
  const firstSpecial = pattern.search(SPECIAL);
  if (firstSpecial === -1) {
    return (head, tail) => pattern.length === head.length + tail.length && pattern.startsWith(head) && pattern.endsWith(tail);
  }
  if (/^\*+$/.test(pattern.slice(firstSpecial))) {
    const prefix = pattern.slice(0, firstSpecial);
    // What the tail must start with when the head is a proper start of the prefix, for the last
    // head seen: heads repeat (a node's few channel prefixes), so it is worked out once per head.
    let lastHead: string | undefined;
    let rest: string | null = null;
    return (head, tail) => {
      if (head.length + tail.length === 0) return false;
      if (head.length >= prefix.length) return head.startsWith(prefix);
      if (head !== lastHead) {
        lastHead = head;
        rest = prefix.startsWith(head) ? prefix.slice(head.length) : null;
      }
      return rest !== null && tail.startsWith(rest);
    };
  }
  return (head, tail) => matchFrom(pattern, 0, head + tail, 0, 0);
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
