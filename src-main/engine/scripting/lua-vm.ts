// The Lua virtual machine scripts run in: fengari (Lua 5.3 written in JavaScript, so it runs
// synchronously on the node's own thread and its strings are byte arrays, binary-safe like Redis's),
// configured to behave like the Lua 5.1 Redis embeds where scripts can tell the difference:
//
//  - Lua 5.1 has only doubles. Fengari's integers are 32-bit, so `1000000 * 3000` would wrap; every
//    number read from source text or converted from a string is made a float instead, and floats
//    with an integral value print without ".0" (LUA_COMPAT_FLOATSTRING), so `tostring(10/2)` is
//    "5" as in Redis.
//
// This module only loads and configures the VM and offers the few typed helpers the rest of
// scripting/ needs (binary strings in and out); what a script sees is set up by lua-sandbox.ts.
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import type { BinaryString } from '../protocol/request-parser.js';

/** A lua_State, opaque to us. */
export type LuaState = { readonly __luaState: unique symbol };
/** A Lua string as fengari keeps it: the bytes. */
export type LuaString = Uint8Array;
export type LuaJsFunction = (L: LuaState) => number;

/** The subset of fengari's C-like API scripting uses (fengari ships no type declarations). */
export interface LuaApi {
  LUA_OK: number;
  LUA_YIELD: number;
  LUA_TNIL: number;
  LUA_TBOOLEAN: number;
  LUA_TNUMBER: number;
  LUA_TSTRING: number;
  LUA_TTABLE: number;
  LUA_TFUNCTION: number;
  LUA_REGISTRYINDEX: number;
  LUA_MULTRET: number;
  LUA_MASKCOUNT: number;
  LUA_MASKLINE: number;
  lua_absindex(L: LuaState, idx: number): number;
  lua_checkstack(L: LuaState, n: number): boolean;
  lua_createtable(L: LuaState, narr: number, nrec: number): void;
  lua_error(L: LuaState): never;
  lua_getfield(L: LuaState, idx: number, k: LuaString): number;
  lua_getglobal(L: LuaState, name: LuaString): number;
  lua_gettop(L: LuaState): number;
  lua_insert(L: LuaState, idx: number): void;
  lua_isinteger(L: LuaState, idx: number): boolean;
  lua_isyieldable(L: LuaState): boolean;
  lua_gethook(L: LuaState): ((L: LuaState, ar: unknown) => void) | null;
  lua_gethookcount(L: LuaState): number;
  lua_gethookmask(L: LuaState): number;
  lua_newthread(L: LuaState): LuaState;
  lua_resume(L: LuaState, from: LuaState | null, nargs: number): number;
  lua_yield(L: LuaState, nresults: number): void;
  lua_isstring(L: LuaState, idx: number): boolean;
  lua_next(L: LuaState, idx: number): number;
  lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
  lua_pop(L: LuaState, n: number): void;
  lua_pushboolean(L: LuaState, b: boolean): void;
  lua_pushinteger(L: LuaState, n: number): void;
  lua_pushjsfunction(L: LuaState, f: LuaJsFunction): void;
  lua_pushnil(L: LuaState): void;
  lua_pushnumber(L: LuaState, n: number): void;
  lua_pushstring(L: LuaState, s: LuaString): void;
  lua_pushvalue(L: LuaState, idx: number): void;
  lua_rawget(L: LuaState, idx: number): number;
  lua_rawgeti(L: LuaState, idx: number, n: number): number;
  lua_rawlen(L: LuaState, idx: number): number;
  lua_rawset(L: LuaState, idx: number): void;
  lua_rawseti(L: LuaState, idx: number, n: number): void;
  lua_remove(L: LuaState, idx: number): void;
  lua_setfield(L: LuaState, idx: number, k: LuaString): void;
  lua_setglobal(L: LuaState, name: LuaString): void;
  lua_sethook(L: LuaState, hook: ((L: LuaState, ar: unknown) => void) | null, mask: number, count: number): void;
  lua_settable(L: LuaState, idx: number): void;
  lua_settop(L: LuaState, idx: number): void;
  lua_setupvalue(L: LuaState, funcindex: number, n: number): LuaString | null;
  lua_setmetatable(L: LuaState, idx: number): void;
  lua_toboolean(L: LuaState, idx: number): boolean;
  lua_tolstring(L: LuaState, idx: number): LuaString | null;
  lua_tonumber(L: LuaState, idx: number): number;
  lua_type(L: LuaState, idx: number): number;
}

export interface LuaAuxApi {
  luaL_newstate(): LuaState;
  luaL_loadbuffer(L: LuaState, buff: LuaString, size: number | null, name: LuaString): number;
  luaL_ref(L: LuaState, t: number): number;
  luaL_unref(L: LuaState, t: number, ref: number): void;
  luaL_requiref(L: LuaState, modname: LuaString, openf: LuaJsFunction, glb: number): void;
  luaL_error(L: LuaState, fmt: LuaString): never;
  luaL_checkinteger(L: LuaState, arg: number): number;
  luaL_argerror(L: LuaState, arg: number, extramsg: LuaString): never;
}

export interface LuaLibs {
  luaopen_base: LuaJsFunction;
  luaopen_table: LuaJsFunction;
  luaopen_string: LuaJsFunction;
  luaopen_math: LuaJsFunction;
  luaopen_debug: LuaJsFunction;
  luaopen_coroutine: LuaJsFunction;
}

interface NumberObject {
  ttisinteger(): boolean;
  setfltvalue(n: number): void;
  setsvalue(s: unknown): void;
  value: number;
}

/** The fields of fengari's lua_State the pcall patch reads (see loadFengari). */
interface FengariThread {
  allowhook: number | boolean;
  ci: { callstatus: number };
}

const encoder = new TextEncoder();

/** The hook Node's CommonJS loader calls to compile a .js file (what require hooks replace). */
type CompileJs = (module: { _compile(source: string, filename: string): void }, filename: string) => void;

/**
 * Every pop of fengari's value stack (its API, the VM, each function's return) was
 * `delete L.stack[i]`: a call into V8's runtime each time, and a holey array behind every stack
 * access. Dozens of them per EVALSHA. Assigning undefined reads the same everywhere (nothing in
 * fengari tells a hole from undefined) and stays on V8's fast path, so fengari's files are
 * compiled with that one change while `load` requires them. The pattern matching nothing (another
 * fengari version) only loses the speed.
 */
function withStackSlotsCleared<T>(require: NodeRequire, load: () => T): T {
  const srcDir = dirname(require.resolve('fengari')) + sep;
  const extensions = (Module as unknown as { _extensions: Record<string, CompileJs> })._extensions;
  const compileJs = extensions['.js']!;
  extensions['.js'] = (module, filename) => {
    if (!filename.startsWith(srcDir)) return compileJs(module, filename);
    let source: string;
    try {
      source = readFileSync(filename, 'utf8');
    } catch {
      return compileJs(module, filename); // a file only the loader itself can read: left as it is
    }
    module._compile(source.replace(/\bdelete ((?:L|from)\.stack\[[^\]\n]+\]);/g, '$1 = undefined;'), filename);
  };
  try {
    return load();
  } finally {
    extensions['.js'] = compileJs;
  }
}

function loadFengari(): { lua: LuaApi; lauxlib: LuaAuxApi; lualib: LuaLibs } {
  const require = createRequire(import.meta.url);
  return withStackSlotsCleared(require, () => loadConfiguredFengari(require));
}

function loadConfiguredFengari(require: NodeRequire): { lua: LuaApi; lauxlib: LuaAuxApi; lualib: LuaLibs } {
  // fengari reads its luaconf from this variable once, when first loaded; only for that moment.
  const previous = process.env.FENGARICONF;
  process.env.FENGARICONF = JSON.stringify({ LUA_COMPAT_FLOATSTRING: true });
  try {
    // A pcall inside a coroutine must remember whether hooks were allowed (Lua's setoah), so that
    // recovering from an error turns them back on. Fengari's lua_pcallk masks the bit instead of
    // setting it, so after any error caught by pcall or xpcall in a coroutine the count hook was
    // off for good: a script could no longer time out or be killed (script-timeout.ts). Patched
    // before lua.js copies the function (and the base library takes it from lua.js).
    // Every string fengari makes (lua_pushstring, lua_setfield's key, the lexer's) is a copy
    // through defs.luastring_from, which is Uint8Array.from: the generic iterator path, a few
    // hundred nanoseconds for a short string, paid several times per EVALSHA. The constructor
    // copies a typed array (or an array-like) to the same fresh Uint8Array with a plain memcpy.
    // lstring.js takes the function when it loads, so this must come before anything loads it.
    const defs = require('fengari/src/defs.js') as { luastring_from: (a: ArrayLike<number>) => Uint8Array };
    defs.luastring_from = (a) => new Uint8Array(a);
    // (Named parameters, not a rest array: every script run goes through it, under xpcall.)
    type PcallK = (L: FengariThread, nargs: number, nresults: number, errfunc: number, ctx: unknown, k: unknown) => number;
    const lapi = require('fengari/src/lapi.js') as { lua_pcallk: PcallK };
    const CIST_OAH = (require('fengari/src/lstate.js') as { CIST_OAH: number }).CIST_OAH;
    const pcallk = lapi.lua_pcallk;
    lapi.lua_pcallk = (L, nargs, nresults, errfunc, ctx, k) => {
      L.ci.callstatus = (L.ci.callstatus & ~CIST_OAH) | (L.allowhook ? CIST_OAH : 0);
      return pcallk(L, nargs, nresults, errfunc, ctx, k);
    };
    const fengari = require('fengari') as { lua: LuaApi; lauxlib: LuaAuxApi; lualib: LuaLibs };
    const lobject = require('fengari/src/lobject.js') as {
      luaO_str2num: (s: LuaString, o: NumberObject) => number;
      luaO_tostring: (L: LuaState, o: NumberObject) => void;
    };
    const lstring = require('fengari/src/lstring.js') as { luaS_bless: (L: LuaState, s: LuaString) => unknown };
    const blessString = lstring.luaS_bless;
    const pushString = (lobject as unknown as { pushsvalue2s: (L: LuaState, ts: unknown) => void }).pushsvalue2s;
    newString = (L, s) => blessString(L, s);
    pushOwnedString = (L, s) => pushString(L, blessString(L, s));
    // tostring() and `..` print numbers with LUA_NUMBER_FMT "%.14g"; fengari approximates it
    // with JavaScript's own printing (9007199254740992 where C prints 9.007199254741e+15).
    const tostring = lobject.luaO_tostring;
    lobject.luaO_tostring = (L, o) => {
      if (o.ttisinteger()) return tostring(L, o);
      o.setsvalue(lstring.luaS_bless(L, encoder.encode(formatG(o.value, 14))));
    };
    // The lexer, tonumber() and string coercion all go through luaO_str2num, read from the module
    // at each call, so this replacement reaches them: numbers come out as doubles, as in Lua 5.1.
    const str2num = lobject.luaO_str2num;
    lobject.luaO_str2num = (s, o) => {
      const size = str2num(s, o);
      if (size !== 0 && o.ttisinteger()) o.setfltvalue(o.value);
      return size;
    };
    return { lua: fengari.lua, lauxlib: fengari.lauxlib, lualib: fengari.lualib };
  } finally {
    if (previous === undefined) delete process.env.FENGARICONF;
    else process.env.FENGARICONF = previous;
  }
}

/** C's printf("%.<precision>g") of a double (glibc's inf, -inf and, for 0/0 on x86, -nan). */
export function formatG(n: number, precision: number): string {
  if (Number.isNaN(n)) return '-nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, expText] = n.toExponential(precision - 1).split('e') as [string, string];
  const exp = Number(expText);
  const strip = (digits: string) => (digits.includes('.') ? digits.replace(/\.?0+$/, '') : digits);
  if (exp < -4 || exp >= precision) {
    const sign = exp < 0 ? '-' : '+';
    return `${strip(mantissa)}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return strip(n.toFixed(precision - 1 - exp));
}

/** Pushes `s` as a Lua string that keeps `s` itself: lua_pushstring without its copy (set by loadFengari). */
let pushOwnedString: (L: LuaState, s: LuaString) => void;
/** The Lua string (fengari's TString) that keeps `s` itself (set by loadFengari). */
let newString: (L: LuaState, s: LuaString) => unknown;

export const { lua, lauxlib, lualib } = loadFengari();

/** A Lua string from ASCII/UTF-8 text (names, messages). */
export function luaText(text: string): LuaString {
  return encoder.encode(text);
}

/** A Lua string holding a binary string's bytes. */
export function luaBytes(s: BinaryString): LuaString {
  const n = s.length;
  // Short strings (keys, arguments) are quicker copied by hand than through Buffer.from's pool.
  if (n < 32) {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  return Buffer.from(s, 'latin1');
}

/** Pushes a binary string as a Lua string (one copy of its bytes, where lua_pushstring makes two). */
export function pushBinary(L: LuaState, s: BinaryString): void {
  pushOwnedString(L, luaBytes(s));
}

/** The parts of fengari's tables and values refillArray reads (ltable.js, lobject.js). */
interface FengariTable {
  metatable: object | null;
  /** The first entry of the insertion-ordered list `next` and `pairs` walk. */
  f: FengariEntry | undefined;
}

interface FengariEntry {
  key: { ttisinteger(): boolean; value: unknown };
  value: { ttisstring(): boolean; svalue(): LuaString; setsvalue(ts: unknown): void };
  n: FengariEntry | undefined;
}

/** Whether the Lua string `bytes` holds exactly the binary string `s`. */
function sameBytes(bytes: LuaString, s: BinaryString): boolean {
  const n = s.length;
  if (bytes.length !== n) return false;
  for (let i = 0; i < n; i++) if (bytes[i] !== s.charCodeAt(i)) return false;
  return true;
}

/**
 * Makes the table on top of the stack the array `items` (t[1..n], nothing else) when it is
 * exactly an array t[1..m] built in that order and has no metatable: then no Lua code can tell
 * it from a new table made of `items` (the same values, the same `next` order). Returns false,
 * changing nothing, for any other table.
 */
export function refillArray(L: LuaState, items: BinaryString[]): boolean {
  const thread = L as unknown as { stack: { value: FengariTable }[]; top: number };
  const table = thread.stack[thread.top - 1]!.value;
  if (table.metatable !== null) return false;
  let m = 0;
  for (let e = table.f; e !== undefined; e = e.n) {
    if (!e.key.ttisinteger() || e.key.value !== m + 1) return false;
    m++;
  }
  const n = items.length;
  let e = table.f;
  for (let i = 0; i < n; i++) {
    const item = items[i]!;
    if (e === undefined) {
      pushBinary(L, item);
      lua.lua_rawseti(L, -2, i + 1);
      continue;
    }
    // t[i+1] exists: its value is replaced in place (what rawseti of an existing key does), unless
    // it already holds these bytes (a Lua string has no identity but its bytes): the same ARGV
    // from one call to the next costs no new string.
    if (!e.value.ttisstring() || !sameBytes(e.value.svalue(), item)) e.value.setsvalue(newString(L, luaBytes(item)));
    e = e.n;
  }
  // From the end, so that a later refill appends after what stays, in order.
  for (let i = m; i > n; i--) {
    lua.lua_pushnil(L);
    lua.lua_rawseti(L, -2, i);
  }
  return true;
}

/** The binary string of a Lua string's bytes. */
export function fromLua(s: LuaString): BinaryString {
  const n = s.length;
  if (n < 32) {
    let out = '';
    for (let i = 0; i < n; i++) out += String.fromCharCode(s[i]!);
    return out;
  }
  return Buffer.from(s.buffer, s.byteOffset, n).toString('latin1');
}

/** The value at `idx` as a binary string when it is a string or a number (lua_tolstring), else null. */
export function toBinary(L: LuaState, idx: number): BinaryString | null {
  const s = lua.lua_tolstring(L, idx);
  return s === null ? null : fromLua(s);
}

/** Pushes a JS string (ASCII/UTF-8 text) as a Lua string. */
export function pushText(L: LuaState, text: string): void {
  lua.lua_pushstring(L, luaText(text));
}

/** Raises a Lua error whose value is `message` (a string). */
export function raiseText(L: LuaState, message: string): never {
  pushText(L, message);
  return lua.lua_error(L);
}
