// A script's return value, turned into the caller's reply as Redis's script_lua.c
// luaReplyToRedisReply does it:
//
//   string -> bulk          number -> integer, truncated toward zero (a C cast to long long)
//   boolean (script in RESP2) -> true: 1, false: null;   (script in RESP3, redis.setresp(3)) -> boolean
//   table: {err=...} -> error, {ok=...} -> status, {double=n}, {big_number=s},
//          {verbatim_string={format=,string=}}, {map={...}}, {set={...}}, otherwise an array of
//          t[1], t[2], ... up to the first nil
//   anything else (nil, functions...) -> null
import { ReplyWriter } from '../protocol/reply-writer.js';
import { lua, luaText, fromLua, type LuaState } from './lua-vm.js';

const ERR = luaText('err');
const OK = luaText('ok');
const DOUBLE = luaText('double');
const BIG_NUMBER = luaText('big_number');
const VERBATIM = luaText('verbatim_string');
const FORMAT = luaText('format');
const STRING = luaText('string');
const MAP = luaText('map');
const SET = luaText('set');
const IGNORE_STATS = luaText('ignore_error_stats_update');

const TWO_63 = 2 ** 63;
const INT64_MIN = -(2n ** 63n);

/** (long long) of a double on x86-64: truncation, and INT64_MIN for NaN and out-of-range values. */
export function luaNumberToInteger(n: number): number | bigint {
  if (Number.isSafeInteger(n)) return n;
  if (!(n > -TWO_63 - 1 && n < TWO_63)) return INT64_MIN;
  const t = Math.trunc(n);
  return Number.isSafeInteger(t) ? t : BigInt(t);
}

/** Writes the value on top of the Lua stack to `reply` and pops it. */
export function replyWithLuaValue(L: LuaState, reply: ReplyWriter, scriptResp: 2 | 3): void {
  if (!lua.lua_checkstack(L, 4)) {
    reply.error('ERR reached lua stack limit');
    lua.lua_pop(L, 1);
    return;
  }
  const type = lua.lua_type(L, -1);
  if (type === lua.LUA_TSTRING) {
    reply.bulk(fromLua(lua.lua_tolstring(L, -1)!));
  } else if (type === lua.LUA_TBOOLEAN) {
    const b = lua.lua_toboolean(L, -1);
    if (scriptResp === 2) {
      if (b) reply.integer(1);
      else reply.null();
    } else {
      reply.bool(b);
    }
  } else if (type === lua.LUA_TNUMBER) {
    reply.integer(luaNumberToInteger(lua.lua_tonumber(L, -1)));
  } else if (type === lua.LUA_TTABLE) {
    replyWithTable(L, reply, scriptResp);
  } else {
    reply.null();
  }
  lua.lua_pop(L, 1);
}

/** The error text of an error table's `err` field (Redis's luaExtractErrorInformation msg). */
function errorField(L: LuaState): string | null {
  lua.lua_rawget(L, -2);
  const s = lua.lua_type(L, -1) === lua.LUA_TSTRING ? fromLua(lua.lua_tolstring(L, -1)!) : null;
  lua.lua_pop(L, 1);
  return s;
}

/** Replies an error the way addReplyErrorFormatEx does: newlines become spaces. */
export function replyScriptError(reply: ReplyWriter, text: string, alreadyCounted: boolean): void {
  const clean = text.replace(/[\r\n]/g, ' ');
  // An error a command already replied inside the script was counted in the error stats then
  // (ERR_REPLY_FLAG_NO_STATS_UPDATE): write it without counting it again.
  if (alreadyCounted) ReplyWriter.prototype.error.call(reply, clean);
  else reply.error(clean);
}

function field(L: LuaState, name: Uint8Array, type: number): boolean {
  lua.lua_pushstring(L, name);
  lua.lua_rawget(L, -2);
  if (lua.lua_type(L, -1) === type) return true;
  lua.lua_pop(L, 1);
  return false;
}

function replyWithTable(L: LuaState, reply: ReplyWriter, scriptResp: 2 | 3): void {
  lua.lua_pushstring(L, ERR);
  const err = errorField(L);
  if (err !== null) {
    lua.lua_getfield(L, -1, IGNORE_STATS);
    const counted = lua.lua_toboolean(L, -1);
    lua.lua_pop(L, 1);
    replyScriptError(reply, err, counted);
    return;
  }
  if (field(L, OK, lua.LUA_TSTRING)) {
    reply.simple(fromLua(lua.lua_tolstring(L, -1)!).replace(/[\r\n]/g, ' '));
    lua.lua_pop(L, 1);
    return;
  }
  if (field(L, DOUBLE, lua.LUA_TNUMBER)) {
    reply.double(lua.lua_tonumber(L, -1));
    lua.lua_pop(L, 1);
    return;
  }
  if (field(L, BIG_NUMBER, lua.LUA_TSTRING)) {
    const text = fromLua(lua.lua_tolstring(L, -1)!).replace(/[\r\n]/g, ' ');
    if (reply.protocol === 3) reply.encoded(Buffer.from(`(${text}\r\n`, 'latin1'));
    else reply.bulk(text);
    lua.lua_pop(L, 1);
    return;
  }
  if (field(L, VERBATIM, lua.LUA_TTABLE)) {
    const format = field(L, FORMAT, lua.LUA_TSTRING) ? fromLua(lua.lua_tolstring(L, -1)!) : null;
    if (format !== null) lua.lua_pop(L, 1);
    const text = format !== null && field(L, STRING, lua.LUA_TSTRING) ? fromLua(lua.lua_tolstring(L, -1)!) : null;
    if (format !== null && text !== null) {
      lua.lua_pop(L, 2);
      if (reply.protocol === 3) {
        const body = Buffer.from(`${format.slice(0, 3)}:${text}`, 'latin1');
        reply.encoded(Buffer.from(`=${body.length}\r\n`, 'latin1'));
        reply.encoded(Buffer.concat([body, Buffer.from('\r\n')]));
      } else {
        reply.bulk(text);
      }
      return;
    }
    lua.lua_pop(L, 1);
  }
  if (field(L, MAP, lua.LUA_TTABLE)) {
    reply.mapHeader(countPairs(L));
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2) !== 0) {
      lua.lua_pushvalue(L, -2);
      replyWithLuaValue(L, reply, scriptResp); // the key
      replyWithLuaValue(L, reply, scriptResp); // the value
    }
    lua.lua_pop(L, 1);
    return;
  }
  if (field(L, SET, lua.LUA_TTABLE)) {
    reply.setHeader(countPairs(L));
    lua.lua_pushnil(L);
    while (lua.lua_next(L, -2) !== 0) {
      lua.lua_pop(L, 1);
      lua.lua_pushvalue(L, -1);
      replyWithLuaValue(L, reply, scriptResp);
    }
    lua.lua_pop(L, 1);
    return;
  }
  let length = 0;
  while (lua.lua_rawgeti(L, -1, length + 1) !== lua.LUA_TNIL) {
    lua.lua_pop(L, 1);
    length++;
  }
  lua.lua_pop(L, 1);
  reply.arrayHeader(length);
  for (let i = 1; i <= length; i++) {
    lua.lua_rawgeti(L, -1, i);
    replyWithLuaValue(L, reply, scriptResp);
  }
}

function countPairs(L: LuaState): number {
  let n = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    lua.lua_pop(L, 1);
    n++;
  }
  return n;
}
