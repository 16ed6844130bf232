// The Lua world a script runs in, as Redis 7.0 builds it (script_lua.c luaRegisterRedisAPI, eval.c
// scriptingInit): the base, table, string, math, coroutine libraries, cjson/cmsgpack/bit/struct
// (libraries/), the `redis` table (redis-api.ts), Redis's own pcall and error handler, and no
// os, io, print, dofile, loadfile, require or debug.
//
// Redis makes the globals and every library table read-only and makes a read of a missing global
// an error. Lua 5.3 has no read-only tables, so scripts see proxies: `_G` (the chunk's _ENV) and
// each library are empty tables whose metatable reads through to the real table and refuses
// writes, with Redis's messages. What a script could still do that Redis refuses: rawset on a
// proxy, which is no risk to the real tables the next script sees.
//
// Lua 5.1 names Redis exposes and 5.3 lacks are provided: unpack, loadstring, gcinfo,
// table.getn/setn/maxn/foreach/foreachi, math.pow/mod/log10/ldexp/frexp/cosh, string.gfind;
// table.pack/unpack, rawlen and utf8 are hidden as they are not in 5.1.
import { getHeapStatistics } from 'node:v8';
import { collectGarbage } from '../keyspace/used-memory.js';
import { lua, lauxlib, lualib, luaText, pushText, type LuaState, type LuaJsFunction } from './lua-vm.js';
import type { ScriptThread } from './script-timeout.js';

/** The Lua side of the sandbox, run once per state after the libraries are opened. */
const SANDBOX_LUA = String.raw`
local G, libs, api = ...
local error, rawget, setmetatable, type, tostring, pairs, next = error, rawget, setmetatable, type, tostring, pairs, next
-- Lua 5.1 names.
G._VERSION = 'Lua 5.1'
G.unpack = table.unpack
G.loadstring = function(s, name) return load(s, name) end
G.gcinfo = function() return math.floor(collectgarbage('count')) end
table.getn = function(t) return #t end
table.setn = function() error('setn is obsolete', 2) end
table.maxn = function(t) local m = 0 for k in pairs(t) do if type(k) == 'number' and k > m then m = k end end return m end
table.foreach = function(t, f) for k, v in pairs(t) do local r = f(k, v) if r ~= nil then return r end end end
table.foreachi = function(t, f) for i = 1, #t do local r = f(i, t[i]) if r ~= nil then return r end end end
table.pack, table.unpack = nil, nil
math.pow = function(x, y) return x ^ y end
math.mod = math.fmod
math.log10 = function(x) return math.log(x, 10) end
math.ldexp = function(m, e) return m * 2.0 ^ e end
math.frexp = function(x)
  if x == 0 or x ~= x or x == math.huge or x == -math.huge then return x, 0 end
  local e = math.floor(math.log(math.abs(x), 2)) + 1
  local m = x / 2.0 ^ e
  if math.abs(m) >= 1 then m, e = m / 2, e + 1 elseif math.abs(m) < 0.5 then m, e = m * 2, e - 1 end
  return m, e
end
math.cosh = function(x) return (math.exp(x) + math.exp(-x)) / 2 end
math.sinh = function(x) return (math.exp(x) - math.exp(-x)) / 2 end
math.tanh = function(x) local a, b = math.exp(x), math.exp(-x) return (a - b) / (a + b) end
math.atan2 = math.atan
local floor, ceil, tointeger = math.floor, math.ceil, math.tointeger
-- Lua 5.1 numbers are doubles: math.floor and math.ceil return doubles, not 32-bit integers.
math.floor = function(x) return floor(x) + 0.0 end
math.ceil = function(x) return ceil(x) + 0.0 end
math.type, math.tointeger, math.ult, math.maxinteger, math.mininteger = nil, nil, nil, nil, nil
string.gfind = string.gmatch
string.pack, string.unpack, string.packsize = nil, nil, nil
for k in pairs(api) do G[k] = api[k] end
G.print, G.dofile, G.loadfile, G.require, G.rawlen, G.utf8, G.package = nil, nil, nil, nil, nil, nil, nil

-- Numbers print as %.14g: concatenation does (see lua-vm.ts), fengari's tostring does not.
local rawtostring = tostring
G.tostring = function(...)
  local v = ...
  if type(v) == 'number' then return v .. '' end
  return rawtostring(...)
end

-- Lua 5.1's error() adds the position to a number message too.
local rawerror = error
G.error = function(m, level)
  level = level or 1
  if type(m) == 'number' then m = tostring(m) end
  return rawerror(m, level > 0 and level + 1 or level)
end

-- Redis's pcall: an error raised as a table with an 'err' field comes back as that string.
local rawpcall = pcall
local function strip(ok, err, ...)
  if not ok and type(err) == 'table' then
    local e = rawget(err, 'err')
    if type(e) == 'string' or type(e) == 'number' then return false, e end
  end
  return ok, err, ...
end
G.pcall = function(f, ...) return strip(rawpcall(f, ...)) end

-- Read-only views.
local function readonly() error('Attempt to modify a readonly table', 2) end
local real = setmetatable({}, { __mode = 'k' })
local function view(t)
  local v = {}
  real[v] = t
  local mt = { __index = t, __newindex = readonly, __len = function() return #t end,
    __pairs = function() return next, t, nil end, __metatable = false }
  return setmetatable(v, mt), mt
end
for _, name in ipairs(libs) do G[name] = view(G[name]) end
setmetatable(G, { __index = function(_, k)
  error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
end })
local env, envMeta = view(G)
G._G = env
-- rawget sees through the views, as it sees Redis's read-only tables.
G.rawget = function(t, k) return rawget(real[t] or t, k) end
return env, envMeta
`;

/** The error handler every script runs under (eval.c's __redis__err__handler, 7.0). */
const ERROR_HANDLER_LUA = String.raw`
local dbg = ...
return function(err)
  -- Where the script was: past the function that raised the error when it is not the script's
  -- (a JavaScript function such as redis.call, or the sandbox's own Lua helpers).
  local level = 2
  local i = dbg.getinfo(level, 'nSl')
  while i and (i.what == 'C' or i.what == 'J' or i.source == '@sandbox_def') do
    level = level + 1
    i = dbg.getinfo(level, 'nSl')
  end
  if type(err) == 'string' then
    -- Lua 5.1's wording of type errors: "attempt to index local 't' (a nil value)".
    err = err:gsub("attempt to (.-) a (%w+) value %((%w+) '(.-)'%)", "attempt to %1 %3 '%4' (a %2 value)")
  end
  if type(err) ~= 'table' then err = { err = 'ERR ' .. tostring(err) } end
  if i then
    err.source = i.source
    err.line = i.currentline
  end
  return err
end
`;

export interface Sandbox {
  L: LuaState;
  /** Registry reference of the environment scripts run in (the read-only `_G`). */
  envRef: number;
  /** Registry reference of the environment's metatable (its __index is where reads go). */
  envMetaRef: number;
  /** Registry reference of the error handler. */
  errorHandlerRef: number;
  /** Registry reference of the real globals table (KEYS and ARGV are set there). */
  globalsRef: number;
  /** Registry reference of the base library's xpcall, which runs each script under the error handler. */
  xpcallRef: number;
  /** EVAL's KEYS and ARGV globals (script-invoke.ts). */
  keys: ArrayGlobal;
  argv: ArrayGlobal;
  /** The coroutine scripts run in (script-invoke.ts), made on first use. */
  thread: ScriptThread | null;
  /** The V8 heap a freshly built state takes (see freshStateBytes). */
  heapBytes: number;
}

/** A global holding an array that EVAL sets before each run. */
export interface ArrayGlobal {
  /** Registry reference of its name as a Lua string: made once, not per run. */
  nameRef: number;
  /** Registry reference of the table the global holds now (false until the first run sets it). */
  tableRef: number;
}

/**
 * The V8 heap one freshly built state keeps alive (its standard libraries, cjson/cmsgpack/bit/
 * struct, the sandbox): the base of INFO's used_memory_vm_* figures. fengari's Lua objects are JS
 * objects that no Lua collector counts (its LUA_GCCOUNT is not kept), so the heap is what can be
 * measured. Every state is built by the same code, so the first one in a thread (an isolate) is
 * measured and the figure serves the others.
 */
let freshStateBytes: number | null = null;

/**
 * Builds a state: `api` are the extra globals (the `redis` table and the libraries), each pushed
 * by its function and made read-only like the standard libraries; `prepare` runs once the
 * standard libraries are open (Redis replaces math.random there).
 */
export function createSandbox(api: Record<string, (L: LuaState) => void>, prepare: (L: LuaState) => void = () => {}): Sandbox {
  // The first state built in this thread is measured: full collections before and after it, so
  // that the difference is what the state keeps alive, not garbage.
  const measuring = freshStateBytes === null;
  if (measuring) collectGarbage();
  const heapBefore = getHeapStatistics().used_heap_size;
  const L = lauxlib.luaL_newstate();
  const open: [string, LuaJsFunction][] = [
    ['_G', lualib.luaopen_base],
    ['table', lualib.luaopen_table],
    ['string', lualib.luaopen_string],
    ['math', lualib.luaopen_math],
    ['coroutine', lualib.luaopen_coroutine],
    ['debug', lualib.luaopen_debug],
  ];
  for (const [name, fn] of open) {
    lauxlib.luaL_requiref(L, luaText(name), fn, 1);
    lua.lua_pop(L, 1);
  }
  prepare(L);
  lua.lua_getglobal(L, luaText('xpcall'));
  const xpcallRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  // The error handler keeps the debug library; scripts do not get it.
  load(L, ERROR_HANDLER_LUA, '@err_handler_def');
  lua.lua_getglobal(L, luaText('debug'));
  call(L, 1, 1);
  const errorHandlerRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  lua.lua_pushnil(L);
  lua.lua_setglobal(L, luaText('debug'));

  load(L, SANDBOX_LUA, '@sandbox_def');
  lua.lua_getglobal(L, luaText('_G'));
  lua.lua_pushvalue(L, -1);
  const globalsRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  const libs = ['string', 'math', 'table', 'coroutine', ...Object.keys(api)];
  lua.lua_createtable(L, libs.length, 0);
  libs.forEach((name, i) => {
    lua.lua_pushstring(L, luaText(name));
    lua.lua_rawseti(L, -2, i + 1);
  });
  lua.lua_createtable(L, 0, 0);
  for (const [name, push] of Object.entries(api)) {
    push(L);
    lua.lua_setfield(L, -2, luaText(name));
  }
  call(L, 3, 2);
  const envMetaRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  const envRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  // Redis keeps its error handler as a global.
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, globalsRef);
  lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, errorHandlerRef);
  lua.lua_setfield(L, -2, luaText('__redis__err__handler'));
  lua.lua_pop(L, 1);
  if (measuring) {
    collectGarbage();
    freshStateBytes = Math.max(getHeapStatistics().used_heap_size - heapBefore, 0);
  }
  return {
    L,
    envRef,
    envMetaRef,
    errorHandlerRef,
    globalsRef,
    xpcallRef,
    keys: arrayGlobal(L, 'KEYS'),
    argv: arrayGlobal(L, 'ARGV'),
    thread: null,
    heapBytes: freshStateBytes!,
  };
}

function arrayGlobal(L: LuaState, name: string): ArrayGlobal {
  pushText(L, name);
  const nameRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  lua.lua_pushboolean(L, false);
  return { nameRef, tableRef: lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX) };
}

function load(L: LuaState, source: string, name: string): void {
  if (lauxlib.luaL_loadbuffer(L, luaText(source), null, luaText(name)) !== lua.LUA_OK) {
    throw new Error(`scripting sandbox: ${String(lua.lua_tolstring(L, -1))}`);
  }
}

function call(L: LuaState, nargs: number, nresults: number): void {
  if (lua.lua_pcall(L, nargs, nresults, 0) !== lua.LUA_OK) {
    const message = lua.lua_tolstring(L, -1);
    throw new Error(`scripting sandbox: ${message ? Buffer.from(message).toString() : 'error'}`);
  }
}
