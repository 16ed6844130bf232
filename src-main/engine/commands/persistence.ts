// Persistence commands (rdb.c saveCommand / bgsaveCommand / lastsaveCommand, aof.c
// bgrewriteaofCommand) and the DEBUG subcommands about persistence: RELOAD, DIGEST, DIGEST-VALUE
// (DEBUG itself is in debug.ts, which lists these with the others).
import { readFileSync } from 'node:fs';
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { defineCommand, type CommandSpec } from '../core/command-table.js';
import { ERR, is } from '../core/replies.js';
import type { NodePersistence } from '../persistence/node-persistence.js';
import type { NodeServices } from './node-services.js';
import type { DebugSubcommand } from './debug-subcommand.js';
import { describeDamagedFile, describeReloadFailure, DuplicateKeyError, loadRdbBufferSync } from '../persistence/rdb/rdb-load.js';
import { blockClient, blockingDenied, unblockClient } from '../core/blocking.js';
import { AofLoadError } from '../persistence/aof/aof-load.js';
import { CorruptDataError } from '../persistence/corrupt-data.js';
import { crashNode, panicLines, SIGABRT_STATUS } from './debug-crash.js';
import { DatasetDigest, digestValueHex } from '../persistence/digest.js';
import { toRdbValue } from '../persistence/value-adapters.js';

/** shared.err: the bare "-ERR" Redis replies when a save fails (details are in the log). */
const BARE_ERR = 'ERR';

function save(persistence: NodePersistence, client: Client): void {
  const rdb = persistence.rdb;
  if (rdb.inProgress) {
    client.reply.error('ERR Background save already in progress');
    return;
  }
  rdb.saves++;
  if (rdb.saveSync()) client.reply.ok();
  else client.reply.error(BARE_ERR);
}

function bgsave(persistence: NodePersistence, client: Client, argv: BinaryString[]): void {
  let schedule = false;
  if (argv.length > 1) {
    if (argv.length === 2 && is(argv[1]!, 'schedule')) schedule = true;
    else {
      client.reply.error(ERR.syntax);
      return;
    }
  }
  const rdb = persistence.rdb;
  if (rdb.inProgress) {
    client.reply.error('ERR Background save already in progress');
  } else if (persistence.aof.rewriteInProgress || client.server.transactions.executing) {
    // Inside EXEC the save is always scheduled (bgsaveCommand's server.in_exec): serverCron starts it.
    if (schedule || client.server.transactions.executing) {
      rdb.scheduled = true;
      client.reply.simple('Background saving scheduled');
    } else {
      client.reply.error(
        "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
      );
    }
  } else {
    rdb.startBackground();
    client.reply.simple('Background saving started');
  }
}

function bgrewriteaof(persistence: NodePersistence, client: Client): void {
  const aof = persistence.aof;
  switch (aof.requestRewrite()) {
    case 'already-in-progress':
      client.reply.error('ERR Background append only file rewriting already in progress');
      return;
    case 'scheduled':
      client.reply.simple('Background append only file rewriting scheduled');
      return;
    case 'started':
      client.reply.simple('Background append only file rewriting started');
      return;
    case 'failed':
      client.reply.error("ERR Can't execute an AOF background rewriting. Please check the server logs for more information.");
  }
}

/**
 * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save (unless NOSAVE), empty the dataset (unless NOFLUSH),
 * and load the file back. With NOFLUSH the file's keys are added to the dataset: MERGE lets the
 * file's value win for a key in both; without MERGE such a key is fatal, as in Redis.
 */
function debugReload(persistence: NodePersistence, client: Client, argv: BinaryString[]): void {
  let saveFirst = true;
  let flush = true;
  let merge = false;
  for (const option of argv.slice(2)) {
    if (is(option, 'nosave')) saveFirst = false;
    else if (is(option, 'noflush')) flush = false;
    else if (is(option, 'merge')) merge = true;
    else {
      client.reply.error('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
      return;
    }
  }
  const server = client.server;
  const rdb = persistence.rdb;
  if (saveFirst && !rdb.saveSync()) {
    client.reply.error(BARE_ERR);
    return;
  }
  try {
    const result = loadRdbBufferSync(server, readFileSync(rdb.filePath), {
      source: rdb.filePath,
      mergeDuplicates: flush ? undefined : merge ? 'replace' : 'refuse',
    });
    rdb.lastLoad = { keysLoaded: result.keysLoaded, keysExpired: result.keysExpired };
  } catch (err) {
    if (err instanceof DuplicateKeyError) {
      server.logger.warning(err.message);
      crashNode(client, panicLines('Duplicated key found in RDB file #rdb.c:3088'), SIGABRT_STATUS);
      return;
    }
    // The dataset stays as it was (the load is all or nothing); redis-server would be left
    // with the keys read before the damage.
    for (const { verbose, text } of describeReloadFailure(err)) server.logger[verbose ? 'verbose' : 'warning'](text);
    if (err instanceof CorruptDataError) server.logger.warning(describeDamagedFile(rdb.filePath, err));
    client.reply.error('ERR Error trying to load the RDB dump');
    return;
  }
  server.logger.warning('DB reloaded by DEBUG RELOAD');
  client.reply.ok();
}

/**
 * DEBUG LOADAOF: write out the AOF buffer, empty the dataset and load the AOF files again from
 * their manifest. Redis serves other clients -LOADING meanwhile (it processes events while
 * loading) and answers the caller at the end; so does this node, whose AOF load is asynchronous.
 */
function debugLoadAof(persistence: NodePersistence, client: Client): void {
  const server = client.server;
  if (!server.config.bool('appendonly')) {
    // Redis 7.0 dereferences a missing manifest here and crashes; refusing is the useful answer.
    client.reply.error('ERR Error trying to load the AOF files, check server logs.');
    server.logger.warning('DEBUG LOADAOF: appendonly is off, there are no AOF files to load.');
    return;
  }
  if (blockingDenied(client)) {
    client.reply.error('ERR DEBUG LOADAOF cannot run inside MULTI or a script on this node.');
    return;
  }
  // The caller waits for the end of the load (CLIENT UNBLOCK or a disconnect end only its wait).
  let waiting = true;
  blockClient(client, { deadline: 0, ended: () => (waiting = false) });
  const answer = (reply: () => void): void => {
    if (!waiting) return;
    reply();
    unblockClient(client);
  };
  persistence.aof.reloadForDebug().then(
    () => {
      server.logger.warning('Append Only File loaded by DEBUG LOADAOF');
      answer(() => client.reply.ok());
    },
    (err: unknown) => {
      // A damaged AOF is fatal in Redis here as at start (loadSingleAppendOnlyFile exits): the
      // loader logged why; the node ends with status 1, answering no one.
      if (err instanceof AofLoadError) {
        server.onExit(1);
        return;
      }
      server.logger.warning(`DEBUG LOADAOF failed: ${(err as Error).message}`);
      answer(() => client.reply.error('ERR Error trying to load the AOF files, check server logs.'));
    },
  );
}

/** computeDatasetDigest over every stored key, logically expired ones included. */
function debugDigest(client: Client): void {
  const digest = new DatasetDigest();
  for (const db of client.server.keyspace.dbs) {
    for (const [key, value, expireAt] of db.entries()) {
      digest.add({ db: db.id, key: Buffer.from(key, 'latin1'), value: toRdbValue(value), expireAtMs: expireAt ?? null });
    }
  }
  client.reply.simple(digest.hex());
}

/** DEBUG DIGEST-VALUE key ...: like Redis, it does not expire keys (no lookupKey). */
function debugDigestValue(client: Client, argv: BinaryString[]): void {
  const db = client.db;
  client.reply.arrayHeader(argv.length - 2);
  for (const key of argv.slice(2)) {
    const value = db.peek(key);
    client.reply.simple(
      value === undefined ? digestValueHex(null, false) : digestValueHex(toRdbValue(value), db.peekExpire(key) !== undefined),
    );
  }
}

/** The DEBUG subcommands about persistence (debug.ts lists them under DEBUG). */
export function persistenceDebugSubcommands(node: NodeServices): DebugSubcommand[] {
  return [
    { name: 'reload', handler: (client, argv) => debugReload(node.persistence, client, argv) },
    { name: 'loadaof', argc: 2, handler: (client) => debugLoadAof(node.persistence, client) },
    { name: 'digest', argc: 2, handler: debugDigest },
    { name: 'digest-value', argc: [2, Infinity], handler: debugDigestValue },
  ];
}

export function persistenceCommands(node: NodeServices): CommandSpec[] {
  return [
    defineCommand({
      name: 'save',
      arity: 1,
      flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'],
      summary: 'Synchronously save the dataset to disk',
      since: '1.0.0',
      group: 'server',
      complexity: 'O(N) where N is the total number of keys in all databases',
      handler: (client) => save(node.persistence, client),
    }),
    defineCommand({
      name: 'bgsave',
      arity: -1,
      flags: ['admin', 'noscript', 'no_async_loading'],
      summary: 'Asynchronously save the dataset to disk',
      since: '1.0.0',
      group: 'server',
      history: [['3.2.2', 'Added the `SCHEDULE` option.']],
      complexity: 'O(1)',
      arguments: [{ name: 'schedule', type: 'pure-token', token: 'SCHEDULE', optional: true, since: '3.2.2' }],
      handler: (client, argv) => bgsave(node.persistence, client, argv),
    }),
    defineCommand({
      name: 'bgrewriteaof',
      arity: 1,
      flags: ['admin', 'noscript', 'no_async_loading'],
      summary: 'Asynchronously rewrite the append-only file',
      since: '1.0.0',
      group: 'server',
      complexity: 'O(1)',
      handler: (client) => bgrewriteaof(node.persistence, client),
    }),
    defineCommand({
      name: 'lastsave',
      arity: 1,
      tips: ['nondeterministic_output'],
      flags: ['loading', 'stale', 'fast'],
      acl: ['admin', 'dangerous'],
      summary: 'Get the UNIX time stamp of the last successful save to disk',
      since: '1.0.0',
      group: 'server',
      complexity: 'O(1)',
      handler(client) {
        client.reply.integer(node.persistence.rdb.lastSaveTime);
      },
    }),
  ];
}
