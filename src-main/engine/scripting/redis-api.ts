// The `redis` table scripts see (script_lua.c luaRegisterRedisAPI): call, pcall, sha1hex,
// error_reply, status_reply, log, setresp, set_repl, acl_check_cmd, the REPL_* and LOG_* constants,
// REDIS_VERSION and REDIS_VERSION_NUM; plus eval.c's breakpoint, debug and replicate_commands,
// and Redis's math.random / math.randomseed (its own lrand48, the same sequence on every machine).
import { createHash } from 'node:crypto';
import type { BinaryString } from '../protocol/request-parser.js';
import type { Logger } from '../util/logger.js';
import { formatDouble17g } from '../util/number-text.js';
import { REDIS_VERSION } from '../util/version.js';
import { lua, lauxlib, luaText, pushText, toBinary, type LuaState, type LuaJsFunction } from './lua-vm.js';
import { markErrorCounted, pushErrorTable, pushReply } from './resp-to-lua.js';
import { PROPAGATE_AOF, PROPAGATE_REPL, type ScriptRun } from './script-run.js';
import { nudgeTimeoutHook } from './script-timeout.js';

/** What the API functions reach: the run in progress (null between runs) and the log. */
export interface ApiContext {
  run: ScriptRun | null;
  readonly logger: Logger;
  /** redis.acl_check_cmd: whether the caller's user may run argv (null: unknown command). */
  aclAllows(run: ScriptRun, argv: BinaryString[]): boolean | null;
}

export function sha1hex(data: BinaryString): string {
  return createHash('sha1').update(data, 'latin1').digest('hex');
}

/** REDIS_VERSION_NUM: 0x00MMmmpp. */
const VERSION_NUM = REDIS_VERSION.split('.').reduce((n, part) => n * 256 + Number(part), 0);

const LOG_LEVELS = ['debug', 'verbose', 'notice', 'warning'] as const;

/** luaArgsToRedisArgv: the arguments as a command line, or null after pushing the error table. */
function argvOf(L: LuaState): BinaryString[] | null {
  const argc = lua.lua_gettop(L);
  if (argc === 0) {
    pushErrorTable(L, 'Please specify at least one argument for this redis lib call');
    return null;
  }
  const argv: BinaryString[] = new Array(argc);
  for (let i = 1; i <= argc; i++) {
    const type = lua.lua_type(L, i);
    let arg: BinaryString | null;
    // Numbers are printed with %.17g: Lua's own conversion (%.14g) would lose precision.
    if (type === lua.LUA_TNUMBER) arg = formatDouble17g(lua.lua_tonumber(L, i));
    else arg = type === lua.LUA_TSTRING ? toBinary(L, i) : null;
    if (arg === null) {
      lua.lua_settop(L, 0);
      pushErrorTable(L, 'Lua redis lib command arguments must be strings or integers');
      return null;
    }
    argv[i - 1] = arg;
  }
  lua.lua_settop(L, 0);
  return argv;
}

function runOf(L: LuaState, ctx: ApiContext, what: string): ScriptRun {
  if (ctx.run === null) {
    pushErrorTable(L, `${what} can only be called inside a script invocation`);
    lua.lua_error(L);
  }
  return ctx.run!;
}

/** luaRedisGenericCommand: redis.call (raise) and redis.pcall. */
function redisCommand(ctx: ApiContext, raise: boolean): LuaJsFunction {
  return (L) => {
    const run = runOf(L, ctx, 'redis.call/pcall');
    const argv = argvOf(L);
    if (argv === null) return raise ? lua.lua_error(L) : 1;
    const outcome = run.call(argv);
    nudgeTimeoutHook(L, run);
    if ('error' in outcome) {
      pushErrorTable(L, outcome.error);
      markErrorCounted(L);
      return raise ? lua.lua_error(L) : 1;
    }
    const isError = pushReply(L, outcome.reply);
    return raise && isError ? lua.lua_error(L) : 1;
  };
}

/** The functions and constants of the `redis` table, pushed as one table. */
export function pushRedisTable(L: LuaState, ctx: ApiContext): void {
  const fns: Record<string, LuaJsFunction> = {
    call: redisCommand(ctx, true),
    pcall: redisCommand(ctx, false),
    sha1hex: (L) => {
      if (lua.lua_gettop(L) !== 1) {
        pushErrorTable(L, 'wrong number of arguments');
        return lua.lua_error(L);
      }
      pushText(L, sha1hex(toBinary(L, 1) ?? ''));
      return 1;
    },
    error_reply: (L) => {
      if (lua.lua_gettop(L) !== 1 || lua.lua_type(L, -1) !== lua.LUA_TSTRING) {
        pushErrorTable(L, 'wrong number or type of arguments');
        return 1;
      }
      const err = toBinary(L, -1)!;
      pushErrorTable(L, err.startsWith('-') ? err : `-${err}`);
      return 1;
    },
    status_reply: (L) => {
      if (lua.lua_gettop(L) !== 1 || lua.lua_type(L, -1) !== lua.LUA_TSTRING) {
        pushErrorTable(L, 'wrong number or type of arguments');
        return 1;
      }
      lua.lua_createtable(L, 0, 1);
      lua.lua_pushvalue(L, -2);
      lua.lua_setfield(L, -2, luaText('ok'));
      return 1;
    },
    log: (L) => {
      const argc = lua.lua_gettop(L);
      if (argc < 2) {
        pushErrorTable(L, 'redis.log() requires two arguments or more.');
        return lua.lua_error(L);
      }
      if (lua.lua_type(L, 1) !== lua.LUA_TNUMBER && !(lua.lua_type(L, 1) === lua.LUA_TSTRING && !Number.isNaN(Number(toBinary(L, 1))))) {
        pushErrorTable(L, 'First argument must be a number (log level).');
        return lua.lua_error(L);
      }
      const level = Math.trunc(lua.lua_tonumber(L, 1));
      if (level < 0 || level > 3) {
        pushErrorTable(L, 'Invalid debug level.');
        return lua.lua_error(L);
      }
      const parts: string[] = [];
      for (let i = 2; i <= argc; i++) {
        const s = lua.lua_type(L, i) === lua.LUA_TNUMBER ? String(lua.lua_tonumber(L, i)) : toBinary(L, i);
        if (s !== null) parts.push(s);
      }
      const logLevel = LOG_LEVELS[level]!;
      if (ctx.logger.enabled(logLevel)) ctx.logger[logLevel](parts.join(' '));
      return 0;
    },
    setresp: (L) => {
      const run = runOf(L, ctx, 'redis.setresp');
      if (lua.lua_gettop(L) !== 1) {
        pushErrorTable(L, 'redis.setresp() requires one argument.');
        return lua.lua_error(L);
      }
      const resp = Math.trunc(lua.lua_tonumber(L, 1));
      if (resp !== 2 && resp !== 3) {
        pushErrorTable(L, 'RESP version must be 2 or 3.');
        return lua.lua_error(L);
      }
      run.resp = resp;
      run.client.reply.protocol = resp;
      return 0;
    },
    set_repl: (L) => {
      const run = runOf(L, ctx, 'redis.set_repl');
      if (lua.lua_gettop(L) !== 1) {
        pushErrorTable(L, 'redis.set_repl() requires two arguments.');
        return lua.lua_error(L);
      }
      const flags = Math.trunc(lua.lua_tonumber(L, -1));
      if ((flags & ~(PROPAGATE_AOF | PROPAGATE_REPL)) !== 0) {
        pushErrorTable(L, 'Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.');
        return lua.lua_error(L);
      }
      run.repl = flags;
      return 0;
    },
    acl_check_cmd: (L) => {
      const run = runOf(L, ctx, 'redis.acl_check_cmd');
      const argv = argvOf(L);
      if (argv === null) return lua.lua_error(L);
      const allowed = ctx.aclAllows(run, argv);
      if (allowed === null) {
        pushErrorTable(L, 'Invalid command passed to redis.acl_check_cmd()');
        return lua.lua_error(L);
      }
      lua.lua_pushboolean(L, allowed);
      return 1;
    },
    breakpoint: (L) => {
      lua.lua_pushboolean(L, false);
      return 1;
    },
    debug: () => 0,
    replicate_commands: (L) => {
      lua.lua_pushboolean(L, true);
      return 1;
    },
  };
  const numbers: Record<string, number> = {
    LOG_DEBUG: 0,
    LOG_VERBOSE: 1,
    LOG_NOTICE: 2,
    LOG_WARNING: 3,
    REPL_NONE: 0,
    REPL_AOF: PROPAGATE_AOF,
    REPL_SLAVE: PROPAGATE_REPL,
    REPL_REPLICA: PROPAGATE_REPL,
    REPL_ALL: PROPAGATE_AOF | PROPAGATE_REPL,
    REDIS_VERSION_NUM: VERSION_NUM,
  };
  lua.lua_createtable(L, 0, 32);
  for (const [name, fn] of Object.entries(fns)) {
    lua.lua_pushjsfunction(L, fn);
    lua.lua_setfield(L, -2, luaText(name));
  }
  for (const [name, n] of Object.entries(numbers)) {
    lua.lua_pushnumber(L, n);
    lua.lua_setfield(L, -2, luaText(name));
  }
  pushText(L, REDIS_VERSION);
  lua.lua_setfield(L, -2, luaText('REDIS_VERSION'));
}

/** rand.c's redisLrand48: the 48-bit linear congruential generator, seeded as redisSrand48. */
class Rand48 {
  private x = (0x1234n << 32n) | (0xabcdn << 16n) | 0x330en;

  next(): number {
    this.x = (0x5deece66dn * this.x + 0xbn) & 0xffffffffffffn;
    return Number(this.x >> 17n);
  }

  seed(seed: number): void {
    const s = BigInt(seed | 0) & 0xffffffffn;
    this.x = (s << 16n) | 0x330en;
  }
}

const LRAND48_MAX = 2147483647;

/** Replaces math.random and math.randomseed with Redis's (math is the real table on the stack top). */
export function installRandom(L: LuaState, ctx: ApiContext): void {
  const rand = new Rand48();
  lua.lua_pushjsfunction(L, (L) => {
    if (ctx.run === null) return lauxlib.luaL_error(L, luaText('math.random can only be called inside a script invocation'));
    const r = (rand.next() % LRAND48_MAX) / LRAND48_MAX;
    switch (lua.lua_gettop(L)) {
      case 0:
        lua.lua_pushnumber(L, r);
        break;
      case 1: {
        const u = lauxlib.luaL_checkinteger(L, 1);
        if (!(1 <= u)) lauxlib.luaL_argerror(L, 1, luaText('interval is empty'));
        lua.lua_pushnumber(L, Math.floor(r * u) + 1);
        break;
      }
      case 2: {
        const l = lauxlib.luaL_checkinteger(L, 1);
        const u = lauxlib.luaL_checkinteger(L, 2);
        if (!(l <= u)) lauxlib.luaL_argerror(L, 2, luaText('interval is empty'));
        lua.lua_pushnumber(L, Math.floor(r * (u - l + 1)) + l);
        break;
      }
      default:
        return lauxlib.luaL_error(L, luaText('wrong number of arguments'));
    }
    return 1;
  });
  lua.lua_setfield(L, -2, luaText('random'));
  lua.lua_pushjsfunction(L, (L) => {
    if (ctx.run === null) return lauxlib.luaL_error(L, luaText('math.randomseed can only be called inside a script invocation'));
    rand.seed(lauxlib.luaL_checkinteger(L, 1));
    return 0;
  });
  lua.lua_setfield(L, -2, luaText('randomseed'));
}
