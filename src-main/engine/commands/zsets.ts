// Sorted-set commands (t_zset.c): the command table. The handlers live in the zset-*.ts modules
// by theme: single members and counts (zset-basic), ranges (zset-range), set operations
// (zset-setops), pops (zset-pop, and zset-blocking for the B* forms) and sampling (zset-sampling).
import type { BinaryString } from '../protocol/request-parser.js';
import { defineCommand, type CommandDocArgument, type CommandSpec } from '../core/command-table.js';
import {
  countInRange,
  zaddGeneric,
  zcardCommand,
  zmscoreCommand,
  zrankGeneric,
  zremCommand,
  zremrangeGeneric,
  zscoreCommand,
} from './zset-basic.js';
import { zrangeGeneric } from './zset-range.js';
import { zsetOpGeneric } from './zset-setops.js';
import { zmpopCommand, zpopCommand } from './zset-pop.js';
import { bzmpopCommand, bzpopCommand } from './zset-blocking.js';
import { zrandmemberCommand, zscanCommand } from './zset-sampling.js';
import { numkeysKeyPositions } from './zset-common.js';

const KEY: CommandDocArgument = { name: 'key', type: 'key' };
const MEMBER: CommandDocArgument = { name: 'member', type: 'string' };
const WITHSCORES: CommandDocArgument = { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true };
const LIMIT: CommandDocArgument = {
  name: 'offset_count',
  type: 'block',
  token: 'LIMIT',
  optional: true,
  arguments: [
    { name: 'offset', type: 'integer' },
    { name: 'count', type: 'integer' },
  ],
};
const NUMKEYS_KEYS: CommandDocArgument[] = [
  { name: 'numkeys', type: 'integer' },
  { name: 'key', type: 'key', multiple: true },
];
const WEIGHTS_AGGREGATE: CommandDocArgument[] = [
  { name: 'weight', type: 'integer', token: 'WEIGHTS', optional: true, multiple: true },
  {
    name: 'aggregate',
    type: 'oneof',
    token: 'AGGREGATE',
    optional: true,
    arguments: [
      { name: 'sum', type: 'pure-token', token: 'SUM' },
      { name: 'min', type: 'pure-token', token: 'MIN' },
      { name: 'max', type: 'pure-token', token: 'MAX' },
    ],
  },
];
const MIN_MAX: CommandDocArgument = {
  name: 'where',
  type: 'oneof',
  arguments: [
    { name: 'min', type: 'pure-token', token: 'MIN' },
    { name: 'max', type: 'pure-token', token: 'MAX' },
  ],
};
const COUNT_OPTION: CommandDocArgument = { name: 'count', type: 'integer', token: 'COUNT', optional: true };
const TIMEOUT: CommandDocArgument = { name: 'timeout', type: 'double' };

/** Fields shared by every command of the family. */
const family = { group: 'sorted-set', acl: ['sortedset' as const] };

function rangeCommand(
  name: string,
  summary: string,
  since: string,
  args: CommandDocArgument[],
  shape: Parameters<typeof zrangeGeneric>[2],
): CommandSpec {
  return defineCommand({
    ...family,
    name,
    arity: shape.store ? -5 : -4,
    flags: shape.store ? ['write', 'denyoom'] : ['readonly'],
    keys: shape.store ? [1, 2, 1] : [1, 1, 1],
    summary,
    since,
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
    arguments: args,
    handler: (client, argv) => zrangeGeneric(client, argv, shape),
  });
}

function setOpCommand(name: string, summary: string, since: string, shape: Parameters<typeof zsetOpGeneric>[2]): CommandSpec {
  const numkeysIndex = shape.store ? 2 : 1;
  const options: CommandDocArgument[] = shape.cardinalityOnly
    ? [{ name: 'limit', type: 'integer', token: 'LIMIT', optional: true }]
    : [...(shape.op === 'diff' ? [] : WEIGHTS_AGGREGATE), ...(shape.store ? [] : [WITHSCORES])];
  return defineCommand({
    ...family,
    name,
    arity: shape.store ? -4 : -3,
    flags: shape.store ? ['write', 'denyoom', 'movablekeys'] : ['readonly', 'movablekeys'],
    keys: shape.store ? [1, 1, 1] : [0, 0, 0],
    summary,
    since,
    complexity: 'O(N)+O(M*log(M)) with N the sum of the sizes of the input sorted sets, and M the number of elements in the result.',
    arguments: [...(shape.store ? [{ name: 'destination', type: 'key' } as const] : []), ...NUMKEYS_KEYS, ...options],
    getKeys: (argv: BinaryString[]) => numkeysKeyPositions(argv, numkeysIndex, shape.store ? [1] : []),
    handler: (client, argv) => zsetOpGeneric(client, argv, shape),
  });
}

export const zsetCommands: CommandSpec[] = [
  defineCommand({
    ...family,
    name: 'zadd',
    arity: -4,
    flags: ['write', 'denyoom', 'fast'],
    keys: [1, 1, 1],
    summary: 'Add one or more members to a sorted set, or update its score if it already exists',
    since: '1.2.0',
    complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
    arguments: [
      KEY,
      {
        name: 'condition',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'nx', type: 'pure-token', token: 'NX' },
          { name: 'xx', type: 'pure-token', token: 'XX' },
        ],
      },
      {
        name: 'comparison',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'gt', type: 'pure-token', token: 'GT' },
          { name: 'lt', type: 'pure-token', token: 'LT' },
        ],
      },
      { name: 'change', type: 'pure-token', token: 'CH', optional: true },
      { name: 'increment', type: 'pure-token', token: 'INCR', optional: true },
      {
        name: 'score_member',
        type: 'block',
        multiple: true,
        arguments: [{ name: 'score', type: 'double' }, MEMBER],
      },
    ],
    handler: (client, argv) => zaddGeneric(client, argv, false),
  }),
  defineCommand({
    ...family,
    name: 'zincrby',
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    keys: [1, 1, 1],
    summary: 'Increment the score of a member in a sorted set',
    since: '1.2.0',
    complexity: 'O(log(N)) where N is the number of elements in the sorted set.',
    arguments: [KEY, { name: 'increment', type: 'integer' }, MEMBER],
    handler: (client, argv) => zaddGeneric(client, argv, true),
  }),
  defineCommand({
    ...family,
    name: 'zrem',
    arity: -3,
    flags: ['write', 'fast'],
    keys: [1, 1, 1],
    summary: 'Remove one or more members from a sorted set',
    since: '1.2.0',
    complexity: 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.',
    arguments: [KEY, { ...MEMBER, multiple: true }],
    handler: zremCommand,
  }),
  defineCommand({
    ...family,
    name: 'zscore',
    arity: 3,
    flags: ['readonly', 'fast'],
    keys: [1, 1, 1],
    summary: 'Get the score associated with the given member in a sorted set',
    since: '1.2.0',
    complexity: 'O(1)',
    arguments: [KEY, MEMBER],
    handler: zscoreCommand,
  }),
  defineCommand({
    ...family,
    name: 'zmscore',
    arity: -3,
    flags: ['readonly', 'fast'],
    keys: [1, 1, 1],
    summary: 'Get the score associated with the given members in a sorted set',
    since: '6.2.0',
    complexity: 'O(N) where N is the number of members being requested.',
    arguments: [KEY, { ...MEMBER, multiple: true }],
    handler: zmscoreCommand,
  }),
  defineCommand({
    ...family,
    name: 'zcard',
    arity: 2,
    flags: ['readonly', 'fast'],
    keys: [1, 1, 1],
    summary: 'Get the number of members in a sorted set',
    since: '1.2.0',
    complexity: 'O(1)',
    arguments: [KEY],
    handler: zcardCommand,
  }),
  defineCommand({
    ...family,
    name: 'zcount',
    arity: 4,
    flags: ['readonly', 'fast'],
    keys: [1, 1, 1],
    summary: 'Count the members in a sorted set with scores within the given values',
    since: '2.0.0',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    arguments: [KEY, { name: 'min', type: 'double' }, { name: 'max', type: 'double' }],
    handler: (client, argv) => countInRange(client, argv, false),
  }),
  defineCommand({
    ...family,
    name: 'zlexcount',
    arity: 4,
    flags: ['readonly', 'fast'],
    keys: [1, 1, 1],
    summary: 'Count the number of members in a sorted set between a given lexicographical range',
    since: '2.8.9',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    arguments: [KEY, { name: 'min', type: 'string' }, { name: 'max', type: 'string' }],
    handler: (client, argv) => countInRange(client, argv, true),
  }),
  rangeCommand(
    'zrange',
    'Return a range of members in a sorted set',
    '1.2.0',
    [
      KEY,
      { name: 'start', type: 'string' },
      { name: 'stop', type: 'string' },
      {
        name: 'sortby',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'byscore', type: 'pure-token', token: 'BYSCORE' },
          { name: 'bylex', type: 'pure-token', token: 'BYLEX' },
        ],
      },
      { name: 'rev', type: 'pure-token', token: 'REV', optional: true },
      LIMIT,
      WITHSCORES,
    ],
    { store: false, kind: null, reverse: null },
  ),
  rangeCommand(
    'zrangestore',
    'Store a range of members from sorted set into another key',
    '6.2.0',
    [
      { name: 'dst', type: 'key' },
      { name: 'src', type: 'key' },
      { name: 'min', type: 'string' },
      { name: 'max', type: 'string' },
      {
        name: 'sortby',
        type: 'oneof',
        optional: true,
        arguments: [
          { name: 'byscore', type: 'pure-token', token: 'BYSCORE' },
          { name: 'bylex', type: 'pure-token', token: 'BYLEX' },
        ],
      },
      { name: 'rev', type: 'pure-token', token: 'REV', optional: true },
      LIMIT,
    ],
    { store: true, kind: null, reverse: null },
  ),
  rangeCommand(
    'zrevrange',
    'Return a range of members in a sorted set, by index, with scores ordered from high to low',
    '1.2.0',
    [KEY, { name: 'start', type: 'integer' }, { name: 'stop', type: 'integer' }, WITHSCORES],
    { store: false, kind: 'rank', reverse: true },
  ),
  rangeCommand(
    'zrangebyscore',
    'Return a range of members in a sorted set, by score',
    '1.0.5',
    [KEY, { name: 'min', type: 'double' }, { name: 'max', type: 'double' }, WITHSCORES, LIMIT],
    { store: false, kind: 'score', reverse: false },
  ),
  rangeCommand(
    'zrevrangebyscore',
    'Return a range of members in a sorted set, by score, with scores ordered from high to low',
    '2.2.0',
    [KEY, { name: 'max', type: 'double' }, { name: 'min', type: 'double' }, WITHSCORES, LIMIT],
    { store: false, kind: 'score', reverse: true },
  ),
  rangeCommand(
    'zrangebylex',
    'Return a range of members in a sorted set, by lexicographical range',
    '2.8.9',
    [KEY, { name: 'min', type: 'string' }, { name: 'max', type: 'string' }, LIMIT],
    { store: false, kind: 'lex', reverse: false },
  ),
  rangeCommand(
    'zrevrangebylex',
    'Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.',
    '2.8.9',
    [KEY, { name: 'max', type: 'string' }, { name: 'min', type: 'string' }, LIMIT],
    { store: false, kind: 'lex', reverse: true },
  ),
  defineCommand({
    ...family,
    name: 'zrank',
    arity: 3,
    flags: ['readonly', 'fast'],
    keys: [1, 1, 1],
    summary: 'Determine the index of a member in a sorted set',
    since: '2.0.0',
    complexity: 'O(log(N))',
    arguments: [KEY, MEMBER],
    handler: (client, argv) => zrankGeneric(client, argv, false),
  }),
  defineCommand({
    ...family,
    name: 'zrevrank',
    arity: 3,
    flags: ['readonly', 'fast'],
    keys: [1, 1, 1],
    summary: 'Determine the index of a member in a sorted set, with scores ordered from high to low',
    since: '2.0.0',
    complexity: 'O(log(N))',
    arguments: [KEY, MEMBER],
    handler: (client, argv) => zrankGeneric(client, argv, true),
  }),
  defineCommand({
    ...family,
    name: 'zremrangebyrank',
    arity: 4,
    flags: ['write'],
    keys: [1, 1, 1],
    summary: 'Remove all members in a sorted set within the given indexes',
    since: '2.0.0',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
    arguments: [KEY, { name: 'start', type: 'integer' }, { name: 'stop', type: 'integer' }],
    handler: (client, argv) => zremrangeGeneric(client, argv, 'rank'),
  }),
  defineCommand({
    ...family,
    name: 'zremrangebyscore',
    arity: 4,
    flags: ['write'],
    keys: [1, 1, 1],
    summary: 'Remove all members in a sorted set within the given scores',
    since: '1.2.0',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
    arguments: [KEY, { name: 'min', type: 'double' }, { name: 'max', type: 'double' }],
    handler: (client, argv) => zremrangeGeneric(client, argv, 'score'),
  }),
  defineCommand({
    ...family,
    name: 'zremrangebylex',
    arity: 4,
    flags: ['write'],
    keys: [1, 1, 1],
    summary: 'Remove all members in a sorted set between the given lexicographical range',
    since: '2.8.9',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
    arguments: [KEY, { name: 'min', type: 'string' }, { name: 'max', type: 'string' }],
    handler: (client, argv) => zremrangeGeneric(client, argv, 'lex'),
  }),
  setOpCommand('zunionstore', 'Add multiple sorted sets and store the resulting sorted set in a new key', '2.0.0', {
    op: 'union',
    store: true,
    cardinalityOnly: false,
  }),
  setOpCommand('zinterstore', 'Intersect multiple sorted sets and store the resulting sorted set in a new key', '2.0.0', {
    op: 'inter',
    store: true,
    cardinalityOnly: false,
  }),
  setOpCommand('zdiffstore', 'Subtract multiple sorted sets and store the resulting sorted set in a new key', '6.2.0', {
    op: 'diff',
    store: true,
    cardinalityOnly: false,
  }),
  setOpCommand('zunion', 'Add multiple sorted sets', '6.2.0', { op: 'union', store: false, cardinalityOnly: false }),
  setOpCommand('zinter', 'Intersect multiple sorted sets', '6.2.0', { op: 'inter', store: false, cardinalityOnly: false }),
  setOpCommand('zdiff', 'Subtract multiple sorted sets', '6.2.0', { op: 'diff', store: false, cardinalityOnly: false }),
  setOpCommand('zintercard', 'Intersect multiple sorted sets and return the cardinality of the result', '7.0.0', {
    op: 'inter',
    store: false,
    cardinalityOnly: true,
  }),
  defineCommand({
    ...family,
    name: 'zpopmin',
    arity: -2,
    flags: ['write', 'fast'],
    keys: [1, 1, 1],
    summary: 'Remove and return members with the lowest scores in a sorted set',
    since: '5.0.0',
    complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
    arguments: [KEY, { name: 'count', type: 'integer', optional: true }],
    handler: (client, argv) => zpopCommand(client, argv, false),
  }),
  defineCommand({
    ...family,
    name: 'zpopmax',
    arity: -2,
    flags: ['write', 'fast'],
    keys: [1, 1, 1],
    summary: 'Remove and return members with the highest scores in a sorted set',
    since: '5.0.0',
    complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
    arguments: [KEY, { name: 'count', type: 'integer', optional: true }],
    handler: (client, argv) => zpopCommand(client, argv, true),
  }),
  defineCommand({
    ...family,
    name: 'zmpop',
    arity: -4,
    flags: ['write', 'movablekeys'],
    summary: 'Remove and return members with scores in a sorted set',
    since: '7.0.0',
    complexity:
      'O(K) + O(N*log(M)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
    arguments: [...NUMKEYS_KEYS, MIN_MAX, COUNT_OPTION],
    getKeys: (argv) => numkeysKeyPositions(argv, 1),
    handler: zmpopCommand,
  }),
  defineCommand({
    ...family,
    name: 'bzpopmin',
    arity: -3,
    flags: ['write', 'noscript', 'blocking', 'fast'],
    keys: [1, -2, 1],
    summary: 'Remove and return the member with the lowest score from one or more sorted sets, or block until one is available',
    since: '5.0.0',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    arguments: [{ ...KEY, multiple: true }, TIMEOUT],
    handler: (client, argv) => bzpopCommand(client, argv, false),
  }),
  defineCommand({
    ...family,
    name: 'bzpopmax',
    arity: -3,
    flags: ['write', 'noscript', 'blocking', 'fast'],
    keys: [1, -2, 1],
    summary: 'Remove and return the member with the highest score from one or more sorted sets, or block until one is available',
    since: '5.0.0',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    arguments: [{ ...KEY, multiple: true }, TIMEOUT],
    handler: (client, argv) => bzpopCommand(client, argv, true),
  }),
  defineCommand({
    ...family,
    name: 'bzmpop',
    arity: -5,
    flags: ['write', 'blocking', 'movablekeys'],
    summary: 'Remove and return members with scores in a sorted set or block until one is available',
    since: '7.0.0',
    complexity:
      'O(K) + O(N*log(M)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
    arguments: [TIMEOUT, ...NUMKEYS_KEYS, MIN_MAX, COUNT_OPTION],
    getKeys: (argv) => numkeysKeyPositions(argv, 2),
    handler: bzmpopCommand,
  }),
  defineCommand({
    ...family,
    name: 'zrandmember',
    arity: -2,
    flags: ['readonly'],
    keys: [1, 1, 1],
    summary: 'Get one or multiple random elements from a sorted set',
    since: '6.2.0',
    complexity: 'O(N) where N is the number of elements returned',
    arguments: [
      KEY,
      {
        name: 'options',
        type: 'block',
        optional: true,
        arguments: [{ name: 'count', type: 'integer' }, WITHSCORES],
      },
    ],
    handler: zrandmemberCommand,
  }),
  defineCommand({
    ...family,
    name: 'zscan',
    arity: -3,
    flags: ['readonly'],
    keys: [1, 1, 1],
    summary: 'Incrementally iterate sorted sets elements and associated scores',
    since: '2.8.0',
    complexity:
      'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    arguments: [
      KEY,
      { name: 'cursor', type: 'integer' },
      { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
    handler: zscanCommand,
  }),
];
