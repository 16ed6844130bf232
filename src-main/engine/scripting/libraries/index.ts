// The libraries Redis loads into its Lua besides the standard ones (script_lua.c luaLoadLibraries),
// each a global table.
import type { LuaState } from '../lua-vm.js';
import { pushBit } from './bit.js';
import { pushCjson } from './cjson.js';
import { pushCmsgpack } from './cmsgpack.js';
import { pushStruct } from './struct.js';

export const REDIS_LUA_LIBRARIES: Record<string, (L: LuaState) => void> = {
  cjson: pushCjson,
  cmsgpack: pushCmsgpack,
  bit: pushBit,
  struct: pushStruct,
};
