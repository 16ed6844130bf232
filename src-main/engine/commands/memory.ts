// MEMORY USAGE | STATS | DOCTOR | MALLOC-STATS | PURGE | HELP (object.c memoryCommand, Redis 7.0).
// USAGE estimates what redis-server would allocate for the key (keyspace/memory-usage.ts), which
// is what redis-cli --memkeys and people comparing nodes want; STATS and DOCTOR describe this
// node's own process with Redis's field names, where a V8 heap stands in for the allocator.
import { memoryUsage as processMemory } from 'node:process';
import { keySpec, defineCommand, type CommandSpec } from '../core/command-table.js';
import { ERR, is } from '../core/replies.js';
import { replyHelp } from './server.js';
import { parseInteger } from '../util/numbers.js';
import { DEFAULT_SAMPLES, dictSlots, memoryUsage } from '../keyspace/memory-usage.js';
import type { Client } from '../core/client.js';
import type { BinaryString } from '../protocol/request-parser.js';
import { collectGarbage, usedMemory } from '../keyspace/used-memory.js';

const MEMORY_HELP = [
  'MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
  'HELP',
  '    Prints this help.',
];

/** What the heap held when the engine was loaded (MEMORY STATS startup.allocated). */
const STARTUP_ALLOCATED = usedMemory(null);

// Sizes of Redis's C structures on a 64-bit build, for the per-database overhead.
const DICT_ENTRY = 24;
const POINTER = 8;
const ROBJ = 16;

/** MEMORY USAGE key [SAMPLES count]: the options are checked before the key is looked up. */
function usage(client: Client, argv: BinaryString[]): void {
  let samples = DEFAULT_SAMPLES;
  for (let i = 3; i < argv.length; i++) {
    if (!is(argv[i]!, 'samples') || i + 1 >= argv.length) {
      client.reply.error(ERR.syntax);
      return;
    }
    const n = parseInteger(argv[++i]!);
    if (n === null) {
      client.reply.error(ERR.notInteger);
      return;
    }
    if (n < 0) {
      client.reply.error(ERR.syntax);
      return;
    }
    samples = n === 0 ? Infinity : n;
  }
  // dbFind: the stored key, even when it is logically expired, without touching it.
  const key = argv[2]!;
  const value = client.db.peek(key);
  if (value === undefined) {
    client.reply.null();
    return;
  }
  const fill = client.server.config.int('list-max-listpack-size');
  client.reply.integer(memoryUsage(key, value, client.db.objectHeader(key)!, samples, fill));
}

/** MEMORY STATS (getMemoryOverheadData), in Redis's field order. */
function stats(client: Client): void {
  const server = client.server;
  const mem = processMemory();
  const total = usedMemory(server.keyspace);
  let clientBuffers = 0;
  for (const c of server.clients.values()) clientBuffers += c.outputBytes;
  const dbs = server.keyspace.dbs.filter((db) => db.size !== 0);
  const dbOverheads = dbs.map((db) => ({
    id: db.id,
    main: db.size * (DICT_ENTRY + ROBJ) + dictSlots(db.size) * POINTER,
    expires: db.volatileCount * DICT_ENTRY + dictSlots(db.volatileCount) * POINTER,
  }));
  const overhead = STARTUP_ALLOCATED + clientBuffers + dbOverheads.reduce((sum, o) => sum + o.main + o.expires, 0);
  const keys = server.keyspace.totalKeys;
  const dataset = Math.max(total - overhead, 0);
  const netUsage = Math.max(total - STARTUP_ALLOCATED, 1);
  const r = client.reply;
  r.mapHeader(27 + dbs.length);
  const field = (name: string, write: () => void) => {
    r.bulk(name);
    write();
  };
  field('peak.allocated', () => r.integer(total));
  field('total.allocated', () => r.integer(total));
  field('startup.allocated', () => r.integer(STARTUP_ALLOCATED));
  field('replication.backlog', () => r.integer(0));
  field('clients.slaves', () => r.integer(0));
  field('clients.normal', () => r.integer(clientBuffers));
  field('cluster.links', () => r.integer(0));
  field('aof.buffer', () => r.integer(0));
  field('lua.caches', () => r.integer(0));
  field('functions.caches', () => r.integer(0));
  for (const o of dbOverheads) {
    field(`db.${o.id}`, () => {
      r.mapHeader(3);
      field('overhead.hashtable.main', () => r.integer(o.main));
      field('overhead.hashtable.expires', () => r.integer(o.expires));
      field('overhead.hashtable.slot-to-keys', () => r.integer(0));
    });
  }
  field('overhead.total', () => r.integer(overhead));
  field('keys.count', () => r.integer(keys));
  field('keys.bytes-per-key', () => r.integer(keys === 0 ? 0 : Math.floor(netUsage / keys)));
  field('dataset.bytes', () => r.integer(dataset));
  field('dataset.percentage', () => r.double((dataset * 100) / netUsage));
  field('peak.percentage', () => r.double(100));
  field('allocator.allocated', () => r.integer(total));
  field('allocator.active', () => r.integer(mem.heapTotal));
  field('allocator.resident', () => r.integer(mem.rss));
  field('allocator-fragmentation.ratio', () => r.double(mem.heapTotal / Math.max(mem.heapUsed, 1)));
  field('allocator-fragmentation.bytes', () => r.integer(mem.heapTotal - mem.heapUsed));
  field('allocator-rss.ratio', () => r.double(mem.rss / Math.max(mem.heapTotal, 1)));
  field('allocator-rss.bytes', () => r.integer(mem.rss - mem.heapTotal));
  field('rss-overhead.ratio', () => r.double(1));
  field('rss-overhead.bytes', () => r.integer(0));
  field('fragmentation', () => r.double(mem.rss / Math.max(total, 1)));
  field('fragmentation.bytes', () => r.integer(mem.rss - total));
}

/**
 * getMemoryDoctorReport. Its checks are about the C allocator's fragmentation, which a V8 heap
 * does not have, so only its first judgement applies: under 5 MB of data, there is nothing to say.
 */
function doctor(client: Client): void {
  const empty = usedMemory(client.server.keyspace) - STARTUP_ALLOCATED < 5 * 1024 * 1024;
  client.reply.verbatim(
    empty
      ? "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n"
      : "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n",
  );
}

const sub = (spec: Omit<Parameters<typeof defineCommand>[0], 'group' | 'since'>): CommandSpec =>
  defineCommand({ group: 'server', since: '4.0.0', ...spec });

export const memoryCommands: CommandSpec[] = [
  defineCommand({
    name: 'memory',
    arity: -2,
    flags: [],
    summary: 'A container for memory diagnostics commands',
    since: '4.0.0',
    group: 'server',
    complexity: 'Depends on subcommand.',
    subcommands: [
      sub({
        name: 'usage',
        arity: -3,
        flags: ['readonly'],
        keySpecs: [keySpec('RO', 2)],
        summary: 'Estimate the memory usage of a key',
        complexity: 'O(N) where N is the number of samples.',
        arguments: [
          { name: 'key', type: 'key' },
          { name: 'count', type: 'integer', token: 'SAMPLES', optional: true },
        ],
        handler: usage,
      }),
      sub({
        name: 'stats',
        arity: 2,
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
        flags: [],
        summary: 'Show memory usage details',
        complexity: 'O(1)',
        handler: stats,
      }),
      sub({
        name: 'doctor',
        arity: 2,
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
        flags: [],
        summary: 'Outputs memory problems report',
        complexity: 'O(1)',
        handler: doctor,
      }),
      sub({
        name: 'malloc-stats',
        arity: 2,
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
        flags: [],
        summary: 'Show allocator internal stats',
        complexity: 'Depends on how much memory is allocated, could be slow',
        // What redis-server built without jemalloc answers.
        handler: (client) => client.reply.verbatim('Stats not supported for the current allocator'),
      }),
      sub({
        name: 'purge',
        arity: 2,
        tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
        flags: [],
        summary: 'Ask the allocator to release memory',
        complexity: 'Depends on how much memory is allocated, could be slow',
        handler: (client) => {
          collectGarbage();
          client.reply.ok();
        },
      }),
      sub({
        name: 'help',
        arity: 2,
        flags: ['loading', 'stale'],
        summary: 'Show helpful text about the different subcommands',
        complexity: 'O(1)',
        handler: (client) => replyHelp(client, MEMORY_HELP),
      }),
    ],
  }),
];
