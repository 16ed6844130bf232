// Sends one command to a node the way redis-cli does: a fresh TCP connection to 127.0.0.1:<port>
// (or to an external node's address, with AUTH first when it has a password: node-address.ts),
// one RESP request, one reply. The lab changes a node's replication this way, not through a private
// door into the engine, so the node treats it as any client's REPLICAOF: its log names the client
// ("REPLICAOF ... enabled (user request from 'id=... addr=127.0.0.1:...')"), CLIENT LIST shows it,
// and ACLs or requirepass apply to it as to everyone. It runs on the host's event loop, not in the
// node's worker, because a socket never blocks that loop and the worker stays a plain node.
// A node with a requirepass set from the lab (host/settings/) is sent `AUTH <password>` first, as
// `redis-cli -a` would, so the lab's own controls keep working on it (see node-address.ts).
import { connect } from 'node:net';
import { authArgs, type NodeAddress } from './node-address.js';

/** A node answers REPLICAOF at once; anything slower means it is blocked (DEBUG SLEEP, a huge command). */
const COMMAND_TIMEOUT_MS = 5_000;

/**
 * Resolves with a simple-string reply (`+OK` -> "OK"); rejects with the node's own text for an error
 * reply (`-NOAUTH Authentication required.`). Only the replies of the commands the lab sends are
 * understood: simple strings and errors.
 */
export function sendNodeCommand(port: number | NodeAddress, args: readonly string[]): Promise<string> {
  return requestReply(port, args, (data) => {
    const end = data.indexOf('\r\n');
    if (end === -1) return null;
    const line = data.toString('utf8', 0, end);
    if (line.startsWith('+')) return line.slice(1);
    if (line.startsWith('-')) return new Error(line.slice(1));
    return new Error(`${args.join(' ')}: unexpected reply ${JSON.stringify(line)}`);
  });
}

/**
 * Like sendNodeCommand, for commands whose reply is an array of bulk strings (CONFIG GET): resolves
 * with the strings; rejects with the node's own text for an error reply.
 */
export function queryNode(port: number | NodeAddress, args: readonly string[]): Promise<string[]> {
  return requestReply(port, args, parseBulkArray);
}

/**
 * Like sendNodeCommand, for commands whose reply is one bulk string (CLIENT LIST): resolves with its
 * text; rejects with the node's own text for an error reply.
 */
export function queryNodeText(port: number | NodeAddress, args: readonly string[]): Promise<string> {
  return requestReply(port, args, (data) => {
    const end = data.indexOf('\r\n');
    if (end === -1) return null;
    const head = data.toString('utf8', 0, end);
    if (head.startsWith('-')) return new Error(head.slice(1));
    if (!head.startsWith('$')) return new Error(`${args.join(' ')}: unexpected reply ${JSON.stringify(head)}`);
    const length = Number(head.slice(1));
    if (data.length < end + 2 + length + 2) return null;
    return data.toString('utf8', end + 2, end + 2 + length);
  });
}

/**
 * One request on a fresh connection, one reply: `parse` is called with everything received so far
 * and returns the reply, an Error for an error reply, or null while the reply is incomplete. With a
 * password, AUTH is pipelined before the request and its reply (+OK, or the node's error) read first.
 */
function requestReply<T>(target: number | NodeAddress, args: readonly string[], parse: (data: Buffer) => T | Error | null): Promise<T> {
  const address = typeof target === 'number' ? { host: '127.0.0.1', port: target } : target;
  const { port } = address;
  const auth = authArgs(address);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address.host, port });
    let received = Buffer.alloc(0);
    // With a password, AUTH goes first in the same write; its reply (+OK or an error) is read first.
    let authPending = auth !== null;
    const finish = (error: Error | null, reply?: T): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(reply!);
    };
    const timer = setTimeout(
      () => finish(new Error(`${args.join(' ')}: no reply from ${address.host}:${port} within ${COMMAND_TIMEOUT_MS / 1000} s`)),
      COMMAND_TIMEOUT_MS,
    );
    socket.on('connect', () => socket.write((auth ? encodeRequest(auth) : '') + encodeRequest(args)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (authPending) {
        const end = received.indexOf('\r\n');
        if (end === -1) return;
        const line = received.toString('utf8', 0, end);
        if (!line.startsWith('+'))
          return finish(new Error(line.startsWith('-') ? line.slice(1) : `AUTH: unexpected reply ${JSON.stringify(line)}`));
        authPending = false;
        received = received.subarray(end + 2);
        if (received.length === 0) return;
      }
      const parsed = parse(received);
      if (parsed instanceof Error) finish(parsed);
      else if (parsed !== null) finish(null, parsed);
    });
    socket.on('error', (error) =>
      finish(new Error(`could not reach ${typeof target === 'number' ? `port ${port}` : `${address.host}:${port}`}: ${error.message}`)),
    );
    socket.on('close', () => finish(new Error(`port ${port} closed the connection without replying to ${args.join(' ')}`)));
  });
}

/** A RESP multibulk request, as every client library sends commands. */
function encodeRequest(args: readonly string[]): string {
  return `*${args.length}\r\n` + args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('');
}

/** An array of bulk strings from the start of `data`, null while incomplete, an Error for an error reply. */
function parseBulkArray(data: Buffer): string[] | Error | null {
  const line = (from: number): [string, number] | null => {
    const end = data.indexOf('\r\n', from);
    return end === -1 ? null : [data.toString('utf8', from, end), end + 2];
  };
  const head = line(0);
  if (!head) return null;
  if (head[0].startsWith('-')) return new Error(head[0].slice(1));
  if (!head[0].startsWith('*')) return new Error(`unexpected reply ${JSON.stringify(head[0])}`);
  const items: string[] = [];
  let at = head[1];
  for (let i = 0; i < Number(head[0].slice(1)); i++) {
    const size = line(at);
    if (!size) return null;
    const length = Number(size[0].slice(1));
    if (data.length < size[1] + length + 2) return null;
    items.push(data.toString('utf8', size[1], size[1] + length));
    at = size[1] + length + 2;
  }
  return items;
}
