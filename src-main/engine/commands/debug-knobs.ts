// The DEBUG subcommands that turn the node's debugging switches (debug.c), which Redis's own test
// suite and tools written for it use to provoke timing-dependent situations: SET-ACTIVE-EXPIRE,
// PAUSE-CRON, AOF-FLUSH-SLEEP, SET-SKIP-CHECKSUM-VALIDATION, QUICKLIST-PACKED-THRESHOLD,
// SET-DISABLE-DENY-SCRIPTS, REPLYBUFFER, SLEEP, and the cluster ones, which a node without
// cluster mode accepts as Redis does. The switches live in server.debugKnobs; the layers that
// honour them read them there.
import type { Client } from '../core/client.js';
import type { BinaryString } from '../protocol/request-parser.js';
import { ERR, is } from '../core/replies.js';
import { parseInteger, parseMemory } from '../util/numbers.js';
import { setQuicklistPackedThreshold } from '../persistence/rdb/rdb-value-encoder.js';
import { debugSyntaxError, type DebugSubcommand } from './debug-subcommand.js';

/** C's atoi: the leading optional sign and digits, 0 when there are none ("x" -> 0, "12ab" -> 12). */
export function atoi(text: string): number {
  const m = /^\s*([+-]?\d+)/.exec(text);
  return m ? Number.parseInt(m[1]!, 10) | 0 : 0;
}

/** DEBUG SLEEP <seconds>: blocks the node, as Redis does (a test tool for timeouts and latency). */
function debugSleep(client: Client, argv: BinaryString[]): void {
  const seconds = Number.parseFloat(argv[2]!); // strtod: "abc" is 0, "1.5s" is 1.5
  const until = Date.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0);
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (Date.now() < until) Atomics.wait(cell, 0, 0, until - Date.now());
  client.reply.ok();
}

/** A switch set from atoi(argv[2]), answered with +OK whatever the text (debug.c does no checking). */
function intKnob(name: string, set: (client: Client, value: number) => void): DebugSubcommand {
  return {
    name,
    argc: 3,
    handler(client, argv) {
      set(client, atoi(argv[2]!));
      client.reply.ok();
    },
  };
}

function debugQuicklistPackedThreshold(client: Client, argv: BinaryString[]): void {
  const bytes = parseMemory(argv[2]!);
  if (bytes === null || !setQuicklistPackedThreshold(bytes)) {
    client.reply.error('ERR argument must be a memory value bigger than 1 and smaller than 4gb');
    return;
  }
  client.reply.ok();
}

/**
 * DEBUG REPLYBUFFER PEAK-RESET-TIME <NEVER|RESET|ms> | RESIZING <0|1>: Redis's knobs for the
 * resizing of its per-client reply buffers. This node's reply buffers do not resize that way, so
 * there is nothing to set: the arguments are checked as Redis checks them, and the answer is +OK.
 */
function debugReplyBuffer(client: Client, argv: BinaryString[]): void {
  const [setting, value] = [argv[2]!, argv[3]!];
  if (is(setting, 'peak-reset-time')) {
    if (!is(value, 'never') && !is(value, 'reset') && parseInteger(value) === null) {
      client.reply.error(ERR.notInteger);
      return;
    }
  } else if (!is(setting, 'resizing')) {
    client.reply.error(debugSyntaxError(argv[1]!));
    return;
  }
  client.reply.ok();
}

function debugClusterLink(client: Client, argv: BinaryString[]): void {
  if (!is(argv[2]!, 'kill')) {
    client.reply.error(debugSyntaxError(argv[1]!));
    return;
  }
  client.reply.error('ERR Debug option only available for cluster mode enabled setup!');
}

export const knobDebugSubcommands: DebugSubcommand[] = [
  { name: 'sleep', argc: 3, handler: debugSleep },
  intKnob('set-active-expire', (client, value) => (client.server.activeExpireEnabled = value !== 0)),
  intKnob('pause-cron', (client, value) => (client.server.debugKnobs.cronPaused = value !== 0)),
  intKnob('aof-flush-sleep', (client, value) => (client.server.debugKnobs.aofFlushSleepMicros = Math.max(0, value))),
  intKnob('set-skip-checksum-validation', (client, value) => (client.server.debugKnobs.skipChecksumValidation = value !== 0)),
  intKnob('set-disable-deny-scripts', (client, value) => (client.server.debugKnobs.disableDenyScripts = value !== 0)),
  {
    // No cluster bus here, so no packet to drop; Redis stores the filter whether or not it has one.
    name: 'drop-cluster-packet-filter',
    argc: 3,
    handler(client, argv) {
      if (parseInteger(argv[2]!) === null) client.reply.error(ERR.notInteger);
      else client.reply.ok();
    },
  },
  { name: 'quicklist-packed-threshold', argc: 3, handler: debugQuicklistPackedThreshold },
  { name: 'replybuffer', argc: 4, handler: debugReplyBuffer },
  { name: 'clusterlink', argc: 5, handler: debugClusterLink },
];
