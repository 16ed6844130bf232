// CRC-64/Jones as Redis's crc64.c computes it: the check value, and incremental updates that
// split the input anywhere (the slicing-by-8 path and the byte tail must agree).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Crc64, crc64 } from '../../../../src-main/engine/persistence/rdb/crc64.js';

test('check value of "123456789" is e9c6d914c4b8d9ca (crc64.c test)', () => {
  assert.equal(crc64(Buffer.from('123456789')).toHex(), 'e9c6d914c4b8d9ca');
});

test('Redis crc64.c self-test vector: the lorem ipsum text with its NUL (sizeof(li))', () => {
  const li =
    'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et ' +
    'dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ' +
    'ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu ' +
    'fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt ' +
    'mollit anim id est laborum.';
  assert.equal(crc64(Buffer.concat([Buffer.from(li), Buffer.from([0])])).toHex(), 'c7794709e69683b3');
});

test('empty input gives 0 and the trailer bytes are little-endian', () => {
  assert.equal(crc64(Buffer.alloc(0)).toHex(), '0');
  const trailer = crc64(Buffer.from('123456789')).toLittleEndian();
  assert.equal(trailer.toString('hex'), 'cad9b8c414d9c6e9');
  assert.ok(crc64(Buffer.from('123456789')).matchesLittleEndian(trailer, 0));
});

test('incremental updates over every split point equal the one-shot value', () => {
  const data = randomBytes(300);
  const whole = crc64(data).toHex();
  for (let split = 0; split <= data.length; split++) {
    const inc = new Crc64().update(data.subarray(0, split)).update(data.subarray(split));
    assert.equal(inc.toHex(), whole, `split at ${split}`);
  }
  // Ranges within a larger buffer (unaligned starts) agree too.
  for (let start = 0; start < 9; start++) {
    assert.equal(new Crc64().update(data, start, 250).toHex(), crc64(Buffer.from(data.subarray(start, 250))).toHex());
  }
});
