// The tap of one relayed connection, fed as a relay feeds it: when more of the stream arrives
// at once than the view can parse (more than MAX_QUEUED bytes waiting), it drops the backlog and
// says "view lagging, N bytes skipped", and the offsets after that are still the master's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { LinkTap, MAX_QUEUED, type TapEntry } from '../../../src-main/host/stream-view/link-tap.js';

function resp(...args: string[]): Buffer {
  return Buffer.from(`*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`);
}

async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await nextTurn();
}

test("a view that falls behind skips what it cannot parse, and its offsets stay the master's", async () => {
  const entries: TapEntry[] = [];
  const tap = new LinkTap(1, (batch) => entries.push(...batch));
  tap.watched = true;
  tap.fromReplica(resp('PSYNC', 'f'.repeat(40), '1001'));
  tap.fromMaster(Buffer.from(`+CONTINUE ${'f'.repeat(40)}\r\n`));
  const set = resp('SET', 'k', 'v'.repeat(1000));
  // Parsing waits for the next turn of the event loop: all of this arrives before any is read.
  const chunk = Buffer.concat(Array.from({ length: 64 }, () => set));
  let sent = 0;
  while (sent <= MAX_QUEUED) {
    tap.fromMaster(chunk);
    sent += chunk.length;
  }
  await settle();
  const lagging = entries.find((entry) => entry.text.startsWith('view lagging'));
  assert.ok(lagging, 'a "view lagging" entry');
  assert.match(lagging.text, /^view lagging, \d+ bytes skipped$/);
  tap.fromMaster(resp('SET', 'demo', '1'));
  await settle();
  const last = entries.at(-1)!;
  assert.equal(last.text, '"SET" "demo" "1"');
  assert.equal(last.offset, 1000 + sent + resp('SET', 'demo', '1').length);
  // Entries were shown for what was parsed before the queue overflowed, never more than was sent.
  const shown = entries.filter((entry) => entry.name === 'SET').length - 1;
  assert.ok(shown * set.length <= sent);
});

test('nobody watching: the stream is counted, not parsed; a view opened later still has the offsets', async () => {
  const entries: TapEntry[] = [];
  const tap = new LinkTap(1, (batch) => entries.push(...batch));
  tap.fromReplica(resp('PSYNC', '?', '-1'));
  const header = Buffer.from(`+FULLRESYNC ${'a'.repeat(40)} 500\r\n$5\r\nREDIS`);
  tap.fromMaster(header);
  const ping = resp('PING');
  for (let i = 0; i < 10; i++) tap.fromMaster(ping);
  await settle();
  assert.equal(entries.length, 0);
  tap.watched = true;
  tap.fromMaster(resp('SET', 'demo', '1'));
  await settle();
  assert.equal(entries.length, 1);
  assert.equal(entries[0]!.offset, 500 + 10 * ping.length + resp('SET', 'demo', '1').length);
});
