// Sorted-set commands (t_zset.c): the command table. The handlers live in the zset-*.ts modules
// by theme: single members and counts (zset-basic), ranges (zset-range), set operations
// (zset-setops), pops (zset-pop, and zset-blocking for the B* forms) and sampling (zset-sampling).
import { keySpec, numkeysGetKeys, defineCommand, type CommandDocArgument, type CommandSpec } from '../core/command-table.js';
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

/** AGGREGATE SUM|MIN|MAX in the COMMAND DOCS of the union and intersection commands. */
const AGGREGATE: CommandDocArgument = {
  name: 'aggregate',
  type: 'oneof',
  token: 'AGGREGATE',
  optional: true,
  arguments: [
    { name: 'sum', type: 'pure-token', token: 'SUM' },
    { name: 'min', type: 'pure-token', token: 'MIN' },
    { name: 'max', type: 'pure-token', token: 'MAX' },
  ],
};

/** ZUNIONSTORE's and ZINTERSTORE's arguments. */
const STORE_ARGUMENTS: CommandDocArgument[] = [
  { name: 'destination', type: 'key' },
  { name: 'numkeys', type: 'integer' },
  { name: 'key', type: 'key', multiple: true, keySpecIndex: 1 },
  { name: 'weight', type: 'integer', token: 'WEIGHTS', optional: true, multiple: true },
  AGGREGATE,
];

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
  AGGREGATE,
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
    keySpecs: shape.store ? [keySpec('OW update', 1), keySpec('RO access', 2)] : [keySpec('RO access', 1)],
    summary,
    since,
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
    arguments: args,
    handler: (client, argv) => zrangeGeneric(client, argv, shape),
  });
}

function setOpCommand(name: string, summary: string, since: string, shape: Parameters<typeof zsetOpGeneric>[2]): CommandSpec {
  const options: CommandDocArgument[] = shape.cardinalityOnly
    ? [{ name: 'limit', type: 'integer', token: 'LIMIT', optional: true }]
    : [...(shape.op === 'diff' ? [] : WEIGHTS_AGGREGATE), ...(shape.store ? [] : [WITHSCORES])];
  return defineCommand({
    ...family,
    name,
    arity: shape.store ? -4 : -3,
    flags: shape.store ? ['write', 'denyoom', 'movablekeys'] : ['readonly', 'movablekeys'],
    keySpecs: shape.store
      ? [keySpec('OW update', 1), keySpec('RO access', 2, { keynum: [0, 1, 1] })]
      : [keySpec('RO access', 1, { keynum: [0, 1, 1] })],
    summary,
    since,
    complexity: 'O(N)+O(M*log(M)) with N the sum of the sizes of the input sorted sets, and M the number of elements in the result.',
    arguments: [...(shape.store ? [{ name: 'destination', type: 'key' } as const] : []), ...NUMKEYS_KEYS, ...options],
    getKeys: shape.store ? numkeysGetKeys(2, 1) : numkeysGetKeys(1),
    handler: (client, argv) => zsetOpGeneric(client, argv, shape),
  });
}

export const zsetCommands: CommandSpec[] = [
  defineCommand({
    ...family,
    name: 'zadd',
    arity: -4,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [keySpec('RW update', 1)],
    summary: 'Add one or more members to a sorted set, or update its score if it already exists',
    since: '1.2.0',
    history: [
      ['2.4.0', 'Accepts multiple elements.'],
      ['3.0.2', 'Added the `XX`, `NX`, `CH` and `INCR` options.'],
      ['6.2.0', 'Added the `GT` and `LT` options.'],
    ],
    complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
    arguments: [
      { name: 'key', type: 'key' },
      {
        name: 'condition',
        type: 'oneof',
        optional: true,
        since: '3.0.2',
        arguments: [
          { name: 'nx', type: 'pure-token', token: 'NX' },
          { name: 'xx', type: 'pure-token', token: 'XX' },
        ],
      },
      {
        name: 'comparison',
        type: 'oneof',
        optional: true,
        since: '6.2.0',
        arguments: [
          { name: 'gt', type: 'pure-token', token: 'GT' },
          { name: 'lt', type: 'pure-token', token: 'LT' },
        ],
      },
      { name: 'change', type: 'pure-token', token: 'CH', optional: true, since: '3.0.2' },
      { name: 'increment', type: 'pure-token', token: 'INCR', optional: true, since: '3.0.2' },
      {
        name: 'score_member',
        type: 'block',
        multiple: true,
        arguments: [
          { name: 'score', type: 'double' },
          { name: 'member', type: 'string' },
        ],
      },
    ],
    handler: (client, argv) => zaddGeneric(client, argv, false),
  }),
  defineCommand({
    ...family,
    name: 'zincrby',
    arity: 4,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [keySpec('RW access update', 1)],
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
    keySpecs: [keySpec('RW delete', 1)],
    summary: 'Remove one or more members from a sorted set',
    since: '1.2.0',
    history: [['2.4.0', 'Accepts multiple elements.']],
    complexity: 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.',
    arguments: [KEY, { ...MEMBER, multiple: true }],
    handler: zremCommand,
  }),
  defineCommand({
    ...family,
    name: 'zscore',
    arity: 3,
    flags: ['readonly', 'fast'],
    keySpecs: [keySpec('RO access', 1)],
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
    keySpecs: [keySpec('RO access', 1)],
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
    keySpecs: [keySpec('RO', 1)],
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
    keySpecs: [keySpec('RO access', 1)],
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
    keySpecs: [keySpec('RO access', 1)],
    summary: 'Count the number of members in a sorted set between a given lexicographical range',
    since: '2.8.9',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    arguments: [KEY, { name: 'min', type: 'string' }, { name: 'max', type: 'string' }],
    handler: (client, argv) => countInRange(client, argv, true),
  }),
  {
    ...rangeCommand(
      'zrange',
      'Return a range of members in a sorted set',
      '1.2.0',
      [
        { name: 'key', type: 'key' },
        { name: 'start', type: 'string' },
        { name: 'stop', type: 'string' },
        {
          name: 'sortby',
          type: 'oneof',
          optional: true,
          since: '6.2.0',
          arguments: [
            { name: 'byscore', type: 'pure-token', token: 'BYSCORE' },
            { name: 'bylex', type: 'pure-token', token: 'BYLEX' },
          ],
        },
        { name: 'rev', type: 'pure-token', token: 'REV', optional: true, since: '6.2.0' },
        {
          name: 'offset_count',
          type: 'block',
          token: 'LIMIT',
          optional: true,
          since: '6.2.0',
          arguments: [
            { name: 'offset', type: 'integer' },
            { name: 'count', type: 'integer' },
          ],
        },
        { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
      ],
      { store: false, kind: null, reverse: null },
    ),
    history: [['6.2.0', 'Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.']],
  },
  {
    ...rangeCommand(
      'zrangestore',
      'Store a range of members from sorted set into another key',
      '6.2.0',
      [
        { name: 'dst', type: 'key' },
        { name: 'src', type: 'key', keySpecIndex: 1 },
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
        {
          name: 'offset_count',
          type: 'block',
          token: 'LIMIT',
          optional: true,
          arguments: [
            { name: 'offset', type: 'integer' },
            { name: 'count', type: 'integer' },
          ],
        },
      ],
      { store: true, kind: null, reverse: null },
    ),
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.',
  },
  {
    ...rangeCommand(
      'zrevrange',
      'Return a range of members in a sorted set, by index, with scores ordered from high to low',
      '1.2.0',
      [KEY, { name: 'start', type: 'integer' }, { name: 'stop', type: 'integer' }, WITHSCORES],
      { store: false, kind: 'rank', reverse: true },
    ),
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `REV` argument',
  },
  {
    ...rangeCommand(
      'zrangebyscore',
      'Return a range of members in a sorted set, by score',
      '1.0.5',
      [
        { name: 'key', type: 'key' },
        { name: 'min', type: 'double' },
        { name: 'max', type: 'double' },
        { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true, since: '2.0.0' },
        {
          name: 'offset_count',
          type: 'block',
          token: 'LIMIT',
          optional: true,
          arguments: [
            { name: 'offset', type: 'integer' },
            { name: 'count', type: 'integer' },
          ],
        },
      ],
      { store: false, kind: 'score', reverse: false },
    ),
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `BYSCORE` argument',
    history: [['2.0.0', 'Added the `WITHSCORES` modifier.']],
  },
  {
    ...rangeCommand(
      'zrevrangebyscore',
      'Return a range of members in a sorted set, by score, with scores ordered from high to low',
      '2.2.0',
      [KEY, { name: 'max', type: 'double' }, { name: 'min', type: 'double' }, WITHSCORES, LIMIT],
      { store: false, kind: 'score', reverse: true },
    ),
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `REV` and `BYSCORE` arguments',
    history: [['2.1.6', '`min` and `max` can be exclusive.']],
  },
  {
    ...rangeCommand(
      'zrangebylex',
      'Return a range of members in a sorted set, by lexicographical range',
      '2.8.9',
      [KEY, { name: 'min', type: 'string' }, { name: 'max', type: 'string' }, LIMIT],
      { store: false, kind: 'lex', reverse: false },
    ),
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `BYLEX` argument',
  },
  {
    ...rangeCommand(
      'zrevrangebylex',
      'Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.',
      '2.8.9',
      [KEY, { name: 'max', type: 'string' }, { name: 'min', type: 'string' }, LIMIT],
      { store: false, kind: 'lex', reverse: true },
    ),
    complexity:
      'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `REV` and `BYLEX` arguments',
  },
  defineCommand({
    ...family,
    name: 'zrank',
    arity: 3,
    flags: ['readonly', 'fast'],
    keySpecs: [keySpec('RO access', 1)],
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
    keySpecs: [keySpec('RO access', 1)],
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
    keySpecs: [keySpec('RW delete', 1)],
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
    keySpecs: [keySpec('RW delete', 1)],
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
    keySpecs: [keySpec('RW delete', 1)],
    summary: 'Remove all members in a sorted set between the given lexicographical range',
    since: '2.8.9',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
    arguments: [KEY, { name: 'min', type: 'string' }, { name: 'max', type: 'string' }],
    handler: (client, argv) => zremrangeGeneric(client, argv, 'lex'),
  }),
  {
    ...setOpCommand('zunionstore', 'Add multiple sorted sets and store the resulting sorted set in a new key', '2.0.0', {
      op: 'union',
      store: true,
      cardinalityOnly: false,
    }),
    complexity:
      'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
    arguments: STORE_ARGUMENTS,
  },
  {
    ...setOpCommand('zinterstore', 'Intersect multiple sorted sets and store the resulting sorted set in a new key', '2.0.0', {
      op: 'inter',
      store: true,
      cardinalityOnly: false,
    }),
    complexity:
      'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.',
    arguments: STORE_ARGUMENTS,
  },
  {
    ...setOpCommand('zdiffstore', 'Subtract multiple sorted sets and store the resulting sorted set in a new key', '6.2.0', {
      op: 'diff',
      store: true,
      cardinalityOnly: false,
    }),
    complexity:
      'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
    arguments: [
      { name: 'destination', type: 'key' },
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', multiple: true, keySpecIndex: 1 },
    ],
  },
  {
    ...setOpCommand('zunion', 'Add multiple sorted sets', '6.2.0', { op: 'union', store: false, cardinalityOnly: false }),
    complexity:
      'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
  },
  {
    ...setOpCommand('zinter', 'Intersect multiple sorted sets', '6.2.0', { op: 'inter', store: false, cardinalityOnly: false }),
    complexity:
      'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.',
  },
  {
    ...setOpCommand('zdiff', 'Subtract multiple sorted sets', '6.2.0', { op: 'diff', store: false, cardinalityOnly: false }),
    complexity:
      'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
  },
  {
    ...setOpCommand('zintercard', 'Intersect multiple sorted sets and return the cardinality of the result', '7.0.0', {
      op: 'inter',
      store: false,
      cardinalityOnly: true,
    }),
    complexity: 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.',
  },
  defineCommand({
    ...family,
    name: 'zpopmin',
    arity: -2,
    flags: ['write', 'fast'],
    keySpecs: [keySpec('RW access delete', 1)],
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
    keySpecs: [keySpec('RW access delete', 1)],
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
      'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
    arguments: [...NUMKEYS_KEYS, MIN_MAX, COUNT_OPTION],
    keySpecs: [keySpec('RW access delete', 1, { keynum: [0, 1, 1] })],
    getKeys: numkeysGetKeys(1),
    handler: zmpopCommand,
  }),
  defineCommand({
    ...family,
    name: 'bzpopmin',
    arity: -3,
    flags: ['write', 'noscript', 'blocking', 'fast'],
    keySpecs: [keySpec('RW access delete', 1, [-2, 1, 0])],
    summary: 'Remove and return the member with the lowest score from one or more sorted sets, or block until one is available',
    since: '5.0.0',
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    arguments: [{ ...KEY, multiple: true }, TIMEOUT],
    handler: (client, argv) => bzpopCommand(client, argv, false),
  }),
  defineCommand({
    ...family,
    name: 'bzpopmax',
    arity: -3,
    flags: ['write', 'noscript', 'blocking', 'fast'],
    keySpecs: [keySpec('RW access delete', 1, [-2, 1, 0])],
    summary: 'Remove and return the member with the highest score from one or more sorted sets, or block until one is available',
    since: '5.0.0',
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
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
      'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
    arguments: [TIMEOUT, ...NUMKEYS_KEYS, MIN_MAX, COUNT_OPTION],
    keySpecs: [keySpec('RW access delete', 2, { keynum: [0, 1, 1] })],
    getKeys: numkeysGetKeys(2),
    handler: bzmpopCommand,
  }),
  defineCommand({
    ...family,
    name: 'zrandmember',
    arity: -2,
    tips: ['nondeterministic_output'],
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
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
    tips: ['nondeterministic_output'],
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
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
