// The DEBUG subcommands that show a value's or the keyspace's internals (debug.c: OBJECT, SDSLEN,
// LISTPACK, QUICKLIST, HTSTATS, HTSTATS-KEY, STRUCTSIZE, CLIENT-EVICTION, MALLCTL, STRINGMATCH-TEST,
// LOG, LEAK).
//
// This node does not store values in Redis's C structures, so where Redis reports a structure's
// own bookkeeping, the figures here come from the same memory model MEMORY USAGE uses
// (keyspace/memory-usage.ts: the structures Redis would allocate for these contents); what has no
// counterpart (a hash table's chain lengths, jemalloc's tunables) is left out rather than made up.
import type { Client } from '../core/client.js';
import type { BinaryString } from '../protocol/request-parser.js';
import { ERR } from '../core/replies.js';
import { parseInteger } from '../util/numbers.js';
import { globMatch } from '../util/glob.js';
import { allocationSize, dictSlots, sdsSize, structSizes } from '../keyspace/memory-usage.js';
import { idleSeconds, lruField } from '../keyspace/object-header.js';
import type { Value } from '../keyspace/value.js';
import { createDumpPayload } from '../persistence/rdb/dump-payload.js';
import { encodingLimitsFrom, toRdbValue } from '../persistence/value-adapters.js';
import { objectEncoding, refCount } from './object.js';
import type { DebugSubcommand } from './debug-subcommand.js';

/** objectCommandLookupOrReply with shared.nokeyerr; DEBUG reads without expiring (dictFind). */
function lookup(client: Client, key: BinaryString): { value: Value; header: number } | undefined {
  const value = client.db.peek(key);
  if (value === undefined) {
    client.reply.error(ERR.noSuchKey);
    return undefined;
  }
  return { value, header: client.db.objectHeader(key)! };
}

/** rdbSavedObjectLen: the value's RDB serialization, without its type byte (a DUMP payload's body). */
function serializedLength(client: Client, value: Value): number {
  const config = client.server.config;
  const payload = createDumpPayload(toRdbValue(value), { compression: config.bool('rdbcompression'), limits: encodingLimitsFrom(config) });
  return payload.length - 1 /* type */ - 2 /* version */ - 8; /* CRC */
}

function debugObject(client: Client, argv: BinaryString[]): void {
  const found = lookup(client, argv[2]!);
  if (!found) return;
  const { value, header } = found;
  client.reply.simple(
    `Value at:0x0 refcount:${refCount(client, value, header)} encoding:${objectEncoding(value, header)} ` +
      `serializedlength:${serializedLength(client, value)} lru:${lruField(header)} lru_seconds_idle:${idleSeconds(header)}`,
  );
}

function debugSdslen(client: Client, argv: BinaryString[]): void {
  const key = argv[2]!;
  const found = lookup(client, key);
  if (!found) return;
  const { value, header } = found;
  const encoding = objectEncoding(value, header);
  if (typeof value !== 'string' || (encoding !== 'raw' && encoding !== 'embstr')) {
    client.reply.error('ERR Not an sds encoded string.');
    return;
  }
  client.reply.simple(
    `key_sds_len:${key.length}, key_sds_avail:0, key_zmalloc: ${sdsSize(key.length)}, ` +
      `val_sds_len:${value.length}, val_sds_avail:0, val_zmalloc: ${valueSdsMemory(encoding, value.length)}`,
  );
}

/** getStringObjectSdsUsedMemory: an embedded string shares its allocation with the 16-byte robj. */
function valueSdsMemory(encoding: string, length: number): number {
  return encoding === 'embstr' ? allocationSize(16 + 3 + length + 1) - 16 : sdsSize(length);
}

/** LISTPACK / QUICKLIST <key>: Redis prints the structure on its stdout; this node logs it. */
function printedStructure(kind: 'listpack' | 'quicklist', reply: string) {
  return (client: Client, argv: BinaryString[]): void => {
    const found = lookup(client, argv[2]!);
    if (!found) return;
    if (objectEncoding(found.value, found.header) !== kind) {
      client.reply.error(`ERR Not a ${kind} encoded object.`);
      return;
    }
    client.server.logger.notice(`DEBUG ${kind.toUpperCase()} ${argv[2]}: ${sizeOf(found.value)} elements, ${kind} encoded`);
    client.reply.simple(reply);
  };
}

/** The number of elements of an aggregate (every aggregate type has a size). */
function sizeOf(value: Value): number {
  return typeof value === 'string' ? 1 : (value as Value & { size: number }).size;
}

/** dictGetStats's first lines for a table of `size` elements (the chain statistics have no counterpart here). */
function tableStats(size: number): string {
  if (size === 0) return 'Hash table 0 stats (main hash table):\nNo stats available for empty dictionaries\n';
  return `Hash table 0 stats (main hash table):\n table size: ${dictSlots(size)}\n number of elements: ${size}\n`;
}

function debugHtstats(client: Client, argv: BinaryString[]): void {
  const dbid = parseInteger(argv[2]!);
  if (dbid === null) {
    client.reply.error(ERR.notInteger);
    return;
  }
  const db = client.server.keyspace.dbs[dbid];
  if (dbid < 0 || !db) {
    client.reply.error('ERR Out of range database');
    return;
  }
  client.reply.verbatim(`[Dictionary HT]\n${tableStats(db.size)}[Expires HT]\n${tableStats(db.volatileCount)}`);
}

function debugHtstatsKey(client: Client, argv: BinaryString[]): void {
  const found = lookup(client, argv[2]!);
  if (!found) return;
  const encoding = objectEncoding(found.value, found.header);
  if (encoding !== 'hashtable' && encoding !== 'skiplist') {
    client.reply.error('ERR The value stored at the specified key is not represented using an hash table');
    return;
  }
  client.reply.verbatim(tableStats(sizeOf(found.value)));
}

/** CLIENT_MEM_USAGE_BUCKET_MIN_LOG / MAX_LOG (server.h). */
const BUCKET_MIN_LOG = 15;
const BUCKET_MAX_LOG = 33;

function debugClientEviction(client: Client): void {
  const server = client.server;
  if (server.config.int('maxmemory-clients') === 0) {
    client.reply.error('ERR maxmemory-clients is disabled.');
    return;
  }
  const buckets = BUCKET_MAX_LOG - BUCKET_MIN_LOG + 1;
  const sums = new Array<number>(buckets).fill(0);
  const counts = new Array<number>(buckets).fill(0);
  for (const c of server.clients.values()) {
    const memory = c.reply.pendingBytes;
    let j = memory === 0 ? 0 : Math.max(0, Math.floor(Math.log2(memory)) - BUCKET_MIN_LOG + 1);
    j = Math.min(j, buckets - 1);
    sums[j]! += memory;
    counts[j]!++;
  }
  const pad = (n: number) => String(n).padStart(10);
  let text = '';
  for (let j = 0; j < buckets; j++) {
    text += j === 0 ? 'bucket          0' : `bucket ${pad(2 ** (j - 1 + BUCKET_MIN_LOG))}`;
    text += j === buckets - 1 ? '+            : ' : ` - ${pad(2 ** (j + BUCKET_MIN_LOG) - 1)}: `;
    text += `tot-mem: ${pad(sums[j]!)}, clients: ${counts[j]}\n`;
  }
  client.reply.verbatim(text);
}

/** MALLCTL / MALLCTL-STR: jemalloc's named tunables. No key exists here, as for an unknown one in Redis. */
function debugMallctl(client: Client): void {
  client.reply.error('ERR No such file or directory');
}

/** stringmatchlen_fuzz_test: random patterns against random strings; passing means not crashing or hanging. */
function debugStringmatchTest(client: Client): void {
  const randomText = (max: number) => {
    const length = Math.floor(Math.random() * max);
    let text = '';
    for (let i = 0; i < length; i++) text += String.fromCharCode(Math.floor(Math.random() * 256));
    return text;
  };
  for (let i = 0; i < 100_000; i++) globMatch(randomText(32), randomText(32));
  client.reply.simple('Apparently Redis did not crash: test passed');
}

export const internalsDebugSubcommands: DebugSubcommand[] = [
  { name: 'object', argc: 3, handler: debugObject },
  { name: 'sdslen', argc: 3, handler: debugSdslen },
  { name: 'listpack', argc: 3, handler: printedStructure('listpack', 'Listpack structure printed on stdout') },
  { name: 'quicklist', argc: [3, 4], handler: printedStructure('quicklist', 'Quicklist structure printed on stdout') },
  { name: 'htstats', argc: 3, handler: debugHtstats },
  { name: 'htstats-key', argc: 3, handler: debugHtstatsKey },
  { name: 'structsize', argc: 2, handler: (client) => client.reply.bulk(structSizes()) },
  { name: 'client-eviction', argc: 2, handler: debugClientEviction },
  { name: 'mallctl', argc: [3, Infinity], handler: debugMallctl },
  { name: 'mallctl-str', argc: [3, Infinity], handler: debugMallctl },
  { name: 'stringmatch-test', argc: 2, handler: debugStringmatchTest },
  {
    name: 'log',
    argc: 3,
    handler(client, argv) {
      client.server.logger.warning(`DEBUG LOG: ${argv[2]}`);
      client.reply.ok();
    },
  },
  // Redis leaks a copy of the string on purpose (to test leak detectors); nothing to leak here.
  { name: 'leak', argc: 3, handler: (client) => client.reply.ok() },
];
