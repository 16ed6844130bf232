// LZF as Redis uses it: what redis-server compressed decodes here, and what we compress decodes
// back to the input (Redis's lzf_d.c reads the same format; the RDB interop test checks that).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { lzfCompress, lzfDecompress } from '../../../../src-main/engine/persistence/rdb/lzf.js';

/** Incompressible input grows by one control byte per 32 literals. */
function compress(input: Buffer, limit = input.length + Math.ceil(input.length / 32) + 1): Buffer | null {
  const out = Buffer.alloc(limit);
  const n = lzfCompress(input, 0, input.length, out, 0, limit);
  return n === 0 ? null : out.subarray(0, n);
}

function decompress(data: Buffer, expectedLength: number): Buffer {
  const out = Buffer.alloc(expectedLength);
  assert.equal(lzfDecompress(data, 0, data.length, out), expectedLength);
  return out;
}

test('decompresses a string redis-server 7.0.15 compressed in its dump.rdb', () => {
  // SET lzf1 <below>; SAVE; the value's bytes after 0xC3 <clen 44> <len 88>.
  const original = 'abcabcabcabcabcabcabcabcabcabc-hello-hello-hello-world-world-world-0123456789-0123456789';
  const fromRedis = Buffer.from('0361626361e01102052d68656c6c6fe0040504776f726c64e004050930313233343536373839e0000a013839', 'hex');
  assert.equal(decompress(fromRedis, 88).toString(), original);
});

test('round trips runs, text, binary and every small length', () => {
  const samples = [
    Buffer.from('a'.repeat(1000)),
    Buffer.from('hello world hello world hello world'),
    Buffer.from('x'.repeat(264 * 3 + 5)),
    randomBytes(5000),
    Buffer.concat([randomBytes(100), Buffer.alloc(9000), randomBytes(100)]),
  ];
  for (let len = 1; len < 80; len++) samples.push(Buffer.from('ab'.repeat(len)).subarray(0, len));
  for (let i = 0; i < 300; i++) {
    const len = 1 + Math.floor(Math.random() * 3000);
    const alphabet = 1 + Math.floor(Math.random() * 4);
    const b = Buffer.alloc(len);
    for (let j = 0; j < len; j++) b[j] = 97 + Math.floor(Math.random() * alphabet);
    samples.push(b);
  }
  for (const s of samples) {
    const c = compress(s);
    assert.ok(c, `fits the worst-case size (${s.length} bytes)`);
    assert.ok(decompress(c, s.length).equals(s));
  }
});

test('gives up (returns 0) when the output would not fit, as Redis requires for len-4', () => {
  const random = randomBytes(200);
  assert.equal(compress(random, random.length - 4), null);
  const runs = Buffer.from('z'.repeat(200));
  assert.ok(compress(runs, runs.length - 4));
});

test('rejects malformed input instead of reading or writing out of bounds', () => {
  const out = Buffer.alloc(10);
  // A back reference before the start of the output.
  assert.equal(lzfDecompress(Buffer.from([0x20, 0x05]), 0, 2, out), -1);
  // A literal run longer than the input that is left.
  assert.equal(lzfDecompress(Buffer.from([0x05, 0x61]), 0, 2, out), -1);
  // More output than expected.
  const c = compress(Buffer.from('q'.repeat(100)))!;
  assert.equal(lzfDecompress(c, 0, c.length, Buffer.alloc(50)), -1);
});
