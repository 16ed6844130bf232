// A run's call into Lua (script_lua.c luaCallFunction), shared by EVAL and FCALL: the arguments
// (EVAL: KEYS and ARGV as globals; a function: the keys and args tables as its two arguments),
// the call under Redis's error handler, then the caller's reply: the converted result, or the
// error with where it happened ("... script: <name>, on @user_script:1.").
//
// Scripts past busy-reply-threshold. Redis's count hook (luaMaskCountHook) re-enters the event
// loop from inside the script so that other clients get -BUSY and may send SCRIPT KILL. Fengari
// runs on the node's only thread and a JavaScript function cannot serve the event loop and come
// back, so a script runs as a Lua coroutine instead (one per Lua state, reused), with a count
// hook every HOOK_COUNT instructions (script-timeout.ts). Once past the threshold the hook yields
// the coroutine (Lua 5.3 lets a count hook yield with no values); EVAL's handler then returns
// with its call() deferred (core/yielding-command.ts), the event loop serves the other clients,
// and setImmediate resumes the script where it stood. Its reply and the end of its call()
// (propagation of its writes as one unit, stats, the caller's next commands) come when it ends.
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import { canDeferCall, deferCall } from '../core/executor.js';
import type { DeferredCall } from '../core/yielding-command.js';
import type { ArrayGlobal, Sandbox } from './lua-sandbox.js';
import { lua, lauxlib, luaText, pushBinary, refillArray, toBinary, type LuaState } from './lua-vm.js';
import { replyScriptError, replyWithLuaValue } from './lua-to-reply.js';
import type { ScriptRun } from './script-run.js';
import { armTimeoutHook, type ScriptThread } from './script-timeout.js';

/** Runs the function registered as `ref` for `run`; the reply goes to the run's caller. */
export function invoke(
  sandbox: Sandbox,
  ctx: { run: ScriptRun | null },
  run: ScriptRun,
  ref: number,
  keys: BinaryString[],
  args: BinaryString[],
): void {
  const { L, globalsRef, errorHandlerRef } = sandbox;
  const caller = run.caller;
  // The script's writes propagate as themselves; EVAL's or FCALL's own argv never does.
  caller.server.propagation.prevent();
  if (run.evalMode) {
    setArrayGlobal(L, globalsRef, sandbox.keys, keys);
    setArrayGlobal(L, globalsRef, sandbox.argv, args);
  }
  const thread = scriptThread(sandbox, ctx, run);
  const co = thread.co;
  // xpcall(f, handler, ...): the error handler runs where the error was raised, on the coroutine.
  lua.lua_rawgeti(co, lua.LUA_REGISTRYINDEX, sandbox.xpcallRef);
  lua.lua_rawgeti(co, lua.LUA_REGISTRYINDEX, ref);
  lua.lua_rawgeti(co, lua.LUA_REGISTRYINDEX, errorHandlerRef);
  if (!run.evalMode) {
    pushArray(co, keys);
    pushArray(co, args);
  }
  run.deferrable = canDeferCall(caller);
  ctx.run = run;
  step(sandbox, ctx, run, thread, run.evalMode ? 2 : 4, null);
}

/** Runs the coroutine until it ends or yields; on a yield, goes on in the next event-loop turn. */
function step(
  sandbox: Sandbox,
  ctx: { run: ScriptRun | null },
  run: ScriptRun,
  thread: ScriptThread,
  nargs: number,
  deferred: DeferredCall | null,
): void {
  const co = thread.co;
  let status: number;
  try {
    status = lua.lua_resume(co, sandbox.L, nargs);
  } catch (err) {
    // Not a Lua error (those end up in status): a bug. The thread is in no state to be reused.
    discardThread(sandbox);
    ctx.run = null;
    endRun(run);
    if (deferred === null) throw err;
    run.caller.server.logger.warning(`Error running script ${run.name}: ${(err as Error).stack ?? err}`);
    run.caller.reply.error(`ERR internal error running script ${run.name}: ${(err as Error).message}`);
    deferred.finish();
    return;
  }
  if (status === lua.LUA_YIELD && !thread.hookYielded) {
    // The script called coroutine.yield() outside any coroutine of its own: in Redis's Lua that is
    // an error (its text, without the line), and this coroutine cannot go on as if nothing happened.
    lua.lua_settop(co, 0);
    discardThread(sandbox);
    ctx.run = null;
    run.caller.reply.error(`ERR attempt to yield across metamethod/C-call boundary script: ${run.name}`);
    endRun(run);
    deferred?.finish();
    return;
  }
  if (status === lua.LUA_YIELD) {
    // Only the timeout hook yields the script's own coroutine, and only when run.deferrable.
    thread.hookYielded = false;
    const later = deferred ?? deferCall(run.caller);
    setImmediate(() => {
      if (run.abandoned) return; // the node shut down (SHUTDOWN NOSAVE): nothing more is sent
      step(sandbox, ctx, run, thread, 0, later);
    });
    return;
  }
  ctx.run = null;
  const caller = run.caller;
  if (status === lua.LUA_OK) {
    // xpcall's results: true and the script's first value, or false and the handler's error.
    const ok = lua.lua_toboolean(co, 1);
    lua.lua_settop(co, 2);
    if (ok) replyWithLuaValue(co, caller.reply, run.resp);
    else replyRunError(co, caller, run.name);
    lua.lua_settop(co, 0);
  } else {
    // The coroutine itself died (an error in the error handler, a stack overflow): its message is
    // on top; the thread cannot run again.
    replyRunError(co, caller, run.name);
    discardThread(sandbox);
  }
  endRun(run);
  deferred?.finish();
}

/**
 * scriptResetRun: a timed-out script gives the node back to the other clients, unless EXEC ran it:
 * the rest of the transaction runs first, and EXEC's end gives the node back (Transactions).
 */
function endRun(run: ScriptRun): void {
  const server = run.caller.server;
  const yielding = server.yielding;
  if (run.timedOut && yielding.caller === run.caller && !server.transactions.executing) yielding.end();
}

/** The state's coroutine, made on first use and again after one died. */
function scriptThread(sandbox: Sandbox, ctx: { run: ScriptRun | null }, run: ScriptRun): ScriptThread {
  let thread = sandbox.thread;
  if (thread === null) {
    const L = sandbox.L;
    const co = lua.lua_newthread(L);
    // Anchored in the registry so that it is never collected while the state lives.
    const ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    thread = { co, ref, killMode: false, hook: null, hookYielded: false };
    sandbox.thread = thread;
  }
  armTimeoutHook(thread, ctx, run.caller.server);
  return thread;
}

function discardThread(sandbox: Sandbox): void {
  const thread = sandbox.thread;
  if (thread === null) return;
  lauxlib.luaL_unref(sandbox.L, lua.LUA_REGISTRYINDEX, thread.ref);
  sandbox.thread = null;
}

function pushArray(L: LuaState, items: BinaryString[]): void {
  lua.lua_createtable(L, items.length, 0);
  for (let i = 0; i < items.length; i++) {
    pushBinary(L, items[i]!);
    lua.lua_rawseti(L, -2, i + 1);
  }
}

/**
 * Sets EVAL's KEYS or ARGV global to the array `items`. Redis 7.0 makes two new tables per run
 * (luaCreateArray); making them and setting the globals was one of the larger costs of a small EVALSHA
 * here. So the table of the previous run is refilled instead, when refillArray finds it untouched
 * as an array (no metatable, nothing but t[1..m] in order): then the script sees exactly what a
 * new table would hold, in the same `next` order. A table the previous script changed in any
 * other way (a field, a hole, a metatable) is dropped and a new one made, as Redis would. What
 * remains visible is identity: a script holding the previous run's table would see it refilled.
 * It cannot hold one: everything a run can reach that outlives it is read-only (the globals and
 * libraries), except by rawset on those read-only views, which Redis refuses outright (see
 * lua-sandbox.ts); and tostring(KEYS) may show the same address in consecutive runs, as a
 * reused allocation can in Redis.
 */
function setArrayGlobal(L: LuaState, globalsRef: number, global: ArrayGlobal, items: BinaryString[]): void {
  const reused = lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, global.tableRef) === lua.LUA_TTABLE && refillArray(L, items);
  lua.lua_pop(L, 1);
  if (reused) return;
  // rawset does what lua_setglobal would: the real globals' metatable has no __newindex.
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, globalsRef);
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, global.nameRef);
  pushArray(L, items);
  lua.lua_pushvalue(L, -1);
  lua.lua_rawseti(L, lua.LUA_REGISTRYINDEX, global.tableRef);
  lua.lua_rawset(L, -3);
  lua.lua_pop(L, 1);
}

/** The error of a failed run (on top of the stack) as the caller's reply, with where it happened. */
function replyRunError(L: LuaState, caller: Client, name: string): void {
  if (lua.lua_type(L, -1) !== lua.LUA_TTABLE) {
    const msg = toBinary(L, -1) ?? 'execution failure';
    caller.reply.error(`ERR Error running script ${name}, ${msg.slice(0, 100)}`.replace(/[\r\n]/g, ' '));
    return;
  }
  const fieldText = (field: string): string | null => {
    lua.lua_getfield(L, -1, luaText(field));
    const s = lua.lua_isstring(L, -1) ? toBinary(L, -1) : null;
    lua.lua_pop(L, 1);
    return s;
  };
  const msg = fieldText('err') ?? '';
  const source = fieldText('source');
  const line = fieldText('line');
  lua.lua_getfield(L, -1, luaText('ignore_error_stats_update'));
  const counted = lua.lua_toboolean(L, -1);
  lua.lua_pop(L, 1);
  const where = source !== null && line !== null ? ` script: ${name}, on ${source}:${line}.` : '';
  replyScriptError(caller.reply, msg + where, counted);
}
