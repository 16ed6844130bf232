// SHUTDOWN, SIGTERM and SIGINT (server.c prepareForShutdown / isReadyToShutdown /
// finishShutdown / abortShutdown, Redis 7.0).
//
// A master must not leave its replicas behind: writes acknowledged to clients but not yet
// applied by a replica would be lost if that replica were promoted afterwards. So unless told
// otherwise (SHUTDOWN NOW, shutdown-timeout 0), a node with replicas that have not acknowledged
// its whole stream first waits for them:
//
//   request ──not in sync──> waiting: writes paused (reads still served), REPLCONF GETACK sent;
//                            the cron (hz) checks the acks
//        │                        │ every replica acked master_repl_offset, or shutdown-timeout passed
//        │ in sync, NOW,          v
//        └─ timeout 0 ────> finishing: replicas reported ("N of M replicas are in sync..."), then
//                            the hooks (final save, AOF fsync), listeners closed, exit 0
//
// SHUTDOWN ABORT during the wait cancels it (writes resume, blocked SHUTDOWNs get an error); so
// does a failed final save. Every SHUTDOWN (and signal) during a shutdown joins the one under
// way, whatever its flags: like Redis, a second SHUTDOWN NOW does not cut the wait short.
import type { Config } from '../config/config.js';
import type { Server } from './server.js';

export interface ShutdownOptions {
  /** SHUTDOWN SAVE / NOSAVE; undefined = save when save points are configured. */
  save?: boolean;
  /** SHUTDOWN FORCE: exit even when the final save fails. */
  force?: boolean;
  /** SHUTDOWN NOW: do not wait for lagging replicas. */
  now?: boolean;
}

/**
 * shutdown-on-sigterm / shutdown-on-sigint: the SHUTDOWN flags a signal stands for ("default" is
 * none of them: save if save points are configured, wait for lagging replicas).
 */
export function signalShutdownOptions(config: Config, signal: 'SIGTERM' | 'SIGINT'): ShutdownOptions {
  const words = config.str(signal === 'SIGTERM' ? 'shutdown-on-sigterm' : 'shutdown-on-sigint').split(' ');
  return {
    save: words.includes('save') ? true : words.includes('nosave') ? false : undefined,
    now: words.includes('now'),
    force: words.includes('force'),
  };
}

/** What replication contributes to a shutdown (implemented by the master side). */
export interface ReplicasAtShutdown {
  /** isReadyToShutdown: every replica acknowledged the whole stream (true without replicas). */
  inSync(): boolean;
  /** sendGetackToReplicas: ask every replica for an ACK now. */
  requestAcks(): void;
  /** finishShutdown's report: each lagging replica, then "N of M replicas are in sync...". */
  report(): void;
}

/** Why a shutdown did not happen; SHUTDOWN replies its message (ERR Errors trying to SHUTDOWN...). */
export class ShutdownCancelled extends Error {
  constructor() {
    super('Errors trying to SHUTDOWN. Check logs.');
  }
}

interface InProgress {
  options: ShutdownOptions;
  promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
  /** When waiting for replicas: the moment the wait gives up (shutdown_mstime); 0 otherwise. */
  deadline: number;
  finishing: boolean;
}

export class Shutdown {
  /** Set by replication when it starts; a node without it has no replicas to wait for. */
  replicas: ReplicasAtShutdown | null = null;
  private current: InProgress | null = null;

  constructor(
    private readonly server: Server,
    /** finishShutdown's work after the replicas' report: hooks, close, exit. Throws to cancel. */
    private readonly finish: (options: ShutdownOptions) => Promise<void>,
  ) {}

  get inProgress(): boolean {
    return this.current !== null;
  }

  /**
   * prepareForShutdown: resolves once the node is ready to exit; rejects (and the node keeps
   * running) when the shutdown is cancelled by SHUTDOWN ABORT or a failed final save.
   */
  request(options: ShutdownOptions): Promise<void> {
    if (this.current) return this.current.promise;
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<void>((ok, fail) => {
      resolve = ok;
      reject = fail;
    });
    const current: InProgress = { options, promise, resolve, reject, deadline: 0, finishing: false };
    this.current = current;
    const { server } = this;
    server.logger.warning('User requested shutdown...');
    const timeout = server.config.int('shutdown-timeout');
    if (!options.now && timeout !== 0 && this.replicas && !this.replicas.inSync()) {
      current.deadline = Date.now() + timeout * 1000;
      // Asking for ACKs moves the offset: not while a pause (CLIENT PAUSE, FAILOVER) promised
      // that it stays where it is.
      if (!server.pause.active) this.replicas.requestAcks();
      server.pause.start('write', Infinity, 'shutdown');
      server.logger.notice('Waiting for replicas before shutting down.');
    } else {
      void this.complete(current);
    }
    return promise;
  }

  /** serverCron's part: a waiting shutdown proceeds once the replicas caught up or time is up. */
  cron(): void {
    const current = this.current;
    if (!current || current.finishing) return;
    const inSync = this.replicas ? this.replicas.inSync() : true;
    if (inSync || Date.now() >= current.deadline) void this.complete(current);
  }

  /** abortShutdown (SHUTDOWN ABORT): false when there is no wait to abort. */
  abort(): boolean {
    const current = this.current;
    if (!current || current.finishing) return false;
    this.cancel(current);
    this.server.logger.notice('Shutdown manually aborted.');
    return true;
  }

  private async complete(current: InProgress): Promise<void> {
    current.finishing = true;
    this.replicas?.report();
    try {
      await this.finish(current.options);
    } catch {
      this.server.logger.warning('Errors trying to shut down the server. Check the logs for more information.');
      this.cancel(current);
      return;
    }
    current.resolve();
  }

  /** cancelShutdown: writes resume and whoever waits for this shutdown learns it failed. */
  private cancel(current: InProgress): void {
    this.current = null;
    this.server.pause.end('shutdown');
    current.reject(new ShutdownCancelled());
  }
}
