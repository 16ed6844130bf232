// DUMP and RESTORE (cluster.c dumpCommand / restoreCommand): a key's value in Redis's DUMP payload
// format (persistence/rdb/dump-payload.ts), so values move between our nodes and real Redis servers.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { parseInteger } from '../util/numbers.js';
import { keySpec, defineCommand, type CommandSpec } from '../core/command-table.js';
import { ERR, is } from '../core/replies.js';
import { createDumpPayload, parseDumpPayload } from '../persistence/rdb/dump-payload.js';
import { encodingLimitsFrom, fromRdbValue, toRdbValue } from '../persistence/value-adapters.js';
import { withAccessHistory, type AccessHistory } from '../keyspace/object-header.js';

const BUSYKEY = 'BUSYKEY Target key name already exists.';

interface RestoreOptions {
  replace: boolean;
  absttl: boolean;
  /** IDLETIME seconds / FREQ counter, applied as the maxmemory-policy tracks them. */
  history: AccessHistory;
}

/** RESTORE's options after the payload, or undefined after replying the error Redis gives. */
function restoreOptions(client: Client, argv: BinaryString[]): RestoreOptions | undefined {
  const options: RestoreOptions = { replace: false, absttl: false, history: {} };
  const { history } = options;
  for (let j = 4; j < argv.length; j++) {
    const arg = argv[j]!;
    const hasValue = j + 1 < argv.length;
    if (is(arg, 'replace')) options.replace = true;
    else if (is(arg, 'absttl')) options.absttl = true;
    else if (is(arg, 'idletime') && hasValue && history.frequency === undefined) {
      const idle = parseInteger(argv[++j]!);
      if (idle === null) return void client.reply.error(ERR.notInteger);
      if (idle < 0) return void client.reply.error('ERR Invalid IDLETIME value, must be >= 0');
      history.idleSeconds = idle;
    } else if (is(arg, 'freq') && hasValue && history.idleSeconds === undefined) {
      const freq = parseInteger(argv[++j]!);
      if (freq === null) return void client.reply.error(ERR.notInteger);
      if (freq < 0 || freq > 255) return void client.reply.error('ERR Invalid FREQ value, must be >= 0 and <= 255');
      history.frequency = freq;
    } else {
      return void client.reply.error(ERR.syntax);
    }
  }
  return options;
}

function restore(client: Client, argv: BinaryString[]): void {
  const options = restoreOptions(client, argv);
  if (!options) return;
  const server = client.server;
  const db = client.db;
  const key = argv[1]!;
  if (!options.replace && db.peekLive(key) !== undefined) {
    client.reply.error(BUSYKEY);
    return;
  }
  let ttl = parseInteger(argv[2]!);
  if (ttl === null) {
    client.reply.error(ERR.notInteger);
    return;
  }
  if (ttl < 0) {
    client.reply.error('ERR Invalid TTL value, must be >= 0');
    return;
  }
  const parsed = parseDumpPayload(Buffer.from(argv[3]!, 'latin1'), {
    skipChecksum: client.server.debugKnobs.skipChecksumValidation,
    onBlobsChecked: (count) => {
      if (deepSanitization(client)) server.stats.dumpPayloadSanitizations += count;
    },
  });
  if (!parsed.ok) {
    client.reply.error(parsed.error);
    return;
  }
  const value = fromRdbValue(parsed.value, encodingLimitsFrom(server.config));
  if (ttl !== 0 && !options.absttl) ttl += Date.now();
  if (ttl !== 0 && ttl <= Date.now() && !server.keyspace.isReplica) {
    // Already expired: the key is not created; a replaced key is gone, and that is the effect.
    if (options.replace && db.delete(key)) {
      server.propagation.propagate(db.id, ['DEL', key]);
      server.keyspaceEvents.notify('g', 'del', key, db.id);
    } else {
      server.propagation.prevent();
    }
    client.reply.ok();
    return;
  }
  // A replaced key is deleted and the restored one added (dbDelete + dbAdd): one change in all.
  db.recreate(key, value, ttl !== 0 ? ttl : undefined);
  db.setObjectHeader(key, withAccessHistory(db.objectHeader(key)!, server.keyspace.lfu, options.history));
  if (ttl !== 0 && !options.absttl) {
    // Replicas and the AOF get the absolute expiry, as Redis rewrites the command.
    server.propagation.propagate(db.id, ['RESTORE', key, String(ttl), ...argv.slice(3), 'ABSTTL']);
  }
  server.keyspaceEvents.notify('g', 'restore', key, db.id);
  client.reply.ok();
}

export const dumpRestoreCommands: CommandSpec[] = [
  defineCommand({
    name: 'dump',
    arity: 2,
    tips: ['nondeterministic_output'],
    flags: ['readonly'],
    keySpecs: [keySpec('RO access', 1)],
    acl: ['keyspace'],
    summary: 'Return a serialized version of the value stored at the specified key.',
    since: '2.6.0',
    group: 'generic',
    complexity:
      'O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).',
    arguments: [{ name: 'key', type: 'key' }],
    handler(client, argv) {
      const value = client.db.lookupRead(argv[1]!);
      if (value === undefined) {
        client.reply.null();
        return;
      }
      const config = client.server.config;
      client.reply.bulk(
        createDumpPayload(toRdbValue(value), { compression: config.bool('rdbcompression'), limits: encodingLimitsFrom(config) }),
      );
    },
  }),
  defineCommand({
    name: 'restore',
    arity: -4,
    flags: ['write', 'denyoom'],
    keySpecs: [keySpec('OW update', 1)],
    acl: ['keyspace', 'dangerous'],
    summary: 'Create a key using the provided serialized value, previously obtained using DUMP.',
    since: '2.6.0',
    group: 'generic',
    history: [
      ['3.0.0', 'Added the `REPLACE` modifier.'],
      ['5.0.0', 'Added the `ABSTTL` modifier.'],
      ['5.0.0', 'Added the `IDLETIME` and `FREQ` options.'],
    ],
    complexity:
      'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).',
    arguments: [
      { name: 'key', type: 'key' },
      { name: 'ttl', type: 'integer' },
      { name: 'serialized-value', type: 'string' },
      { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true, since: '3.0.0' },
      { name: 'absttl', type: 'pure-token', token: 'ABSTTL', optional: true, since: '5.0.0' },
      { name: 'seconds', type: 'integer', token: 'IDLETIME', optional: true, since: '5.0.0' },
      { name: 'frequency', type: 'integer', token: 'FREQ', optional: true, since: '5.0.0' },
    ],
    handler: restore,
  }),
  // MIGRATE's RESTORE in a cluster; the same command outside one (cluster.c restoreCommand).
  defineCommand({
    name: 'restore-asking',
    arity: -4,
    flags: ['write', 'denyoom', 'asking'],
    keySpecs: [keySpec('OW update', 1)],
    acl: ['keyspace', 'dangerous'],
    summary: 'An internal command for migrating keys in a cluster',
    since: '3.0.0',
    group: 'server',
    complexity:
      'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).',
    docFlags: ['syscmd'],
    history: [
      ['3.0.0', 'Added the `REPLACE` modifier.'],
      ['5.0.0', 'Added the `ABSTTL` modifier.'],
      ['5.0.0', 'Added the `IDLETIME` and `FREQ` options.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'ttl', type: 'integer' },
      { name: 'serialized-value', type: 'string' },
      { name: 'replace', type: 'pure-token', token: 'REPLACE', since: '3.0.0', optional: true },
      { name: 'absttl', type: 'pure-token', token: 'ABSTTL', since: '5.0.0', optional: true },
      { name: 'seconds', type: 'integer', token: 'IDLETIME', since: '5.0.0', optional: true },
      { name: 'frequency', type: 'integer', token: 'FREQ', since: '5.0.0', optional: true },
    ],
    handler: restore,
  }),
];

/**
 * rdbLoadObject's deep_integrity_validation for RESTORE: always with sanitize-dump-payload yes;
 * with `clients`, except for our master, the AOF being loaded and users flagged
 * skip-sanitize-payload. Our decoder checks every encoding in full whatever the setting; this
 * decides when the checks count as INFO dump_payload_sanitizations, as Redis counts them.
 */
function deepSanitization(client: Client): boolean {
  const mode = client.server.config.str('sanitize-dump-payload');
  if (mode === 'yes') return true;
  if (mode !== 'clients') return false;
  return !client.isMaster && !client.isAofReplay && client.user?.sanitizePayload !== 'skip';
}
