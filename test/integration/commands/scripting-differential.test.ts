// Scripting against Debian's redis-server 7.0, reply for reply: EVAL / EVALSHA / EVAL_RO, SCRIPT
// LOAD / EXISTS / FLUSH, the Lua <-> RESP conversions (RESP2 and, with redis.setresp(3), RESP3),
// the redis.* API, errors with their exact texts (script: <sha>, on @user_script:N.), shebang
// flags, read-only scripts, the sandbox (protected globals, Lua 5.1 numbers and names).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pairForFile } from '../../support/differential.js';
import { spawn } from 'node:child_process';
import { RespClient, show } from '../../support/resp-client.js';

const pair = pairForFile();

const evals = (scripts: Array<[string, ...Array<string | number>]>) =>
  pair.sameAll(scripts.map(([script, ...rest]) => ['EVAL', script, ...(rest.length === 0 ? [0] : rest)]));

describe('EVAL: conversions from Lua to the reply', () => {
  test('strings, numbers (truncated), booleans, nil, tables up to the first nil', () =>
    evals([
      ["return 'hello'"],
      ['return 42'],
      ['return 3.99'],
      ['return -3.99'],
      ['return 1e300'],
      ['return math.huge'],
      ['return 0/0'],
      ['return true'],
      ['return false'],
      ['return nil'],
      ["return {1, 2, 3.7, 'a', false, nil, 5}"],
      ["return {1, {2, {3, 'x'}}, {}}"],
      ["return {ok='FINE'}"],
      ["return {err='MYERR custom'}"],
      ["return {err='no code'}"],
      ["return {ok='multi\\r\\nline'}"],
      ["return redis.status_reply('PONG')"],
      ["return redis.error_reply('BAD thing')"],
      ["return redis.error_reply('-BAD2 thing')"],
      ['return redis.error_reply(1)'],
      ['return redis.status_reply()'],
      ['return {double=3.5}'],
      ['return {map={a=1}}'],
      ['return {set={a=true}}'],
      ["return {big_number='123456789012345678901234567890'}"],
      ['return print'],
      ['return function() end'],
    ]));

  test('RESP3 replies of a script that asked for them (redis.setresp(3)), to a RESP2 caller', () =>
    evals([
      ['redis.setresp(3); return true'],
      ['redis.setresp(3); return false'],
      ['redis.setresp(3); return {double=1.5}'],
      ['redis.setresp(3); return {map={a=1}}'],
      ['redis.setresp(3); return {set={x=true}}'],
      ['redis.setresp(4)'],
      ['redis.setresp()'],
    ]));
});

describe('redis.call / redis.pcall: conversions from the reply to Lua', () => {
  test('replies of every kind, in RESP2 and RESP3', async () => {
    await pair.sameAll([
      ['DEL', 'h', 's', 'l', 'z', 'str'],
      ['HSET', 'h', 'f1', 'v1', 'f2', 'v2'],
      ['SADD', 's', 'm'],
      ['RPUSH', 'l', 'a', 'b', 'c'],
      ['ZADD', 'z', '1.5', 'm'],
      ['SET', 'str', 'abc'],
    ]);
    await evals([
      ["return redis.call('GET', 'nokey')"],
      ["return {redis.call('GET', 'nokey')}"],
      ["return type(redis.call('GET', 'nokey'))"],
      ["return redis.call('LRANGE', 'l', 0, -1)"],
      ["return redis.call('SET', 'k', 'v')"],
      ["return type(redis.call('SET', 'k', 'v'))"],
      ["return redis.call('SET', 'k', 'v').ok"],
      ["return redis.call('INCR', 'counter')"],
      ["return redis.call('HGETALL', 'h')"],
      ["return redis.call('ZSCORE', 'z', 'm')"],
      ["return redis.call('OBJECT', 'ENCODING', 'str')"],
      ["redis.setresp(3); return redis.call('HGETALL', 'h').map.f1"],
      ["redis.setresp(3); return redis.call('ZSCORE', 'z', 'm').double"],
      ["redis.setresp(3); local s = redis.call('SMEMBERS', 's').set; return s.m"],
      ["redis.setresp(3); return redis.call('GET', 'nokey') == nil"],
      ["redis.setresp(3); return redis.call('EXISTS', 'h')"],
      ["return redis.pcall('INCR', 'str')"],
      ["return redis.pcall('INCR', 'str')['err']"],
      ["return redis.call('SET', 'n', 3.5)"],
      ["return redis.call('SET', 'n', 0.1) and redis.call('GET', 'n')"],
      ["return redis.call('SET', 'n', 1e20) and redis.call('GET', 'n')"],
      ["return redis.call('SET', 'n', 12) and redis.call('GET', 'n')"],
    ]);
  });

  // Short integer replies are read in place (resp-to-lua.ts), longer ones as text: both exact.
  test('integer replies of every length and sign, as Lua numbers', () =>
    evals([
      ["redis.call('SET', 'int', '0'); return tostring(redis.call('INCRBY', 'int', 0))"],
      ["return tostring(redis.call('INCRBY', 'int', -7))"],
      ["redis.call('SET', 'int', '99999999999999'); return tostring(redis.call('INCRBY', 'int', 1))"],
      ["redis.call('SET', 'int', '-99999999999999'); return tostring(redis.call('INCRBY', 'int', -1))"],
      ["redis.call('SET', 'int', '999999999999998'); return redis.call('INCRBY', 'int', 1) + 0.5"],
      ["redis.call('SET', 'int', '-999999999999998'); return tostring(redis.call('DECRBY', 'int', 1) - 0.5)"],
      ["redis.call('SET', 'int', '9007199254740991'); return tostring(redis.call('INCRBY', 'int', 2))"],
      ["redis.call('SET', 'int', '9223372036854775806'); return {redis.call('INCR', 'int'), tostring(redis.call('DECR', 'int'))}"],
      ["return redis.call('DEL', 'int', 'int2')"],
    ]));

  test('a RESP3 map from a command, back as a map (in Lua table order, so compared unordered)', async () => {
    await pair.same(['EVAL', "redis.setresp(3); return redis.call('HGETALL', 'h')", 0], { unordered: true });
  });

  test('errors raised by redis.call, caught by pcall or returned by redis.pcall', () =>
    evals([
      ["return redis.call('nosuch')"],
      ["return redis.pcall('nosuch')"],
      ["return redis.call('GET')"],
      ["return redis.call('GET', 'a', 'b')"],
      ['return redis.call()'],
      ["return redis.call('GET', {})"],
      ["return redis.call('INCR', 'str')"],
      ["return redis.call('SUBSCRIBE', 'ch')"],
      ["return redis.call('MULTI')"],
      ["return redis.call('EVAL', 'return 1', 0)"],
      ["return redis.call('BLPOP', 'nolist', 0)"],
      ["return redis.call('XREAD', 'BLOCK', '0', 'STREAMS', 'nostream', '$')"],
      ["return redis.call('xreadgroup', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 'nostream', '>')"],
      ["return redis.call('XREAD', 'STREAMS', 'nostream', '0')"],
      ["local ok, e = pcall(function() redis.call('nosuch') end); return {tostring(ok), e}"],
      ["local ok, e = pcall(function() error('x') end); return e"],
      ["local ok, e = pcall(function() error({err='TBL e'}) end); return e"],
      ["local ok, e = pcall(redis.call, 'INCR', 'str'); return e"],
    ]));
});

describe('errors of a script', () => {
  test('runtime errors with where they happened; compile errors', () =>
    evals([
      ["error('boom')"],
      ['error(12)'],
      ["error({err='E1 hi'})"],
      ["error('no position', 0)"],
      ['local t = nil; return t.x'],
      ["\n\nreturn redis.call('nosuch')"],
      ['return 1+'],
      ['return "unfinished'],
      ['x = 1'],
      ['return undefined_global'],
      ['redis.call = 1'],
      ['string.x = 1'],
      ['KEYS = 1'],
      ['return redis.sha1hex()'],
      ['redis.log(redis.LOG_WARNING)'],
      ["redis.log('x', 'y')"],
      ['redis.log(10, "y")'],
      ['redis.set_repl(12)'],
      ['return loadstring("return 1 +")'],
    ]));

  test('EVAL argument errors and EVALSHA of unknown scripts', () =>
    pair.sameAll([
      ['EVAL', 'return 1', 'x'],
      ['EVAL', 'return 1', '-1'],
      ['EVAL', 'return 1', '2', 'a'],
      ['EVAL', 'return 1'],
      ['EVALSHA', 'abc', '0'],
      ['EVALSHA', '0123456789012345678901234567890123456789', '0'],
      ['SCRIPT', 'FLUSH', 'LATER'],
      ['SCRIPT', 'NOSUCH'],
    ]));
});

describe('the sandbox', () => {
  test('Lua 5.1 as Redis embeds it: names, numbers printed as %.14g, doubles only', () =>
    evals([
      ['return _VERSION'],
      [
        "local t = {} for _, n in ipairs({'loadstring','load','getfenv','gcinfo','newproxy','unpack','coroutine','module','require','print','dofile','loadfile','collectgarbage','xpcall','os','io','debug','package','math','string','table','_G','select','rawequal','rawlen','__redis__err__handler'}) do t[#t+1] = n .. '=' .. type(rawget(_G, n)) end return t",
      ],
      [
        "local t = {} for _, n in ipairs({'pow','mod','log10','ldexp','frexp','fmod','atan2','huge','pi','modf','floor'}) do t[#t+1] = n .. '=' .. type(math[n]) end return t",
      ],
      [
        "local t = {} for _, n in ipairs({'getn','maxn','foreachi','foreach','insert','concat','sort','remove','pack','unpack'}) do t[#t+1] = n .. '=' .. type(table[n]) end return t",
      ],
      [
        'return {tostring(3/2), tostring(2^53), tostring(10/2), tostring(1e15), tostring(1e16), tostring(0.1), tostring(-0), tostring(math.huge), tostring(-math.huge), tostring(2^31), tostring(3.0)}',
      ],
      ["return {7 % 3, 1000000 * 3000, 2147483647 + 1, math.floor(3.7), math.floor(-3.5), tonumber('2000000000') * 2}"],
      ['return {table.getn({1, 2, 3}), unpack({4, 5})}'],
      ["return loadstring('return 7')()"],
      ["return string.format('%d %s %5.2f %x', 3, 'x', 2.5, 255)"],
      ['return {math.pow(2, 10), math.mod(7, 3), math.log10(1000), math.ldexp(1, 4)}'],
      ['return redis.REDIS_VERSION'],
      ['return redis.REDIS_VERSION_NUM'],
      ["return redis.sha1hex('')"],
      ["return redis.sha1hex('abc')"],
      ['return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}'],
      ['return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}'],
      ["redis.log(redis.LOG_NOTICE, 'from a script', 42); return 1"],
      ['return redis.replicate_commands()'],
      ['local s = 0 for i = 1, 10 do s = s + i end return s'],
      ["return #'binary\\0safe'"],
    ]));

  test('KEYS and ARGV, binary-safe', async () => {
    await pair.same(['EVAL', 'return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}', 2, 'k1', 'k2', 'a1', Buffer.from([0, 255, 10])]);
    await pair.same(['EVAL', "return redis.call('SET', KEYS[1], ARGV[1])", 1, 'bin', Buffer.from([0, 1, 2, 200, 255])]);
    await pair.same(['GET', 'bin']);
    await pair.same(['EVAL', "return redis.call('GET', KEYS[1])", 1, 'bin']);
    await pair.same(['EVAL', 'return #ARGV[1]', 0, Buffer.from([0, 1, 2, 200, 255])]);
  });

  // Our node refills the previous run's tables when they are still plain arrays: whatever a
  // script did to KEYS and ARGV, the next run must see just its own arguments, in order.
  test("KEYS and ARGV hold only this run's arguments, whatever the previous script did to them", async () => {
    const listKeys = "local r = {} for k, v in pairs(KEYS) do r[#r + 1] = k .. '=' .. v end return {#KEYS, r}";
    const listArgv = "local r = {} for k, v in pairs(ARGV) do r[#r + 1] = tostring(k) .. '=' .. v end return {#ARGV, r}";
    await evals([
      ['return {#KEYS, #ARGV, KEYS[3], ARGV[2]}', 3, 'a', 'b', 'c', 'x', 'y'],
      [listKeys, 1, 'k1'],
      ["table.insert(KEYS, 'extra'); KEYS.field = 1; ARGV[5] = 'gap'; return #KEYS", 1, 'k1', 'v1'],
      [listKeys, 2, 'k1', 'k2'],
      [listArgv, 0, 'v1', 'v2'],
      ["KEYS[1] = nil; KEYS[1] = 'moved'; return #KEYS", 2, 'k1', 'k2'],
      [listKeys, 3, 'k1', 'k2', 'k3'],
      ["setmetatable(ARGV, {__index = function() return 'meta' end}); return ARGV[9]", 0, 'v1'],
      ['return {tostring(ARGV[9]), getmetatable(ARGV) == nil}', 0, 'v1'],
      ['table.remove(ARGV, 1); return #ARGV', 0, 'v1', 'v2', 'v3'],
      [listArgv, 0, 'w1', 'w2', 'w3', 'w4'],
      [listKeys, 0],
      [listArgv, 1, 'k1', 'only'],
    ]);
  });
});

describe('the script cache and flags', () => {
  test('SCRIPT LOAD / EXISTS / FLUSH and EVALSHA in either case', async () => {
    await pair.same(['SCRIPT', 'FLUSH']);
    const sha = show(await pair.same(['SCRIPT', 'LOAD', 'return ARGV[1]'])) as string;
    await pair.same(['EVALSHA', sha, 0, 'x']);
    await pair.same(['EVALSHA', sha.toUpperCase(), 0, 'x']);
    await pair.same(['EVALSHA_RO', sha, 0, 'y']);
    await pair.same(['SCRIPT', 'EXISTS', sha, 'ffffffffffffffffffffffffffffffffffffffff']);
    await pair.same(['SCRIPT', 'LOAD', 'return +']);
    await pair.same(['EVAL', 'return 2', 0]);
    await pair.same(['SCRIPT', 'EXISTS', 'c0e5f8fd4bfd4d3a3b1b9c7a3f1e2e8e1f60a9d6']);
    await pair.same(['SCRIPT', 'FLUSH', 'ASYNC']);
    await pair.same(['SCRIPT', 'EXISTS', sha]);
    await pair.same(['EVALSHA', sha, 0]);
    await pair.same(['SCRIPT', 'KILL']);
  });

  test('shebang flags, EVAL_RO and read-only scripts', () =>
    pair.sameAll([
      ['EVAL', "#!lua flags=no-writes\nreturn redis.call('GET', 'k')", 0],
      ['EVAL', "#!lua flags=no-writes\nreturn redis.call('SET', 'k', 'v')", 0],
      ['EVAL', "#!lua\nreturn redis.call('SET', 'k', 'v2')", 0],
      ['EVAL', '#!lua flags=bogus\nreturn 1', 0],
      ['EVAL', '#!lua opt=1\nreturn 1', 0],
      ['EVAL', '#!python\nreturn 1', 0],
      ['EVAL', '#!lua flags=no-writes,allow-oom,allow-stale,no-cluster\nreturn 1', 0],
      ['EVAL', "#!lua\nerror('line two')", 0],
      ['EVAL_RO', "return redis.call('GET', 'k')", 0],
      ['EVAL_RO', "return redis.call('SET', 'k', 'v')", 0],
      ['EVAL_RO', "#!lua\nreturn redis.call('GET', 'k')", 0],
      ['EVAL_RO', "#!lua flags=no-writes\nreturn redis.call('GET', 'k')", 0],
      ['EVAL_RO', "return redis.pcall('DEL', 'k')", 0],
    ]));

  test('a script runs in the caller database and may SELECT without changing it', async () => {
    await pair.sameAll([
      ['SELECT', 3],
      ['EVAL', "redis.call('SET', 'dbkey', 'in3'); redis.call('SELECT', 4); redis.call('SET', 'dbkey', 'in4'); return 1", 0],
      ['GET', 'dbkey'],
      ['SELECT', 4],
      ['GET', 'dbkey'],
      ['SELECT', 0],
    ]);
  });

  test('COMMAND INFO and GETKEYS of the scripting commands', async () => {
    for (const name of ['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']) {
      const [ours, redis] = await Promise.all([pair.ours.call('COMMAND', 'INFO', name), pair.redis.call('COMMAND', 'INFO', name)]);
      // name, arity, flags, first/last/step, categories
      assert.deepEqual((show(ours) as unknown[][])[0]!.slice(0, 7), (show(redis) as unknown[][])[0]!.slice(0, 7), name);
    }
    await pair.same(['COMMAND', 'GETKEYS', 'EVAL', 'return 1', 2, 'a', 'b', 'c']);
    // The subcommands entirely: flags, categories and tips.
    for (const sub of ['load', 'list', 'stats', 'delete', 'flush', 'kill', 'dump', 'restore', 'help']) {
      await pair.same(['COMMAND', 'INFO', `function|${sub}`]);
    }
    for (const sub of ['load', 'exists', 'flush', 'kill', 'debug', 'help']) await pair.same(['COMMAND', 'INFO', `script|${sub}`]);
  });
});

describe('MONITOR', () => {
  test('EVAL shows itself first, then its commands from the "lua" client, as in redis-server', async () => {
    const lines = await Promise.all(
      pair.servers.map(async (server) => {
        const monitor = spawn('redis-cli', ['-p', String(server.port), 'MONITOR']);
        let out = '';
        monitor.stdout.on('data', (d) => (out += d));
        await new Promise((r) => setTimeout(r, 300));
        const client = await RespClient.open(server.port);
        await client.call('EVAL', "redis.call('SET', 'mon', '1'); return redis.call('GET', 'mon')", 0);
        await client.call('EVALSHA', 'ffffffffffffffffffffffffffffffffffffffff', 0);
        client.close();
        await new Promise((r) => setTimeout(r, 300));
        monitor.kill();
        // Without the timestamp and the client's port.
        return out
          .split('\n')
          .filter((line) => line.includes('['))
          .map((line) => line.replace(/^\S+ /, '').replace(/127\.0\.0\.1:\d+/, 'client'));
      }),
    );
    assert.deepEqual(lines[0], lines[1]);
    assert.equal(lines[0]!.length, 4);
  });
});

describe('INFO', () => {
  test('memory counts cached scripts, functions and libraries as redis-server does', async () => {
    await pair.sameAll([
      ['SCRIPT', 'FLUSH'],
      ['FUNCTION', 'FLUSH'],
      ['SCRIPT', 'LOAD', 'return 1'],
      ['EVAL', 'return 2', 0],
      [
        'FUNCTION',
        'LOAD',
        "#!lua name=infolib\nredis.register_function('i1', function() return 1 end)\nredis.register_function('i2', function() return 2 end)",
      ],
    ]);
    const fields = async (client: RespClient) => {
      const text = String(show(await client.call('INFO', 'memory')));
      return ['number_of_cached_scripts', 'number_of_functions', 'number_of_libraries'].map(
        (name) => new RegExp(`^${name}:(\\d+)\\r?$`, 'm').exec(text)?.[1],
      );
    };
    const [ours, redis] = await Promise.all([fields(pair.ours), fields(pair.redis)]);
    assert.deepEqual(ours, ['2', '2', '1']);
    assert.deepEqual(ours, redis);
  });
});
