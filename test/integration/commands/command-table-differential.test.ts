// The command table as clients see it, against Debian's redis-server 7.0: for EVERY command in
// redis-server's COMMAND LIST, COMMAND INFO (arity, flags, key positions, ACL categories, tips,
// key specs and subcommands) must be the same, and COMMAND GETKEYS / GETKEYSANDFLAGS must find the
// same keys with the same flags for a call of every command that has keys. The calls are built
// from redis-server's own COMMAND DOCS (each command's arguments), plus hand-picked calls for the
// paths a generic call does not take (flags that depend on the arguments, key specs that cannot be
// followed, errors).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pairForFile, REDIS_SERVER_VERSION } from '../../support/differential.js';
import { show, type Reply } from '../../support/resp-client.js';

const pair = pairForFile();

type Shown = unknown;
type Map = { map: [Shown, Shown][] };
const isMap = (x: unknown): x is Map => typeof x === 'object' && x !== null && !Array.isArray(x) && 'map' in x;
const isSet = (x: unknown): x is { set: Shown[] } => typeof x === 'object' && x !== null && 'set' in x;

/**
 * A command's COMMAND INFO entry with its subcommands sorted by name: redis-server lists them in
 * the order of its subcommand dict, which is randomly seeded at each start.
 */
function sortedSubcommands(entry: Shown): Shown {
  if (!Array.isArray(entry) || entry.length !== 10) return entry;
  const subs = entry[9];
  const list = isSet(subs) ? subs.set : (subs as Shown[]);
  const sorted = list.map(sortedSubcommands).sort((a, b) => String((a as Shown[])[0]).localeCompare(String((b as Shown[])[0])));
  return [...entry.slice(0, 9), sorted];
}

/**
 * COMMAND DOCS of one command with its subcommands sorted by name (redis-server lists them in its
 * randomly seeded dict order). RESP3 gives maps; RESP2 the same as flat [name, value, ...] arrays.
 */
function sortedDocs(docs: Shown): Shown {
  const pairs = (flat: Shown[]): [Shown, Shown][] => flat.flatMap((x, i) => (i % 2 === 0 ? [[x, flat[i + 1]] as [Shown, Shown]] : []));
  const sortPairs = (list: [Shown, Shown][]) =>
    [...list].sort((a, b) => String(a[0]).localeCompare(String(b[0]))).map(([n, d]) => [n, sortedDocs(d)] as [Shown, Shown]);
  if (isMap(docs)) return { map: docs.map.map(([k, v]) => [k, k === 'subcommands' && isMap(v) ? { map: sortPairs(v.map) } : v]) };
  if (Array.isArray(docs)) {
    const at = docs.indexOf('subcommands');
    if (at >= 0 && at % 2 === 0 && Array.isArray(docs[at + 1]))
      return [...docs.slice(0, at + 1), sortPairs(pairs(docs[at + 1] as Shown[])).flat(), ...docs.slice(at + 2)];
  }
  return docs;
}

async function both(...argv: string[]): Promise<[Shown, Shown]> {
  const [a, b] = await Promise.all([pair.ours.call(...argv), pair.redis.call(...argv)]);
  return [show(a as Reply), show(b as Reply)];
}

let redisNames: string[] = [];

/** A docs argument tree (COMMAND DOCS `arguments`), as RESP3 shows it. */
interface DocArg {
  name: string;
  type: string;
  token?: string;
  flags: string[];
  arguments: DocArg[];
}

function docArg(shown: Shown): DocArg {
  const fields = new globalThis.Map((shown as Map).map as [string, Shown][]);
  const flags = fields.get('flags');
  return {
    name: fields.get('name') as string,
    type: fields.get('type') as string,
    token: fields.get('token') as string | undefined,
    flags: isSet(flags) ? (flags.set as string[]) : [],
    arguments: ((fields.get('arguments') as Shown[] | undefined) ?? []).map(docArg),
  };
}

/**
 * A call made of a command's documented arguments: keys are named k1, k2..., a numkeys argument
 * counts the keys that follow it, a oneof takes its first choice, a multiple argument is given
 * twice. With `optional` every optional argument is given too (so STORE, BY, GET... appear).
 */
function callFromDocs(prefix: string[], args: DocArg[], optional: boolean): string[] {
  const argv = [...prefix];
  let keyCount = 0;
  const emit = (arg: DocArg, out: string[]): void => {
    if (arg.flags.includes('optional') && !optional) return;
    const times = arg.flags.includes('multiple') ? 2 : 1;
    for (let t = 0; t < times; t++) {
      if (arg.token !== undefined && (t === 0 || arg.flags.includes('multiple_token'))) out.push(arg.token);
      switch (arg.type) {
        case 'key':
          out.push(`k${++keyCount}`);
          break;
        case 'pure-token':
          break;
        case 'oneof':
          emit({ ...arg.arguments[0]!, flags: arg.arguments[0]!.flags.filter((f) => f !== 'optional') }, out);
          break;
        case 'block':
          for (const inner of arg.arguments) emit(inner, out);
          break;
        case 'integer':
          out.push(arg.name === 'numkeys' ? '2' : '1');
          break;
        case 'double':
          out.push('1.5');
          break;
        case 'pattern':
          out.push('p*');
          break;
        default:
          out.push(arg.name === 'id' ? '0-1' : 'v');
      }
    }
  };
  for (const arg of args) emit(arg, argv);
  return argv;
}

/** Calls for the key paths a generic call misses; each is compared like the generated ones. */
const HAND_PICKED: string[][] = [
  ['SET', 'a', 'b'],
  ['SET', 'a', 'b', 'GET'],
  ['SET', 'a', 'b', 'get', 'EX', '10'],
  ['SET', 'a', 'b', 'GETX'],
  ['BITFIELD', 'a', 'GET', 'u8', '0'],
  ['BITFIELD', 'a', 'GET', 'u8', '0', 'OVERFLOW', 'WRAP'],
  ['BITFIELD', 'a', 'SET', 'u8', '0', '1'],
  ['BITFIELD', 'a', 'GET', 'u8'],
  ['SORT', 'a'],
  ['SORT', 'a', 'STORE', 'b'],
  ['SORT', 'a', 'BY', 'STORE', 'LIMIT', '0', '1', 'STORE', 'c', 'STORE', 'd'],
  ['SORT_RO', 'a', 'BY', 'x', 'GET', 'y'],
  ['MIGRATE', 'h', '1', 'k', '0', '10'],
  ['MIGRATE', 'h', '1', '', '0', '10', 'KEYS', 'a', 'b'],
  ['MIGRATE', 'h', '1', 'k', '0', '10', 'KEYS', 'a', 'b'],
  ['MIGRATE', 'h', '1', '', '0', '10', 'AUTH', 'keys', 'KEYS', 'a'],
  ['MIGRATE', 'h', '1', '', '0', '10', 'AUTH2', 'u', 'keys', 'COPY', 'REPLACE', 'KEYS', 'a'],
  ['GEORADIUS', 'a', '0', '0', '1', 'km', 'STORE'],
  ['GEORADIUS', 'a', '0', '0', '1', 'km', 'STORE', 'b', 'STOREDIST', 'c'],
  ['GEORADIUSBYMEMBER', 'a', 'm', '1', 'km', 'STOREDIST', 'b'],
  ['XREAD', 'STREAMS', 'a', 'b', '0', '0'],
  ['XREAD', 'COUNT', '1', 'STREAMS', 'a', '0'],
  ['XREAD', 'STREAMS', 'a', 'b', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c', 'NOACK', 'STREAMS', 'STREAMS', 'a', '0', '0'],
  ['ZUNIONSTORE', 'd', '3abc', 'a', 'b', 'c'],
  ['ZUNIONSTORE', 'd', '0', 'a'],
  ['ZUNION', '5', 'a', 'b'],
  ['ZINTERCARD', '-1', 'a'],
  ['LMPOP', '5', 'a', 'LEFT'],
  ['BLMPOP', '0', '2', 'a', 'b', 'LEFT'],
  ['EVAL', 's', '0'],
  ['EVAL', 's', 'abc'],
  ['EVAL', 's', '3abc', 'a', 'b', 'c'],
  ['EVALSHA_RO', 's', '2', 'a', 'b', 'c'],
  ['FCALL', 'f', '1', 'a', 'x'],
  ['FCALL_RO', 'f', '0'],
  ['MSET', 'a', '1', 'b', '2', 'c'],
  ['MEMORY', 'USAGE', 'a', 'SAMPLES', '5'],
  ['OBJECT', 'ENCODING', 'a'],
  ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'],
  ['XINFO', 'STREAM', 's', 'FULL'],
  ['SPUBLISH', 'ch', 'msg'],
  ['SSUBSCRIBE', 'a', 'b'],
  ['PING'],
  ['NOSUCHCOMMAND', 'a'],
  ['GET'],
  ['GET', 'a', 'b'],
  ['CONFIG', 'GET', 'x'],
  ['CONFIG', 'NOSUCH', 'x'],
  ['XADD', 's', '*', 'f', 'v'],
];

let calls: string[][] | null = null;

/**
 * The calls compared: the hand-picked ones, and for every command and subcommand with key specs
 * (in redis-server's COMMAND INFO) one call with its required arguments and one with all of them.
 */
async function keyedCalls(): Promise<string[][]> {
  if (calls) return calls;
  const built: string[][] = [...HAND_PICKED];
  let commandsWithKeys = 0;
  for (const name of redisNames) {
    const [info] = show((await pair.redis.call('COMMAND', 'INFO', name)) as Reply) as Shown[][];
    const targets: { argv: string[]; entry: Shown[] }[] = [{ argv: [name], entry: info! }];
    const subs = info![9];
    for (const sub of isSet(subs) ? subs.set : (subs as Shown[])) {
      const entry = sub as Shown[];
      targets.push({ argv: String(entry[0]).split('|'), entry });
    }
    for (const { argv, entry } of targets) {
      const specs = entry[8];
      if ((isSet(specs) ? specs.set : (specs as Shown[])).length === 0) continue;
      commandsWithKeys++;
      const docs = show((await pair.redis.call('COMMAND', 'DOCS', argv.join('|'))) as Reply) as Map;
      const fields = new globalThis.Map((isMap(docs.map[0]![1]) ? docs.map[0]![1].map : []) as [string, Shown][]);
      const args = ((fields.get('arguments') as Shown[] | undefined) ?? []).map(docArg);
      built.push(callFromDocs(argv, args, false), callFromDocs(argv, args, true));
    }
  }
  assert.ok(commandsWithKeys > 150, `${commandsWithKeys} commands with keys`);
  calls = built;
  return built;
}

describe(`COMMAND against redis-server ${REDIS_SERVER_VERSION}`, () => {
  test('COMMAND LIST and COUNT name the same commands', async () => {
    const [ours, redis] = await both('COMMAND', 'LIST');
    assert.deepEqual([...(ours as string[])].sort(), [...(redis as string[])].sort());
    const [ourCount, redisCount] = await both('COMMAND', 'COUNT');
    assert.equal(ourCount, redisCount);
    redisNames = (redis as string[]).filter((n) => !n.includes('|')).sort();
    assert.ok(redisNames.length > 200, `${redisNames.length} commands`);
  });

  test('COMMAND INFO of every command is the same, in RESP2 and RESP3', async () => {
    for (const protocol of ['2', '3']) {
      await both('HELLO', protocol);
      const differ: string[] = [];
      for (const name of redisNames) {
        const [ours, redis] = await both('COMMAND', 'INFO', name);
        const [a, b] = [ours, redis].map((r) => (r as Shown[]).map(sortedSubcommands));
        if (JSON.stringify(a) !== JSON.stringify(b)) differ.push(`${name}:\n  ours  ${JSON.stringify(a)}\n  redis ${JSON.stringify(b)}`);
      }
      assert.deepEqual(differ, [], `COMMAND INFO differs (RESP${protocol}) for ${differ.length} commands`);
    }
    await both('HELLO', '2');
  });

  test('COMMAND DOCS of every command is the same, in RESP2 and RESP3', async () => {
    for (const protocol of ['2', '3']) {
      await both('HELLO', protocol);
      const differ: string[] = [];
      for (const name of redisNames) {
        const [ours, redis] = await both('COMMAND', 'DOCS', name);
        // The reply maps the name to its docs: {map: [[name, docs]]} in RESP3, [name, docs] in RESP2.
        const docsOf = (r: Shown) =>
          isMap(r) ? r.map.map(([n, d]) => [n, sortedDocs(d)]) : [(r as Shown[])[0], sortedDocs((r as Shown[])[1])];
        const [a, b] = [docsOf(ours), docsOf(redis)];
        if (JSON.stringify(a) !== JSON.stringify(b)) differ.push(`${name}:\n  ours  ${JSON.stringify(a)}\n  redis ${JSON.stringify(b)}`);
      }
      assert.deepEqual(differ, [], `COMMAND DOCS differs (RESP${protocol}) for ${differ.length} commands`);
    }
    await both('HELLO', '2');
  });

  test('COMMAND GETKEYS and GETKEYSANDFLAGS agree on a call of every command with keys', async () => {
    await both('HELLO', '3');
    const differ: string[] = [];
    const calls = await keyedCalls();
    for (const call of calls) {
      for (const sub of ['GETKEYS', 'GETKEYSANDFLAGS']) {
        const [ours, redis] = await both('COMMAND', sub, ...call);
        if (JSON.stringify(ours) !== JSON.stringify(redis))
          differ.push(`COMMAND ${sub} ${call.join(' ')}:\n  ours  ${JSON.stringify(ours)}\n  redis ${JSON.stringify(redis)}`);
      }
    }
    await both('HELLO', '2');
    assert.deepEqual(differ, [], `${differ.length} of ${calls.length * 2} calls differ`);
  });

  test('ACL key permissions (%R~, %W~) follow the key flags of every such call', async () => {
    // Keys named r* may only be read, w* only written, k* both; the calls name their keys k1,
    // k2..., so each is also tried with its keys renamed r1.. and w1...
    const rules = ['ACL', 'SETUSER', 'keyuser', 'on', 'nopass', '+@all', '%R~r*', '%W~w*', '~k*'];
    await both(...rules);
    const differ: string[] = [];
    const calls = await keyedCalls();
    for (const call of calls) {
      for (const prefix of ['k', 'r', 'w']) {
        const renamed = call.map((a) => (/^k\d+$/.test(a) ? prefix + a.slice(1) : a));
        const [ours, redis] = await both('ACL', 'DRYRUN', 'keyuser', ...renamed);
        if (JSON.stringify(ours) !== JSON.stringify(redis))
          differ.push(`ACL DRYRUN keyuser ${renamed.join(' ')}:\n  ours  ${JSON.stringify(ours)}\n  redis ${JSON.stringify(redis)}`);
      }
    }
    assert.deepEqual(differ, [], `${differ.length} of ${calls.length * 3} dry runs differ`);
  });

  test('CLUSTER answers as redis-server without cluster-enabled', async () => {
    for (const argv of [
      ['CLUSTER', 'HELP'],
      ['CLUSTER', 'INFO'],
      ['CLUSTER', 'MYID'],
      ['CLUSTER', 'NODES'],
      ['CLUSTER', 'SLOTS'],
      ['CLUSTER', 'SHARDS'],
      ['CLUSTER', 'KEYSLOT', 'a'],
      ['CLUSTER', 'COUNTKEYSINSLOT', '1'],
      ['CLUSTER', 'GETKEYSINSLOT', '1', '1'],
      ['CLUSTER', 'ADDSLOTS', '1'],
      ['CLUSTER', 'RESET', 'HARD'],
      ['CLUSTER', 'FAILOVER'],
      ['CLUSTER', 'NOSUCH'],
      ['CLUSTER'],
      ['CLUSTER', 'HELP', 'x'],
      ['CLUSTER', 'KEYSLOT'],
      ['ASKING'],
      ['READONLY'],
      ['READWRITE'],
    ]) {
      await pair.same(argv);
    }
  });

  test('MODULE: none loaded, none can be loaded, the same errors as redis-server', async () => {
    for (const argv of [
      ['MODULE', 'LIST'],
      ['MODULE', 'HELP'],
      ['MODULE', 'LOAD', '/nonexistent/module.so'],
      ['MODULE', 'LOADEX', '/nonexistent/module.so', 'CONFIG', 'a', 'b', 'ARGS', 'x'],
      ['MODULE', 'UNLOAD', 'nosuch'],
      ['MODULE', 'NOSUCH'],
      ['MODULE'],
      ['MODULE', 'UNLOAD'],
    ]) {
      await pair.same(argv);
    }
    // With enable-module-command the load itself fails, as for a module that cannot be opened.
    const { startPair } = await import('../../support/differential.js');
    const allowed = await startPair(['--enable-module-command', 'yes']);
    try {
      for (const argv of [
        ['MODULE', 'LOAD', '/nonexistent/module.so', 'arg'],
        ['MODULE', 'LOADEX', '/nonexistent/module.so', 'CONFIG', 'a', 'b', 'ARGS', 'x'],
        ['MODULE', 'LOADEX', '/nonexistent/module.so', 'CONFIG', 'a'],
        ['MODULE', 'LOADEX', '/nonexistent/module.so', 'BAD'],
        ['MODULE', 'UNLOAD', 'nosuch'],
        ['MODULE', 'LIST'],
        ['PING'],
      ]) {
        await allowed.same(argv);
      }
    } finally {
      await allowed.close();
    }
  });
});
