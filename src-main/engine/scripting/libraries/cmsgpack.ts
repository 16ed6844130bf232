// The `cmsgpack` library as Redis ships it (deps/lua/src/lua_cmsgpack.c, lua-cmsgpack 0.4.0):
// pack(...) encodes each argument and concatenates them; unpack(s) returns every value in s;
// unpack_one(s [, offset]) and unpack_limit(s, limit [, offset]) return the next offset first.
// Numbers with an integral value that fits 64 bits encode as the smallest integer form, others as
// float32 when exact, else float64; a table whose keys are exactly 1..n is an array, any other a
// map; nesting deeper than 16 encodes nil.
import { lua, luaText, type LuaState } from '../lua-vm.js';
import { luaError, pushLibrary } from './lua-library.js';

const MAX_NESTING = 16;

class Writer {
  parts: Buffer[] = [];

  byte(b: number): void {
    this.parts.push(Buffer.from([b]));
  }

  bytes(prefix: number[], body?: Buffer): void {
    this.parts.push(Buffer.from(prefix));
    if (body) this.parts.push(body);
  }
}

function encodeInteger(w: Writer, n: number): void {
  if (n >= 0) {
    if (n <= 127) return w.byte(n);
    if (n <= 0xff) return w.bytes([0xcc, n]);
    if (n <= 0xffff) return w.bytes([0xcd, n >> 8, n & 0xff]);
    if (n <= 0xffffffff) {
      const b = Buffer.alloc(5);
      b[0] = 0xce;
      b.writeUInt32BE(n, 1);
      return w.bytes([...b]);
    }
    const b = Buffer.alloc(9);
    b[0] = 0xcf;
    b.writeBigUInt64BE(BigInt(n), 1);
    return w.bytes([...b]);
  }
  if (n >= -32) return w.byte(n & 0xff);
  if (n >= -128) return w.bytes([0xd0, n & 0xff]);
  if (n >= -32768) {
    const b = Buffer.alloc(3);
    b[0] = 0xd1;
    b.writeInt16BE(n, 1);
    return w.bytes([...b]);
  }
  if (n >= -2147483648) {
    const b = Buffer.alloc(5);
    b[0] = 0xd2;
    b.writeInt32BE(n, 1);
    return w.bytes([...b]);
  }
  const b = Buffer.alloc(9);
  b[0] = 0xd3;
  b.writeBigInt64BE(BigInt(n), 1);
  w.bytes([...b]);
}

function encodeNumber(w: Writer, n: number): void {
  // IS_INT64_EQUIVALENT: finite and (int64_t)n == n.
  if (Number.isFinite(n) && Math.trunc(n) === n && n >= -(2 ** 63) && n < 2 ** 63) return encodeInteger(w, n);
  if (Math.fround(n) === n || Number.isNaN(n)) {
    const b = Buffer.alloc(5);
    b[0] = 0xca;
    b.writeFloatBE(n, 1);
    return w.bytes([...b]);
  }
  const b = Buffer.alloc(9);
  b[0] = 0xcb;
  b.writeDoubleBE(n, 1);
  w.bytes([...b]);
}

function encodeString(w: Writer, s: Uint8Array): void {
  const len = s.length;
  const body = Buffer.from(s);
  if (len < 32) return w.bytes([0xa0 | len], body);
  if (len <= 0xff) return w.bytes([0xd9, len], body);
  if (len <= 0xffff) return w.bytes([0xda, len >> 8, len & 0xff], body);
  const h = Buffer.alloc(5);
  h[0] = 0xdb;
  h.writeUInt32BE(len, 1);
  w.bytes([...h], body);
}

function header(w: Writer, n: number, fix: number, op16: number, op32: number): void {
  if (n < 16) return w.byte(fix | n);
  if (n <= 0xffff) return w.bytes([op16, n >> 8, n & 0xff]);
  const h = Buffer.alloc(5);
  h[0] = op32;
  h.writeUInt32BE(n, 1);
  w.bytes([...h]);
}

/** table_is_an_array: every key a positive integer and as many keys as the largest. */
function arrayLength(L: LuaState): number {
  let count = 0;
  let max = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    lua.lua_pop(L, 1);
    if (lua.lua_type(L, -1) !== lua.LUA_TNUMBER) {
      lua.lua_pop(L, 1);
      return -1;
    }
    const k = lua.lua_tonumber(L, -1);
    if (k <= 0 || Math.floor(k) !== k) {
      lua.lua_pop(L, 1);
      return -1;
    }
    if (k > max) max = k;
    count++;
  }
  return count === max ? max : -1;
}

function encode(L: LuaState, w: Writer, level: number): void {
  switch (lua.lua_type(L, -1)) {
    case lua.LUA_TSTRING:
      return encodeString(w, lua.lua_tolstring(L, -1)!);
    case lua.LUA_TBOOLEAN:
      return w.byte(lua.lua_toboolean(L, -1) ? 0xc3 : 0xc2);
    case lua.LUA_TNUMBER:
      return encodeNumber(w, lua.lua_tonumber(L, -1));
    case lua.LUA_TTABLE: {
      if (level === MAX_NESTING || !lua.lua_checkstack(L, 3)) return w.byte(0xc0);
      const length = arrayLength(L);
      if (length >= 0) {
        header(w, length, 0x90, 0xdc, 0xdd);
        for (let i = 1; i <= length; i++) {
          lua.lua_rawgeti(L, -1, i);
          encode(L, w, level + 1);
          lua.lua_pop(L, 1);
        }
        return;
      }
      let pairs = 0;
      lua.lua_pushnil(L);
      while (lua.lua_next(L, -2) !== 0) {
        lua.lua_pop(L, 1);
        pairs++;
      }
      header(w, pairs, 0x80, 0xde, 0xdf);
      lua.lua_pushnil(L);
      while (lua.lua_next(L, -2) !== 0) {
        lua.lua_pushvalue(L, -2);
        encode(L, w, level + 1); // key
        lua.lua_pop(L, 1);
        encode(L, w, level + 1); // value
        lua.lua_pop(L, 1);
      }
      return;
    }
    default:
      return w.byte(0xc0);
  }
}

class Incomplete extends Error {}
class BadFormat extends Error {}

/** Reads one value from buf at pos and pushes it; returns the offset after it. */
function decode(L: LuaState, buf: Buffer, pos: number): number {
  const need = (n: number) => {
    if (pos + n > buf.length) throw new Incomplete();
  };
  need(1);
  const c = buf[pos++]!;
  const str = (len: number) => {
    need(len);
    lua.lua_pushstring(L, buf.subarray(pos, pos + len));
    return pos + len;
  };
  const aggregate = (n: number, map: boolean) => {
    if (!lua.lua_checkstack(L, 3)) throw new BadFormat();
    lua.lua_createtable(L, map ? 0 : n, map ? n : 0);
    for (let i = 1; i <= n; i++) {
      pos = decode(L, buf, pos);
      if (map) {
        pos = decode(L, buf, pos);
        lua.lua_rawset(L, -3);
      } else {
        lua.lua_rawseti(L, -2, i);
      }
    }
    return pos;
  };
  if (c <= 0x7f) return (lua.lua_pushnumber(L, c), pos);
  if (c >= 0xe0) return (lua.lua_pushnumber(L, c - 256), pos);
  if ((c & 0xe0) === 0xa0) return str(c & 0x1f);
  if ((c & 0xf0) === 0x90) return aggregate(c & 0x0f, false);
  if ((c & 0xf0) === 0x80) return aggregate(c & 0x0f, true);
  const num = (n: number, read: () => number) => {
    need(n);
    lua.lua_pushnumber(L, read());
    return pos + n;
  };
  switch (c) {
    case 0xc0:
      lua.lua_pushnil(L);
      return pos;
    case 0xc2:
    case 0xc3:
      lua.lua_pushboolean(L, c === 0xc3);
      return pos;
    case 0xcc:
      return num(1, () => buf.readUInt8(pos));
    case 0xcd:
      return num(2, () => buf.readUInt16BE(pos));
    case 0xce:
      return num(4, () => buf.readUInt32BE(pos));
    case 0xcf:
      return num(8, () => Number(buf.readBigUInt64BE(pos)));
    case 0xd0:
      return num(1, () => buf.readInt8(pos));
    case 0xd1:
      return num(2, () => buf.readInt16BE(pos));
    case 0xd2:
      return num(4, () => buf.readInt32BE(pos));
    case 0xd3:
      return num(8, () => Number(buf.readBigInt64BE(pos)));
    case 0xca:
      return num(4, () => buf.readFloatBE(pos));
    case 0xcb:
      return num(8, () => buf.readDoubleBE(pos));
    case 0xc4:
    case 0xd9:
      need(1);
      pos += 1;
      return str(buf[pos - 1]!);
    case 0xc5:
    case 0xda:
      need(2);
      pos += 2;
      return str(buf.readUInt16BE(pos - 2));
    case 0xc6:
    case 0xdb:
      need(4);
      pos += 4;
      return str(buf.readUInt32BE(pos - 4));
    case 0xdc:
    case 0xde:
      need(2);
      pos += 2;
      return aggregate(buf.readUInt16BE(pos - 2), c === 0xde);
    case 0xdd:
    case 0xdf:
      need(4);
      pos += 4;
      return aggregate(buf.readUInt32BE(pos - 4), c === 0xdf);
    default:
      throw new BadFormat();
  }
}

/** mp_unpack_full: up to `limit` values (0: all) from `offset`; with `withOffset`, the next offset first. */
function unpack(L: LuaState, limit: number, offset: number, withOffset: boolean): number {
  const s = lua.lua_tolstring(L, 1);
  if (s === null) return luaError(L, 'MessagePack decoding needs a string as input.');
  if (offset < 0 || limit < 0) return luaError(L, `Invalid request to unpack with offset of ${offset} and limit of ${limit}.`);
  if (offset > s.length) return luaError(L, 'Start offset ' + offset + ' greater than input length ' + s.length + '.');
  const buf = Buffer.from(s.buffer, s.byteOffset, s.length);
  const base = lua.lua_gettop(L);
  let pos = offset;
  let count = 0;
  try {
    while (pos < buf.length && (limit === 0 || count < limit)) {
      pos = decode(L, buf, pos);
      count++;
    }
  } catch (err) {
    lua.lua_settop(L, base);
    if (err instanceof Incomplete) return luaError(L, 'Missing bytes in input.');
    if (err instanceof BadFormat) return luaError(L, 'Bad data format in input.');
    throw err;
  }
  if (!withOffset) return count;
  lua.lua_pushnumber(L, pos >= buf.length ? -1 : pos);
  lua.lua_insert(L, base + 1);
  return count + 1;
}

export function pushCmsgpack(L: LuaState): void {
  pushLibrary(
    L,
    {
      pack: (L) => {
        const argc = lua.lua_gettop(L);
        if (argc === 0) return luaError(L, "bad argument #0 to 'pack' (MessagePack pack needs input.)");
        const w = new Writer();
        for (let i = 1; i <= argc; i++) {
          lua.lua_pushvalue(L, i);
          encode(L, w, 0);
          lua.lua_pop(L, 1);
        }
        lua.lua_pushstring(L, Buffer.concat(w.parts));
        return 1;
      },
      unpack: (L) => unpack(L, 0, 0, false),
      unpack_one: (L) => unpack(L, 1, lua.lua_gettop(L) >= 2 ? Math.trunc(lua.lua_tonumber(L, 2)) : 0, true),
      unpack_limit: (L) =>
        unpack(L, Math.trunc(lua.lua_tonumber(L, 2)), lua.lua_gettop(L) >= 3 ? Math.trunc(lua.lua_tonumber(L, 3)) : 0, true),
    },
    (L) => {
      for (const [k, v] of [
        ['_NAME', 'cmsgpack'],
        ['_VERSION', 'lua-cmsgpack 0.4.0'],
        ['_COPYRIGHT', 'Copyright (C) 2012, Salvatore Sanfilippo'],
        ['_DESCRIPTION', 'MessagePack C implementation for Lua'],
      ]) {
        lua.lua_pushstring(L, luaText(v!));
        lua.lua_setfield(L, -2, luaText(k!));
      }
    },
  );
}
