// Geo commands (geo.c): points kept in a sorted set, scored by their 52-bit geohash
// (../util/geohash.ts). GEOADD is ZADD with computed scores, and is propagated as that ZADD; the
// searches live in geo-search.ts.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { keySpec, defineCommand, type CommandDocArgument, type CommandSpec, type KeyReference } from '../core/command-table.js';
import { ERR, is } from '../core/replies.js';
import { SortedSet } from '../keyspace/types/zset.js';
import { decodeScore, geoDistance, pointScoreText, standardGeohash } from '../util/geohash.js';
import { formatHuman } from '../util/fixed-point-text.js';
import { readAggregate } from './aggregate-access.js';
import { longLatArg, replyDistance, unitArg } from './geo-args.js';
import { geoSearchGeneric, type GeoSearchKind } from './geo-search.js';
import { zaddGeneric } from './zset-basic.js';

// COMMAND DOCS arguments several geo commands share, as Redis 7.0's docs spell them.
const UNITS: CommandDocArgument[] = [
  { name: 'm', type: 'pure-token', token: 'M' },
  { name: 'km', type: 'pure-token', token: 'KM' },
  { name: 'ft', type: 'pure-token', token: 'FT' },
  { name: 'mi', type: 'pure-token', token: 'MI' },
];
/** A required unit (GEODIST's is optional). */
const UNIT: CommandDocArgument = { name: 'unit', type: 'oneof', arguments: UNITS };
const WITH_FIELDS: CommandDocArgument[] = [
  { name: 'withcoord', type: 'pure-token', token: 'WITHCOORD', optional: true },
  { name: 'withdist', type: 'pure-token', token: 'WITHDIST', optional: true },
  { name: 'withhash', type: 'pure-token', token: 'WITHHASH', optional: true },
];
const SEARCH_FROM: CommandDocArgument = {
  name: 'from',
  type: 'oneof',
  arguments: [
    { name: 'member', type: 'string', token: 'FROMMEMBER' },
    {
      name: 'longitude_latitude',
      type: 'block',
      token: 'FROMLONLAT',
      arguments: [
        { name: 'longitude', type: 'double' },
        { name: 'latitude', type: 'double' },
      ],
    },
  ],
};
const SEARCH_BY: CommandDocArgument = {
  name: 'by',
  type: 'oneof',
  arguments: [
    {
      name: 'circle',
      type: 'block',
      arguments: [{ name: 'radius', type: 'double', token: 'BYRADIUS' }, UNIT],
    },
    {
      name: 'box',
      type: 'block',
      arguments: [{ name: 'width', type: 'double', token: 'BYBOX' }, { name: 'height', type: 'double' }, UNIT],
    },
  ],
};
const ORDER: CommandDocArgument = {
  name: 'order',
  type: 'oneof',
  optional: true,
  arguments: [
    { name: 'asc', type: 'pure-token', token: 'ASC' },
    { name: 'desc', type: 'pure-token', token: 'DESC' },
  ],
};

/** COUNT count [ANY]; `anySince`: the version that added ANY, where the docs say it. */
function countArgument(anySince?: string): CommandDocArgument {
  return {
    name: 'count',
    type: 'block',
    optional: true,
    arguments: [
      { name: 'count', type: 'integer', token: 'COUNT' },
      { name: 'any', type: 'pure-token', token: 'ANY', optional: true, ...(anySince ? { since: anySince } : {}) },
    ],
  };
}

/**
 * geoaddCommand: GEOADD key [NX|XX] [CH] longitude latitude member [...], turned into
 * ZADD key [NX|XX] [CH] score member [...] and run as ZADD (replaceClientCommandVector), so the
 * reply, the "zadd" event and what replicas and the AOF receive are ZADD's.
 */
function geoaddCommand(client: Client, argv: BinaryString[]): void {
  let xx = false;
  let nx = false;
  let longIdx = 2;
  for (; longIdx < argv.length; longIdx++) {
    const opt = argv[longIdx]!;
    if (is(opt, 'nx')) nx = true;
    else if (is(opt, 'xx')) xx = true;
    else if (!is(opt, 'ch')) break;
  }
  if ((argv.length - longIdx) % 3 !== 0 || (xx && nx)) return client.reply.error(ERR.syntax);

  const zaddArgv: BinaryString[] = ['zadd', ...argv.slice(1, longIdx)];
  for (let i = longIdx; i < argv.length; i += 3) {
    const xy = longLatArg(client, argv, i);
    if (xy === null) return;
    zaddArgv.push(pointScoreText(xy[0], xy[1])!, argv[i + 2]!);
  }
  const keyspace = client.server.keyspace;
  const dirtyBefore = keyspace.dirty;
  zaddGeneric(client, zaddArgv, false);
  // The rewritten vector is what call() propagates, when ZADD changed something.
  if (keyspace.dirty !== dirtyBefore) client.server.propagation.propagate(client.db.id, zaddArgv);
}

/** geodistCommand: GEODIST key member1 member2 [unit]. */
function geodistCommand(client: Client, argv: BinaryString[]): void {
  let toMeter = 1;
  if (argv.length === 5) {
    const unit = unitArg(client, argv[4]!);
    if (unit === null) return;
    toMeter = unit;
  } else if (argv.length > 5) {
    return client.reply.error(ERR.syntax);
  }
  const zset = readAggregate(client, argv[1]!, SortedSet);
  if (zset === null) return;
  const score1 = zset?.score(argv[2]!);
  const score2 = zset?.score(argv[3]!);
  if (score1 === undefined || score2 === undefined) return client.reply.null();
  const [lon1, lat1] = decodeScore(score1);
  const [lon2, lat2] = decodeScore(score2);
  replyDistance(client, geoDistance(lon1, lat1, lon2, lat2) / toMeter);
}

/** geohashCommand: GEOHASH key member [...], a null bulk for each missing member. */
function geohashCommand(client: Client, argv: BinaryString[]): void {
  const zset = readAggregate(client, argv[1]!, SortedSet);
  if (zset === null) return;
  client.reply.arrayHeader(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = zset?.score(argv[j]!);
    if (score === undefined) client.reply.null();
    else client.reply.bulk(standardGeohash(score));
  }
}

/**
 * geoposCommand: GEOPOS key member [...], the centre of each member's cell as
 * addReplyHumanLongDouble prints it ("%.17Lf", trailing zeros dropped; a RESP3 double), a null
 * array for each missing member.
 */
function geoposCommand(client: Client, argv: BinaryString[]): void {
  const zset = readAggregate(client, argv[1]!, SortedSet);
  if (zset === null) return;
  const reply = client.reply;
  reply.arrayHeader(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = zset?.score(argv[j]!);
    if (score === undefined) {
      reply.nullArray();
      continue;
    }
    const [lon, lat] = decodeScore(score);
    reply.arrayHeader(2);
    reply.doubleText(formatHuman(lon));
    reply.doubleText(formatHuman(lat));
  }
}

/**
 * db.c georadiusGetKeys, for when the key specs cannot be followed (STORE as the last argument):
 * the source, then the key after the last STORE or STOREDIST searched from argv[5].
 */
function georadiusKeys(argv: BinaryString[]): KeyReference[] {
  let stored = -1;
  for (let i = 5; i < argv.length; i++) {
    if ((is(argv[i]!, 'store') || is(argv[i]!, 'storedist')) && i + 1 < argv.length) stored = ++i;
  }
  return stored === -1
    ? [{ pos: 1, flags: [] }]
    : [
        { pos: 1, flags: [] },
        { pos: stored, flags: [] },
      ];
}

/** GEORADIUS's key specs: the source, and the keys after STORE and STOREDIST (searched from startFrom). */
const georadiusKeySpecs = (startFrom: number) => [
  keySpec('RO access', 1),
  keySpec('OW update', ['STORE', startFrom]),
  keySpec('OW update', ['STOREDIST', startFrom]),
];

const family = { group: 'geo', acl: ['geo' as const] };
const SEARCH_COMPLEXITY =
  'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.';

function searchCommand(
  name: string,
  arity: number,
  since: string,
  summary: string,
  kind: GeoSearchKind,
  args: CommandDocArgument[],
  store: 'none' | 'optional' | 'destination',
): CommandSpec {
  return defineCommand({
    ...family,
    name,
    arity,
    flags: store === 'none' ? ['readonly'] : store === 'optional' ? ['write', 'denyoom', 'movablekeys'] : ['write', 'denyoom'],
    keySpecs:
      store === 'destination'
        ? [keySpec('OW update', 1), keySpec('RO access', 2)]
        : store === 'optional'
          ? georadiusKeySpecs(kind.from === 'coords' ? 6 : 5)
          : [keySpec('RO access', 1)],
    summary,
    since,
    complexity: SEARCH_COMPLEXITY,
    arguments: args,
    ...(store === 'optional' ? { getKeys: georadiusKeys } : {}),
    handler: (client, argv) => geoSearchGeneric(client, argv, kind),
  });
}

export const geoCommands: CommandSpec[] = [
  defineCommand({
    ...family,
    name: 'geoadd',
    arity: -5,
    flags: ['write', 'denyoom'],
    keySpecs: [keySpec('RW update', 1)],
    summary: 'Add one or more geospatial items in the geospatial index represented using a sorted set',
    since: '3.2.0',
    history: [['6.2.0', 'Added the `CH`, `NX` and `XX` options.']],
    complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'condition',
        type: 'oneof',
        optional: true,
        since: '6.2.0',
        arguments: [
          { name: 'nx', type: 'pure-token', token: 'NX' },
          { name: 'xx', type: 'pure-token', token: 'XX' },
        ],
      },
      { name: 'change', type: 'pure-token', token: 'CH', optional: true, since: '6.2.0' },
      {
        name: 'longitude_latitude_member',
        type: 'block',
        multiple: true,
        arguments: [
          { name: 'longitude', type: 'double' },
          { name: 'latitude', type: 'double' },
          { name: 'member', type: 'string' },
        ],
      },
    ],
    handler: geoaddCommand,
  }),
  defineCommand({
    ...family,
    name: 'geodist',
    arity: -4,
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    summary: 'Returns the distance between two members of a geospatial index',
    since: '3.2.0',
    complexity: 'O(log(N))',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'member1', type: 'string' },
      { name: 'member2', type: 'string' },
      {
        name: 'unit',
        type: 'oneof',
        optional: true,
        arguments: UNITS,
      },
    ],
    handler: geodistCommand,
  }),
  defineCommand({
    ...family,
    name: 'geohash',
    arity: -2,
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    summary: 'Returns members of a geospatial index as standard geohash strings',
    since: '3.2.0',
    complexity: 'O(log(N)) for each member requested, where N is the number of elements in the sorted set.',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'member', type: 'string', multiple: true },
    ],
    handler: geohashCommand,
  }),
  defineCommand({
    ...family,
    name: 'geopos',
    arity: -2,
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    summary: 'Returns longitude and latitude of members of a geospatial index',
    since: '3.2.0',
    complexity: 'O(N) where N is the number of members requested.',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'member', type: 'string', multiple: true },
    ],
    handler: geoposCommand,
  }),
  {
    ...searchCommand(
      'georadius',
      -6,
      '3.2.0',
      'Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point',
      { from: 'coords' },
      [
        { name: 'key', type: 'key' },
        { name: 'longitude', type: 'double' },
        { name: 'latitude', type: 'double' },
        { name: 'radius', type: 'double' },
        UNIT,
        ...WITH_FIELDS,
        countArgument('6.2.0'),
        ORDER,
        { name: 'key', type: 'key', token: 'STORE', optional: true, keySpecIndex: 1 },
        { name: 'key', type: 'key', token: 'STOREDIST', optional: true, keySpecIndex: 2 },
      ],
      'optional',
    ),
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument',
    history: [
      ['6.2.0', 'Added the `ANY` option for `COUNT`.'],
      ['7.0.0', 'Added support for uppercase unit names.'],
    ],
  },
  {
    ...searchCommand(
      'georadius_ro',
      -6,
      '3.2.10',
      'A read-only variant for GEORADIUS',
      { from: 'coords', noStore: true },
      [
        { name: 'key', type: 'key' },
        { name: 'longitude', type: 'double' },
        { name: 'latitude', type: 'double' },
        { name: 'radius', type: 'double' },
        UNIT,
        ...WITH_FIELDS,
        countArgument('6.2.0'),
        ORDER,
      ],
      'none',
    ),
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`GEOSEARCH` with the `BYRADIUS` argument',
    history: [['6.2.0', 'Added the `ANY` option for `COUNT`.']],
  },
  {
    ...searchCommand(
      'georadiusbymember',
      -5,
      '3.2.0',
      'Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member',
      { from: 'member' },
      [
        { name: 'key', type: 'key' },
        { name: 'member', type: 'string' },
        { name: 'radius', type: 'double' },
        UNIT,
        ...WITH_FIELDS,
        countArgument(),
        ORDER,
        { name: 'key', type: 'key', token: 'STORE', optional: true, keySpecIndex: 1 },
        { name: 'key', type: 'key', token: 'STOREDIST', optional: true, keySpecIndex: 2 },
      ],
      'optional',
    ),
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments',
    history: [['7.0.0', 'Added support for uppercase unit names.']],
  },
  {
    ...searchCommand(
      'georadiusbymember_ro',
      -5,
      '3.2.10',
      'A read-only variant for GEORADIUSBYMEMBER',
      { from: 'member', noStore: true },
      [
        { name: 'key', type: 'key' },
        { name: 'member', type: 'string' },
        { name: 'radius', type: 'double' },
        UNIT,
        ...WITH_FIELDS,
        countArgument(),
        ORDER,
      ],
      'none',
    ),
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments',
  },
  {
    ...searchCommand(
      'geosearch',
      -7,
      '6.2.0',
      'Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.',
      { from: 'search' },
      [{ name: 'key', type: 'key' }, SEARCH_FROM, SEARCH_BY, ORDER, countArgument(), ...WITH_FIELDS],
      'none',
    ),
    complexity:
      'O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape',
    history: [['7.0.0', 'Added support for uppercase unit names.']],
  },
  {
    ...searchCommand(
      'geosearchstore',
      -8,
      '6.2.0',
      'Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.',
      { from: 'search', searchStore: true },
      [
        { name: 'destination', type: 'key' },
        { name: 'source', type: 'key', keySpecIndex: 1 },
        SEARCH_FROM,
        SEARCH_BY,
        ORDER,
        countArgument(),
        { name: 'storedist', type: 'pure-token', token: 'STOREDIST', optional: true },
      ],
      'destination',
    ),
    complexity:
      'O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape',
    history: [['7.0.0', 'Added support for uppercase unit names.']],
  },
];
