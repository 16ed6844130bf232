// Redis 7.0 functions (functions.c, function_lua.c): libraries of named Lua functions loaded with
// FUNCTION LOAD, called with FCALL / FCALL_RO, kept in RDB files (RDB_OPCODE_FUNCTION2, through
// server.functionLibraries) and replicated as the FUNCTION commands themselves.
//
// Functions run in a Lua state of their own. While a library's code runs (FUNCTION LOAD), its
// globals are only `redis` with register_function, log, the LOG_* levels and the version: the
// environment's __index is switched to that table, then back to the full globals, as
// function_lua.c switches the globals' metatable.
import type { BinaryString } from '../protocol/request-parser.js';
import { Client } from '../core/client.js';
import type { Server, FunctionLibraryStore } from '../core/server.js';
import { createSandbox, type Sandbox } from './lua-sandbox.js';
import { lua, lauxlib, luaBytes, luaText, fromLua, toBinary, type LuaState } from './lua-vm.js';
import { REDIS_LUA_LIBRARIES } from './libraries/index.js';
import { installRandom, pushRedisTable, type ApiContext } from './redis-api.js';
import { pushErrorTable } from './resp-to-lua.js';
import { invoke } from './script-invoke.js';
import { ScriptRun, type ScriptHost } from './script-run.js';
import { flagsFromNames, type ScriptFlags } from './shebang.js';
import { prepareRefusal } from './scripting.js';

export interface FunctionInfo {
  name: string;
  description: BinaryString | null;
  flags: ScriptFlags;
  /** The flag names as given, in Redis's order (FUNCTION LIST). */
  flagNames: string[];
  ref: number;
  library: Library;
}

export interface Library {
  name: string;
  code: BinaryString;
  functions: Map<string, FunctionInfo>;
}

/** scripts_flags_def order, which FUNCTION LIST follows. */
const FLAG_ORDER = ['no-writes', 'allow-oom', 'allow-stale', 'no-cluster'];

const NAME_ERROR = 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';
const validName = (name: string) => /^[a-zA-Z0-9_]+$/.test(name);

/** The Lua that switches a library's globals between loading and running (see the top). */
const LOAD_ENV_LUA = String.raw`
local G, meta, register, redis = ...
local function readonly() error('Attempt to modify a readonly table', 2) end
local function missing(_, k) error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2) end
local loadRedis = { register_function = register, log = redis.log, REDIS_VERSION = redis.REDIS_VERSION,
  REDIS_VERSION_NUM = redis.REDIS_VERSION_NUM, LOG_DEBUG = redis.LOG_DEBUG, LOG_VERBOSE = redis.LOG_VERBOSE,
  LOG_NOTICE = redis.LOG_NOTICE, LOG_WARNING = redis.LOG_WARNING }
setmetatable(loadRedis, { __index = missing, __newindex = readonly })
local loadApi = setmetatable({ redis = loadRedis }, { __index = missing, __newindex = readonly })
return function(loading) meta.__index = loading and loadApi or G end
`;

export class Functions implements ApiContext, FunctionLibraryStore {
  run: ScriptRun | null = null;
  libraries = new Map<string, Library>();
  functions = new Map<string, FunctionInfo>();
  private sandbox!: Sandbox;
  /** Registry reference of the function switching the globals for loading. */
  private switchRef = 0;
  /** The library whose code is running (FUNCTION LOAD), which register_function adds to. */
  private loading: Library | null = null;
  private readonly client: Client;

  constructor(
    readonly server: Server,
    readonly host: ScriptHost,
  ) {
    this.client = new Client(server, null);
    this.client.isScript = true;
    this.reset();
    // SHUTDOWN NOSAVE under a yielding function: it is left where it stands, as the process exits.
    server.shutdownHooks.unshift(async () => {
      if (this.run !== null) this.run.abandoned = true;
    });
  }

  get logger() {
    return this.server.logger;
  }

  aclAllows(run: ScriptRun, argv: BinaryString[]): boolean | null {
    const command = this.server.commands.lookup(argv);
    if (!command) return null;
    return this.server.accessControl.check(run.client, command, argv) === null;
  }

  /**
   * INFO used_memory_functions (functionsMemoryOverhead): what the libraries keep outside the Lua
   * state, their names and code and their functions' names and descriptions.
   */
  get cacheBytes(): number {
    let bytes = 0;
    for (const library of this.libraries.values()) bytes += library.name.length + library.code.length;
    for (const fn of this.functions.values()) bytes += fn.name.length + (fn.description?.length ?? 0);
    return bytes;
  }

  /**
   * INFO used_memory_vm_functions (functionsMemory): the state's heap when built (see Sandbox
   * heapBytes), plus the libraries' code it holds compiled (an estimate, the compiled form is not
   * measured).
   */
  get vmBytes(): number {
    let bytes = this.sandbox.heapBytes;
    for (const library of this.libraries.values()) bytes += library.code.length;
    return bytes;
  }

  /** A new Lua state and no libraries (FUNCTION FLUSH). */
  reset(): void {
    this.libraries = new Map();
    this.functions = new Map();
    const sandbox = createSandbox({ redis: (L) => pushRedisTable(L, this), ...REDIS_LUA_LIBRARIES }, (L) => {
      lua.lua_getglobal(L, luaText('math'));
      installRandom(L, this);
      lua.lua_pop(L, 1);
    });
    const L = sandbox.L;
    if (lauxlib.luaL_loadbuffer(L, luaText(LOAD_ENV_LUA), null, luaText('@sandbox_def')) !== lua.LUA_OK)
      throw new Error('functions: load env');
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, sandbox.globalsRef);
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, sandbox.envMetaRef);
    lua.lua_pushjsfunction(L, (L) => this.registerFunction(L));
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, sandbox.globalsRef);
    lua.lua_getfield(L, -1, luaText('redis'));
    lua.lua_remove(L, -2);
    if (lua.lua_pcall(L, 4, 1, 0) !== lua.LUA_OK) throw new Error(`functions: ${toBinary(L, -1)}`);
    this.switchRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    this.sandbox = sandbox;
  }

  codes(): BinaryString[] {
    return [...this.libraries.values()].map((lib) => lib.code);
  }

  replaceAll(codes: BinaryString[]): string | null {
    this.reset();
    for (const code of codes) {
      const loaded = this.load(code, false);
      if ('error' in loaded) return loaded.error;
    }
    return null;
  }

  /** functionsCreateWithLibraryCtx: the library's name, or the error to reply. */
  load(code: BinaryString, replace: boolean): { name: string } | { error: string } {
    const meta = parseLibraryMetadata(code);
    if ('error' in meta) return { error: `ERR ${meta.error}` };
    if (!validName(meta.name)) return { error: `ERR ${NAME_ERROR}` };
    if (meta.engine.toLowerCase() !== 'lua') return { error: `ERR Engine '${meta.engine}' not found` };
    const old = this.libraries.get(meta.name);
    if (old && !replace) return { error: `ERR Library '${meta.name}' already exists` };
    const library: Library = { name: meta.name, code, functions: new Map() };
    const error = this.compile(library, meta.body);
    if (error !== null) {
      this.release(library);
      return { error: `ERR ${error}` };
    }
    if (library.functions.size === 0) return { error: 'ERR No functions registered' };
    for (const name of library.functions.keys()) {
      const existing = this.functions.get(name);
      if (existing && existing.library !== old) {
        this.release(library);
        return { error: `ERR Function ${name} already exists` };
      }
    }
    if (old) this.unlink(old);
    this.libraries.set(library.name, library);
    for (const fn of library.functions.values()) this.functions.set(fn.name, fn);
    return { name: library.name };
  }

  /**
   * FUNCTION RESTORE (libraryJoin): adds the payload's libraries, or with `flush` replaces them all;
   * on any failure the libraries stay as they were. The error to reply, or null.
   */
  restore(codes: BinaryString[], policy: 'append' | 'replace' | 'flush'): string | null {
    const before = this.codes();
    if (policy === 'append') {
      for (const code of codes) {
        const meta = parseLibraryMetadata(code);
        if (!('error' in meta) && this.libraries.has(meta.name)) return `ERR Library ${meta.name} already exists`;
      }
    }
    if (policy === 'flush') this.reset();
    for (const code of codes) {
      const loaded = this.load(code, policy === 'replace');
      if ('error' in loaded) {
        this.replaceAll(before);
        return loaded.error;
      }
    }
    return null;
  }

  /** FUNCTION DELETE: false when there is no such library. */
  delete(name: BinaryString): boolean {
    const library = this.libraries.get(name);
    if (!library) return false;
    this.unlink(library);
    return true;
  }

  private unlink(library: Library): void {
    for (const name of library.functions.keys()) this.functions.delete(name);
    this.libraries.delete(library.name);
    this.release(library);
  }

  private release(library: Library): void {
    for (const fn of library.functions.values()) lauxlib.luaL_unref(this.sandbox.L, lua.LUA_REGISTRYINDEX, fn.ref);
  }

  /** luaEngineCreate: runs the library's code with the loading globals; the error, or null. */
  private compile(library: Library, body: BinaryString): string | null {
    const L = this.sandbox.L;
    const code = luaBytes(body);
    if (lauxlib.luaL_loadbuffer(L, code, code.length, luaText('@user_function')) !== lua.LUA_OK) {
      const message = (toBinary(L, -1) ?? '').replace(/ near <eof>$/, " near '<eof>'");
      lua.lua_pop(L, 1);
      return `Error compiling function: ${message}`;
    }
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, this.sandbox.envRef);
    lua.lua_setupvalue(L, -2, 1);
    this.switchGlobals(true);
    this.loading = library;
    const status = lua.lua_pcall(L, 0, 0, 0);
    this.loading = null;
    this.switchGlobals(false);
    if (status === lua.LUA_OK) return null;
    let message: string;
    if (lua.lua_type(L, -1) === lua.LUA_TTABLE) {
      lua.lua_getfield(L, -1, luaText('err'));
      message = toBinary(L, -1) ?? '';
      lua.lua_pop(L, 1);
    } else {
      message = `ERR ${toBinary(L, -1) ?? ''}`;
    }
    lua.lua_pop(L, 1);
    return `Error registering functions: ${message}`;
  }

  private switchGlobals(loading: boolean): void {
    const L = this.sandbox.L;
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, this.switchRef);
    lua.lua_pushboolean(L, loading);
    lua.lua_pcall(L, 1, 0, 0);
  }

  /** redis.register_function(name, callback) or redis.register_function{function_name=..., ...}. */
  private registerFunction(L: LuaState): number {
    const library = this.loading;
    const fail = (message: string): never => {
      pushErrorTable(L, message);
      return lua.lua_error(L);
    };
    if (library === null) return fail('redis.register_function can only be called on FUNCTION LOAD command');
    const argc = lua.lua_gettop(L);
    if (argc < 1 || argc > 2) return fail('wrong number of arguments to redis.register_function');
    let name: string | null = null;
    let description: BinaryString | null = null;
    let flagNames: string[] = [];
    let ref = -1;
    if (argc === 2) {
      if (!lua.lua_isstring(L, 1)) return fail('first argument to redis.register_function must be a string');
      name = toBinary(L, 1);
      if (lua.lua_type(L, 2) !== lua.LUA_TFUNCTION) return fail('second argument to redis.register_function must be a function');
      lua.lua_settop(L, 2);
      ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    } else {
      if (lua.lua_type(L, 1) !== lua.LUA_TTABLE) {
        return fail(
          'calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).',
        );
      }
      lua.lua_pushnil(L);
      while (lua.lua_next(L, 1) !== 0) {
        if (!lua.lua_isstring(L, -2) || lua.lua_type(L, -2) !== lua.LUA_TSTRING) {
          return fail('named argument key given to redis.register_function is not a string');
        }
        const key = fromLua(lua.lua_tolstring(L, -2)!).toLowerCase();
        if (key === 'function_name') {
          if (!lua.lua_isstring(L, -1)) return fail('function_name argument given to redis.register_function must be a string');
          name = toBinary(L, -1);
        } else if (key === 'description') {
          if (!lua.lua_isstring(L, -1)) return fail('description argument given to redis.register_function must be a string');
          description = toBinary(L, -1);
        } else if (key === 'callback') {
          if (lua.lua_type(L, -1) !== lua.LUA_TFUNCTION)
            return fail('callback argument given to redis.register_function must be a function');
          lua.lua_pushvalue(L, -1);
          ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
        } else if (key === 'flags') {
          if (lua.lua_type(L, -1) !== lua.LUA_TTABLE)
            return fail('flags argument to redis.register_function must be a table representing function flags');
          const names: string[] = [];
          for (let i = 1; lua.lua_rawgeti(L, -1, i) !== lua.LUA_TNIL; i++) {
            const flag = lua.lua_isstring(L, -1) ? toBinary(L, -1)!.toLowerCase() : null;
            lua.lua_pop(L, 1);
            if (flag === null || !FLAG_ORDER.includes(flag)) return fail('unknown flag given');
            names.push(flag);
          }
          lua.lua_pop(L, 1);
          flagNames = FLAG_ORDER.filter((f) => names.includes(f));
        } else {
          return fail('unknown argument given to redis.register_function');
        }
        lua.lua_pop(L, 1);
      }
      if (name === null) return fail('redis.register_function must get a function name argument');
      if (ref < 0) return fail('redis.register_function must get a callback argument');
    }
    if (!validName(name!)) return fail(NAME_ERROR);
    if (library.functions.has(name!)) return fail('Function already exists in the library');
    const flags = flagsFromNames(flagNames);
    if ('unknown' in flags) return fail('unknown flag given');
    library.functions.set(name!, { name: name!, description, flags, flagNames, ref, library });
    return 0;
  }

  /** fcallCommandGeneric: FCALL / FCALL_RO. */
  fcall(caller: Client, argv: BinaryString[], readOnly: boolean): void {
    // Before the script's own commands (the command itself is flagged skip_monitor).
    if (this.server.monitors.size !== 0) this.server.monitors.show(caller, argv);
    const fn = this.functions.get(argv[1]!);
    if (!fn) {
      caller.reply.error('ERR Function not found');
      return;
    }
    if (!/^-?\d+$/.test(argv[2]!)) {
      caller.reply.error('ERR Bad number of keys provided');
      return;
    }
    const numkeys = Number(argv[2]);
    if (numkeys > argv.length - 3) {
      caller.reply.error("ERR Number of keys can't be greater than number of args");
      return;
    }
    if (numkeys < 0) {
      caller.reply.error("ERR Number of keys can't be negative");
      return;
    }
    const refusal = prepareRefusal(this.host, caller, fn.flags, readOnly);
    if (refusal !== null) {
      caller.reply.error(refusal);
      return;
    }
    const run = new ScriptRun(caller, this.client, this.host, fn.name, readOnly || fn.flags.noWrites, false, fn.flags);
    run.commandArgv = argv;
    invoke(this.sandbox, this, run, fn.ref, argv.slice(3, 3 + numkeys), argv.slice(3 + numkeys));
    this.client.reply.clear();
  }
}

/** functionExtractLibMetaData: `#!<engine> name=<name>` on the first line. */
function parseLibraryMetadata(code: BinaryString): { engine: string; name: string; body: BinaryString } | { error: string } {
  if (!code.startsWith('#!')) return { error: 'Missing library metadata' };
  const end = code.indexOf('\n');
  if (end < 0) return { error: 'Invalid library metadata' };
  const parts = code
    .slice(0, end)
    .split(/[ \t\r]+/)
    .filter((p) => p !== '');
  if (parts.length === 0) return { error: 'Invalid library metadata' };
  const engine = parts[0]!.slice(2);
  let name: string | null = null;
  for (const part of parts.slice(1)) {
    if (part.toLowerCase().startsWith('name=')) {
      if (name !== null) return { error: 'Invalid metadata value, name argument was given multiple times' };
      name = part.slice(5);
      continue;
    }
    return { error: `Invalid metadata value given: ${part}` };
  }
  if (name === null) return { error: 'Library name was not given' };
  return { engine, name, body: code.slice(end) };
}
