// Client-side caching (CLIENT TRACKING) beside redis-server: the same scenario runs on both, over
// raw RESP connections, and what each connection received (replies, then the invalidation pushes
// or pub/sub messages that arrived unasked) must be identical. Client ids differ between the two
// servers, so they are replaced by names before comparing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { onBoth, pairForFile, plain } from '../../support/differential.js';
import type { RespClient, Reply } from '../../support/resp-client.js';

const pair = pairForFile();

const settle = (ms = 60) => new Promise((r) => setTimeout(r, ms));

/** What arrived unasked on `client` since the last look (invalidations), after letting it arrive. */
async function pushes(client: RespClient, ms = 60): Promise<unknown> {
  await settle(ms);
  return plain(client.unsolicited.splice(0));
}

/** A connection's id, and a function that names ids in replies ("id:<name>") so servers compare. */
async function ids(clients: Record<string, RespClient>): Promise<(r: unknown) => unknown> {
  const names = new Map<number, string>();
  for (const [name, client] of Object.entries(clients)) names.set((await client.call('CLIENT', 'ID')) as number, name);
  const rename = (r: unknown): unknown => {
    if (typeof r === 'number' && names.has(r)) return `id:${names.get(r)}`;
    if (Array.isArray(r)) return r.map(rename);
    if (r && typeof r === 'object') return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, rename(v)]));
    return r;
  };
  return rename;
}

async function idOf(client: RespClient): Promise<number> {
  return (await client.call('CLIENT', 'ID')) as number;
}

describe('CLIENT TRACKING options', () => {
  test('errors, TRACKINGINFO and GETREDIR match', async () => {
    await onBoth(pair, async (_port, open) => {
      const c = await open();
      const other = await open();
      const rename = await ids({ c, other });
      const otherId = await idOf(other);
      const log: unknown[] = [];
      const run = async (...argv: Array<string | number>) => log.push([argv.join(' '), rename(plain(await c.call(...argv)))]);
      await run('CLIENT', 'TRACKINGINFO');
      await run('CLIENT', 'GETREDIR');
      await run('CLIENT', 'TRACKING');
      await run('CLIENT', 'TRACKING', 'maybe');
      await run('CLIENT', 'TRACKING', 'on', 'nosuchoption');
      await run('CLIENT', 'TRACKING', 'on', 'PREFIX', 'a');
      await run('CLIENT', 'TRACKING', 'on', 'REDIRECT', 'abc');
      await run('CLIENT', 'TRACKING', 'on', 'REDIRECT', 987654);
      await run('CLIENT', 'TRACKING', 'on', 'REDIRECT', otherId, 'REDIRECT', otherId);
      await run('CLIENT', 'TRACKING', 'on', 'BCAST', 'OPTIN');
      await run('CLIENT', 'TRACKING', 'on', 'OPTIN', 'OPTOUT');
      await run('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'ab', 'PREFIX', 'a');
      await run('CLIENT', 'TRACKING', 'on', 'REDIRECT');
      await run('CLIENT', 'CACHING', 'yes');
      await run('CLIENT', 'CACHING', 'yes', 'no');
      await run('CLIENT', 'TRACKING', 'on', 'OPTIN', 'NOLOOP', 'REDIRECT', otherId);
      await run('CLIENT', 'TRACKINGINFO');
      await run('CLIENT', 'GETREDIR');
      await run('CLIENT', 'CACHING', 'no');
      await run('CLIENT', 'CACHING', 'maybe');
      await run('CLIENT', 'CACHING', 'yes');
      await run('CLIENT', 'TRACKINGINFO');
      await run('GET', 'x');
      await run('CLIENT', 'TRACKINGINFO');
      await run('CLIENT', 'TRACKING', 'on', 'OPTOUT');
      await run('CLIENT', 'TRACKING', 'on', 'BCAST');
      await run('CLIENT', 'TRACKING', 'off', 'PREFIX', 'x');
      await run('CLIENT', 'TRACKINGINFO');
      await run('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'b', 'PREFIX', 'a');
      await run('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'abc');
      await run('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'c');
      await run('CLIENT', 'TRACKINGINFO');
      await run('CLIENT', 'TRACKING', 'on');
      await run('CLIENT', 'TRACKING', 'off');
      await run('CLIENT', 'TRACKING', 'on', 'OPTOUT', 'NOLOOP');
      await run('CLIENT', 'CACHING', 'no');
      await run('CLIENT', 'TRACKINGINFO');
      return log;
    });
  });

  test('COMMAND INFO and DOCS of the tracking subcommands', async () => {
    for (const sub of ['tracking', 'caching', 'trackinginfo', 'getredir']) {
      await pair.same(['COMMAND', 'INFO', `client|${sub}`]);
      await pair.same(['COMMAND', 'DOCS', `client|${sub}`]);
    }
  });
});

describe('invalidation messages', () => {
  test('RESP3: keys read are invalidated once, by writes of others and of the client itself', async () => {
    await onBoth(pair, async (_port, open) => {
      const c = await open();
      const writer = await open();
      await c.call('HELLO', '3');
      const log: unknown[] = [];
      log.push(plain(await c.call('CLIENT', 'TRACKING', 'on')));
      log.push(plain(await c.call('GET', 'a')), plain(await c.call('MGET', 'b', 'c')), plain(await c.call('HGET', 'h', 'f')));
      await writer.call('SET', 'a', '1');
      log.push(await pushes(c));
      await writer.call('SET', 'a', '2'); // no longer remembered: no message
      await writer.call('MSET', 'b', '1', 'c', '1', 'd', '1');
      await writer.call('HSET', 'h', 'f', 'v');
      log.push(await pushes(c));
      // Its own write: the reply first, then the push.
      log.push(plain(await c.call('GET', 'a')), plain(await c.call('SET', 'a', 'mine')));
      log.push(await pushes(c));
      // Inside a transaction: after EXEC's reply.
      log.push(
        plain(await c.call('GET', 'a')),
        plain(await c.call('MULTI')),
        plain(await c.call('INCR', 'n')),
        plain(await c.call('DEL', 'a')),
      );
      log.push(plain(await c.call('EXEC')), await pushes(c));
      // Deletes, expiries set, renames.
      await c.call('GET', 'b');
      await c.call('GET', 'c');
      await c.call('GET', 'd');
      await writer.call('DEL', 'b');
      await writer.call('EXPIRE', 'c', '100');
      await writer.call('RENAME', 'd', 'e');
      log.push(await pushes(c));
      // A key that expires by itself.
      await writer.call('SET', 'short', 'v', 'PX', '30');
      await c.call('GET', 'short');
      log.push(await pushes(c, 400));
      // NOLOOP: not about its own writes.
      log.push(plain(await c.call('CLIENT', 'TRACKING', 'on', 'NOLOOP')));
      await c.call('GET', 'z');
      await c.call('SET', 'z', 'v');
      log.push(await pushes(c));
      await c.call('GET', 'z');
      await writer.call('SET', 'z', 'w');
      log.push(await pushes(c));
      return log;
    });
  });

  test('OPTIN and OPTOUT remember keys only as CLIENT CACHING says', async () => {
    await onBoth(pair, async (_port, open) => {
      const c = await open();
      const writer = await open();
      await c.call('HELLO', '3');
      const log: unknown[] = [];
      await c.call('CLIENT', 'TRACKING', 'on', 'OPTIN');
      await c.call('CLIENT', 'CACHING', 'yes');
      await c.call('GET', 'x');
      await c.call('GET', 'y');
      await c.call('CLIENT', 'CACHING', 'yes');
      await c.call('MULTI');
      await c.call('GET', 'm1');
      await c.call('GET', 'm2');
      await c.call('EXEC');
      await c.call('GET', 'm3');
      await writer.call('MSET', 'x', '1', 'y', '1', 'm1', '1', 'm2', '1', 'm3', '1');
      log.push(await pushes(c));
      await c.call('CLIENT', 'TRACKING', 'off');
      await c.call('CLIENT', 'TRACKING', 'on', 'OPTOUT');
      await c.call('CLIENT', 'CACHING', 'no');
      await c.call('GET', 'x');
      await c.call('GET', 'y');
      await writer.call('MSET', 'x', '2', 'y', '2');
      log.push(await pushes(c));
      return log;
    });
  });

  test('BCAST: the keys changed under each prefix in one turn, sorted, one message per prefix', async () => {
    await onBoth(pair, async (_port, open) => {
      const c = await open();
      const all = await open();
      const writer = await open();
      await c.call('HELLO', '3');
      await all.call('HELLO', '3');
      const log: unknown[] = [];
      log.push(plain(await c.call('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'user:', 'PREFIX', 'obj:')));
      log.push(plain(await all.call('CLIENT', 'TRACKING', 'on', 'BCAST', 'NOLOOP')));
      await writer.pipeline([
        ['SET', 'user:2', 'v'],
        ['SET', 'user:1', 'v'],
        ['SET', 'obj:9', 'v'],
        ['SET', 'other', 'v'],
        ['SET', 'user:1', 'w'],
      ]);
      log.push(await pushes(c), await pushes(all));
      // NOLOOP in BCAST: the keys it changed itself are left out.
      await all.pipeline([
        ['SET', 'user:3', 'v'],
        ['SET', 'obj:3', 'v'],
      ]);
      log.push(await pushes(c), await pushes(all));
      log.push(String(plain(await writer.call('INFO', 'stats'))).match(/tracking_total_prefixes:\d+/)?.[0]);
      return log;
    });
  });

  test('FLUSHALL and FLUSHDB send a null invalidation to every tracking client', async () => {
    await onBoth(pair, async (_port, open) => {
      const c = await open();
      const writer = await open();
      await c.call('HELLO', '3');
      const log: unknown[] = [];
      await c.call('CLIENT', 'TRACKING', 'on');
      await c.call('GET', 'a');
      await writer.call('FLUSHALL');
      log.push(await pushes(c));
      await writer.call('SET', 'a', '1'); // the table was emptied by the flush
      log.push(await pushes(c));
      await writer.call('FLUSHDB');
      log.push(await pushes(c));
      log.push(plain(await c.call('FLUSHALL')), await pushes(c));
      return log;
    });
  });

  test('RESP2: invalidations go to a redirect target subscribed to __redis__:invalidate', async () => {
    await onBoth(pair, async (_port, open) => {
      const c = await open();
      const target = await open();
      const writer = await open();
      const rename = await ids({ c, target });
      const log: unknown[] = [];
      const id = await idOf(target);
      log.push(plain(await target.call('SUBSCRIBE', '__redis__:invalidate')));
      log.push(plain(await c.call('CLIENT', 'TRACKING', 'on', 'REDIRECT', await idOf(c))));
      log.push(plain(await c.call('CLIENT', 'TRACKING', 'off')));
      log.push(plain(await c.call('CLIENT', 'TRACKING', 'on', 'REDIRECT', id)));
      log.push(rename(plain(await c.call('CLIENT', 'GETREDIR'))));
      await c.call('GET', 'k');
      await writer.call('SET', 'k', '1');
      log.push(await pushes(target));
      await writer.call('FLUSHALL');
      log.push(await pushes(target));
      // A RESP2 client without a redirect gets nothing on its own connection.
      await writer.call('CLIENT', 'TRACKING', 'on');
      await writer.call('GET', 'w');
      await c.call('SET', 'w', '1');
      log.push(await pushes(writer));
      // The target goes away: a RESP3 client is told its redirect is broken.
      await c.call('HELLO', '3');
      await c.call('GET', 'k');
      target.close();
      await settle();
      await writer.call('SET', 'k', '2');
      log.push(rename(await pushes(c)));
      log.push(rename(plain(await c.call('CLIENT', 'TRACKINGINFO'))));
      return log;
    });
  });

  test('INFO counts tracking clients, keys, items and prefixes', async () => {
    await onBoth(pair, async (_port, open) => {
      const a = await open();
      const b = await open();
      const info = await open();
      await a.call('CLIENT', 'TRACKING', 'on');
      await b.call('CLIENT', 'TRACKING', 'on');
      await a.call('MGET', 'k1', 'k2', 'k3');
      await b.call('GET', 'k1');
      const fields = async () => {
        const text = String(plain((await info.call('INFO')) as Reply));
        return text.split('\r\n').filter((l) => /^tracking_/.test(l));
      };
      const log: unknown[] = [await fields()];
      await b.call('CLIENT', 'TRACKING', 'off');
      await info.call('SET', 'k1', 'x');
      log.push(await fields());
      await b.call('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'p', 'PREFIX', 'q');
      log.push(await fields());
      b.close();
      await settle();
      log.push(await fields());
      return log;
    });
  });

  test('tracking-table-max-keys: over the limit, keys are invalidated until it holds', async () => {
    const result = await onBoth(pair, async (_port, open) => {
      const c = await open();
      const other = await open();
      await c.call('HELLO', '3');
      // Earlier tests' clients left keys in the table (ids are removed lazily): start empty.
      await other.call('FLUSHALL');
      await other.call('CONFIG', 'SET', 'tracking-table-max-keys', '2');
      await c.call('CLIENT', 'TRACKING', 'on');
      await c.call('MGET', 'a', 'b', 'c', 'd', 'e');
      // The invalidations go out before PING runs, so before its reply.
      const first = plain(await c.call('PING'));
      const received = [first, ...((await pushes(c)) as unknown[])] as Array<{ push?: [string, string[]] }>;
      const keys = received.flatMap((p) => p.push?.[1] ?? []);
      const info = String(plain((await other.call('INFO', 'stats')) as Reply));
      await other.call('CONFIG', 'SET', 'tracking-table-max-keys', '1000000');
      // Which keys go is random: compare how many.
      return { invalidated: keys.length, keys: /tracking_total_keys:(\d+)/.exec(info)![1], last: received.at(-1) };
    });
    assert.deepEqual(result, { invalidated: 3, keys: '2', last: 'PONG' });
  });
});
