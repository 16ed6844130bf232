// Helpers for the libraries written in JavaScript over fengari's API (cjson, cmsgpack, bit, struct).
import { lua, lauxlib, luaText, type LuaJsFunction, type LuaState } from '../lua-vm.js';

/** Pushes a table of functions (and constant fields pushed by `fields`). */
export function pushLibrary(L: LuaState, functions: Record<string, LuaJsFunction>, fields?: (L: LuaState) => void): void {
  lua.lua_createtable(L, 0, Object.keys(functions).length + 4);
  for (const [name, fn] of Object.entries(functions)) {
    lua.lua_pushjsfunction(L, fn);
    lua.lua_setfield(L, -2, luaText(name));
  }
  fields?.(L);
}

/** luaL_error with a plain message (no format directives). */
export function luaError(L: LuaState, message: string): never {
  return lauxlib.luaL_error(L, luaText(message.replace(/%/g, '%%')));
}

/** luaL_checknumber. */
export function checkNumber(L: LuaState, arg: number): number {
  return (lauxlib as unknown as { luaL_checknumber(L: LuaState, arg: number): number }).luaL_checknumber(L, arg);
}
