// A run's call into Lua (script_lua.c luaCallFunction), shared by EVAL and FCALL: the arguments
// (EVAL: KEYS and ARGV as globals; a function: the keys and args tables as its two arguments),
// the call under Redis's error handler, then the caller's reply: the converted result, or the
// error with where it happened ("... script: <name>, on @user_script:1.").
import type { BinaryString } from '../protocol/request-parser.js';
import type { Client } from '../core/client.js';
import type { Sandbox } from './lua-sandbox.js';
import { lua, luaBytes, luaText, toBinary, type LuaState } from './lua-vm.js';
import { replyScriptError, replyWithLuaValue } from './lua-to-reply.js';
import type { ScriptRun } from './script-run.js';

const KEYS = luaText('KEYS');
const ARGV = luaText('ARGV');

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
  const base = lua.lua_gettop(L);
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, errorHandlerRef);
  if (run.evalMode) {
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, globalsRef);
    pushArray(L, keys);
    lua.lua_setfield(L, -2, KEYS);
    pushArray(L, args);
    lua.lua_setfield(L, -2, ARGV);
    lua.lua_pop(L, 1);
  }
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
  if (!run.evalMode) {
    pushArray(L, keys);
    pushArray(L, args);
  }
  ctx.run = run;
  let status: number;
  try {
    status = lua.lua_pcall(L, run.evalMode ? 0 : 2, 1, base + 1);
  } catch (err) {
    lua.lua_settop(L, base);
    throw err;
  } finally {
    ctx.run = null;
  }
  if (status !== lua.LUA_OK) replyRunError(L, caller, run.name);
  else replyWithLuaValue(L, caller.reply, run.resp);
  lua.lua_settop(L, base);
}

function pushArray(L: LuaState, items: BinaryString[]): void {
  lua.lua_createtable(L, items.length, 0);
  for (let i = 0; i < items.length; i++) {
    lua.lua_pushstring(L, luaBytes(items[i]!));
    lua.lua_rawseti(L, -2, i + 1);
  }
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
