// One read buffer for every socket a node reads commands from: its clients' connections and, on a
// replica, its master's stream. Redis reads into each client's query buffer; we parse straight
// from this one and the parser copies out only what it has to keep (RequestParser.releaseChunk).
// Reading this way saves what Node's 'data' path costs per read: a fresh 64 KB allocation cut
// down to the bytes read, an ArrayBuffer and a Buffer object for V8 to track and collect, and the
// Readable stream's push and emit. Reads are handled synchronously one at a time, so one buffer
// serves all sockets; a reader must not keep a reference into a chunk after its callback returns.
import type { Socket } from 'node:net';

const READ_BUFFER_SIZE = 64 * 1024;
let readBuffer: Buffer | null = null;

/**
 * net.Socket's `onread` option, which sockets accepted by a net.Server cannot be given: set up the
 * same state the Socket constructor sets for it. False (and the caller uses 'data') if this Node
 * does not have that state. Also for a socket that was read through 'data' until now (a replica's
 * link after its handshake and sync): what the socket already buffered must have been taken first.
 */
export function readIntoSharedBuffer(socket: Socket, onChunk: (chunk: Buffer) => void): boolean {
  const symbols = Object.getOwnPropertySymbols(socket);
  const kBuffer = symbols.find((s) => s.description === 'kBuffer');
  const kBufferCb = symbols.find((s) => s.description === 'kBufferCb');
  const handle = (socket as unknown as { _handle?: { useUserBuffer?: (buf: Buffer) => void } })._handle;
  if (!kBuffer || !kBufferCb || typeof handle?.useUserBuffer !== 'function') return false;
  readBuffer ??= Buffer.allocUnsafe(READ_BUFFER_SIZE);
  const fields = socket as unknown as Record<symbol, unknown>;
  fields[kBuffer] = readBuffer;
  fields[kBufferCb] = (nread: number, buf: Buffer): boolean => {
    onChunk(buf.subarray(0, nread));
    return true;
  };
  handle.useUserBuffer(readBuffer);
  return true;
}
