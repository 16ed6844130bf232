// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] (t_string.c lcsCommand): the longest
// common subsequence of two strings, by the same dynamic programming table as Redis, walked back
// the same way so that the IDX ranges come out identical (last match first).
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { keySpec, defineCommand, type CommandSpec } from '../core/command-table.js';
import { ERR, is } from '../core/replies.js';
import { parseInt64 } from '../util/numbers.js';

interface LcsOptions {
  len: boolean;
  idx: boolean;
  withMatchLen: boolean;
  minMatchLen: number;
}

/** The option loop; null after replying. */
function parseOptions(client: Client, argv: BinaryString[]): LcsOptions | null {
  const o: LcsOptions = { len: false, idx: false, withMatchLen: false, minMatchLen: 0 };
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    if (is(opt, 'idx')) o.idx = true;
    else if (is(opt, 'len')) o.len = true;
    else if (is(opt, 'withmatchlen')) o.withMatchLen = true;
    else if (is(opt, 'minmatchlen') && j + 1 < argv.length) {
      const n = parseInt64(argv[++j]!);
      if (n === null) {
        client.reply.error(ERR.notInteger);
        return null;
      }
      o.minMatchLen = n < 0n ? 0 : Number(n);
    } else {
      client.reply.error(ERR.syntax);
      return null;
    }
  }
  if (o.idx && o.len) {
    client.reply.error('ERR If you want both the length and indexes, please just use IDX.');
    return null;
  }
  return o;
}

/** LCS(i, j) for every prefix pair, as a flat (a.length+1) x (b.length+1) table; null if too large. */
function lcsTable(a: BinaryString, b: BinaryString): Uint32Array | null {
  const width = b.length + 1;
  let table: Uint32Array;
  try {
    table = new Uint32Array((a.length + 1) * width);
  } catch {
    return null;
  }
  for (let i = 1; i <= a.length; i++) {
    const row = i * width;
    const up = row - width;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      table[row + j] = ai === b.charCodeAt(j - 1) ? table[up + j - 1]! + 1 : Math.max(table[up + j]!, table[row + j - 1]!);
    }
  }
  return table;
}

interface MatchRange {
  a: [number, number];
  b: [number, number];
}

/** Walks the table back from the end: the LCS text and its contiguous matching ranges. */
function walkBack(a: BinaryString, b: BinaryString, table: Uint32Array): { text: string; ranges: MatchRange[] } {
  const width = b.length + 1;
  const chars: string[] = [];
  const ranges: MatchRange[] = [];
  let current: MatchRange | null = null;
  let i = a.length;
  let j = b.length;
  while (i > 0 && j > 0) {
    let closeRange = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      chars.push(a[i - 1]!);
      if (current === null) current = { a: [i - 1, i - 1], b: [j - 1, j - 1] };
      else {
        // Contiguous with the range being tracked: extend it backward.
        current.a[0]--;
        current.b[0]--;
      }
      if (current.a[0] === 0 || current.b[0] === 0) closeRange = true;
      i--;
      j--;
    } else {
      if (table[(i - 1) * width + j]! > table[i * width + j - 1]!) i--;
      else j--;
      if (current !== null) closeRange = true;
    }
    if (closeRange && current !== null) {
      ranges.push(current);
      current = null;
    }
  }
  return { text: chars.reverse().join(''), ranges };
}

export const lcsCommand: CommandSpec = defineCommand({
  name: 'lcs',
  arity: -3,
  flags: ['readonly'],
  keySpecs: [keySpec('RO access', 1, [1, 1, 0])],
  acl: ['string'],
  summary: 'Find longest common substring',
  since: '7.0.0',
  group: 'string',
  complexity: 'O(N*M) where N and M are the lengths of s1 and s2, respectively',
  arguments: [
    { name: 'key1', type: 'key' },
    { name: 'key2', type: 'key' },
    { name: 'len', type: 'pure-token', token: 'LEN', optional: true },
    { name: 'idx', type: 'pure-token', token: 'IDX', optional: true },
    { name: 'len', type: 'integer', token: 'MINMATCHLEN', optional: true },
    { name: 'withmatchlen', type: 'pure-token', token: 'WITHMATCHLEN', optional: true },
  ],
  handler(client, argv) {
    const a = client.db.lookupRead(argv[1]!);
    const b = client.db.lookupRead(argv[2]!);
    if ((a !== undefined && typeof a !== 'string') || (b !== undefined && typeof b !== 'string')) {
      client.reply.error('ERR The specified keys must contain string values');
      return;
    }
    const o = parseOptions(client, argv);
    if (!o) return;
    const first = a ?? '';
    const second = b ?? '';
    const table = lcsTable(first, second);
    if (table === null) {
      client.reply.error('ERR Insufficient memory, failed allocating transient memory for LCS');
      return;
    }
    const length = table[table.length - 1]!;
    if (o.len) {
      client.reply.integer(length);
      return;
    }
    const { text, ranges } = walkBack(first, second, table);
    if (!o.idx) {
      client.reply.bulk(text);
      return;
    }
    const shown = ranges.filter((r) => o.minMatchLen === 0 || r.a[1] - r.a[0] + 1 >= o.minMatchLen);
    client.reply.mapHeader(2);
    client.reply.bulk('matches');
    client.reply.arrayHeader(shown.length);
    for (const r of shown) {
      client.reply.arrayHeader(o.withMatchLen ? 3 : 2);
      client.reply.arrayHeader(2);
      client.reply.integer(r.a[0]);
      client.reply.integer(r.a[1]);
      client.reply.arrayHeader(2);
      client.reply.integer(r.b[0]);
      client.reply.integer(r.b[1]);
      if (o.withMatchLen) client.reply.integer(r.a[1] - r.a[0] + 1);
    }
    client.reply.bulk('len');
    client.reply.integer(length);
  },
});
