// The `struct` library as Redis ships it (deps/lua/src/lua_struct.c, Roberto Ierusalimschy's struct
// 0.2): pack(fmt, ...), unpack(fmt, s [, init]) and size(fmt), on an x86-64 layout (little endian
// by default; short 2, int 4, long and size_t 8 bytes; alignment 1 unless set with '!').
import { lua, type LuaState } from '../lua-vm.js';
import { checkNumber, luaError, pushLibrary } from './lua-library.js';

const MAXINTSIZE = 32;
const MAXALIGN = 8;

interface Header {
  little: boolean;
  align: number;
}

/** Reads the format one option at a time: [option, size]. */
class Format {
  pos = 0;
  constructor(
    private readonly L: LuaState,
    private readonly fmt: string,
    private readonly fnName: string,
  ) {}

  argError(message: string): never {
    return luaError(this.L, `bad argument #1 to '${this.fnName}' (${message})`);
  }

  private number(def: number): number {
    const m = /^\d+/.exec(this.fmt.slice(this.pos));
    if (!m) return def;
    this.pos += m[0].length;
    return Number(m[0]);
  }

  /** The next data option and its size, applying control options on the way; null at the end. */
  next(h: Header): { opt: string; size: number } | null {
    while (this.pos < this.fmt.length) {
      const opt = this.fmt[this.pos++]!;
      switch (opt) {
        case 'b':
        case 'B':
        case 'x':
          return { opt, size: 1 };
        case 'h':
        case 'H':
          return { opt, size: 2 };
        case 'l':
        case 'L':
        case 'T':
        case 'd':
          return { opt, size: 8 };
        case 'f':
          return { opt, size: 4 };
        case 'c':
          return { opt, size: this.number(1) };
        case 's':
          return { opt, size: 0 };
        case 'i':
        case 'I': {
          const size = this.number(4);
          if (size > MAXINTSIZE) luaError(this.L, `integral size ${size} is larger than limit of ${MAXINTSIZE}`);
          return { opt, size };
        }
        case ' ':
          break;
        case '>':
          h.little = false;
          break;
        case '<':
          h.little = true;
          break;
        case '!': {
          const a = this.number(MAXALIGN);
          if ((a & (a - 1)) !== 0) luaError(this.L, `alignment ${a} is not a power of 2`);
          h.align = a;
          break;
        }
        default:
          this.argError(`invalid format option '${opt}'`);
      }
    }
    return null;
  }
}

function toAlign(len: number, h: Header, opt: string, size: number): number {
  if (size <= 1 || opt === 'c') return 0;
  if (size > h.align) size = h.align;
  return (size - (len & (size - 1))) & (size - 1);
}

function formatArg(L: LuaState, fnName: string): string {
  const s = lua.lua_tolstring(L, 1);
  if (s === null) return luaError(L, `bad argument #1 to '${fnName}' (string expected, got no value)`);
  return Buffer.from(s).toString('latin1');
}

function pack(L: LuaState): number {
  const format = new Format(L, formatArg(L, 'pack'), 'pack');
  const h: Header = { little: true, align: 1 };
  const out: number[] = [];
  let arg = 2;
  for (let item = format.next(h); item !== null; item = format.next(h)) {
    const { opt } = item;
    let size = item.size;
    const pad = toAlign(out.length, h, opt, size);
    for (let i = 0; i < pad; i++) out.push(0);
    switch (opt) {
      case 'b':
      case 'B':
      case 'h':
      case 'H':
      case 'l':
      case 'L':
      case 'T':
      case 'i':
      case 'I': {
        const n = checkNumber(L, arg++);
        let v = BigInt.asUintN(64, BigInt(Math.trunc(n)));
        const bytes: number[] = [];
        for (let i = 0; i < size; i++) {
          bytes.push(i < 8 ? Number(v & 0xffn) : n < 0 ? 0xff : 0);
          v >>= 8n;
        }
        out.push(...(h.little ? bytes : bytes.reverse()));
        break;
      }
      case 'x':
        out.push(0);
        break;
      case 'f':
      case 'd': {
        const b = Buffer.alloc(size);
        const n = checkNumber(L, arg++);
        if (opt === 'f') {
          if (h.little) b.writeFloatLE(n);
          else b.writeFloatBE(n);
        } else if (h.little) b.writeDoubleLE(n);
        else b.writeDoubleBE(n);
        out.push(...b);
        break;
      }
      case 'c':
      case 's': {
        const s = lua.lua_tolstring(L, arg);
        if (s === null)
          luaError(L, `bad argument #${arg} to 'pack' (string expected, got ${lua.lua_type(L, arg) <= 0 ? 'no value' : 'non-string'})`);
        if (size === 0) size = s!.length;
        arg++;
        // As lua_struct.c checks it: after moving past the argument, so the number is the next one's.
        if (s!.length < size) luaError(L, `bad argument #${arg} to 'pack' (string too short)`);
        out.push(...s!.subarray(0, size));
        if (opt === 's') out.push(0);
        break;
      }
    }
  }
  lua.lua_pushstring(L, Uint8Array.from(out));
  return 1;
}

function unpack(L: LuaState): number {
  const format = new Format(L, formatArg(L, 'unpack'), 'unpack');
  const data = lua.lua_tolstring(L, 2);
  if (data === null) return luaError(L, "bad argument #2 to 'unpack' (string expected, got no value)");
  const bytes = Buffer.from(data);
  const ld = bytes.length;
  let pos = lua.lua_gettop(L) >= 3 ? Math.trunc(lua.lua_tonumber(L, 3)) : 1;
  if (pos < 0) pos = Math.max(ld + pos + 1, 0);
  pos -= 1;
  if (pos > ld || pos < 0) luaError(L, "bad argument #3 to 'unpack' (offset must be 1 <= offset <= len)");
  const h: Header = { little: true, align: 1 };
  let results = 0;
  const tooShort = () => luaError(L, "bad argument #2 to 'unpack' (data string too short)");
  for (let item = format.next(h); item !== null; item = format.next(h)) {
    const { opt } = item;
    let size = item.size;
    pos += toAlign(pos, h, opt, size);
    if (pos + size > ld) tooShort();
    lua.lua_checkstack(L, 2);
    switch (opt) {
      case 'b':
      case 'B':
      case 'h':
      case 'H':
      case 'l':
      case 'L':
      case 'T':
      case 'i':
      case 'I': {
        let v = 0n;
        for (let i = 0; i < size; i++) {
          const byte = bytes[h.little ? pos + size - 1 - i : pos + i]!;
          v = (v << 8n) | BigInt(byte);
        }
        if (opt === opt.toLowerCase() && size <= 8) v = BigInt.asIntN(size * 8, v);
        lua.lua_pushnumber(L, Number(v));
        results++;
        break;
      }
      case 'x':
        break;
      case 'f':
        lua.lua_pushnumber(L, h.little ? bytes.readFloatLE(pos) : bytes.readFloatBE(pos));
        results++;
        break;
      case 'd':
        lua.lua_pushnumber(L, h.little ? bytes.readDoubleLE(pos) : bytes.readDoubleBE(pos));
        results++;
        break;
      case 'c': {
        if (size === 0) {
          if (results === 0 || lua.lua_type(L, -1) !== lua.LUA_TNUMBER) luaError(L, "format 'c0' needs a previous size");
          size = Math.trunc(lua.lua_tonumber(L, -1));
          lua.lua_pop(L, 1);
          results--;
          if (pos + size > ld) tooShort();
        }
        lua.lua_pushstring(L, bytes.subarray(pos, pos + size));
        results++;
        break;
      }
      case 's': {
        const end = bytes.indexOf(0, pos);
        if (end < 0) luaError(L, 'unfinished string in data');
        size = end - pos + 1;
        lua.lua_pushstring(L, bytes.subarray(pos, end));
        results++;
        break;
      }
    }
    pos += size;
  }
  lua.lua_pushnumber(L, pos + 1);
  return results + 1;
}

function size(L: LuaState): number {
  const format = new Format(L, formatArg(L, 'size'), 'size');
  const h: Header = { little: true, align: 1 };
  let total = 0;
  for (let item = format.next(h); item !== null; item = format.next(h)) {
    if (item.opt === 's') format.argError("option 's' has no fixed size");
    if (item.opt === 'c' && item.size === 0) format.argError("option 'c0' has no fixed size");
    total += toAlign(total, h, item.opt, item.size) + item.size;
  }
  lua.lua_pushnumber(L, total);
  return 1;
}

export function pushStruct(L: LuaState): void {
  pushLibrary(L, { pack, unpack, size });
}
