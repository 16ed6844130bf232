// Diagnostics: MONITOR, SLOWLOG, LATENCY (Redis's replication.c monitorCommand, slowlog.c,
// latency.c). The data lives in core/monitor.ts, core/slowlog.ts and core/latency.ts.
import { defineCommand, type Command, type CommandSpec } from '../core/command-table.js';
import { replyHelp } from './server.js';
import { parseInteger } from '../util/numbers.js';
import { renderSparkline } from '../util/sparkline.js';
import type { Client } from '../core/client.js';
import type { BinaryString } from '../protocol/request-parser.js';

const SLOWLOG_HELP = [
  'SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
  'HELP',
  '    Prints this help.',
];

const LATENCY_HELP = [
  'LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
  'HELP',
  '    Prints this help.',
];

function slowlogGet(client: Client, argv: BinaryString[]): void {
  const entries = client.server.slowlog.entries;
  let count = 10;
  if (argv.length > 3) {
    client.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try SLOWLOG HELP.`);
    return;
  }
  if (argv.length === 3) {
    const n = parseInteger(argv[2]!);
    if (n === null || n < -1) {
      client.reply.error('ERR count should be greater than or equal to -1');
      return;
    }
    count = n === -1 ? entries.length : n;
  }
  const shown = entries.slice(0, count);
  const r = client.reply;
  r.arrayHeader(shown.length);
  for (const e of shown) {
    r.arrayHeader(6);
    r.integer(e.id);
    r.integer(e.time);
    r.integer(e.durationUs);
    r.bulkArray(e.argv);
    r.bulk(e.peer);
    r.bulk(e.name);
  }
}

const DOCTOR_DISABLED =
  "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";

/** LATENCY DOCTOR, reduced to the facts: each event's latest and worst latency. */
function latencyDoctor(client: Client): void {
  const latency = client.server.latency;
  if (latency.thresholdMs === 0) {
    client.reply.verbatim(DOCTOR_DISABLED);
    return;
  }
  if (latency.events.size === 0) {
    client.reply.verbatim(
      'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sleep better at night.\n',
    );
    return;
  }
  let text = "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
  let i = 1;
  for (const [name, e] of latency.events) {
    const latest = e.samples[e.samples.length - 1]!;
    text += `${i++}. ${name}: ${e.samples.length} latency spikes (average ${Math.round(e.samples.reduce((s, x) => s + x.latencyMs, 0) / e.samples.length)}ms). Worst all time event ${e.maxMs}ms. Latest ${latest.latencyMs}ms.\n`;
  }
  client.reply.verbatim(text);
}

/** fillCommandCDF: a command's calls and its cumulative histogram (µs -> calls so far). */
function replyCommandCdf(client: Client, command: Command): void {
  const histogram = command.histogram!;
  const r = client.reply;
  r.bulk(command.fullName);
  r.mapHeader(2);
  r.bulk('calls');
  r.integer(histogram.totalCount);
  r.bulk('histogram_usec');
  const buckets = histogram.cdf();
  r.mapHeader(buckets.length);
  for (const [usec, calls] of buckets) {
    r.integer(usec);
    r.integer(calls);
  }
}

/**
 * LATENCY HISTOGRAM [command ...]: every command with latencies, or those named (a container
 * name covers its subcommands; unknown names are skipped).
 */
function latencyHistogram(client: Client, argv: BinaryString[]): void {
  const table = client.server.commands;
  const selected: Command[] = [];
  const withSubcommands = (c: Command) => [c, ...(c.subcommandMap?.values() ?? [])];
  if (argv.length === 2) {
    for (const c of table.all()) selected.push(...withSubcommands(c));
  } else {
    for (const name of argv.slice(2)) {
      const [base, sub] = name.toLowerCase().split('|');
      const command = sub === undefined ? table.lookupName(base!) : table.lookupName(base!)?.subcommandMap?.get(sub);
      if (command) selected.push(...withSubcommands(command));
    }
  }
  const withData = selected.filter((c) => c.histogram !== null);
  client.reply.mapHeader(withData.length);
  for (const c of withData) replyCommandCdf(client, c);
}

/** latency.c LATENCY_GRAPH_COLS. */
const GRAPH_COLUMNS = 80;

/** LATENCY GRAPH event: latencyCommandGenSparkeline, each sample labelled with how long ago it was. */
function latencyGraph(client: Client, argv: BinaryString[]): void {
  const name = argv[2]!;
  const event = client.server.latency.events.get(name);
  if (!event) {
    client.reply.error(`ERR No samples available for event '${name}'`);
    return;
  }
  const now = Math.floor(Date.now() / 1000);
  const ago = (time: number) => {
    const elapsed = now - time;
    if (elapsed < 60) return `${elapsed}s`;
    if (elapsed < 3600) return `${Math.trunc(elapsed / 60)}m`;
    if (elapsed < 3600 * 24) return `${Math.trunc(elapsed / 3600)}h`;
    return `${Math.trunc(elapsed / (3600 * 24))}d`;
  };
  const values = event.samples.map((s) => s.latencyMs);
  const header = `${name} - high ${Math.max(...values)} ms, low ${Math.min(...values)} ms (all time high ${event.maxMs} ms)\n`;
  const graph = renderSparkline(
    event.samples.map((s) => ({ value: s.latencyMs, label: ago(s.time) })),
    GRAPH_COLUMNS,
    4,
  );
  client.reply.verbatim(`${header}${'-'.repeat(GRAPH_COLUMNS)}\n${graph}`);
}

const ADMIN = ['admin', 'noscript', 'loading', 'stale'] as const;
// LATENCY HELP's summary ends with a full stop in Redis 7.0, SLOWLOG HELP's does not.
const helpSub = (lines: string[], since: string, summary = 'Show helpful text about the different subcommands'): CommandSpec =>
  defineCommand({
    name: 'help',
    arity: 2,
    flags: ['loading', 'stale'],
    summary,
    since,
    group: 'server',
    complexity: 'O(1)',
    handler: (client) => replyHelp(client, lines),
  });

export const diagnosticCommands: CommandSpec[] = [
  defineCommand({
    name: 'monitor',
    arity: 1,
    flags: [...ADMIN],
    summary: 'Listen for all requests received by the server in real time',
    since: '1.0.0',
    group: 'server',
    handler(client) {
      // replication.c monitorCommand: a no-op for a client that already is a monitor or a replica.
      if (client.isMonitor || client.isReplica) return;
      client.server.monitors.add(client);
      client.reply.ok();
    },
  }),
  defineCommand({
    name: 'slowlog',
    arity: -2,
    flags: [],
    summary: 'A container for slow log commands',
    since: '2.2.12',
    group: 'server',
    complexity: 'Depends on subcommand.',
    subcommands: [
      defineCommand({
        name: 'get',
        arity: -2,
        tips: ['request_policy:all_nodes', 'nondeterministic_output'],
        flags: ['admin', 'loading', 'stale'],
        summary: "Get the slow log's entries",
        since: '2.2.12',
        group: 'server',
        arguments: [{ name: 'count', type: 'integer', optional: true }],
        history: [['4.0.0', 'Added client IP address, port and name to the reply.']],
        complexity: 'O(N) where N is the number of entries returned',
        handler: slowlogGet,
      }),
      defineCommand({
        name: 'len',
        arity: 2,
        tips: ['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output'],
        flags: ['admin', 'loading', 'stale'],
        summary: "Get the slow log's length",
        since: '2.2.12',
        group: 'server',
        complexity: 'O(1)',
        handler: (client) => client.reply.integer(client.server.slowlog.entries.length),
      }),
      defineCommand({
        name: 'reset',
        arity: 2,
        tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
        flags: ['admin', 'loading', 'stale'],
        summary: 'Clear all entries from the slow log',
        since: '2.2.12',
        group: 'server',
        complexity: 'O(N) where N is the number of entries in the slowlog',
        handler(client) {
          client.server.slowlog.reset();
          client.reply.ok();
        },
      }),
      helpSub(SLOWLOG_HELP, '6.2.0'),
    ],
  }),
  defineCommand({
    name: 'latency',
    arity: -2,
    flags: [],
    summary: 'A container for latency diagnostics commands',
    since: '2.8.13',
    group: 'server',
    complexity: 'Depends on subcommand.',
    subcommands: [
      defineCommand({
        name: 'latest',
        arity: 2,
        tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
        flags: [...ADMIN],
        summary: 'Return the latest latency samples for all events.',
        since: '2.8.13',
        group: 'server',
        complexity: 'O(1)',
        handler(client) {
          const events = client.server.latency.events;
          client.reply.arrayHeader(events.size);
          for (const [name, e] of events) {
            const latest = e.samples[e.samples.length - 1]!;
            client.reply.arrayHeader(4);
            client.reply.bulk(name);
            client.reply.integer(latest.time);
            client.reply.integer(latest.latencyMs);
            client.reply.integer(e.maxMs);
          }
        },
      }),
      defineCommand({
        name: 'history',
        arity: 3,
        tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
        flags: [...ADMIN],
        summary: 'Return timestamp-latency samples for the event.',
        since: '2.8.13',
        group: 'server',
        arguments: [{ name: 'event', type: 'string' }],
        complexity: 'O(1)',
        handler(client, argv) {
          const samples = client.server.latency.events.get(argv[2]!)?.samples ?? [];
          client.reply.arrayHeader(samples.length);
          for (const s of samples) {
            client.reply.arrayHeader(2);
            client.reply.integer(s.time);
            client.reply.integer(s.latencyMs);
          }
        },
      }),
      defineCommand({
        name: 'reset',
        arity: -2,
        tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
        flags: [...ADMIN],
        summary: 'Reset latency data for one or more events.',
        since: '2.8.13',
        group: 'server',
        arguments: [{ name: 'event', type: 'string', optional: true, multiple: true }],
        complexity: 'O(1)',
        handler: (client, argv) => client.reply.integer(client.server.latency.reset(argv.slice(2))),
      }),
      defineCommand({
        name: 'doctor',
        arity: 2,
        tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
        flags: [...ADMIN],
        summary: 'Return a human readable latency analysis report.',
        since: '2.8.13',
        group: 'server',
        complexity: 'O(1)',
        handler: latencyDoctor,
      }),
      defineCommand({
        name: 'graph',
        arity: 3,
        flags: [...ADMIN],
        tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
        summary: 'Return a latency graph for the event.',
        since: '2.8.13',
        group: 'server',
        complexity: 'O(1)',
        arguments: [{ name: 'event', type: 'string' }],
        handler: latencyGraph,
      }),
      defineCommand({
        name: 'histogram',
        arity: -2,
        flags: [...ADMIN],
        tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
        summary: 'Return the cumulative distribution of latencies of a subset of commands or all.',
        since: '7.0.0',
        group: 'server',
        complexity: 'O(N) where N is the number of commands with latency information being retrieved.',
        arguments: [{ name: 'command', type: 'string', optional: true, multiple: true }],
        handler: latencyHistogram,
      }),
      helpSub(LATENCY_HELP, '2.8.13', 'Show helpful text about the different subcommands.'),
    ],
  }),
];
