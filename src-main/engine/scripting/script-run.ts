// One script invocation (Redis's script.c scriptRunCtx): who called it, the client its commands
// run as, its flags, and redis.call's path through the checks Redis makes before a command runs
// from a script (scriptCall), then through the ordinary executor, so the command is counted,
// slow-logged and propagated like any other. The commands' effects are collected by the core's
// propagation into the caller's unit: a script replicates as the writes it made (wrapped in
// MULTI/EXEC when there are several), never as EVAL, as in Redis 7.0.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { arityMatches } from '../core/command-table.js';
import { call } from '../core/executor.js';
import { PROPAGATE_AOF, PROPAGATE_REPL } from '../core/propagation.js';
import type { ScriptFlags } from './shebang.js';

/** What a run needs to know about the node's state beyond the core (set by the composition root). */
export interface ScriptHost {
  /** A replica with replica-read-only yes (writes from a script are refused). */
  readOnlyReplica(): boolean;
  /** A replica whose link is down with replica-serve-stale-data no. */
  staleReplica(): boolean;
  /** The MISCONF error refusing writes after a failed save, or null. */
  diskError(): string | null;
}

export { PROPAGATE_AOF, PROPAGATE_REPL };

/** A refusal, or the command's reply: a view of the script client's buffer, to read before its next command. */
export type CallOutcome = { error: string } | { reply: Buffer };

const EMPTY = Buffer.alloc(0);

export class ScriptRun {
  /** RESP version the script's commands reply in (redis.setresp); 2 at the start of each run. */
  resp: 2 | 3 = 2;
  /** redis.set_repl: where the script's writes go. */
  repl = PROPAGATE_AOF | PROPAGATE_REPL;
  /** The script already ran a write command (SCRIPT KILL then refuses: UNKILLABLE). */
  writeDirty = false;
  /** SCRIPT KILL / FUNCTION KILL asked for its end (SCRIPT_KILLED). */
  killed = false;
  /** Past busy-reply-threshold: other clients get BUSY (SCRIPT_TIMEDOUT). */
  timedOut = false;
  /** It may go on in later event-loop turns once past the threshold (see script-invoke.ts). */
  deferrable = false;
  /** The node shut down under it: it is dropped where it stands. */
  abandoned = false;
  /** The caller's command (FUNCTION STATS shows it). */
  commandArgv: BinaryString[] = [];
  readonly startedAt = performance.now();
  /** When it last went on after a yield (script-timeout.ts). */
  sliceStartedAt = 0;
  /** When the timeout hook last ran (script-timeout.ts nudgeTimeoutHook). */
  hookRanAt = this.startedAt;

  constructor(
    readonly caller: Client,
    /** The script client (Redis's lua_client): a socket-less client the commands run as. */
    readonly client: Client,
    readonly host: ScriptHost,
    /** f_<sha> for EVAL, the function's name for FCALL (error texts). */
    readonly name: string,
    readonly readOnly: boolean,
    readonly evalMode: boolean,
    readonly flags: ScriptFlags,
  ) {
    client.db = caller.db;
    client.user = caller.user;
    client.authenticated = true;
    client.isMaster = caller.isMaster;
    client.isAofReplay = caller.isAofReplay;
    client.denyBlocking = true;
    client.reply.protocol = 2;
  }

  /** scriptCall: runs argv as the script client; the reply bytes, or why it was refused. */
  call(argv: BinaryString[]): CallOutcome {
    const client = this.client;
    const server = client.server;
    const command = server.commands.lookup(argv);
    if (!command || !arityMatches(command, argv.length)) {
      return { error: command ? 'Wrong number of args calling Redis command from script' : 'Unknown Redis command called from script' };
    }
    // DEBUG SET-DISABLE-DENY-SCRIPTS lets tests call noscript commands from a script.
    if (command.flags.includes('noscript') && !server.debugKnobs.disableDenyScripts) {
      return { error: 'This Redis command is not allowed from script' };
    }
    if (this.host.staleReplica() && !command.flags.includes('stale')) return { error: 'Can not execute the command on a stale replica' };
    const denied = server.accessControl.check(client, command, argv);
    if (denied !== null) return { error: aclError(denied) };
    const isWrite = command.flags.includes('write');
    if (isWrite) {
      if (this.readOnly) return { error: 'Write commands are not allowed from read-only scripts.' };
      if (this.host.readOnlyReplica() && !this.caller.isMaster && !this.caller.isAofReplay) {
        return { error: "-READONLY You can't write against a read only replica." };
      }
      const disk = this.host.diskError();
      if (disk !== null) return { error: `-${disk}` };
    }
    // scriptVerifyOOM: out of memory when the script started, a denyoom command is refused unless
    // the script already wrote (it cannot stop halfway), has allow-oom, or its caller must be obeyed.
    if (!this.flags.allowOom) {
      const oom = server.eviction.scriptOomError(command, this.writeDirty, this.caller.isMaster || this.caller.isAofReplay);
      if (oom !== null) return { error: `-${oom}` };
    }
    if (isWrite) this.writeDirty = true;
    // The caller's database may have changed through SELECT inside the script; it is the script
    // client's own (Redis selects the caller's only when the run starts).
    // After redis.set_repl, the command's effects go only where the script asked.
    const frame = this.repl === (PROPAGATE_AOF | PROPAGATE_REPL) ? null : server.propagation.begin();
    call(client, command, argv);
    if (frame !== null) server.propagation.endTargeted(frame, this.repl);
    return { reply: client.reply.takeView() ?? EMPTY };
  }
}

/** scriptVerifyACL's texts, by what the ACLs refused. */
function aclError(noperm: string): string {
  if (noperm.includes(' key'))
    return "The user executing the script can't access at least one of the keys mentioned in the command arguments";
  if (noperm.includes(' channel')) return "The user executing the script can't publish to the channel mentioned in the command";
  return "The user executing the script can't run this command or subcommand";
}
