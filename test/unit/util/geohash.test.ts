// The geohash bit arithmetic against its definition, one bit at a time: interleave64 (latitude
// bits even, longitude bits odd) and the score text GEOADD stores, including the edges where the
// 52-bit fast path does not apply (a coordinate at its range's exact maximum).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GEO_LAT_MAX,
  GEO_LAT_MIN,
  GEO_LONG_MAX,
  GEO_LONG_MIN,
  align52,
  decodeScore,
  encodeCell,
  interleave,
  pointScoreText,
} from '../../../src-main/engine/util/geohash.js';
import { seededRandom } from '../../support/command-families.js';

/** interleave64 as its comment defines it, bit by bit over two uint32_t. */
function interleaveByBits(lat: number, lon: number): bigint {
  let bits = 0n;
  for (let i = 0; i < 32; i++) {
    if ((BigInt(lat) >> BigInt(i)) & 1n) bits |= 1n << BigInt(2 * i);
    if ((BigInt(lon) >> BigInt(i)) & 1n) bits |= 1n << BigInt(2 * i + 1);
  }
  return bits;
}

test('interleave puts latitude bits in even positions and longitude bits in odd ones', () => {
  const rnd = seededRandom(21);
  const samples: [number, number][] = [
    [0, 0],
    [0xffffffff, 0],
    [0, 0xffffffff],
    [0xffffffff, 0xffffffff],
    [2 ** 26, 2 ** 26 - 1],
    [0x12345678, 0x9abcdef0],
  ];
  for (let i = 0; i < 2000; i++) samples.push([rnd.int(2 ** 26 + 1), rnd.int(2 ** 26 + 1)]);
  for (const [lat, lon] of samples) assert.equal(interleave(lat, lon), interleaveByBits(lat, lon), `${lat} ${lon}`);
});

test("GEOADD's score text is the cell's aligned bits, at the limits too", () => {
  const rnd = seededRandom(22);
  const points: [number, number][] = [
    [13.361389, 38.115556],
    [GEO_LONG_MIN, GEO_LAT_MIN],
    [GEO_LONG_MAX, GEO_LAT_MAX],
    [GEO_LONG_MAX, 0],
    [0, GEO_LAT_MAX],
    [-0.0001, -0.0001],
  ];
  for (let i = 0; i < 2000; i++) points.push([rnd.int(360_000_001) / 1e6 - 180, rnd.int(170_102_257) / 1e6 - 85.05112878]);
  for (const [lon, lat] of points) {
    const cell = encodeCell(lon, lat, 26)!;
    const expected = interleaveByBits(cell.lat, cell.lon).toString();
    assert.equal(pointScoreText(lon, lat), expected, `${lon} ${lat}`);
    assert.equal(align52(cell).toString(), expected);
    if (cell.lat < 2 ** 26 && cell.lon < 2 ** 26) {
      // The stored point decodes back into the same cell.
      const [dLon, dLat] = decodeScore(Number(expected));
      assert.deepEqual(encodeCell(dLon, dLat, 26), cell);
    }
  }
  assert.equal(pointScoreText(180.0001, 0), null);
  assert.equal(pointScoreText(0, 85.06), null);
});
