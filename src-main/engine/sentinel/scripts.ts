// The notification and client-reconfig scripts (sentinel.c's "script execution" part).
//
//   notification-script      run for every WARNING-level event about a master or one of its
//                            instances, with two arguments: the event type and its message
//   client-reconfig-script   run when a master's address changes: by the failover leader once it
//                            promoted the replica, and by every other Sentinel when a hello
//                            tells it the new address; arguments
//                            <master-name> <leader|observer> start <from-ip> <from-port> <to-ip> <to-port>
//
// Jobs wait in a queue (at most 256; a new one pushes out the oldest that is not running), at
// most 16 run at once, each for at most script-max-runtime (then SIGKILL). A script that exits
// with 1 or dies from a signal is retried after script-retry-delay, doubled at every further
// retry, up to 10 runs; any other non-zero end is reported as -script-error. A path that cannot
// be executed counts as exit code 2 (never retried), as Redis's child does when execve fails.
// The timer calls run() every tick; ends are seen when the child exits (Redis polls wait3).
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Client } from '../core/client.js';

const MAX_QUEUE = 256;
const MAX_RUNNING = 16;
const MAX_RETRY = 10;
/** Redis passes at most 16 argv entries, the path included. */
const MAX_ARGS = 16;

interface ScriptJob {
  argv: string[];
  running: boolean;
  /** When it started (running), or when a retry may start (waiting; 0: at once). */
  startTime: number;
  retryNum: number;
  pid: number;
  child: ChildProcess | null;
}

export interface ScriptHost {
  /** sentinelEvent for the queue's own events (no instance: they never trigger a script). */
  event(level: 'warning' | 'debug', type: string, message: string): void;
  readonly timers: { scriptMaxRuntime: number; scriptRetryDelay: number };
}

export class ScriptQueue {
  private readonly jobs: ScriptJob[] = [];
  private running = 0;

  constructor(private readonly host: ScriptHost) {}

  /** sentinelScheduleScriptExecution. */
  schedule(path: string, ...args: string[]): void {
    this.jobs.push({
      argv: [path, ...args].slice(0, MAX_ARGS),
      running: false,
      startTime: 0,
      retryNum: 0,
      pid: 0,
      child: null,
    });
    if (this.jobs.length > MAX_QUEUE) {
      const oldest = this.jobs.findIndex((job) => !job.running);
      if (oldest >= 0) this.jobs.splice(oldest, 1);
    }
  }

  /** sentinelRunPendingScripts and sentinelKillTimedoutScripts, once per timer tick. */
  run(): void {
    const now = Date.now();
    for (const job of this.jobs) {
      if (this.running >= MAX_RUNNING) break;
      if (job.running || (job.startTime && job.startTime > now)) continue;
      this.start(job);
    }
    for (const job of this.jobs) {
      if (job.running && job.child && now - job.startTime > this.host.timers.scriptMaxRuntime) {
        this.host.event('warning', '-script-timeout', `${job.argv[0]} ${job.pid}`);
        job.child.kill('SIGKILL');
      }
    }
  }

  /** Stops every running script (the Sentinel is shutting down). */
  stop(): void {
    for (const job of this.jobs) job.child?.kill('SIGKILL');
    this.jobs.length = 0;
    this.running = 0;
  }

  /** SENTINEL PENDING-SCRIPTS. */
  reply(client: Client): void {
    const now = Date.now();
    client.reply.arrayHeader(this.jobs.length);
    for (const job of this.jobs) {
      client.reply.mapHeader(5);
      client.reply.bulk('argv');
      client.reply.arrayHeader(job.argv.length);
      for (const arg of job.argv) client.reply.bulk(arg);
      client.reply.bulk('flags');
      client.reply.bulk(job.running ? 'running' : 'scheduled');
      client.reply.bulk('pid');
      client.reply.bulk(String(job.pid));
      if (job.running) {
        client.reply.bulk('run-time');
        client.reply.bulk(String(now - job.startTime));
      } else {
        client.reply.bulk('run-delay');
        client.reply.bulk(String(job.startTime ? Math.max(0, job.startTime - now) : 0));
      }
      client.reply.bulk('retry-num');
      client.reply.bulk(String(job.retryNum));
    }
  }

  private start(job: ScriptJob): void {
    job.running = true;
    job.startTime = Date.now();
    job.retryNum++;
    this.running++;
    let child: ChildProcess;
    try {
      child = spawn(job.argv[0]!, job.argv.slice(1), { stdio: 'ignore' });
    } catch {
      this.ended(job, 2, 0);
      return;
    }
    job.child = child;
    job.pid = child.pid ?? 0;
    if (job.pid) this.host.event('debug', '+script-child', String(job.pid));
    // A path that cannot be executed: Redis's child exits with 2 when execve fails.
    child.once('error', () => this.ended(job, 2, 0));
    child.once('exit', (code, signal) => this.ended(job, code ?? 0, signal ? (constants.signals[signal] ?? 1) : 0));
  }

  /** sentinelCollectTerminatedScripts for one job. */
  private ended(job: ScriptJob, exitCode: number, bySignal: number): void {
    if (!job.running || !this.jobs.includes(job)) return;
    this.host.event('debug', '-script-child', `${job.pid} ${exitCode} ${bySignal}`);
    job.child = null;
    if ((bySignal || exitCode === 1) && job.retryNum !== MAX_RETRY) {
      job.running = false;
      job.pid = 0;
      job.startTime = Date.now() + this.retryDelay(job.retryNum);
      this.running--;
      return;
    }
    if (bySignal || exitCode !== 0) this.host.event('warning', '-script-error', `${job.argv[0]} ${bySignal} ${exitCode}`);
    this.jobs.splice(this.jobs.indexOf(job), 1);
    this.running--;
  }

  /** sentinelScriptRetryDelay: the retry delay, doubled for every retry after the first. */
  private retryDelay(retryNum: number): number {
    let delay = this.host.timers.scriptRetryDelay;
    while (retryNum-- > 1) delay *= 2;
    return delay;
  }
}
