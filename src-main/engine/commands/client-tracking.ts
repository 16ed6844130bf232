// CLIENT TRACKING, CACHING, TRACKINGINFO and GETREDIR (networking.c clientCommand): the options of
// client-side caching. What tracking does is core/tracking.ts.
import { defineCommand, type CommandSpec } from '../core/command-table.js';
import { ERR, is } from '../core/replies.js';
import { parseInteger } from '../util/numbers.js';
import type { Client } from '../core/client.js';
import type { TrackingOptions } from '../core/tracking.js';
import type { BinaryString } from '../protocol/request-parser.js';

/** CLIENT TRACKING (ON|OFF) [REDIRECT id] [BCAST] [PREFIX p ...] [OPTIN] [OPTOUT] [NOLOOP]. */
function clientTracking(client: Client, argv: BinaryString[]): void {
  const options: TrackingOptions = { redirect: 0, bcast: false, optin: false, optout: false, noloop: false, prefixes: [] };
  for (let j = 3; j < argv.length; j++) {
    const option = argv[j]!;
    const moreArgs = j < argv.length - 1;
    if (is(option, 'redirect') && moreArgs) {
      j++;
      if (options.redirect !== 0) {
        client.reply.error('ERR A client can only redirect to a single other client');
        return;
      }
      const id = parseInteger(argv[j]!);
      if (id === null) {
        client.reply.error(ERR.notInteger);
        return;
      }
      // The target must exist now, even if it may go away later: still a sanity check.
      if (!client.server.clients.has(id)) {
        client.reply.error('ERR The client ID you want redirect to does not exist');
        return;
      }
      options.redirect = id;
    } else if (is(option, 'bcast')) options.bcast = true;
    else if (is(option, 'optin')) options.optin = true;
    else if (is(option, 'optout')) options.optout = true;
    else if (is(option, 'noloop')) options.noloop = true;
    else if (is(option, 'prefix') && moreArgs) options.prefixes.push(argv[++j]!);
    else {
      client.reply.error(ERR.syntax);
      return;
    }
  }
  const tracking = client.server.tracking;
  if (is(argv[2]!, 'on')) {
    const error = enableError(client, options);
    if (error !== null) {
      client.reply.error(error);
      return;
    }
    tracking.enable(client, options);
  } else if (is(argv[2]!, 'off')) {
    tracking.disable(client);
  } else {
    client.reply.error(ERR.syntax);
    return;
  }
  client.reply.ok();
}

/** The checks CLIENT TRACKING ON makes of its options and the client's current mode, in Redis's order. */
function enableError(client: Client, options: TrackingOptions): string | null {
  if (!options.bcast && options.prefixes.length !== 0) return 'ERR PREFIX option requires BCAST mode to be enabled';
  const state = client.tracking;
  if (state !== null && state.bcast !== options.bcast) {
    return "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.";
  }
  if (options.bcast && (options.optin || options.optout)) return 'ERR OPTIN and OPTOUT are not compatible with BCAST';
  if (options.optin && options.optout) return "ERR You can't specify both OPTIN mode and OPTOUT mode";
  if ((options.optin && state?.optout) || (options.optout && state?.optin)) {
    return "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.";
  }
  return options.bcast ? client.server.tracking.prefixCollision(client, options.prefixes) : null;
}

/** CLIENT CACHING YES|NO: the next command's keys are (OPTIN) or are not (OPTOUT) remembered. */
function clientCaching(client: Client, argv: BinaryString[]): void {
  const state = client.tracking;
  if (state === null) {
    client.reply.error('ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled');
    return;
  }
  const mode = argv[2]!;
  if (is(mode, 'yes')) {
    if (!state.optin) {
      client.reply.error('ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.');
      return;
    }
  } else if (is(mode, 'no')) {
    if (!state.optout) {
      client.reply.error('ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.');
      return;
    }
  } else {
    client.reply.error(ERR.syntax);
    return;
  }
  state.caching = true;
  client.reply.ok();
}

/** CLIENT TRACKINGINFO: a map of flags, redirect and prefixes. */
function clientTrackingInfo(client: Client): void {
  const state = client.tracking;
  const flags = [state ? 'on' : 'off'];
  if (state) {
    if (state.bcast) flags.push('bcast');
    if (state.optin) flags.push('optin', ...(state.caching ? ['caching-yes'] : []));
    if (state.optout) flags.push('optout', ...(state.caching ? ['caching-no'] : []));
    if (state.noloop) flags.push('noloop');
    if (state.brokenRedirect) flags.push('broken_redirect');
  }
  const reply = client.reply;
  reply.mapHeader(3);
  reply.bulk('flags');
  reply.setHeader(flags.length);
  for (const flag of flags) reply.bulk(flag);
  reply.bulk('redirect');
  reply.integer(state ? state.redirect : -1);
  reply.bulk('prefixes');
  // Redis keeps them in a radix tree: sorted bytewise.
  reply.bulkArray(state ? [...state.prefixes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : []);
}

const sub = (spec: Omit<Parameters<typeof defineCommand>[0], 'group' | 'flags'>): CommandSpec =>
  defineCommand({ group: 'connection', acl: ['connection'], flags: ['noscript', 'loading', 'stale'], complexity: 'O(1)', ...spec });

export const clientTrackingSubcommands: CommandSpec[] = [
  sub({
    name: 'tracking',
    arity: -3,
    summary: 'Enable or disable server assisted client side caching support',
    since: '6.0.0',
    complexity: 'O(1). Some options may introduce additional complexity.',
    arguments: [
      {
        name: 'status',
        type: 'oneof',
        arguments: [
          { name: 'on', type: 'pure-token', token: 'ON' },
          { name: 'off', type: 'pure-token', token: 'OFF' },
        ],
      },
      { name: 'client-id', type: 'integer', token: 'REDIRECT', optional: true },
      { name: 'prefix', type: 'string', token: 'PREFIX', optional: true, multiple: true, multipleToken: true },
      { name: 'bcast', type: 'pure-token', token: 'BCAST', optional: true },
      { name: 'optin', type: 'pure-token', token: 'OPTIN', optional: true },
      { name: 'optout', type: 'pure-token', token: 'OPTOUT', optional: true },
      { name: 'noloop', type: 'pure-token', token: 'NOLOOP', optional: true },
    ],
    handler: clientTracking,
  }),
  sub({
    name: 'caching',
    arity: 3,
    summary: 'Instruct the server about tracking or not keys in the next request',
    since: '6.0.0',
    arguments: [
      {
        name: 'mode',
        type: 'oneof',
        arguments: [
          { name: 'yes', type: 'pure-token', token: 'YES' },
          { name: 'no', type: 'pure-token', token: 'NO' },
        ],
      },
    ],
    handler: clientCaching,
  }),
  sub({
    name: 'trackinginfo',
    arity: 2,
    summary: 'Return information about server assisted client side caching for the current connection',
    since: '6.2.0',
    handler: clientTrackingInfo,
  }),
  sub({
    name: 'getredir',
    arity: 2,
    summary: 'Get tracking notifications redirection client ID if any',
    since: '6.0.0',
    handler: (client) => client.reply.integer(client.tracking ? client.tracking.redirect : -1),
  }),
];
