// OBJECT ENCODING | REFCOUNT | IDLETIME | FREQ | HELP (object.c objectCommand).
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import type { Value } from '../keyspace/value.js';
import {
  idleSeconds,
  isLongInteger,
  lfuCounter,
  stringEncoding,
  stringEncodingHint,
  STRING_ENCODING_AUTO,
} from '../keyspace/object-header.js';
import { defineCommand, keySpec, type CommandSpec } from '../core/command-table.js';
import { replyHelp } from './server.js';

/** server.h OBJ_SHARED_INTEGERS and OBJ_SHARED_REFCOUNT (INT_MAX). */
const SHARED_INTEGERS = 10000;
const SHARED_REFCOUNT = 2147483647;

const OBJECT_HELP = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
];

/** The OBJECT ENCODING name of a stored value. */
export function objectEncoding(value: Value, header: number): string {
  return typeof value === 'string' ? stringEncoding(value, header) : value.encoding();
}

/**
 * OBJECT REFCOUNT: only the shared integers 0..9999 (which tryObjectEncoding hands out unless an
 * LRU/LFU policy with a maxmemory limit needs a clock per key) have more than one reference.
 */
export function refCount(client: Client, value: Value, header: number): number {
  if (typeof value !== 'string' || stringEncodingHint(header) !== STRING_ENCODING_AUTO) return 1;
  const config = client.server.config;
  const perKeyClock = config.int('maxmemory') !== 0 && /lru|lfu/.test(config.str('maxmemory-policy'));
  if (perKeyClock || !isLongInteger(value)) return 1;
  const n = Number(value);
  return n >= 0 && n < SHARED_INTEGERS ? SHARED_REFCOUNT : 1;
}

function lfuSelected(client: Client): boolean {
  return client.server.config.str('maxmemory-policy').endsWith('-lfu');
}

/** objectCommandLookupOrReply: the value and its header (no touch), or undefined after a null reply. */
function lookup(client: Client, key: BinaryString): { value: Value; header: number } | undefined {
  const value = client.db.lookupRead(key, false);
  if (value === undefined) {
    client.reply.null();
    return undefined;
  }
  return { value, header: client.db.objectHeader(key)! };
}

function subcommand(
  name: string,
  summary: string,
  since: string,
  run: (client: Client, value: Value, header: number) => void,
): CommandSpec {
  return defineCommand({
    name,
    arity: 3,
    tips: ['nondeterministic_output'],
    flags: ['readonly'],
    keySpecs: [keySpec('RO', 2)],
    acl: ['keyspace'],
    summary,
    since,
    group: 'generic',
    complexity: 'O(1)',
    arguments: [{ name: 'key', type: 'key' }],
    handler(client, argv) {
      const found = lookup(client, argv[2]!);
      if (found) run(client, found.value, found.header);
    },
  });
}

export const objectCommands: CommandSpec[] = [
  defineCommand({
    name: 'object',
    arity: -2,
    flags: [],
    summary: 'A container for object introspection commands',
    since: '2.2.3',
    group: 'generic',
    complexity: 'Depends on subcommand.',
    subcommands: [
      subcommand('encoding', 'Inspect the internal encoding of a Redis object', '2.2.3', (client, value, header) => {
        client.reply.bulk(objectEncoding(value, header));
      }),
      subcommand('refcount', 'Get the number of references to the value of the key', '2.2.3', (client, value, header) => {
        client.reply.integer(refCount(client, value, header));
      }),
      subcommand('idletime', 'Get the time since a Redis object was last accessed', '2.2.3', (client, _value, header) => {
        if (lfuSelected(client)) {
          client.reply.error(
            'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
          );
          return;
        }
        client.reply.integer(idleSeconds(header));
      }),
      subcommand('freq', 'Get the logarithmic access frequency counter of a Redis object', '4.0.0', (client, _value, header) => {
        const lfu = client.server.keyspace.lfu;
        if (!lfuSelected(client) || lfu === null) {
          client.reply.error(
            'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
          );
          return;
        }
        client.reply.integer(lfuCounter(header, lfu));
      }),
      defineCommand({
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        acl: ['keyspace'],
        summary: 'Show helpful text about the different subcommands',
        since: '6.2.0',
        group: 'generic',
        complexity: 'O(1)',
        handler(client) {
          replyHelp(client, OBJECT_HELP);
        },
      }),
    ],
  }),
];
