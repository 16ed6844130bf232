// A command's reply, as the script client received it (RESP2 or RESP3 bytes), pushed onto the Lua
// stack as Redis's script_lua.c redisProtocolToLuaType does it:
//
//   integer -> number              bulk -> string            null bulk / null array -> false
//   status  -> {ok=...}            error -> {err=...}        array -> table (1..n)
//   RESP3:  null -> nil   boolean -> boolean   double -> {double=n}   map -> {map={k=v}}
//           set -> {set={member=true}}   big number -> {big_number=s}
//           verbatim -> {verbatim_string={format=..., string=...}}   attributes are skipped.
import { lua, luaText, type LuaState } from './lua-vm.js';

const OK = luaText('ok');
const ERR = luaText('err');
const DOUBLE = luaText('double');
const MAP = luaText('map');
const SET = luaText('set');
const BIG_NUMBER = luaText('big_number');
const VERBATIM = luaText('verbatim_string');
const FORMAT = luaText('format');
const STRING = luaText('string');
const IGNORE_STATS = luaText('ignore_error_stats_update');

/** Pushes the reply held in `buf` (exactly one reply); returns whether it was an error. */
export function pushReply(L: LuaState, buf: Buffer): boolean {
  const type = buf[0];
  if (type === 0x3a && buf.length <= 18) {
    // ':' with at most 15 digits, the commonest reply (INCR and the like): read in place, exact.
    const n = smallInteger(buf);
    if (n !== null) {
      lua.lua_pushnumber(L, n);
      return false;
    }
  }
  new ReplyReader(L, buf).push(true);
  return type === 0x2d; // '-'
}

/** The value of ":<digits>\r\n" (an optional '-', up to 15 digits: exactly a double), else null. */
function smallInteger(buf: Buffer): number | null {
  const end = buf.length - 2;
  let i = 1;
  const negative = buf[1] === 0x2d;
  if (negative) i++;
  if (i >= end || buf[end] !== 0x0d) return null;
  let n = 0;
  for (; i < end; i++) {
    const digit = buf[i]! - 0x30;
    if (digit < 0 || digit > 9) return null;
    n = n * 10 + digit;
  }
  return negative ? -n : n;
}

/**
 * Pushes the error table {err="CODE message"} of luaPushErrorBuff: "-CODE message" keeps its
 * code, text without a leading '-' gets ERR; trailing CR/LF are dropped.
 */
export function pushErrorTable(L: LuaState, text: string): void {
  let final: string;
  if (text.startsWith('-')) {
    const space = text.indexOf(' ');
    final = space < 0 ? `ERR ${text.slice(1)}` : `${text.slice(1, space)} ${text.slice(space + 1)}`;
  } else {
    final = `ERR ${text}`;
  }
  final = final.replace(/^[\r\n]+|[\r\n]+$/g, '');
  lua.lua_createtable(L, 0, 1);
  lua.lua_pushstring(L, Buffer.from(final, 'latin1'));
  lua.lua_setfield(L, -2, ERR);
}

/** Marks the error table on top of the stack as already counted in the error stats. */
export function markErrorCounted(L: LuaState): void {
  lua.lua_pushboolean(L, true);
  lua.lua_setfield(L, -2, IGNORE_STATS);
}

class ReplyReader {
  private pos = 0;

  constructor(
    private readonly L: LuaState,
    private readonly buf: Buffer,
  ) {}

  /** Reads one reply; pushes it when `keep` (attributes are read and dropped). */
  push(keep: boolean): void {
    const L = this.L;
    const type = this.buf[this.pos]!;
    const line = this.line();
    if (keep && !lua.lua_checkstack(L, 4)) throw new Error('lua stack limit reach when parsing redis.call reply');
    switch (type) {
      case 0x3a: // ':'
        if (keep) lua.lua_pushnumber(L, Number(line));
        return;
      case 0x24: {
        // '$'
        const len = Number(line);
        if (len < 0) {
          if (keep) lua.lua_pushboolean(L, false);
          return;
        }
        if (keep) lua.lua_pushstring(L, this.buf.subarray(this.pos, this.pos + len));
        this.pos += len + 2;
        return;
      }
      case 0x2b: // '+'
        if (!keep) return;
        lua.lua_createtable(L, 0, 1);
        lua.lua_pushstring(L, Buffer.from(line, 'latin1'));
        lua.lua_setfield(L, -2, OK);
        return;
      case 0x2d: // '-'
        if (!keep) return;
        pushErrorTable(L, `-${line}`);
        markErrorCounted(L);
        return;
      case 0x2a: {
        // '*'
        const len = Number(line);
        if (len < 0) {
          if (keep) lua.lua_pushboolean(L, false);
          return;
        }
        if (keep) lua.lua_createtable(L, len, 0);
        for (let i = 1; i <= len; i++) {
          this.push(keep);
          if (keep) lua.lua_rawseti(L, -2, i);
        }
        return;
      }
      case 0x5f: // '_'
        if (keep) lua.lua_pushnil(L);
        return;
      case 0x23: // '#'
        if (keep) lua.lua_pushboolean(L, line === 't');
        return;
      case 0x2c: // ','
        if (!keep) return;
        lua.lua_createtable(L, 0, 1);
        lua.lua_pushnumber(L, parseRespDouble(line));
        lua.lua_setfield(L, -2, DOUBLE);
        return;
      case 0x28: // '('
        if (!keep) return;
        lua.lua_createtable(L, 0, 1);
        lua.lua_pushstring(L, Buffer.from(line, 'latin1'));
        lua.lua_setfield(L, -2, BIG_NUMBER);
        return;
      case 0x25: // '%'
      case 0x7e: {
        // '~'
        const len = Number(line);
        const isMap = type === 0x25;
        if (keep) {
          lua.lua_createtable(L, 0, 1);
          lua.lua_createtable(L, 0, len);
        }
        for (let i = 0; i < len; i++) {
          this.push(keep);
          if (isMap) this.push(keep);
          else if (keep) lua.lua_pushboolean(L, true);
          if (keep) lua.lua_rawset(L, -3);
        }
        if (keep) lua.lua_setfield(L, -2, isMap ? MAP : SET);
        return;
      }
      case 0x3d: {
        // '=' verbatim: "fmt:text"
        const len = Number(line);
        const body = this.buf.subarray(this.pos, this.pos + len);
        this.pos += len + 2;
        if (!keep) return;
        lua.lua_createtable(L, 0, 1);
        lua.lua_createtable(L, 0, 2);
        lua.lua_pushstring(L, body.subarray(4));
        lua.lua_setfield(L, -2, STRING);
        lua.lua_pushstring(L, body.subarray(0, 3));
        lua.lua_setfield(L, -2, FORMAT);
        lua.lua_setfield(L, -2, VERBATIM);
        return;
      }
      case 0x7c: {
        // '|' attribute: skipped, then the reply it annotates
        const len = Number(line);
        for (let i = 0; i < 2 * len; i++) this.push(false);
        this.push(keep);
        return;
      }
      default:
        throw new Error(`unexpected reply type '${String.fromCharCode(type)}' in a script's command reply`);
    }
  }

  /** The rest of the current line after its type byte; moves past its CRLF. */
  private line(): string {
    const start = this.pos + 1;
    const end = this.buf.indexOf(0x0d, start);
    this.pos = end + 2;
    return this.buf.toString('latin1', start, end);
  }
}

function parseRespDouble(text: string): number {
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}
