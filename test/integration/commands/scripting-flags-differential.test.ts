// Shebang and function flags at admission, against Debian's redis-server 7.0: over `maxmemory`, a
// script that declared flags is refused with OOM before it runs unless it has allow-oom (a write
// script as a denyoom command; a no-writes one by scriptPrepareForRun), for EVAL, EVALSHA (the
// cached script's flags) and FCALL (the function's); a script without a shebang keeps EVAL's flags.
import { describe, test } from 'node:test';
import { pairForFile } from '../../support/differential.js';

const pair = pairForFile();

const LIB = [
  '#!lua name=flagged',
  "redis.register_function('plain', function() return 1 end)",
  "redis.register_function{function_name='oomok', callback=function() return redis.call('SET', 'f', '1') end, flags={'allow-oom'}}",
  "redis.register_function{function_name='reader', callback=function() return 2 end, flags={'no-writes'}}",
].join('\n');

describe('script flags over maxmemory', () => {
  test('EVAL, EVALSHA and FCALL are admitted by their flags', async () => {
    await pair.sameAll([
      ['FUNCTION', 'FLUSH'],
      ['FUNCTION', 'LOAD', LIB],
      ['SCRIPT', 'LOAD', '#!lua\nreturn 2'],
      ['SCRIPT', 'LOAD', '#!lua flags=allow-oom\nreturn 3'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
      ['CONFIG', 'SET', 'maxmemory', '1'],
      ['SET', 'x', '1'],
      ['EVAL', 'return 1', 0],
      ['EVAL', "return redis.call('SET', 'a', '1')", 0],
      ['EVAL', '#!lua\nreturn 1', 0],
      ['EVAL', '#!lua flags=no-writes\nreturn 1', 0],
      ['EVAL_RO', '#!lua flags=no-writes\nreturn 1', 0],
      ['EVAL', "#!lua flags=allow-oom\nreturn redis.call('SET', 'b', '1')", 0],
      ['EVAL', '#!lua flags=allow-oom,no-writes\nreturn 1', 0],
      ['EVALSHA', 'ba9f5a6ab3c7e5e0fb8b0b0e4fa2e0a2ce1b5a0f', 0],
      ['EVALSHA', '4c6c4ec3a6c6f06d0bd2d6c0df3a2d8a3ab6e1d5', 0],
      ['FCALL', 'plain', 0],
      ['FCALL', 'oomok', 0],
      ['FCALL', 'reader', 0],
      ['FCALL_RO', 'reader', 0],
      ['CONFIG', 'SET', 'maxmemory', '0'],
      ['EVAL', '#!lua\nreturn 1', 0],
      ['MGET', 'a', 'b', 'f'],
    ]);
  });
  test('EVALSHA of the loaded scripts, by their sha', async () => {
    const plain = String(await pair.same(['SCRIPT', 'LOAD', '#!lua\nreturn 2']));
    const oomOk = String(await pair.same(['SCRIPT', 'LOAD', '#!lua flags=allow-oom\nreturn 3']));
    await pair.sameAll([
      ['CONFIG', 'SET', 'maxmemory', '1'],
      ['EVALSHA', plain, 0],
      ['EVALSHA', oomOk, 0],
      ['CONFIG', 'SET', 'maxmemory', '0'],
    ]);
  });
});
