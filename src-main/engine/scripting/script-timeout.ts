// Scripts that run too long (script.c scriptInterrupt, script_lua.c luaMaskCountHook, scriptKill):
// the count hook on the script's coroutine, the BUSY texts, and SCRIPT KILL / FUNCTION KILL.
// How a script goes on across event-loop turns is in script-invoke.ts.
import type { Client } from '../core/client.js';
import type { Server } from '../core/server.js';
import { lua, type LuaState } from './lua-vm.js';
import { pushErrorTable } from './resp-to-lua.js';
import type { ScriptRun } from './script-run.js';

/** shared.slowevalerr and shared.slowscripterr, without the leading '-'. */
export const SLOW_EVAL_ERROR = 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';
export const SLOW_SCRIPT_ERROR = 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.';

/**
 * Instructions between two calls of the hook. Redis uses 100000, well under a millisecond in C; in
 * fengari that is tens of milliseconds, and a script that mostly calls redis.call runs few
 * instructions per second of work, so the hook comes ten times as often (it costs one clock read).
 */
const HOOK_COUNT = 10000;
/** Once past the threshold, how long the script runs before it lets the event loop in again. */
const SLICE_MS = 5;

/** The coroutine scripts of one Lua state run in (see script-invoke.ts). */
export interface ScriptThread {
  co: LuaState;
  /** Its registry reference, which keeps it alive. */
  ref: number;
  /** A killed script left the hook on every line (see the hook); the next run resets it. */
  killMode: boolean;
  /** The installed hook, or null before the first run. */
  hook: ((L: LuaState) => void) | null;
  /** The last yield was the hook's (not the script's own coroutine.yield()). */
  hookYielded: boolean;
}

/** Installs the timeout hook on the thread for a new run (once, or again after a kill). */
export function armTimeoutHook(thread: ScriptThread, ctx: { run: ScriptRun | null }, server: Server): void {
  if (thread.hook !== null && !thread.killMode) return;
  thread.hook ??= makeHook(thread, ctx, server);
  lua.lua_sethook(thread.co, thread.hook, lua.LUA_MASKCOUNT, HOOK_COUNT);
  thread.killMode = false;
}

function makeHook(thread: ScriptThread, ctx: { run: ScriptRun | null }, server: Server): (L: LuaState) => void {
  const hook = (L: LuaState): void => {
    const run = ctx.run;
    if (run === null) return;
    run.hookRanAt = performance.now();
    // Brought forward by nudgeTimeoutHook: back to its usual period.
    if (!thread.killMode && lua.lua_gethookcount(L) !== HOOK_COUNT) lua.lua_sethook(L, hook, lua.LUA_MASKCOUNT, HOOK_COUNT);
    if (run.killed) {
      server.logger.warning('Lua script killed by user with SCRIPT KILL.');
      // On every line from now on, so that a pcall in the script cannot catch the error and go on.
      lua.lua_sethook(L, hook, lua.LUA_MASKLINE, 0);
      thread.killMode = true;
      pushErrorTable(L, 'Script killed by user with SCRIPT KILL...');
      lua.lua_error(L);
    }
    if (!run.timedOut) {
      const threshold = server.config.int('busy-reply-threshold');
      if (threshold <= 0) return;
      const elapsed = performance.now() - run.startedAt;
      if (elapsed < threshold) return;
      run.timedOut = true;
      server.logger.warning(
        `Slow script detected: still in execution after ${Math.floor(elapsed)} milliseconds. ` +
          `You can try killing the script using the ${run.evalMode ? 'SCRIPT KILL' : 'FUNCTION KILL'} command. Script name is: ${run.name}.`,
      );
      // A script EXEC runs, or one our master or the AOF sent, cannot be left for later: it runs
      // to its end with the node blocked (see README, scripting).
      if (run.deferrable) server.yielding.start(run.caller, run.evalMode ? SLOW_EVAL_ERROR : SLOW_SCRIPT_ERROR);
    }
    // Only the run's own coroutine yields: a coroutine the script made would return to the
    // script's coroutine.resume instead. Inside a JavaScript callback (table.sort's comparator,
    // gsub's function) a yield is impossible; the next hook call tries again.
    if (!run.deferrable || L !== thread.co || !lua.lua_isyieldable(L)) return;
    const now = performance.now();
    if (now - run.sliceStartedAt < SLICE_MS) return;
    run.sliceStartedAt = now;
    thread.hookYielded = true;
    lua.lua_yield(L, 0);
  };
  return hook;
}

/**
 * Called after each redis.call: a script that spends its time in commands runs few Lua instructions
 * between two calls of the count hook (a loop of redis.call('TIME') ran 200-300 ms), so BUSY,
 * SCRIPT KILL and the slices would come late. When the hook has not run for a slice, it is made to
 * run at the script's next instruction.
 */
export function nudgeTimeoutHook(L: LuaState, run: ScriptRun): void {
  if (performance.now() - run.hookRanAt < SLICE_MS || lua.lua_gethookmask(L) !== lua.LUA_MASKCOUNT) return;
  lua.lua_sethook(L, lua.lua_gethook(L), lua.LUA_MASKCOUNT, 1);
}

/** scriptKill: SCRIPT KILL (isEval) or FUNCTION KILL of the running script, if any. */
export function killScript(client: Client, run: ScriptRun | null, isEval: boolean): void {
  if (run === null) {
    client.reply.error('NOTBUSY No scripts in execution right now.');
    return;
  }
  if (run.caller.isMaster) {
    client.reply.error('UNKILLABLE The busy script was sent by a master instance in the context of replication and cannot be killed.');
  }
  if (run.writeDirty) {
    client.reply.error(
      'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the ' +
        'script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.',
    );
    return;
  }
  if (isEval && !run.evalMode) return client.reply.error(SLOW_SCRIPT_ERROR);
  if (!isEval && run.evalMode) return client.reply.error(SLOW_EVAL_ERROR);
  run.killed = true;
  client.reply.ok();
}
