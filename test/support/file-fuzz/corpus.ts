// The seed corpus the fuzzer mutates: real files and payloads, written by Debian's redis-server
// and by our own node from the same dataset (every type and encoding a 7.0 server writes:
// strings of each kind, listpack and multi-node quicklists, intsets, hash tables, listpack and
// skiplist zsets and hashes, streams with groups, consumers, PELs and deleted entries), plus a
// few older payloads made by hand (ziplists, RDB version 9) that 7.0 still reads but never writes.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../servers.js';
import { RespClient } from '../resp-client.js';
import { sealPayload, rdbString } from './mutators.js';

export interface SeedCorpus {
  /** DUMP payloads, by "<server>:<key>". */
  payloads: Map<string, Buffer>;
  /** Whole RDB files (SAVE's dump.rdb, an AOF's RDB base). */
  rdbFiles: Map<string, Buffer>;
  /** AOF files made of commands (incr files, a base without RDB preamble). */
  aofFiles: Map<string, Buffer>;
  manifests: Map<string, Buffer>;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The dataset, the same on both servers. */
export const DATASET: Array<Array<string | number>> = [
  ['SET', 'str:raw', 'hello world'],
  ['SET', 'str:int', '12345'],
  ['SET', 'str:lzf', 'abcdefgh'.repeat(200)],
  ['SET', 'str:ttl', 'soon', 'PX', '100000000'],
  ['PFADD', 'hll', 'a', 'b', 'c', 'd'],
  ['RPUSH', 'list:small', 'a', '1', '-7', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', '123456789012'],
  ['RPUSH', 'list:big', ...range(400).map((i) => `item-${i}-${'x'.repeat(i % 50)}`)],
  ['SADD', 'set:intset16', '1', '2', '3', '-5', '300'],
  ['SADD', 'set:intset64', '1', '5000000000', '-9000000000000000000'],
  ['SADD', 'set:strings', 'a', 'b', 'c'],
  ['SADD', 'set:big', ...range(600).map(String)],
  ['HSET', 'hash:small', 'f1', 'v1', 'f2', '2', 'f3', 'vvvvvvvvvvvv'],
  ['HSET', 'hash:big', ...range(200).flatMap((i) => [`field-${i}`, `value-${i}`])],
  ['ZADD', 'zset:small', '1', 'a', '2.5', 'b', '-3', 'c', 'inf', 'd'],
  ['ZADD', 'zset:big', ...range(200).flatMap((i) => [String(i * 1.5), `member-${i}`])],
  ['XADD', 'stream', '1-1', 'f', 'v'],
  ['XADD', 'stream', '1-2', 'f', 'v2'],
  ['XADD', 'stream', '2-1', 'other', 'x', 'g', 'y'],
  ['XADD', 'stream', '3-0', 'f', 'v3'],
  ['XDEL', 'stream', '1-2'],
  ['XGROUP', 'CREATE', 'stream', 'g1', '0'],
  ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '2', 'STREAMS', 'stream', '>'],
  ['XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '1', 'STREAMS', 'stream', '>'],
  ['XGROUP', 'CREATE', 'stream', 'g2', '$'],
  ...range(3).map((n) => ['XADD', 'stream:big', `${n + 5}-1`, ...range(60).flatMap((i) => [`k${i}`, `${n}-${i}`])]),
];

const KEYS = [...new Set(DATASET.map((c) => String(c[c[0] === 'XGROUP' ? 2 : 1])))];

/** Fills a server, dumps every key, saves, rewrites the AOF and collects the files. */
async function collect(server: RunningServer, label: string, corpus: SeedCorpus): Promise<void> {
  const c = await RespClient.open(server.port);
  try {
    for (const command of DATASET) await c.call(...command);
    for (const key of KEYS) {
      const payload = await c.call('DUMP', key);
      if (Buffer.isBuffer(payload)) corpus.payloads.set(`${label}:${key}`, payload);
    }
    await c.call('SAVE');
    corpus.rdbFiles.set(`${label}:dump.rdb`, readFileSync(join(server.dir, 'dump.rdb')));
    // An AOF with an RDB preamble, then one of commands only, each with writes after the rewrite.
    for (const preamble of ['yes', 'no']) {
      await c.call('CONFIG', 'SET', 'aof-use-rdb-preamble', preamble);
      await c.call('CONFIG', 'SET', 'appendonly', 'yes');
      await waitForRewrite(c);
      await c.call('BGREWRITEAOF');
      await waitForRewrite(c);
      await c.call('SET', 'after-rewrite', preamble);
      await c.call('RPUSH', 'list:small', 'more');
      await c.call('MULTI');
      await c.call('INCR', 'counter');
      await c.call('EXEC');
      const dir = join(server.dir, 'appendonlydir');
      for (const name of readdirSync(dir)) {
        const bytes = readFileSync(join(dir, name));
        const id = `${label}:${preamble === 'yes' ? 'preamble' : 'commands'}:${name}`;
        if (name.endsWith('.manifest')) corpus.manifests.set(id, bytes);
        else if (name.endsWith('.base.rdb')) corpus.rdbFiles.set(id, bytes);
        else corpus.aofFiles.set(id, bytes);
      }
      await c.call('CONFIG', 'SET', 'appendonly', 'no');
    }
  } finally {
    c.close();
  }
}

async function waitForRewrite(c: RespClient): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const info = String(await c.call('INFO', 'persistence'));
    if (info.includes('aof_rewrite_in_progress:0') && info.includes('aof_rewrite_scheduled:0')) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('AOF rewrite did not finish');
}

/** A ziplist (ziplist.c) of short strings and small integers. */
function ziplist(items: Array<string | number>): Buffer {
  const entries: Buffer[] = [];
  let prevlen = 0;
  let tail = 10;
  for (const item of items) {
    let enc: Buffer;
    if (typeof item === 'number' && item >= 0 && item <= 12) enc = Buffer.from([0xf1 + item]);
    else if (typeof item === 'number') {
      enc = Buffer.alloc(3);
      enc[0] = 0xc0;
      enc.writeInt16LE(item, 1);
    } else enc = Buffer.concat([Buffer.from([item.length]), Buffer.from(item)]);
    const entry = Buffer.concat([Buffer.from([prevlen]), enc]);
    tail = 10 + entries.reduce((n, e) => n + e.length, 0);
    entries.push(entry);
    prevlen = entry.length;
  }
  const body = Buffer.concat(entries);
  const header = Buffer.alloc(10);
  header.writeUInt32LE(10 + body.length + 1, 0);
  header.writeUInt32LE(items.length ? tail : 10, 4);
  header.writeUInt16LE(items.length, 8);
  return Buffer.concat([header, body, Buffer.from([0xff])]);
}

/** Payloads of the types only Redis < 7 wrote: ziplist list, zset and hash, quicklist of ziplists. */
export function legacyPayloads(): Map<string, Buffer> {
  const zl = (type: number, items: Array<string | number>) =>
    sealPayload(Buffer.concat([Buffer.from([type]), rdbString(ziplist(items))]), 9);
  return new Map([
    ['legacy:list-ziplist', zl(10, ['a', 1, 'bcd', 300, 12])],
    ['legacy:zset-ziplist', zl(12, ['a', 1, 'b', 2, 'c', 'inf'])],
    ['legacy:hash-ziplist', zl(13, ['f1', 'v1', 'f2', 2])],
    [
      'legacy:quicklist',
      sealPayload(Buffer.concat([Buffer.from([14, 2]), rdbString(ziplist(['a', 'b', 3])), rdbString(ziplist([4, 'e']))]), 9),
    ],
  ]);
}

/** Starts Debian's redis-server and our node once each and collects their files. */
export async function buildSeedCorpus(): Promise<SeedCorpus> {
  const corpus: SeedCorpus = { payloads: legacyPayloads(), rdbFiles: new Map(), aofFiles: new Map(), manifests: new Map() };
  for (const kind of ['redis', 'ours'] as const) {
    const server = await startServer(kind, ['--appendonly', 'no']);
    try {
      await collect(server, kind, corpus);
    } finally {
      await server.stop();
    }
  }
  return corpus;
}
