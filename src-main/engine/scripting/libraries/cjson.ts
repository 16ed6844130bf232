// The `cjson` library as Redis ships it (deps/lua/src/lua_cjson.c, Lua CJSON 2.1.0): encode and
// decode with its rules and error texts. Encoding: numbers as %.14g, strings with cjson's escapes
// (including "\/" and \u007f), a table with only positive integer keys as an array (an empty
// table as an object), refusing excessively sparse arrays, NaN / Inf and unsupported types.
// Decoding: objects and arrays to tables, null to cjson.null (a light userdata NULL), \u escapes
// to UTF-8. Object keys come out in the order Lua's table gives them, as in Redis.
import { lua, luaText, fromLua, formatG, type LuaState } from '../lua-vm.js';
import { luaError, pushLibrary } from './lua-library.js';

const LUA_TLIGHTUSERDATA = 2;

interface LuaUserdataApi {
  lua_pushlightuserdata(L: LuaState, p: unknown): void;
  lua_touserdata(L: LuaState, idx: number): unknown;
  lua_typename(L: LuaState, t: number): Uint8Array;
}
const udata = lua as unknown as LuaUserdataApi;

const config = {
  encodeMaxDepth: 1000,
  decodeMaxDepth: 1000,
  precision: 14,
  sparseConvert: false,
  sparseRatio: 2,
  sparseSafe: 10,
  encodeInvalidNumbers: false,
};

const ESCAPES: (string | null)[] = Array.from({ length: 256 }, (_, c) => {
  if (c === 8) return '\\b';
  if (c === 9) return '\\t';
  if (c === 10) return '\\n';
  if (c === 12) return '\\f';
  if (c === 13) return '\\r';
  if (c < 32 || c === 127) return `\\u${c.toString(16).padStart(4, '0')}`;
  if (c === 34) return '\\"';
  if (c === 47) return '\\/';
  if (c === 92) return '\\\\';
  return null;
});

function escapeString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const e = ESCAPES[s.charCodeAt(i)];
    out += e ?? s[i];
  }
  return out + '"';
}

function typeName(L: LuaState, idx: number): string {
  return fromLua(udata.lua_typename(L, lua.lua_type(L, idx)));
}

function encodeNumber(L: LuaState, n: number): string {
  if (!Number.isFinite(n) && !config.encodeInvalidNumbers) luaError(L, 'Cannot serialise number: must not be NaN or Inf');
  return formatG(n, config.precision);
}

/** lua_array_length: the array's length, or -1 when the table is not an array. */
function arrayLength(L: LuaState): number {
  let max = 0;
  let items = 0;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, -2) !== 0) {
    if (lua.lua_type(L, -2) === lua.LUA_TNUMBER) {
      const k = lua.lua_tonumber(L, -2);
      if (Math.floor(k) === k && k >= 1) {
        if (k > max) max = k;
        items++;
        lua.lua_pop(L, 1);
        continue;
      }
    }
    lua.lua_pop(L, 2);
    return -1;
  }
  if (config.sparseRatio > 0 && max > items * config.sparseRatio && max > config.sparseSafe) {
    if (!config.sparseConvert) luaError(L, 'Cannot serialise table: excessively sparse array');
    return -1;
  }
  return max;
}

/** Encodes the value on top of the stack (left there). */
function encode(L: LuaState, depth: number): string {
  const type = lua.lua_type(L, -1);
  switch (type) {
    case lua.LUA_TSTRING:
      return escapeString(fromLua(lua.lua_tolstring(L, -1)!));
    case lua.LUA_TNUMBER:
      return encodeNumber(L, lua.lua_tonumber(L, -1));
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, -1) ? 'true' : 'false';
    case lua.LUA_TNIL:
      return 'null';
    case LUA_TLIGHTUSERDATA:
      if (udata.lua_touserdata(L, -1) === null) return 'null';
      break;
    case lua.LUA_TTABLE: {
      depth++;
      if (depth > config.encodeMaxDepth) luaError(L, `Cannot serialise, excessive nesting (${depth})`);
      if (!lua.lua_checkstack(L, 3)) luaError(L, `Cannot serialise, excessive nesting (${depth})`);
      const length = arrayLength(L);
      if (length > 0) {
        const parts: string[] = [];
        for (let i = 1; i <= length; i++) {
          lua.lua_rawgeti(L, -1, i);
          parts.push(encode(L, depth));
          lua.lua_pop(L, 1);
        }
        return `[${parts.join(',')}]`;
      }
      const parts: string[] = [];
      lua.lua_pushnil(L);
      while (lua.lua_next(L, -2) !== 0) {
        const keyType = lua.lua_type(L, -2);
        let key: string;
        if (keyType === lua.LUA_TSTRING) key = escapeString(fromLua(lua.lua_tolstring(L, -2)!));
        else if (keyType === lua.LUA_TNUMBER) key = `"${encodeNumber(L, lua.lua_tonumber(L, -2))}"`;
        else luaError(L, `Cannot serialise ${typeName(L, -2)}: table key must be a number or string`);
        parts.push(`${key}:${encode(L, depth)}`);
        lua.lua_pop(L, 1);
      }
      return `{${parts.join(',')}}`;
    }
  }
  return luaError(L, `Cannot serialise ${typeName(L, -1)}: type not supported`);
}

/** A JSON text's tokens and values, pushed onto the Lua stack as they are read. */
class Decoder {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly L: LuaState,
    private readonly s: Uint8Array,
  ) {}

  run(): void {
    this.value();
    this.skipSpace();
    if (this.pos < this.s.length) this.fail('the end', this.tokenName());
  }

  private fail(expected: string, found: string, at = this.pos): never {
    return luaError(this.L, `Expected ${expected} but found ${found} at character ${at + 1}`);
  }

  private skipSpace(): void {
    const s = this.s;
    while (this.pos < s.length && (s[this.pos] === 0x20 || s[this.pos] === 0x09 || s[this.pos] === 0x0a || s[this.pos] === 0x0d))
      this.pos++;
  }

  /** What the next token is, named as cjson names it in errors. */
  private tokenName(): string {
    const c = this.s[this.pos];
    if (c === undefined) return 'T_END';
    const names: Record<number, string> = {
      0x7b: 'T_OBJ_BEGIN',
      0x7d: 'T_OBJ_END',
      0x5b: 'T_ARR_BEGIN',
      0x5d: 'T_ARR_END',
      0x3a: 'T_COLON',
      0x2c: 'T_COMMA',
      0x22: 'T_STRING',
    };
    if (names[c]) return names[c]!;
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return 'T_NUMBER';
    if (this.startsWith('true') || this.startsWith('false')) return 'T_BOOLEAN';
    if (this.startsWith('null')) return 'T_NULL';
    return 'invalid token';
  }

  private startsWith(word: string): boolean {
    for (let i = 0; i < word.length; i++) if (this.s[this.pos + i] !== word.charCodeAt(i)) return false;
    return true;
  }

  private value(): void {
    const L = this.L;
    this.skipSpace();
    const c = this.s[this.pos];
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === 0x22) {
      lua.lua_pushstring(L, this.string());
      return;
    }
    if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39)) {
      lua.lua_pushnumber(L, this.number());
      return;
    }
    for (const [word, push] of [
      ['true', () => lua.lua_pushboolean(L, true)],
      ['false', () => lua.lua_pushboolean(L, false)],
      ['null', () => udata.lua_pushlightuserdata(L, null)],
    ] as const) {
      if (this.startsWith(word)) {
        this.pos += word.length;
        push();
        return;
      }
    }
    this.fail('value', this.tokenName());
  }

  private nest(): void {
    this.depth++;
    if (this.depth > config.decodeMaxDepth || !lua.lua_checkstack(this.L, 3)) {
      luaError(this.L, `Found too many nested data structures (${this.depth}) at character ${this.pos + 1}`);
    }
  }

  private object(): void {
    const L = this.L;
    this.nest();
    this.pos++;
    lua.lua_createtable(L, 0, 0);
    this.skipSpace();
    if (this.s[this.pos] === 0x7d) {
      this.pos++;
      this.depth--;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.s[this.pos] !== 0x22) this.fail('object key string', this.tokenName());
      lua.lua_pushstring(L, this.string());
      this.skipSpace();
      if (this.s[this.pos] !== 0x3a) this.fail('colon', this.tokenName());
      this.pos++;
      this.value();
      lua.lua_rawset(L, -3);
      this.skipSpace();
      const c = this.s[this.pos];
      if (c === 0x7d) break;
      if (c !== 0x2c) this.fail('comma or object end', this.tokenName());
      this.pos++;
    }
    this.pos++;
    this.depth--;
  }

  private array(): void {
    const L = this.L;
    this.nest();
    this.pos++;
    lua.lua_createtable(L, 0, 0);
    this.skipSpace();
    if (this.s[this.pos] === 0x5d) {
      this.pos++;
      this.depth--;
      return;
    }
    for (let i = 1; ; i++) {
      this.value();
      lua.lua_rawseti(L, -2, i);
      this.skipSpace();
      const c = this.s[this.pos];
      if (c === 0x5d) break;
      if (c !== 0x2c) this.fail('comma or array end', this.tokenName());
      this.pos++;
    }
    this.pos++;
    this.depth--;
  }

  private number(): number {
    const s = this.s;
    const start = this.pos;
    while (this.pos < s.length && /[-+0-9.eExXa-fA-FinfINFtyTY]/.test(String.fromCharCode(s[this.pos]!))) this.pos++;
    const text = fromLua(s.subarray(start, this.pos));
    const n = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/.test(text) ? Number(text) : NaN;
    if (Number.isNaN(n)) this.fail('value', 'invalid number', start);
    return n;
  }

  private string(): Uint8Array {
    const s = this.s;
    this.pos++;
    const out: number[] = [];
    for (;;) {
      const c = s[this.pos];
      if (c === undefined) this.fail('value', 'unexpected end of string');
      this.pos++;
      if (c === 0x22) break;
      if (c !== 0x5c) {
        out.push(c);
        continue;
      }
      const escape = this.pos - 1;
      const e = s[this.pos++];
      const simple: Record<number, number> = { 0x22: 0x22, 0x5c: 0x5c, 0x2f: 0x2f, 0x62: 8, 0x66: 12, 0x6e: 10, 0x72: 13, 0x74: 9 };
      if (e !== undefined && simple[e] !== undefined) {
        out.push(simple[e]!);
      } else if (e === 0x75) {
        let cp = this.hex4(escape);
        if (cp >= 0xd800 && cp <= 0xdbff) {
          if (s[this.pos] !== 0x5c || s[this.pos + 1] !== 0x75) this.fail('value', 'invalid unicode escape code', escape);
          this.pos += 2;
          const low = this.hex4(escape);
          if (low < 0xdc00 || low > 0xdfff) this.fail('value', 'invalid unicode escape code', escape);
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        } else if (cp >= 0xdc00 && cp <= 0xdfff) {
          this.fail('value', 'invalid unicode escape code', escape);
        }
        out.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
      } else {
        this.fail('value', 'invalid escape code', escape);
      }
    }
    return Uint8Array.from(out);
  }

  private hex4(escape: number): number {
    const text = fromLua(this.s.subarray(this.pos, this.pos + 4));
    if (!/^[0-9a-fA-F]{4}$/.test(text)) this.fail('value', 'invalid unicode escape code', escape);
    this.pos += 4;
    return parseInt(text, 16);
  }
}

export function pushCjson(L: LuaState): void {
  const setting = (get: () => number, set: (n: number) => void) => (L: LuaState) => {
    if (lua.lua_gettop(L) >= 1 && lua.lua_type(L, 1) === lua.LUA_TNUMBER) set(lua.lua_tonumber(L, 1));
    lua.lua_pushnumber(L, get());
    return 1;
  };
  pushLibrary(
    L,
    {
      encode: (L) => {
        if (lua.lua_gettop(L) !== 1) luaError(L, "bad argument #1 to 'encode' (expected 1 argument)");
        lua.lua_pushstring(L, Buffer.from(encode(L, 0), 'latin1'));
        return 1;
      },
      decode: (L) => {
        if (lua.lua_gettop(L) !== 1) luaError(L, "bad argument #1 to 'decode' (expected 1 argument)");
        const s = lua.lua_tolstring(L, 1);
        if (s === null) luaError(L, "bad argument #1 to 'decode' (string expected, got " + typeName(L, 1) + ')');
        if (s.length === 0) luaError(L, 'Expected value but found T_END at character 1');
        new Decoder(L, s).run();
        return 1;
      },
      encode_max_depth: setting(
        () => config.encodeMaxDepth,
        (n) => (config.encodeMaxDepth = n),
      ),
      decode_max_depth: setting(
        () => config.decodeMaxDepth,
        (n) => (config.decodeMaxDepth = n),
      ),
      encode_number_precision: setting(
        () => config.precision,
        (n) => (config.precision = Math.min(14, Math.max(1, Math.trunc(n)))),
      ),
      encode_keep_buffer: (L) => {
        lua.lua_pushboolean(L, true);
        return 1;
      },
      encode_invalid_numbers: (L) => {
        if (lua.lua_gettop(L) >= 1) config.encodeInvalidNumbers = lua.lua_toboolean(L, 1);
        lua.lua_pushboolean(L, config.encodeInvalidNumbers);
        return 1;
      },
      decode_invalid_numbers: (L) => {
        lua.lua_pushboolean(L, false);
        return 1;
      },
      encode_sparse_array: (L) => {
        if (lua.lua_gettop(L) >= 1) config.sparseConvert = lua.lua_toboolean(L, 1);
        if (lua.lua_gettop(L) >= 2) config.sparseRatio = lua.lua_tonumber(L, 2);
        if (lua.lua_gettop(L) >= 3) config.sparseSafe = lua.lua_tonumber(L, 3);
        lua.lua_pushboolean(L, config.sparseConvert);
        lua.lua_pushnumber(L, config.sparseRatio);
        lua.lua_pushnumber(L, config.sparseSafe);
        return 3;
      },
    },
    (L) => {
      udata.lua_pushlightuserdata(L, null);
      lua.lua_setfield(L, -2, luaText('null'));
      lua.lua_pushstring(L, luaText('cjson'));
      lua.lua_setfield(L, -2, luaText('_NAME'));
      lua.lua_pushstring(L, luaText('2.1.0'));
      lua.lua_setfield(L, -2, luaText('_VERSION'));
    },
  );
}
