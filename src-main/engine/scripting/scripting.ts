// EVAL's scripts (Redis's eval.c with script.c): one Lua state for all clients, the script cache
// (sha1 of the body -> the compiled function), and a run: the checks before it starts
// (scriptPrepareForRun), KEYS and ARGV, the call under Redis's error handler, and the conversion
// of its result or error into the caller's reply (script_lua.c luaCallFunction).
import type { BinaryString } from '../protocol/request-parser.js';
import { Client } from '../core/client.js';
import type { Server } from '../core/server.js';
import { createSandbox, type Sandbox } from './lua-sandbox.js';
import { lua, lauxlib, luaBytes, luaText, toBinary } from './lua-vm.js';
import { REDIS_LUA_LIBRARIES } from './libraries/index.js';
import { installRandom, pushRedisTable, sha1hex, type ApiContext } from './redis-api.js';
import { invoke } from './script-invoke.js';
import { ScriptRun, type ScriptHost } from './script-run.js';
import { parseShebang, type ScriptFlags } from './shebang.js';

export const NOSCRIPT = 'NOSCRIPT No matching script. Please use EVAL.';

interface CachedScript {
  body: BinaryString;
  flags: ScriptFlags;
  /** Registry reference of the compiled chunk. */
  ref: number;
}

export class Scripting implements ApiContext {
  run: ScriptRun | null = null;
  private sandbox: Sandbox;
  private scripts = new Map<string, CachedScript>();
  /** The script client (Redis's lua_client), shared by every run. */
  private readonly client: Client;

  constructor(
    readonly server: Server,
    readonly host: ScriptHost,
  ) {
    this.client = new Client(server, null);
    this.client.isScript = true;
    this.sandbox = this.newSandbox();
    // SHUTDOWN NOSAVE under a yielding script: it is left where it stands, as the process exits.
    server.shutdownHooks.unshift(async () => {
      if (this.run !== null) this.run.abandoned = true;
    });
  }

  get logger() {
    return this.server.logger;
  }

  /**
   * INFO used_memory_scripts_eval (evalScriptsMemory): the cached scripts' bodies and their sha1
   * names, the bytes the cache keeps.
   */
  get cacheBytes(): number {
    let bytes = 0;
    for (const script of this.scripts.values()) bytes += 40 + script.body.length;
    return bytes;
  }

  /**
   * INFO used_memory_vm_eval (evalMemory): the state's heap when built, plus the cached scripts'
   * bodies, which it holds compiled (an estimate: the compiled form is not measured).
   */
  get vmBytes(): number {
    return this.sandbox.heapBytes + this.cacheBytes - 40 * this.scripts.size;
  }

  /** Number of cached scripts (INFO memory number_of_cached_scripts). */
  get size(): number {
    return this.scripts.size;
  }

  aclAllows(run: ScriptRun, argv: BinaryString[]): boolean | null {
    const command = this.server.commands.lookup(argv);
    if (!command) return null;
    return this.server.accessControl.check(run.client, command, argv) === null;
  }

  private newSandbox(): Sandbox {
    return createSandbox({ redis: (L) => pushRedisTable(L, this), ...REDIS_LUA_LIBRARIES }, (L) => {
      lua.lua_getglobal(L, luaText('math'));
      installRandom(L, this);
      lua.lua_pop(L, 1);
    });
  }

  /** luaCreateFunction: the script's sha, compiling and caching it if new; or the error to reply. */
  load(body: BinaryString): { sha: string } | { error: string } {
    const sha = sha1hex(body);
    if (this.scripts.has(sha)) return { sha };
    const parsed = parseShebang(body);
    if ('error' in parsed) return parsed;
    const L = this.sandbox.L;
    const code = luaBytes(body.slice(parsed.codeStart));
    if (lauxlib.luaL_loadbuffer(L, code, code.length, luaText('@user_script')) !== lua.LUA_OK) {
      // Lua 5.1 quotes every token in "near ..." (5.3 leaves <eof> bare).
      const message = (toBinary(L, -1) ?? '').replace(/ near <eof>$/, " near '<eof>'");
      lua.lua_pop(L, 1);
      return { error: `ERR Error compiling script (new function): ${message}` };
    }
    // The chunk's only upvalue is its _ENV: the read-only globals.
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, this.sandbox.envRef);
    lua.lua_setupvalue(L, -2, 1);
    const ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    this.scripts.set(sha, { body, flags: parsed.flags, ref });
    return { sha };
  }

  /**
   * evalGetCommandFlags: the flags of the script EVAL or EVALSHA `argv` would run (cached, or read
   * from EVAL's shebang), or null when it has none (compatibility mode, unknown sha, bad shebang).
   */
  flagsOf(argv: BinaryString[], bySha: boolean): ScriptFlags | null {
    const body = argv[1]!;
    if (bySha) return body.length === 40 ? (this.scripts.get(body.toLowerCase())?.flags ?? null) : null;
    const cached = this.scripts.get(sha1hex(body));
    if (cached) return cached.flags;
    const parsed = parseShebang(body);
    return 'error' in parsed ? null : parsed.flags;
  }

  exists(sha: BinaryString): boolean {
    return this.scripts.has(sha.toLowerCase());
  }

  /** SCRIPT FLUSH: a new Lua state and an empty cache (scriptingReset). */
  flush(): void {
    this.scripts = new Map();
    this.sandbox = this.newSandbox();
  }

  /** evalGenericCommand: EVAL / EVALSHA / EVAL_RO / EVALSHA_RO. */
  eval(caller: Client, argv: BinaryString[], bySha: boolean, readOnly: boolean): void {
    // Before the script's own commands (the command itself is flagged skip_monitor).
    if (this.server.monitors.size !== 0) this.server.monitors.show(caller, argv);
    const numkeys = Number(argv[2]);
    if (!/^-?\d+$/.test(argv[2]!) || !Number.isSafeInteger(numkeys)) {
      caller.reply.error('ERR value is not an integer or out of range');
      return;
    }
    if (numkeys > argv.length - 3) {
      caller.reply.error("ERR Number of keys can't be greater than number of args");
      return;
    }
    if (numkeys < 0) {
      caller.reply.error("ERR Number of keys can't be negative");
      return;
    }
    let sha: string;
    if (bySha) {
      sha = argv[1]!.toLowerCase();
      if (argv[1]!.length !== 40 || !this.scripts.has(sha)) {
        caller.reply.error(NOSCRIPT);
        return;
      }
    } else {
      const loaded = this.load(argv[1]!);
      if ('error' in loaded) {
        caller.reply.error(loaded.error);
        return;
      }
      sha = loaded.sha;
    }
    const script = this.scripts.get(sha)!;
    const refusal = prepareRefusal(this.host, caller, script.flags, readOnly);
    if (refusal !== null) {
      caller.reply.error(refusal);
      return;
    }
    const ro = readOnly || (!script.flags.compat && script.flags.noWrites);
    const run = new ScriptRun(caller, this.client, this.host, sha, ro, true, script.flags);
    this.call(run, script.ref, argv.slice(3, 3 + numkeys), argv.slice(3 + numkeys));
  }

  /** luaCallFunction in EVAL mode: KEYS and ARGV as globals, no arguments. */
  private call(run: ScriptRun, ref: number, keys: BinaryString[], args: BinaryString[]): void {
    invoke(this.sandbox, this, run, ref, keys, args);
    // What the script client replied and did not hand to the script (nothing, normally).
    this.client.reply.clear();
  }
}

/**
 * The refusals before a script runs, in Redis's order. A script with a shebang (or a function)
 * has its flags turned into the command's (scriptFlagsToCmdFlags): without no-writes it counts as a
 * write, so processCommand already refuses it with MISCONF or READONLY, and without allow-stale
 * with MASTERDOWN; then scriptPrepareForRun refuses a write script run by *_RO.
 */
export function prepareRefusal(host: ScriptHost, caller: Client, flags: ScriptFlags, readOnly: boolean): string | null {
  const stale = host.staleReplica();
  const masterdown = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
  if (flags.compat) return stale ? masterdown : null;
  // Out of memory when the script was admitted: without allow-oom it may not start. no-writes
  // implies allow-oom here too (redis-server 7.0.15 runs such a script over maxmemory), so this
  // catches what admission let through as denyoom-free only.
  const server = caller.server;
  if (!flags.allowOom && !flags.noWrites && server.eviction.scriptOom && server.config.int('maxmemory') !== 0) {
    return "OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'";
  }
  if (!flags.noWrites) {
    const disk = host.diskError();
    if (disk !== null) return disk;
    if (host.readOnlyReplica() && !caller.isAofReplay && !caller.isMaster) return "READONLY You can't write against a read only replica.";
  }
  if (stale && !flags.allowStale) return masterdown;
  if (!flags.noWrites && readOnly) return 'ERR Can not execute a script with write flag using *_ro command.';
  return null;
}
