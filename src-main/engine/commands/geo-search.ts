// The GEO searches (geo.c georadiusGeneric): GEORADIUS, GEORADIUSBYMEMBER, their _RO forms,
// GEOSEARCH and GEOSEARCHSTORE. Options are parsed in Redis's order and with its errors, the
// 3x3 block of geohash cells around the centre is scanned in Redis's order, points outside the
// shape are dropped, and the results are sorted the way Redis sorts them (a stable sort for all of
// them, its partial quicksort when COUNT keeps fewer), so even ties come out in the same order.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { is } from '../core/replies.js';
import { SortedSet } from '../keyspace/types/zset.js';
import { ScoreRange } from '../keyspace/types/zset-ranges.js';
import { cellScoreRange, decodeScore, distanceWithinShape, searchCells, type GeoShape } from '../util/geohash.js';
import { formatHuman } from '../util/fixed-point-text.js';
import { pqsort } from '../util/pqsort.js';
import { parseInteger } from '../util/numbers.js';
import { ERR } from '../core/replies.js';
import { readAggregate } from './aggregate-access.js';
import { boxArg, longLatArg, radiusArg, replyDistance } from './geo-args.js';
import { listpackLimits, notify } from './zset-common.js';

/** Which command runs the search (geo.c RADIUS_COORDS, RADIUS_MEMBER, RADIUS_NOSTORE, GEOSEARCH, GEOSEARCHSTORE). */
export interface GeoSearchKind {
  from: 'coords' | 'member' | 'search';
  /** GEORADIUS_RO and GEORADIUSBYMEMBER_RO refuse STORE and STOREDIST. */
  noStore?: boolean;
  /** GEOSEARCHSTORE: the destination is argv[1], the source argv[2]. */
  searchStore?: boolean;
}

/** A point found (geo.c geoPoint). */
interface GeoPoint {
  lon: number;
  lat: number;
  /** In meters until the reply divides it by the unit. */
  dist: number;
  score: number;
  member: BinaryString;
}

const SORT_NONE = 0;
const SORT_ASC = 1;
const SORT_DESC = 2;

/** sort_gp_asc / sort_gp_desc. */
const ascending = (a: GeoPoint, b: GeoPoint): number => (a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1);
const descending = (a: GeoPoint, b: GeoPoint): number => -ascending(a, b);

/** The centre and size of the search, filled in as the arguments are read. */
interface ShapeParts {
  lon?: number;
  lat?: number;
  radius?: { radius: number; conversion: number };
  box?: { width: number; height: number; conversion: number };
}

function toShape(parts: ShapeParts): GeoShape {
  const lon = parts.lon!;
  const lat = parts.lat!;
  if (parts.box) return { kind: 'box', lon, lat, ...parts.box };
  return { kind: 'radius', lon, lat, ...parts.radius! };
}

/** longLatFromMember: the member's decoded position, or null when it is not in the set. */
function memberPosition(zset: SortedSet, member: BinaryString): [number, number] | null {
  const score = zset.score(member);
  return score === undefined ? null : decodeScore(score);
}

const COULD_NOT_DECODE = 'ERR could not decode requested zset member';

/** georadiusGeneric. */
export function geoSearchGeneric(client: Client, argv: BinaryString[], kind: GeoSearchKind): void {
  const srcIndex = kind.searchStore ? 2 : 1;
  const zset = readAggregate(client, argv[srcIndex]!, SortedSet);
  if (zset === null) return;

  let storeKey: BinaryString | null = null;
  let storeDist = false;
  const parts: ShapeParts = {};
  let baseArgs: number;
  if (kind.from === 'coords') {
    baseArgs = 6;
    const xy = longLatArg(client, argv, 2);
    if (xy === null) return;
    [parts.lon, parts.lat] = xy;
    const radius = radiusArg(client, argv, baseArgs - 2);
    if (radius === null) return;
    parts.radius = radius;
  } else if (kind.from === 'member') {
    baseArgs = 5;
    // Without a source key the arguments are still parsed, to know which empty reply to give.
    if (zset !== undefined) {
      const xy = memberPosition(zset, argv[2]!);
      if (xy === null) return client.reply.error(COULD_NOT_DECODE);
      [parts.lon, parts.lat] = xy;
      const radius = radiusArg(client, argv, baseArgs - 2);
      if (radius === null) return;
      parts.radius = radius;
    }
  } else {
    baseArgs = 2;
    if (kind.searchStore) {
      baseArgs = 3;
      storeKey = argv[1]!;
    }
  }

  const search = kind.from === 'search';
  let withDist = false;
  let withHash = false;
  let withCoords = false;
  let fromMember = false;
  let fromLoc = false;
  let byRadius = false;
  let byBox = false;
  let sort = SORT_NONE;
  let any = false;
  let count = 0;
  const remaining = argv.length - baseArgs;
  for (let i = 0; i < remaining; i++) {
    const arg = argv[baseArgs + i]!;
    const at = baseArgs + i + 1;
    if (is(arg, 'withdist')) withDist = true;
    else if (is(arg, 'withhash')) withHash = true;
    else if (is(arg, 'withcoord')) withCoords = true;
    else if (is(arg, 'any')) any = true;
    else if (is(arg, 'asc')) sort = SORT_ASC;
    else if (is(arg, 'desc')) sort = SORT_DESC;
    else if (is(arg, 'count') && i + 1 < remaining) {
      const n = parseInteger(argv[at]!);
      if (n === null) return client.reply.error(ERR.notInteger);
      if (n <= 0) return client.reply.error('ERR COUNT must be > 0');
      count = n;
      i++;
    } else if ((is(arg, 'store') || is(arg, 'storedist')) && i + 1 < remaining && !kind.noStore && !search) {
      storeKey = argv[at]!;
      storeDist = is(arg, 'storedist');
      i++;
    } else if (is(arg, 'storedist') && search && kind.searchStore) {
      storeDist = true;
    } else if (is(arg, 'frommember') && i + 1 < remaining && search && !fromLoc) {
      // Without a source key, parsing goes on and the missing key is answered at the end.
      if (zset !== undefined) {
        const xy = memberPosition(zset, argv[at]!);
        if (xy === null) return client.reply.error(COULD_NOT_DECODE);
        [parts.lon, parts.lat] = xy;
      }
      fromMember = true;
      i++;
    } else if (is(arg, 'fromlonlat') && i + 2 < remaining && search && !fromMember) {
      const xy = longLatArg(client, argv, at);
      if (xy === null) return;
      [parts.lon, parts.lat] = xy;
      fromLoc = true;
      i += 2;
    } else if (is(arg, 'byradius') && i + 2 < remaining && search && !byBox) {
      const radius = radiusArg(client, argv, at);
      if (radius === null) return;
      parts.radius = radius;
      byRadius = true;
      i += 2;
    } else if (is(arg, 'bybox') && i + 3 < remaining && search && !byRadius) {
      const box = boxArg(client, argv, at);
      if (box === null) return;
      parts.box = box;
      byBox = true;
      i += 3;
    } else {
      return client.reply.error(ERR.syntax);
    }
  }

  if (storeKey !== null && (withDist || withHash || withCoords)) {
    const what = kind.searchStore ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS';
    return client.reply.error(`ERR ${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
  }
  // Redis names the command as the client spelled it.
  if (search && !(fromMember || fromLoc)) {
    return client.reply.error(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${argv[0]}`);
  }
  if (search && !(byRadius || byBox)) {
    return client.reply.error(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${argv[0]}`);
  }
  if (any && count === 0) return client.reply.error('ERR the ANY argument requires COUNT argument');

  if (zset === undefined) {
    if (storeKey === null) return client.reply.arrayHeader(0);
    if (client.db.delete(storeKey)) notify(client, 'g', 'del', storeKey);
    return client.reply.integer(0);
  }

  // COUNT without an order means the nearest ones: ascending (not needed with ANY).
  if (count !== 0 && sort === SORT_NONE && !any) sort = SORT_ASC;

  const shape = toShape(parts);
  const found = pointsInCells(zset, shape, any ? count : 0);
  if (found.length === 0 && storeKey === null) return client.reply.arrayHeader(0);

  const returned = count === 0 || found.length < count ? found.length : count;
  if (sort !== SORT_NONE) {
    const compare = sort === SORT_ASC ? ascending : descending;
    // qsort is glibc's merge sort, stable like Array.prototype.sort; pqsort is not.
    if (returned === found.length) found.sort(compare);
    else pqsort(found, compare, 0, returned - 1);
  }

  if (storeKey === null) {
    replyPoints(client, found.slice(0, returned), shape.conversion, { withDist, withHash, withCoords });
  } else {
    storePoints(client, storeKey, found.slice(0, returned), shape.conversion, storeDist, search);
  }
}

/**
 * membersOfAllNeighbors: the points of each cell of the search (a cell equal to the one scanned
 * just before is skipped), inside the shape, in score order within a cell; with ANY (`limit`),
 * the scan stops as soon as that many were found.
 */
function pointsInCells(zset: SortedSet, shape: GeoShape, limit: number): GeoPoint[] {
  const found: GeoPoint[] = [];
  let last: { lat: number; lon: number; step: number } | null = null;
  for (const cell of searchCells(shape)) {
    if (cell === null) continue;
    if (last !== null && cell.lat === last.lat && cell.lon === last.lon && cell.step === last.step) continue;
    if (found.length !== 0 && limit !== 0 && found.length >= limit) break;
    // geoGetPointsInRange: min <= score < max.
    const { min, max } = cellScoreRange(cell);
    for (const entry of zset.rangeIn(new ScoreRange(min, max, false, true), false, 0, -1)) {
      const [lon, lat] = decodeScore(entry.score);
      const dist = distanceWithinShape(shape, lon, lat);
      if (dist !== null) found.push({ lon, lat, dist, score: entry.score, member: entry.member });
      if (found.length !== 0 && limit !== 0 && found.length >= limit) break;
    }
    last = cell;
  }
  return found;
}

/** addReplyLongLong(c, gp->score): the C cast of the score to long long (x86-64 cvttsd2si). */
function scoreAsLongLong(score: number): number | bigint {
  if (Number.isNaN(score) || score >= 2 ** 63 || score < -(2 ** 63)) return -(2n ** 63n);
  const t = Math.trunc(score);
  return Number.isSafeInteger(t) ? t : BigInt(t);
}

function replyPoints(
  client: Client,
  points: GeoPoint[],
  conversion: number,
  options: { withDist: boolean; withHash: boolean; withCoords: boolean },
): void {
  const reply = client.reply;
  const optionLength = Number(options.withDist) + Number(options.withCoords) + Number(options.withHash);
  reply.arrayHeader(points.length);
  for (const point of points) {
    if (optionLength) reply.arrayHeader(optionLength + 1);
    reply.bulk(point.member);
    if (options.withDist) replyDistance(client, point.dist / conversion);
    if (options.withHash) reply.integer(scoreAsLongLong(point.score));
    if (options.withCoords) {
      reply.arrayHeader(2);
      reply.doubleText(formatHuman(point.lon));
      reply.doubleText(formatHuman(point.lat));
    }
  }
}

/**
 * STORE / STOREDIST / GEOSEARCHSTORE: the points become a new sorted set (scored by geohash or by
 * distance in the unit), listpack-encoded when it fits (zsetConvertToListpackIfNeeded), replacing
 * the destination; no points delete it. Counts one change per point stored.
 */
function storePoints(client: Client, key: BinaryString, points: GeoPoint[], conversion: number, storeDist: boolean, search: boolean): void {
  const db = client.db;
  if (points.length === 0) {
    if (db.delete(key)) notify(client, 'g', 'del', key);
    return client.reply.integer(0);
  }
  const entries = points.map((p) => [p.member, storeDist ? p.dist / conversion : p.score] as const);
  db.set(key, SortedSet.from(entries, listpackLimits(client)));
  if (points.length > 1) db.changed(key, points.length - 1);
  notify(client, 'z', search ? 'geosearchstore' : 'georadiusstore', key);
  client.reply.integer(points.length);
}
