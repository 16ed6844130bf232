// The link relay on raw TCP, without Redis: random bytes sent both ways through it arrive unchanged
// and in order whatever the fault does to them on the way (split into slices by a slow link, held
// by a stall, flushed by a restore), a half-close passes through after the data, a slow link takes
// the time its bandwidth says, and a cut relay resets new connections.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { LinkRelay } from '../../../src-main/host/links/link-relay.js';

const servers: Server[] = [];
const relays: LinkRelay[] = [];
after(async () => {
  await Promise.all(relays.map((relay) => relay.close()));
  for (const server of servers) server.close();
});

/** A server that answers every connection with `reply` after reading all the client sent (until its FIN). */
async function upstream(reply: Buffer): Promise<{ port: number; received: Promise<Buffer>; bytes(): number; all: Buffer[] }> {
  let resolveReceived!: (data: Buffer) => void;
  const received = new Promise<Buffer>((resolve) => (resolveReceived = resolve));
  let bytes = 0;
  /** What each connection sent, in the order they ended. */
  const all: Buffer[] = [];
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      bytes += chunk.length;
    });
    socket.on('end', () => {
      all.push(Buffer.concat(chunks));
      resolveReceived(Buffer.concat(chunks));
      socket.end(reply);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, received, bytes: () => bytes, all };
}

/** Sends `data` through the relay, half-closes, and resolves with everything read back until the end. */
function exchange(port: number, data: Buffer, onConnect?: (socket: Socket) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => {
      onConnect?.(socket);
      socket.end(data);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
}

async function relayTo(port: number): Promise<LinkRelay> {
  const relay = await LinkRelay.open(port);
  relays.push(relay);
  return relay;
}

test('with no fault, 2 MB each way arrive unchanged', async () => {
  const sent = randomBytes(2 * 1024 * 1024);
  const reply = randomBytes(2 * 1024 * 1024);
  const server = await upstream(reply);
  const relay = await relayTo(server.port);
  const back = await exchange(relay.port, sent);
  assert.ok((await server.received).equals(sent));
  assert.ok(back.equals(reply));
  assert.equal(relay.bytesToMaster, sent.length);
  assert.equal(relay.bytesToReplica, reply.length);
});

test('a slow link (64 KB/s, 100 ms) delivers 128 KB unchanged, and takes about two seconds', async () => {
  const sent = randomBytes(128 * 1024);
  const reply = randomBytes(16 * 1024);
  const server = await upstream(reply);
  const relay = await relayTo(server.port);
  relay.setFault({ kind: 'slow', bandwidthKBps: 64, delayMs: 100 });
  const started = Date.now();
  const back = await exchange(relay.port, sent);
  const took = Date.now() - started;
  const got = await server.received;
  assert.ok(got.equals(sent), `received ${got.length} of ${sent.length}, first difference at ${got.findIndex((b, i) => b !== sent[i])}`);
  assert.ok(back.equals(reply));
  assert.ok(took > 1700 && took < 6000, `took ${took} ms`);
});

test('a stall holds what is in flight, in order, until restore; a connection made meanwhile waits too', async () => {
  const first = randomBytes(100 * 1024);
  const second = randomBytes(200 * 1024);
  const reply = randomBytes(300 * 1024);
  const server = await upstream(reply);
  const relay = await relayTo(server.port);
  const socket = connect({ host: '127.0.0.1', port: relay.port, allowHalfOpen: true });
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve) => socket.on('end', resolve));
  socket.write(first);
  await waitFor(() => server.bytes() === first.length);
  relay.setFault({ kind: 'stall' });
  socket.end(second);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(server.bytes(), first.length, 'nothing more arrives while stalled');
  assert.equal(relay.connections.size, 1, 'the connection stays open');
  // A new connection while stalled is accepted but does not reach the server yet.
  const laterClient = exchange(relay.port, Buffer.from('later'));
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(relay.connections.size, 2);
  relay.setFault({ kind: 'none' });
  await waitFor(() => server.all.length === 2);
  const [a, b] = server.all as [Buffer, Buffer];
  const whole = Buffer.concat([first, second]);
  assert.ok((a.equals(whole) && b.toString() === 'later') || (b.equals(whole) && a.toString() === 'later'), 'both arrived unchanged');
  await ended;
  assert.ok(Buffer.concat(chunks).equals(reply));
  assert.ok((await laterClient).equals(reply));
});

test('a cut closes open connections and resets new ones until restore', async () => {
  const server = await upstream(Buffer.from('pong'));
  const relay = await relayTo(server.port);
  const socket = connect({ host: '127.0.0.1', port: relay.port });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.on('connect', resolve));
  await waitFor(() => relay.connections.size === 1);
  relay.setFault({ kind: 'cut' });
  await closed;
  await assert.rejects(exchange(relay.port, Buffer.from('x')), /ECONNRESET/);
  relay.setFault({ kind: 'none' });
  assert.equal((await exchange(relay.port, Buffer.from('ping'))).toString(), 'pong');
});

async function waitFor(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
