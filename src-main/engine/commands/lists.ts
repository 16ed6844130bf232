// List commands (t_list.c): the command table. Handlers live in list-basic.ts (pushes, reads,
// in-place edits) and list-pops.ts (pops and moves, blocking or not); the list itself is
// keyspace/types/list.ts and the waiting of blocking commands core/blocking.ts.
import { keySpec, numkeysGetKeys, defineCommand, type CommandDocArgument, type CommandSpec } from '../core/command-table.js';
import {
  linsertCommand,
  lindexCommand,
  llenCommand,
  lposCommand,
  lrangeCommand,
  lremCommand,
  lsetCommand,
  ltrimCommand,
  pushCommand,
} from './list-basic.js';
import {
  blmoveCommand,
  blmpopCommand,
  blpopCommand,
  brpoplpushCommand,
  lmoveCommand,
  lmpopCommand,
  popCommand,
  rpoplpushCommand,
} from './list-pops.js';

const KEY: CommandDocArgument = { name: 'key', type: 'key' };
const KEYS: CommandDocArgument = { name: 'key', type: 'key', multiple: true };
const ELEMENTS: CommandDocArgument = { name: 'element', type: 'string', multiple: true };
const TIMEOUT: CommandDocArgument = { name: 'timeout', type: 'double' };
const side = (name: string): CommandDocArgument => ({
  name,
  type: 'oneof',
  arguments: [
    { name: 'left', type: 'pure-token', token: 'LEFT' },
    { name: 'right', type: 'pure-token', token: 'RIGHT' },
  ],
});
const MPOP_ARGUMENTS: CommandDocArgument[] = [
  { name: 'numkeys', type: 'integer' },
  KEYS,
  side('where'),
  { name: 'count', type: 'integer', token: 'COUNT', optional: true },
];

/** LPUSH, RPUSH, LPUSHX, RPUSHX. */
function pushSpec(name: string, summary: string, since: string, multipleSince: string): CommandSpec {
  const end = name.startsWith('l') ? 'left' : 'right';
  const onlyIfExists = name.endsWith('x');
  return defineCommand({
    name,
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    keySpecs: [keySpec('RW insert', 1)],
    acl: ['list'],
    summary,
    since,
    group: 'list',
    complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    history: [[multipleSince, 'Accepts multiple `element` arguments.']],
    arguments: [KEY, ELEMENTS],
    handler: (client, argv) => pushCommand(client, argv, end, onlyIfExists),
  });
}

/** LPOP, RPOP. */
function popSpec(name: string, summary: string): CommandSpec {
  const end = name === 'lpop' ? 'left' : 'right';
  return defineCommand({
    name,
    arity: -2,
    flags: ['write', 'fast'],
    keySpecs: [keySpec('RW access delete', 1)],
    acl: ['list'],
    summary,
    since: '1.0.0',
    group: 'list',
    complexity: 'O(N) where N is the number of elements returned',
    history: [['6.2.0', 'Added the `count` argument.']],
    arguments: [KEY, { name: 'count', type: 'integer', optional: true, since: '6.2.0' }],
    handler: (client, argv) => popCommand(client, argv, end),
  });
}

/** BLPOP, BRPOP. */
function blockingPopSpec(name: string, summary: string): CommandSpec {
  const end = name === 'blpop' ? 'left' : 'right';
  return defineCommand({
    name,
    arity: -3,
    flags: ['write', 'noscript', 'blocking'],
    keySpecs: [keySpec('RW access delete', 1, [-2, 1, 0])],
    acl: ['list'],
    summary,
    since: '2.0.0',
    group: 'list',
    complexity: 'O(N) where N is the number of provided keys.',
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    arguments: [KEYS, TIMEOUT],
    handler: (client, argv) => blpopCommand(client, argv, end),
  });
}

/** LMOVE's and BLMOVE's wherefrom (LEFT | RIGHT). */
const WHERE_FROM: CommandDocArgument = {
  name: 'wherefrom',
  type: 'oneof',
  arguments: [
    { name: 'left', type: 'pure-token', token: 'LEFT' },
    { name: 'right', type: 'pure-token', token: 'RIGHT' },
  ],
};

/** LMOVE's and BLMOVE's whereto (LEFT | RIGHT). */
const WHERE_TO: CommandDocArgument = {
  name: 'whereto',
  type: 'oneof',
  arguments: [
    { name: 'left', type: 'pure-token', token: 'LEFT' },
    { name: 'right', type: 'pure-token', token: 'RIGHT' },
  ],
};

export const listCommands: CommandSpec[] = [
  pushSpec('lpush', 'Prepend one or multiple elements to a list', '1.0.0', '2.4.0'),
  pushSpec('rpush', 'Append one or multiple elements to a list', '1.0.0', '2.4.0'),
  pushSpec('lpushx', 'Prepend an element to a list, only if the list exists', '2.2.0', '4.0.0'),
  pushSpec('rpushx', 'Append an element to a list, only if the list exists', '2.2.0', '4.0.0'),
  popSpec('lpop', 'Remove and get the first elements in a list'),
  popSpec('rpop', 'Remove and get the last elements in a list'),
  defineCommand({
    name: 'llen',
    arity: 2,
    flags: ['readonly', 'fast'],
    keySpecs: [keySpec('RO', 1)],
    acl: ['list'],
    summary: 'Get the length of a list',
    since: '1.0.0',
    group: 'list',
    complexity: 'O(1)',
    arguments: [KEY],
    handler: llenCommand,
  }),
  defineCommand({
    name: 'lrange',
    arity: 4,
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    acl: ['list'],
    summary: 'Get a range of elements from a list',
    since: '1.0.0',
    group: 'list',
    complexity:
      'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.',
    arguments: [KEY, { name: 'start', type: 'integer' }, { name: 'stop', type: 'integer' }],
    handler: lrangeCommand,
  }),
  defineCommand({
    name: 'lindex',
    arity: 3,
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    acl: ['list'],
    summary: 'Get an element from a list by its index',
    since: '1.0.0',
    group: 'list',
    complexity:
      'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).',
    arguments: [KEY, { name: 'index', type: 'integer' }],
    handler: lindexCommand,
  }),
  defineCommand({
    name: 'lset',
    arity: 4,
    flags: ['write', 'denyoom'],
    keySpecs: [keySpec('RW update', 1)],
    acl: ['list'],
    summary: 'Set the value of an element in a list by its index',
    since: '1.0.0',
    group: 'list',
    complexity: 'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).',
    arguments: [KEY, { name: 'index', type: 'integer' }, { name: 'element', type: 'string' }],
    handler: lsetCommand,
  }),
  defineCommand({
    name: 'linsert',
    arity: 5,
    flags: ['write', 'denyoom'],
    keySpecs: [keySpec('RW insert', 1)],
    acl: ['list'],
    summary: 'Insert an element before or after another element in a list',
    since: '2.2.0',
    group: 'list',
    complexity:
      'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).',
    arguments: [
      KEY,
      {
        name: 'where',
        type: 'oneof',
        arguments: [
          { name: 'before', type: 'pure-token', token: 'BEFORE' },
          { name: 'after', type: 'pure-token', token: 'AFTER' },
        ],
      },
      { name: 'pivot', type: 'string' },
      { name: 'element', type: 'string' },
    ],
    handler: linsertCommand,
  }),
  defineCommand({
    name: 'lrem',
    arity: 4,
    flags: ['write'],
    keySpecs: [keySpec('RW delete', 1)],
    acl: ['list'],
    summary: 'Remove elements from a list',
    since: '1.0.0',
    group: 'list',
    complexity: 'O(N+M) where N is the length of the list and M is the number of elements removed.',
    arguments: [KEY, { name: 'count', type: 'integer' }, { name: 'element', type: 'string' }],
    handler: lremCommand,
  }),
  defineCommand({
    name: 'ltrim',
    arity: 4,
    flags: ['write'],
    keySpecs: [keySpec('RW delete', 1)],
    acl: ['list'],
    summary: 'Trim a list to the specified range',
    since: '1.0.0',
    group: 'list',
    complexity: 'O(N) where N is the number of elements to be removed by the operation.',
    arguments: [KEY, { name: 'start', type: 'integer' }, { name: 'stop', type: 'integer' }],
    handler: ltrimCommand,
  }),
  defineCommand({
    name: 'lpos',
    arity: -3,
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    acl: ['list'],
    summary: 'Return the index of matching elements on a list',
    since: '6.0.6',
    group: 'list',
    complexity:
      'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.',
    arguments: [
      KEY,
      { name: 'element', type: 'string' },
      { name: 'rank', type: 'integer', token: 'RANK', optional: true },
      { name: 'num-matches', type: 'integer', token: 'COUNT', optional: true },
      { name: 'len', type: 'integer', token: 'MAXLEN', optional: true },
    ],
    handler: lposCommand,
  }),
  defineCommand({
    name: 'lmove',
    arity: 5,
    flags: ['write', 'denyoom'],
    keySpecs: [keySpec('RW access delete', 1), keySpec('RW insert', 2)],
    acl: ['list'],
    summary: 'Pop an element from a list, push it to another list and return it',
    since: '6.2.0',
    group: 'list',
    complexity: 'O(1)',
    arguments: [{ name: 'source', type: 'key' }, { name: 'destination', type: 'key', keySpecIndex: 1 }, WHERE_FROM, WHERE_TO],
    handler: lmoveCommand,
  }),
  defineCommand({
    name: 'rpoplpush',
    arity: 3,
    flags: ['write', 'denyoom'],
    keySpecs: [keySpec('RW access delete', 1), keySpec('RW insert', 2)],
    acl: ['list'],
    summary: 'Remove the last element in a list, prepend it to another list and return it',
    since: '1.2.0',
    group: 'list',
    replacedBy: '`LMOVE` with the `RIGHT` and `LEFT` arguments',
    deprecatedSince: '6.2.0',
    docFlags: ['deprecated'],
    complexity: 'O(1)',
    arguments: [
      { name: 'source', type: 'key' },
      { name: 'destination', type: 'key', keySpecIndex: 1 },
    ],
    handler: rpoplpushCommand,
  }),
  defineCommand({
    name: 'lmpop',
    arity: -4,
    flags: ['write', 'movablekeys'],
    acl: ['list'],
    summary: 'Pop elements from a list',
    since: '7.0.0',
    group: 'list',
    complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
    arguments: MPOP_ARGUMENTS,
    keySpecs: [keySpec('RW access delete', 1, { keynum: [0, 1, 1] })],
    getKeys: numkeysGetKeys(1),
    handler: lmpopCommand,
  }),
  blockingPopSpec('blpop', 'Remove and get the first element in a list, or block until one is available'),
  blockingPopSpec('brpop', 'Remove and get the last element in a list, or block until one is available'),
  defineCommand({
    name: 'blmove',
    arity: 6,
    flags: ['write', 'denyoom', 'noscript', 'blocking'],
    keySpecs: [keySpec('RW access delete', 1), keySpec('RW insert', 2)],
    acl: ['list'],
    summary: 'Pop an element from a list, push it to another list and return it; or block until one is available',
    since: '6.2.0',
    group: 'list',
    complexity: 'O(1)',
    arguments: [
      { name: 'source', type: 'key' },
      { name: 'destination', type: 'key', keySpecIndex: 1 },
      WHERE_FROM,
      WHERE_TO,
      { name: 'timeout', type: 'double' },
    ],
    handler: blmoveCommand,
  }),
  defineCommand({
    name: 'brpoplpush',
    arity: 4,
    flags: ['write', 'denyoom', 'noscript', 'blocking'],
    keySpecs: [keySpec('RW access delete', 1), keySpec('RW insert', 2)],
    acl: ['list'],
    summary: 'Pop an element from a list, push it to another list and return it; or block until one is available',
    since: '2.2.0',
    group: 'list',
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    replacedBy: '`BLMOVE` with the `RIGHT` and `LEFT` arguments',
    deprecatedSince: '6.2.0',
    docFlags: ['deprecated'],
    complexity: 'O(1)',
    arguments: [
      { name: 'source', type: 'key' },
      { name: 'destination', type: 'key', keySpecIndex: 1 },
      { name: 'timeout', type: 'double' },
    ],
    handler: brpoplpushCommand,
  }),
  defineCommand({
    name: 'blmpop',
    arity: -5,
    flags: ['write', 'blocking', 'movablekeys'],
    acl: ['list'],
    summary: 'Pop elements from a list, or block until one is available',
    since: '7.0.0',
    group: 'list',
    complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
    arguments: [TIMEOUT, ...MPOP_ARGUMENTS],
    keySpecs: [keySpec('RW access delete', 2, { keynum: [0, 1, 1] })],
    getKeys: numkeysGetKeys(2),
    handler: blmpopCommand,
  }),
];
