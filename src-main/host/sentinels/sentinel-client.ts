// The lab's client connections to a Sentinel, over TCP as redis-cli would: one-shot queries
// (SENTINEL MASTERS, SENTINEL MYID) and a subscriber (PSUBSCRIBE *) that hears every event the
// Sentinel publishes. Replies are read by the console's RESP reader: one reader for the lab.
import { connect, type Socket } from 'node:net';
import { RespReader, type ConsoleReply } from '../console/resp-reader.js';

const QUERY_TIMEOUT_MS = 2_000;

function encode(args: readonly string[]): string {
  return `*${args.length}\r\n` + args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('');
}

/** One command on a fresh connection; resolves with its reply (an error reply is a reply too). */
export function querySentinel(port: number, args: readonly string[]): Promise<ConsoleReply> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const reader = new RespReader();
    const timer = setTimeout(() => done(new Error(`${args.join(' ')}: no reply from port ${port}`)), QUERY_TIMEOUT_MS);
    const done = (error: Error | null, reply?: ConsoleReply): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(reply!);
    };
    socket.on('connect', () => socket.write(encode(args)));
    socket.on('data', (chunk: Buffer) => {
      reader.feed(chunk);
      const [reply] = reader.takeReplies();
      if (reply) done(null, reply);
    });
    socket.on('error', (error) => done(error));
    socket.on('close', () => done(new Error(`port ${port} closed the connection`)));
  });
}

/** A reply's text: a bulk string, status, error or integer. */
export function replyText(reply: ConsoleReply | undefined): string {
  if (!reply) return '';
  switch (reply.type) {
    case 'string':
    case 'verbatim':
      return Buffer.from(reply.bytes, 'latin1').toString('utf8');
    case 'status':
    case 'error':
      return reply.text;
    case 'integer':
      return reply.value;
    default:
      return '';
  }
}

/** A flat array of field, value, field, value (SENTINEL MASTERS' entries) as a map. */
export function replyFields(reply: ConsoleReply): Map<string, string> {
  const map = new Map<string, string>();
  if (reply.type !== 'array' && reply.type !== 'map') return map;
  for (let i = 0; i + 1 < reply.items.length; i += 2) map.set(replyText(reply.items[i]), replyText(reply.items[i + 1]));
  return map;
}

/**
 * PSUBSCRIBE * on a Sentinel: `onMessage` hears each (channel, message) it publishes, from its own
 * events (+sdown, +switch-master, ...) to the hellos it sends. Ends when the Sentinel ends or close().
 */
export class SentinelSubscriber {
  private readonly socket: Socket;

  constructor(port: number, onMessage: (channel: string, message: string) => void) {
    const reader = new RespReader();
    this.socket = connect({ host: '127.0.0.1', port });
    this.socket.on('connect', () => this.socket.write(encode(['PSUBSCRIBE', '*'])));
    this.socket.on('data', (chunk: Buffer) => {
      reader.feed(chunk);
      for (const reply of reader.takeReplies()) {
        if ((reply.type === 'array' || reply.type === 'push') && replyText(reply.items[0]) === 'pmessage') {
          onMessage(replyText(reply.items[2]), replyText(reply.items[3]));
        }
      }
    });
    // A Sentinel that crashes closes the connection; its end is recorded by the lifecycle.
    this.socket.on('error', () => undefined);
  }

  close(): void {
    this.socket.destroy();
  }
}
