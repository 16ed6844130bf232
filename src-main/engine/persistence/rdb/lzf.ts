// LZF, the compressor Redis uses for RDB strings (`rdbSaveLzfStringObject`) and compressed
// quicklist nodes. The byte format is what src/lzf_d.c decodes:
//   000LLLLL <L+1 literal bytes>                       literal run of 1..32 bytes
//   LLLooooo oooooooo                                  back reference, length L+2 (L = 1..6)
//   111ooooo LLLLLLLL oooooooo                         back reference, length L+9
// where the 13-bit o is (distance - 1). Any valid stream decodes in Redis, so the compressor
// below is our own greedy matcher (like lzf_c.c: a hash of the next 3 bytes finds a candidate);
// it does not need to produce Redis's exact bytes.

const MAX_LITERAL = 32;
const MAX_OFFSET = 1 << 13;
const MAX_MATCH = (1 << 8) + (1 << 3); // lzf_c.c MAX_REF: 7 + 255 in the length byte, plus 2
const HASH_LOG = 14;

/**
 * Positions of earlier 3-byte sequences, shared by all calls so that compressing millions of
 * short strings allocates nothing. A slot holds `tableBase + position`; slots written by an
 * earlier call are below the current `tableBase`, so they read as negative positions and are
 * ignored without clearing the table.
 */
const hashTable = new Int32Array(1 << HASH_LOG);
let tableBase = 1;

/**
 * Compresses `input[start, end)` into `out` from `outStart`, using at most `outLimit` bytes.
 * Returns the compressed length, or 0 when the result would not fit (Redis then stores the
 * string verbatim, see `rdbSaveLzfStringObject` which allows `len - 4` bytes).
 */
export function lzfCompress(input: Uint8Array, start: number, end: number, out: Uint8Array, outStart: number, outLimit: number): number {
  const len = end - start;
  if (len === 0) return 0;
  if (tableBase > 0x3fffffff - len) {
    hashTable.fill(0);
    tableBase = 1;
  }
  const base = tableBase - start; // slot value for input index i is base + i
  tableBase += len;
  const outEnd = outStart + outLimit;

  let op = outStart + 1; // one byte reserved for the control byte of the current literal run
  let literals = 0;
  let ip = start;
  while (ip < end - 2) {
    const seq = (input[ip]! << 16) | (input[ip + 1]! << 8) | input[ip + 2]!;
    const slot = Math.imul(seq, 0x9e3779b1) >>> (32 - HASH_LOG);
    const ref = hashTable[slot]! - base;
    hashTable[slot] = base + ip;
    const distance = ip - ref;
    if (
      ref >= start &&
      distance > 0 &&
      distance <= MAX_OFFSET &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1] &&
      input[ref + 2] === input[ip + 2]
    ) {
      const maxMatch = Math.min(MAX_MATCH, end - ip);
      let matchLen = 3;
      while (matchLen < maxMatch && input[ref + matchLen] === input[ip + matchLen]) matchLen++;

      // Close the pending literal run (or take back its unused control byte).
      if (literals > 0) out[op - literals - 1] = literals - 1;
      else op--;
      if (op + 3 + 1 > outEnd) return 0;
      const encLen = matchLen - 2;
      const off = distance - 1;
      if (encLen < 7) {
        out[op++] = (encLen << 5) | (off >> 8);
      } else {
        out[op++] = (7 << 5) | (off >> 8);
        out[op++] = encLen - 7;
      }
      out[op++] = off & 0xff;
      op++; // control byte of the next literal run
      literals = 0;
      ip += matchLen;
      // Index the two positions just before the new ip, as lzf_c.c does, so runs chain.
      for (let p = ip - 2; p < ip && p < end - 2; p++) {
        const s = (input[p]! << 16) | (input[p + 1]! << 8) | input[p + 2]!;
        hashTable[Math.imul(s, 0x9e3779b1) >>> (32 - HASH_LOG)] = base + p;
      }
      continue;
    }
    if (op + 1 >= outEnd) return 0;
    out[op++] = input[ip++]!;
    if (++literals === MAX_LITERAL) {
      out[op - literals - 1] = MAX_LITERAL - 1;
      literals = 0;
      op++;
    }
  }
  while (ip < end) {
    if (op + 1 >= outEnd) return 0;
    out[op++] = input[ip++]!;
    if (++literals === MAX_LITERAL) {
      out[op - literals - 1] = MAX_LITERAL - 1;
      literals = 0;
      op++;
    }
  }
  if (literals > 0) out[op - literals - 1] = literals - 1;
  else op--;
  return op - outStart;
}

/**
 * Decompresses `input[start, end)` into `out` (sized to the expected length). Returns the number
 * of bytes produced, or -1 when the stream is malformed or would overflow `out` — the caller
 * compares the result with the expected length exactly like `rdbLoadLzfStringObject`.
 */
export function lzfDecompress(input: Uint8Array, start: number, end: number, out: Uint8Array): number {
  const outLen = out.length;
  let ip = start;
  let op = 0;
  while (ip < end) {
    const ctrl = input[ip++]!;
    if (ctrl < 32) {
      const run = ctrl + 1;
      if (op + run > outLen || ip + run > end) return -1;
      if (run < 16) {
        for (let k = 0; k < run; k++) out[op + k] = input[ip + k]!;
      } else {
        out.set(input.subarray(ip, ip + run), op);
      }
      op += run;
      ip += run;
    } else {
      let len = ctrl >> 5;
      if (len === 7) {
        if (ip >= end) return -1;
        len += input[ip++]!;
      }
      if (ip >= end) return -1;
      const ref = op - ((ctrl & 0x1f) << 8) - 1 - input[ip++]!;
      len += 2;
      if (ref < 0 || op + len > outLen) return -1;
      const distance = op - ref;
      if (len >= 16 && distance >= len) {
        out.copyWithin(op, ref, ref + len);
      } else if (len >= 16 && distance === 1) {
        // A run of one byte (how LZF stores "xxxx..."): the overlapping copy is a fill.
        out.fill(out[ref]!, op, op + len);
      } else {
        // Byte by byte on purpose: the reference may overlap the bytes being written (runs).
        for (let k = 0; k < len; k++) out[op + k] = out[ref + k]!;
      }
      op += len;
    }
  }
  return op;
}
