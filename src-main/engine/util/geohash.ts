// The geohash arithmetic behind the GEO commands (Redis's geohash.c and geohash_helper.c), as pure
// functions. A point is stored as a sorted-set score: its longitude and latitude cells, 26 bits
// each, interleaved into 52 bits (longitude in the odd bits), over Redis's own latitude range
// -85.05112878..85.05112878 (the limits of EPSG:900913), not the -90..90 of textbook geohashes.
//
// Everything here repeats Redis's double arithmetic step by step, in the same order, so decoded
// coordinates, distances and the cells a search visits come out bit for bit the same.

export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
/** GEO_STEP_MAX: bits per coordinate in a stored score. */
export const GEO_STEP_MAX = 26;
/** How many cells a coordinate has at GEO_STEP_MAX. */
const CELLS_AT_STEP_MAX = 2 ** GEO_STEP_MAX;

/** geohash_helper.c EARTH_RADIUS_IN_METERS (the quadratic mean radius of WGS-84). */
const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
/** D_R, M_PI / 180.0 folded by the C compiler to the same double. */
const D_R = Math.PI / 180.0;

const degRad = (ang: number): number => ang * D_R;
const radDeg = (ang: number): number => ang / D_R;

export interface GeoRange {
  readonly min: number;
  readonly max: number;
}

/** geohashGetCoordRange: the ranges stored scores use. */
const LONG_RANGE: GeoRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
const LAT_RANGE: GeoRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };
/** The standard geohash ranges GEOHASH re-encodes with. */
const STANDARD_LAT_RANGE: GeoRange = { min: -90, max: 90 };

/**
 * A GeoHashBits kept de-interleaved: the cell's latitude and longitude indexes at `step` bits each.
 * An index can be 2^step when the coordinate is exactly its range's maximum (geohashEncode does not
 * clamp), as in Redis, where that bit then spills above the 2*step interleaved bits.
 */
export interface GeoCell {
  readonly lat: number;
  readonly lon: number;
  readonly step: number;
}

export interface GeoArea {
  readonly lonMin: number;
  readonly lonMax: number;
  readonly latMin: number;
  readonly latMax: number;
}

/** geohashEncode: the cell of a point, or null outside the GEO limits (Redis returns 0). */
export function encodeCell(lon: number, lat: number, step: number, latRange: GeoRange = LAT_RANGE): GeoCell | null {
  if (lon > GEO_LONG_MAX || lon < GEO_LONG_MIN || lat > GEO_LAT_MAX || lat < GEO_LAT_MIN) return null;
  if (lat < latRange.min || lat > latRange.max || lon < LONG_RANGE.min || lon > LONG_RANGE.max) return null;
  let latOffset = (lat - latRange.min) / (latRange.max - latRange.min);
  let lonOffset = (lon - LONG_RANGE.min) / (LONG_RANGE.max - LONG_RANGE.min);
  latOffset *= 2 ** step;
  lonOffset *= 2 ** step;
  // interleave64 takes uint32_t arguments: the C conversion truncates.
  return { lat: Math.trunc(latOffset), lon: Math.trunc(lonOffset), step };
}

/** interleave64: latitude bits in the even positions, longitude bits in the odd ones (uint32_t each). */
export function interleave(lat: number, lon: number): bigint {
  return (BigInt(interleaveHalf(lat >>> 16, lon >>> 16)) << 32n) | BigInt(interleaveHalf(lat & 0xffff, lon & 0xffff));
}

/** 32 bits of interleave64: two 16-bit halves, the latitude's in the even bits. */
function interleaveHalf(lat16: number, lon16: number): number {
  return (spreadBits(lat16) | (spreadBits(lon16) << 1)) >>> 0;
}

/** A 16-bit value's bits moved to the even positions of a 32-bit word (the inverse of evenBits). */
function spreadBits(half: number): number {
  let x = half;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x;
}

/** geohashAlign52Bits: the cell's interleaved bits shifted to the 52-bit score scale (uint64_t). */
export function align52(cell: GeoCell): bigint {
  return (interleave(cell.lat, cell.lon) << BigInt(52 - cell.step * 2)) & 0xffffffffffffffffn;
}

/**
 * scoresOfGeoHashBox: the score range [min, max) holding every point of the cell; the max is the
 * cell's bits plus one, aligned (so it can carry into the neighbour's bits, as in Redis). Both are
 * uint64_t values converted to double for the range query.
 */
export function cellScoreRange(cell: GeoCell): { min: number; max: number } {
  const shift = BigInt(52 - cell.step * 2);
  const bits = interleave(cell.lat, cell.lon);
  const mask = 0xffffffffffffffffn;
  return { min: Number((bits << shift) & mask), max: Number(((bits + 1n) << shift) & mask) };
}

/** The score GEOADD gives a point (geohashEncodeWGS84 at GEO_STEP_MAX, aligned), as ZADD's decimal argument. */
export function pointScoreText(lon: number, lat: number): string | null {
  const cell = encodeCell(lon, lat, GEO_STEP_MAX);
  if (cell === null) return null;
  // Both indexes below 2^26 (every point but the exact maximum longitude or latitude): the 52
  // interleaved bits are the score as they are (no shift at GEO_STEP_MAX), exact in a double, and
  // the hot path of GEOADD needs no BigInt.
  if (cell.lat < CELLS_AT_STEP_MAX && cell.lon < CELLS_AT_STEP_MAX) {
    const high = interleaveHalf(cell.lat >>> 16, cell.lon >>> 16);
    return String(high * TWO_32 + interleaveHalf(cell.lat & 0xffff, cell.lon & 0xffff));
  }
  return align52(cell).toString();
}

/** geohashDecode: the cell's bounds (ilato + 1 wraps as the uint32_t it is in C). */
export function decodeCell(cell: GeoCell, latRange: GeoRange = LAT_RANGE): GeoArea {
  const latScale = latRange.max - latRange.min;
  const lonScale = LONG_RANGE.max - LONG_RANGE.min;
  const cells = 2 ** cell.step;
  return {
    latMin: latRange.min + ((cell.lat * 1.0) / cells) * latScale,
    latMax: latRange.min + ((((cell.lat + 1) >>> 0) * 1.0) / cells) * latScale,
    lonMin: LONG_RANGE.min + ((cell.lon * 1.0) / cells) * lonScale,
    lonMax: LONG_RANGE.min + ((((cell.lon + 1) >>> 0) * 1.0) / cells) * lonScale,
  };
}

/** geohashDecodeAreaToLongLat: the centre of the area, clamped to the GEO limits. */
function areaCentre(area: GeoArea): [number, number] {
  let lon = (area.lonMin + area.lonMax) / 2;
  if (lon > GEO_LONG_MAX) lon = GEO_LONG_MAX;
  if (lon < GEO_LONG_MIN) lon = GEO_LONG_MIN;
  let lat = (area.latMin + area.latMax) / 2;
  if (lat > GEO_LAT_MAX) lat = GEO_LAT_MAX;
  if (lat < GEO_LAT_MIN) lat = GEO_LAT_MIN;
  return [lon, lat];
}

const TWO_32 = 2 ** 32;
const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;

/**
 * C's (uint64_t)score as gcc compiles it on x86-64 (geo.c decodeGeohash), as two 32-bit halves:
 * values from 2^63 go through a subtraction and get the top bit back, 2^64 and beyond become 0,
 * negatives wrap (two's complement), NaN and anything below -2^63 give 0x8000000000000000.
 */
function scoreToUint64(score: number): [hi: number, lo: number] {
  if (Number.isNaN(score)) return [0x80000000, 0];
  if (score >= TWO_63) {
    if (score >= TWO_64) return [0, 0];
    const t = Math.trunc(score - TWO_63);
    const hi = Math.floor(t / TWO_32);
    return [(hi | 0x80000000) >>> 0, t - hi * TWO_32];
  }
  const t = Math.trunc(score);
  if (t <= -TWO_63) return [0x80000000, 0];
  if (t >= 0) {
    const hi = Math.floor(t / TWO_32);
    return [hi, t - hi * TWO_32];
  }
  const wrapped = BigInt(t) + (1n << 64n);
  return [Number(wrapped >> 32n), Number(wrapped & 0xffffffffn)];
}

/** The even bits of a 32-bit word, compacted into 16 bits (one half of deinterleave64). */
function evenBits(word: number): number {
  let x = word & 0x55555555;
  x = (x | (x >>> 1)) & 0x33333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  x = (x | (x >>> 8)) & 0x0000ffff;
  return x;
}

/**
 * geo.c decodeGeohash: the point a score stands for, the centre of its cell at GEO_STEP_MAX. It
 * never fails in Redis (any score decodes to some clamped point), so neither does this.
 */
export function decodeScore(score: number): [lon: number, lat: number] {
  const [hi, lo] = scoreToUint64(score);
  // deinterleave64: even bits are the latitude, odd bits the longitude; each uint32_t.
  const lat = evenBits(hi) * 65536 + evenBits(lo);
  const lon = evenBits(hi >>> 1) * 65536 + evenBits(lo >>> 1);
  return areaCentre(decodeCell({ lat, lon, step: GEO_STEP_MAX }));
}

const GEOALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/**
 * geo.c geohashCommand: the 11-character standard geohash of a stored score. The point is decoded,
 * re-encoded over -90..90 at 26 steps, and the 11th character is always '0' (only 52 bits exist).
 */
export function standardGeohash(score: number): string {
  const [lon, lat] = decodeScore(score);
  const cell = encodeCell(lon, lat, GEO_STEP_MAX, STANDARD_LAT_RANGE)!;
  const bits = interleave(cell.lat, cell.lon);
  let text = '';
  for (let i = 0; i < 11; i++) {
    const idx = i === 10 ? 0 : Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn);
    text += GEOALPHABET[idx];
  }
  return text;
}

/** geohashGetDistance: the haversine great-circle distance in meters. */
export function geoDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lat1r = degRad(lat1d);
  const lon1r = degRad(lon1d);
  const lat2r = degRad(lat2d);
  const lon2r = degRad(lon2d);
  const u = Math.sin((lat2r - lat1r) / 2);
  const v = Math.sin((lon2r - lon1r) / 2);
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v));
}

/**
 * The area a search covers (geohash.h GeoShape): a centre, and a radius or a width and height, in
 * the unit `conversion` converts to meters.
 */
export type GeoShape =
  | { readonly kind: 'radius'; readonly lon: number; readonly lat: number; readonly conversion: number; readonly radius: number }
  | {
      readonly kind: 'box';
      readonly lon: number;
      readonly lat: number;
      readonly conversion: number;
      readonly width: number;
      readonly height: number;
    };

/**
 * geo.c geoWithinShape (with geohashGetDistanceIfInRadiusWGS84 / geohashGetDistanceIfInRectangle
 * of Redis 7.0): the distance from the shape's centre to the point in meters, or null outside.
 */
export function distanceWithinShape(shape: GeoShape, lon: number, lat: number): number | null {
  if (shape.kind === 'radius') {
    const distance = geoDistance(shape.lon, shape.lat, lon, lat);
    return distance > shape.radius * shape.conversion ? null : distance;
  }
  const widthM = shape.width * shape.conversion;
  const heightM = shape.height * shape.conversion;
  const lonDistance = geoDistance(lon, lat, shape.lon, lat);
  const latDistance = geoDistance(lon, lat, lon, shape.lat);
  if (lonDistance > widthM / 2 || latDistance > heightM / 2) return null;
  return geoDistance(shape.lon, shape.lat, lon, lat);
}

/** geohashEstimateStepsByRadius: the cell size (steps) whose 3x3 block covers the radius. */
function estimateStepsByRadius(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2; // make sure the range is included in most of the base cases
  // Wider cells towards the poles, where meridians converge.
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** geohashBoundingBox: [minLon, minLat, maxLon, maxLat] of the shape (sides bent towards the pole). */
function boundingBox(shape: GeoShape): [number, number, number, number] {
  const { lon, lat } = shape;
  const height = shape.conversion * (shape.kind === 'radius' ? shape.radius : shape.height / 2);
  const width = shape.conversion * (shape.kind === 'radius' ? shape.radius : shape.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const lonDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(lat + latDelta)));
  const lonDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(lat - latDelta)));
  // The hemispheres bend opposite ways: the wider edge is the one nearer the equator.
  const southern = lat < 0;
  return [
    southern ? lon - lonDeltaBottom : lon - lonDeltaTop,
    lat - latDelta,
    southern ? lon + lonDeltaBottom : lon + lonDeltaTop,
    lat + latDelta,
  ];
}

/** geohash_move_x / geohash_move_y: the moved index wraps around at 2^step (the antimeridian, the poles). */
function moved(cell: GeoCell, dLon: number, dLat: number): GeoCell {
  const size = 2 ** cell.step;
  const wrap = (index: number, d: number) => (d === 0 ? index : (((index + d) % size) + size) % size);
  return { lat: wrap(cell.lat, dLat), lon: wrap(cell.lon, dLon), step: cell.step };
}

/**
 * geohashCalculateAreasByShapeWGS84 + membersOfAllNeighbors' order: the cells a search scans, the
 * centre's cell then north, south, east, west, north-east, north-west, south-east, south-west;
 * null where a neighbour was excluded as useless (GZERO).
 */
export function searchCells(shape: GeoShape): (GeoCell | null)[] {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(shape);
  const radiusMeters =
    (shape.kind === 'radius' ? shape.radius : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2))) *
    shape.conversion;
  let steps = estimateStepsByRadius(radiusMeters, shape.lat);
  let centre = encodeCell(shape.lon, shape.lat, steps)!;

  // The estimated step may be too fine when the area reaches past a neighbour: one step coarser.
  const north = decodeCell(moved(centre, 0, 1));
  const south = decodeCell(moved(centre, 0, -1));
  const east = decodeCell(moved(centre, 1, 0));
  const west = decodeCell(moved(centre, -1, 0));
  const decreaseStep = north.latMax < maxLat || south.latMin > minLat || east.lonMax < maxLon || west.lonMin > minLon;
  if (steps > 1 && decreaseStep) {
    steps--;
    centre = encodeCell(shape.lon, shape.lat, steps)!;
  }
  const area = decodeCell(centre);
  const cells: (GeoCell | null)[] = [
    centre,
    moved(centre, 0, 1),
    moved(centre, 0, -1),
    moved(centre, 1, 0),
    moved(centre, -1, 0),
    moved(centre, 1, 1),
    moved(centre, -1, 1),
    moved(centre, 1, -1),
    moved(centre, -1, -1),
  ];
  const [N, S, E, W, NE, NW, SE, SW] = [1, 2, 3, 4, 5, 6, 7, 8];
  // Exclude the neighbours the area cannot reach.
  if (steps >= 2) {
    if (area.latMin < minLat) cells[S] = cells[SW] = cells[SE] = null;
    if (area.latMax > maxLat) cells[N] = cells[NE] = cells[NW] = null;
    if (area.lonMin < minLon) cells[W] = cells[SW] = cells[NW] = null;
    if (area.lonMax > maxLon) cells[E] = cells[SE] = cells[NE] = null;
  }
  return cells;
}
