// The `bit` library (LuaBitOp, Redis's deps/lua/src/lua_bit.c): 32-bit operations on numbers.
// Arguments are normalised to signed 32-bit integers the way LuaBitOp does (the double plus
// 2^52 + 2^51, low 32 bits: values wrap modulo 2^32, fractions round to nearest even), and results
// are signed.
import { lua, luaText, type LuaState } from '../lua-vm.js';
import { checkNumber, pushLibrary } from './lua-library.js';

/** barg: the argument as an int32. */
function barg(L: LuaState, arg: number): number {
  const n = checkNumber(L, arg);
  if (!Number.isFinite(n)) return 0;
  // Rounding half to even, then modulo 2^32, as the 2^52+2^51 trick does.
  let r = Math.round(n);
  if (Math.abs(n % 1) === 0.5 && r % 2 !== 0) r -= 1;
  return Number(BigInt.asIntN(32, BigInt(r)));
}

function push(L: LuaState, n: number): number {
  lua.lua_pushnumber(L, n | 0);
  return 1;
}

const fold = (op: (a: number, b: number) => number) => (L: LuaState) => {
  let r = barg(L, 1);
  for (let i = lua.lua_gettop(L); i > 1; i--) r = op(r, barg(L, i));
  return push(L, r);
};

export function pushBit(L: LuaState): void {
  pushLibrary(L, {
    tobit: (L) => push(L, barg(L, 1)),
    bnot: (L) => push(L, ~barg(L, 1)),
    band: fold((a, b) => a & b),
    bor: fold((a, b) => a | b),
    bxor: fold((a, b) => a ^ b),
    lshift: (L) => push(L, barg(L, 1) << (barg(L, 2) & 31)),
    rshift: (L) => push(L, barg(L, 1) >>> (barg(L, 2) & 31)),
    arshift: (L) => push(L, barg(L, 1) >> (barg(L, 2) & 31)),
    rol: (L) => {
      const b = barg(L, 1);
      const n = barg(L, 2) & 31;
      return push(L, (b << n) | (b >>> (32 - n)));
    },
    ror: (L) => {
      const b = barg(L, 1);
      const n = barg(L, 2) & 31;
      return push(L, (b >>> n) | (b << (32 - n)));
    },
    bswap: (L) => {
      const b = barg(L, 1);
      return push(L, (b >>> 24) | ((b >> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24) | 0);
    },
    tohex: (L) => {
      const b = barg(L, 1);
      let n = lua.lua_type(L, 2) <= 0 ? 8 : barg(L, 2);
      let digits = '0123456789abcdef';
      if (n < 0) {
        n = -n;
        digits = '0123456789ABCDEF';
      }
      if (n > 8) n = 8;
      let out = '';
      let x = b >>> 0;
      for (let i = 0; i < n; i++) {
        out = digits[x & 15]! + out;
        x >>>= 4;
      }
      lua.lua_pushstring(L, luaText(out));
      return 1;
    },
  });
}
