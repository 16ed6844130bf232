// A node's persistence, put together: loading at start (loadDataFromDisk), the RDB saves and
// the AOF, their cron (serverCron's persistence part), the final save at shutdown
// (prepareForShutdown), MISCONF (writeCommandsDeniedByDiskError) and INFO persistence.
//
// One instance per node, made by ../node.ts, which calls start() between "Server initialized" and
// "Ready to accept connections", as Redis loads its data at that point of main().
import { access } from 'node:fs/promises';
import type { Server } from '../core/server.js';
import { PROPAGATE_AOF } from '../core/propagation.js';
import type { ShutdownOptions } from '../core/shutdown.js';
import type { RdbAuxFields } from './value-model.js';
import type { BinaryString } from '../protocol/request-parser.js';
import type { ReplicationAux } from './rdb/snapshot.js';
import { RdbSaves } from './rdb/rdb-save.js';
import { AppendOnlyFile } from './aof/append-only-file.js';
import { describeDamagedFile, describeLoadFailure, loadRdbFile } from './rdb/rdb-load.js';
import { persistenceInfoSection } from './persistence-info.js';
import { LOADING_ERROR } from '../core/loading-state.js';
import { CorruptDataError } from './corrupt-data.js';
import { AlreadyLogged } from '../util/logger.js';

/** shared.bgsaveerr (server.c createSharedObjects). */
export const MISCONF_RDB_ERROR =
  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. " +
  'Commands that may modify the data set are disabled, because this instance is configured to report errors ' +
  'during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.';

/** serverCron runs persistence checks at `hz`; once per 100 ms is what Redis does at the default hz 10. */
const CRON_INTERVAL_MS = 100;

export class NodePersistence {
  readonly rdb: RdbSaves;
  readonly aof: AppendOnlyFile;
  /**
   * Installed by replication: the repl-id / repl-offset / repl-stream-db a save records
   * (rdbPopulateSaveInfo), or null when the node has no replication state to record.
   */
  replicationAux: () => ReplicationAux | null = () => null;
  /** The aux fields of the RDB loaded at start (not of an AOF's base), for replication to resume from. */
  startupAux: RdbAuxFields | null = null;
  /**
   * Installed by replication: receives the keys a master drops at start because they expired
   * while it was down (loadDataFromDisk's RDBFLAGS_FEED_REPL), to put their DELs in its stream.
   */
  expiredAtStartup: ((dbIndex: number, key: BinaryString) => void) | null = null;
  private cronTimer: NodeJS.Timeout | null = null;

  constructor(private readonly server: Server) {
    this.rdb = new RdbSaves(
      server,
      () => this.replicationAux(),
      () => this.aof.rewriteInProgress,
    );
    this.aof = new AppendOnlyFile(server, () => this.rdb.inProgress);
  }

  /** Loads the data, then starts the cron, the AOF, the shutdown hook and INFO persistence. */
  async start(): Promise<void> {
    const server = this.server;
    server.commandGuards.push((_client, command) => this.commandDenial(command.flags, command.name === 'ping'));
    await this.loadDataFromDisk();
    server.writeFeed.subscribe(this.aof.record, PROPAGATE_AOF);
    // freeMemoryGetNotCountedMemory: the AOF buffer does not count against maxmemory.
    server.eviction.notCountedMemory.push(() => this.aof.bufferedBytes);
    // INFO mem_aof_buffer: Redis counts aof_buf while the AOF is on.
    server.memoryParts.aofBuffer = () => (this.aof.state !== 'off' ? this.aof.bufferedBytes : 0);
    server.onConfigSet('appendonly', () => {
      if (server.config.bool('appendonly')) this.aof.enable();
      else this.aof.disable();
    });
    server.info.set('persistence', () => persistenceInfoSection(server, this));
    // First of the hooks: finishShutdown saves before it lets replicas go, so a failed save
    // leaves everything else running.
    server.shutdownHooks.unshift((options) => this.shutdown(options));
    this.startCron();
  }

  /**
   * The error a command gets before it runs, or null: -LOADING while a dataset loads (for
   * commands without the `loading` flag), MISCONF for writes (and PING, as in Redis) after a
   * failed save or AOF write.
   */
  commandDenial(flags: readonly string[], isPing: boolean): string | null {
    if (this.server.loading.current && !flags.includes('loading')) return LOADING_ERROR;
    if (!flags.includes('write') && !isPing) return null;
    if (this.rdb.deniesWrites) return MISCONF_RDB_ERROR;
    return this.aof.writeError();
  }

  private async loadDataFromDisk(): Promise<void> {
    const server = this.server;
    const started = performance.now();
    const seconds = () => ((performance.now() - started) / 1000).toFixed(3);
    if (server.config.bool('appendonly')) {
      const result = await this.aof.loadAtStart();
      if (result.found) server.logger.notice(`DB loaded from append only file: ${seconds()} seconds`);
      // loadDataFromDisk restores a replication position from an RDB only: an AOF's commands
      // moved the data past whatever position its base might record (a master starts a new
      // history; a replica syncs in full).
      this.aof.openAtStart();
      return;
    }
    const path = this.rdb.filePath;
    try {
      await access(path);
    } catch {
      return; // no dump yet: start empty, as Redis does on ENOENT
    }
    try {
      const onExpired = this.expiredAtStartup ?? undefined;
      const result = await loadRdbFile(server, path, { onExpired });
      this.rdb.lastLoad = { keysLoaded: result.keysLoaded, keysExpired: result.keysExpired };
      this.startupAux = result.aux;
    } catch (err) {
      // Nothing was swapped in (the load is all or nothing) and the file is untouched: the node
      // exits with status 1, as redis-server does from rdbReportError, whose lines these are.
      if (!(err instanceof CorruptDataError)) throw new Error(describeLoadFailure(err)[0]);
      server.logger.warning(describeDamagedFile(path, err));
      for (const line of describeLoadFailure(err)) server.logger.warning(line);
      if (err.report.terminatingLine && err.report.errno === undefined)
        server.logger.warning('Terminating server after rdb file reading failure.');
      throw new AlreadyLogged('Terminating server after rdb file reading failure.');
    }
    server.logger.notice(`DB loaded from disk: ${seconds()} seconds`);
  }

  private cron(): void {
    if (this.server.debugKnobs.cronPaused) return; // serverCron runs these; DEBUG PAUSE-CRON stops it
    if (this.server.yielding.active) return; // and not while a script yields (no save point mid-script)
    this.rdb.cron();
    this.aof.cron();
  }

  /**
   * finishShutdown's persistence part: stop background jobs, flush and fsync the AOF, then the
   * final save. If that save fails (without SHUTDOWN FORCE) this throws and the node keeps
   * running, cron and AOF included, as Redis does ("Error trying to save the DB, can't exit.").
   */
  private async shutdown(options: ShutdownOptions): Promise<void> {
    const server = this.server;
    this.stopCron(); // no save point or automatic rewrite may start while we stop the others
    if (this.rdb.inProgress) {
      server.logger.warning('There is a child saving an .rdb. Killing it!');
      await this.rdb.abortBackground();
    }
    await this.aof.shutdown();
    const save = options.save ?? server.config.savePoints().length > 0;
    if (save) {
      server.logger.notice('Saving the final RDB snapshot before exiting.');
      if (!this.rdb.saveSync()) {
        if (options.force) {
          server.logger.warning('Error trying to save the DB. Exit anyway.');
        } else {
          server.logger.warning("Error trying to save the DB, can't exit.");
          this.startCron();
          throw new Error('Errors trying to SHUTDOWN. Check logs.');
        }
      }
    }
    this.aof.close();
  }

  private startCron(): void {
    this.cronTimer = setInterval(() => this.cron(), CRON_INTERVAL_MS);
    this.cronTimer.unref();
  }

  private stopCron(): void {
    if (this.cronTimer) clearInterval(this.cronTimer);
    this.cronTimer = null;
  }
}
