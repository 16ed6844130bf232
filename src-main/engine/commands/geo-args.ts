// Argument helpers of the GEO commands (geo.c extractLongLatOrReply, extractUnitOrReply,
// extractDistanceOrReply, extractBoxOrReply, addReplyDoubleDistance). Each replies with Redis's
// error and returns null when the argument is bad.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { ERR } from '../core/replies.js';
import { GEO_LAT_MAX, GEO_LAT_MIN, GEO_LONG_MAX, GEO_LONG_MIN } from '../util/geohash.js';
import { formatFixed } from '../util/fixed-point-text.js';
import { string2d } from './c-strtod.js';

/** getDoubleFromObjectOrReply, with its optional custom message. */
function doubleArg(client: Client, arg: BinaryString, error: string = ERR.notFloat): number | null {
  const value = string2d(arg);
  if (value === null) client.reply.error(error);
  return value;
}

/** extractLongLatOrReply: argv[at] is the longitude, argv[at + 1] the latitude. */
export function longLatArg(client: Client, argv: BinaryString[], at: number): [number, number] | null {
  const lon = doubleArg(client, argv[at]!);
  if (lon === null) return null;
  const lat = doubleArg(client, argv[at + 1]!);
  if (lat === null) return null;
  if (lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX) {
    // Printed with "%f", as addReplyErrorFormat's format string says.
    client.reply.error(`ERR invalid longitude,latitude pair ${formatFixed(lon, 6)},${formatFixed(lat, 6)}`);
    return null;
  }
  return [lon, lat];
}

const UNITS = new Map([
  ['m', 1],
  ['km', 1000],
  ['ft', 0.3048],
  ['mi', 1609.34],
]);

/** extractUnitOrReply: meters per unit (case-insensitive since Redis 6.2). */
export function unitArg(client: Client, arg: BinaryString): number | null {
  // strcasecmp on a C string: a NUL byte ends the unit.
  const nul = arg.indexOf('\0');
  const unit = UNITS.get((nul < 0 ? arg : arg.slice(0, nul)).toLowerCase());
  if (unit === undefined) {
    client.reply.error('ERR unsupported unit provided. please use M, KM, FT, MI');
    return null;
  }
  return unit;
}

/** extractDistanceOrReply: `<radius> <unit>`. */
export function radiusArg(client: Client, argv: BinaryString[], at: number): { radius: number; conversion: number } | null {
  const radius = doubleArg(client, argv[at]!, 'ERR need numeric radius');
  if (radius === null) return null;
  if (radius < 0) {
    client.reply.error('ERR radius cannot be negative');
    return null;
  }
  const conversion = unitArg(client, argv[at + 1]!);
  return conversion === null ? null : { radius, conversion };
}

/** extractBoxOrReply: `<width> <height> <unit>`. */
export function boxArg(client: Client, argv: BinaryString[], at: number): { width: number; height: number; conversion: number } | null {
  const width = doubleArg(client, argv[at]!, 'ERR need numeric width');
  if (width === null) return null;
  const height = doubleArg(client, argv[at + 1]!, 'ERR need numeric height');
  if (height === null) return null;
  if (height < 0 || width < 0) {
    client.reply.error('ERR height or width cannot be negative');
    return null;
  }
  const conversion = unitArg(client, argv[at + 2]!);
  return conversion === null ? null : { width, height, conversion };
}

/** addReplyDoubleDistance: a distance as a bulk string with four decimals ("%.4f"). */
export function replyDistance(client: Client, distance: number): void {
  client.reply.bulk(formatFixed(distance, 4));
}
