// MEMORY USAGE | STATS | DOCTOR | MALLOC-STATS | PURGE | HELP (object.c memoryCommand, Redis 7.0).
// USAGE estimates what redis-server would allocate for the key (keyspace/memory-usage.ts), which
// is what redis-cli --memkeys and people comparing nodes want; STATS and DOCTOR describe this
// node's own process with Redis's field names, where a V8 heap stands in for the allocator.
import { keySpec, defineCommand, type CommandSpec } from '../core/command-table.js';
import { ERR, is } from '../core/replies.js';
import { replyHelp } from './server.js';
import { parseInteger } from '../util/numbers.js';
import { DEFAULT_SAMPLES, memoryUsage, packingSettings } from '../keyspace/memory-usage.js';
import { memoryOverhead } from '../core/memory-overhead.js';
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
  client.reply.integer(memoryUsage(key, value, client.db.objectHeader(key)!, samples, packingSettings(client.server.config)));
}

/** MEMORY STATS (getMemoryOverheadData, core/memory-overhead.ts), in Redis's field order. */
function stats(client: Client): void {
  const mh = memoryOverhead(client.server);
  const r = client.reply;
  r.mapHeader(27 + mh.dbs.length);
  const field = (name: string, write: () => void) => {
    r.bulk(name);
    write();
  };
  field('peak.allocated', () => r.integer(mh.peak));
  field('total.allocated', () => r.integer(mh.used));
  field('startup.allocated', () => r.integer(mh.startup));
  field('replication.backlog', () => r.integer(mh.replBacklog));
  field('clients.slaves', () => r.integer(mh.clientsSlaves));
  field('clients.normal', () => r.integer(mh.clientsNormal));
  field('cluster.links', () => r.integer(0));
  field('aof.buffer', () => r.integer(mh.aofBuffer));
  field('lua.caches', () => r.integer(mh.luaCaches));
  field('functions.caches', () => r.integer(mh.functionsCaches));
  for (const o of mh.dbs) {
    field(`db.${o.id}`, () => {
      r.mapHeader(3);
      field('overhead.hashtable.main', () => r.integer(o.main));
      field('overhead.hashtable.expires', () => r.integer(o.expires));
      field('overhead.hashtable.slot-to-keys', () => r.integer(0));
    });
  }
  field('overhead.total', () => r.integer(mh.overheadTotal));
  field('keys.count', () => r.integer(mh.totalKeys));
  field('keys.bytes-per-key', () => r.integer(mh.bytesPerKey));
  field('dataset.bytes', () => r.integer(mh.dataset));
  field('dataset.percentage', () => r.double(mh.datasetPerc));
  field('peak.percentage', () => r.double(mh.peakPerc));
  field('allocator.allocated', () => r.integer(mh.allocatorAllocated));
  field('allocator.active', () => r.integer(mh.allocatorActive));
  field('allocator.resident', () => r.integer(mh.allocatorResident));
  field('allocator-fragmentation.ratio', () => r.double(mh.allocatorActive / mh.allocatorAllocated));
  field('allocator-fragmentation.bytes', () => r.integer(mh.allocatorActive - mh.allocatorAllocated));
  field('allocator-rss.ratio', () => r.double(mh.allocatorResident / mh.allocatorActive));
  field('allocator-rss.bytes', () => r.integer(mh.allocatorResident - mh.allocatorActive));
  field('rss-overhead.ratio', () => r.double(mh.rss / mh.allocatorResident));
  field('rss-overhead.bytes', () => r.integer(mh.rss - mh.allocatorResident));
  field('fragmentation', () => r.double(mh.rss / mh.used));
  field('fragmentation.bytes', () => r.integer(mh.rss - mh.used));
}

/**
 * getMemoryDoctorReport. Its checks are about the C allocator's fragmentation, which a V8 heap
 * does not have, so only its first judgement applies: under 5 MB of data, there is nothing to say.
 */
function doctor(client: Client): void {
  const server = client.server;
  const empty = usedMemory(server.keyspace) - server.memoryParts.startup < 5 * 1024 * 1024;
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
